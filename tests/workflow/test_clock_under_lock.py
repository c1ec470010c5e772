"""The scheduler's jobs read the clock under the write lock, as `advance` does.

A job that reads the clock and then waits for another writer would act as of a moment that is
already past: around midnight two schedulers could then disagree about the date. A clock that
notes, at each reading, whether the unit of work's write transaction is open tells.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime

from tests.conftest import make_settings
from tests.helpers import open_one
from workflow.alerts import sweep
from workflow.bootstrap import Services, bootstrap
from workflow.clock import FixedClock
from workflow.ports import Transaction, UnitOfWork
from workflow.rotation import advance_duty

NOW = datetime(2025, 6, 2, 23, 59, 59, tzinfo=UTC)


class WatchedUnitOfWork:
    """The real unit of work, noting whether a write transaction is open."""

    def __init__(self, inner: UnitOfWork) -> None:
        self.inner = inner
        self.writing = False

    def read(self, *, fresh: bool = False) -> AbstractContextManager[Transaction]:
        return self.inner.read(fresh=fresh)

    @contextmanager
    def write(self) -> Iterator[Transaction]:
        with self.inner.write() as tx:
            self.writing = True
            try:
                yield tx
            finally:
                self.writing = False

    def writer_if_free(self) -> AbstractContextManager[None] | None:
        return self.inner.writer_if_free()

    def user_stamp(self, name: str) -> int | None:
        return self.inner.user_stamp(name)


class WatchingClock:
    """A clock standing at `at` that records, at each reading, whether the write lock was held."""

    def __init__(self, at: datetime, uow: WatchedUnitOfWork) -> None:
        self.at = at
        self.uow = uow
        self.readings: list[bool] = []

    def now(self) -> datetime:
        self.readings.append(self.uow.writing)
        return self.at


def _watched(services: Services) -> tuple[WatchedUnitOfWork, WatchingClock]:
    uow = WatchedUnitOfWork(services.uow)
    return uow, WatchingClock(NOW, uow)


def test_the_alert_sweep_reads_the_clock_under_the_write_lock(services: Services) -> None:
    """Every clock reading of a sweep that queues alerts happens inside its write transaction."""
    open_one(services, title="Overdue", received=date(2025, 1, 6))
    uow, clock = _watched(services)
    queued = sweep(uow=uow, clock=clock, settings=services.settings, render=services.render)
    assert queued  # the case is months overdue: the sweep did write
    assert clock.readings and all(clock.readings), clock.readings


def test_the_duty_rotation_reads_the_clock_under_the_write_lock(database_url: str) -> None:
    """`rotation advance` (the scheduler's duty job) reads the clock inside its transaction."""
    services = bootstrap(
        make_settings(database_url, rotation={"mode": "periodic", "every": "1mo"}), clock=FixedClock(NOW)
    )
    try:
        uow, clock = _watched(services)
        # No members to hand duty to: nothing rotates, but the clock was read all the same.
        assert advance_duty(uow=uow, clock=clock, policy=services.policy).rotated is False
        assert clock.readings and all(clock.readings), clock.readings
    finally:
        services.close()
