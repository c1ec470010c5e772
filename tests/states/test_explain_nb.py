"""Deadline explanations in Norwegian bokmål: every clause, dates, durations and basis labels.

The expected strings are written by hand from the dates (calendar arithmetic noted beside each),
not copied from the output.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from states import wording
from states.calendar import CalendarRule
from states.case import Case, Party, PartyRole, Policy, advance, open_case
from states.deadlines import Deadline, Extension, PausedSpan, human_date
from states.durations import Duration
from states.guards import EXAMINATION_OFF
from states.lifecycle import DeadlineName, Trigger
from tests.helpers import OECD
from translations import translator

NB = translator("nb")

OSLO = CalendarRule("Europe/Oslo")
ROLLING = CalendarRule("Europe/Oslo", roll_to_working_day=True, holiday_country="NO")


def make_deadline(
    basis: date,
    duration: str,
    *,
    calendar: CalendarRule = OSLO,
    pauses: tuple[PausedSpan, ...] = (),
    extensions: tuple[Extension, ...] = (),
) -> Deadline:
    return Deadline(
        name=DeadlineName.INITIAL_ASSESSMENT,
        basis_on=basis,
        basis_label="received",
        duration=Duration.parse(duration),
        calendar=calendar,
        started_at=calendar.start_of_day(basis),
        pauses=pauses,
        extensions=extensions,
    )


@pytest.mark.parametrize(
    ("month", "written"),
    list(
        enumerate(
            [
                "2. jan. 2025",
                "2. feb. 2025",
                "2. mars 2025",
                "2. apr. 2025",
                "2. mai 2025",
                "2. juni 2025",
                "2. juli 2025",
                "2. aug. 2025",
                "2. sep. 2025",
                "2. okt. 2025",
                "2. nov. 2025",
                "2. des. 2025",
            ],
            start=1,
        )
    ),
)
def test_norwegian_dates_have_a_day_with_a_full_stop_and_the_short_month(month: int, written: str) -> None:
    assert human_date(date(2025, month, 2), NB) == written


@pytest.mark.parametrize(
    ("duration", "english", "norwegian"),
    [
        ("3mo", "3 months", "3 måneder"),
        ("1mo", "1 month", "1 måned"),
        ("14d", "14 days", "14 dager"),
        ("1d", "1 day", "1 dag"),
        ("0d", "0 days", "0 dager"),
        ("2w", "14 days", "14 dager"),
    ],
)
def test_durations_are_described_in_either_language(duration: str, english: str, norwegian: str) -> None:
    assert Duration.parse(duration).describe() == english
    assert Duration.parse(duration).describe(NB) == norwegian
    assert Duration(months=1, days=3).describe(NB) == "1 måned 3 dager"


def test_the_start_of_a_norwegian_explanation_names_receipt_and_months() -> None:
    """2 Jan 2025 + 3 months = 2 Apr 2025."""
    deadline = make_deadline(date(2025, 1, 2), "3mo")
    assert deadline.explain(tr=NB) == "mottatt 2. jan. 2025 + 3 måneder = 2. apr. 2025"


def test_paused_days_and_an_extension_are_explained_in_norwegian() -> None:
    """31 Jan + 3 months = 30 Apr; + 12 days paused (10 to 22 Feb) = 12 May; + 10 days = 22 May."""
    pause = PausedSpan(date(2025, 2, 10), date(2025, 2, 22), "parallelle prosesser")
    deadline = make_deadline(
        date(2025, 1, 31),
        "3mo",
        pauses=(pause,),
        extensions=(Extension(Duration.parse("10d"), "venter på oversettelse", "leder"),),
    )
    assert deadline.explain(tr=NB) == (
        "mottatt 31. jan. 2025 + 3 måneder = 30. apr. 2025"
        ", + 12 dager på vent (parallelle prosesser, 10. feb. 2025–22. feb. 2025) = 12. mai 2025"
        ", + 10 dager forlenget (venter på oversettelse; godkjent av leder) = 22. mai 2025"
    )


def test_one_paused_day_and_a_one_month_extension_are_singular_in_norwegian() -> None:
    """2 Jan + 3 months = 2 Apr; + 1 day paused (3 to 4 Mar) = 3 Apr; + 1 month = 3 May."""
    deadline = make_deadline(
        date(2025, 1, 2),
        "3mo",
        pauses=(PausedSpan(date(2025, 3, 3), date(2025, 3, 4), "partenes ønske"),),
        extensions=(Extension(Duration.parse("1mo"), "sammensatt sak", "leder"),),
    )
    assert deadline.due == date(2025, 5, 3)
    assert deadline.explain(tr=NB) == (
        "mottatt 2. jan. 2025 + 3 måneder = 2. apr. 2025"
        ", + 1 dag på vent (partenes ønske, 3. mars 2025–4. mars 2025) = 3. apr. 2025"
        ", + 1 måned forlenget (sammensatt sak; godkjent av leder) = 3. mai 2025"
    )


def test_a_rolled_due_date_is_explained_in_norwegian() -> None:
    """17 Feb 2024 + 3 months = Friday 17 May (Constitution Day); Whit Monday 20 May: 21 May."""
    deadline = make_deadline(date(2024, 2, 17), "3mo", calendar=ROLLING)
    assert deadline.explain(tr=NB) == (
        "mottatt 17. feb. 2024 + 3 måneder = 17. mai 2024, flyttet til neste virkedag = 21. mai 2024"
    )


@pytest.mark.parametrize(
    ("met_on", "verdict"),
    [
        (date(2025, 2, 14), "i tide"),  # the due day itself
        (date(2025, 2, 3), "i tide"),
        (date(2025, 2, 15), "1 dag for sent"),
        (date(2025, 2, 20), "6 dager for sent"),
    ],
)
def test_a_met_deadline_says_in_norwegian_whether_it_was_in_time_or_how_late(
    met_on: date, verdict: str
) -> None:
    """31 Jan 2025 + 14 days = 14 Feb 2025."""
    deadline = make_deadline(date(2025, 1, 31), "14d")
    met = deadline.met(at=datetime(met_on.year, met_on.month, met_on.day, 9, 0, tzinfo=UTC))
    assert met.met_on == met_on
    day = f"{met_on.day}. feb. 2025"
    assert met.explain(tr=NB) == (
        f"mottatt 31. jan. 2025 + 14 dager = 14. feb. 2025; overholdt {day} ({verdict})"
    )


def test_a_paused_deadline_says_in_norwegian_that_the_date_will_move() -> None:
    deadline = replace(make_deadline(date(2025, 1, 2), "3mo"), paused_since=date(2025, 3, 3))
    assert deadline.explain(tr=NB) == (
        "mottatt 2. jan. 2025 + 3 måneder = 2. apr. 2025; på vent siden 3. mars 2025: "
        "fristen flyttes med antallet dager på vent når saken gjenopptas"
    )


def test_a_deadline_counted_from_acceptance_names_it_in_norwegian() -> None:
    """Accepted 11 Mar 2025 (Oslo) + 6 months = 11 Sep 2025."""
    policy = Policy(
        timelines={name: Duration.parse("3mo") for name in DeadlineName}
        | {DeadlineName.GOOD_OFFICES: Duration.parse("6mo")},
        calendar=OSLO,
        procedure=OECD,
    )
    case: Case
    case, _ = open_case(
        reference="NCP-2025-001",
        title="Vindkraft",
        received_at=datetime(2025, 1, 31, 9, 0, tzinfo=UTC),
        opened_at=datetime(2025, 1, 31, 9, 0, tzinfo=UTC),
        actor="sekretariatet",
        policy=policy,
        parties=(
            Party(PartyRole.SUBMITTER, "Kirkens Nødhjelp"),
            Party(PartyRole.ENTERPRISE, "Ørsted Vind AS"),
        ),
    )
    for trigger, at in [
        (Trigger.BEGIN_ASSESSMENT, datetime(2025, 2, 3, 9, 0, tzinfo=UTC)),
        (Trigger.ACCEPT, datetime(2025, 3, 11, 9, 0, tzinfo=UTC)),
    ]:
        case, _ = advance(case, trigger=trigger, actor="member-c", reason="neste steg", at=at, policy=policy)
    deadline = case.deadline(DeadlineName.GOOD_OFFICES)
    assert deadline is not None
    assert deadline.explain() == "accepted 11 Mar 2025 + 6 months = 11 Sep 2025"
    words = wording.procedure_words(OECD, "nb", NB)  # the basis in the procedure's own words
    assert deadline.explain(tr=words) == ("tatt opp til behandling 11. mars 2025 + 6 måneder = 11. sep. 2025")


def test_every_basis_a_transition_can_give_has_norwegian_words() -> None:
    """Each basis label a deadline can carry has its own Norwegian words; an unknown one stays."""
    words = wording.procedure_words(OECD, "nb", NB)
    for english in {*(t.past.en for t in OECD.triggers.values()), "received"}:
        assert wording.translate(english, words) != english, english
    assert wording.translate("something new", NB) == "something new"


def test_an_unknown_language_falls_back_to_english() -> None:
    pause = PausedSpan(date(2025, 2, 10), date(2025, 2, 22), "reason")
    deadline = replace(
        make_deadline(date(2025, 1, 31), "3mo", pauses=(pause,)), paused_since=date(2025, 3, 3)
    )
    assert (
        deadline.explain(tr=translator("de")) == deadline.explain() == deadline.explain(tr=translator("en"))
    )
    assert deadline.explain().startswith("received 31 Jan 2025 + 3 months = 30 Apr 2025")
    assert human_date(date(2025, 3, 2), translator("xx")) == "2 Mar 2025"


def test_a_reason_the_user_wrote_is_kept_as_written_even_with_braces() -> None:
    pause = PausedSpan(date(2025, 2, 10), date(2025, 2, 11), "{due} {n} %s")
    text = make_deadline(date(2025, 1, 31), "3mo", pauses=(pause,)).explain(tr=NB)
    assert "({due} {n} %s, 10. feb. 2025–11. feb. 2025) = 1. mai 2025" in text


def test_the_examination_switched_off_reason_has_norwegian_words() -> None:
    assert wording.translate(EXAMINATION_OFF, translator("en")) == EXAMINATION_OFF
    assert wording.translate(EXAMINATION_OFF, NB) == (
        "undersøkelse er slått av i konfigurasjonen ([procedure] examination = false)"
    )
    assert wording.translate("anything else", NB) == "anything else"
