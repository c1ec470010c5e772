"""Use cases on a case's issues: add one, decide it, record its outcome.

Each is one write transaction: the issue's row and its audit entry (`issue_added`,
`issue_decided`, `issue_concluded`), or nothing. The rules are `states.issues`; the case's own
state and version do not change (the audit entry's `from_state` and `to_state` are its state).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from states import issues as rules
from states import records
from states.errors import ACTOR, REASON, Input
from states.issues import Issue
from states.limits import NAME_MAX, check_optional, check_text
from workflow import inputs
from workflow.logging import get_logger
from workflow.ports import Clock, UnitOfWork

log = get_logger("ncpflow.issues")

AT = Input("", "at")


def add_issue(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    actor: str,
    title: str,
    chapters: Sequence[str],
    reason: str | None = None,
) -> Issue:
    """A new issue of the case, numbered after its last one, undecided."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    check_optional(reason, REASON)
    rules.new_issue((), title=title, chapters_given=chapters)  # bad input refused before any read
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        issue = rules.new_issue(tx.issues.of_case(reference), title=title, chapters_given=chapters)
        tx.issues.add(reference, issue, at=now)
        tx.audit.append(
            case_ref=reference,
            actor=actor,
            at=now,
            from_state=case.state.value,
            to_state=case.state.value,
            reason=reason or None,
            record=records.IssueAdded(issue.number, issue.title, issue.chapters, now),
        )
    log.info("issue_added", case=reference, number=issue.number, chapters=list(issue.chapters), actor=actor)
    return issue


def decide_issue(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    number: int,
    decision: str,
    actor: str,
    at: date | datetime | None = None,
    reason: str | None = None,
) -> Issue:
    """The issue accepted or not, on the day `at` (default today; not in the future, not
    before the case was received)."""
    chosen = rules.decision(decision)
    check_text(actor, ACTOR, limit=NAME_MAX)
    check_optional(reason, REASON)
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        issue = rules.find(tx.issues.of_case(reference), number, reference=reference)
        when = inputs.resolve_when(at, calendar=case.calendar, now=now, what=AT)
        decided = rules.decide(
            issue,
            chosen,
            on=case.calendar.local_date(when),
            received_on=case.received_on,
            reference=reference,
            state=case.state.value,
        )
        tx.issues.save(reference, decided)
        assert decided.decided_on is not None
        tx.audit.append(
            case_ref=reference,
            actor=actor,
            at=when,
            from_state=case.state.value,
            to_state=case.state.value,
            reason=reason or None,
            record=records.IssueDecided(number, chosen.value, decided.decided_on, now),
        )
    log.info("issue_decided", case=reference, number=number, decision=chosen.value, actor=actor)
    return decided


def conclude_issue(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    number: int,
    outcome: str,
    actor: str,
    at: date | datetime | None = None,
    reason: str | None = None,
) -> Issue:
    """An accepted issue's own outcome, on the day `at` (default today; not before its
    acceptance)."""
    chosen = rules.outcome(outcome)
    check_text(actor, ACTOR, limit=NAME_MAX)
    check_optional(reason, REASON)
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        issue = rules.find(tx.issues.of_case(reference), number, reference=reference)
        when = inputs.resolve_when(at, calendar=case.calendar, now=now, what=AT)
        concluded = rules.conclude(
            issue, chosen, on=case.calendar.local_date(when), reference=reference, state=case.state.value
        )
        tx.issues.save(reference, concluded)
        assert concluded.outcome_on is not None
        tx.audit.append(
            case_ref=reference,
            actor=actor,
            at=when,
            from_state=case.state.value,
            to_state=case.state.value,
            reason=reason or None,
            record=records.IssueConcluded(number, chosen.value, concluded.outcome_on, now),
        )
    log.info("issue_concluded", case=reference, number=number, outcome=chosen.value, actor=actor)
    return concluded
