"""Dispatch the outbox: one message in flight at a time, marked sent in its own transaction.

A message is claimed with a lease before sending, so a crash between sending and marking can
resend at most that one message (with the same Message-ID) once the lease runs out. A message's
attachments are stored content (documents) named by their sha256: the channel reads them while
it sends, a chunk at a time, each chunk in a short read of its own (no transaction is held
open while the mail server is talked to). A clean
stop (the `stop` event: SIGTERM to `scheduler` or `serve`) finishes only the message in hand
and leaves no lease behind: the rest stay due for the next dispatcher, none is sent twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from threading import Event
from typing import Literal

from states import audit_wording, records
from states.errors import ChannelUnreachableError
from states.outbox import Attachment, OutboxMessage
from workflow.logging import get_logger
from workflow.ports import Channel, Clock, UnitOfWork

log = get_logger("ncpflow.outbox")

LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)


@dataclass(frozen=True)
class DispatchResult:
    sent: int
    failed: int
    pending: int

    def as_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "failed": self.failed, "pending": self.pending}


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, at most six hours."""
    # Cap the exponent too: 2**41 minutes overflows timedelta (at attempt 42, about eight days
    # of retries), which crashed the dispatcher instead of rescheduling the message.
    return min(timedelta(minutes=2 ** min(max(0, attempts - 1), 20)), MAX_BACKOFF)


def dispatch(
    *,
    uow: UnitOfWork,
    clock: Clock,
    channel: Channel,
    limit: int = 500,
    lease: timedelta = LEASE,
    stop: Event | None = None,
) -> DispatchResult:
    """Send what is due, one message at a time; report sent, failed and still pending.

    Once `stop` is set, no further message is taken: the one in hand is finished (sent and
    marked, or marked failed), the rest stay pending."""
    sent = failed = 0
    for _ in range(limit):
        if stop is not None and stop.is_set():
            log.info("outbox_round_stopped", reason="stopping")
            break
        with uow.write() as tx:
            now = clock.now()  # under the write lock, like the sweep
            message = tx.outbox.claim_next(now=now, lease_until=now + lease)
        if message is None:
            break
        if stop is not None and stop.is_set():
            # The stop came while claiming: not in hand yet, so give it back unsent.
            with uow.write() as tx:
                tx.outbox.release(message.id)
            log.info("outbox_round_stopped", reason="stopping", released=message.id)
            break
        outcome = _deliver(uow, clock, channel, message)
        if outcome == "sent":
            sent += 1
            continue
        failed += 1
        if outcome == "unreachable":
            # The server is down: trying the rest now would only wait out a timeout for each
            # and spend their attempts. They stay due for the next round.
            log.warning(
                "outbox_round_stopped", reason="the mail server cannot be reached", outbox_id=message.id
            )
            break
    with uow.read() as tx:
        counts = tx.outbox.counts()
    pending = counts.get("pending", 0) + counts.get("sending", 0)
    result = DispatchResult(sent, failed, pending)
    log.info("outbox_dispatched", **result.as_dict())
    return result


@dataclass(frozen=True)
class StoredAttachment:
    """An attachment as the channel reads it: its stored content, chunk by chunk (states.outbox.Content)."""

    attachment: Attachment
    uow: UnitOfWork

    @property
    def filename(self) -> str:
        return self.attachment.filename

    @property
    def media_type(self) -> str:
        return self.attachment.media_type

    @property
    def sha256(self) -> str:
        return self.attachment.sha256

    @property
    def size(self) -> int:
        return self.attachment.size

    def chunks(self) -> Iterator[bytes]:
        seq = 0
        while True:
            with self.uow.read() as tx:
                chunk = tx.documents.chunk(self.attachment.sha256, seq)
            if chunk is None:
                return
            yield chunk
            seq += 1


def _deliver(
    uow: UnitOfWork, clock: Clock, channel: Channel, message: OutboxMessage
) -> Literal["sent", "failed", "unreachable"]:
    try:
        if message.attachments:
            channel.send(message, [StoredAttachment(a, uow) for a in message.attachments])
        else:
            channel.send(message)
    except Exception as exc:  # any channel failure is retried later, never lost
        retry_at = clock.now() + backoff(message.attempts)
        with uow.write() as tx:
            tx.outbox.mark_failed(message.id, error=str(exc)[:500], retry_at=retry_at)
        log.warning(
            "outbox_send_failed",
            case=message.case_ref,
            outbox_id=message.id,
            attempts=message.attempts,
            retry_at=retry_at.isoformat(),
            error=str(exc),
        )
        return "unreachable" if isinstance(exc, ChannelUnreachableError) else "failed"
    at = clock.now()
    with uow.write() as tx:
        tx.outbox.mark_sent(message.id, at=at)
        tx.audit.append(
            case_ref=message.case_ref,
            actor="outbox",
            at=at,
            from_state=None,
            to_state=None,
            reason=audit_wording.SENT.format(kind=message.kind),
            record=records.Notified(message.id, message.message_id, message.recipient, message.attempts),
        )
    log.info("outbox_sent", case=message.case_ref, outbox_id=message.id)
    return "sent"
