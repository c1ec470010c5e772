"""A case's correspondence log on SQL (`case_correspondence`)."""

from __future__ import annotations

import json
from datetime import datetime

from states.correspondence import Entry
from storage.db import Db, columns, read_instant
from storage.rows import CorrespondenceRow

_COLUMNS = columns(CorrespondenceRow, "k.")


def _to_entry(row: CorrespondenceRow) -> Entry:
    at = read_instant(row.at)
    assert at is not None
    return Entry(
        number=int(row.number),
        at=at,
        direction=row.direction,
        party=row.party,
        channel=row.channel,
        subject=row.subject,
        documents=tuple(int(n) for n in json.loads(row.documents)),
        letter=None if row.letter is None else int(row.letter),
        recorded_at=read_instant(row.recorded_at),
        recorded_by=row.recorded_by,
    )


class SqlCorrespondenceStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def of_case(self, reference: str) -> list[Entry]:
        """The case's entries, oldest first (by when they happened, then by number)."""
        rows = self._db.records(
            CorrespondenceRow,
            f"SELECT {_COLUMNS} FROM case_correspondence k JOIN cases c ON c.id = k.case_id "
            "WHERE c.reference = :ref ORDER BY k.at, k.number",
            {"ref": reference},
        )
        return [_to_entry(row) for row in rows]

    def next_number(self, reference: str) -> int:
        found = self._db.scalar(
            "SELECT MAX(k.number) FROM case_correspondence k JOIN cases c ON c.id = k.case_id "
            "WHERE c.reference = :ref",
            {"ref": reference},
        )
        return int(found or 0) + 1

    def add(self, reference: str, entry: Entry) -> None:
        db = self._db
        db.execute(
            "INSERT INTO case_correspondence (case_id, number, at, direction, party, channel, "
            "subject, documents, letter, recorded_at, recorded_by) SELECT id, :number, :at, "
            ":direction, :party, :channel, :subject, :documents, :letter, :recorded_at, "
            ":recorded_by FROM cases WHERE reference = :ref",
            {
                "ref": reference,
                "number": entry.number,
                "at": db.instant(entry.at),
                "direction": entry.direction,
                "party": entry.party,
                "channel": entry.channel,
                "subject": entry.subject,
                "documents": json.dumps(list(entry.documents)),
                "letter": entry.letter,
                "recorded_at": db.instant(entry.recorded_at),
                "recorded_by": entry.recorded_by,
            },
        )

    def last_out(self, references: list[str]) -> dict[tuple[str, str], datetime]:
        """When each party of these cases was last written to: (reference, party) -> instant."""
        if not references:
            return {}
        marks = ", ".join(f":r{n}" for n in range(len(references)))
        rows = self._db.all(
            "SELECT c.reference, k.party, MAX(k.at) FROM case_correspondence k "
            f"JOIN cases c ON c.id = k.case_id WHERE k.direction = 'out' AND c.reference IN ({marks}) "
            "GROUP BY c.reference, k.party",
            {f"r{n}": ref for n, ref in enumerate(references)},
        )
        found: dict[tuple[str, str], datetime] = {}
        for reference, party, at in rows:
            instant = read_instant(at)
            assert instant is not None
            found[(reference, party)] = instant
        return found

    def claim_reminder(self, *, reference: str, party: str, since: datetime, at: datetime) -> bool:
        """Take the reminder for `party` of the case silent since `since`; False when it was
        already taken (one reminder per silent period, however often the sweep runs)."""
        db = self._db
        row = db.one(
            "INSERT INTO party_reminders (case_id, party, since, reminded_at) "
            "SELECT id, :party, :since, :at FROM cases WHERE reference = :ref "
            "ON CONFLICT (case_id, party, since) DO NOTHING RETURNING id",
            {"ref": reference, "party": party, "since": db.instant(since), "at": db.instant(at)},
        )
        return row is not None
