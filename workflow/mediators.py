"""Use cases on external mediators: the register, assigning them to cases, mediation sessions,
and which cases a mediator's user may see.

The register is kept by users who may manage mediators (`Action.MANAGE_MEDIATORS`): each
addition and change one write transaction with its audit entry (`mediator_added`,
`mediator_changed`). Assigning a mediator checks its declared conflicts against the case's
parties by the rotation's rule (`states.mediators.conflicts`, built on
`states.members.first_conflict`): a hard conflict refuses, writing nothing, unless overridden
with a reason, which `mediator_assigned` records with the conflicts found; a soft conflict is
allowed and recorded alike. Sessions are recorded by handlers and by the case's own mediators
(`Action.RECORD_MEDIATION`), audited (`mediation_session_recorded`, never the notes).

A mediator's user (`states.permissions.scoped`) sees only the cases its mediator is assigned to
now: every list of cases is narrowed by `workflow.redaction.mediated_by` (the case list, search,
calendar, ICS), and `may_see` is the check wherever a case is named (`ncpflow.web.auth.Allow`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from states import records
from states.calendar import zone
from states.case import Case
from states.errors import ACTOR, CaseNotFoundError, InvalidInputError
from states.limits import NAME_MAX, check_text
from states.mediators import (
    MEDIATOR,
    Assignment,
    Format,
    Found,
    Mediator,
    Session,
    changed_fields,
    check_assignment,
    conflicts,
)
from states.members import PartyMatch
from states.messages import N_, Translator
from states.parties import party_keys
from states.permissions import Action, allows, require
from states.users import User
from translations import translator
from workflow import read_models
from workflow import redaction as redactions
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork
from workflow.related import may_see_case
from workflow.users import authorise
from workflow.views import redacted

log = get_logger("ncpflow.mediators")

Pair = tuple[str | None, str | None]  # a declared conflict: (name, organisation number)


# -- who sees which case ----------------------------------------------------------------------


def may_see(tx: Transaction, viewer: User, reference: str) -> bool:
    """Whether `viewer` may see the case at all: always, but for a mediator's user, which sees
    only the cases its mediator is assigned to now (the rule lives with the reads that need it
    without importing this module: `workflow.related.may_see_case`)."""
    return may_see_case(tx, viewer, reference)


def check_visible(tx: Transaction, viewer: User, reference: str) -> None:
    """`may_see`, else the very error an unknown reference gets (its existence never leaks)."""
    if not may_see(tx, viewer, reference):
        raise CaseNotFoundError(reference)


def visible(*, uow: UnitOfWork, viewer: User, reference: str) -> bool:
    with uow.read() as tx:
        return may_see(tx, viewer, reference)


# -- the register -----------------------------------------------------------------------------


def _spelled(match: PartyMatch) -> str:
    """A declared conflict as given: NAME, NAME=NUMBER or =NUMBER."""
    if match.org_number:
        return f"{match.name or ''}={match.org_number}"
    return match.name or ""


def _matches(pairs: Sequence[Pair]) -> tuple[PartyMatch, ...]:
    return tuple(PartyMatch(name, number) for name, number in pairs)


def _audited(tx: Transaction, *, actor: str, now: datetime, record: records.AuditRecord) -> None:
    tx.audit.append(
        case_ref=None, actor=actor, at=now, from_state=None, to_state=None, reason=None, record=record
    )


def _on_case(
    tx: Transaction,
    case: Case,
    *,
    actor: str,
    now: datetime,
    record: records.AuditRecord,
    reason: str | None = None,
) -> None:
    """A mediation entry of the case: the case stays in its state."""
    tx.audit.append(
        case_ref=case.reference,
        actor=actor,
        at=now,
        from_state=case.state,
        to_state=case.state,
        reason=reason,
        record=record,
    )


def _existing(tx: Transaction, mediator_id: str) -> Mediator:
    found = tx.mediators.get(mediator_id)
    if found is None:
        raise InvalidInputError(
            N_("{what}: no mediator with id '{mediator}'; see `ncpflow mediator list`"),
            what=MEDIATOR,
            mediator=mediator_id,
        )
    return found


def add_mediator(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: str,
    mediator_id: str,
    name: str,
    email: str,
    organisation: str | None = None,
    languages: Sequence[str] = (),
    competence: str | None = None,
    conflicts: Sequence[Pair] = (),
    soft_conflicts: Sequence[Pair] = (),
) -> Mediator:
    """A new mediator in the register (`mediator_added`); an id already taken is refused."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    mediator = Mediator(
        id=mediator_id,
        name=name,
        email=email,
        organisation=organisation,
        languages=tuple(languages),
        competence=competence,
        conflicts=_matches(conflicts),
        soft_conflicts=_matches(soft_conflicts),
    )
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_MEDIATORS)
        if tx.mediators.get(mediator_id) is not None:
            raise InvalidInputError(
                N_("{what}: a mediator with id '{mediator}' already exists"),
                what=MEDIATOR,
                mediator=mediator_id,
            )
        now = clock.now()
        tx.mediators.add(mediator, at=now)
        _audited(
            tx,
            actor=actor,
            now=now,
            record=records.MediatorAdded(
                mediator.id,
                mediator.name,
                mediator.organisation,
                mediator.languages,
                tuple(map(_spelled, mediator.conflicts)),
                tuple(map(_spelled, mediator.soft_conflicts)),
            ),
        )
    log.info("mediator_added", mediator=mediator.id, actor=actor)
    return mediator


