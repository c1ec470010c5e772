"""The alert sweep and the outbox dispatcher on both backends, with a recording channel.

Fire-once (same sweep twice, racing sweeps), catch-up without flooding, who is told in which
language, and the dispatcher's bookkeeping: sent/failed/pending, backoff, leases, audit entries.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from sqlalchemy import text

from notifications.labels import deadline_label
from notifications.memory import RecordingChannel
from states.lifecycle import DeadlineName
from tests import helpers
from tests.conftest import make_settings
from workflow.alerts import sweep
from workflow.audit import audit_entries, verify_chain
from workflow.bootstrap import Services, bootstrap
from workflow.cases import advance
from workflow.clock import FixedClock
from workflow.outbox import LEASE, MAX_BACKOFF, backoff, dispatch
from workflow.pausing import pause_case, resume_case
from workflow.queries import get_case

SECRETARIAT = ["post@ncp.test", "case.officer@ncp.test"]
SECTIONS: dict[str, Any] = {
    "ncp": {"name": "Norway's NCP", "language": "nb", "secretariat": SECRETARIAT},
    "members": [
        {"id": "chair", "name": "Chair", "email": "chair@ncp.test", "role": "chair"},
        {"id": "member-b", "name": "Member B", "email": "member-b@ncp.test", "language": "en"},
        {"id": "member-c", "name": "Member C", "email": "member-c@ncp.test"},
    ],
    "smtp": {"sender": "ncpflow@ncp.test"},
}
NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
RECEIVED = date(2025, 1, 6)  # acknowledgement due 20 Jan, initial assessment due 6 Apr 2025
open_one = partial(helpers.open_one, received=RECEIVED)
# A first sweep on 2 June 2025, months late: per deadline the latest overdue rung + escalation.
CATCH_UP = {
    ("acknowledgement", "overdue-19"),
    ("acknowledgement", "escalation"),
    ("initial_assessment", "overdue-8"),
    ("initial_assessment", "escalation"),
}
ROWS_PER_CASE = 2 * 2 + 2 * 3  # overdue: the secretariat; escalation: the secretariat + chair


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def channel() -> RecordingChannel:
    return RecordingChannel()


@pytest.fixture
def app(database_url: str, clock: FixedClock, channel: RecordingChannel) -> Iterator[Services]:
    built = bootstrap(make_settings(database_url, **SECTIONS), clock=clock, channel=channel)
    yield built
    built.close()


def run_sweep(app: Services) -> list[dict[str, Any]]:
    return sweep(uow=app.uow, clock=app.clock, settings=app.settings, render=app.render)


def run_dispatch(app: Services, **options: Any) -> dict[str, int]:
    return dispatch(uow=app.uow, clock=app.clock, channel=app.channel, **options).as_dict()


def sql(app: Services, query: str, **params: Any) -> list[Any]:
    engine = app.uow.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        result = conn.execute(text(query), params)
        return list(result) if result.returns_rows else []


def outbox(app: Services) -> list[Any]:
    return sql(
        app,
        "SELECT id, message_id, case_ref, kind, recipient, language, subject, "
        "text_body, html_body, status, attempts, last_error FROM outbox ORDER BY id",
    )


def pairs(alerts: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(a["deadline"], a["rung"]) for a in alerts}


def entries(app: Services, kind: str) -> list[Any]:
    return [e for e in audit_entries(uow=app.uow) if e.kind == kind]


# --- the sweep ---------------------------------------------------------------------------------


def test_the_same_sweep_twice_queues_nothing_the_second_time(app: Services) -> None:
    """Idempotent: the (deadline, rung, due) claim is taken once; a rerun finds it taken."""
    open_one(app)
    first = run_sweep(app)
    assert pairs(first) == CATCH_UP
    queued = len(outbox(app))
    assert queued == ROWS_PER_CASE
    assert run_sweep(app) == []
    assert run_sweep(app) == []
    assert len(outbox(app)) == queued
    assert len(entries(app, "alert")) == len(first)
    assert sql(app, "SELECT COUNT(*) FROM alerts")[0][0] == len(first)


def test_a_sweep_after_weeks_of_downtime_catches_up_without_flooding(
    app: Services, clock: FixedClock
) -> None:
    """Months of missed sweeps: per deadline only the latest overdue rung and the escalation."""
    ref = open_one(app)
    alerts = run_sweep(app)
    assert pairs(alerts) == CATCH_UP
    assert all(a["case"] == ref for a in alerts)
    assert {(a["deadline"], a["due"]) for a in alerts} == {
        ("acknowledgement", "2025-01-20"),
        ("initial_assessment", "2025-04-06"),
    }
    clock.advance(days=1)
    assert run_sweep(app) == []
    clock.advance(days=6)  # 9 June: one more overdue repeat each, never a second escalation
    assert pairs(run_sweep(app)) == {("acknowledgement", "overdue-20"), ("initial_assessment", "overdue-9")}
    clock.advance(days=60)  # another long outage: still one rung per deadline
    assert pairs(run_sweep(app)) == {("acknowledgement", "overdue-28"), ("initial_assessment", "overdue-17")}


def test_a_sweep_on_time_sends_the_reminders_in_turn(app: Services, clock: FixedClock) -> None:
    """A case received today: the ladder of its acknowledgement, one rung per sweep."""
    clock.current = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    open_one(app, received=date(2025, 3, 3))  # acknowledgement due 17 March
    seen = []
    for day in range(45):
        clock.current = datetime(2025, 3, 3, 9, 0, tzinfo=UTC) + timedelta(days=day)
        seen += [(clock.current.date().isoformat(), a["deadline"], a["rung"]) for a in run_sweep(app)]
    ack = [s for s in seen if s[1] == "acknowledgement"]
    # No 30-day reminder for a 14-day deadline: it would fall before receipt.
    assert ack == [
        ("2025-03-10", "acknowledgement", "before-7d"),
        ("2025-03-17", "acknowledgement", "due"),
        ("2025-03-24", "acknowledgement", "overdue-1"),
        ("2025-03-31", "acknowledgement", "overdue-2"),
        ("2025-04-07", "acknowledgement", "overdue-3"),
        ("2025-04-14", "acknowledgement", "overdue-4"),
        ("2025-04-16", "acknowledgement", "escalation"),
    ]
    assert seen == ack  # the initial assessment's first reminder is not due until 4 May


def test_met_deadlines_closed_and_paused_cases_fire_nothing(app: Services, clock: FixedClock) -> None:
    met = open_one(app, title="acknowledged")
    advance(
        uow=app.uow,
        clock=clock,
        policy=app.policy,
        reference=met,
        trigger="begin_assessment",
        actor="sek",
        reason="acknowledged",
        at=date(2025, 1, 10),
    )
    closed = open_one(app, title="transferred")
    advance(
        uow=app.uow,
        clock=clock,
        policy=app.policy,
        reference=closed,
        trigger="transfer",
        actor="sek",
        reason="another NCP leads",
        at=date(2025, 1, 10),
    )
    # Even an open deadline left on a closed case (bad data) must not alert.
    sql(
        app,
        "UPDATE deadlines SET met_at = NULL WHERE case_id = (SELECT id FROM cases WHERE reference = :r)",
        r=closed,
    )
    paused = open_one(app, title="paused")
    pause_case(
        uow=app.uow, clock=clock, reference=paused, actor="sek", reason="court case", at=date(2025, 1, 8)
    )

    alerts = run_sweep(app)
    assert {(a["case"], a["deadline"], a["rung"]) for a in alerts} == {
        (met, "initial_assessment", "overdue-8"),
        (met, "initial_assessment", "escalation"),
    }
    assert {row[2] for row in outbox(app)} == {met}

    # Resuming moves the due dates on by the days paused: a fresh ladder for the new dates.
    resumed = resume_case(uow=app.uow, clock=clock, reference=paused, actor="sek")
    later = run_sweep(app)
    assert later and {a["case"] for a in later} == {paused}
    due = {d.name: d.due.isoformat() for d in resumed.deadlines if d.is_open}
    for alert in later:
        assert alert["due"] == due[alert["deadline"]]
        assert alert["due"] > "2025-05-01"
    assert run_sweep(app) == []


def test_an_extension_starts_a_fresh_ladder_for_the_new_due_date(app: Services, clock: FixedClock) -> None:
    from workflow.pausing import extend_deadline

    ref = open_one(app, received=date(2025, 4, 1))  # initial assessment due 1 July
    assert pairs(run_sweep(app)) == {
        ("acknowledgement", "overdue-6"),
        ("acknowledgement", "escalation"),
        ("initial_assessment", "before-30d"),
    }
    extend_deadline(
        uow=app.uow,
        clock=clock,
        reference=ref,
        deadline="initial_assessment",
        actor="chair",
        reason="complex case",
        months=1,
    )
    assert run_sweep(app) == []  # 1 August is more than 30 days away now
    clock.current = datetime(2025, 7, 2, 9, 0, tzinfo=UTC)
    assert pairs(run_sweep(app)) == {("acknowledgement", "overdue-11"), ("initial_assessment", "before-30d")}


def test_recipients_are_the_lead_and_the_secretariat_and_the_chair_on_escalation(app: Services) -> None:
    """Each in their own language: the secretariat in [ncp] language, a member's own overrides."""
    ref = open_one(app)
    sql(app, "UPDATE cases SET lead_member = 'member-b' WHERE reference = :r", r=ref)
    alerts = run_sweep(app)
    for alert in alerts:
        expected = ["member-b", *SECRETARIAT]
        if alert["rung"] == "escalation":
            expected.append("chair")
        assert alert["recipients"] == expected, alert
    rows = outbox(app)
    assert len(rows) == 2 * 3 + 2 * 4
    languages = {row[4]: row[5] for row in rows}
    assert languages == {
        "member-b@ncp.test": "en",
        "post@ncp.test": "nb",
        "case.officer@ncp.test": "nb",
        "chair@ncp.test": "nb",
    }
    for row in rows:
        _, _, case_ref, kind, _, language, subject, body, html, status, attempts, _ = row
        assert case_ref == ref and status == "pending" and attempts == 0
        assert subject.startswith(f"{ref}: ")
        assert kind in {"overdue", "escalation"}
        if language == "en":
            assert "Dear Member B" in body and "overdue by" in subject
        else:
            assert "Hei" in body and "overskredet" in subject
        assert f'<html lang="{language}">' in html
    assert Counter(row[4] for row in rows) == {
        "member-b@ncp.test": 4,
        "post@ncp.test": 4,
        "case.officer@ncp.test": 4,
        "chair@ncp.test": 2,
    }


