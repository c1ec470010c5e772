"""Stopping the clock and extending deadlines, pure: pause, resume, extend, and what they refuse."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from states.calendar import CalendarRule
from states.case import Case, Party, PartyRole, Policy, advance, open_case
from states.deadlines import DeadlineStatus
from states.durations import Duration
from states.errors import InvalidInputError, StepRefusedError
from states.lifecycle import DeadlineName, Outcome, Trigger
from states.pausing import extend, pause, resume
from tests.helpers import OECD

D, T = DeadlineName, Trigger
OSLO = CalendarRule("Europe/Oslo")
ROLLING = CalendarRule("Europe/Oslo", roll_to_working_day=True, holiday_country="NO")
OSLO_ZONE = ZoneInfo("Europe/Oslo")

TIMELINES = {
    D.ACKNOWLEDGEMENT: "14d",
    D.INITIAL_ASSESSMENT: "3mo",
    D.GOOD_OFFICES: "6mo",
    D.EXAMINATION: "3mo",
    D.FINAL_STATEMENT: "3mo",
    D.PROCEDURE: "12mo",
    D.FOLLOW_UP: "12mo",
}

# One walk through every stage, ending closed.
WALK: tuple[tuple[Trigger, Outcome | None], ...] = (
    (T.BEGIN_ASSESSMENT, None),
    (T.ACCEPT, None),
    (T.EXAMINE, Outcome.NO_AGREEMENT),
    (T.CONCLUDE, Outcome.DETERMINATION),
    (T.PUBLISH, None),
    (T.CLOSE, None),
)


def policy(calendar: CalendarRule = OSLO) -> Policy:
    return Policy(
        timelines={n: Duration.parse(t) for n, t in TIMELINES.items()}, calendar=calendar, procedure=OECD
    )


def oslo(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A wall-clock time in Oslo, as the UTC instant the core works with."""
    return datetime.combine(day, time(hour, minute), tzinfo=OSLO_ZONE).astimezone(UTC)


def received(on: date = date(2025, 1, 31), calendar: CalendarRule = OSLO) -> Case:
    at = oslo(on)
    parties = (
        Party(PartyRole.SUBMITTER, "Naturvernforbundet"),
        Party(PartyRole.ENTERPRISE, "Havbruk Seafood ASA"),
    )
    case, _ = open_case(
        reference="NCP-2025-001",
        title="Fish farm discharges",
        parties=parties,
        received_at=at,
        opened_at=at,
        actor="sek",
        policy=policy(calendar),
    )
    return case


def step(case: Case, trigger: Trigger, at: datetime, outcome: Outcome | None = None) -> Case:
    new, _ = advance(
        case,
        trigger=trigger,
        actor="sek",
        reason="next step",
        at=at,
        policy=policy(case.calendar),
        outcome=outcome,
    )
    return new


def paused(case: Case, on: date, reason: str = "parallel proceedings") -> Case:
    new, _ = pause(case, actor="sek", reason=reason, at=oslo(on), requested_by="Havbruk")
    return new


def resumed(case: Case, on: date) -> Case:
    new, _ = resume(case, actor="chair", at=oslo(on))
    return new


def due(case: Case, name: DeadlineName) -> date:
    deadline = case.deadline(name)
    assert deadline is not None, f"{name} was never started"
    return deadline.due


def in_assessment() -> Case:
    """Received 31 Jan 2025, assessment begun 3 Feb: the issue's acceptance example."""
    return step(received(), T.BEGIN_ASSESSMENT, oslo(date(2025, 2, 3)))


def test_the_acceptance_example_pauses_twelve_days_then_extends_ten() -> None:
    """Paused 10-22 Feb: due 12 May, explained with the days and reason; + 10 days: 22 May."""
    case = resumed(paused(in_assessment(), date(2025, 2, 10)), date(2025, 2, 22))
    assessment = case.deadline(D.INITIAL_ASSESSMENT)
    assert assessment is not None
    assert assessment.due == date(2025, 5, 12)
    assert assessment.explain() == (
        "received 31 Jan 2025 + 3 months = 30 Apr 2025"
        ", + 12 days paused (parallel proceedings, 10 Feb 2025–22 Feb 2025) = 12 May 2025"
    )
    extended, event = extend(
        case,
        deadline=D.INITIAL_ASSESSMENT,
        amount=Duration(days=10),
        actor="chair",
        reason="translation awaited",
        at=oslo(date(2025, 2, 24)),
    )
    assert due(extended, D.INITIAL_ASSESSMENT) == date(2025, 5, 22)
    assert (event.moved.before, event.moved.after) == (date(2025, 5, 12), date(2025, 5, 22))
    assert event.amount == "10d"
    assert (
        extended.deadline(D.INITIAL_ASSESSMENT)
        .explain()
        .endswith(  # type: ignore[union-attr]
            ", + 10 days extended (translation awaited; approved by chair) = 22 May 2025"
        )
    )
    assert due(extended, D.PROCEDURE) == date(2026, 2, 12)  # paused too, but not extended


