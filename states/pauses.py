"""Stopping the clock: a pause ledger per case, and the whole local days each deadline stood still."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from states.calendar import CalendarRule
from states.deadlines import Deadline, PausedSpan


@dataclass(frozen=True)
class Pause:
    """One stop of the clock: who asked, why, who recorded it, and when it started and ended."""

    started_at: datetime
    reason: str
    actor: str
    requested_by: str | None = None
    ended_at: datetime | None = None
    ended_by: str | None = None

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


def spans_for(deadline: Deadline, pauses: Iterable[Pause], calendar: CalendarRule) -> tuple[PausedSpan, ...]:
    """The ended pauses that fell while `deadline` ran (a case cannot move while paused)."""
    spans = []
    for pause in pauses:
        if pause.ended_at is None or pause.started_at < deadline.started_at:
            continue
        if deadline.met_at is not None and deadline.met_at < pause.ended_at:
            continue
        span = PausedSpan(
            calendar.local_date(pause.started_at), calendar.local_date(pause.ended_at), pause.reason
        )
        if span.days > 0:
            spans.append(span)
    return tuple(spans)


def with_pauses(
    deadlines: Iterable[Deadline], pauses: tuple[Pause, ...], calendar: CalendarRule
) -> tuple[Deadline, ...]:
    open_pause = next((p for p in pauses if p.is_open), None)
    result = []
    for deadline in deadlines:
        running = deadline.is_open and open_pause is not None
        result.append(
            replace(
                deadline,
                pauses=spans_for(deadline, pauses, calendar),
                paused_since=calendar.local_date(open_pause.started_at)
                if running and open_pause is not None
                else None,
            )
        )
    return tuple(result)
