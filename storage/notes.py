"""A case's internal notes on SQL (`case_notes`): appended, never changed (states/notes.py)."""

from __future__ import annotations

from datetime import datetime

from states.notes import Note
from storage.db import Db, columns, read_instant
from storage.rows import CaseNoteRow

_COLUMNS = columns(CaseNoteRow, "n.")


def _instant(value: object) -> datetime:
    instant = read_instant(value)
    assert instant is not None  # NOT NULL columns
    return instant


def _to_note(row: CaseNoteRow) -> Note:
    return Note(
        number=int(row.number),
        text=row.text,
        author=row.author,
        at=_instant(row.written_at),
        recorded_at=_instant(row.recorded_at),
        replaces=int(row.replaces) if row.replaces is not None else None,
    )


class SqlNoteStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def of_case(self, reference: str) -> list[Note]:
        """The case's notes by number (the order they were written down)."""
        rows = self._db.records(
            CaseNoteRow,
            f"SELECT {_COLUMNS} FROM case_notes n JOIN cases c ON c.id = n.case_id "
            "WHERE c.reference = :ref ORDER BY n.number",
            {"ref": reference},
        )
        return [_to_note(row) for row in rows]

    def add(self, reference: str, note: Note) -> None:
        db = self._db
        db.execute(
            "INSERT INTO case_notes (case_id, number, text, author, written_at, recorded_at, replaces) "
            "SELECT id, :number, :text, :author, :written_at, :recorded_at, :replaces "
            "FROM cases WHERE reference = :ref",
            {
                "ref": reference,
                "number": note.number,
                "text": note.text,
                "author": note.author,
                "written_at": db.instant(note.at),
                "recorded_at": db.instant(note.recorded_at),
                "replaces": note.replaces,
            },
        )
