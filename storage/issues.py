"""A case's issues on SQL (`case_issues`): chapters, decision and outcome of each."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from states.issues import Issue, IssueDecision, IssueOutcome
from states.precision import Precision
from storage.db import Db, columns, read_day
from storage.rows import CaseIssueRow

_COLUMNS = columns(CaseIssueRow, "i.")
_CHUNK = 500


def _to_issue(row: CaseIssueRow) -> Issue:
    return Issue(
        number=int(row.number),
        title=row.title,
        chapters=tuple(json.loads(row.chapters)),
        decision=IssueDecision(row.decision),
        decided_on=read_day(row.decided_on),
        outcome=IssueOutcome(row.outcome) if row.outcome is not None else None,
        outcome_on=read_day(row.outcome_on),
        decided_precision=Precision(row.decided_precision or Precision.DAY),
        outcome_precision=Precision(row.outcome_precision or Precision.DAY),
    )


class SqlIssueStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def of_case(self, reference: str) -> list[Issue]:
        """The case's issues by number."""
        return self.of_cases([reference]).get(reference, [])

    def of_cases(self, references: Sequence[str]) -> dict[str, list[Issue]]:
        """The issues of each case that has any, by number (a page of cases in one query)."""
        found: dict[str, list[Issue]] = defaultdict(list)
        refs = list(dict.fromkeys(references))
        for start in range(0, len(refs), _CHUNK):
            chunk = refs[start : start + _CHUNK]
            marks = ", ".join(f":r{n}" for n in range(len(chunk)))
            rows = self._db.all(
                f"SELECT c.reference, {_COLUMNS} FROM case_issues i JOIN cases c ON c.id = i.case_id "
                f"WHERE c.reference IN ({marks}) ORDER BY c.reference, i.number",
                {f"r{n}": ref for n, ref in enumerate(chunk)},
            )
            for reference, *rest in rows:
                found[reference].append(_to_issue(CaseIssueRow._make(rest)))
        return dict(found)

    def add(self, reference: str, issue: Issue, *, at: datetime) -> None:
        self._db.execute(
            "INSERT INTO case_issues (case_id, number, title, chapters, decision, decided_on, "
            "outcome, outcome_on, decided_precision, outcome_precision, created_at) SELECT id, "
            ":number, :title, :chapters, :decision, :decided_on, :outcome, :outcome_on, "
            ":decided_precision, :outcome_precision, :at FROM cases WHERE reference = :ref",
            {**self._values(issue), "ref": reference, "at": self._db.instant(at)},
        )

    def save(self, reference: str, issue: Issue) -> None:
        """The issue's decision and outcome as `issue` holds them."""
        self._db.execute(
            "UPDATE case_issues SET decision = :decision, decided_on = :decided_on, "
            "outcome = :outcome, outcome_on = :outcome_on, decided_precision = :decided_precision, "
            "outcome_precision = :outcome_precision "
            "WHERE number = :number AND case_id = (SELECT id FROM cases WHERE reference = :ref)",
            {**self._values(issue), "ref": reference},
        )

    def _values(self, issue: Issue) -> dict[str, object]:
        db = self._db
        return {
            "number": issue.number,
            "title": issue.title,
            "chapters": json.dumps(list(issue.chapters)),
            "decision": issue.decision.value,
            "decided_on": db.day(issue.decided_on),
            "outcome": issue.outcome.value if issue.outcome is not None else None,
            "outcome_on": db.day(issue.outcome_on),
            "decided_precision": issue.decided_precision.value,
            "outcome_precision": issue.outcome_precision.value,
        }
