"""A case's checklist marks on SQL (`checklist_marks`): each tick and untick appended, never
changed (states/checklists.py derives the checklist now)."""

from __future__ import annotations

from states.checklists import Mark
from storage.db import Db, columns, read_instant
from storage.rows import ChecklistMarkRow

_COLUMNS = columns(ChecklistMarkRow, "m.")


def _to_mark(row: ChecklistMarkRow) -> Mark:
    at = read_instant(row.marked_at)
    assert at is not None  # NOT NULL column
    return Mark(item=row.item, stage=row.stage, ticked=bool(row.ticked), actor=row.actor, at=at)


class SqlChecklistStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def of_case(self, reference: str) -> list[Mark]:
        """The case's marks in the order they were made."""
        rows = self._db.records(
            ChecklistMarkRow,
            f"SELECT {_COLUMNS} FROM checklist_marks m JOIN cases c ON c.id = m.case_id "
            "WHERE c.reference = :ref ORDER BY m.id",
            {"ref": reference},
        )
        return [_to_mark(row) for row in rows]

    def add(self, reference: str, mark: Mark) -> None:
        db = self._db
        db.execute(
            "INSERT INTO checklist_marks (case_id, item, stage, ticked, actor, marked_at) "
            "SELECT id, :item, :stage, :ticked, :actor, :at FROM cases WHERE reference = :ref",
            {
                "ref": reference,
                "item": mark.item,
                "stage": mark.stage,
                "ticked": mark.ticked,
                "actor": mark.actor,
                "at": db.instant(mark.at),
            },
        )