def test_a_lead_who_chairs_gets_one_escalation_not_two(app: Services) -> None:
    ref = open_one(app)
    sql(app, "UPDATE cases SET lead_member = 'chair' WHERE reference = :r", r=ref)
    for alert in run_sweep(app):
        assert alert["recipients"] == ["chair", *SECRETARIAT]
    assert Counter(row[4] for row in outbox(app))["chair@ncp.test"] == 4


def test_the_acknowledgement_has_its_own_reminder(app: Services, clock: FixedClock) -> None:
    """A week before the acknowledgement is due, the secretariat gets its own reminder."""
    clock.current = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
    open_one(app, received=date(2025, 3, 3))
    assert run_sweep(app) == []  # a reminder 30 days before a 14-day deadline would predate it
    clock.current = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
    assert pairs(run_sweep(app)) == {("acknowledgement", "before-7d")}
    rows = outbox(app)
    assert [row[4] for row in rows] == SECRETARIAT
    for row in rows:
        assert row[3] == "acknowledgement_reminder"
        assert row[6] == "NCP-2025-001: bekreft mottak innen 17. mars 2025"


def test_every_alert_has_one_audit_entry_with_what_the_sweep_reported(app: Services) -> None:
    ref = open_one(app)
    alerts = run_sweep(app)
    audited = entries(app, "alert")
    assert [dict(e.data) for e in audited] == alerts
    for entry in audited:
        assert entry.case_ref == ref and entry.actor == "scheduler"
        assert entry.from_state == entry.to_state == "received"
        assert entry.reason and entry.data["rung"] in entry.reason
    assert verify_chain(uow=app.uow).ok


