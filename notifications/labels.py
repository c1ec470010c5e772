"""Words the messages need in each language: deadline names (the one catalogue) and long dates
(Babel's locale data)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from states import wording
from translations import LANGUAGES, LOCALES, translator

__all__ = ["LANGUAGES", "deadline_label", "long_date"]


def deadline_label(name: str, language: str) -> str:
    """A deadline's full name in running text, in `language`."""
    return wording.deadline_title(name, translator(language))


def long_date(day: date, language: str) -> str:
    return str(format_date(day, format="long", locale=LOCALES[language]))
