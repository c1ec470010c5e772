"""Use case: record a dated fact of a case (states/facts.py), in one transaction with its audit
entry (`fact_recorded`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from states import facts, records
from states.case import Case, Policy
from workflow.logging import get_logger
from workflow.ports import Clock, UnitOfWork

log = get_logger("ncpflow.facts")


def record_fact(
    *,
    uow: UnitOfWork,
    clock: Clock,
    policy: Policy,
    reference: str,
    fact: str,
    on: date,
    actor: str,
    by: str | None = None,
    note: str | None = None,
    then: Callable[[Case], None] | None = None,
) -> Case:
    """Record that `fact` happened `on` a day (back-dated as far as the receipt, never in the
    future); the case does not move, deadlines counted from the fact start. `then` sees the saved
    case inside the transaction (a statement published with the fact files its PDF there)."""
    with uow.write() as tx:
        case = tx.cases.get(reference)
        now = clock.now()  # under the write lock: never before the step just committed
        recorded, event = facts.record_fact(
            case, fact=fact, on=on, actor=actor, at=now, policy=policy, by=by, note=note
        )
        saved = tx.cases.save(recorded, previous=case)
        tx.audit.append(
            case_ref=case.reference,
            actor=actor,
            at=now,
            from_state=case.state,
            to_state=case.state,
            reason=event.note,
            record=records.FactRecorded.of(event, version=saved.version),
        )
        if then is not None:
            then(saved)
        log.info("case_fact_recorded", case=case.reference, fact=fact, on=on.isoformat(), actor=actor)
        return saved
