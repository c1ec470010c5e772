"""What happened, as plain past-tense values. The workflow layer turns them into rows and logs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from states.lifecycle import DeadlineName, Outcome, State, Trigger


@dataclass(frozen=True)
class DeadlineStarted:
    name: DeadlineName
    due: date


@dataclass(frozen=True)
class DeadlineMet:
    name: DeadlineName
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
    trigger: Trigger
    from_state: State
    to_state: State
    outcome: Outcome | None
    actor: str
    reason: str
    at: datetime
    met: tuple[DeadlineMet, ...]
    started: tuple[DeadlineStarted, ...]
    scope: str | None = None


@dataclass(frozen=True)
class DueMoved:
    name: DeadlineName
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
    name: DeadlineName
    amount: str
    actor: str
    reason: str
    at: datetime
    moved: DueMoved