def test_resuming_moves_every_open_deadline_and_leaves_met_ones_alone() -> None:
    """The acknowledgement, met on 3 Feb, keeps 14 Feb; assessment and procedure move 12 days."""
    case = paused(in_assessment(), date(2025, 2, 10))
    new, event = resume(case, actor="chair", at=oslo(date(2025, 2, 22)))
    assert event.paused_days == 12
    assert {(m.name, m.before, m.after) for m in event.moved} == {
        (D.INITIAL_ASSESSMENT, date(2025, 4, 30), date(2025, 5, 12)),
        (D.PROCEDURE, date(2026, 1, 31), date(2026, 2, 12)),
    }
    acknowledgement = new.deadline(D.ACKNOWLEDGEMENT)
    assert acknowledgement is not None
    assert (acknowledgement.due, acknowledgement.pauses) == (date(2025, 2, 14), ())
    assert new.pauses[0].ended_by == "chair" and not new.paused


def test_a_paused_case_records_who_asked_and_why_and_cannot_fall_overdue() -> None:
    """While paused the deadlines are open whatever the date, and say since when they wait."""
    case, event = pause(
        in_assessment(),
        actor="sek",
        reason="translation awaited",
        at=oslo(date(2025, 2, 10)),
        requested_by="Naturvernforbundet",
    )
    assert (event.actor, event.reason, event.requested_by) == (
        "sek",
        "translation awaited",
        "Naturvernforbundet",
    )
    assert case.paused and case.open_pause is not None
    assert case.open_pause.requested_by == "Naturvernforbundet"
    assessment = case.deadline(D.INITIAL_ASSESSMENT)
    assert assessment is not None
    assert assessment.due == date(2025, 4, 30)  # unchanged until the clock restarts
    assert assessment.paused_since == date(2025, 2, 10)
    assert assessment.status(date(2025, 12, 31)) is DeadlineStatus.OPEN
    assert assessment.explain().endswith(
        "; paused since 10 Feb 2025: the due date moves on by the paused days when the case resumes"
    )
    back = resumed(case, date(2025, 2, 22)).deadline(D.INITIAL_ASSESSMENT)
    assert back is not None
    assert back.status(date(2025, 12, 31)) is DeadlineStatus.OVERDUE
    assert back.paused_since is None


def test_an_overdue_deadline_can_be_extended_and_is_open_again() -> None:
    """Due 30 Apr, extended on 2 Jun by 2 months: due 30 Jun, open on 2 Jun."""
    case = in_assessment()
    assert (
        case.deadline(D.INITIAL_ASSESSMENT).status(  # type: ignore[union-attr]
            date(2025, 6, 2)
        )
        is DeadlineStatus.OVERDUE
    )
    extended, _ = extend(
        case,
        deadline=D.INITIAL_ASSESSMENT,
        amount=Duration(months=2),
        actor="chair",
        reason="complex case",
        at=oslo(date(2025, 6, 2)),
    )
    assessment = extended.deadline(D.INITIAL_ASSESSMENT)
    assert assessment is not None
    assert assessment.due == date(2025, 6, 30)
    assert assessment.status(date(2025, 6, 2)) is DeadlineStatus.OPEN
    assert assessment.extensions[0].approved_by == "chair"


def test_a_pause_within_one_local_day_adds_no_days() -> None:
    """Paused at 09:00 and resumed at 23:59 the same Oslo day: nothing moves, nothing explained."""
    case = in_assessment()
    stopped, _ = pause(case, actor="sek", reason="r", at=oslo(date(2025, 2, 10), 0, 0))
    back, event = resume(stopped, actor="sek", at=oslo(date(2025, 2, 10), 23, 59))
    assert (event.paused_days, event.moved) == (0, ())
    assert {d.name: d.due for d in back.deadlines} == {d.name: d.due for d in case.deadlines}
    assert "paused" not in back.deadline(D.INITIAL_ASSESSMENT).explain()  # type: ignore[union-attr]


