"""Stored procedure versions (`procedure_versions`): every version a case follows or followed.

A row is written once, in the transaction of the first case that follows the version, and never
changed (the table refuses UPDATE and DELETE). `ProcedureCache` maps a case's pinned (id,
version) to its `Procedure`: a stored version's text is parsed once per sha256 per process, and
what it gives is kept for the unit of work's life (a stored version never changes).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime

from states.errors import StorageError
from states.procedure import Procedure, parse_procedure
from states.versions import StoredVersion
from storage.db import Db, read_instant

_PARSED: dict[str, Procedure] = {}  # sha256 -> the procedure of that text
_PARSED_LOCK = threading.Lock()


def remember(procedure: Procedure) -> Procedure:
    """`procedure`, kept as the one parsed from its text (the configured and shipped
    definitions, read by the workflow layer, are then never parsed again here)."""
    with _PARSED_LOCK:
        return _PARSED.setdefault(procedure.sha256, procedure)


def _parsed(sha256: str, text: str, source: str) -> Procedure:
    found = _PARSED.get(sha256)
    if found is not None:
        return found
    return remember(parse_procedure(text, source=source))


class ProcedureCache:
    """Pinned (id, version) -> Procedure, shared by a unit of work's transactions."""

    def __init__(self, known: Iterable[Procedure] = ()) -> None:
        self._lock = threading.Lock()
        self._pinned: dict[tuple[str, str], Procedure] = {}
        for procedure in known:
            remember(procedure)

    def pinned(self, db: Db, ident: str, version: str) -> Procedure:
        key = (ident, version)
        found = self._pinned.get(key)
        if found is not None:
            return found
        row = db.one(
            "SELECT sha256, content FROM procedure_versions WHERE id = :id AND version = :version",
            {"id": ident, "version": version},
        )
        if row is None:
            raise StorageError(f"procedure {ident} version {version} is not stored; a case follows it")
        sha256, content = row
        procedure = _parsed(sha256, content, f"{ident} version {version} (stored)")
        with self._lock:
            return self._pinned.setdefault(key, procedure)


class SqlProcedureStore:
    def __init__(self, db: Db, cache: ProcedureCache) -> None:
        self._db = db
        self._cache = cache

    def stored_sha256(self, ident: str, version: str) -> str | None:
        """The sha256 stored for (ident, version), or None when it is not stored."""
        value = self._db.scalar(
            "SELECT sha256 FROM procedure_versions WHERE id = :id AND version = :version",
            {"id": ident, "version": version},
        )
        return None if value is None else str(value)

    def add(self, procedure: Procedure, *, at: datetime) -> None:
        self._db.execute(
            "INSERT INTO procedure_versions (id, version, sha256, content, stored_at) "
            "VALUES (:id, :version, :sha256, :content, :at)",
            {
                "id": procedure.id,
                "version": procedure.version,
                "sha256": procedure.sha256,
                "content": procedure.text,
                "at": self._db.instant(at),
            },
        )

    def get(self, ident: str, version: str) -> Procedure | None:
        """The stored version, parsed (once), or None."""
        if self.stored_sha256(ident, version) is None:
            return None
        return self._cache.pinned(self._db, ident, version)

    def versions(self) -> list[StoredVersion]:
        """Every stored version, by id and storing time, with how many cases follow it now."""
        rows = self._db.all(
            "SELECT v.id, v.version, v.sha256, v.stored_at, "
            "(SELECT COUNT(*) FROM cases c WHERE c.procedure_id = v.id "
            "AND c.procedure_version = v.version) FROM procedure_versions v "
            "ORDER BY v.id, v.stored_at, v.version"
        )
        made = []
        for ident, version, sha256, stored_at, cases in rows:
            at = read_instant(stored_at)
            assert at is not None
            made.append(StoredVersion(ident, version, sha256, at, int(cases)))
        return made
