"""Use cases on the NCPs of a case: the lead (one, or two jointly), supporting NCPs and their
roles, the complainant's preference, the coordination step that decides the lead, the handover
of the lead, and supporting NCPs' review tasks on statement drafts.

Each change is one write transaction with its audit entry (states/records.py: `ncp_lead_set`,
`ncp_lead_transferred`, `ncp_supporting_added`, `ncp_role_changed`, `ncp_supporting_removed`,
`ncp_lead_preferred`, `review_requested`, `review_recorded`). The case's list of supporting NCPs
(`supporting_ncps`, which the OECD export and `case edit` know) is kept in step in the same
transaction.

Coordination is procedure data (oecd-2023 version 5): `begin_coordination` records the fact
`coordination_begun`, which starts the deadline `coordination` (`[timelines] coordination`);
recording the lead while coordination is open records `lead_agreed` as well, which meets it. A
procedure without those facts has no coordination step; the lead is then simply recorded.

A review task asks a supporting NCP in the role `reviews_drafts` to review a statement draft by a
day (`[coordination] review_within` after the request unless given); `record_review` answers it
with the NCP's comment (called by hand, or by a bundle bringing the comment from that NCP). While
open, the sweep alerts the case's lead at each `[alerts]` rung of its due day (`alert_due`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from states import facts as fact_rules
from states import records
from states.case import Case, require_actor
from states.errors import REASON, Input, InvalidInputError, StepRefusedError
from states.limits import NOTE_MAX, check_optional, check_text
from states.messages import N_
from states.ncp_roles import CaseNcps, Role
from states.ncp_roles import add_supporting as decide_add
from states.ncp_roles import change_role as decide_change
from states.ncp_roles import prefer as decide_prefer
from states.ncp_roles import remove_supporting as decide_remove
from states.ncp_roles import role as parse_role
from states.ncp_roles import set_lead as decide_lead
from states.ncp_roles import transfer as decide_transfer
from states.permissions import Action
from states.reviews import ReviewTask, check_comment, digest, open_task
from workflow import inputs, read_models
from workflow.config import Settings
from workflow.logging import get_logger
from workflow.ports import Clock, Renderer, Transaction, UnitOfWork
from workflow.users import authorise

log = get_logger("ncpflow.ncps")

COORDINATION_BEGUN = "coordination_begun"
LEAD_AGREED = "lead_agreed"
STATEMENT = Input(N_("a statement"), "statement")
DUE = Input(N_("the due date"), "due")


def code(value: str, what: Input) -> str:
    """An NCP named by its country's ISO 3166 alpha-2 code, in either case."""
    found = inputs.country(value)
    if found is None:
        raise InvalidInputError(
            N_("{what}: '{value}' is not an ISO 3166 country code (two letters, e.g. SE)"),
            what=what,
            value=value,
        )
    return found


def _append(
    tx: Transaction,
    case: Case,
    *,
    actor: str,
    at: datetime,
    record: records.AuditRecord,
    reason: str | None = None,
) -> None:
    """The use case's audit entry: the case stays in its state."""
    tx.audit.append(
        case_ref=case.reference,
        actor=actor,
        at=at,
        from_state=case.state,
        to_state=case.state,
        reason=reason,
        record=record,
    )


def _open(tx: Transaction, reference: str) -> Case:
    """The case, refused when it is in a terminal state (its NCPs are part of the record)."""
    case = tx.cases.get(reference)
    if case.procedure.is_terminal(case.state):
        raise StepRefusedError(
            reference=case.reference,
            state=case.state,
            problem=Input(N_("the case is closed; its NCPs can no longer change")),
        )
    return case


def _store(tx: Transaction, case: Case, ncps: CaseNcps) -> Case:
    """Write the NCPs and keep the case's list of supporting codes in step with them."""
    codes = tuple(s.ncp for s in ncps.supporting)
    if codes != case.details.supporting_ncps:
        case = tx.cases.save(
            replace(case, details=replace(case.details, supporting_ncps=codes)), previous=case
        )
    tx.ncps.save(case.reference, ncps)
    return case


