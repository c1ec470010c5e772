"""Attachments over SMTP: streamed from their chunks to a real aiosmtpd server, arriving with their
sha256, name and type intact; content that does not match its sha256 is never delivered."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from notifications.smtp import ContentMismatchError, SmtpChannel
from tests.smtp import smtp_server

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Mail:
    message_id: str
    recipient: str
    subject: str = "NCP-2025-001: brev fra Kontaktpunktet"
    text: str = "Hei.\n.En linje som starter med punktum.\n"
    html: str = "<p>Hei.</p>"


@dataclass
class Stored:
    """Content as the database holds it: read a chunk at a time, counting the reads."""

    filename: str
    media_type: str
    data: bytes
    sha256: str = ""
    size: int = -1
    reads: int = 0

    def __post_init__(self) -> None:
        self.sha256 = self.sha256 or hashlib.sha256(self.data).hexdigest()
        self.size = len(self.data) if self.size < 0 else self.size

    def chunks(self) -> Iterator[bytes]:
        for start in range(0, len(self.data), CHUNK):
            self.reads += 1
            yield self.data[start : start + CHUNK]


def attachments_of(message: object) -> list[tuple[str | None, str, Any]]:
    from email.message import EmailMessage

    assert isinstance(message, EmailMessage)
    return [
        (part.get_filename(), part.get_content_type(), part.get_content())
        for part in message.iter_attachments()
    ]


def test_attachments_arrive_with_their_sha256_name_and_type() -> None:
    """A PDF of 3.5 MiB (four chunks), a small DOCX and an empty file arrive byte for byte; the
    text part keeps its line that starts with a dot; the Message-ID is the one queued."""
    pdf = Stored(
        "Brev til Kari Nordmann – NCP-2025-001.pdf", "application/pdf", os.urandom(3 * CHUNK + 512 * 1024)
    )
    docx = Stored(
        "Brev.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04" + os.urandom(10_000),
    )
    empty = Stored("tom.txt", "text/plain", b"")
    with smtp_server() as (inbox, port):
        channel = SmtpChannel("127.0.0.1", port, "ncpflow@ncp.test")
        channel.send(Mail("<1@ncp.test>", "kari@example.org"), [pdf, docx, empty])
        (received,) = inbox.snapshot()
    assert received.message_id == "<1@ncp.test>" and received.rcpt_tos == ("kari@example.org",)
    assert received.part("plain").replace("\r\n", "\n") == Mail("", "").text
    files = attachments_of(received.message)
    assert files[2][2] == ""
    assert [(name, kind) for name, kind, _ in files] == [
        (pdf.filename, "application/pdf"),
        (docx.filename, docx.media_type),
        ("tom.txt", "text/plain"),
    ]
    assert [hashlib.sha256(data).hexdigest() for _, _, data in files[:2]] == [
        pdf.sha256,
        docx.sha256,
    ]
    assert pdf.reads == 4


@pytest.mark.parametrize("wrong", ["sha256", "size"])
def test_content_that_is_not_what_was_queued_is_never_delivered(wrong: str) -> None:
    """Bytes whose sha256 or size differ from the queued ones fail the send (ContentMismatchError)
    before the message is complete: the server keeps nothing; the next message goes through."""
    data = os.urandom(2 * CHUNK)
    bad = Stored(
        "a.pdf", "application/pdf", data, **({"sha256": "0" * 64} if wrong == "sha256" else {"size": 1})
    )
    with smtp_server() as (inbox, port):
        channel = SmtpChannel("127.0.0.1", port, "ncpflow@ncp.test")
        with pytest.raises(ContentMismatchError, match=r"a\.pdf"):
            channel.send(Mail("<2@ncp.test>", "kari@example.org"), [bad])
        channel.send(Mail("<3@ncp.test>", "kari@example.org"), [Stored("b.pdf", "application/pdf", data)])
        received = inbox.snapshot()
    assert [r.message_id for r in received] == ["<3@ncp.test>"]
