"""The e-mail channel: one message per call over SMTP, with the Message-ID the outbox row fixed.

A message with attachments is written to the server as it is read: the text and HTML parts are
built by the email package, and each attachment's bytes are read chunk by chunk from where they
are stored, base64-encoded and sent, so a large file never sits in memory whole. While it is
sent, each attachment is hashed; if its bytes are not the sha256 and size it was queued with,
the connection is dropped before the message is complete (the server discards it) and the
send fails, to be tried again.
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from states.errors import ChannelUnreachableError
from states.outbox import Content, Mail

if TYPE_CHECKING:
    import smtplib
    from email.message import EmailMessage
    from email.policy import EmailPolicy


# RFC 5322's hard limit on a line. With the default 78, a subject whose first word does not fit
# after "Subject: " (a long title, a URL) is folded right after the colon, and readers then show
# it with a leading space. Up to this length the subject stays on one line; a longer one is
# folded at whitespace inside the text.
MAX_LINE = 998
# Bytes base64-encoded at a time: a multiple of 57 (one 76-character line).
_ENCODE_BLOCK = 57 * 1024
_LEADING_DOT = re.compile(rb"(?m)^\.")


@cache
def email_policy() -> EmailPolicy[EmailMessage]:
    # The email package is imported by the first message built, not by every command.
    from email import policy

    return policy.default.clone(max_line_length=MAX_LINE)


class DeliveryError(Exception):
    """The server could not be reached or refused the message; it may be retried."""


class ServerUnreachableError(DeliveryError, ChannelUnreachableError):
    """No connection to the SMTP server (refused, timed out, no greeting): nothing was sent."""


class ContentMismatchError(DeliveryError):
    """An attachment's bytes are not the sha256 or size it was queued with: nothing was sent."""


@dataclass(frozen=True)
class SmtpChannel:
    host: str
    port: int
    sender: str
    timeout: float = 10.0

    def build(self, mail: Mail) -> EmailMessage:
        from email.message import EmailMessage
        from email.utils import formatdate

        message = EmailMessage(policy=email_policy())
        message["From"] = self.sender
        message["To"] = mail.recipient
        message["Subject"] = mail.subject
        message["Date"] = formatdate(localtime=False)
        # Stable per outbox row: a resend after a crash carries the same id, so mail clients
        # and servers can recognise the duplicate.
        message["Message-ID"] = mail.message_id
        message.set_content(mail.text)
        message.add_alternative(mail.html, subtype="html")
        return message

    def send(self, mail: Mail, attachments: Sequence[Content] = ()) -> None:
        import smtplib

        try:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise ServerUnreachableError(f"{type(exc).__name__}: {exc}") from exc
        try:
            with client:
                if attachments:
                    self._stream(client, mail, attachments)
                else:
                    client.send_message(self.build(mail))
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc

    def _stream(self, client: smtplib.SMTP, mail: Mail, attachments: Sequence[Content]) -> None:
        """MAIL, RCPT, then DATA written piece by piece; the final "." only once every
        attachment was read whole and matched its sha256 and size."""
        import smtplib

        client.ehlo_or_helo_if_needed()
        code, reply = client.mail(self.sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, self.sender)
        code, reply = client.rcpt(mail.recipient)
        if code not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({mail.recipient: (code, reply)})
        code, reply = client.docmd("DATA")
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        try:
            for piece in self.pieces(mail, attachments):
                client.send(piece)
        except ContentMismatchError:
            client.close()  # without the final ".", the server drops what it was given
            raise
        client.send(b".\r\n")
        code, reply = client.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)

    def pieces(self, mail: Mail, attachments: Sequence[Content]) -> Iterator[bytes]:
        """The message as DATA sends it (CRLF line ends, leading dots doubled), ending with a
        line end: the headers and text parts at once, each attachment's base64 as it is read."""
        from email.message import EmailMessage

        message = self.build(mail)
        message.make_mixed()
        markers: list[bytes] = []
        for content in attachments:
            token = f"ncpflow-attachment-{uuid.uuid4().hex}"
            part = EmailMessage(policy=email_policy())
            part["Content-Type"] = content.media_type
            part.add_header("Content-Disposition", "attachment", filename=content.filename)
            part["Content-Transfer-Encoding"] = "base64"
            part.set_payload(token)
            message.attach(part)
            markers.append(token.encode("ascii"))
        rest = message.as_bytes(policy=email_policy().clone(linesep="\r\n"))
        for marker, content in zip(markers, attachments, strict=True):
            before, found, rest = rest.partition(marker)
            assert found, "the attachment's place in the message"
            yield _LEADING_DOT.sub(b"..", before)
            yield from _base64(content)
        yield _LEADING_DOT.sub(b"..", rest if rest.endswith(b"\r\n") else rest + b"\r\n")


def _base64(content: Content) -> Iterator[bytes]:
    """The content's bytes as base64 lines of 76 characters, CRLF between them (the line end
    after the last is the message's own); ContentMismatchError, before the last line, when
    the bytes read are not the sha256 and size expected."""
    digest = hashlib.sha256()
    size = 0
    pending = b""
    for chunk in content.chunks():
        digest.update(chunk)
        size += len(chunk)
        pending += chunk
        whole = len(pending) - len(pending) % _ENCODE_BLOCK
        if whole:
            yield base64.encodebytes(pending[:whole]).replace(b"\n", b"\r\n")
            pending = pending[whole:]
    if size != content.size or digest.hexdigest() != content.sha256:
        raise ContentMismatchError(
            f"attachment {content.filename!r}: read {size} bytes with sha256 {digest.hexdigest()}, "
            f"expected {content.size} bytes with sha256 {content.sha256}"
        )
    yield base64.encodebytes(pending).replace(b"\n", b"\r\n").removesuffix(b"\r\n")
