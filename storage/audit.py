"""The hash-chained audit log on SQL. Appends only: the database refuses UPDATE and DELETE."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from states.chain import AuditEntry, ChainHead, canonical_json, seal
from storage import mapper
from storage.db import Db
from storage.rows import AuditRow

if TYPE_CHECKING:
    from states.records import AuditRecord


class Appended(Protocol):
    """Told of every entry appended, in its transaction (the search index)."""

    def entry_added(
        self, case_ref: str | None, kind: str, reason: str | None, data: Mapping[str, Any]
    ) -> None: ...


class SqlAuditLog:
    def __init__(self, db: Db, appended: Appended | None = None) -> None:
        self._db = db
        self._appended = appended
        # Writers are serialised (BEGIN IMMEDIATE / advisory lock), so within one transaction
        # the head we appended last is still the head.
        self._head: ChainHead | None = None

    def head(self) -> ChainHead | None:
        if self._head is None:
            # ChainHead is a NamedTuple of (seq, hash): the row read by name.
            self._head = self._db.record(
                ChainHead, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
            )
        return self._head

    def append(
        self,
        *,
        case_ref: str | None,
        actor: str,
        at: datetime,
        from_state: str | None,
        to_state: str | None,
        reason: str | None,
        record: AuditRecord,
    ) -> AuditEntry:
        """Seal `record` (its kind, its declared data) as the next entry of the chain."""
        entry = seal(
            prev=self.head(),
            case_ref=case_ref,
            kind=record.kind,
            actor=actor,
            at=at,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            data=record.to_data(),
        )
        self._db.execute(
            "INSERT INTO audit_log (seq, case_ref, kind, actor, at, from_state, to_state, reason, "
            "data, prev_hash, hash) VALUES (:seq, :case_ref, :kind, :actor, :at, :from_state, "
            ":to_state, :reason, :data, :prev_hash, :hash)",
            {
                **entry.hashed_body(),
                "data": entry.data_json or canonical_json(entry.data),
                "prev_hash": entry.prev_hash,
                "hash": entry.hash,
            },
        )
        self._head = ChainHead(entry.seq, entry.hash)
        if self._appended is not None:
            self._appended.entry_added(case_ref, entry.kind, reason, entry.data)
        return entry

    def hash_at(self, seq: int) -> str | None:
        found = self._db.scalar("SELECT hash FROM audit_log WHERE seq = :seq", {"seq": seq})
        return None if found is None else str(found)

    def entries(
        self,
        *,
        case_ref: str | None = None,
        after: int = 0,
        upto: int | None = None,
        limit: int | None = None,
    ) -> Iterator[AuditEntry]:
        """Entries oldest first; with `after`/`upto`/`limit`, one slice of seqs (an export goes
        through the log slice by slice, each in its own read)."""
        where = ["seq > :after"]
        if case_ref is not None:
            where.append("case_ref = :ref")
        if upto is not None:
            where.append("seq <= :upto")
        tail = " LIMIT :limit" if limit is not None else ""
        cursor = self._db.execute(
            f"SELECT {mapper.AUDIT_COLUMNS} FROM audit_log WHERE {' AND '.join(where)} ORDER BY seq{tail}",
            {"ref": case_ref, "after": after, "upto": upto, "limit": limit},
        )
        try:
            while batch := cursor.fetchmany(2000):
                for row in map(AuditRow._make, batch):
                    yield mapper.to_entry(row)
        finally:
            cursor.close()  # a reader that stops early (verify) must not leave it open

    def page(
        self,
        *,
        case_ref: str | None = None,
        kind: str | None = None,
        limit: int,
        offset: int = 0,
        before: int | None = None,
        newest_first: bool = False,
    ) -> list[AuditEntry]:
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
        return [
            mapper.to_entry(row)
            for row in self._db.records(
                AuditRow,
                f"SELECT {mapper.AUDIT_COLUMNS} FROM audit_log{clause} ORDER BY seq {order} "
                "LIMIT :limit OFFSET :offset",
                params,
            )
        ]

    def cases_acted_on(self, actor: str) -> set[str]:
        """The references of the cases whose entries name `actor` (the start page's "handled")."""
        return {
            ref
            for (ref,) in self._db.all(
                "SELECT DISTINCT case_ref FROM audit_log WHERE actor = :actor AND case_ref IS NOT NULL",
                {"actor": actor},
            )
        }

    def kinds(self) -> list[str]:
        return [kind for (kind,) in self._db.all("SELECT DISTINCT kind FROM audit_log ORDER BY kind")]

    def count(self) -> int:
        return int(self._db.scalar("SELECT COUNT(*) FROM audit_log") or 0)
