"""Use cases on cases: open one, advance one. Each is one transaction, or nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from states import case as core
from states import records, wording
from states.case import Case, CaseDetails, Party, PartyRole, Policy, require_actor, require_text
from states.errors import REASON, ConflictError, Input, InvalidInputError
from states.lifecycle import Trigger
from states.limits import NAME_MAX, check_optional
from states.messages import N_
from workflow import inputs, rotation, versions
from workflow.checklists import ticked_now
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork

log = get_logger("ncpflow.cases")


@dataclass(frozen=True)
class PartyInput:
    name: str
    type: str | None = None
    confidential: bool = False
    org_number: str | None = None


def open_case(
    *,
    uow: UnitOfWork,
    clock: Clock,
    policy: Policy,
    reference_prefix: str,
    title: str,
    submitters: Sequence[PartyInput],
    enterprises: Sequence[PartyInput],
    actor: str,
    received: date | datetime | None = None,
    themes: Sequence[str] = (),
    host_countries: Sequence[str] = (),
    sector: str | None = None,
    notices: rotation.Notices | None = None,
    guidelines_edition: str | None = None,
    supporting_ncps: Sequence[str] = (),
) -> Case:
    """Register a submission: a new case in `received`, its first deadlines and audit entry.

    When members have been brought in (`init`, `members sync`), the rotation picks the lead in
    the same transaction, and `notices` (if given) tells the lead, or the chair and the
    secretariat when nobody is eligible.
    """
    now = clock.now()
    received_at = inputs.resolve_when(received, calendar=policy.calendar, now=now, what=Input("", "received"))
    parties = tuple(
        [
            Party(
                PartyRole.SUBMITTER,
                p.name,
                inputs.submitter_type(p.type),
                p.confidential,
                p.org_number or None,
            )
            for p in submitters
        ]
        + [Party(PartyRole.ENTERPRISE, p.name, p.type, False, p.org_number or None) for p in enterprises]
    )
    details = CaseDetails(
        themes=inputs.themes(list(themes)),
        host_countries=inputs.countries(list(host_countries)),
        sector=sector or None,
        guidelines_edition=inputs.edition(guidelines_edition),
        supporting_ncps=inputs.countries(list(supporting_ncps)),
    )
    # Decide once before writing, so bad input never reaches the database or burns a number.
    core.open_case(
        reference="(new)",
        title=title,
        parties=parties,
        received_at=received_at,
        opened_at=now,
        actor=actor,
        policy=policy,
        details=details,
    )
    with uow.write() as tx:
        case = opened_in(
            tx,
            policy=policy,
            reference_prefix=reference_prefix,
            title=title,
            parties=parties,
            details=details,
            received_at=received_at,
            now=now,
            actor=actor,
            notices=notices,
        )
    reference = case.reference
    log.info("case_opened", case=reference, state=case.state, actor=actor, lead=case.lead_member)
    return case


def opened_in(
    tx: Transaction,
    *,
    policy: Policy,
    reference_prefix: str,
    title: str,
    parties: tuple[Party, ...],
    details: CaseDetails,
    received_at: datetime,
    now: datetime,
    actor: str,
    notices: rotation.Notices | None = None,
) -> Case:
    """A new case written inside the caller's write transaction `tx` (its reference, pinned
    version, lead by rotation and `case_opened` entry), its input checked already by the core."""
    year = policy.calendar.local_date(received_at).year
    reference = tx.cases.next_reference(prefix=reference_prefix, year=year)
    case, event = core.open_case(
        reference=reference,
        title=title,
        parties=parties,
        received_at=received_at,
        opened_at=now,
        actor=actor,
        policy=policy,
        details=details,
    )
    # The version the case follows is kept with it (refused when its content changed).
    versions.ensure_stored(tx, case.procedure, at=now)
    assignment = rotation.decide_for_new_case(tx, case, policy)
    if assignment is not None:
        case = replace(case, lead_member=assignment[0].chosen)
    tx.cases.add(case)
    tx.audit.append(
        case_ref=reference,
        actor=actor,
        at=received_at,
        from_state=None,
        to_state=case.state,
        reason=wording.OPENED,
        record=records.Opened.of(
            event,
            title=title,
            parties=parties,
            details=details,
            recorded_at=now,
            procedure=case.procedure,
        ),
    )
    if assignment is not None:
        decision, members = assignment
        rotation.record_new_case(
            tx,
            case=case,
            decision=decision,
            members=members,
            policy=policy,
            actor=actor,
            now=now,
            notices=notices,
        )
    return case


def advance(
    *,
    uow: UnitOfWork,
    clock: Clock,
    policy: Policy,
    reference: str,
    trigger: str,
    actor: str,
    reason: str,
    outcome: str | None = None,
    at: date | datetime | None = None,
    scope: str | None = None,
    expected_version: int | None = None,
    may: Callable[[Case], None] | None = None,
    then: Callable[[Case], None] | None = None,
) -> Case:
    """Fire `trigger` on the case: case, deadlines and audit entry in one transaction.

    `then` sees the saved case inside that transaction (reads there join it): the API builds
    its answer from the very state it wrote, without a read transaction of its own."""
    if scope is not None and trigger != Trigger.ACCEPT:
        raise InvalidInputError(N_("{what} goes with the 'accept' trigger only"), what=Input("", "scope"))
    # One write transaction from read to audit: the version check in save() still refuses a
    # write over a case that changed since the caller looked (--expect-version).
    with uow.write() as tx:
        # Read the clock under the write lock: a step another process committed while we
        # waited is then never later than ours ("--at ... is before the last recorded step").
        now = clock.now()
        case = tx.cases.get(reference)
        # The names the case's own procedure knows (the input models check only their shape).
        chosen = inputs.one_of(case.procedure.triggers, trigger, N_("trigger"), "trigger")
        recorded = (
            inputs.one_of(case.procedure.outcomes, outcome, N_("outcome"), "outcome")
            if outcome is not None
            else None
        )
        if may is not None:
            may(case)  # who may advance is decided on the case as locked, not as read earlier
        if expected_version is not None and case.version != expected_version:
            raise ConflictError(
                reference=reference,
                expected_version=expected_version,
                actual_version=case.version,
                state=case.state,
            )
        when = inputs.step_at(at, case=case, now=now)
        new_case, event = core.advance(
            case,
            trigger=chosen,
            actor=actor,
            reason=reason,
            at=when,
            policy=policy,
            outcome=recorded,
            scope=scope,
            ticked=ticked_now(tx, case),
        )
        record = records.Transitioned.of(event, version=case.version + 1, recorded_at=now)
        saved = tx.cases.save(new_case, previous=case)
        tx.audit.append(
            case_ref=reference,
            actor=actor,
            at=when,
            from_state=event.from_state,
            to_state=event.to_state,
            reason=reason,
            record=record,
        )
        if then is not None:
            then(saved)
    log.info(
        "case_transitioned",
        case=reference,
        trigger=chosen,
        from_state=event.from_state,
        to_state=event.to_state,
        outcome=record.outcome,
        actor=actor,
        version=saved.version,
    )
    return saved


def edit_case(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    actor: str,
    reason: str,
    themes: Sequence[str] | None = None,
    host_countries: Sequence[str] | None = None,
    sector: str | None = None,
    guidelines_edition: str | None = None,
    supporting_ncps: Sequence[str] | None = None,
    at: date | datetime | None = None,
) -> Case:
    """Change a case's descriptive fields (None: leave as is); one audit entry lists each change.

    `at` is when the change took effect (default now; not before the case's last step): the
    entry's `at`, with the clock's time as `recorded_at`. An edit is not a step in the case's
    time: like an extension (states/pausing.py) it leaves `last_event_at` as it was, so a step
    back-dated later may still come before it."""
    require_actor(actor)
    require_text(reason, REASON)
    check_optional(sector, Input(N_("the sector"), "sector"), limit=NAME_MAX)
    with uow.write() as tx:
        now = clock.now()  # under the write lock: never before the step just committed
        case = tx.cases.get(reference)
        when = inputs.step_at(at, case=case, now=now)
        old = case.details
        new = replace(
            old,
            themes=inputs.themes(list(themes)) if themes is not None else old.themes,
            host_countries=(
                inputs.countries(list(host_countries)) if host_countries is not None else old.host_countries
            ),
            sector=(sector or None) if sector is not None else old.sector,
            guidelines_edition=(
                inputs.edition(guidelines_edition)
                if guidelines_edition is not None
                else old.guidelines_edition
            ),
            supporting_ncps=(
                inputs.countries(list(supporting_ncps))
                if supporting_ncps is not None
                else old.supporting_ncps
            ),
        )
        changes = {
            name: records.Change(getattr(old, name), getattr(new, name))
            for name in records.Edited.FIELDS
            if getattr(old, name) != getattr(new, name)
        }
        if not changes:
            raise InvalidInputError(N_("{reference}: nothing to change"), reference=reference)
        saved = tx.cases.save(replace(case, details=new), previous=case)
        tx.audit.append(
            case_ref=reference,
            actor=actor,
            at=when,
            from_state=case.state,
            to_state=case.state,
            reason=reason,
            record=records.Edited(changes, saved.version, now),
        )
    log.info("case_edited", case=reference, fields=sorted(changes), actor=actor)
    return saved
