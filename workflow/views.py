"""Read models for the web app and API: a page of cases, a case as a viewer may see it, the
audit log paged; who may advance a case. A viewer who may not see identities (auditors,
`states.permissions.may_see_identities`) gets every one of them redacted (`workflow.redaction`):
confidential submitters' names and organisation numbers become pseudonyms wherever they occur.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TypeVar

from pydantic import BaseModel

from states import search as search_rules
from states.case import Case, Policy
from states.chain import AuditEntry
from states.errors import Input
from states.issues import Issue
from states.lifecycle import State
from states.messages import N_
from states.permissions import Action, PermissionDeniedError, allows, may_see_at_risk, may_see_identities
from states.precision import shown
from states.procedure import Procedure
from states.redaction import NOTHING, Redaction
from states.users import User
from workflow import cases, commands, inputs, queries, read_models, related, rotation_views
from workflow import redaction as redactions
from workflow.config import Settings
from workflow.ports import Clock, Transaction, UnitOfWork


class ForbiddenError(PermissionDeniedError):
    """The user's role does not allow the step on this case (the API answers 403)."""


Model = TypeVar("Model", bound=BaseModel)


def redacted(
    model: Model, redaction: Redaction, reference: str | None = None, keep: frozenset[str] = frozenset()
) -> Model:
    """The model with its free text redacted (identifiers, and the top-level keys in `keep`,
    kept); itself when nothing is hidden.

    Redaction works on the JSON spelling, which the model reads back."""
    if redaction is NOTHING:
        return model
    data = redaction.value(read_models.json_of(model), reference, keep=redactions.IDENTIFIERS | keep)
    return type(model).model_validate(data)


# A hit's keys that hold no free text (flags, ids, dates, a deadline's name and day): the title,
# the parties and the lead's name are redacted, as everywhere.
_HIT_FIELDS = frozenset({"closed", "paused", "lead_member", "received", "last_step_at", "themes", "next_due"})


def case_view(
    *, uow: UnitOfWork, case: Case, today: date, viewer: User, language: str = "en"
) -> read_models.Case:
    """What `case show --json` prints, redacted for a viewer who may not see identities;
    deadline explanations in `language` (the API keeps the English default)."""
    lead = rotation_views.lead_view(uow=uow, case=case, language=language)
    with uow.read() as tx:
        issues = tx.issues.of_case(case.reference)
        links = related.related(tx, case.reference, tx.case_links.of_case(case.reference), viewer)
    return _case_view(
        case,
        lead,
        issues,
        today=today,
        language=language,
        redaction=redactions.read_for_viewer(uow, viewer, language),
        links=links,
    )


def _case_view(
    case: Case,
    panel: read_models.Panel,
    issues: Sequence[Issue],
    *,
    today: date,
    language: str,
    redaction: Redaction,
    links: Sequence[read_models.RelatedCase] = (),
) -> read_models.Case:
    return redacted(
        queries.case_document(case, panel, issues, today=today, language=language, links=links),
        redaction,
        case.reference,
    )


def case_issues(*, uow: UnitOfWork, reference: str, viewer: User) -> read_models.CaseIssues:
    """A case's issues as `viewer` may see them: titles are free text, redacted like the rest."""
    with uow.read() as tx:
        found = queries.case_issues(uow=uow, reference=reference)
        redaction = redactions.for_viewer(tx, viewer)
    return redacted(found, redaction, reference)


def case_page(
    *,
    uow: UnitOfWork,
    today: date,
    viewer: User,
    state: str | None = None,
    lead: str | None = None,
    overdue: bool = False,
    open_only: bool = False,
    limit: int = 50,
    offset: int = 0,
    states: Iterable[str] = tuple(State),
    language: str = "en",
) -> read_models.CasePage:
    """One page of cases, oldest first; filtering, counting and paging happen in the database;
    `state` one of `states` (the configured procedure's)."""
    chosen = inputs.one_of(states, state, N_("state"), "state") if state is not None else None
    with uow.read() as tx:  # cases and their leads from one snapshot
        total, cases = tx.cases.page(
            state=chosen,
            lead=lead,
            overdue_on=today if overdue else None,
            open_only=open_only,
            limit=limit,
            offset=offset,
            mediated_by=redactions.mediated_by(viewer),
        )
        redaction = redactions.for_viewer(tx, viewer, language)
        leads = rotation_views.lead_views(uow=uow, cases=cases, language=language)
        issues = tx.issues.of_cases([c.reference for c in cases])
        links = related.related_of(tx, [c.reference for c in cases], viewer)
    return read_models.CasePage(
        total=total,
        limit=limit,
        offset=offset,
        items=[
            _case_view(
                c,
                leads[c.reference],
                issues.get(c.reference, ()),
                today=today,
                language=language,
                redaction=redaction,
                links=links.get(c.reference, ()),
            )
            for c in cases
        ],
    )


