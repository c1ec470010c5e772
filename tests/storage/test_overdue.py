"""The SQL "overdue" predicate agrees with `Deadline.status` on generated cases.

`case list --overdue` (`SqlCaseRepository.list(overdue_on=...)`) and the alert sweep's
candidates (`SqlAlertStore.candidates`) filter on the stored `due_on` cache and the open pause;
the core decides with `Deadline.status(today)` from basis, duration, extensions and pauses.
Hypothesis opens cases in several time zones, received at any hour, then pauses, resumes,
extends and advances them at random gaps, and asks both sides about days around the due days.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from states.case import Case
from states.deadlines import DeadlineStatus
from states.errors import NcpflowError
from states.lifecycle import State
from tests.conftest import make_settings
from workflow import cases, pausing
from workflow.bootstrap import Services, bootstrap
from workflow.clock import FixedClock

ZONES = ("Europe/Oslo", "Pacific/Kiritimati", "America/Los_Angeles", "UTC")
TRIGGERS = ("begin_assessment", "accept", "reject", "examine", "conclude", "publish", "close")


@dataclass
class Step:
    kind: str  # pause, resume, extend, advance
    gap: timedelta
    detail: Any


steps = st.builds(
    Step,
    kind=st.sampled_from(["pause", "resume", "extend", "advance"]),
    gap=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=120)),
    detail=st.one_of(st.integers(min_value=1, max_value=60), st.sampled_from(TRIGGERS)),
)
opened = st.tuples(
    st.sampled_from(ZONES),
    st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2026, 1, 31), timezones=st.just(UTC)),
    st.lists(steps, max_size=6),
)


class Site:
    """One database, with a unit of work (and a clock) per time zone of the NCP."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.services: dict[str, Services] = {}

    def for_zone(self, zone: str) -> Services:
        if zone not in self.services:
            self.services[zone] = bootstrap(
                make_settings(self.url, ncp={"timezone": zone}),
                clock=FixedClock(datetime(2025, 1, 1, tzinfo=UTC)),
            )
        return self.services[zone]

    def close(self) -> None:
        for services in self.services.values():
            services.close()


@pytest.fixture
def site(database_url: str) -> Iterator[Site]:
    made = Site(database_url)
    yield made
    made.close()


def _open(site: Site, zone: str, received: datetime, plan: list[Step]) -> None:
    services = site.for_zone(zone)
    clock = services.clock
    assert isinstance(clock, FixedClock)
    now = received
    clock.current = now
    case = cases.open_case(
        uow=services.uow,
        clock=clock,
        policy=services.policy,
        reference_prefix="NCP",
        title="Overdue?",
        actor="test",
        received=received,
        submitters=[cases.PartyInput("Submitter")],
        enterprises=[cases.PartyInput("Enterprise")],
    )
    uow, reference = services.uow, case.reference
    for step in plan:
        now += step.gap
        clock.current = now
        try:  # a step the case does not allow (resume while running...) is refused: skip it
            if step.kind == "pause":
                pausing.pause_case(
                    uow=uow, clock=clock, reference=reference, actor="test", reason="parallel proceedings"
                )
            elif step.kind == "resume":
                pausing.resume_case(uow=uow, clock=clock, reference=reference, actor="test")
            elif step.kind == "extend" and isinstance(step.detail, int):
                opened_now = [d for d in _case(services, reference).deadlines if d.is_open]
                if opened_now:
                    pausing.extend_deadline(
                        uow=uow,
                        clock=clock,
                        reference=reference,
                        deadline=opened_now[step.detail % len(opened_now)].name,
                        actor="test",
                        reason="more time",
                        days=step.detail,
                    )
            elif step.kind == "advance" and isinstance(step.detail, str):
                cases.advance(
                    uow=uow,
                    clock=clock,
                    policy=services.policy,
                    reference=reference,
                    trigger=step.detail,
                    actor="test",
                    reason="next step",
                    outcome="agreement" if step.detail == "conclude" else None,
                )
        except NcpflowError:
            continue


def _case(services: Services, reference: str) -> Case:
    with services.uow.read() as tx:
        return tx.cases.get(reference)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(opened, min_size=1, max_size=3), data=st.data())
def test_the_sql_overdue_predicate_agrees_with_deadline_status(
    site: Site, batch: list[Any], data: st.DataObject
) -> None:
    """For days around every due date, the cases `case list --overdue` finds and the deadlines
    the sweep takes as overdue are exactly those whose `Deadline.status` is overdue."""
    for zone, received, plan in batch:
        _open(site, zone, received, plan)
    services = site.for_zone("UTC")
    with services.uow.read() as tx:
        everything = tx.cases.list()
    dues = sorted({d.due for c in everything for d in c.deadlines})
    days = data.draw(
        st.lists(
            st.tuples(st.sampled_from(dues), st.integers(min_value=-2, max_value=2)), min_size=1, max_size=4
        )
    )
    for due, shift in days:
        today = due + timedelta(days=shift)
        overdue = {
            (c.reference, d.name)
            for c in everything
            for d in c.deadlines
            if d.status(today) is DeadlineStatus.OVERDUE
        }
        with services.uow.read() as tx:
            listed = {c.reference for c in tx.cases.list(overdue_on=today)}
            swept = {
                (c.case_ref, c.deadline) for c in tx.alerts.candidates(due_until=today - timedelta(days=1))
            }
        assert listed == {reference for reference, _ in overdue}, today
        closed = {c.reference for c in everything if c.state == State.CLOSED}
        assert swept == {(r, name) for r, name in overdue if r not in closed}, today


def test_a_day_before_or_on_the_due_day_is_not_overdue_and_the_day_after_is(site: Site) -> None:
    """The boundary, spelled out: due on D is open on D and overdue from D + 1, on both sides."""
    _open(site, "Europe/Oslo", datetime(2025, 3, 3, 23, 30, tzinfo=UTC), [])
    services = site.for_zone("Europe/Oslo")
    with services.uow.read() as tx:
        (case,) = tx.cases.list()
    due: date = min(d.due for d in case.deadlines)
    for today, expected in ((due, False), (due + timedelta(days=1), True)):
        with services.uow.read() as tx:
            assert bool(tx.cases.list(overdue_on=today)) is expected
        assert any(d.status(today) is DeadlineStatus.OVERDUE for d in case.deadlines) is expected
