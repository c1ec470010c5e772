"""Supporting NCPs' review tasks on statement drafts, on both backends: one task per NCP that
reviews drafts, each due `[coordination] review_within` after the request (working days by
default) unless a day is given; the sweep alerts the lead once per `[alerts]` rung while it is
open; `record_review` answers it (the comment stored, only its hash audited); refusals name
their input and write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from notifications.memory import RecordingChannel
from states.errors import InvalidInputError
from states.reviews import digest
from tests import helpers
from tests.conftest import make_settings
from tests.dbdump import dump
from workflow.application import Application
from workflow.audit import audit_entries, verify_chain
from workflow.bootstrap import bootstrap
from workflow.clock import FixedClock
from workflow.outbox import dispatch

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)  # a Monday
SECTIONS: dict[str, Any] = {
    "smtp": {"sender": "ncp@ncp.test"},
    "ncp": {"name": "Norway's NCP", "secretariat": ["sek@ncp.test"]},
}


@pytest.fixture
def channel() -> RecordingChannel:
    return RecordingChannel()


@pytest.fixture
def app(database_url: str, channel: RecordingChannel) -> Iterator[Application]:
    built = bootstrap(make_settings(database_url, **SECTIONS), clock=FixedClock(NOW), channel=channel)
    yield built
    built.close()


def _drafted(app: Application, *reviewers: str) -> str:
    ref = helpers.open_one(app, received=date(2025, 5, 2))
    app.cases.advance(reference=ref, trigger="begin_assessment", actor="sek", reason="complete")
    for ncp in reviewers:
        app.ncps.add_supporting(reference=ref, ncp=ncp, role="reviews_drafts", actor="sek")
    app.ncps.add_supporting(reference=ref, ncp="CL", role="translates", actor="sek")
    app.statements.draft(reference=ref, kind="initial_assessment", actor="sek")
    return ref


def _at(app: Application, day: date) -> Application:
    return app.as_of(datetime.combine(day, datetime.min.time(), UTC).replace(hour=8).isoformat())


def test_each_ncp_reviewing_drafts_gets_a_task_due_ten_working_days_later(app: Application) -> None:
    """Not the translating NCP; due 10 working days from Monday 2 June 2025 (Whit Monday, 9 June,
    is a Norwegian holiday): Tuesday 17 June."""
    ref = _drafted(app, "SE", "DK")
    made = app.ncps.request_review(reference=ref, statement=1, actor="sek")
    assert [(t.number, t.ncp, t.statement, t.due) for t in made] == [
        (1, "SE", 1, date(2025, 6, 17)),
        (2, "DK", 1, date(2025, 6, 17)),
    ]
    shown = app.ncps.show(reference=ref)
    assert [(r.ncp, r.status) for r in shown.reviews] == [("SE", "open"), ("DK", "open")]
    entries = [dict(e.data) for e in audit_entries(uow=app.uow, case_ref=ref) if e.kind == "review_requested"]
    assert entries[0] == {"task": 1, "ncp": "SE", "statement": 1, "due": "2025-06-17"}


def test_a_review_comment_answers_the_task_and_only_its_hash_is_audited(app: Application) -> None:
    ref = _drafted(app, "SE")
    app.ncps.request_review(reference=ref, statement=1, actor="sek", due=date(2025, 6, 20))
    comment = "Paragraph 4 misstates the Swedish parent's role."
    answered = _at(app, date(2025, 6, 10)).ncps.record_review(
        reference=ref, ncp="se", comment=comment, actor="sek", on=date(2025, 6, 9)
    )
    assert (answered.answered_on, answered.comment) == (date(2025, 6, 9), comment)
    shown = app.ncps.show(reference=ref)
    assert (shown.reviews[0].status, shown.reviews[0].comment) == ("answered", comment)
    assert app.ncps.show(reference=ref, comments=False).reviews[0].comment is None
    (entry,) = [e for e in audit_entries(uow=app.uow, case_ref=ref) if e.kind == "review_recorded"]
    assert dict(entry.data) == {
        "task": 1,
        "ncp": "SE",
        "statement": 1,
        "on": "2025-06-09",
        "sha256": digest(comment),
        "length": len(comment),
    }
    assert comment not in str([e.as_dict() for e in audit_entries(uow=app.uow)])
    assert verify_chain(uow=app.uow).ok


def test_the_sweep_alerts_the_lead_once_per_rung_until_the_review_comes(
    app: Application, channel: RecordingChannel
) -> None:
    ref = _drafted(app, "SE")
    app.ncps.request_review(reference=ref, statement=1, actor="sek", due=date(2025, 6, 20))

    def rungs() -> list[str]:
        return [
            str(e.data["rung"]) for e in audit_entries(uow=app.uow, case_ref=ref) if e.kind == "review_due"
        ]

    for day in (date(2025, 6, 13), date(2025, 6, 13), date(2025, 6, 20)):
        _at(app, day).alerts.sweep()
    assert rungs() == ["before-7d", "due"]
    _at(app, date(2025, 6, 21)).ncps.record_review(reference=ref, ncp="SE", comment="Fine.", actor="sek")
    _at(app, date(2025, 6, 27)).alerts.sweep()
    assert rungs() == ["before-7d", "due"]
    later = FixedClock(datetime(2025, 6, 28, tzinfo=UTC))
    while dispatch(uow=app.uow, clock=later, channel=channel).as_dict()["sent"]:
        pass
    alerts = [m for m in channel.sent if "review" in m.subject]
    assert [m.recipient for m in alerts] == ["sek@ncp.test"] * 2
    assert all(ref in m.subject and "SE" in m.subject for m in alerts)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda a, r: a.ncps.request_review(reference=r, statement=9, actor="sek"), "no statement draft"),
        (
            lambda a, r: a.ncps.request_review(reference=r, statement=1, actor="sek", ncps=["CL"]),
            "does not review",
        ),
        (
            lambda a, r: a.ncps.request_review(reference=r, statement=1, actor="sek", due=date(2025, 6, 2)),
            "not after today",
        ),
        (
            lambda a, r: a.ncps.record_review(reference=r, ncp="SE", comment="x", actor="sek"),
            "no open review task",
        ),
        (
            lambda a, r: a.ncps.record_review(reference=r, ncp="SE", comment="  ", actor="sek"),
            "review comment",
        ),
    ],
)
def test_a_refused_review_step_names_the_problem_and_writes_nothing(
    app: Application, database_url: str, call: Any, words: str
) -> None:
    ref = _drafted(app, "SE")
    before = dump(database_url)
    with pytest.raises(InvalidInputError) as refused:
        call(app, ref)
    assert words in str(refused.value)
    assert dump(database_url) == before


def test_a_second_task_for_the_same_draft_waits_for_the_first(app: Application, database_url: str) -> None:
    ref = _drafted(app, "SE")
    app.ncps.request_review(reference=ref, statement=1, actor="sek")
    before = dump(database_url)
    with pytest.raises(InvalidInputError, match="open review task on statement 1 already"):
        app.ncps.request_review(reference=ref, statement=1, actor="sek")
    assert dump(database_url) == before
    app.ncps.record_review(reference=ref, ncp="SE", comment="ok", actor="sek")
    again = _at(app, date(2025, 6, 3)).ncps.request_review(reference=ref, statement=1, actor="sek")
    assert [t.number for t in again] == [2]
    assert timedelta(0) < timedelta(days=(again[0].due - date(2025, 6, 3)).days)
