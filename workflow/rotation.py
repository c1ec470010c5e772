"""Use cases on the lead member: bring members in, assign, reassign, recuse, rotate duty, alert.

The rule is pure (states/rotation.py); its state (members, lead decisions, duty periods) lives
in the database and is read and advanced inside the caller's write transaction, which every
writer takes under one lock. So concurrent openings and restarts keep the order.
Every decision is an audit entry naming the candidates, the skips with reasons, the choice.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from states import audit_wording, records
from states.case import Case, Policy, require_actor, require_text
from states.errors import REASON, Input, InvalidInputError, StepRefusedError
from states.members import Member, MemberChanges, Reason, Role, Skip, plan_sync, reasons_not_to_lead
from states.messages import N_, Translator
from states.permissions import Action, PermissionDeniedError, allows
from states.rotation import LeadDecision, RotationMode, choose_duty, choose_lead
from states.users import User
from translations import translator
from workflow.alerts import SCHEDULER_ACTOR, Recipient, new_message_id
from workflow.config import Settings
from workflow.logging import get_logger
from workflow.periods import period_end
from workflow.ports import Clock, Renderer, Transaction, UnitOfWork
from workflow.users import authorise

log = get_logger("ncpflow.rotation")


# -- notices ----------------------------------------------------------------------------------

Worded = Callable[[Translator], str]  # a notice's reason in its recipient's words


def _words_of(decision: LeadDecision) -> Worded:
    """A lead decision (stored: English) in a recipient's words."""
    stored = records.Decision.of(decision)
    return lambda tr: audit_wording.decision(stored, tr)


@dataclass(frozen=True)
class Notices:
    """Where lead notices go (the new lead; the chair; the secretariat), queued in the outbox."""

    settings: Settings
    render: Renderer

    def to_member(self, member: Member) -> Recipient:
        return Recipient(member.id, member.email, member.name, member.language or self.settings.ncp.language)

    def to_chairs(self, members: Iterable[Member]) -> list[Recipient]:
        return [self.to_member(m) for m in members if m.active and m.role is Role.CHAIR]

    def to_secretariat(self) -> list[Recipient]:
        return [
            Recipient(a, a, self.settings.ncp.name, self.settings.ncp.language)
            for a in self.settings.ncp.secretariat
        ]

    def queue(
        self,
        tx: Transaction,
        *,
        kind: str,
        case: Case,
        recipients: Sequence[Recipient],
        reason: Worded,
        now: datetime,
    ) -> list[str]:
        """One e-mail per recipient, in their language: `reason` worded in it."""
        unique: dict[str, Recipient] = {}
        for recipient in recipients:
            unique.setdefault(recipient.address.lower(), recipient)
        for recipient in unique.values():
            rendered = self.render(
                kind,
                recipient.language,
                {
                    "reference": case.reference,
                    "title": case.title,
                    "received": case.received_on,
                    "reason": reason(translator(recipient.language)),
                    "recipient_name": recipient.name,
                    "ncp_name": self.settings.ncp.name_in(recipient.language),
                },
            )
            tx.outbox.add(
                message_id=new_message_id(self.settings),
                case_ref=case.reference,
                kind=kind,
                recipient=recipient.address,
                language=recipient.language,
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
                at=now,
            )
        return [r.key for r in unique.values()]


def _notify_decision(
    tx: Transaction,
    notices: Notices | None,
    *,
    case: Case,
    members: Sequence[Member],
    chosen: str | None,
    reason: Worded,
    now: datetime,
) -> list[str]:
    """The new lead hears they lead; when nobody can, the chair and the secretariat hear why."""
    if notices is None:
        return []
    if chosen is not None:
        lead = next(m for m in members if m.id == chosen)
        return notices.queue(
            tx, kind="case_assigned", case=case, recipients=[notices.to_member(lead)], reason=reason, now=now
        )
    return notices.queue(
        tx,
        kind="lead_unassigned",
        case=case,
        recipients=notices.to_chairs(members) + notices.to_secretariat(),
        reason=reason,
        now=now,
    )


# -- members ----------------------------------------------------------------------------------