def change_mediator(
    *, uow: UnitOfWork, clock: Clock, actor: str, mediator_id: str, changes: dict[str, Any]
) -> tuple[str, ...]:
    """Change a mediator's entry (`changes`: field → new value; conflicts as pairs); the fields
    that changed (`mediator_changed`; nothing written when none did)."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    values = dict(changes)
    for key in ("conflicts", "soft_conflicts"):
        if key in values:
            values[key] = _matches(values[key])
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_MEDIATORS)
        before = _existing(tx, mediator_id)
        after = replace(before, **values)
        fields = changed_fields(before, after)
        if fields:
            now = clock.now()
            tx.mediators.save(after, at=now)
            _audited(
                tx, actor=actor, now=now, record=records.MediatorChanged(mediator_id, fields, after.active)
            )
    log.info("mediator_changed", mediator=mediator_id, fields=list(fields), actor=actor)
    return fields


def _view(mediator: Mediator, cases: list[str]) -> read_models.MediatorView:
    return read_models.MediatorView(
        id=mediator.id,
        name=mediator.name,
        email=mediator.email,
        organisation=mediator.organisation,
        languages=list(mediator.languages),
        competence=mediator.competence,
        conflicts=[_spelled(m) for m in mediator.conflicts],
        soft_conflicts=[_spelled(m) for m in mediator.soft_conflicts],
        active=mediator.active,
        cases=cases,
    )


def list_mediators(*, uow: UnitOfWork, actor: str | None = None) -> list[read_models.MediatorView]:
    """The register, by id, each with the cases it is assigned to now."""
    with uow.read() as tx:
        if actor is not None:
            authorise(tx, actor, Action.MANAGE_MEDIATORS)
        return [_view(m, tx.mediators.assigned(m.id)) for m in tx.mediators.all()]


def get_mediator(*, uow: UnitOfWork, mediator_id: str) -> read_models.MediatorView:
    with uow.read() as tx:
        return _view(_existing(tx, mediator_id), tx.mediators.assigned(mediator_id))


# -- assignments ------------------------------------------------------------------------------


def found_on(case: Case, mediator: Mediator) -> tuple[Found, ...]:
    """The mediator's declared conflicts with the case's parties (by their keys)."""
    return conflicts(mediator, party_keys(case.parties))


def _audited_text(found: Sequence[Found]) -> tuple[str, ...]:
    return tuple(f.noted().text() for f in found)


def assign(
    *, uow: UnitOfWork, clock: Clock, reference: str, mediator: str, actor: str, override: str | None = None
) -> tuple[Found, ...]:
    """Assign `mediator` to the case, checked against its parties: a hard conflict refuses
    (nothing written) unless `override` gives the reason; the conflicts found (hard ones
    overridden, soft ones allowed) are recorded and returned."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_MEDIATORS)
        case = tx.cases.get(reference)
        chosen = _existing(tx, mediator)
        if any(a.active and a.mediator == mediator for a in tx.mediators.assignments(reference)):
            raise InvalidInputError(
                N_("{what}: mediator '{mediator}' is already assigned to case {reference}"),
                what=MEDIATOR,
                mediator=mediator,
                reference=reference,
            )
        found = found_on(case, chosen)
        check_assignment(chosen, found, override=override)
        hard = any(not f.soft for f in found)
        kept = override if hard else None
        now = clock.now()
        text = _audited_text(found)
        tx.mediators.assign(
            reference,
            Assignment(
                mediator=mediator,
                assigned_at=now,
                assigned_by=actor,
                override=kept,
                conflicts=tuple(f.noted() for f in found),
            ),
        )
        assigned = records.MediatorAssigned(mediator, text, kept)
        _on_case(tx, case, actor=actor, now=now, reason=kept, record=assigned)
    log.info("mediator_assigned", case=reference, mediator=mediator, conflicts=len(found), actor=actor)
    return found


