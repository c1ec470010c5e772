"""The alert sweep: fire each due rung once, queue its e-mails in the outbox, audit it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from states import audit_wording, records
from states.alerts import RungKind, horizon, rungs_to_fire
from states.case import Case
from workflow import procedures
from workflow.config import Settings
from workflow.logging import get_logger
from workflow.ports import Clock, Renderer, Transaction, UnitOfWork

log = get_logger("ncpflow.alerts")

SCHEDULER_ACTOR = "scheduler"


@dataclass(frozen=True)
class Recipient:
    key: str  # member id, or the address for the secretariat
    address: str
    name: str
    language: str


def recipients_for(case: Case, kind: RungKind, settings: Settings) -> list[Recipient]:
    """The lead member and the secretariat; the chair as well on escalation."""
    default = settings.ncp.language
    members = {m.id: m for m in settings.members}
    chosen: list[Recipient] = []
    lead = members.get(case.lead_member) if case.lead_member else None
    if lead is not None:
        chosen.append(Recipient(lead.id, lead.email, lead.name, lead.language or default))
    for address in settings.ncp.secretariat:
        chosen.append(Recipient(address, address, settings.ncp.name, default))
    if kind is RungKind.ESCALATION:
        for member in settings.members:
            if member.role == "chair":
                chosen.append(Recipient(member.id, member.email, member.name, member.language or default))
    unique: dict[str, Recipient] = {}
    for recipient in chosen:
        unique.setdefault(recipient.address.lower(), recipient)
    return list(unique.values())


def new_message_id(settings: Settings) -> str:
    """A Message-ID fixed when the message is queued, so a resend is recognisably the same."""
    domain = settings.smtp.sender.rpartition("@")[2] or "ncpflow.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def message_kind(deadline: str, kind: RungKind) -> str:
    if kind is RungKind.REMINDER:
        return "acknowledgement_reminder" if deadline == "acknowledgement" else "reminder"
    return {RungKind.DUE: "due_today", RungKind.OVERDUE: "overdue", RungKind.ESCALATION: "escalation"}[kind]


def sweep(*, uow: UnitOfWork, clock: Clock, settings: Settings, render: Renderer) -> list[dict[str, Any]]:
    """One sweep at the clock's now; idempotent, and catches up without flooding. With
    `[parties] update_every`, it also reminds the leads of parties who have had no word
    (workflow/party_updates.py), and alerts the leads of update requests to the parties that fell
    due (workflow/follow_up.py). What each audit entry holds, alerts first."""
    policy = settings.alert_policy
    queued: list[dict[str, Any]] = []
    with uow.write() as tx:
        # Read the clock under the write lock, as `advance` does: a sweeper that waited for
        # another never sweeps as of an earlier moment (or day) than the one before it.
        now = clock.now()
        today = settings.policy.calendar.local_date(now)
        candidates = tx.alerts.candidates(due_until=today + timedelta(days=horizon(policy)))
        cases: dict[str, Case] = {}
        for candidate in candidates:
            for rung in rungs_to_fire(
                candidate.due, policy, today=today, fired=candidate.fired, started=candidate.started
            ):
                if not tx.alerts.claim(
                    deadline_id=candidate.deadline_id, rung=rung.key, due=candidate.due, at=now
                ):
                    continue  # another sweeper claimed it first: that one sends it
                if candidate.case_ref not in cases:
                    cases[candidate.case_ref] = tx.cases.get(candidate.case_ref)
                case = cases[candidate.case_ref]
                queued.append(
                    _queue(
                        tx,
                        case=case,
                        deadline=candidate.deadline,
                        rung_key=rung.key,
                        kind=rung.kind,
                        now=now,
                        today=today,
                        settings=settings,
                        render=render,
                    )
                )
        # Keeping parties informed ([parties] update_every): the leads of silent parties.
        from workflow import party_updates

        queued += party_updates.remind(tx, now=now, today=today, settings=settings, render=render)
        # Comment rounds' windows (workflow/statements.py): the lead's rungs, the parties' reminder.
        from workflow import statements

        queued += statements.sweep(tx, now=now, today=today, settings=settings, render=render)
        # Update requests to the parties that fell due (workflow/follow_up.py): the lead, once each.
        from workflow import follow_up

        queued += follow_up.alert_due(tx, now=now, today=today, settings=settings, render=render)
        # Supporting NCPs' review tasks that fell due (workflow/ncp_roles.py): the lead, once each.
        from workflow import ncp_roles

        queued += ncp_roles.alert_due(tx, now=now, today=today, settings=settings, render=render)
    log.info("alerts_swept", candidates=len(candidates), queued=len(queued), now=now.isoformat())
    return queued


def _queue(
    tx: Transaction,
    *,
    case: Case,
    deadline: str,
    rung_key: str,
    kind: RungKind,
    now: datetime,
    today: Any,
    settings: Settings,
    render: Renderer,
) -> dict[str, Any]:
    target = case.deadline(deadline)
    assert target is not None
    recipients = recipients_for(case, kind, settings)
    days = abs((target.due - today).days)
    message = message_kind(deadline, kind)
    for recipient in recipients:
        rendered = render(
            message,
            recipient.language,
            {
                "reference": case.reference,
                "title": case.title,
                "deadline": deadline,
                "due": target.due,
                "days": days,
                "explanation": target.explain(tr=procedures.words(case.procedure, recipient.language)),
                "deadline_titles": {
                    deadline: case.procedure.label("deadline_title", deadline, recipient.language)
                },
                "recipient_name": recipient.name,
                "ncp_name": settings.ncp.name_in(recipient.language),
            },
        )
        tx.outbox.add(
            message_id=new_message_id(settings),
            case_ref=case.reference,
            kind=message,
            recipient=recipient.address,
            language=recipient.language,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            at=now,
        )
    alert = records.Alert(case.reference, deadline, rung_key, target.due, tuple(r.key for r in recipients))
    tx.audit.append(
        case_ref=case.reference,
        actor=SCHEDULER_ACTOR,
        at=now,
        from_state=case.state,
        to_state=case.state,
        reason=audit_wording.ALERT.format(rung=rung_key, deadline=deadline),
        record=alert,
    )
    log.info("alert_queued", case=case.reference, deadline=deadline, rung=rung_key)
    return alert.to_data()
