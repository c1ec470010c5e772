"""Signed checkpoints of the audit chain head, kept in their own append-only table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from states.checkpoints import Checkpoint
from storage.db import Db

_COLUMNS = "seq, hash, at, mac, sig, key_id"


def _checkpoint(row: Sequence[Any]) -> Checkpoint:
    return Checkpoint(seq=row[0], hash=row[1], at=row[2], mac=row[3] or "", sig=row[4] or "",
                      key=row[5] or "")


class SqlCheckpointStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, checkpoint: Checkpoint) -> None:
        self._db.execute(f"INSERT INTO audit_checkpoints ({_COLUMNS}) "
                         "VALUES (:seq, :hash, :at, :mac, :sig, :key_id)",
                         {"seq": checkpoint.seq, "hash": checkpoint.hash, "at": checkpoint.at,
                          "mac": checkpoint.mac, "sig": checkpoint.sig or None,
                          "key_id": checkpoint.key or None})

    def get(self, seq: int) -> Checkpoint | None:
        row = self._db.one(f"SELECT {_COLUMNS} FROM audit_checkpoints WHERE seq = :seq",
                           {"seq": seq})
        return _checkpoint(row) if row else None

    def all(self) -> list[Checkpoint]:
        return [_checkpoint(r) for r in
                self._db.all(f"SELECT {_COLUMNS} FROM audit_checkpoints ORDER BY seq")]
