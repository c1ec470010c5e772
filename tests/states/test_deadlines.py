"""Due dates: calendar months in the NCP's zone, pauses, extensions, working-day roll."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from states.calendar import CalendarRule
from states.case import Case, Party, PartyRole, Policy, advance, open_case
from states.deadlines import Deadline, DeadlineStatus, Extension, PausedSpan
from states.durations import Duration
from states.errors import InvalidInputError
from states.lifecycle import DeadlineName, Outcome, State, Trigger
from tests.helpers import OECD

D, S, T = DeadlineName, State, Trigger
OSLO = CalendarRule("Europe/Oslo")

TIMELINES = {
    D.ACKNOWLEDGEMENT: "14d",
    D.INITIAL_ASSESSMENT: "3mo",
    D.GOOD_OFFICES: "6mo",
    D.EXAMINATION: "3mo",
    D.FINAL_STATEMENT: "3mo",
    D.PROCEDURE: "12mo",
    D.FOLLOW_UP: "12mo",
}
POLICY = Policy(
    timelines={name: Duration.parse(text) for name, text in TIMELINES.items()}, calendar=OSLO, procedure=OECD
)

# Written from DOMAIN.md, not from states.lifecycle: the deadlines running in each state.
EXPECTED_OPEN: dict[State, set[DeadlineName]] = {
    S.RECEIVED: {D.ACKNOWLEDGEMENT, D.INITIAL_ASSESSMENT, D.PROCEDURE},
    S.INITIAL_ASSESSMENT: {D.INITIAL_ASSESSMENT, D.PROCEDURE},
    S.GOOD_OFFICES: {D.GOOD_OFFICES, D.PROCEDURE},
    S.EXAMINATION: {D.EXAMINATION, D.PROCEDURE},
    S.FINAL_STATEMENT: {D.FINAL_STATEMENT, D.PROCEDURE},
    S.FOLLOW_UP: {D.FOLLOW_UP},
    S.CLOSED: set(),
}

# Walks through every state, each ending where the previous one left off.
WALKS: tuple[tuple[tuple[Trigger, Outcome | None], ...], ...] = (
    (
        (T.BEGIN_ASSESSMENT, None),
        (T.ACCEPT, None),
        (T.EXAMINE, Outcome.NO_AGREEMENT),
        (T.CONCLUDE, Outcome.DETERMINATION),
        (T.PUBLISH, None),
        (T.CLOSE, None),
    ),
    ((T.BEGIN_ASSESSMENT, None), (T.REJECT, None), (T.CLOSE, None)),
    ((T.WITHDRAW, None), (T.PUBLISH, None)),
    ((T.BEGIN_ASSESSMENT, None), (T.ACCEPT, None), (T.WITHDRAW, None)),
    ((T.TRANSFER, None),),
)


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def received(at: datetime, *, policy: Policy = POLICY) -> Case:
    parties = (Party(PartyRole.SUBMITTER, "Kirkens Nødhjelp"), Party(PartyRole.ENTERPRISE, "Ørsted Vind AS"))
    case, _ = open_case(
        reference="NCP-2025-001",
        title="Wind farm on grazing land",
        parties=parties,
        received_at=at,
        opened_at=at,
        actor="secretariat",
        policy=policy,
    )
    return case


def step(case: Case, trigger: Trigger, at: datetime, outcome: Outcome | None = None) -> Case:
    new, _ = advance(
        case, trigger=trigger, actor="member-c", reason="next step", at=at, policy=POLICY, outcome=outcome
    )
    return new


def due(case: Case, name: DeadlineName) -> date:
    deadline = case.deadline(name)
    assert deadline is not None, f"{name} was never started"
    return deadline.due


def test_a_case_received_31_january_has_its_first_due_dates_by_calendar_months() -> None:
    """Received 31 Jan 2025: acknowledge by 14 Feb, assess by 30 Apr, whole procedure 31 Jan 2026."""
    case = received(utc(2025, 1, 31, 9, 0))
    assert due(case, D.ACKNOWLEDGEMENT) == date(2025, 2, 14)
    assert due(case, D.INITIAL_ASSESSMENT) == date(2025, 4, 30)
    assert due(case, D.PROCEDURE) == date(2026, 1, 31)
    assert case.deadline(D.INITIAL_ASSESSMENT).explain() == (  # type: ignore[union-attr]
        "received 31 Jan 2025 + 3 months = 30 Apr 2025"
    )


def test_twelve_months_from_29_february_ends_on_28_february() -> None:
    """A leap day plus 12 months is clamped to the end of February of the next year."""
    case = received(utc(2024, 2, 29, 12, 0))
    assert due(case, D.PROCEDURE) == date(2025, 2, 28)
    assert Duration.parse("12mo").added_to(date(2024, 2, 29)) == date(2025, 2, 28)
    assert Duration.parse("1y").added_to(date(2024, 2, 29)) == date(2025, 2, 28)


def test_a_submission_received_late_evening_utc_counts_from_the_local_oslo_date() -> None:
    """2025-03-31T23:30Z is 1 Apr 01:30 in Oslo: received_on and every basis are 1 Apr 2025."""
    case = received(utc(2025, 3, 31, 23, 30))
    assert case.received_on == date(2025, 4, 1)
    assert {d.basis_on for d in case.deadlines} == {date(2025, 4, 1)}
    assert due(case, D.ACKNOWLEDGEMENT) == date(2025, 4, 15)
    assert due(case, D.INITIAL_ASSESSMENT) == date(2025, 7, 1)
    assert case.deadline(D.ACKNOWLEDGEMENT).explain() == (  # type: ignore[union-attr]
        "received 1 Apr 2025 + 14 days = 15 Apr 2025"
    )


@pytest.mark.parametrize("state", list(State))
def test_the_lifecycle_table_opens_exactly_the_deadlines_of_each_stage(state: State) -> None:
    """The procedure's open_deadlines agrees with the stage-by-stage list written from DOMAIN.md;
    a deadline counted from a fact (coordination, from `coordination_begun`) runs only once the
    fact is recorded, in the states it is open in."""
    assert _unprompted(state) == EXPECTED_OPEN[state]
    coordinated = {S.RECEIVED, S.INITIAL_ASSESSMENT}
    assert (D.COORDINATION in OECD.open_deadlines(state)) == (state in coordinated)


def _unprompted(state: str) -> set[str]:
    """The deadlines open in `state` that run without a fact."""
    return {n for n in OECD.open_deadlines(state) if OECD.deadlines[n].fact is None}


@pytest.mark.parametrize("walk", WALKS, ids=lambda w: "-".join(t.value for t, _ in w))
def test_each_open_stage_has_exactly_its_own_deadlines_open(
    walk: tuple[tuple[Trigger, Outcome | None], ...],
) -> None:
    """After every step, the open deadlines are exactly those of the state reached."""
    case = received(utc(2025, 1, 31, 9, 0))
    at = case.received_at
    assert {d.name for d in case.open_deadlines} == EXPECTED_OPEN[case.state]
    for trigger, outcome in walk:
        at += timedelta(days=10)
        case = step(case, trigger, at, outcome)
        assert {d.name for d in case.open_deadlines} == EXPECTED_OPEN[case.state]
        assert {d.name for d in case.open_deadlines} == _unprompted(case.state)
        for deadline in case.deadlines:
            if not deadline.is_open:
                assert deadline.met_on is not None
                assert deadline.met_on <= OSLO.local_date(at)
    assert len({d.name for d in case.deadlines}) == len(case.deadlines)  # each started once


def test_good_offices_are_counted_from_acceptance() -> None:
    """The good offices deadline starts on the local date of the accept step: + 6 months."""
    case = received(utc(2025, 1, 31, 9, 0))
    case = step(case, T.BEGIN_ASSESSMENT, utc(2025, 2, 3, 9, 0))
    case = step(case, T.ACCEPT, utc(2025, 3, 10, 23, 15))  # 11 Mar 00:15 in Oslo
    deadline = case.deadline(D.GOOD_OFFICES)
    assert deadline is not None
    assert deadline.basis_on == date(2025, 3, 11)
    assert deadline.due == date(2025, 9, 11)
    assert deadline.explain() == "accepted 11 Mar 2025 + 6 months = 11 Sep 2025"
    assert due(case, D.PROCEDURE) == date(2026, 1, 31)  # still counted from receipt


@pytest.mark.parametrize(
    ("path", "label"),
    [
        (((T.BEGIN_ASSESSMENT, None), (T.REJECT, None)), "not accepted"),
        (((T.BEGIN_ASSESSMENT, None), (T.ACCEPT, None), (T.CONCLUDE, Outcome.AGREEMENT)), "concluded"),
        (((T.WITHDRAW, None),), "withdrawn"),
    ],
)
def test_the_final_statement_is_counted_from_the_step_that_ended_the_stage(
    path: tuple[tuple[Trigger, Outcome | None], ...], label: str
) -> None:
    """final_statement runs 3 months from the conclude / reject / withdraw step, named so."""
    case = received(utc(2025, 1, 31, 9, 0))
    at = case.received_at
    for trigger, outcome in path:
        at += timedelta(days=14)
        case = step(case, trigger, at, outcome)
    deadline = case.deadline(D.FINAL_STATEMENT)
    assert deadline is not None
    ended = OSLO.local_date(at)
    assert deadline.basis_on == ended
    assert deadline.due == Duration(months=3).added_to(ended)
    assert deadline.explain().startswith(f"{label} {ended.day} {ended:%b %Y} + 3 months = ")


def test_a_deadline_is_open_until_its_day_then_overdue_and_met_once_the_stage_ends() -> None:
    """Status is open up to the due date, overdue after it, and met (with lateness) once done."""
    case = received(utc(2025, 1, 31, 9, 0))
    acknowledgement = case.deadline(D.ACKNOWLEDGEMENT)
    assert acknowledgement is not None
    assert acknowledgement.status(date(2025, 2, 1)) is DeadlineStatus.OPEN
    assert acknowledgement.status(date(2025, 2, 14)) is DeadlineStatus.OPEN
    assert acknowledgement.status(date(2025, 2, 15)) is DeadlineStatus.OVERDUE
    later = step(case, T.BEGIN_ASSESSMENT, utc(2025, 2, 20, 9, 0))
    met = later.deadline(D.ACKNOWLEDGEMENT)
    assert met is not None
    assert not met.is_open
    assert met.met_on == date(2025, 2, 20)
    assert met.status(date(2025, 12, 31)) is DeadlineStatus.MET
    assert met.explain().endswith("; met 20 Feb 2025 (6 days late)")
    a_day_late = step(case, T.BEGIN_ASSESSMENT, utc(2025, 2, 15, 9, 0)).deadline(D.ACKNOWLEDGEMENT)
    assert a_day_late is not None
    assert a_day_late.explain().endswith("; met 15 Feb 2025 (1 day late)")
    on_time = step(case, T.BEGIN_ASSESSMENT, utc(2025, 2, 14, 9, 0)).deadline(D.ACKNOWLEDGEMENT)
    assert on_time is not None
    assert on_time.explain().endswith("; met 14 Feb 2025 (in time)")


def make_deadline(
    basis: date,
    duration: str,
    *,
    calendar: CalendarRule = OSLO,
    pauses: tuple[PausedSpan, ...] = (),
    extensions: tuple[Extension, ...] = (),
) -> Deadline:
    return Deadline(
        name=D.INITIAL_ASSESSMENT,
        basis_on=basis,
        basis_label="received",
        duration=Duration.parse(duration),
        calendar=calendar,
        started_at=calendar.start_of_day(basis),
        pauses=pauses,
        extensions=extensions,
    )


def test_paused_days_and_an_extension_move_the_due_date_and_are_explained() -> None:
    """31 Jan + 3 months = 30 Apr, + 12 paused days (10 to 22 Feb) = 12 May, + 10 days = 22 May."""
    pause = PausedSpan(date(2025, 2, 10), date(2025, 2, 22), "parallel proceedings")
    assert pause.days == 12
    paused = make_deadline(date(2025, 1, 31), "3mo", pauses=(pause,))
    assert paused.due == date(2025, 5, 12)
    extended = make_deadline(
        date(2025, 1, 31),
        "3mo",
        pauses=(pause,),
        extensions=(Extension(Duration.parse("10d"), "translation awaited", "chair"),),
    )
    assert extended.due == date(2025, 5, 22)
    assert extended.explain() == (
        "received 31 Jan 2025 + 3 months = 30 Apr 2025"
        ", + 12 days paused (parallel proceedings, 10 Feb 2025–22 Feb 2025) = 12 May 2025"
        ", + 10 days extended (translation awaited; approved by chair) = 22 May 2025"
    )


def test_several_pauses_and_extensions_add_up() -> None:
    """Two pauses (5 + 3 days) and two extensions (1 month, then 2 weeks) accumulate in order."""
    pauses = (
        PausedSpan(date(2025, 2, 1), date(2025, 2, 6), "information awaited"),
        PausedSpan(date(2025, 3, 1), date(2025, 3, 4), "party's request"),
    )
    extensions = (
        Extension(Duration.parse("1mo"), "complex case", "chair"),
        Extension(Duration.parse("2w"), "holidays", "chair"),
    )
    deadline = make_deadline(date(2025, 1, 31), "3mo", pauses=pauses, extensions=extensions)
    # 30 Apr + 8 days = 8 May; + 1 month = 8 Jun; + 14 days = 22 Jun.
    assert deadline.due == date(2025, 6, 22)
    assert deadline.explain().endswith("= 22 Jun 2025")
    assert (deadline.explain().count("paused"), deadline.explain().count("extended")) == (2, 2)


ROLLING = CalendarRule("Europe/Oslo", roll_to_working_day=True, holiday_country="NO")


@pytest.mark.parametrize(
    ("day", "rolled"),
    [
        (date(2025, 3, 15), date(2025, 3, 17)),  # Saturday -> Monday
        (date(2025, 3, 16), date(2025, 3, 17)),  # Sunday -> Monday
        (date(2025, 5, 17), date(2025, 5, 19)),  # Constitution Day on a Saturday -> Monday
        (date(2024, 5, 17), date(2024, 5, 21)),  # Fri 17 May, weekend, Whit Monday -> Tuesday
        (date(2025, 12, 25), date(2025, 12, 29)),  # Christmas Day, Boxing Day, weekend -> Monday
        (date(2025, 3, 18), date(2025, 3, 18)),  # an ordinary Tuesday stays
    ],
)
def test_a_due_date_on_a_day_off_rolls_to_the_next_norwegian_working_day(day: date, rolled: date) -> None:
    """With roll_to_working_day and holiday_country NO, weekends and holidays are skipped."""
    assert ROLLING.roll(day) == rolled
    assert OSLO.roll(day) == day  # rolling is off by default
    weekends_only = CalendarRule("Europe/Oslo", roll_to_working_day=True)
    assert weekends_only.roll(date(2024, 5, 17)) == date(2024, 5, 17)


def test_a_rolled_due_date_is_explained() -> None:
    """17 Feb 2024 + 3 months = Friday 17 May (a holiday), rolled past Whit Monday to 21 May."""
    deadline = make_deadline(date(2024, 2, 17), "3mo", calendar=ROLLING)
    assert deadline.unrolled_due == date(2024, 5, 17)
    assert deadline.due == date(2024, 5, 21)
    assert deadline.explain() == (
        "received 17 Feb 2024 + 3 months = 17 May 2024, rolled to the next working day = 21 May 2024"
    )


def oslo_offset(instant: datetime) -> timedelta:
    """Independent oracle: EU summer time runs from 01:00 UTC on the last Sunday of March
    to 01:00 UTC on the last Sunday of October; Oslo is UTC+2 then and UTC+1 otherwise."""

    def last_sunday(year: int, month: int) -> datetime:
        day = date(year, month, 31)
        day -= timedelta(days=(day.weekday() - 6) % 7)
        return datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)

    summer = last_sunday(instant.year, 3) <= instant < last_sunday(instant.year, 10)
    return timedelta(hours=2 if summer else 1)


# Instants packed around the DST changes of 2024 to 2026, plus anywhere in those years.
_DST_CHANGES = [
    datetime(2024, 3, 31, 1),
    datetime(2024, 10, 27, 1),
    datetime(2025, 3, 30, 1),
    datetime(2025, 10, 26, 1),
    datetime(2026, 3, 29, 1),
    datetime(2026, 10, 25, 1),
]
instants = st.one_of(
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)),
    st.builds(
        lambda change, minutes: (change + timedelta(minutes=minutes)).replace(tzinfo=UTC),
        st.sampled_from(_DST_CHANGES),
        st.integers(-36 * 60, 36 * 60),
    ),
)


@given(instant=instants, duration=st.sampled_from(["14d", "2w", "3mo", "6mo", "12mo"]))
def test_dst_changes_in_oslo_move_no_due_date(instant: datetime, duration: str) -> None:
    """A deadline started at any instant is due `duration` after its Oslo date, DST or not."""
    local_day = (instant + oslo_offset(instant)).date()
    assert OSLO.local_date(instant) == local_day
    deadline = make_deadline(OSLO.local_date(instant), duration)
    assert deadline.due == Duration.parse(duration).added_to(local_day)
    # Starting at the first or the last instant of that local day gives the same due date.
    first = OSLO.start_of_day(local_day)
    last = OSLO.start_of_day(local_day + timedelta(days=1)) - timedelta(microseconds=1)
    assert OSLO.local_date(first) == OSLO.local_date(last) == local_day
    assert first <= instant <= last


@pytest.mark.parametrize("day", [date(2025, 3, 30), date(2025, 10, 26)])
def test_a_case_received_on_a_dst_day_is_due_on_the_same_dates_whatever_the_hour(day: date) -> None:
    """Received at 00:00 or 23:59 local on a 23- or 25-hour day: the same due dates."""
    start = OSLO.start_of_day(day)
    end = OSLO.start_of_day(day + timedelta(days=1)) - timedelta(minutes=1)
    assert end - start != timedelta(hours=24) - timedelta(minutes=1)  # really a DST day
    early, late = received(start), received(end)
    assert [(d.name, d.due) for d in early.deadlines] == [(d.name, d.due) for d in late.deadlines]
    assert due(early, D.ACKNOWLEDGEMENT) == day + timedelta(days=14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14d", Duration(days=14)),
        ("2w", Duration(days=14)),
        ("3mo", Duration(months=3)),
        ("1y", Duration(months=12)),
        (" 12mo ", Duration(months=12)),
    ],
)
def test_duration_parse_accepts_days_weeks_months_and_years(text: str, expected: Duration) -> None:
    """Duration.parse reads d, w, mo and y."""
    assert Duration.parse(text) == expected


@pytest.mark.parametrize("text", ["3 months", "", "-1d", "1h", "mo", "3", "1.5mo", "3m"])
def test_duration_parse_rejects_anything_else_with_a_clear_message(text: str) -> None:
    """Other spellings raise InvalidInputError that quotes the text and the units."""
    with pytest.raises(InvalidInputError, match="is not a duration") as caught:
        Duration.parse(text)
    assert f"'{text}'" in str(caught.value)