def _fact(
    tx: Transaction, case: Case, *, fact: str, on: date, actor: str, now: datetime, settings: Settings
) -> Case:
    """Record a coordination fact in the caller's transaction, as `case record` would."""
    recorded, event = fact_rules.record_fact(
        case, fact=fact, on=on, actor=actor, at=now, policy=settings.policy
    )
    saved = tx.cases.save(recorded, previous=case)
    _append(tx, case, actor=actor, at=now, record=records.FactRecorded.of(event, version=saved.version))
    return saved


def coordinating(case: Case) -> bool:
    """Whether the case's coordination is open: begun and no lead agreed since."""
    return COORDINATION_BEGUN in fact_rules.open_facts(case.facts, case.procedure)


# -- the lead and the supporting NCPs ----------------------------------------------------------


def begin_coordination(
    *, uow: UnitOfWork, clock: Clock, settings: Settings, reference: str, actor: str, on: date | None = None
) -> Case:
    """The NCPs concerned begin to agree on the lead (`coordination_begun` on `on`, default
    today): the coordination clock starts. Refused where the procedure has no coordination step."""
    require_actor(actor)
    with uow.write() as tx:
        authorise(tx, actor, Action.EDIT_CASE)
        case = _open(tx, reference)
        if COORDINATION_BEGUN not in case.procedure.facts:
            raise StepRefusedError(
                reference=case.reference,
                state=case.state,
                problem=Input(
                    N_("procedure {procedure} has no coordination step"),
                    params={"procedure": f"{case.procedure.id}@{case.procedure.version}"},
                ),
            )
        now = clock.now()
        saved = _fact(
            tx,
            case,
            fact=COORDINATION_BEGUN,
            on=on or case.calendar.local_date(now),
            actor=actor,
            now=now,
            settings=settings,
        )
    log.info("ncp_coordination_begun", case=reference, actor=actor)
    return saved


def set_lead(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    reference: str,
    lead: Sequence[str],
    actor: str,
    reason: str | None = None,
    on: date | None = None,
) -> CaseNcps:
    """Record the lead NCP (one code, or two that lead jointly). While coordination is open,
    `lead_agreed` is recorded as well (on `on`, default today), meeting its deadline."""
    require_actor(actor)
    check_optional(reason, REASON, limit=NOTE_MAX)
    codes = tuple(code(c, Input(N_("the lead NCP"), "lead")) for c in lead)
    own = settings.ncp.country
    with uow.write() as tx:
        authorise(tx, actor, Action.EDIT_CASE)
        case = _open(tx, reference)
        before = tx.ncps.of_case(reference)
        after = decide_lead(before, codes, own=own)
        now = clock.now()
        if coordinating(case):
            case = _fact(
                tx,
                case,
                fact=LEAD_AGREED,
                on=on or case.calendar.local_date(now),
                actor=actor,
                now=now,
                settings=settings,
            )
        case = _store(tx, case, after)
        _append(
            tx,
            case,
            actor=actor,
            at=now,
            reason=reason,
            record=records.LeadSet(after.lead, before.leads(own)),
        )
    log.info("ncp_lead_set", case=reference, lead=list(after.lead), actor=actor)
    return after


def transfer_lead(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    reference: str,
    to: str,
    actor: str,
    reason: str,
    keep_as: str | None = Role.CONSULTED.value,
) -> CaseNcps:
    """Hand the lead over to `to` (a handover to another NCP): the NCPs that led stay as
    supporting NCPs in `keep_as` (None: they leave the case). Audited with the reason."""
    require_actor(actor)
    check_text(reason, REASON, limit=NOTE_MAX)
    target = code(to, Input(N_("the new lead NCP"), "to"))
    kept = parse_role(keep_as) if keep_as is not None else None
    own = settings.ncp.country
    with uow.write() as tx:
        authorise(tx, actor, Action.EDIT_CASE)
        case = _open(tx, reference)
        before = tx.ncps.of_case(reference)
        after = decide_transfer(before, target, own=own, keep_as=kept)
        now = clock.now()
        case = _store(tx, case, after)
        record = records.LeadTransferred(target, before.leads(own), kept.value if kept else None)
        _append(tx, case, actor=actor, at=now, reason=reason, record=record)
    log.info("ncp_lead_transferred", case=reference, to=target, actor=actor)
    return after


