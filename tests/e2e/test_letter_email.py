"""Letters e-mailed to a real SMTP server (aiosmtpd on 127.0.0.1), through the real command line:
the PDF arrives attached with its sha256 intact, in each contact's language, once; and a
dispatcher killed mid-send resends at most the letter in flight, under its Message-ID, with its
attachment whole, as for alerts (tests/e2e/test_email.py)."""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.conftest import Cli, InProcessCli
from tests.e2e.test_email import SENDER, outbox, write_config
from tests.helpers import free_port
from tests.smtp import Inbox, Received, smtp_server
from workflow.bootstrap import Services, bootstrap
from workflow.config import load_settings

CONTACTS = (("Kari Kontakt", "kari@example.org", "nb"), ("Ola Contact", "ola@example.org", "en"))


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def config(tmp_path: Path, port: int) -> Path:
    return write_config(tmp_path / "config.toml", port)


@pytest.fixture
def ncp(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str, config: Path
) -> InProcessCli:
    return InProcessCli(capsys, monkeypatch, database_url, config)


@pytest.fixture
def db(database_url: str, config: Path) -> Iterator[Services]:
    built = bootstrap(load_settings(config, database_url=database_url))
    yield built
    built.close()


def letters_sent(ncp: InProcessCli, db: Services, count: int) -> tuple[str, dict[int, str]]:
    """A case whose submitter has two e-mail contacts, and `count` letters drafted and sent to
    them with the command line: (reference, PDF sha256 by letter)."""
    ref = str(
        ncp.json(
            "case", "open", "--title", "Tailings dam", "--submitter", "Naturvernforbundet", "--enterprise",
            "Nordic Metals ASA", "--received", "2025-01-06", "--actor", "sek", "--json",
        )["reference"]
    )  # fmt: skip
    for name, email, language in CONTACTS:
        db.parties.add_contact(
            reference=ref, party="submitter-1", actor="sek", name=name, email=email, language=language
        )
    hashes = {}
    for number in range(1, count + 1):
        drafted = ncp.json(
            "letter",
            "draft",
            ref,
            "--kind",
            "acknowledgement",
            "--party",
            "submitter-1",
            "--actor",
            "sek",
            "--json",
        )
        assert drafted["number"] == number
        sent = ncp.json("letter", "send", ref, str(number), "--by", "email", "--actor", "sek", "--json")
        assert sent["status"] == "sent"
        hashes[number] = sent["pdf"]["sha256"]
    return ref, hashes


def attachment(mail: Received) -> tuple[str, bytes]:
    message = mail.message
    assert isinstance(message, EmailMessage)
    (part,) = list(message.iter_attachments())
    data = part.get_content()
    assert isinstance(data, bytes)
    return str(part.get_filename()), data


def test_a_letter_emailed_arrives_with_its_pdf_attached_and_its_hash_intact(
    ncp: InProcessCli, db: Services, port: int, tmp_path: Path
) -> None:
    """One message per contact, each in the contact's language, the letter's PDF attached with
    the sha256 the letter's document holds; `letter get` writes the same bytes."""
    ref, hashes = letters_sent(ncp, db, 1)
    with smtp_server(port=port) as (inbox, _):
        result = ncp("outbox", "dispatch", "--json")
        assert json.loads(result.stdout) == {"sent": 2, "failed": 0, "pending": 0}, result.stderr
        received = inbox.snapshot()
    assert sorted(m.rcpt_tos[0] for m in received) == ["kari@example.org", "ola@example.org"]
    for mail in received:
        assert mail.mail_from == SENDER and str(mail.message["Subject"]).startswith(f"{ref}: ")
        name, data = attachment(mail)
        assert name == f"{ref}-letter-1.pdf" and data.startswith(b"%PDF")
        assert hashlib.sha256(data).hexdigest() == hashes[1]
        greeting = "Hei Kari Kontakt" if mail.rcpt_tos[0] == "kari@example.org" else "Dear Ola Contact"
        assert greeting in mail.part("plain")
    written = tmp_path / "letter.pdf"
    assert ncp("letter", "get", ref, "1", "--output", str(written)).returncode == 0
    assert hashlib.sha256(written.read_bytes()).hexdigest() == hashes[1]
    log = [json.loads(line) for line in ncp("audit", "log", ref).stdout.splitlines()]
    assert Counter(e["kind"] for e in log)["notified"] == 2
    assert ncp.json("audit", "verify", "--json")["ok"] is True


@pytest.mark.slow
def test_a_dispatcher_killed_while_sending_letters_resends_only_the_one_in_flight(
    cli: Cli, ncp: InProcessCli, db: Services, tmp_path: Path
) -> None:
    """Three letters to two contacts: six messages. SIGKILL while the server holds the 4th's
    DATA open; after the 1-second lease a restarted dispatcher sends the rest: every letter
    arrives, only the 4th twice (one Message-ID), each PDF with its hash intact, one
    `notified` entry per message."""
    _, hashes = letters_sent(ncp, db, 3)
    rows = outbox(db)
    assert len(rows) == 6
    in_flight = rows[3][1]
    with smtp_server(Inbox(block_at=4)) as (inbox, port):
        cli.env["NCPFLOW_CONFIG"] = str(write_config(tmp_path / "lease.toml", port, lease=1))
        proc = cli.popen("outbox", "dispatch", "--json")
        try:
            assert inbox.blocked.wait(timeout=60), "the dispatcher never reached message 4"
        finally:
            proc.kill()
            proc.communicate(timeout=30)
        assert proc.returncode == -9
        assert Counter(row[5] for row in outbox(db)) == {"sent": 3, "sending": 1, "pending": 2}
        inbox.release.set()
        time.sleep(1.3)  # past the dead dispatcher's lease
        restarted = cli("outbox", "dispatch", "--json", check=True)
        assert json.loads(restarted.stdout) == {"sent": 3, "failed": 0, "pending": 0}
        received = inbox.by_message_id()
    assert {row[1] for row in rows} == set(received)
    assert [m for m, mails in received.items() if len(mails) > 1] == [in_flight]
    for mails in received.values():
        for mail in mails:
            name, data = attachment(mail)
            number = int(name.removesuffix(".pdf").rsplit("-", 1)[1])
            assert hashlib.sha256(data).hexdigest() == hashes[number]
    first, second = received[in_flight]
    assert attachment(first) == attachment(second)
    log = [json.loads(line) for line in ncp("audit", "log").stdout.splitlines()]
    notified = Counter(e["data"]["message_id"] for e in log if e["kind"] == "notified")
    assert set(notified.values()) == {1} and len(notified) == 6
