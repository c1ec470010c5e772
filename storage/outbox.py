"""The e-mail outbox on SQL: queued in the sweep's transaction, claimed one at a time to send."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from states.outbox import Attachment, OutboxMessage
from storage.db import Db, columns
from storage.rows import OutboxRow

_COLUMNS = columns(OutboxRow)


class SqlOutbox:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(
        self,
        *,
        message_id: str,
        case_ref: str | None,
        kind: str,
        recipient: str,
        language: str,
        subject: str,
        text: str,
        html: str,
        at: datetime,
        attachments: Sequence[Attachment] = (),
    ) -> int:
        """Queue a message (with the files it carries, by their content's sha256)."""
        db = self._db
        outbox_id = db.scalar(
            "INSERT INTO outbox (message_id, case_ref, kind, recipient, language, subject, "
            "text_body, html_body, status, attempts, created_at, next_attempt_at) VALUES "
            "(:message_id, :case_ref, :kind, :recipient, :language, :subject, :text, :html, "
            "'pending', 0, :at, :at) RETURNING id",
            {
                "message_id": message_id,
                "case_ref": case_ref,
                "kind": kind,
                "recipient": recipient,
                "language": language,
                "subject": subject,
                "text": text,
                "html": html,
                "at": db.instant(at),
            },
        )
        assert outbox_id is not None
        db.many(
            "INSERT INTO outbox_attachments (outbox_id, position, filename, media_type, sha256, size) "
            "VALUES (:outbox_id, :position, :filename, :media_type, :sha256, :size)",
            [
                {
                    "outbox_id": outbox_id,
                    "position": position,
                    "filename": attached.filename,
                    "media_type": attached.media_type,
                    "sha256": attached.sha256,
                    "size": attached.size,
                }
                for position, attached in enumerate(attachments)
            ],
        )
        return int(outbox_id)

    def attachments(self, outbox_id: int) -> tuple[Attachment, ...]:
        rows = self._db.all(
            "SELECT filename, media_type, sha256, size FROM outbox_attachments "
            "WHERE outbox_id = :id ORDER BY position",
            {"id": outbox_id},
        )
        return tuple(
            Attachment(str(name), str(media), str(sha), int(size)) for name, media, sha, size in rows
        )

    def claim_next(self, *, now: datetime, lease_until: datetime) -> OutboxMessage | None:
        """The oldest message due for (re)sending, leased to the caller; writers are serialised."""
        db = self._db
        row = db.record(
            OutboxRow,
            f"SELECT {_COLUMNS} FROM outbox "
            "WHERE (status = 'pending' AND next_attempt_at <= :now) "
            "OR (status = 'sending' AND lease_until <= :now) ORDER BY id LIMIT 1",
            {"now": db.instant(now)},
        )
        if row is None:
            return None
        db.execute(
            "UPDATE outbox SET status = 'sending', lease_until = :lease, "
            "attempts = attempts + 1 WHERE id = :id",
            {"lease": db.instant(lease_until), "id": row.id},
        )
        return OutboxMessage(
            id=row.id,
            message_id=row.message_id,
            recipient=row.recipient,
            subject=row.subject,
            text=row.text_body,
            html=row.html_body,
            case_ref=row.case_ref,
            kind=row.kind,
            attempts=row.attempts + 1,
            attachments=self.attachments(row.id),
        )

    def mark_sent(self, message_id: int, *, at: datetime) -> None:
        self._db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = :at, lease_until = NULL, "
            "last_error = NULL WHERE id = :id",
            {"at": self._db.instant(at), "id": message_id},
        )

    def mark_failed(self, message_id: int, *, error: str, retry_at: datetime) -> None:
        self._db.execute(
            "UPDATE outbox SET status = 'pending', next_attempt_at = :retry, "
            "lease_until = NULL, last_error = :error WHERE id = :id",
            {"retry": self._db.instant(retry_at), "error": error, "id": message_id},
        )

    def release(self, message_id: int) -> None:
        """Give back a message claimed but not sent (the dispatcher is stopping): due again at
        once, for any dispatcher, its attempt not counted."""
        self._db.execute(
            "UPDATE outbox SET status = 'pending', lease_until = NULL, "
            "attempts = attempts - 1 WHERE id = :id AND status = 'sending'",
            {"id": message_id},
        )

    def counts(self) -> dict[str, int]:
        rows = self._db.all("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        counts = {"pending": 0, "sending": 0, "sent": 0}
        counts.update({status: int(n) for status, n in rows})
        return counts