def add_supporting(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    reference: str,
    ncp: str,
    role: str,
    actor: str,
    reason: str | None = None,
) -> CaseNcps:
    """`ncp` supports the case in `role` (consulted, reviews_drafts, translates)."""
    return _supporting_change(
        uow=uow,
        clock=clock,
        settings=settings,
        reference=reference,
        ncp=ncp,
        actor=actor,
        reason=reason,
        change=lambda ncps, found, own: _added(ncps, found, parse_role(role), own),
    )


def change_role(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    reference: str,
    ncp: str,
    role: str,
    actor: str,
    reason: str | None = None,
) -> CaseNcps:
    """A supporting NCP's role becomes `role`."""
    return _supporting_change(
        uow=uow,
        clock=clock,
        settings=settings,
        reference=reference,
        ncp=ncp,
        actor=actor,
        reason=reason,
        change=lambda ncps, found, own: _changed(ncps, found, parse_role(role)),
    )


def remove_supporting(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    reference: str,
    ncp: str,
    actor: str,
    reason: str | None = None,
) -> CaseNcps:
    """`ncp` no longer supports the case (its open review tasks stay on record)."""
    return _supporting_change(
        uow=uow,
        clock=clock,
        settings=settings,
        reference=reference,
        ncp=ncp,
        actor=actor,
        reason=reason,
        change=lambda ncps, found, own: _removed(ncps, found),
    )


def _added(ncps: CaseNcps, ncp: str, chosen: Role, own: str) -> tuple[CaseNcps, records.AuditRecord]:
    return decide_add(ncps, ncp, chosen, own=own), records.SupportingAdded(ncp, chosen.value)


def _changed(ncps: CaseNcps, ncp: str, chosen: Role) -> tuple[CaseNcps, records.AuditRecord]:
    after, before = decide_change(ncps, ncp, chosen)
    return after, records.SupportingChanged(ncp, chosen.value, before.value)


def _removed(ncps: CaseNcps, ncp: str) -> tuple[CaseNcps, records.AuditRecord]:
    after, before = decide_remove(ncps, ncp)
    return after, records.SupportingRemoved(ncp, before.value)


def _supporting_change(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    reference: str,
    ncp: str,
    actor: str,
    reason: str | None,
    change: Callable[[CaseNcps, str, str], tuple[CaseNcps, records.AuditRecord]],
) -> CaseNcps:
    require_actor(actor)
    check_optional(reason, REASON, limit=NOTE_MAX)
    found = code(ncp, Input(N_("an NCP"), "ncp"))
    with uow.write() as tx:
        authorise(tx, actor, Action.EDIT_CASE)
        case = _open(tx, reference)
        after, record = change(tx.ncps.of_case(reference), found, settings.ncp.country)
        now = clock.now()
        case = _store(tx, case, after)
        _append(tx, case, actor=actor, at=now, reason=reason, record=record)
    log.info(record.kind, case=reference, ncp=found, actor=actor)
    return after


def prefer_lead(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    ncp: str,
    actor: str,
    note: str | None = None,
) -> CaseNcps:
    """Record the complainant's preference for the lead NCP (a later one replaces it)."""
    require_actor(actor)
    check_optional(note, Input(N_("a note"), "note"), limit=NOTE_MAX)
    found = code(ncp, Input(N_("the preferred lead NCP"), "ncp"))
    with uow.write() as tx:
        authorise(tx, actor, Action.EDIT_CASE)
        case = tx.cases.get(reference)
        after = decide_prefer(tx.ncps.of_case(reference), found, note)
        now = clock.now()
        assert after.preference is not None
        tx.ncps.prefer(reference, after.preference, at=now, by=actor)
        _append(
            tx, case, actor=actor, at=now, reason=after.preference.note, record=records.LeadPreferred(found)
        )
    log.info("ncp_lead_preferred", case=reference, ncp=found, actor=actor)
    return after


# -- review tasks ------------------------------------------------------------------------------


