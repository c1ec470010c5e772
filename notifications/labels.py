"""Words the messages need in each language: deadline names and dates."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from states.lifecycle import DeadlineName

LANGUAGES = ("en", "nb")
_LOCALES = {"en": "en_GB", "nb": "nb"}

DEADLINE_LABELS: dict[str, dict[DeadlineName, str]] = {
    "en": {
        DeadlineName.ACKNOWLEDGEMENT: "acknowledgement of receipt",
        DeadlineName.INITIAL_ASSESSMENT: "initial assessment",
        DeadlineName.GOOD_OFFICES: "good offices (dialogue and mediation)",
        DeadlineName.EXAMINATION: "examination",
        DeadlineName.FINAL_STATEMENT: "final statement",
        DeadlineName.PROCEDURE: "whole procedure (final statement published)",
        DeadlineName.FOLLOW_UP: "follow-up statement",
    },
    "nb": {
        DeadlineName.ACKNOWLEDGEMENT: "bekreftelse av mottak",
        DeadlineName.INITIAL_ASSESSMENT: "første vurdering",
        DeadlineName.GOOD_OFFICES: "dialog og mekling",
        DeadlineName.EXAMINATION: "undersøkelse",
        DeadlineName.FINAL_STATEMENT: "sluttuttalelse",
        DeadlineName.PROCEDURE: "hele behandlingen (sluttuttalelse publisert)",
        DeadlineName.FOLLOW_UP: "oppfølgingsuttalelse",
    },
}


def deadline_label(name: DeadlineName, language: str) -> str:
    return DEADLINE_LABELS[language][name]


def long_date(day: date, language: str) -> str:
    return str(format_date(day, format="long", locale=_LOCALES[language]))
