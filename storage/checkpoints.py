"""Signed checkpoints of the audit chain head, kept in their own append-only table."""

from __future__ import annotations

from states.checkpoints import Checkpoint
from storage.db import Db, columns
from storage.rows import AuditCheckpointRow

_COLUMNS = columns(AuditCheckpointRow)


def _checkpoint(row: AuditCheckpointRow) -> Checkpoint:
    return Checkpoint(
        seq=row.seq, hash=row.hash, at=row.at, mac=row.mac or "", sig=row.sig or "", key=row.key_id or ""
    )


class SqlCheckpointStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, checkpoint: Checkpoint) -> None:
        self._db.execute(
            f"INSERT INTO audit_checkpoints ({_COLUMNS}) VALUES (:seq, :hash, :at, :mac, :sig, :key_id)",
            {
                "seq": checkpoint.seq,
                "hash": checkpoint.hash,
                "at": checkpoint.at,
                "mac": checkpoint.mac,
                "sig": checkpoint.sig or None,
                "key_id": checkpoint.key or None,
            },
        )

    def get(self, seq: int) -> Checkpoint | None:
        row = self._db.record(
            AuditCheckpointRow, f"SELECT {_COLUMNS} FROM audit_checkpoints WHERE seq = :seq", {"seq": seq}
        )
        return _checkpoint(row) if row else None

    def all(self) -> list[Checkpoint]:
        return [
            _checkpoint(r)
            for r in self._db.records(
                AuditCheckpointRow, f"SELECT {_COLUMNS} FROM audit_checkpoints ORDER BY seq"
            )
        ]
