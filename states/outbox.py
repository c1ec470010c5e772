"""An e-mail waiting in the outbox, as the dispatcher sees it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    message_id: str
    recipient: str
    subject: str
    text: str
    html: str
    case_ref: str | None
    kind: str
    attempts: int
