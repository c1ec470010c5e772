"""The e-mail channel: one message per call over SMTP, with the Message-ID the outbox row fixed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from states.errors import ChannelUnreachableError
from states.outbox import Mail

if TYPE_CHECKING:
    from email.message import EmailMessage
    from email.policy import EmailPolicy


# RFC 5322's hard limit on a line. With the default 78, a subject whose first word does not fit
# after "Subject: " (a long title, a URL) is folded right after the colon, and readers then show
# it with a leading space. Up to this length the subject stays on one line; a longer one is
# folded at whitespace inside the text.
MAX_LINE = 998


@cache
def email_policy() -> EmailPolicy[EmailMessage]:
    # The email package is imported by the first message built, not by every command.
    from email import policy

    return policy.default.clone(max_line_length=MAX_LINE)


class DeliveryError(Exception):
    """The server could not be reached or refused the message; it may be retried."""


class ServerUnreachableError(DeliveryError, ChannelUnreachableError):
    """No connection to the SMTP server (refused, timed out, no greeting): nothing was sent."""


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

    def send(self, mail: Mail) -> None:
        import smtplib

        try:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise ServerUnreachableError(f"{type(exc).__name__}: {exc}") from exc
        try:
            with client:
                client.send_message(self.build(mail))
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