def test_several_pauses_add_up_and_each_is_explained_with_its_dates_and_reason() -> None:
    """5 days (information awaited) + 3 days (party's request): assessment due 8 May."""
    case = paused(in_assessment(), date(2025, 2, 10), "information awaited")
    case = resumed(case, date(2025, 2, 15))
    case = paused(case, date(2025, 3, 1), "party's request")
    case = resumed(case, date(2025, 3, 4))
    assessment = case.deadline(D.INITIAL_ASSESSMENT)
    assert assessment is not None
    assert assessment.due == date(2025, 5, 8)
    assert assessment.explain() == (
        "received 31 Jan 2025 + 3 months = 30 Apr 2025"
        ", + 5 days paused (information awaited, 10 Feb 2025–15 Feb 2025) = 5 May 2025"
        ", + 3 days paused (party's request, 1 Mar 2025–4 Mar 2025) = 8 May 2025"
    )


def test_a_deadline_started_after_a_pause_does_not_count_it() -> None:
    """Good offices start on acceptance after the pause: 6 months, no paused days."""
    case = resumed(paused(in_assessment(), date(2025, 2, 10)), date(2025, 2, 22))
    case = step(case, T.ACCEPT, oslo(date(2025, 3, 3)))
    offices = case.deadline(D.GOOD_OFFICES)
    assert offices is not None
    assert (offices.due, offices.pauses) == (date(2025, 9, 3), ())
    met = case.deadline(D.INITIAL_ASSESSMENT)
    assert met is not None and met.due == date(2025, 5, 12)  # keeps the pause it lived through


def test_a_paused_due_date_rolls_off_a_holiday_to_the_next_working_day() -> None:
    """With the roll on: 30 Apr + 17 paused days = Sat 17 May (Constitution Day) -> Mon 19 May."""
    case = step(received(calendar=ROLLING), T.BEGIN_ASSESSMENT, oslo(date(2025, 2, 3)))
    case = resumed(paused(case, date(2025, 2, 10)), date(2025, 2, 27))
    assessment = case.deadline(D.INITIAL_ASSESSMENT)
    assert assessment is not None
    assert (assessment.unrolled_due, assessment.due) == (date(2025, 5, 17), date(2025, 5, 19))
    assert assessment.explain().endswith("= 17 May 2025, rolled to the next working day = 19 May 2025")


@pytest.mark.parametrize(("country", "rolled"), [("NO", date(2025, 6, 6)), ("SE", date(2025, 6, 9))])
def test_the_holiday_country_decides_which_days_a_due_date_rolls_off(country: str, rolled: date) -> None:
    """30 Apr + 37 paused days = Fri 6 Jun: a working day in Norway, Sweden's national day."""
    calendar = CalendarRule("Europe/Oslo", roll_to_working_day=True, holiday_country=country)
    case = step(received(calendar=calendar), T.BEGIN_ASSESSMENT, oslo(date(2025, 2, 3)))
    case = resumed(paused(case, date(2025, 2, 10)), date(2025, 3, 19))
    assert due(case, D.INITIAL_ASSESSMENT) == rolled


# -- refusals: a clear message, and the case as it was --------------------------------------


def closed() -> Case:
    case, at = received(), oslo(date(2025, 1, 31))
    for trigger, outcome in WALK:
        at += timedelta(days=20)
        case = step(case, trigger, at, outcome)
    return case


def test_a_closed_case_cannot_be_paused() -> None:
    with pytest.raises(StepRefusedError, match="a closed case has no clock to pause"):
        pause(closed(), actor="sek", reason="r", at=oslo(date(2025, 12, 1)))


def test_a_paused_case_cannot_be_paused_again() -> None:
    """The message says since when and why it is paused."""
    case = paused(in_assessment(), date(2025, 2, 10))
    with pytest.raises(
        StepRefusedError,
        match=r"already paused since 10 Feb 2025 "
        r"\(parallel proceedings\)",
    ):
        pause(case, actor="sek", reason="again", at=oslo(date(2025, 2, 12)))


def test_a_running_case_cannot_be_resumed() -> None:
    with pytest.raises(StepRefusedError, match="the case is not paused; there is nothing to resume"):
        resume(in_assessment(), actor="sek", at=oslo(date(2025, 2, 12)))


