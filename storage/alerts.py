"""Fired alerts on SQL: candidate deadlines, the rungs already fired, and the once-only claim."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from states.alerts import AlertCandidate
from states.lifecycle import DeadlineName
from storage.db import Db, read_day

_NAMES = {name.value: name for name in DeadlineName}


def _day(value: Any) -> date:
    day = read_day(value)
    assert day is not None
    return day


class SqlAlertStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def candidates(self, *, due_until: date) -> list[AlertCandidate]:
        """Open deadlines due by `due_until` of running (not closed, not paused) cases, each
        with the rungs already fired for its current due date.

        One query: the partial index on open deadlines keeps closed cases out of it, and the
        fired rungs come along by a LEFT JOIN rather than a second round trip.
        """
        rows = self._db.all(
            "SELECT d.id, c.reference, d.name, d.due_on, d.basis_on, a.rung FROM deadlines d "
            "JOIN cases c ON c.id = d.case_id "
            "LEFT JOIN alerts a ON a.deadline_id = d.id AND a.due_on = d.due_on "
            "WHERE d.met_at IS NULL AND d.due_on <= :until AND c.state <> 'closed' "
            "AND NOT EXISTS (SELECT 1 FROM pauses p WHERE p.case_id = c.id "
            "AND p.ended_at IS NULL) ORDER BY d.due_on, d.id",
            {"until": self._db.day(due_until)},
        )
        found: dict[int, tuple[Any, ...]] = {}
        fired: dict[int, set[str]] = defaultdict(set)
        for row in rows:
            deadline_id, _, _, _, _, rung = row
            found.setdefault(deadline_id, row)
            if rung is not None:
                fired[deadline_id].add(rung)
        none: frozenset[str] = frozenset()
        return [
            AlertCandidate(
                deadline_id,
                reference,
                _NAMES[name],
                _day(due_on),
                _day(basis_on),
                frozenset(fired[deadline_id]) if deadline_id in fired else none,
            )
            for deadline_id, reference, name, due_on, basis_on, _ in found.values()
        ]

    def claim(self, *, deadline_id: int, rung: str, due: date, at: datetime) -> bool:
        """Insert the (deadline, rung, due date) row; False when it was already there."""
        row = self._db.one(
            "INSERT INTO alerts (deadline_id, rung, due_on, fired_at) "
            "VALUES (:d, :rung, :due, :at) ON CONFLICT (deadline_id, rung, due_on) DO NOTHING "
            "RETURNING id",
            {"d": deadline_id, "rung": rung, "due": self._db.day(due), "at": self._db.instant(at)},
        )
        return row is not None