def test_user_text_in_the_title_is_escaped_in_html_and_kept_in_text(app: Services) -> None:
    open_one(app, title='Dam «Ørsta» <script>alert("x")</script>')
    run_sweep(app)
    for row in outbox(app):
        assert '«Ørsta» <script>alert("x")</script>' in row[7]
        assert "<script>" not in row[8]
        assert "&lt;script&gt;" in row[8]


def test_two_sweeps_racing_queue_each_alert_once(database_url: str) -> None:
    """Two sweepers (own engines, one database) released together: every alert queued once."""
    clock = FixedClock(NOW)
    settings = make_settings(database_url, **SECTIONS)
    racers = [bootstrap(settings, clock=clock, channel=RecordingChannel()) for _ in range(2)]
    try:
        cases = [open_one(racers[0], title=f"case {n}") for n in range(12)]
        barrier = threading.Barrier(len(racers))
        results: list[list[dict[str, Any]]] = [[] for _ in racers]
        errors: list[BaseException] = []

        def race(n: int) -> None:
            try:
                barrier.wait(timeout=10)
                for _ in range(3):
                    results[n] += run_sweep(racers[n])
            except BaseException as exc:  # reported below, in the test's thread
                errors.append(exc)

        threads = [threading.Thread(target=race, args=(n,)) for n in range(len(racers))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors
        combined = [(a["case"], a["deadline"], a["rung"]) for r in results for a in r]
        assert len(combined) == len(set(combined)) == 4 * len(cases)
        assert {(c, d, r) for c in cases for d, r in CATCH_UP} == set(combined)
        rows = outbox(racers[0])
        assert len(rows) == ROWS_PER_CASE * len(cases)
        assert len({(r[2], r[3], r[4], r[6]) for r in rows}) == len(rows)
        assert len(entries(racers[0], "alert")) == len(combined)
        assert verify_chain(uow=racers[0].uow).ok
    finally:
        for racer in racers:
            racer.close()


# --- the dispatcher ----------------------------------------------------------------------------


def test_dispatch_sends_each_message_once_and_audits_it(app: Services, channel: RecordingChannel) -> None:
    ref = open_one(app)
    run_sweep(app)
    queued = outbox(app)
    assert run_dispatch(app) == {"sent": ROWS_PER_CASE, "failed": 0, "pending": 0}
    assert sorted(m.message_id for m in channel.sent) == sorted(r[1] for r in queued)
    assert {(m.recipient, m.subject, m.text, m.html) for m in channel.sent} == {
        (r[4], r[6], r[7], r[8]) for r in queued
    }
    assert {row[9] for row in outbox(app)} == {"sent"}
    assert {row[10] for row in outbox(app)} == {1}
    notified = entries(app, "notified")
    assert len(notified) == len(queued)
    by_id = {r[0]: r for r in queued}
    for entry in notified:
        row = by_id[entry.data["outbox_id"]]
        assert entry.case_ref == ref and entry.actor == "outbox"
        assert entry.data == {"outbox_id": row[0], "message_id": row[1], "recipient": row[4], "attempts": 1}
        assert row[3] in (entry.reason or "")
    assert run_dispatch(app) == {"sent": 0, "failed": 0, "pending": 0}
    assert len(channel.sent) == len(queued)
    assert verify_chain(uow=app.uow).ok


def test_failures_keep_the_messages_and_back_off_1_2_4_minutes(
    app: Services, clock: FixedClock, channel: RecordingChannel
) -> None:
    open_one(app)
    run_sweep(app)
    n = ROWS_PER_CASE
    channel.failing = True
    assert run_dispatch(app) == {"sent": 0, "failed": n, "pending": n}
    rows = outbox(app)
    assert {r[9] for r in rows} == {"pending"} and {r[10] for r in rows} == {1}
    assert all("told to fail" in r[11] for r in rows)
    assert run_dispatch(app) == {"sent": 0, "failed": 0, "pending": n}  # not due yet
    for attempt, wait in ((2, 60), (3, 120), (4, 240)):
        clock.advance(seconds=wait - 1)
        assert run_dispatch(app) == {"sent": 0, "failed": 0, "pending": n}, attempt
        clock.advance(seconds=1)
        assert run_dispatch(app) == {"sent": 0, "failed": n, "pending": n}, attempt
        assert {r[10] for r in outbox(app)} == {attempt}
    assert entries(app, "notified") == []
    channel.failing = False
    clock.advance(minutes=8)
    assert run_dispatch(app) == {"sent": n, "failed": 0, "pending": 0}
    assert len(channel.sent) == len({m.message_id for m in channel.sent}) == n
    assert {r[11] for r in outbox(app)} == {None}
    assert {e.data["attempts"] for e in entries(app, "notified")} == {5}


def test_an_unreachable_server_stops_the_round_after_one_message_and_spends_no_other_attempt(
    app: Services, clock: FixedClock, channel: RecordingChannel
) -> None:
    open_one(app)
    run_sweep(app)
    n = ROWS_PER_CASE
    channel.unreachable = True
    assert run_dispatch(app) == {"sent": 0, "failed": 1, "pending": n}
    rows = outbox(app)
    assert sorted(r[10] for r in rows) == [0] * (n - 1) + [1]
    assert [r[0] for r in rows if r[10] == 1] == [rows[0][0]]  # the oldest was tried
    assert {r[9] for r in rows} == {"pending"}
    assert run_dispatch(app) == {"sent": 0, "failed": 1, "pending": n}  # the next in line
    channel.unreachable = False
    # Back up: the untried messages go at once; the two tried ones wait out their backoff.
    assert run_dispatch(app) == {"sent": n - 2, "failed": 0, "pending": 2}
    clock.advance(minutes=1)
    assert run_dispatch(app) == {"sent": 2, "failed": 0, "pending": 0}
    assert len({m.message_id for m in channel.sent}) == n


def test_backoff_doubles_from_one_minute_up_to_six_hours() -> None:
    assert [backoff(n) for n in range(1, 6)] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert backoff(0) == timedelta(minutes=1)
    assert backoff(9) == timedelta(minutes=256)
    assert backoff(10) == backoff(60) == MAX_BACKOFF == timedelta(hours=6)
    # A message failing for weeks (a refused recipient) must not overflow timedelta at attempt
    # 42 and crash the dispatcher.
    assert backoff(42) == backoff(10_000) == MAX_BACKOFF


def test_a_message_failing_for_weeks_is_rescheduled_not_a_crash(
    app: Services, clock: FixedClock, channel: RecordingChannel
) -> None:
    """Dozens of failed attempts (a recipient the server keeps refusing): still a failure report
    and a retry in six hours, never an exception that stops the dispatcher."""
    open_one(app)
    run_sweep(app)
    sql(app, "UPDATE outbox SET attempts = 60")
    channel.failing = True
    n = ROWS_PER_CASE
    assert run_dispatch(app) == {"sent": 0, "failed": n, "pending": n}
    channel.failing = False
    clock.advance(hours=6, seconds=-1)
    assert run_dispatch(app) == {"sent": 0, "failed": 0, "pending": n}
    clock.advance(seconds=1)
    assert run_dispatch(app) == {"sent": n, "failed": 0, "pending": 0}


def test_a_message_left_in_flight_waits_for_its_lease_then_goes_with_its_message_id(
    app: Services, clock: FixedClock, channel: RecordingChannel
) -> None:
    """A dispatcher that died between claiming and marking: nobody else sends it until the
    lease runs out; then it is resent once, with the Message-ID it was queued with."""
    open_one(app)
    run_sweep(app)
    with app.uow.write() as tx:
        stuck = tx.outbox.claim_next(now=clock.now(), lease_until=clock.now() + LEASE)
    assert stuck is not None
    n = ROWS_PER_CASE
    assert run_dispatch(app) == {"sent": n - 1, "failed": 0, "pending": 1}
    assert stuck.message_id not in {m.message_id for m in channel.sent}
    clock.advance(seconds=LEASE.total_seconds() - 1)
    assert run_dispatch(app) == {"sent": 0, "failed": 0, "pending": 1}
    clock.advance(seconds=1)
    assert run_dispatch(app) == {"sent": 1, "failed": 0, "pending": 0}
    assert channel.sent[-1].message_id == stuck.message_id
    assert channel.sent[-1].attempts == 2  # type: ignore[attr-defined]
    assert len({m.message_id for m in channel.sent}) == len(channel.sent) == n


def test_dispatch_stops_at_its_limit_and_reports_what_is_left(app: Services) -> None:
    open_one(app)
    run_sweep(app)
    assert run_dispatch(app, limit=3) == {"sent": 3, "failed": 0, "pending": ROWS_PER_CASE - 3}
    assert run_dispatch(app) == {"sent": ROWS_PER_CASE - 3, "failed": 0, "pending": 0}


def test_a_message_id_is_unique_and_names_the_sender_domain(app: Services) -> None:
    open_one(app)
    run_sweep(app)
    ids = [row[1] for row in outbox(app)]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("<") and i.endswith("@ncp.test>") for i in ids)
    assert get_case(uow=app.uow, reference="NCP-2025-001").reference == "NCP-2025-001"


