"""A recording channel for unit tests: keeps what it was asked to send, fails on request."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from notifications.smtp import ContentMismatchError, DeliveryError, ServerUnreachableError
from states.outbox import Content, Mail


@dataclass
class RecordingChannel:
    sent: list[Mail] = field(default_factory=list)
    failing: bool = False
    unreachable: bool = False
    attached: dict[str, list[tuple[str, bytes]]] = field(default_factory=dict)
    """By Message-ID: each attachment's file name and bytes, read (and checked) when sent."""

    def send(self, mail: Mail, attachments: Sequence[Content] = ()) -> None:
        if self.unreachable:
            raise ServerUnreachableError("recording channel told it has no server")
        if self.failing:
            raise DeliveryError("recording channel told to fail")
        files = []
        for content in attachments:
            data = b"".join(content.chunks())
            if len(data) != content.size or hashlib.sha256(data).hexdigest() != content.sha256:
                raise ContentMismatchError(f"attachment {content.filename!r} is not what was queued")
            files.append((content.filename, data))
        self.sent.append(mail)
        if files:
            self.attached[mail.message_id] = files
