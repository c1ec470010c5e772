"""The SMTP channel's messages: long subjects survive folding exactly."""

from __future__ import annotations

from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from notifications.smtp import SmtpChannel
from tests.smtp import smtp_server


@dataclass(frozen=True)
class Mail:
    message_id: str
    recipient: str
    subject: str
    text: str = "Hei.\n"
    html: str = "<p>Hei.</p>"


URL = "https://www.responsiblebusiness.no/saker/hardangerfjorden-oppdrett-2025"
SUBJECTS = [
    # A first word that fits a line, but not after "Subject: ": folded right after the colon.
    *(f"{URL[:n]} overskredet med 19 dager" for n in (70, 72, 74)),
    f"«{URL}» har frist i dag",
    "NCP-2025-001: saksansvarlig kan ikke lenger lede «Klage på Hydro Aluminium ASA sin "
    "håndtering av urfolksrettigheter i Nord-Norge og på Svalbard, med flere vedlegg»",
    'NCP-2025-001: you lead "' + "Complaint about the treatment of workers " * 4 + '"',
    "NCP-2025-001:" + "ø" * 90 + " og så videre",
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_long_subject_reads_back_exactly_without_a_leading_space(subject: str) -> None:
    """A long subject is not folded right after `Subject:`; policy.default reads it back as sent."""
    channel = SmtpChannel("127.0.0.1", 25, "ncpflow@responsiblebusiness.no")
    raw = channel.build(Mail("<1@ncp.test>", "post@ncp.test", subject)).as_bytes()
    header = next(line for line in raw.split(b"\n") if line.startswith(b"Subject:"))
    assert header.startswith(b"Subject: ") and header != b"Subject: ", raw[:300]
    assert all(len(line) <= 998 for line in raw.split(b"\n"))
    parsed = message_from_bytes(raw, policy=policy.default)
    assert str(parsed["Subject"]) == subject


def test_a_long_subject_arrives_exactly_over_smtp() -> None:
    """Sent to a real SMTP server, every long subject arrives as it was written."""
    with smtp_server() as (inbox, port):
        channel = SmtpChannel("127.0.0.1", port, "ncpflow@responsiblebusiness.no")
        for n, subject in enumerate(SUBJECTS):
            channel.send(Mail(f"<{n}@ncp.test>", "post@ncp.test", subject))
        received = {r.message_id: r.message for r in inbox.snapshot()}
    assert isinstance(received["<0@ncp.test>"], EmailMessage)
    assert [str(received[f"<{n}@ncp.test>"]["Subject"]) for n in range(len(SUBJECTS))] == SUBJECTS