def apply_members(
    tx: Transaction, configured: Sequence[Member], *, actor: str, now: datetime
) -> MemberChanges:
    """Bring config's members into the database: add, update, reactivate, deactivate; audited.

    Only config's values are replaced: leave and conflicts set in the browser
    (`workflow.member_settings`) are kept, as they are, whatever the file says."""
    stored = tx.members.configured()
    changes = plan_sync(stored, configured)
    if changes.empty:
        return changes
    for position, member in enumerate(configured):
        tx.members.put(member, position=position, at=now)
    for offset, member_id in enumerate(changes.deactivated):
        tx.members.deactivate(member_id, position=len(configured) + offset, at=now)
    tx.audit.append(
        case_ref=None,
        actor=actor,
        at=now,
        from_state=None,
        to_state=None,
        reason=changes.describe(),
        record=records.MembersSynced.of(changes, [m.id for m in configured]),
    )
    log.info("members_synced", changes=changes.describe(), actor=actor)
    return changes


def sync_members(
    *, uow: UnitOfWork, clock: Clock, settings: Settings, actor: str = "config"
) -> MemberChanges:
    """`members sync` (and `init`, and the members page's button): config.toml's [[members]]
    into the database. An actor who is a user must be allowed to manage members."""
    require_actor(actor)
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_MEMBERS)
        return apply_members(tx, settings.configured_members, actor=actor, now=clock.now())


def _member(members: Sequence[Member], member_id: str) -> Member:
    found = next((m for m in members if m.id == member_id), None)
    if found is None:
        raise InvalidInputError(
            N_("unknown member '{member}'; members: {known}"),
            member=member_id,
            known=", ".join(m.id for m in members) or Input(N_("none (run `ncpflow members sync`)")),
        )
    return found


# -- who may change a case's lead -------------------------------------------------------------


def may_change_lead(user: User, members: Iterable[Member], action: Action) -> None:
    """Whether `user` may reassign a case or recuse its lead (`action`: REASSIGN_CASE or
    RECUSE_MEMBER), as the permission table says: a role holding `action` (handlers) may; a role
    holding CHANGE_LEAD_AS_CHAIR (members) only when its user is linked to the NCP's chair, an
    active `[[members]]` entry with `role = "chair"`. Else PermissionDeniedError naming the
    action (the web answers 403, the command line exits 1)."""
    if allows(user.role, action):
        return
    if not allows(user.role, Action.CHANGE_LEAD_AS_CHAIR):
        raise PermissionDeniedError(user.role, action)
    chairs = [m.id for m in members if m.active and m.role is Role.CHAIR]
    if user.member_id is None or user.member_id not in chairs:
        raise PermissionDeniedError(
            user.role,
            action,
            Input(
                N_(
                    "member {member} is not the NCP's chair (chair: {chair}); only the chair or a "
                    "handler may {action}"
                ),
                params={
                    "member": user.member_id or "(none)",
                    "chair": ", ".join(chairs) or Input(N_("nobody")),
                    "action": Input(action.value),
                },
            ),
        )


def _authorise_lead_change(tx: Transaction, actor: str, members: Iterable[Member], action: Action) -> None:
    """`may_change_lead` for an actor who is a user (signed in, or named by `--actor`); an
    operator who is no user (`cli`) has no role to ask about, as with `users.authorise`."""
    user = tx.users.get(actor)
    if user is not None:
        may_change_lead(user, members, action)


def check_lead_change(*, uow: UnitOfWork, user: User, action: Action) -> None:
    """`may_change_lead` with the members as they stand (one read)."""
    with uow.read() as tx:
        may_change_lead(user, tx.members.all(), action)


def lead_changes(*, uow: UnitOfWork, user: User) -> frozenset[Action]:
    """Which of REASSIGN_CASE and RECUSE_MEMBER `user` may do (`may_change_lead`): the case
    page's forms."""
    with uow.read() as tx:
        members = tx.members.all()
    allowed = set()
    for action in (Action.REASSIGN_CASE, Action.RECUSE_MEMBER):
        try:
            may_change_lead(user, members, action)
        except PermissionDeniedError:
            continue
        allowed.add(action)
    return frozenset(allowed)


# -- deciding ---------------------------------------------------------------------------------