def unassign(*, uow: UnitOfWork, clock: Clock, reference: str, mediator: str, actor: str) -> None:
    """End the mediator's assignment to the case: its user no longer sees the case."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_MEDIATORS)
        case = tx.cases.get(reference)
        current = next(
            (a for a in tx.mediators.assignments(reference) if a.active and a.mediator == mediator), None
        )
        if current is None:
            raise InvalidInputError(
                N_("{what}: mediator '{mediator}' is not assigned to case {reference}"),
                what=MEDIATOR,
                mediator=mediator,
                reference=reference,
            )
        now = clock.now()
        tx.mediators.end(current.id, at=now, by=actor)
        _on_case(tx, case, actor=actor, now=now, record=records.MediatorUnassigned(mediator))
    log.info("mediator_unassigned", case=reference, mediator=mediator, actor=actor)


# -- sessions ---------------------------------------------------------------------------------

ATTENDEES = "attendees"


def add_session(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    actor: str,
    starts: date | datetime,
    format: str,
    place: str | None = None,
    interpreters: Sequence[str] = (),
    attendees: Sequence[str] = (),
    notes: str | None = None,
) -> Session:
    """A mediation session of the case (`starts`: a day is its local midnight; stored UTC). A
    user recording it must be allowed to, and a mediator's user only on its own cases."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    with uow.write() as tx:
        user = tx.users.get(actor)
        if user is not None:
            check_visible(tx, user, reference)
            require(user.role, Action.RECORD_MEDIATION)
        case = tx.cases.get(reference)
        now = clock.now()
        session = Session(
            number=tx.mediators.next_session(reference),
            starts_at=starts_at(starts, case),
            format=Format(format),
            place=place,
            interpreters=tuple(interpreters),
            attendees=tuple(attendees),
            notes=notes,
            recorded_by=actor,
            recorded_at=now,
        )
        tx.mediators.add_session(reference, session)
        recorded = records.MediationSessionRecorded(
            session.number,
            session.starts_at,
            session.format.value,
            session.place,
            session.interpreters,
            session.attendees,
        )
        _on_case(tx, case, actor=actor, now=now, record=recorded)
    log.info("mediation_session_recorded", case=reference, number=session.number, actor=actor)
    return session


def starts_at(starts: date | datetime, case: Case) -> datetime:
    """A session's start in UTC: a day is its local midnight, a time without an offset the
    NCP's local time (the case's zone)."""
    if not isinstance(starts, datetime):
        return case.calendar.start_of_day(starts)
    if starts.tzinfo is None:
        starts = starts.replace(tzinfo=zone(case.calendar.timezone))
    return starts.astimezone(UTC)


def may_read_notes(viewer: User | None) -> bool:
    """Session notes are NCP-internal: for those who read internal material, and for those who
    record sessions (the case's own mediators)."""
    return viewer is None or allows(viewer.role, Action.READ_INTERNAL, Action.RECORD_MEDIATION)


def mediation(
    *, uow: UnitOfWork, reference: str, viewer: User | None = None, language: str = "en"
) -> read_models.Mediation:
    """The case's mediators and sessions as `viewer` may see them (None: the operator)."""
    tr: Translator = translator(language)
    with uow.read() as tx:
        if viewer is not None:
            check_visible(tx, viewer, reference)
        case = tx.cases.get(reference)
        registered = {m.id: m for m in tx.mediators.all()}
        assignments = tx.mediators.assignments(reference)
        sessions = tx.mediators.sessions(reference)
        redaction = redactions.for_viewer(tx, viewer, language) if viewer is not None else None
    notes = may_read_notes(viewer)
    shown = read_models.Mediation(
        reference=reference,
        assignments=[
            read_models.AssignmentView(
                mediator=a.mediator,
                name=registered[a.mediator].name if a.mediator in registered else a.mediator,
                assigned_at=a.assigned_at.isoformat(),
                assigned_by=a.assigned_by,
                override=a.override,
                conflicts=[c.text() for c in a.conflicts],
                now=[
                    read_models.ConflictFound(
                        party=f.party, soft=f.soft, conflict=f.shown, text=f.describe(tr=tr)
                    )
                    for f in (found_on(case, registered[a.mediator]) if a.mediator in registered else ())
                ],
                active=a.active,
                ended_at=a.ended_at.isoformat() if a.ended_at else None,
            )
            for a in assignments
        ],
        sessions=[
            read_models.SessionView(
                number=s.number,
                starts_at=s.starts_at.isoformat(),
                format=s.format.value,
                place=s.place,
                interpreters=list(s.interpreters),
                attendees=list(s.attendees),
                notes=s.notes if notes else None,
                recorded_by=s.recorded_by,
                recorded_at=s.recorded_at.isoformat(),
            )
            for s in sessions
        ],
    )
    return redacted(shown, redaction, reference) if redaction is not None else shown