def test_a_norwegian_alert_explains_the_due_date_in_norwegian(app: Services) -> None:
    """Received 6 Jan 2025: + 14 days = 20 Jan 2025; + 3 months = 6 Apr 2025 (no roll)."""
    ref = open_one(app)
    sql(app, "UPDATE cases SET lead_member = 'member-b' WHERE reference = :r", r=ref)
    run_sweep(app)
    explained = {
        "nb": {
            "acknowledgement": "mottatt 6. jan. 2025 + 14 dager = 20. jan. 2025",
            "initial_assessment": "mottatt 6. jan. 2025 + 3 måneder = 6. apr. 2025",
        },
        "en": {
            "acknowledgement": "received 6 Jan 2025 + 14 days = 20 Jan 2025",
            "initial_assessment": "received 6 Jan 2025 + 3 months = 6 Apr 2025",
        },
    }
    languages = set()
    for row in outbox(app):
        language, subject, body, html = row[5], row[6], row[7], row[8]
        deadline = next(
            name for name in explained[language] if deadline_label(DeadlineName(name), language) in subject
        )
        expected = explained[language][deadline]
        prefix = "Slik er fristen beregnet: " if language == "nb" else "How the date is reached: "
        assert prefix + expected in body, body
        assert prefix + expected in html, html
        other = explained["en" if language == "nb" else "nb"][deadline]
        assert other not in body
        languages.add(language)
    assert languages == {"nb", "en"}