def decide(
    tx: Transaction,
    members: Sequence[Member],
    *,
    case: Case,
    policy: Policy,
    on_day: date,
    recused: frozenset[str] = frozenset(),
) -> LeadDecision:
    """The rule on the database's state: who has led least recently, or who is on duty."""
    rule = policy.rotation
    periodic = rule.mode is RotationMode.PERIODIC
    duty = tx.members.duty() if periodic else None
    return choose_lead(
        members,
        parties=case.parties,
        on=on_day,
        last_led=tx.members.last_led(),
        rule=rule,
        duty=duty.member if duty else None,
        last_on_duty=tx.members.last_on_duty() if periodic else None,
        recused=recused,
    )


def decide_for_new_case(
    tx: Transaction, case: Case, policy: Policy
) -> tuple[LeadDecision, list[Member]] | None:
    """Inside open_case's transaction: the lead for a case received on its date of receipt.

    None when no members were ever brought in (`init` / `members sync`): no rotation to run.
    """
    members = tx.members.all()
    if not members:
        return None
    return decide(tx, members, case=case, policy=policy, on_day=case.received_on), members


def record_new_case(
    tx: Transaction,
    *,
    case: Case,
    decision: LeadDecision,
    members: Sequence[Member],
    policy: Policy,
    actor: str,
    now: datetime,
    notices: Notices | None,
) -> None:
    """After the case row and its `opened` entry: the decision row, the notices, the audit."""
    tx.members.record(
        case_ref=case.reference,
        member_id=decision.chosen,
        kind="opened",
        at=case.received_at,
        explanation=decision.explain(),
        skipped=decision.skipped,
    )
    notified = _notify_decision(
        tx, notices, case=case, members=members, chosen=decision.chosen, reason=_words_of(decision), now=now
    )
    tx.audit.append(
        case_ref=case.reference,
        actor=actor,
        at=case.received_at,
        from_state=case.state,
        to_state=case.state,
        reason=decision.explain(),
        record=records.new_case_lead(
            mode=policy.rotation.mode.value,
            on=case.received_on,
            decision=decision,
            notified=notified,
            recorded_at=now,
        ),
    )
    log.info(
        "lead_decided", case=case.reference, lead=decision.chosen, skipped=[str(s) for s in decision.skipped]
    )


# -- changing the lead of a case --------------------------------------------------------------


def _open_case_for_change(tx: Transaction, reference: str) -> Case:
    case = tx.cases.get(reference)
    if case.is_terminal:
        raise StepRefusedError(
            reference=reference,
            state=case.state,
            problem=Input(N_("the case is closed; its lead no longer changes")),
        )
    return case


def reassign(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    to: str,
    actor: str,
    reason: str,
    override: bool = False,
    notices: Notices | None = None,
) -> Case:
    """Give the case to member `to`; refused for a member who may not lead it unless overridden,
    and for an actor who may not reassign (`may_change_lead`)."""
    require_actor(actor)
    require_text(reason, REASON)
    now = clock.now()
    with uow.write() as tx:
        members = tx.members.all()
        _authorise_lead_change(tx, actor, members, Action.REASSIGN_CASE)
        target = _member(members, to)
        case = _open_case_for_change(tx, reference)
        if case.lead_member == to:
            raise StepRefusedError(
                reference=reference,
                state=case.state,
                problem=Input(N_("{member} already leads the case"), params={"member": to}),
            )
        today = case.calendar.local_date(now)
        blocking = reasons_not_to_lead(
            target, parties=case.parties, on=today, recused=tx.members.recused(reference)
        )
        if blocking and not override:
            raise StepRefusedError(
                reference=reference,
                state=case.state,
                problem=Input(
                    N_(
                        "{member} may not lead it ({why}); add {override} to assign "
                        "anyway (the override is audited)"
                    ),
                    params={
                        "member": to,
                        "why": "; ".join(s.detail for s in blocking),
                        "override": Input("", "override"),
                    },
                ),
            )
        explanation = audit_wording.REASSIGNED.format(actor=actor, reason=reason)
        if blocking:
            explanation = audit_wording.OVERRIDDEN.format(
                text=explanation, skipped="; ".join(str(s) for s in blocking)
            )
        if case.lead_member is not None:
            tx.members.give_up(case_ref=reference, member_id=case.lead_member, at=now, kind="reassigned")
        tx.members.record(
            case_ref=reference, member_id=to, kind="reassigned", at=now, explanation=explanation, skipped=()
        )
        saved = tx.cases.save(replace(case, lead_member=to), previous=case)
        notified = _notify_decision(
            tx,
            notices,
            case=saved,
            members=members,
            chosen=to,
            reason=lambda tr: audit_wording.reassignment(explanation, tr) or explanation,
            now=now,
        )
        tx.audit.append(
            case_ref=reference,
            actor=actor,
            at=now,
            from_state=case.state,
            to_state=case.state,
            reason=reason,
            record=records.LeadReassigned(
                case.lead_member,
                to,
                bool(blocking),
                tuple(records.SkippedMember.of(s) for s in blocking),
                explanation,
                tuple(notified),
                saved.version,
                now,
            ),
        )
    log.info("lead_reassigned", case=reference, lead=to, override=bool(blocking), actor=actor)
    return saved


