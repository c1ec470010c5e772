"""The hash-chained audit log on SQL. Appends only: the database refuses UPDATE and DELETE."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from states.chain import AuditEntry, ChainHead, canonical_json, seal
from storage import mapper
from storage.db import Db


class SqlAuditLog:
    def __init__(self, db: Db) -> None:
        self._db = db
        # Writers are serialised (BEGIN IMMEDIATE / advisory lock), so within one transaction
        # the head we appended last is still the head.
        self._head: ChainHead | None = None

    def head(self) -> ChainHead | None:
        if self._head is None:
            row = self._db.one("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            self._head = ChainHead(row[0], row[1]) if row else None
        return self._head

    def append(self, *, case_ref: str | None, kind: str, actor: str, at: datetime,
               from_state: str | None, to_state: str | None, reason: str | None,
               data: Mapping[str, Any]) -> AuditEntry:
        entry = seal(prev=self.head(), case_ref=case_ref, kind=kind, actor=actor, at=at,
                     from_state=from_state, to_state=to_state, reason=reason, data=data)
        self._db.execute(
            "INSERT INTO audit_log (seq, case_ref, kind, actor, at, from_state, to_state, reason, "
            "data, prev_hash, hash) VALUES (:seq, :case_ref, :kind, :actor, :at, :from_state, "
            ":to_state, :reason, :data, :prev_hash, :hash)",
            {**entry.hashed_body(), "data": entry.data_json or canonical_json(entry.data),
             "prev_hash": entry.prev_hash, "hash": entry.hash})
        self._head = ChainHead(entry.seq, entry.hash)
        return entry

    def hash_at(self, seq: int) -> str | None:
        row = self._db.one("SELECT hash FROM audit_log WHERE seq = :seq", {"seq": seq})
        return str(row[0]) if row else None

    def entries(self, *, case_ref: str | None = None) -> Iterator[AuditEntry]:
        where = " WHERE case_ref = :ref" if case_ref is not None else ""
        cursor = self._db.execute(f"SELECT {mapper.AUDIT_COLUMNS} FROM audit_log{where} "
                                  "ORDER BY seq", {"ref": case_ref})
        try:
            while batch := cursor.fetchmany(2000):
                for row in batch:
                    yield mapper.to_entry(row)
        finally:
            cursor.close()  # a reader that stops early (verify) must not leave it open

    def page(self, *, case_ref: str | None = None, kind: str | None = None, limit: int,
             offset: int = 0, before: int | None = None,
             newest_first: bool = False) -> list[AuditEntry]:
        """`limit` entries in seq order (or newest first), after `offset`, below seq `before`."""
        where: list[str] = []
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if case_ref is not None:
            where.append("case_ref = :ref")
            params["ref"] = case_ref
        if kind is not None:
            where.append("kind = :kind")
            params["kind"] = kind
        if before is not None:
            where.append("seq < :before")
            params["before"] = before
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        order = "DESC" if newest_first else "ASC"
        return [mapper.to_entry(row) for row in self._db.all(
            f"SELECT {mapper.AUDIT_COLUMNS} FROM audit_log{clause} ORDER BY seq {order} "
            "LIMIT :limit OFFSET :offset", params)]

    def kinds(self) -> list[str]:
        return [row[0] for row in self._db.all("SELECT DISTINCT kind FROM audit_log ORDER BY kind")]

    def count(self) -> int:
        row = self._db.one("SELECT COUNT(*) FROM audit_log")
        return int(row[0]) if row else 0
