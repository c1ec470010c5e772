"""Alert rungs of a deadline: reminders before, the due day, overdue repeats, escalation.

Each rung has a key that is unique per deadline and due date, so a rung fires once ever for a
given due date; an extension or a pause that moves the due date starts a fresh ladder.
A sweep after downtime fires only the latest missed rung (plus the escalation), never a flood.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from states.durations import Duration


class RungKind(StrEnum):
    REMINDER = "reminder"
    DUE = "due"
    OVERDUE = "overdue"
    ESCALATION = "escalation"


@dataclass(frozen=True)
class AlertPolicy:
    before: tuple[Duration, ...]
    overdue_every: Duration
    escalate_after: Duration


@dataclass(frozen=True)
class Rung:
    key: str
    kind: RungKind
    on: date


def _minus(due: date, amount: Duration) -> date:
    result: date = due - relativedelta(months=amount.months, days=amount.days)
    return result


def ladder(due: date, policy: AlertPolicy, *, until: date, started: date | None = None) -> list[Rung]:
    """Every rung of the ladder for `due` that falls on or before `until`, in date order.

    A reminder that would fall before the deadline `started` is left out: a 30-day reminder
    for a 14-day deadline means nothing.
    """
    reminders = ((amount, _minus(due, amount)) for amount in sorted(set(policy.before), reverse=True))
    rungs = [
        Rung(f"before-{amount}", RungKind.REMINDER, on)
        for amount, on in reminders
        if started is None or on >= started
    ]
    rungs.append(Rung("due", RungKind.DUE, due))
    step, n = policy.overdue_every, 1
    if step.is_positive:
        while (day := Duration(step.months * n, step.days * n).added_to(due)) <= until:
            rungs.append(Rung(f"overdue-{n}", RungKind.OVERDUE, day))
            n += 1
    rungs.append(Rung("escalation", RungKind.ESCALATION, policy.escalate_after.added_to(due)))
    return sorted((r for r in rungs if r.on <= until), key=lambda r: r.on)


def rungs_to_fire(
    due: date,
    policy: AlertPolicy,
    *,
    today: date,
    fired: frozenset[str] | set[str],
    started: date | None = None,
) -> list[Rung]:
    """What a sweep on `today` should fire: the latest rung reached, and the escalation."""
    reached = ladder(due, policy, until=today, started=started)
    regular = [r for r in reached if r.kind is not RungKind.ESCALATION]
    chosen = []
    if regular and regular[-1].key not in fired:
        chosen.append(regular[-1])
    escalation = next((r for r in reached if r.kind is RungKind.ESCALATION), None)
    if escalation is not None and escalation.key not in fired:
        chosen.append(escalation)
    return chosen


def horizon(policy: AlertPolicy) -> int:
    """How many days before a due date the first reminder can fall (for the sweep's query)."""
    return max(((amount.months * 31) + amount.days for amount in policy.before), default=0)


class AlertCandidate(NamedTuple):
    """An open deadline of a running case that may have a rung to fire.

    A NamedTuple, not a frozen dataclass: the sweep makes one per open deadline in its window,
    and this is several times cheaper to build.
    """

    deadline_id: int
    case_ref: str
    deadline: str
    due: date
    started: date | None = None
    fired: frozenset[str] = frozenset()  # rung keys already fired for this due date
