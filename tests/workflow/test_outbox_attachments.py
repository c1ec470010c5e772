"""Outbox messages with attachments on both backends: the rows name stored content by sha256, the
dispatcher streams it to the channel at send time, the exactly-once bookkeeping is the alerts'
(lease, Message-ID, one `notified` entry), and content that does not match is never sent."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from notifications.memory import RecordingChannel
from states.documents import Document
from states.outbox import Attachment
from tests import helpers
from tests.conftest import make_settings
from workflow.application import Application
from workflow.audit import audit_entries
from workflow.bootstrap import bootstrap
from workflow.clock import FixedClock
from workflow.outbox import LEASE, dispatch

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n" + os.urandom(2 * 1024 * 1024 + 100)  # three chunks


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def channel() -> RecordingChannel:
    return RecordingChannel()


@pytest.fixture
def app(database_url: str, clock: FixedClock, channel: RecordingChannel) -> Iterator[Application]:
    built = bootstrap(
        make_settings(database_url, smtp={"sender": "ncp@ncp.test"}), clock=clock, channel=channel
    )
    yield built
    built.close()


def filed(app: Application) -> Document:
    ref = helpers.open_one(app)
    return app.documents.add(
        reference=ref, source=[PDF], filename="letter.pdf", title="Letter", direction="out",
        access="parties", actor="hanna",
    )  # fmt: skip


def queue(app: Application, document: Document, *, size: int | None = None) -> str:
    """One message to kari@example.org carrying the document; its Message-ID."""
    message_id = f"<{os.urandom(8).hex()}@ncp.test>"
    with app.uow.write() as tx:
        tx.outbox.add(
            message_id=message_id,
            case_ref=document.reference,
            kind="letter",
            recipient="kari@example.org",
            language="en",
            subject="Letter",
            text="Please find our letter attached.",
            html="<p>Please find our letter attached.</p>",
            at=app.clock.now(),
            attachments=[Attachment("letter.pdf", "application/pdf", document.sha256, size or document.size)],
        )
    return message_id


def test_an_attachment_is_read_from_the_stored_content_when_the_message_is_sent(
    app: Application, channel: RecordingChannel
) -> None:
    """The channel gets the document's bytes (sha256 intact); the send is audited once."""
    message_id = queue(app, filed(app))
    assert dispatch(uow=app.uow, clock=app.clock, channel=channel).as_dict() == {
        "sent": 1,
        "failed": 0,
        "pending": 0,
    }
    ((name, data),) = channel.attached[message_id]
    assert name == "letter.pdf" and hashlib.sha256(data).hexdigest() == hashlib.sha256(PDF).hexdigest()
    notified = [e for e in audit_entries(uow=app.uow) if e.kind == "notified"]
    assert [e.data["message_id"] for e in notified] == [message_id]


def test_a_message_left_in_flight_goes_again_after_its_lease_with_its_attachment(
    app: Application, clock: FixedClock, channel: RecordingChannel
) -> None:
    """A dispatcher that died after claiming leaves the message leased: nothing goes before the
    lease ends; then it goes once, with its Message-ID and its attachment whole."""
    message_id = queue(app, filed(app))
    with app.uow.write() as tx:
        assert tx.outbox.claim_next(now=clock.now(), lease_until=clock.now() + LEASE) is not None
    assert dispatch(uow=app.uow, clock=clock, channel=channel).as_dict() == {
        "sent": 0,
        "failed": 0,
        "pending": 1,
    }
    clock.current = NOW + LEASE + timedelta(seconds=1)
    assert dispatch(uow=app.uow, clock=clock, channel=channel).as_dict() == {
        "sent": 1,
        "failed": 0,
        "pending": 0,
    }
    assert dispatch(uow=app.uow, clock=clock, channel=channel).as_dict() == {
        "sent": 0,
        "failed": 0,
        "pending": 0,
    }
    assert [m.message_id for m in channel.sent] == [message_id]
    assert channel.attached[message_id][0][1] == PDF


def test_content_that_does_not_match_its_queued_size_is_never_sent_and_waits(
    app: Application, channel: RecordingChannel
) -> None:
    """The queued size (or sha256) is what must arrive: a mismatch fails the send (retried
    with backoff, its error kept), and nothing reaches the channel."""
    document = filed(app)
    queue(app, document, size=document.size + 1)
    assert dispatch(uow=app.uow, clock=app.clock, channel=channel).as_dict() == {
        "sent": 0,
        "failed": 1,
        "pending": 1,
    }
    assert channel.sent == []
    assert not [e for e in audit_entries(uow=app.uow) if e.kind == "notified"]
