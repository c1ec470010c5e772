"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, a free port, messages parsed modern-style.

aiosmtpd's stock `Message` handler parses with the old `compat32` policy; this one parses each
message with `email.policy.default`, so headers and parts read as `EmailMessage`s. It can also
hold the Nth message's DATA open (after recording it), to stand for a server that took a message
but whose "250 OK" never reached a client that died.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller

from tests.helpers import free_port


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None and body.get_content_subtype() == subtype, subtype
        return str(body.get_content())


@dataclass
class Inbox:
    """The aiosmtpd handler: keeps every message; may block on the `block_at`-th one (1-based)."""

    messages: list[Received] = field(default_factory=list)
    block_at: int | None = None
    blocked: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = BytesParser(policy=policy.default).parsebytes(envelope.content)
        assert isinstance(parsed, EmailMessage)
        with self._lock:
            self.messages.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), parsed))
            count = len(self.messages)
        if self.block_at is not None and count == self.block_at:
            self.blocked.set()
            while not self.release.is_set():  # never block the server's event loop itself
                await asyncio.sleep(0.02)
        return "250 Message accepted for delivery"

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.messages)

    def by_message_id(self) -> dict[str, list[Received]]:
        found: dict[str, list[Received]] = {}
        for received in self.snapshot():
            found.setdefault(received.message_id, []).append(received)
        return found


@contextmanager
def smtp_server(inbox: Inbox | None = None, *, port: int | None = None) -> Iterator[tuple[Inbox, int]]:
    """Run an SMTP server on 127.0.0.1 for the block; yields (inbox, port)."""
    inbox = inbox or Inbox()
    port = port or free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    try:
        yield inbox, port
    finally:
        inbox.release.set()
        controller.stop()
