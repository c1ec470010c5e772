"""What happened, as plain past-tense values. The workflow layer turns them into rows and logs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class DeadlineStarted:
    name: str
    due: date


@dataclass(frozen=True)
class DeadlineMet:
    name: str
    on: date
    due: date

    @property
    def late_days(self) -> int:
        return max(0, (self.on - self.due).days)


@dataclass(frozen=True)
class CaseOpened:
    reference: str
    actor: str
    at: datetime
    started: tuple[DeadlineStarted, ...]


@dataclass(frozen=True)
class CaseTransitioned:
    reference: str
    trigger: str
    from_state: str
    to_state: str
    outcome: str | None
    actor: str
    reason: str
    at: datetime
    met: tuple[DeadlineMet, ...]
    started: tuple[DeadlineStarted, ...]
    scope: str | None = None
    sets: str | None = None  # the result field the outcome is recorded in


@dataclass(frozen=True)
class DueMoved:
    name: str
    before: date
    after: date


@dataclass(frozen=True)
class CasePaused:
    reference: str
    actor: str
    reason: str
    requested_by: str | None
    at: datetime


@dataclass(frozen=True)
class CaseResumed:
    reference: str
    actor: str
    at: datetime
    paused_days: int
    moved: tuple[DueMoved, ...]


@dataclass(frozen=True)
class DeadlineExtended:
    reference: str
    name: str
    amount: str
    actor: str
    reason: str
    at: datetime
    moved: DueMoved


@dataclass(frozen=True)
class FactRecorded:
    reference: str
    fact: str
    on: date
    by: str | None
    note: str | None
    actor: str
    at: datetime
    started: tuple[DeadlineStarted, ...] = ()
    met: tuple[DeadlineMet, ...] = ()  # deadlines the fact meets (`met_by`)
