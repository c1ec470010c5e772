"""Use cases on a case's issues: add one, decide it, record its outcome.

Each is one write transaction: the issue's row and its audit entry (`issue_added`,
`issue_decided`, `issue_concluded`), or nothing. The rules are `states.issues`; the case's own
state and version do not change (the audit entry's `from_state` and `to_state` are its state).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from states import issues as rules
from states import records
from states.case import Case
from states.errors import ACTOR, REASON
from states.issues import Issue
from states.limits import NAME_MAX, check_optional, check_text
from workflow import inputs
from workflow.logging import get_logger
from workflow.ports import Clock, UnitOfWork

if TYPE_CHECKING:
    from states.records import AuditRecord

log = get_logger("ncpflow.issues")


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
            from_state=case.state,
            to_state=case.state,
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

    def decide(issue: Issue, case: Case, on: date) -> Issue:
        return rules.decide(
            issue, chosen, on=on, received_on=case.received_on, reference=reference, state=case.state
        )

    return _change(
        uow=uow,
        clock=clock,
        reference=reference,
        number=number,
        actor=actor,
        at=at,
        reason=reason,
        change=decide,
        record=lambda issue, now: records.IssueDecided(number, chosen.value, _day(issue.decided_on), now),
    )


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

    def conclude(issue: Issue, case: Case, on: date) -> Issue:
        return rules.conclude(issue, chosen, on=on, reference=reference, state=case.state)

    return _change(
        uow=uow,
        clock=clock,
        reference=reference,
        number=number,
        actor=actor,
        at=at,
        reason=reason,
        change=conclude,
        record=lambda issue, now: records.IssueConcluded(number, chosen.value, _day(issue.outcome_on), now),
    )


def _day(value: date | None) -> date:
    assert value is not None  # set by the decision just taken
    return value


def _change(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    number: int,
    actor: str,
    at: date | datetime | None,
    reason: str | None,
    change: Callable[[Issue, Case, date], Issue],
    record: Callable[[Issue, datetime], AuditRecord],
) -> Issue:
    """One step on issue `number`, dated `at` (the NCP-local day it happened): the issue as
    `change` makes it and the entry `record` gives, in one write transaction."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    check_optional(reason, REASON)
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        issue = rules.find(tx.issues.of_case(reference), number, reference=reference)
        when = inputs.resolve_when(at, calendar=case.calendar, now=now, what=inputs.AT)
        changed = change(issue, case, case.calendar.local_date(when))
        tx.issues.save(reference, changed)
        entry = record(changed, now)
        tx.audit.append(
            case_ref=reference,
            actor=actor,
            at=when,
            from_state=case.state,
            to_state=case.state,
            reason=reason or None,
            record=entry,
        )
    data = entry.to_data()
    log.info(entry.kind, case=reference, actor=actor, **{k: v for k, v in data.items() if k != "recorded_at"})
    return changed
