"""The alert ladder, pure: reminders before, the due day, overdue repeats, escalation; catch-up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from states.alerts import AlertPolicy, Rung, RungKind, horizon, ladder, rungs_to_fire
from states.durations import Duration

POLICY = AlertPolicy(
    before=(Duration(days=30), Duration(days=7)),
    overdue_every=Duration(days=7),
    escalate_after=Duration(days=30),
)
DUE = date(2025, 6, 3)


def keys(rungs: list[Rung]) -> list[str]:
    return [r.key for r in rungs]


def fire(
    today: date, fired: set[str] | None = None, *, due: date = DUE, policy: AlertPolicy = POLICY
) -> list[str]:
    return keys(rungs_to_fire(due, policy, today=today, fired=frozenset(fired or set())))


def test_the_ladder_runs_reminders_due_overdue_then_escalation_in_date_order() -> None:
    """Each rung has a key, a kind and a day; the escalation sits among the overdue repeats."""
    rungs = ladder(DUE, POLICY, until=DUE + timedelta(days=35))
    assert [(r.key, r.kind, r.on) for r in rungs] == [
        ("before-30d", RungKind.REMINDER, date(2025, 5, 4)),
        ("before-7d", RungKind.REMINDER, date(2025, 5, 27)),
        ("due", RungKind.DUE, date(2025, 6, 3)),
        ("overdue-1", RungKind.OVERDUE, date(2025, 6, 10)),
        ("overdue-2", RungKind.OVERDUE, date(2025, 6, 17)),
        ("overdue-3", RungKind.OVERDUE, date(2025, 6, 24)),
        ("overdue-4", RungKind.OVERDUE, date(2025, 7, 1)),
        ("escalation", RungKind.ESCALATION, date(2025, 7, 3)),
        ("overdue-5", RungKind.OVERDUE, date(2025, 7, 8)),
    ]


def test_the_ladder_stops_at_until() -> None:
    assert keys(ladder(DUE, POLICY, until=date(2025, 5, 3))) == []
    assert keys(ladder(DUE, POLICY, until=DUE)) == ["before-30d", "before-7d", "due"]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 5, 3), []),  # before the first reminder
        (date(2025, 5, 4), ["before-30d"]),
        (date(2025, 5, 26), ["before-30d"]),  # still the latest rung reached
        (date(2025, 5, 27), ["before-7d"]),  # the 30-day one is skipped
        (date(2025, 6, 3), ["due"]),
        (date(2025, 6, 9), ["due"]),
        (date(2025, 6, 10), ["overdue-1"]),
        (date(2025, 7, 2), ["overdue-4"]),
        (date(2025, 7, 3), ["overdue-4", "escalation"]),
        (date(2025, 9, 11), ["overdue-14", "escalation"]),  # 100 days late: no flood
        (date(2027, 6, 3), ["overdue-104", "escalation"]),  # two years of downtime
    ],
    ids=str,
)
def test_a_first_sweep_fires_only_the_latest_rung_reached_and_the_escalation(
    today: date, expected: list[str]
) -> None:
    """Catch-up after downtime: one regular rung (the latest) plus the escalation, never more."""
    assert fire(today) == expected


@pytest.mark.parametrize(
    ("today", "fired", "expected"),
    [
        (date(2025, 5, 26), {"before-30d"}, []),
        (date(2025, 5, 27), {"before-30d"}, ["before-7d"]),
        (date(2025, 7, 4), {"overdue-4", "escalation"}, []),
        (date(2025, 7, 8), {"overdue-4", "escalation"}, ["overdue-5"]),  # escalation never again
        (date(2025, 9, 11), {"due"}, ["overdue-14", "escalation"]),
        (date(2025, 9, 11), {"escalation"}, ["overdue-14"]),
    ],
    # Sorted, so every test process names the cases alike (pytest-xdist compares collections).
    ids=lambda value: str(sorted(value)) if isinstance(value, set) else str(value),
)
def test_rungs_already_fired_are_not_fired_again(today: date, fired: set[str], expected: list[str]) -> None:
    assert fire(today, fired) == expected


def test_a_repeated_sweep_on_the_same_day_fires_nothing() -> None:
    for today in (date(2025, 5, 4), DUE, date(2025, 7, 3), date(2026, 1, 1)):
        first = fire(today)
        assert first
        assert fire(today, set(first)) == []


def test_a_daily_sweep_fires_every_rung_exactly_once_on_its_own_day() -> None:
    """A scheduler that never misses a day sends the whole ladder, each rung once, in order."""
    fired: list[str] = []
    end = DUE + timedelta(days=120)
    day = DUE - timedelta(days=60)
    while day <= end:
        now = fire(day, set(fired))
        assert len(now) <= 2
        for key in now:
            rung = next(r for r in ladder(DUE, POLICY, until=end) if r.key == key)
            assert rung.on == day, (key, rung.on, day)
        fired.extend(now)
        day += timedelta(days=1)
    assert fired == keys(ladder(DUE, POLICY, until=end))
    assert len(set(fired)) == len(fired)
    assert fired.count("escalation") == 1


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=-60, max_value=400), min_size=1, max_size=25))
def test_any_sweep_schedule_fires_each_rung_at_most_once_and_never_floods(offsets: list[int]) -> None:
    """Sweeps at arbitrary, irregular days (downtime included): no rung twice; per sweep at most
    the latest regular rung reached and the escalation; after any sweep the latest rung reached
    and the escalation (once reached) have been sent."""
    fired: set[str] = set()
    for offset in sorted(offsets):
        today = DUE + timedelta(days=offset)
        reached = ladder(DUE, POLICY, until=today)
        regular = [r for r in reached if r.kind is not RungKind.ESCALATION]
        now = rungs_to_fire(DUE, POLICY, today=today, fired=frozenset(fired))
        assert not {r.key for r in now} & fired
        assert len([r for r in now if r.kind is not RungKind.ESCALATION]) <= 1
        assert all(r.on <= today for r in now)
        for rung in now:
            if rung.kind is not RungKind.ESCALATION:
                assert rung == regular[-1]
        fired |= {r.key for r in now}
        if regular:
            assert regular[-1].key in fired
        if today >= DUE + timedelta(days=30):
            assert "escalation" in fired


def test_month_durations_count_from_the_due_date_with_month_end_clamping() -> None:
    """Overdue repeats are due + n months (31 Jan → 28 Feb → 31 Mar), not month after month."""
    policy = AlertPolicy(
        before=(Duration(months=1),), overdue_every=Duration(months=1), escalate_after=Duration(months=2)
    )
    due = date(2025, 1, 31)
    on = {r.key: r.on for r in ladder(due, policy, until=date(2025, 4, 30))}
    assert on == {
        "before-1mo": date(2024, 12, 31),
        "due": due,
        "overdue-1": date(2025, 2, 28),
        "overdue-2": date(2025, 3, 31),
        "escalation": date(2025, 3, 31),
        "overdue-3": date(2025, 4, 30),
    }
    assert fire(date(2025, 3, 31), due=due, policy=policy) == ["overdue-2", "escalation"]


def test_no_overdue_repeats_when_overdue_every_is_zero() -> None:
    policy = AlertPolicy(before=(), overdue_every=Duration(days=0), escalate_after=Duration(days=14))
    assert keys(ladder(DUE, policy, until=DUE + timedelta(days=365))) == ["due", "escalation"]
    assert fire(DUE + timedelta(days=365), policy=policy) == ["due", "escalation"]
    assert fire(DUE + timedelta(days=365), {"due", "escalation"}, policy=policy) == []


def test_an_immediate_escalation_fires_with_the_due_rung() -> None:
    policy = AlertPolicy(
        before=(Duration(days=7),), overdue_every=Duration(days=7), escalate_after=Duration(days=0)
    )
    assert fire(DUE, policy=policy) == ["due", "escalation"]


def test_duplicate_reminder_durations_make_one_rung_each() -> None:
    policy = AlertPolicy(
        before=(Duration(days=7), Duration(days=30), Duration(days=7)),
        overdue_every=Duration(days=7),
        escalate_after=Duration(days=30),
    )
    rungs = ladder(DUE, policy, until=DUE + timedelta(days=200))
    assert keys(rungs)[:2] == ["before-30d", "before-7d"]
    assert len(set(keys(rungs))) == len(rungs)


@pytest.mark.parametrize(
    ("before", "days"),
    [
        ((Duration(days=30), Duration(days=7)), 30),
        ((Duration(months=1), Duration(days=7)), 31),
        ((Duration(months=2),), 62),
        ((), 0),
    ],
    ids=str,
)
def test_the_horizon_reaches_back_to_the_earliest_reminder(before: tuple[Duration, ...], days: int) -> None:
    """The sweep's query looks `horizon` days ahead; no first reminder may fall further out."""
    policy = AlertPolicy(before=before, overdue_every=Duration(days=7), escalate_after=Duration(days=30))
    assert horizon(policy) == days
    for due in (date(2025, 3, 31), date(2025, 1, 31), date(2024, 2, 29), date(2025, 12, 31)):
        first = ladder(due, policy, until=due)[0]
        assert (due - first.on).days <= days


def test_a_reminder_that_would_predate_the_deadline_is_left_out() -> None:
    """A 30-day reminder for a deadline started 14 days before it falls due never fires."""
    started = DUE - timedelta(days=14)
    assert keys(ladder(DUE, POLICY, until=DUE, started=started)) == ["before-7d", "due"]
    assert keys(rungs_to_fire(DUE, POLICY, today=started, fired=frozenset(), started=started)) == []
