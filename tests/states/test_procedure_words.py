"""The words of states, triggers, outcomes and deadlines come from the procedure's labels in the
viewer's language; for oecd-2023 they are the words the catalogue gave before, so pages, e-mails
and explanations read as they did."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from states import wording
from states.calendar import CalendarRule
from states.deadlines import Deadline
from states.durations import Duration
from states.procedure import parse_procedure
from tests.helpers import OECD
from translations import translator

NB = translator("nb")

# The catalogue's Norwegian for the past tenses and the transitions' meanings, as it was before
# they moved into the definition (translations/locale/nb, issue 11).
CATALOGUE_BEFORE = {
    "assessment begun": "vurdering startet",
    "accepted": "tatt opp til behandling",
    "not accepted": "ikke tatt opp til behandling",
    "examination begun": "undersøkelse startet",
    "concluded": "avsluttet",
    "withdrawn": "trukket tilbake",
    "transferred": "overført",
    "published": "publisert",
    "closed": "avsluttet",
    "receipt acknowledged; initial assessment begins": "mottak bekreftet; første vurdering begynner",
    "issues merit further examination (wholly or in part); good offices offered": (
        "sakens spørsmål fortjener videre undersøkelse (helt eller delvis); partene tilbys dialog og mekling"
    ),
    "not accepted; a statement explains why": "ikke tatt opp til behandling; en uttalelse begrunner hvorfor",
    "mediation refused or failed; the NCP examines the case": (
        "dialog og mekling avslått eller uten enighet; Kontaktpunktet undersøker saken"
    ),
    "good offices ended with an outcome": "dialog og mekling avsluttet med et utfall",
    "examination ended with a determination": "undersøkelsen avsluttet med Kontaktpunktets konklusjon",
    "the submitter withdrew": "klageren trakk saken tilbake",
    "transferred to another NCP that leads": "overført til et annet kontaktpunkt, som leder behandlingen",
    "final statement published; follow-up planned": "sluttuttalelse publisert; oppfølging planlagt",
    "final statement published without follow-up": "sluttuttalelse publisert uten oppfølging",
    "follow-up complete": "oppfølging fullført",
}

NAMED = [
    *(("state", name, wording.STATE_NAMES[name]) for name in OECD.states),
    *(("deadline", name, wording.DEADLINE_NAMES[name]) for name in OECD.deadlines),
    *(("deadline_title", name, wording.DEADLINE_TITLES[name]) for name in OECD.deadlines),
    *(("trigger", name, wording.TRIGGER_NAMES[name]) for name in OECD.triggers),
    *(("outcome", name, wording.OUTCOME_NAMES[name]) for name in OECD.outcomes),
]


@pytest.mark.parametrize(("kind", "name", "msgid"), NAMED, ids=[f"{k}-{n}" for k, n, _ in NAMED])
def test_oecd_2023_names_things_as_the_catalogue_does(kind: str, name: str, msgid: str) -> None:
    """Each label of oecd-2023 is the catalogue's English and its Norwegian translation."""
    assert OECD.label(kind, name, "en") == msgid  # type: ignore[arg-type]
    assert OECD.label(kind, name, "nb") == NB.gettext(msgid)  # type: ignore[arg-type]


def test_oecd_2023_words_past_tenses_and_meanings_as_the_catalogue_did() -> None:
    """The past tenses and meanings that left the catalogue keep its Norwegian, via the definition."""
    phrases = [*(t.past for t in OECD.triggers.values()), *(t.meaning for t in OECD.transitions)]
    assert {p.en for p in phrases} == set(CATALOGUE_BEFORE)
    for labels in phrases:
        assert labels.nb == CATALOGUE_BEFORE[labels.en], labels.en


def test_a_procedure_s_own_label_is_what_pages_and_explanations_show() -> None:
    """Change a label in the definition, and the words change: they come from the file."""
    text = OECD.text.replace('nb = "mottatt"', 'nb = "innkommet"').replace(
        'nb = "tatt opp til behandling" }\n\n[triggers.reject]', 'nb = "akseptert" }\n\n[triggers.reject]'
    )
    ours = parse_procedure(text, source="ours.toml")
    words = wording.procedure_words(ours, "nb", NB)
    assert wording.term("received", words) == "innkommet"
    assert wording.term("received", NB) == "mottatt"  # without the procedure: the catalogue
    assert wording.term("good_offices", words) == "dialog og mekling"
    assert wording.term("open", words) == NB.gettext("open")  # a status: not the procedure's
    assert wording.deadline_title("procedure", words) == "hele behandlingen (sluttuttalelse publisert)"
    counted = Deadline(
        name="good_offices",
        basis_on=date(2025, 3, 11),
        basis_label="accepted",
        duration=Duration(months=6),
        calendar=CalendarRule("Europe/Oslo"),
        started_at=datetime(2025, 3, 11, 9, 0, tzinfo=UTC),
    )
    assert counted.explain(tr=words).startswith("akseptert 11. mars 2025 + 6 måneder")
    assert counted.explain(tr=wording.procedure_words(ours, "en", translator("en"))).startswith("accepted")
