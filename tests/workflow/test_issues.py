"""A case's issues through the application, on SQLite and PostgreSQL: each step one audit
entry, refusals write nothing, the case's view holds them, and the reports (from the audit log
alone) count partially accepted cases and list each case's issues."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from states.errors import CaseNotFoundError, InvalidInputError, StepRefusedError
from states.issues import IssueDecision, IssueOutcome
from states.reports import histories
from tests.dbdump import dump
from tests.helpers import open_one
from workflow.bootstrap import Services


def _accept(services: Services, ref: str, on: date) -> None:
    cases = services.cases
    cases.advance(reference=ref, trigger="begin_assessment", actor="sek", reason="ack", at=on)
    cases.advance(reference=ref, trigger="accept", actor="sek", reason="in part", at=on, scope="IV only")


def test_an_issue_is_added_decided_and_concluded_with_one_audit_entry_each(services: Services) -> None:
    """Numbered in order, chapters by id or numeral, decision and outcome dated; the case's
    state and version stay; each step is an entry of its declared kind; the chain verifies."""
    ref = open_one(services, received=date(2025, 1, 31))
    cases = services.cases
    first = cases.add_issue(reference=ref, actor="sek", title="Water", chapters=["vi", "human_rights"])
    second = cases.add_issue(reference=ref, actor="sek", title="Tax", chapters=["XI"], reason="as submitted")
    assert (first.number, first.chapters, second.number) == (1, ("environment", "human_rights"), 2)
    decided = cases.decide_issue(
        reference=ref, number=1, decision="accepted", actor="sek", at=date(2025, 4, 1)
    )
    cases.decide_issue(reference=ref, number=2, decision="not_accepted", actor="sek")
    done = cases.conclude_issue(
        reference=ref, number=1, outcome="agreement", actor="sek", at=date(2025, 5, 2)
    )
    assert decided.decided_on == date(2025, 4, 1)
    assert (done.decision, done.outcome, done.outcome_on) == (
        IssueDecision.ACCEPTED,
        IssueOutcome.AGREEMENT,
        date(2025, 5, 2),
    )
    _case, view = cases.show(reference=ref)
    assert view.version == 1 and view.state == "received"
    assert [(i.number, i.decision, i.decided_on, i.outcome) for i in view.issues] == [
        (1, "accepted", "2025-04-01", "agreement"),
        (2, "not_accepted", "2025-06-02", None),
    ]
    listed = cases.issues(reference=ref)
    assert listed.reference == ref and listed.issues == view.issues
    entries = services.audit.log(case_ref=ref)[-5:]
    assert [e.kind for e in entries] == [
        "issue_added",
        "issue_added",
        "issue_decided",
        "issue_decided",
        "issue_concluded",
    ]
    assert entries[0].data == {
        "number": 1,
        "title": "Water",
        "chapters": ["environment", "human_rights"],
        "recorded_at": "2025-06-02T09:00:00+00:00",
    }
    assert entries[1].reason == "as submitted" and entries[0].reason is None
    assert entries[2].data["on"] == "2025-04-01" and entries[2].at.startswith("2025-03-31T22:00")
    assert entries[4].data["outcome"] == "agreement" and entries[4].from_state == entries[4].to_state
    assert services.audit.verify_chain().ok


def test_a_refused_issue_step_writes_nothing(services: Services, database_url: str) -> None:
    """Unknown case, unknown issue, unknown chapter, decision or outcome, an outcome for an
    issue not accepted, a date in the future or before receipt: refused, the database as it was."""
    ref = open_one(services, received=date(2025, 1, 31))
    cases = services.cases
    cases.add_issue(reference=ref, actor="sek", title="Tax", chapters=["xi"])
    cases.decide_issue(reference=ref, number=1, decision="not_accepted", actor="sek")
    before = dump(database_url)
    refusals: list[tuple[type[Exception], Callable[[], object]]] = [
        (
            CaseNotFoundError,
            lambda: cases.add_issue(reference="NCP-2099-001", actor="s", title="t", chapters=["iv"]),
        ),
        (CaseNotFoundError, lambda: cases.issues(reference="NCP-2099-001")),
        (InvalidInputError, lambda: cases.add_issue(reference=ref, actor="s", title="t", chapters=["xii"])),
        (InvalidInputError, lambda: cases.add_issue(reference=ref, actor="s", title="t", chapters=[])),
        (
            InvalidInputError,
            lambda: cases.decide_issue(reference=ref, number=2, decision="accepted", actor="s"),
        ),
        (
            InvalidInputError,
            lambda: cases.decide_issue(reference=ref, number=1, decision="perhaps", actor="s"),
        ),
        (
            InvalidInputError,
            lambda: cases.conclude_issue(reference=ref, number=1, outcome="victory", actor="s"),
        ),
        (
            StepRefusedError,
            lambda: cases.conclude_issue(reference=ref, number=1, outcome="agreement", actor="s"),
        ),
        (
            InvalidInputError,
            lambda: cases.decide_issue(
                reference=ref, number=1, decision="accepted", actor="s", at=date(2025, 7, 1)
            ),
        ),
        (
            InvalidInputError,
            lambda: cases.decide_issue(
                reference=ref, number=1, decision="accepted", actor="s", at=date(2025, 1, 1)
            ),
        ),
    ]
    for error, step in refusals:
        with pytest.raises(error):
            step()
    assert dump(database_url) == before


def test_annual_counts_cases_accepted_that_year_with_an_issue_not_accepted(services: Services) -> None:
    """Partially accepted: accepted in the year, an issue not accepted. A case wholly accepted,
    one not accepted as a whole, and one accepted the year before do not count."""
    cases = services.cases
    partial = open_one(services, received=date(2025, 1, 6))
    _accept(services, partial, date(2025, 2, 3))
    whole = open_one(services, received=date(2025, 1, 7))
    _accept(services, whole, date(2025, 2, 4))
    rejected = open_one(services, received=date(2025, 1, 8))
    earlier = open_one(services, received=date(2024, 11, 4))
    _accept(services, earlier, date(2024, 12, 2))
    for ref, decisions in [
        (partial, ["accepted", "not_accepted"]),
        (whole, ["accepted", "accepted"]),
        (rejected, ["not_accepted"]),
        (earlier, ["accepted", "not_accepted"]),
    ]:
        for decision in decisions:
            made = cases.add_issue(reference=ref, actor="sek", title="t", chapters=["iv"])
            cases.decide_issue(reference=ref, number=made.number, decision=decision, actor="sek")
    report = services.reports.annual(year=2025)
    assert (report["accepted"], report["partially_accepted"]) == (2, 1)
    assert services.reports.annual(year=2024)["partially_accepted"] == 1
    rows = {row["reference"]: row for row in services.reports.oecd()}
    assert rows[partial]["partially_accepted"] and not rows[whole]["partially_accepted"]
    assert not rows[rejected]["partially_accepted"]
    assert rows[partial]["issues"] == [
        {
            "number": 1,
            "chapters": ["IV. Human Rights"],
            "decision": "accepted",
            "decided_on": "2025-06-02",
            "outcome": None,
            "outcome_on": None,
        },
        {
            "number": 2,
            "chapters": ["IV. Human Rights"],
            "decision": "not_accepted",
            "decided_on": "2025-06-02",
            "outcome": None,
            "outcome_on": None,
        },
    ]


def test_the_reports_issues_come_from_the_audit_log_alone(services: Services) -> None:
    """The histories read from the log's entries hold each issue as last decided."""
    ref = open_one(services, received=date(2025, 1, 31))
    cases = services.cases
    cases.add_issue(reference=ref, actor="sek", title="Water", chapters=["vi"])
    cases.decide_issue(reference=ref, number=1, decision="not_accepted", actor="sek", at=date(2025, 3, 1))
    cases.decide_issue(reference=ref, number=1, decision="accepted", actor="sek", at=date(2025, 3, 2))
    cases.conclude_issue(reference=ref, number=1, outcome="no_agreement", actor="sek")
    history = histories(services.audit.log(), services.settings.ncp.timezone)[ref]
    (issue,) = history.issues.values()
    assert (issue.chapters, issue.decision, issue.decided_on) == (
        ("environment",),
        "accepted",
        date(2025, 3, 2),
    )
    assert (issue.outcome, issue.outcome_on) == ("no_agreement", date(2025, 6, 2))
    assert issue.title == "Water"