def recuse(
    *,
    uow: UnitOfWork,
    clock: Clock,
    policy: Policy,
    reference: str,
    member: str,
    actor: str,
    reason: str,
    notices: Notices | None = None,
) -> Case:
    """The lead steps aside; the rule picks the next eligible member (never them again). Refused
    for an actor who may not recuse (`may_change_lead`)."""
    require_actor(actor)
    require_text(reason, REASON)
    now = clock.now()
    with uow.write() as tx:
        members = tx.members.all()
        _authorise_lead_change(tx, actor, members, Action.RECUSE_MEMBER)
        _member(members, member)
        case = _open_case_for_change(tx, reference)
        if case.lead_member != member:
            raise StepRefusedError(
                reference=reference,
                state=case.state,
                problem=Input(
                    N_("{member} does not lead the case (the lead is {lead}); only the lead recuses"),
                    params={"member": member, "lead": case.lead_member or Input(N_("nobody"))},
                ),
            )
        tx.members.give_up(case_ref=reference, member_id=member, at=now, kind="recused")
        decision = decide(
            tx,
            members,
            case=case,
            policy=policy,
            on_day=case.calendar.local_date(now),
            recused=tx.members.recused(reference),
        )
        tx.members.record(
            case_ref=reference,
            member_id=decision.chosen,
            kind="recused",
            at=now,
            explanation=decision.explain(),
            skipped=decision.skipped,
        )
        saved = tx.cases.save(replace(case, lead_member=decision.chosen), previous=case)
        notified = _notify_decision(
            tx,
            notices,
            case=saved,
            members=members,
            chosen=decision.chosen,
            reason=_words_of(decision),
            now=now,
        )
        tx.audit.append(
            case_ref=reference,
            actor=actor,
            at=now,
            from_state=case.state,
            to_state=case.state,
            reason=reason,
            record=records.LeadRecused(
                member,
                policy.rotation.mode.value,
                records.Decision.of(decision),
                tuple(notified),
                saved.version,
                now,
            ),
        )
    log.info("lead_recused", case=reference, member=member, lead=decision.chosen, actor=actor)
    return saved


# -- periodic duty ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyResult:
    rotated: bool
    duty: str | None
    since: datetime | None
    until: datetime | None
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rotated": self.rotated,
            "duty": self.duty,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "explanation": self.explanation,
        }