def find_cases(
    *,
    uow: UnitOfWork,
    today: date,
    viewer: User,
    find: commands.FindCases,
    procedure: Procedure,
    language: str = "en",
) -> read_models.CaseHits:
    """The page of cases `find` asks for, as `viewer` may see them: searched, filtered, counted,
    ordered and paged in the database (storage/search.py), then only that page's cases read.

    A reader who may not see identities finds nothing through a protected party's name or
    number, and sees pseudonyms in the hits; a member likewise for the parties at risk of
    reprisal of the cases it does not lead. "My cases" (`mine`): a user linked to a member,
    the cases that member leads (every active member without a conflict sits on a case's panel,
    so the panel would be nearly every case); any other user, the cases they made a step on.
    A stage the procedure does not have, or a lead no member is, is refused naming the filter.
    """
    query = search_rules.parse_query(find.q)
    order = find.order or ("relevance" if not query.empty else "received")
    mine_led = viewer.member_id if find.mine and viewer.member_id else None
    with uow.read() as tx:
        members = tx.members.all()
        if find.state is not None:
            inputs.one_of(procedure.states, find.state, N_("stage"), "state")
        if find.lead is not None:
            inputs.one_of([m.id for m in members], find.lead, N_("member"), "lead")
        filters = search_rules.Filters(
            query=query,
            identities=_identities(tx, viewer, query),
            at_risk=may_see_at_risk(viewer.role),
            risk_lead=viewer.member_id,
            state=find.state,
            lead=find.lead,
            overdue_on=today if find.overdue else None,
            paused=find.paused,
            closed=find.closed,
            received_from=date(find.year, 1, 1) if find.year else None,
            received_before=date(find.year + 1, 1, 1) if find.year else None,
            theme=find.theme,
            led_by=mine_led,
            acted_by=viewer.name if find.mine and mine_led is None else None,
            mediated_by=redactions.mediated_by(viewer),
        )
        total, found = tx.cases.find(
            filters, order=order, limit=find.per_page, offset=(find.page - 1) * find.per_page
        )
        redaction = redactions.for_viewer(tx, viewer, language)  # pseudonyms in the page's words
    names = {m.id: m.name for m in members}
    return read_models.CaseHits(
        query=query.text,
        order=order,  # type: ignore[arg-type]  # one of commands.ORDERS
        total=total,
        page=find.page,
        per_page=find.per_page,
        items=[redacted(_hit(case, names, today), redaction, case.reference, _HIT_FIELDS) for case in found],
    )


def _identities(tx: Transaction, viewer: User, query: search_rules.Query) -> bool:
    """Whether the search matches the words only readers who may see identities match: not for
    a reader who may not, nor for a member whose query begins a word of a party it may not see
    (one at risk of reprisal in a case it does not lead), so no hit says where that name is."""
    if not may_see_identities(viewer.role):
        return False
    if query.empty or may_see_at_risk(viewer.role):
        return True
    typed = {word for term in query.terms for choice in term.choices for word in choice}
    hidden = {word for item in redactions.hidden_from(tx, viewer) for word in search_rules.terms(item.name)}
    return not any(word.startswith(prefix) for prefix in typed for word in hidden)


def lead_choices(*, uow: UnitOfWork) -> list[tuple[str, str]]:
    """Every member who may lead or has led a case, as (id, name), in config order: the lead
    filter's choices."""
    with uow.read() as tx:
        return [(m.id, m.name) for m in tx.members.all()]


def _hit(case: Case, names: Mapping[str, str], today: date) -> read_models.CaseHit:
    upcoming = queries.next_due(case)
    return read_models.CaseHit(
        reference=case.reference,
        title=case.title,
        state=case.state,
        closed=case.is_terminal,
        paused=case.paused,
        lead_member=case.lead_member,
        lead_name=names.get(case.lead_member or ""),
        received=shown(case.received_on, case.received_precision),
        last_step_at=case.last_event_at.isoformat(),
        parties=[
            read_models.Party(role=p.role, name=p.name, type=p.type, confidential=p.confidential)
            for p in case.parties
        ],
        themes=list(case.details.themes),
        next_due=(
            read_models.NextDue(
                name=upcoming.name,
                due=upcoming.due,
                status=upcoming.status(today),
                days_left=(upcoming.due - today).days,
            )
            if upcoming
            else None
        ),
    )


