"""A deadline is its basis, duration and adjustments; the due date is derived, never stored as truth."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cached_property

from states.calendar import CalendarRule
from states.durations import Duration
from states.lifecycle import DeadlineName


class DeadlineStatus(StrEnum):
    OPEN = "open"
    MET = "met"
    OVERDUE = "overdue"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def human_date(day: date) -> str:
    # Not strftime: that follows the process locale, and costs ~3 µs a call.
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class PausedSpan:
    """Whole local days a deadline's clock stood still: `start` up to (not including) `end`."""

    start: date
    end: date
    reason: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True)
class Extension:
    amount: Duration
    reason: str
    approved_by: str
    at: datetime | None = None


@dataclass(frozen=True)
class Deadline:
    """Frozen, so the derived due date is computed once per value (it is asked for often)."""

    name: DeadlineName
    basis_on: date
    basis_label: str
    duration: Duration
    calendar: CalendarRule
    started_at: datetime
    met_at: datetime | None = None
    met_on: date | None = None
    pauses: tuple[PausedSpan, ...] = field(default=())
    extensions: tuple[Extension, ...] = field(default=())
    # Set while the case is paused: the clock stands still, so the deadline cannot fall overdue.
    paused_since: date | None = None

    @property
    def is_open(self) -> bool:
        return self.met_at is None

    @cached_property
    def unrolled_due(self) -> date:
        day = self.duration.added_to(self.basis_on)
        day += timedelta(days=sum(p.days for p in self.pauses))
        for extension in self.extensions:
            day = extension.amount.added_to(day)
        return day

    @cached_property
    def due(self) -> date:
        return self.calendar.roll(self.unrolled_due)

    def status(self, today: date) -> DeadlineStatus:
        if self.met_on is not None:
            return DeadlineStatus.MET
        if self.paused_since is not None:
            return DeadlineStatus.OPEN
        return DeadlineStatus.OVERDUE if today > self.due else DeadlineStatus.OPEN

    def met(self, *, at: datetime) -> Deadline:
        return replace(self, met_at=at, met_on=self.calendar.local_date(at))

    def explain(self) -> str:
        day = self.duration.added_to(self.basis_on)
        text = (f"{self.basis_label} {human_date(self.basis_on)} + {self.duration.describe()} "
                f"= {human_date(day)}")
        for pause in self.pauses:
            day += timedelta(days=pause.days)
            days = f"{pause.days} day{'s' if pause.days != 1 else ''}"
            text += (f", + {days} paused ({pause.reason}, {human_date(pause.start)}"
                     f"–{human_date(pause.end)}) = {human_date(day)}")
        for extension in self.extensions:
            day = extension.amount.added_to(day)
            text += (f", + {extension.amount.describe()} extended ({extension.reason}; approved by "
                     f"{extension.approved_by}) = {human_date(day)}")
        rolled = self.calendar.roll(day)
        if rolled != day:
            text += f", rolled to the next working day = {human_date(rolled)}"
        if self.met_on is not None:
            late = (self.met_on - rolled).days
            verdict = f"{late} days late" if late > 0 else "in time"
            text += f"; met {human_date(self.met_on)} ({verdict})"
        if self.paused_since is not None:
            text += (f"; paused since {human_date(self.paused_since)}: the due date moves on by "
                     "the paused days when the case resumes")
        return text