def request_review(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    reference: str,
    statement: int,
    actor: str,
    ncps: Sequence[str] = (),
    due: date | None = None,
) -> list[ReviewTask]:
    """A review task on statement `statement` (a draft) for each supporting NCP that reviews
    drafts (or those of them named in `ncps`), due on `due` or `[coordination] review_within`
    from today. Refused: no such draft, no NCP reviewing drafts, a named NCP that does not, an
    NCP with an open task on that statement already, a due day not after today."""
    require_actor(actor)
    named = tuple(code(n, Input(N_("an NCP"), "ncp")) for n in ncps)
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_STATEMENTS)
        case = _open(tx, reference)
        found = next((s for s in tx.statements.statements(reference) if s.number == statement), None)
        if found is None or not found.is_draft:
            raise InvalidInputError(
                N_("{what}: case {reference} has no statement draft number {number}"),
                what=STATEMENT,
                reference=reference,
                number=statement,
            )
        current = tx.ncps.of_case(reference)
        reviewers = current.reviewers()
        for n in named:
            if n not in reviewers:
                raise InvalidInputError(
                    N_("{what}: {code} does not review drafts on this case"),
                    what=Input(N_("an NCP"), "ncp"),
                    code=n,
                )
        chosen = named or reviewers
        if not chosen:
            raise InvalidInputError(
                N_("{what}: no supporting NCP of case {reference} reviews drafts"),
                what=Input(N_("an NCP"), "ncp"),
                reference=reference,
            )
        existing = tx.ncps.tasks(reference)
        for n in chosen:
            if any(t.ncp == n and t.statement == statement and not t.answered for t in existing):
                raise InvalidInputError(
                    N_("{what}: {code} has an open review task on statement {number} already"),
                    what=Input(N_("an NCP"), "ncp"),
                    code=n,
                    number=statement,
                )
        now = clock.now()
        today = case.calendar.local_date(now)
        due_on = (
            due if due is not None else settings.coordination.review_period.added_to(today, case.calendar)
        )
        if due_on <= today:
            raise InvalidInputError(
                N_("{what} {value} is not after today ({today})"), what=DUE, value=due_on, today=today
            )
        number = tx.ncps.next_task(reference)
        made = []
        for offset, n in enumerate(chosen):
            task = ReviewTask(number + offset, n, statement, due_on, now, actor)
            tx.ncps.add_task(reference, task)
            _append(
                tx,
                case,
                actor=actor,
                at=now,
                record=records.ReviewRequested(task.number, n, statement, due_on),
            )
            made.append(task)
    log.info("review_requested", case=reference, statement=statement, ncps=list(chosen), actor=actor)
    return made


def record_review(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    ncp: str,
    comment: str,
    actor: str,
    statement: int | None = None,
    on: date | None = None,
) -> ReviewTask:
    """Answer `ncp`'s open review task (on `statement`, else its earliest open one) with its
    comment, given `on` that day (default today; not in the future, not before the request).
    The comment is stored; the audit entry holds its sha256 and length."""
    require_actor(actor)
    check_comment(comment)
    found_ncp = code(ncp, Input(N_("an NCP"), "ncp"))
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_STATEMENTS)
        case = tx.cases.get(reference)
        task = open_task(tx.ncps.tasks(reference), ncp=found_ncp, statement=statement)
        now = clock.now()
        today = case.calendar.local_date(now)
        given = on or today
        asked = case.calendar.local_date(task.requested_at)
        if given > today or given < asked:
            raise InvalidInputError(
                N_("{what} {value} must lie between the request {asked} and today {today}"),
                what=Input(N_("the date of the comment"), "on"),
                value=given,
                asked=asked,
                today=today,
            )
        if not tx.ncps.answer(reference, task.number, at=now, on=given, by=actor, comment=comment):
            raise InvalidInputError(
                N_("{what}: task {number} is answered already"),
                what=Input(N_("a review task"), "task"),
                number=task.number,
            )
        record = records.ReviewRecorded(
            task.number, found_ncp, task.statement, given, digest(comment), len(comment)
        )
        _append(tx, case, actor=actor, at=now, record=record)
    log.info("review_recorded", case=reference, ncp=found_ncp, task=task.number, actor=actor)
    return replace(task, answered_at=now, answered_on=given, answered_by=actor, comment=comment)