def entry_view(entry: AuditEntry, redaction: Redaction) -> read_models.AuditEntry:
    """An audit entry as a reader sees it: free text (reason, actor, data) redacted."""
    view = read_models.AuditEntry(
        seq=entry.seq,
        case_ref=entry.case_ref,
        kind=entry.kind,
        actor=entry.actor,
        at=entry.at,
        from_state=entry.from_state,
        to_state=entry.to_state,
        reason=entry.reason,
        data=dict(entry.data),
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )
    return redacted(view, redaction, entry.case_ref)


def audit_page(
    *,
    uow: UnitOfWork,
    viewer: User,
    case_ref: str | None = None,
    kind: str | None = None,
    limit: int = 100,
    offset: int = 0,
    before: int | None = None,
    newest_first: bool = False,
    language: str = "en",
) -> read_models.AuditPage:
    """A page of the audit log, read in the database: oldest first after `offset`, or newest
    first below seq `before` (the audit page's "older" link)."""
    with uow.read() as tx:
        if case_ref is not None:
            tx.cases.get(case_ref)  # an unknown reference is an error, not an empty page
        entries = tx.audit.page(
            case_ref=case_ref, kind=kind, limit=limit, offset=offset, before=before, newest_first=newest_first
        )
        redaction = redactions.for_viewer(tx, viewer, language)
    if not allows(viewer.role, Action.READ_INTERNAL):
        entries = [_withheld(e) for e in entries]
    return read_models.AuditPage(
        limit=limit, offset=offset, items=[entry_view(e, redaction) for e in entries]
    )


def _withheld(entry: AuditEntry) -> AuditEntry:
    """An `ncp` document's title and file name hidden (states.documents.withheld_data)."""
    from dataclasses import replace

    from states.documents import withheld_data

    hidden = withheld_data(entry.kind, entry.data)
    return entry if hidden is None else replace(entry, data=hidden, data_json=None)


def members_page(
    *, uow: UnitOfWork, clock: Clock, settings: Settings, viewer: User, language: str
) -> tuple[read_models.Members, read_models.Rotation]:
    """The members page's two views (`members list`, `rotation show`), redacted for a viewer
    who may not see identities: a member's declared conflict may name a confidential party."""
    redaction = redactions.read_for_viewer(uow, viewer, language)
    members = rotation_views.members_view(uow=uow, clock=clock, settings=settings, language=language)
    rotation = rotation_views.rotation_view(uow=uow, clock=clock, settings=settings, language=language)
    return redacted(members, redaction), redacted(rotation, redaction)


def audit_kinds(*, uow: UnitOfWork) -> list[str]:
    """The kinds of entry the log holds, for the audit page's filter."""
    with uow.read() as tx:
        return tx.audit.kinds()


def may_advance(user: User, case: Case) -> None:
    """As the permission table says: some roles advance any case, some only the cases they
    lead (their user is linked to the case's lead member), others none."""
    if allows(user.role, Action.ADVANCE_ANY_CASE):
        return
    if not allows(user.role, Action.ADVANCE_LED_CASE):
        raise ForbiddenError(user.role, Action.ADVANCE_ANY_CASE)
    if user.member_id is None or case.lead_member != user.member_id:
        raise ForbiddenError(
            user.role,
            Action.ADVANCE_ANY_CASE,
            Input(
                N_(
                    "member {member} does not lead case {reference} (lead: {lead}); only its lead "
                    "or a handler may advance it"
                ),
                params={
                    "member": user.member_id,
                    "reference": case.reference,
                    "lead": case.lead_member or Input(N_("nobody")),
                },
            ),
        )


def advance_as(
    user: User,
    *,
    uow: UnitOfWork,
    clock: Clock,
    policy: Policy,
    reference: str,
    trigger: str,
    reason: str,
    outcome: str | None = None,
    at: date | datetime | None = None,
    expected_version: int | None = None,
    scope: str | None = None,
    then: Callable[[Case], None] | None = None,
) -> Case:
    """`cases.advance` with the user as actor, refused (ForbiddenError) unless they may."""
    return cases.advance(
        uow=uow,
        clock=clock,
        policy=policy,
        reference=reference,
        trigger=trigger,
        actor=user.name,
        reason=reason,
        outcome=outcome,
        at=at,
        expected_version=expected_version,
        scope=scope,
        may=lambda case: may_advance(user, case),
        then=then,
    )


def health(*, uow: UnitOfWork) -> None:
    """Raise (StorageUnavailableError) unless the database answers and has the users table."""
    with uow.read() as tx:
        tx.users.get("")
