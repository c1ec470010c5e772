"""A deadline is its basis, duration and adjustments; the due date is derived, never stored as truth."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cached_property, lru_cache

from states import wording
from states.calendar import CalendarRule
from states.durations import Duration
from states.errors import Input
from states.messages import ENGLISH, Translator


class DeadlineStatus(StrEnum):
    OPEN = "open"
    MET = "met"
    OVERDUE = "overdue"


def human_date(day: date, tr: Translator = ENGLISH) -> str:
    """ "2 Jan 2025"; "2. jan. 2025" in Norwegian ("nb")."""
    # Not strftime: that follows the process locale, and costs ~3 µs a call.
    words = wording.phrases(tr)
    return words.date.format(day=day.day, month=words.months[day.month - 1], year=day.year)


def dated(day: date) -> Input:
    """`day` as a message parameter, worded like `human_date` in the reader's language
    ("2 Jan 2025", "2. jan. 2025") when the message is."""
    return Input(
        "{day} {month} {year}",
        params={"day": day.day, "month": Input(wording.MONTHS[day.month - 1]), "year": day.year},
    )


def human_month(day: date, tr: Translator = ENGLISH) -> str:
    """The month of `day` without its day: "Feb 2007"; "februar 2007" in Norwegian ("nb")."""
    return wording.phrases(tr).months_of_year[day.month - 1].format(year=day.year)


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

    name: str
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
        day = self.duration.added_to(self.basis_on, self.calendar)
        if self.pauses:
            day = self._moved_on(day, sum(self._paused(p) for p in self.pauses))
        for extension in self.extensions:
            day = extension.amount.added_to(day, self.calendar)
        return day

    @cached_property
    def due(self) -> date:
        return self._rolled(self.unrolled_due)

    def _paused(self, pause: PausedSpan) -> int:
        """How far `pause` moves the due date on: its days, or for a deadline counted in working
        days its working days (a pause over Easter moves a 10wd deadline by the working days it
        took, not by the holidays in it)."""
        if self.duration.working_days:
            return self.calendar.working_days_in(pause.start, pause.end)
        return pause.days

    def _moved_on(self, day: date, paused: int) -> date:
        if self.duration.working_days:
            return self.calendar.add_working_days(day, paused)
        return day + timedelta(days=paused)

    def _rolled(self, day: date) -> date:
        """A deadline counted in working days falls due on a working day (an extension in
        calendar days may land on a day off); others roll when the calendar says so."""
        if self.duration.working_days:
            return self.calendar.next_working_day(day)
        return self.calendar.roll(day)

    def status(self, today: date) -> DeadlineStatus:
        if self.met_on is not None:
            return DeadlineStatus.MET
        if self.paused_since is not None:
            return DeadlineStatus.OPEN
        return DeadlineStatus.OVERDUE if today > self.due else DeadlineStatus.OPEN

    def met(self, *, at: datetime) -> Deadline:
        return replace(self, met_at=at, met_on=self.calendar.local_date(at))

    def explain(self, *, tr: Translator = ENGLISH) -> str:
        """How the due date was computed, step by step, in `tr`'s words (English by default)."""
        return _explain(self, tr)

    def _explain(self, tr: Translator) -> str:
        words = wording.phrases(tr)

        def on(day: date) -> str:
            return human_date(day, tr)

        day = self.duration.added_to(self.basis_on, self.calendar)
        text = words.start.format(
            basis=wording.translate(self.basis_label, tr),
            on=on(self.basis_on),
            duration=self.duration.describe(tr),
            due=on(day),
        )
        counts = wording.working_days if self.duration.working_days else wording.days
        for pause in self.pauses:
            paused = self._paused(pause)
            day = self._moved_on(day, paused)
            text += words.pause.format(
                days=counts(paused, tr),
                reason=pause.reason,
                start=on(pause.start),
                end=on(pause.end),
                due=on(day),
            )
        for extension in self.extensions:
            day = extension.amount.added_to(day, self.calendar)
            text += words.extension.format(
                amount=extension.amount.describe(tr),
                reason=extension.reason,
                by=extension.approved_by,
                due=on(day),
            )
        rolled = self._rolled(day)
        if rolled != day:
            text += words.rolled.format(due=on(rolled))
        if self.met_on is not None:
            late = (self.met_on - rolled).days
            verdict = wording.days_late(late, tr) if late > 0 else words.in_time
            text += words.met.format(on=on(self.met_on), verdict=verdict)
        if self.paused_since is not None:
            since = words.paused_since_working if self.duration.working_days else words.paused_since
            text += since.format(on=on(self.paused_since))
        return text


@lru_cache(maxsize=4096)
def _explain(deadline: Deadline, tr: Translator) -> str:
    # A deadline is a frozen value and every view of its case explains it again.
    return deadline._explain(tr)