# --- stopping ----------------------------------------------------------------------------------


class StoppingChannel(RecordingChannel):
    """Records like its parent; asks the dispatcher to stop while sending the `at`-th message."""

    def __init__(self, stop: threading.Event, at: int) -> None:
        super().__init__()
        self.stop, self.at = stop, at

    def send(self, mail: Any) -> None:
        super().send(mail)
        if len(self.sent) == self.at:
            self.stop.set()


def test_a_stopped_dispatch_finishes_the_message_in_hand_and_leaves_the_rest_pending(app: Services) -> None:
    """Stop during the 2nd message: it is sent and marked; the rest wait, none of them leased."""
    open_one(app)
    run_sweep(app)
    stop = threading.Event()
    channel = StoppingChannel(stop, at=2)
    result = dispatch(uow=app.uow, clock=app.clock, channel=channel, stop=stop).as_dict()
    assert result == {"sent": 2, "failed": 0, "pending": ROWS_PER_CASE - 2}
    rows = outbox(app)
    assert Counter(r.status for r in rows) == {"sent": 2, "pending": ROWS_PER_CASE - 2}
    assert {r.attempts for r in rows if r.status == "pending"} == {0}
    assert len(entries(app, "notified")) == 2
    assert run_dispatch(app) == {"sent": ROWS_PER_CASE - 2, "failed": 0, "pending": 0}
    assert len(app.channel.sent) + 2 == ROWS_PER_CASE  # type: ignore[attr-defined]


def test_a_message_claimed_as_the_stop_arrives_is_given_back_unsent(
    app: Services, clock: FixedClock, channel: RecordingChannel
) -> None:
    """The stop comes while a message is being claimed: released at once, attempt not counted."""
    open_one(app)
    run_sweep(app)
    stop = threading.Event()

    class StopOnReading:
        def now(self) -> datetime:
            stop.set()  # the dispatcher reads the clock inside its claiming transaction
            return clock.now()

    result = dispatch(uow=app.uow, clock=StopOnReading(), channel=channel, stop=stop).as_dict()
    assert result == {"sent": 0, "failed": 0, "pending": ROWS_PER_CASE}
    assert channel.sent == []
    rows = outbox(app)
    assert {(r.status, r.attempts) for r in rows} == {("pending", 0)}
    assert run_dispatch(app) == {"sent": ROWS_PER_CASE, "failed": 0, "pending": 0}
