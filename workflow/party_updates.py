"""Keeping parties informed: remind a case's lead when a party has had no word.

With `[parties] update_every` set (`"3mo"`), the alert sweep looks at every party of every open
case: when its last outgoing correspondence (or, never written to, the case's receipt) is that
long ago in the NCP's calendar, the case's lead gets an e-mail through the outbox (the
secretariat, for a case without a lead), with an audit entry (`party_update_due`). Once per
silent period: the period is named by its start, claimed in the sweep's own transaction, so a
sweep run again, or two sweepers racing, remind once; a letter or any outgoing entry starts a
new period.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from states import records
from states.case import Case
from states.parties import party_keys
from translations import translator
from workflow.alerts import SCHEDULER_ACTOR, Recipient, new_message_id
from workflow.config import Settings
from workflow.logging import get_logger
from workflow.ports import Renderer, Transaction

log = get_logger("ncpflow.party_updates")

_PAGE = 500


def lead_or_secretariat(case: Case, settings: Settings) -> list[Recipient]:
    """The case's lead member; the secretariat when it has none (or its lead is not in config)."""
    default = settings.ncp.language
    lead = next((m for m in settings.members if m.id == case.lead_member), None)
    if lead is not None:
        return [Recipient(lead.id, lead.email, lead.name, lead.language or default)]
    return [Recipient(address, address, settings.ncp.name, default) for address in settings.ncp.secretariat]


def remind(
    tx: Transaction, *, now: datetime, today: date, settings: Settings, render: Renderer
) -> list[dict[str, Any]]:
    """Queue the reminders due at `today` in the open transaction `tx`; what each audit entry
    holds. Nothing (and no query) unless `[parties] update_every` is set."""
    period = settings.parties.update_period
    if period is None:
        return []
    calendar = settings.policy.calendar
    queued: list[dict[str, Any]] = []
    offset = 0
    while True:
        total, cases = tx.cases.page(open_only=True, limit=_PAGE, offset=offset)
        last = tx.correspondence.last_out([case.reference for case in cases])
        for case in cases:
            for key, party in party_keys(case.parties):
                since = last.get((case.reference, key), case.received_at)
                due = period.added_to(calendar.local_date(since))
                if today < due:
                    continue
                if not tx.correspondence.claim_reminder(
                    reference=case.reference, party=key, since=since, at=now
                ):
                    continue  # reminded already for this silent period
                recipients = lead_or_secretariat(case, settings)
                for recipient in recipients:
                    words = translator(recipient.language)
                    rendered = render(
                        "party_update",
                        recipient.language,
                        {
                            "reference": case.reference,
                            "title": case.title,
                            "party_name": party.name,
                            "since": calendar.local_date(since),
                            "period": period.describe(words),
                            "recipient_name": recipient.name,
                            "ncp_name": settings.ncp.name_in(recipient.language),
                        },
                    )
                    tx.outbox.add(
                        message_id=new_message_id(settings),
                        case_ref=case.reference,
                        kind="party_update",
                        recipient=recipient.address,
                        language=recipient.language,
                        subject=rendered.subject,
                        text=rendered.text,
                        html=rendered.html,
                        at=now,
                    )
                record = records.PartyUpdateDue(
                    case.reference, key, since, due, tuple(r.key for r in recipients)
                )
                tx.audit.append(
                    case_ref=case.reference,
                    actor=SCHEDULER_ACTOR,
                    at=now,
                    from_state=case.state,
                    to_state=case.state,
                    reason=None,
                    record=record,
                )
                log.info("party_update_due", case=case.reference, party=key, since=since.isoformat())
                queued.append(record.to_data())
        offset += _PAGE
        if offset >= total:
            return queued
