"""Imported cases on SQL: which external ids are in, with the hash of their content."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from storage.db import Db


class ImportMark(NamedTuple):
    """An external id already imported: its case and the sha256 of the line's content."""

    external_id: str
    reference: str
    sha256: str


class SqlImportStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def get(self, external_id: str) -> ImportMark | None:
        return self._db.record(
            ImportMark,
            "SELECT external_id, reference, sha256 FROM case_imports WHERE external_id = :e",
            {"e": external_id},
        )

    def add(
        self,
        *,
        external_id: str,
        reference: str,
        sha256: str,
        source: str,
        line: int,
        actor: str,
        at: datetime,
    ) -> None:
        self._db.execute(
            "INSERT INTO case_imports (external_id, reference, sha256, source, line, actor, "
            "imported_at) VALUES (:e, :r, :s, :source, :line, :actor, :at)",
            {
                "e": external_id,
                "r": reference,
                "s": sha256,
                "source": source,
                "line": line,
                "actor": actor,
                "at": self._db.instant(at),
            },
        )

    def taken(self, reference: str) -> bool:
        """Whether a case already has `reference`."""
        return self._db.one("SELECT 1 FROM cases WHERE reference = :r", {"r": reference}) is not None

    def references(self) -> set[str]:
        """The references of the cases `case import` brought in."""
        return {str(row[0]) for row in self._db.all("SELECT reference FROM case_imports")}

    def reserve(self, *, prefix: str, year: int, number: int) -> None:
        """Numbers up to `number` of `prefix` and `year` are used: the next case opened gets a
        later one (a reference kept from the file is never handed out again)."""
        self._db.execute(
            "INSERT INTO reference_counters (prefix, year, last) VALUES (:p, :y, :n) "
            f"ON CONFLICT ({self._db.key('prefix, year')}) DO UPDATE SET last = "
            "CASE WHEN reference_counters.last < :n THEN :n ELSE reference_counters.last END",
            {"p": prefix, "y": year, "n": number},
        )
