"""Use cases of related instances: link a case to a related one, remove a link, and read a
case's links as a reader may see them (rules in states/case_links.py).

Each write is one transaction with its audit entries, or nothing: a link between two cases here
writes `case_linked` (or `case_unlinked`) on both, with the same number, in the transaction that
stores it; a link to a case at another NCP writes one entry. An actor who is a user must hold
`Action.LINK_CASES`. A closed case may be linked (a follow-on complaint comes after an earlier
case is concluded). Bad input (an unknown kind, the case itself, a case here that does not exist,
this NCP named as another, a malformed address) is refused before anything is written, naming
the input; a link that already stands, or one removed before, is a refused step (409, exit 1).

Reading a case's links is `workflow.related` (no audit records or logging imported on a read).
"""

from __future__ import annotations

from datetime import datetime

from states import case_links as rules
from states import records
from states.case import Case
from states.case_links import CaseLink
from states.errors import ACTOR, REASON, CaseNotFoundError, InvalidInputError
from states.limits import NAME_MAX, check_optional, check_text
from states.messages import N_
from states.permissions import Action
from workflow.config import Settings
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork
from workflow.users import authorise

log = get_logger("ncpflow.case_links")

NO_SUCH_CASE = N_("{what}: no case with reference '{value}' here")


def _record(link: CaseLink, seen_from: str, *, removed: bool = False) -> records.AuditRecord:
    other = link.other_of(seen_from)
    if removed:
        return records.CaseUnlinked(
            number=link.number,
            relation=link.relation(seen_from),
            linked_case=other,
            ncp=link.ncp,
            external_reference=link.external_reference,
        )
    return records.CaseLinked(
        number=link.number,
        relation=link.relation(seen_from),
        linked_case=other,
        ncp=link.ncp,
        external_reference=link.external_reference,
        url=link.url,
    )


def _append(
    tx: Transaction, case: Case, actor: str, at: datetime, record: records.AuditRecord, reason: str | None
) -> None:
    tx.audit.append(
        case_ref=case.reference,
        actor=actor,
        at=at,
        from_state=case.state,
        to_state=case.state,
        reason=reason,
        record=record,
    )


def _other_case(tx: Transaction, other: str) -> Case:
    try:
        return tx.cases.get(other)
    except CaseNotFoundError:
        raise InvalidInputError(NO_SUCH_CASE, what=rules.OTHER_CASE, value=other[:40]) from None


def link(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    reference: str,
    actor: str,
    kind: str,
    case: str | None = None,
    ncp: str | None = None,
    external_reference: str | None = None,
    url: str | None = None,
) -> CaseLink:
    """Link case `reference` to a related case: `case`, a case here, or `external_reference` at
    NCP `ncp` (with its `url`); `kind` says how they relate (`states.case_links.KINDS`)."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    with uow.write() as tx:
        authorise(tx, actor, Action.LINK_CASES)
        now = clock.now()
        found = tx.cases.get(reference)
        other = _other_case(tx, case) if case is not None and case != reference else None
        made = rules.new_link(
            tx.case_links.of_case(reference),
            number=tx.case_links.next_number(),
            reference=reference,
            state=found.state,
            kind=kind,
            other=case,
            ncp=ncp,
            external_reference=external_reference,
            url=url,
            own_ncp=settings.ncp.country,
            linked_at=now,
            linked_by=actor,
        )
        tx.case_links.add(made)
        _append(tx, found, actor, now, _record(made, reference), None)
        if other is not None:
            _append(tx, other, actor, now, _record(made, other.reference), None)
    log.info(
        "case_linked",
        case=reference,
        number=made.number,
        kind=made.kind,
        linked_case=made.other,
        ncp=made.ncp,
        actor=actor,
    )
    return made


def unlink(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    actor: str,
    number: int,
    reason: str | None = None,
) -> CaseLink:
    """Remove link `number` of case `reference` (made on it or to it), with an optional reason."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    reason = check_optional(reason, REASON) or None
    with uow.write() as tx:
        authorise(tx, actor, Action.LINK_CASES)
        now = clock.now()
        found = tx.cases.get(reference)
        gone = rules.removable(
            tx.case_links.of_case(reference), number, reference=reference, state=found.state
        )
        tx.case_links.remove(number, at=now, by=actor, reason=reason)
        for ref in (gone.case, gone.other):
            if ref is not None:
                case = found if ref == reference else tx.cases.get(ref)
                _append(tx, case, actor, now, _record(gone, ref, removed=True), reason)
    log.info("case_unlinked", case=reference, number=number, actor=actor)
    return gone
