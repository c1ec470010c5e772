"""Keeping parties informed: with `[parties] update_every`, the sweep reminds a case's lead once
per silent period when a party has had no outgoing word, on both backends, with a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import text

from notifications.memory import RecordingChannel
from tests import helpers
from tests.conftest import make_settings
from workflow.application import Application
from workflow.audit import audit_entries
from workflow.bootstrap import bootstrap
from workflow.clock import FixedClock

SECTIONS: dict[str, Any] = {
    "ncp": {"name": "Norway's NCP", "language": "nb", "secretariat": ["post@ncp.test"]},
    "members": [
        {"id": "chair", "name": "Chair", "email": "chair@ncp.test", "role": "chair"},
        {"id": "member-b", "name": "Member B", "email": "member-b@ncp.test", "language": "en"},
    ],
    "smtp": {"sender": "ncpflow@ncp.test"},
    "alerts": {"before": []},
    "parties": {"update_every": "3mo"},
}
RECEIVED = date(2025, 1, 6)  # silent from receipt: reminders due 6 April 2025


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(at(date(2025, 4, 5)))


@pytest.fixture
def app(database_url: str, clock: FixedClock) -> Iterator[Application]:
    built = bootstrap(make_settings(database_url, **SECTIONS), clock=clock, channel=RecordingChannel())
    yield built
    built.close()


def sql(app: Application, query: str, **params: Any) -> list[Any]:
    engine = app.uow.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        result = conn.execute(text(query), params)
        return list(result) if result.returns_rows else []


def reminders(app: Application) -> list[tuple[str, str]]:
    """What a sweep queued for silent parties: (case, party)."""
    return [(q["case"], q["party"]) for q in app.alerts.sweep() if "party" in q]


def party_mails(app: Application) -> list[Any]:
    return sql(
        app,
        "SELECT recipient, language, subject, text_body FROM outbox WHERE kind = 'party_update' ORDER BY id",
    )


def test_a_silent_party_is_reminded_once_per_silent_period(app: Application, clock: FixedClock) -> None:
    """Nothing the day before; on the day both parties, once (a second sweep adds nothing); a
    letter out to one party starts its new period; word in from a party does not."""
    ref = helpers.open_one(app, received=RECEIVED)
    sql(app, "UPDATE cases SET lead_member = 'member-b' WHERE reference = :r", r=ref)
    assert reminders(app) == []
    clock.current = at(date(2025, 4, 6))
    assert reminders(app) == [(ref, "submitter-1"), (ref, "enterprise-1")]
    assert reminders(app) == []
    mails = party_mails(app)
    assert [(m.recipient, m.language) for m in mails] == [("member-b@ncp.test", "en")] * 2
    assert mails[0].subject == f"{ref}: Naturvernforbundet has had no word since 6 January 2025"
    assert "more than 3 months ago" in mails[0].text_body and "Dear Member B" in mails[0].text_body
    (first, _) = [e for e in audit_entries(uow=app.uow, case_ref=ref) if e.kind == "party_update_due"]
    assert first.actor == "scheduler"
    assert first.data == {
        "case": ref,
        "party": "submitter-1",
        "since": "2025-01-05T23:00:00+00:00",
        "due": "2025-04-06",
        "recipients": ["member-b"],
    }
    clock.current = at(date(2025, 6, 2))
    for direction, day in (("out", date(2025, 5, 1)), ("in", date(2025, 6, 1))):
        app.correspondence.log(
            reference=ref, direction=direction, party="submitter-1", channel="email", subject="Update",
            at=day, actor="hanna",
        )  # fmt: skip
    clock.current = at(date(2025, 7, 31))
    assert reminders(app) == []
    clock.current = at(date(2025, 8, 1))
    assert reminders(app) == [(ref, "submitter-1")]
    assert len(party_mails(app)) == 3


def test_a_case_without_a_lead_reminds_the_secretariat_and_closed_cases_none(
    app: Application, clock: FixedClock
) -> None:
    """No lead: the secretariat in the NCP's language; a closed case is never reminded about."""
    ref = helpers.open_one(app, received=RECEIVED)
    closed = helpers.open_one(app, received=RECEIVED, title="Closed")
    for trigger, outcome in (("begin_assessment", None), ("reject", "not_accepted"), ("close", None)):
        app.cases.advance(reference=closed, trigger=trigger, outcome=outcome, actor="h", reason="r")
    clock.current = at(date(2025, 5, 1))
    assert {case for case, _ in reminders(app)} == {ref}
    mails = party_mails(app)
    assert {(m.recipient, m.language) for m in mails} == {("post@ncp.test", "nb")}
    assert "har ikke hørt noe" in mails[0].subject


def test_without_update_every_the_sweep_reminds_nobody(database_url: str, clock: FixedClock) -> None:
    """The default: no reminders, however long a party has waited."""
    sections = {**SECTIONS, "parties": {}}
    built = bootstrap(make_settings(database_url, **sections), clock=clock, channel=RecordingChannel())
    try:
        helpers.open_one(built, received=RECEIVED)
        clock.current = at(date(2026, 1, 1))
        assert reminders(built) == [] and party_mails(built) == []
    finally:
        built.close()
