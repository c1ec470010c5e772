"""Fired alerts on SQL: candidate deadlines, the rungs already fired, and the once-only claim."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from states.alerts import AlertCandidate
from states.lifecycle import DeadlineName
from storage.db import Db, read_day


class SqlAlertStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def candidates(self, *, due_until: date) -> list[AlertCandidate]:
        """Open deadlines due by `due_until` of cases that are not closed and not paused.

        Uses the partial index on open deadlines, so closed cases cost nothing.
        """
        rows = self._db.all(
            "SELECT d.id, c.reference, d.name, d.due_on, d.basis_on FROM deadlines d "
            "JOIN cases c ON c.id = d.case_id "
            "WHERE d.met_at IS NULL AND d.due_on <= :until AND c.state <> 'closed' "
            "AND NOT EXISTS (SELECT 1 FROM pauses p WHERE p.case_id = c.id "
            "AND p.ended_at IS NULL) ORDER BY d.due_on, d.id",
            {"until": self._db.day(due_until)})
        result = []
        for row in rows:
            due = read_day(row[3])
            assert due is not None
            result.append(AlertCandidate(row[0], row[1], DeadlineName(row[2]), due,
                                         read_day(row[4])))
        return result

    def fired(self, deadline_ids: list[int]) -> dict[int, set[tuple[str, date]]]:
        found: dict[int, set[tuple[str, date]]] = defaultdict(set)
        for start in range(0, len(deadline_ids), 500):
            chunk = deadline_ids[start:start + 500]
            marks = ", ".join(f":i{n}" for n in range(len(chunk)))
            for row in self._db.all(
                    f"SELECT deadline_id, rung, due_on FROM alerts WHERE deadline_id IN ({marks})",
                    {f"i{n}": value for n, value in enumerate(chunk)}):
                day = read_day(row[2])
                assert day is not None
                found[row[0]].add((row[1], day))
        return found

    def claim(self, *, deadline_id: int, rung: str, due: date, at: datetime) -> bool:
        """Insert the (deadline, rung, due date) row; False when it was already there."""
        row = self._db.one(
            "INSERT INTO alerts (deadline_id, rung, due_on, fired_at) "
            "VALUES (:d, :rung, :due, :at) ON CONFLICT (deadline_id, rung, due_on) DO NOTHING "
            "RETURNING id",
            {"d": deadline_id, "rung": rung, "due": self._db.day(due),
             "at": self._db.instant(at)})
        return row is not None
