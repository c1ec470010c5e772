"""A case's documents on SQL: content by sha256 in 1 MiB chunks (`document_contents`,
`document_chunks`: a BLOB on SQLite, bytea on PostgreSQL) and each document version's metadata
(`case_documents`). The same content filed twice is stored once. Append-only: the database
refuses UPDATE and DELETE on all three (migration 0021_documents)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import NamedTuple

from states.documents import Document
from storage.db import Db, columns, read_instant
from storage.rows import CaseDocumentRow

_COLUMNS = columns(CaseDocumentRow, "d.")


class StoredContent(NamedTuple):
    """A content as its row holds it."""

    sha256: str
    size: int


def _to_document(reference: str, row: CaseDocumentRow) -> Document:
    added_at = read_instant(row.added_at)
    assert added_at is not None
    return Document(
        reference=reference,
        number=int(row.number),
        version=int(row.version),
        title=row.title,
        direction=row.direction,
        party=row.party,
        access=row.access,
        exemption=row.exemption,
        filename=row.filename,
        media_type=row.media_type,
        size=int(row.size),
        sha256=row.sha256,
        added_at=added_at,
        added_by=row.added_by,
    )


class SqlDocumentStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    # -- content ---------------------------------------------------------------------------------

    def has_content(self, sha256: str) -> bool:
        return self._db.scalar("SELECT 1 FROM document_contents WHERE sha256 = :s", {"s": sha256}) is not None

    def add_content(self, *, sha256: str, size: int, chunks: Iterable[bytes], at: datetime) -> None:
        """Store a content under its sha256 (the caller hashed it), one chunk per statement, so
        no more than one chunk is in memory at a time."""
        db = self._db
        db.execute(
            "INSERT INTO document_contents (sha256, size, stored_at) VALUES (:s, :size, :at)",
            {"s": sha256, "size": size, "at": db.instant(at)},
        )
        for seq, chunk in enumerate(chunks):
            db.execute(
                "INSERT INTO document_chunks (sha256, seq, data) VALUES (:s, :seq, :data)",
                {"s": sha256, "seq": seq, "data": chunk},
            )

    def content(self, sha256: str) -> StoredContent | None:
        row = self._db.one("SELECT sha256, size FROM document_contents WHERE sha256 = :s", {"s": sha256})
        return None if row is None else StoredContent(str(row[0]), int(row[1]))

    def contents(self) -> Iterator[StoredContent]:
        """Every stored content, by sha256."""
        for row in self._db.all("SELECT sha256, size FROM document_contents ORDER BY sha256"):
            yield StoredContent(str(row[0]), int(row[1]))

    def chunk(self, sha256: str, seq: int) -> bytes | None:
        """Chunk `seq` (from 0) of a content, or None past its last."""
        data = self._db.scalar(
            "SELECT data FROM document_chunks WHERE sha256 = :s AND seq = :seq", {"s": sha256, "seq": seq}
        )
        return None if data is None else bytes(data)

    # -- documents -------------------------------------------------------------------------------

    def add(self, document: Document) -> None:
        db = self._db
        db.execute(
            "INSERT INTO case_documents (case_id, number, version, title, direction, party, access, "
            "exemption, filename, media_type, size, sha256, added_at, added_by) SELECT id, :number, "
            ":version, :title, :direction, :party, :access, :exemption, :filename, :media_type, :size, "
            ":sha256, :added_at, :added_by FROM cases WHERE reference = :ref",
            {
                "ref": document.reference,
                "number": document.number,
                "version": document.version,
                "title": document.title,
                "direction": document.direction,
                "party": document.party,
                "access": document.access,
                "exemption": document.exemption,
                "filename": document.filename,
                "media_type": document.media_type,
                "size": document.size,
                "sha256": document.sha256,
                "added_at": db.instant(document.added_at),
                "added_by": document.added_by,
            },
        )

    def of_case(self, reference: str) -> list[Document]:
        """Every version of every document of the case, by number and version."""
        rows = self._db.all(
            f"SELECT {_COLUMNS} FROM case_documents d JOIN cases c ON c.id = d.case_id "
            "WHERE c.reference = :ref ORDER BY d.number, d.version",
            {"ref": reference},
        )
        return [_to_document(reference, CaseDocumentRow._make(row)) for row in rows]

    def every(self) -> Iterator[Document]:
        """Every version of every document of every case (verification)."""
        cursor = self._db.execute(
            f"SELECT c.reference, {_COLUMNS} FROM case_documents d JOIN cases c ON c.id = d.case_id "
            "ORDER BY c.reference, d.number, d.version"
        )
        try:
            while batch := cursor.fetchmany(500):
                for reference, *rest in batch:
                    yield _to_document(reference, CaseDocumentRow._make(rest))
        finally:
            cursor.close()

    def count(self) -> int:
        return int(self._db.scalar("SELECT COUNT(*) FROM case_documents") or 0)
