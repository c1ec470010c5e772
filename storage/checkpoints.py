"""Signed checkpoints of the audit chain head, kept in their own append-only table."""

from __future__ import annotations

from states.checkpoints import Checkpoint
from storage.db import Db


class SqlCheckpointStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, checkpoint: Checkpoint) -> None:
        self._db.execute("INSERT INTO audit_checkpoints (seq, hash, at, mac) "
                         "VALUES (:seq, :hash, :at, :mac)", checkpoint.as_dict())

    def get(self, seq: int) -> Checkpoint | None:
        row = self._db.one("SELECT seq, hash, at, mac FROM audit_checkpoints WHERE seq = :seq",
                           {"seq": seq})
        return Checkpoint(row[0], row[1], row[2], row[3]) if row else None

    def all(self) -> list[Checkpoint]:
        rows = self._db.all("SELECT seq, hash, at, mac FROM audit_checkpoints ORDER BY seq")
        return [Checkpoint(r[0], r[1], r[2], r[3]) for r in rows]
