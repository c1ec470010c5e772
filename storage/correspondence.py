"""A case's correspondence log on SQL (`case_correspondence`)."""

from __future__ import annotations

import json
from datetime import datetime

from states.correspondence import Entry, Letter, LetterStatus
from storage.db import Db, columns, read_instant
from storage.rows import CorrespondenceRow, LetterRow

_COLUMNS = columns(CorrespondenceRow, "k.")
_LETTER_COLUMNS = columns(LetterRow, "l.")


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


def _to_letter(row: LetterRow) -> Letter:
    return Letter(
        number=int(row.number),
        kind=row.kind,
        party=row.party,
        language=row.language,
        status=LetterStatus(row.status),
        docx_document=int(row.docx_document),
        pdf_document=int(row.pdf_document),
        docx_sha256=row.docx_sha256,
        subject=row.subject,
        paragraphs=tuple(json.loads(row.paragraphs)),
        values=json.loads(row.letter_values),
        notice=row.notice,
        created_at=read_instant(row.created_at),
        created_by=row.created_by,
        channel=row.channel,
        sent_at=read_instant(row.sent_at),
        sent_by=row.sent_by,
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

    # -- letters ---------------------------------------------------------------------------------

    def letters(self, reference: str) -> list[Letter]:
        """The case's letters, by number."""
        rows = self._db.records(
            LetterRow,
            f"SELECT {_LETTER_COLUMNS} FROM case_letters l JOIN cases c ON c.id = l.case_id "
            "WHERE c.reference = :ref ORDER BY l.number",
            {"ref": reference},
        )
        return [_to_letter(row) for row in rows]

    def add_letter(self, reference: str, letter: Letter) -> None:
        db = self._db
        db.execute(
            "INSERT INTO case_letters (case_id, number, kind, party, language, status, docx_document, "
            "pdf_document, docx_sha256, subject, paragraphs, letter_values, notice, created_at, "
            "created_by, channel, sent_at, sent_by) SELECT id, :number, :kind, :party, :language, "
            ":status, :docx_document, :pdf_document, :docx_sha256, :subject, :paragraphs, :letter_values, "
            ":notice, :created_at, :created_by, :channel, :sent_at, :sent_by "
            "FROM cases WHERE reference = :ref",
            {**self._letter_values(letter), "ref": reference},
        )

    def save_letter(self, reference: str, letter: Letter) -> None:
        """The letter's text, status and how it was sent, as `letter` holds them."""
        self._db.execute(
            "UPDATE case_letters SET status = :status, docx_sha256 = :docx_sha256, subject = :subject, "
            "paragraphs = :paragraphs, channel = :channel, sent_at = :sent_at, sent_by = :sent_by "
            "WHERE number = :number AND case_id = (SELECT id FROM cases WHERE reference = :ref)",
            {**self._letter_values(letter), "ref": reference},
        )

    def _letter_values(self, letter: Letter) -> dict[str, object]:
        db = self._db
        return {
            "number": letter.number,
            "kind": letter.kind,
            "party": letter.party,
            "language": letter.language,
            "status": letter.status.value,
            "docx_document": letter.docx_document,
            "pdf_document": letter.pdf_document,
            "docx_sha256": letter.docx_sha256,
            "subject": letter.subject,
            "paragraphs": json.dumps(list(letter.paragraphs), ensure_ascii=False),
            "letter_values": json.dumps(dict(letter.values), ensure_ascii=False, sort_keys=True),
            "notice": letter.notice,
            "created_at": db.instant(letter.created_at),
            "created_by": letter.created_by,
            "channel": letter.channel,
            "sent_at": db.instant(letter.sent_at),
            "sent_by": letter.sent_by,
        }