def test_a_paused_case_cannot_be_advanced_until_resumed() -> None:
    """advance names the pause and says to resume first."""
    case = paused(in_assessment(), date(2025, 2, 10))
    with pytest.raises(StepRefusedError) as caught:
        step(case, T.ACCEPT, oslo(date(2025, 2, 12)))
    assert str(caught.value) == (
        "case NCP-2025-001 in state 'initial_assessment': the case is paused since "
        "10 Feb 2025 (parallel proceedings); resume it before 'accept'"
    )
    going = step(resumed(case, date(2025, 2, 12)), T.ACCEPT, oslo(date(2025, 2, 13)))
    assert going.state == "good_offices"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        (D.GOOD_OFFICES, "deadline 'good_offices' has not started; open now: initial_assessment, procedure"),
        (
            D.ACKNOWLEDGEMENT,
            "deadline 'acknowledgement' was met on 2025-02-03; only an open deadline can be extended",
        ),
    ],
)
def test_only_an_open_deadline_can_be_extended(name: DeadlineName, problem: str) -> None:
    with pytest.raises(StepRefusedError) as caught:
        extend(
            in_assessment(),
            deadline=name,
            amount=Duration(days=5),
            actor="chair",
            reason="r",
            at=oslo(date(2025, 2, 12)),
        )
    assert str(caught.value) == f"case NCP-2025-001 in state 'initial_assessment': {problem}"


@pytest.mark.parametrize("amount", [Duration(), Duration(days=-3), Duration(months=-1)])
def test_an_extension_must_be_positive(amount: Duration) -> None:
    with pytest.raises(InvalidInputError, match="must be a positive number of days or months"):
        extend(
            in_assessment(),
            deadline=D.INITIAL_ASSESSMENT,
            amount=amount,
            actor="chair",
            reason="r",
            at=oslo(date(2025, 2, 12)),
        )


def test_blank_actor_or_reason_is_refused() -> None:
    case = in_assessment()
    at = oslo(date(2025, 2, 12))
    with pytest.raises(InvalidInputError, match=r"an actor \(actor\) is required"):
        pause(case, actor=" ", reason="r", at=at)
    with pytest.raises(InvalidInputError, match=r"a reason \(reason\) is required"):
        pause(case, actor="sek", reason="", at=at)
    with pytest.raises(InvalidInputError, match=r"a reason \(reason\) is required"):
        extend(
            case, deadline=D.INITIAL_ASSESSMENT, amount=Duration(days=1), actor="chair", reason="  ", at=at
        )


def test_a_clock_step_before_the_last_recorded_step_is_refused() -> None:
    """Steps are recorded in order: a pause dated before the assessment began is refused."""
    with pytest.raises(InvalidInputError, match="before its last recorded step"):
        pause(in_assessment(), actor="sek", reason="r", at=oslo(date(2025, 2, 1)))


def test_an_extension_leaves_the_case_where_it_stands_in_time() -> None:
    """Extended on 1 May, the case may still be accepted as of 1 April: its last step is 3 Feb."""
    case = in_assessment()

    def ten_days(on: date) -> Case:
        amount = Duration(days=10)
        return extend(case, deadline=D.INITIAL_ASSESSMENT, amount=amount, actor="c", reason="r", at=oslo(on))[
            0
        ]

    extended = ten_days(date(2025, 5, 1))
    assert extended.last_event_at == case.last_event_at
    accepted = step(extended, T.ACCEPT, oslo(date(2025, 4, 1)))
    assert accepted.deadline(D.INITIAL_ASSESSMENT).met_on == date(2025, 4, 1)  # type: ignore[union-attr]
    with pytest.raises(InvalidInputError, match="before its last recorded step"):
        ten_days(date(2025, 2, 1))


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["toggle", "extend", "advance"]),
        st.integers(min_value=1, max_value=24 * 45),  # hours since the previous step
        st.integers(min_value=0, max_value=6),  # which open deadline to extend
        st.booleans(),  # months rather than days
        st.integers(min_value=1, max_value=60),  # how many
    ),
    max_size=20,
)