def advance_duty(
    *, uow: UnitOfWork, clock: Clock, policy: Policy, actor: str = SCHEDULER_ACTOR, force: bool = False
) -> DutyResult:
    """The job behind `rotation advance`: hand duty on when the period is over (or `force`).

    Idempotent: before the period ends it changes nothing, however often it runs.
    """
    rule = policy.rotation
    if rule.mode is not RotationMode.PERIODIC:
        raise InvalidInputError(
            '[rotation] mode is "per_case": there is no duty lead to rotate; '
            'set mode = "periodic" to use duty periods'
        )
    require_actor(actor)
    calendar = policy.calendar
    with uow.write() as tx:
        now = clock.now()  # under the write lock, like the sweep: one order of days
        current = tx.members.duty()
        if current is not None and not force:
            until = period_end(rule.every, since=current.since, calendar=calendar)
            if now < until:
                return DutyResult(
                    False,
                    current.member,
                    current.since,
                    until,
                    f"{current.member} is on duty until {until.isoformat()}",
                )
        members = tx.members.all()
        decision = choose_duty(
            members,
            current=current.member if current else None,
            last_on_duty=tx.members.last_on_duty(),
            on=calendar.local_date(now),
        )
        if decision.chosen is None:
            log.warning("duty_not_rotated", why=decision.explain())
            return DutyResult(
                False,
                current.member if current else None,
                current.since if current else None,
                None,
                decision.explain(),
            )
        tx.members.start_duty(member_id=decision.chosen, at=now, on=calendar.local_date(now), actor=actor)
        until = period_end(rule.every, since=now, calendar=calendar)
        tx.audit.append(
            case_ref=None,
            actor=actor,
            at=now,
            from_state=None,
            to_state=None,
            reason=decision.explain(),
            record=records.DutyRotated(
                current.member if current else None,
                decision.chosen,
                until,
                rule.every,
                force,
                records.Decision.of(decision),
            ),
        )
    log.info("duty_rotated", duty=decision.chosen, until=until.isoformat(), actor=actor)
    return DutyResult(True, decision.chosen, now, until, decision.explain())


# -- leads now conflicted or away -------------------------------------------------------------


@dataclass(frozen=True)
class LeadProblem:
    case: Case
    lead: str
    problems: tuple[Skip, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.case.reference,
            "title": self.case.title,
            "state": self.case.state,
            "lead": self.lead,
            "problems": [s.as_dict() for s in self.problems],
        }


def unavailable_leads(tx: Transaction, *, now: datetime) -> list[LeadProblem]:
    """Open cases whose lead may no longer lead them: conflicted, inactive or away today."""
    members = {m.id: m for m in tx.members.all()}
    if not members:
        return []
    found = []
    for case in tx.cases.list():
        if case.is_terminal or case.lead_member is None:
            continue
        member = members.get(case.lead_member)
        today = case.calendar.local_date(now)
        problems = (
            reasons_not_to_lead(member, parties=case.parties, on=today)
            if member is not None
            else (Skip(case.lead_member, Reason.INACTIVE, audit_wording.UNKNOWN_MEMBER),)
        )
        if problems:
            found.append(LeadProblem(case, case.lead_member, problems))
    return found


def check_leads(*, uow: UnitOfWork, clock: Clock) -> list[LeadProblem]:
    """`rotation check`: a new conflict or leave never moves a case by itself; this lists them."""
    with uow.read() as tx:
        return unavailable_leads(tx, now=clock.now())


def alert_unavailable_leads(
    *, uow: UnitOfWork, clock: Clock, notices: Notices, actor: str = SCHEDULER_ACTOR
) -> list[dict[str, Any]]:
    """The scheduler's job: tell the chair once per (case, lead, problem); audited."""
    if not check_leads(uow=uow, clock=clock):
        return []  # the usual case: no write transaction at all
    alerted: list[dict[str, Any]] = []
    with uow.write() as tx:
        now = clock.now()  # under the write lock, like the sweep: one order of days
        members = tx.members.all()
        for problem in unavailable_leads(tx, now=now):
            fresh = [
                s
                for s in problem.problems
                if tx.members.claim_alert(
                    case_ref=problem.case.reference,
                    member_id=problem.lead,
                    problem=f"{s.reason.value}: {s.detail}",
                    at=now,
                )
            ]
            if not fresh:
                continue
            reason = "; ".join(str(s) for s in fresh)
            recipients = notices.to_chairs(members) or notices.to_secretariat()
            notified = notices.queue(
                tx,
                kind="lead_unavailable",
                case=problem.case,
                recipients=recipients,
                reason=functools.partial(audit_wording.skips, fresh),
                now=now,
            )
            entry = records.LeadAlert(
                problem.case.reference,
                problem.lead,
                tuple(records.SkippedMember.of(s) for s in fresh),
                tuple(notified),
            )
            tx.audit.append(
                case_ref=problem.case.reference,
                actor=actor,
                at=now,
                from_state=problem.case.state,
                to_state=problem.case.state,
                reason=audit_wording.LEAD_GONE.format(problems=reason),
                record=entry,
            )
            alerted.append(entry.to_data())
    log.info("leads_checked", alerted=len(alerted))
    return alerted