def alert_due(
    tx: Transaction, *, now: datetime, today: date, settings: Settings, render: Renderer
) -> list[dict[str, Any]]:
    """In the sweep's transaction: each open review task as a deadline of its own. The case's lead
    and the secretariat are alerted at each rung of `[alerts]` (reminders before its due day, the
    day itself, overdue; no escalation), once per rung (claimed in `review_task_alerts`). What
    each audit entry holds."""
    from states.alerts import RungKind, horizon, rungs_to_fire
    from workflow.alerts import SCHEDULER_ACTOR, new_message_id, recipients_for

    policy = settings.alert_policy
    queued: list[dict[str, Any]] = []
    for reference, task, fired in tx.ncps.due_by(today + timedelta(days=horizon(policy))):
        started = settings.policy.calendar.local_date(task.requested_at) + timedelta(days=1)
        for rung in rungs_to_fire(task.due, policy, today=today, fired=fired, started=started):
            if rung.kind is RungKind.ESCALATION or not tx.ncps.claim_alert(
                reference=reference, task=task.number, rung=rung.key, at=now
            ):
                continue
            case = tx.cases.get(reference)
            recipients = recipients_for(case, rung.kind, settings)
            for recipient in recipients:
                rendered = render(
                    "review_due",
                    recipient.language,
                    {
                        "reference": reference,
                        "title": case.title,
                        "ncp": task.ncp,
                        "statement": task.statement,
                        "due": task.due,
                        "when": rung.kind.value,
                        "recipient_name": recipient.name,
                        "ncp_name": settings.ncp.name_in(recipient.language),
                    },
                )
                tx.outbox.add(
                    message_id=new_message_id(settings),
                    case_ref=reference,
                    kind="review_due",
                    recipient=recipient.address,
                    language=recipient.language,
                    subject=rendered.subject,
                    text=rendered.text,
                    html=rendered.html,
                    at=now,
                )
            record = records.ReviewDue(
                task.number, task.ncp, task.due, rung.key, tuple(r.key for r in recipients)
            )
            _append(tx, case, actor=SCHEDULER_ACTOR, at=now, record=record)
            log.info("review_due", case=reference, task=task.number, rung=rung.key)
            queued.append({"case": reference, "task": task.number, "rung": rung.key})
    return queued


# -- reading -----------------------------------------------------------------------------------


def ncps_view(
    *, uow: UnitOfWork, clock: Clock, settings: Settings, reference: str, comments: bool = True
) -> read_models.CaseNcpsView:
    """The case's NCPs, coordination and review tasks; the review comments only when `comments`
    (they are NCP-internal)."""
    with uow.read() as tx:
        case = tx.cases.get(reference)
        ncps = tx.ncps.of_case(reference)
        tasks = tx.ncps.tasks(reference)
    return view_of(
        case, ncps, tasks, settings=settings, today=case.calendar.local_date(clock.now()), comments=comments
    )


def view_of(
    case: Case,
    ncps: CaseNcps,
    tasks: list[ReviewTask],
    *,
    settings: Settings,
    today: date,
    comments: bool = True,
) -> read_models.CaseNcpsView:
    own = settings.ncp.country
    deadline = next((d for d in case.deadlines if d.name == "coordination"), None)
    return read_models.CaseNcpsView(
        reference=case.reference,
        lead=list(ncps.leads(own)),
        lead_recorded=bool(ncps.lead),
        own=own,
        position=ncps.position(own, own),
        supporting=[read_models.SupportingNcp(ncp=s.ncp, role=s.role.value) for s in ncps.supporting],
        preference=(
            read_models.LeadPreferenceView(ncp=ncps.preference.ncp, note=ncps.preference.note)
            if ncps.preference
            else None
        ),
        coordination=(
            "open" if coordinating(case) else "agreed" if fact_rules.latest(case.facts, LEAD_AGREED) else None
        ),
        coordination_due=deadline.due.isoformat() if deadline is not None else None,
        coordination_met_on=deadline.met_on.isoformat() if deadline is not None and deadline.met_on else None,
        reviews=[
            read_models.ReviewTaskView(
                number=t.number,
                ncp=t.ncp,
                statement=t.statement,
                due=t.due.isoformat(),
                requested_at=t.requested_at.isoformat(),
                requested_by=t.requested_by,
                answered_on=t.answered_on.isoformat() if t.answered_on else None,
                answered_by=t.answered_by,
                status=t.status(today).value,
                comment=t.comment if comments else None,
            )
            for t in tasks
        ],
    )