@settings(max_examples=200, deadline=None)
@given(
    ops=OPERATIONS,
    calendar=st.sampled_from([OSLO, ROLLING]),
    received_on=st.dates(date(2024, 1, 1), date(2026, 12, 31)),
)
def test_due_is_basis_plus_duration_plus_paused_days_plus_extensions_and_never_earlier(
    ops: list[tuple[str, int, int, bool, int]], calendar: CalendarRule, received_on: date
) -> None:
    """Random pause/resume/extend/advance sequences against a model counting local days."""
    case = received(received_on, calendar)
    at = case.received_at
    walk = iter(WALK)
    paused_days: dict[DeadlineName, int] = defaultdict(int)
    spans: dict[DeadlineName, int] = defaultdict(int)
    extensions: dict[DeadlineName, list[Duration]] = defaultdict(list)
    pause_started: datetime | None = None
    for kind, hours, pick, in_months, amount in ops:
        at += timedelta(hours=hours)
        before = {d.name: d.due for d in case.deadlines}
        if kind == "toggle" and case.is_terminal:
            with pytest.raises(StepRefusedError):
                pause(case, actor="sek", reason="r", at=at)
            continue
        if kind == "toggle" and pause_started is None:
            case, _ = pause(case, actor="sek", reason="r", at=at)
            pause_started = at
        elif kind == "toggle":
            assert pause_started is not None
            case, event = resume(case, actor="sek", at=at)
            days = (calendar.local_date(at) - calendar.local_date(pause_started)).days
            assert event.paused_days == days
            for deadline in case.open_deadlines:
                paused_days[deadline.name] += days
                spans[deadline.name] += days > 0
            pause_started = None
        elif kind == "extend":
            if not case.open_deadlines:
                continue
            target = case.open_deadlines[pick % len(case.open_deadlines)]
            extra = Duration(months=amount % 12 + 1) if in_months else Duration(days=amount)
            case, _ = extend(
                case, deadline=target.name, amount=extra, actor="chair", reason="more time", at=at
            )
            extensions[target.name].append(extra)
        else:
            following = None if case.paused else next(walk, None)
            if case.paused:
                with pytest.raises(StepRefusedError, match="resume it before"):
                    step(case, T.ACCEPT, at)
            elif following is not None:
                case = step(case, following[0], at, following[1])
        assert case.paused == (pause_started is not None)
        for deadline in case.deadlines:
            plain = deadline.duration.added_to(deadline.basis_on)
            expected = plain + timedelta(days=paused_days[deadline.name])
            for extra in extensions[deadline.name]:
                expected = extra.added_to(expected)
            assert deadline.unrolled_due == expected
            assert deadline.due == calendar.roll(expected)
            assert deadline.due >= calendar.roll(plain)
            assert deadline.due >= before.get(deadline.name, deadline.due)
            explanation = deadline.explain()
            assert explanation.count(" paused (") == spans[deadline.name]
            assert explanation.count("extended (more time; approved by chair)") == len(
                extensions[deadline.name]
            )
            if case.paused and deadline.is_open:
                assert deadline.status(date(2100, 1, 1)) is DeadlineStatus.OPEN
                assert deadline.paused_since == calendar.local_date(pause_started)  # type: ignore[arg-type]
            if calendar.roll_to_working_day:
                assert deadline.due.weekday() < 5


# Daylight saving time in Oslo began 30 Mar 2025 and ends 26 Oct 2025 (and 29 Mar 2026).
DST_CHANGES = (date(2025, 3, 30), date(2025, 10, 26), date(2026, 3, 29))


@settings(max_examples=300, deadline=None)
@given(
    change=st.sampled_from(DST_CHANGES),
    offset=st.integers(min_value=-3, max_value=1),
    length=st.integers(min_value=0, max_value=6),
    start=st.tuples(st.integers(0, 23), st.integers(0, 59)),
    end=st.tuples(st.integers(0, 23), st.integers(0, 59)),
)
def test_a_pause_across_a_daylight_saving_change_moves_due_dates_by_local_days_only(
    change: date, offset: int, length: int, start: tuple[int, int], end: tuple[int, int]
) -> None:
    """Whatever the wall-clock times, and a 23- or 25-hour day inside: exactly the local days."""
    first, last = change + timedelta(days=offset), change + timedelta(days=offset + length)
    case = received(date(2025, 1, 31) if change.year == 2025 else date(2026, 1, 5))
    stop_at, go_at = oslo(first, *start), oslo(last, *end)
    assume(go_at > stop_at)
    assert OSLO.local_date(stop_at) == first and OSLO.local_date(go_at) == last
    stopped, _ = pause(case, actor="sek", reason="r", at=stop_at)
    back, event = resume(stopped, actor="sek", at=go_at)
    assert event.paused_days == length
    for before, after in zip(case.deadlines, back.deadlines, strict=True):
        assert (after.due - before.due).days == length
    at_noon = resume(
        pause(case, actor="sek", reason="r", at=oslo(first, 12))[0], actor="sek", at=oslo(last, 12, 1)
    )[0]
    assert [d.due for d in back.deadlines] == [d.due for d in at_noon.deadlines]
