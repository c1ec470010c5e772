"""Use cases on a case's clock: pause, resume, extend. Each one transaction with its audit entry."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime

from states import audit_wording, limits, pausing, records
from states.case import Case
from states.durations import Duration
from states.errors import REASON, Input, InvalidInputError
from states.messages import N_
from states.records import AuditRecord
from workflow import inputs
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork

log = get_logger("ncpflow.clock")

Then = Callable[[Transaction, Case, datetime], None]
"""What a step runs after it, in its own transaction: the saved case and the clock's now."""


@contextmanager
def _step(uow: UnitOfWork, reference: str) -> Iterator[tuple[Transaction, Case]]:
    """One write transaction around a clock step: load, decide, save, audit, or nothing."""
    with uow.write() as tx:
        yield tx, tx.cases.get(reference)


def _commit(
    tx: Transaction,
    *,
    case: Case,
    previous: Case,
    actor: str,
    at: datetime,
    reason: str | None,
    record: Callable[[int], AuditRecord],
) -> Case:
    """Save the case, then audit `record(version saved)`."""
    saved = tx.cases.save(case, previous=previous)
    made = record(saved.version)
    tx.audit.append(
        case_ref=case.reference,
        actor=actor,
        at=at,
        from_state=case.state,
        to_state=case.state,
        reason=reason,
        record=made,
    )
    log.info(f"case_{made.kind}", case=case.reference, actor=actor, version=saved.version)
    return saved


def pause_case(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    actor: str,
    reason: str,
    requested_by: str | None = None,
    at: date | datetime | None = None,
    then: Then | None = None,
) -> Case:
    """Stop the clock on a case (parallel proceedings, a party's request, awaited information).
    `then(tx, case, now)` runs in the same transaction on the case as saved (the notices)."""
    with _step(uow, reference) as (tx, case):
        now = clock.now()  # under the write lock: never before the step just committed
        when = inputs.step_at(at, case=case, now=now)
        paused, event = pausing.pause(case, actor=actor, reason=reason, at=when, requested_by=requested_by)
        saved = _commit(
            tx,
            case=paused,
            previous=case,
            actor=actor,
            at=when,
            reason=reason,
            record=lambda version: records.Paused(event.requested_by, version, now),
        )
        if then is not None:
            then(tx, saved, now)
        return saved


def resume_case(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    actor: str,
    at: date | datetime | None = None,
    reason: str | None = None,
) -> Case:
    """Restart the clock; every open deadline moves on by the whole days paused."""
    limits.check_optional(reason, REASON)
    with _step(uow, reference) as (tx, case):
        now = clock.now()  # under the write lock: never before the step just committed
        when = inputs.step_at(at, case=case, now=now)
        resumed, event = pausing.resume(case, actor=actor, at=when)
        moved = tuple(records.MovedDue.of(m) for m in event.moved)
        return _commit(
            tx,
            case=resumed,
            previous=case,
            actor=actor,
            at=when,
            reason=reason or audit_wording.RESTARTED,
            record=lambda version: records.Resumed(event.paused_days, moved, version, now),
        )


def extend_deadline(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    deadline: str,
    actor: str,
    reason: str,
    days: int | None = None,
    months: int | None = None,
    at: date | datetime | None = None,
    then: Then | None = None,
) -> Case:
    """Give one open deadline more time (before or after it falls due), with a reason;
    `then(tx, case, now)` runs in the same transaction on the case as saved (the notices).

    `at` is when it was granted (default now; not before the case's last step); the audit
    entry's `at` is that time and its `recorded_at` the clock's. The case's last step stays
    where it was, so a step back-dated later may still come before it (states/pausing.py)."""
    if (days is None) == (months is None):
        raise InvalidInputError(
            N_("give exactly one of {days} N or {months} N"),
            days=Input("", "days"),
            months=Input("", "months"),
        )
    limits.check_extension(days=days or 0, months=months or 0)  # before the write begins
    amount = Duration(days=days) if days is not None else Duration(months=months or 0)
    with _step(uow, reference) as (tx, case):
        name = inputs.one_of(case.procedure.deadlines, deadline, N_("deadline"), "deadline")
        now = clock.now()  # under the write lock: never before the step just committed
        when = inputs.step_at(at, case=case, now=now)
        extended, event = pausing.extend(
            case, deadline=name, amount=amount, actor=actor, reason=reason, at=when
        )
        saved = _commit(
            tx,
            case=extended,
            previous=case,
            actor=actor,
            at=event.at,
            reason=reason,
            record=lambda version: records.Extended(
                name, event.amount, (records.MovedDue.of(event.moved),), version, now
            ),
        )
        if then is not None:
            then(tx, saved, now)
        return saved
