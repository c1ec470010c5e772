"""Signed checkpoints of the audit chain head, and what a set of them says about the chain.

A hash chain shows an entry was altered, removed from the middle or reordered, but not that the
newest entries were cut off. A checkpoint signs (seq, hash, at) of the head with an HMAC key
kept outside the database; checkpoints live in a table and in a log file outside the database,
so cutting entries, or entries and the newest checkpoints, leaves a signed seq the chain no
longer reaches. Pure: no I/O; the caller reads keys, tables and files.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from states.chain import canonical_json


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str  # format_instant() spelling
    mac: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "at": self.at, "mac": self.mac}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Checkpoint:
        return cls(seq=int(data["seq"]), hash=str(data["hash"]), at=str(data["at"]),
                   mac=str(data["mac"]))


def mac_of(key: bytes, *, seq: int, hash: str, at: str) -> str:
    message = canonical_json({"seq": seq, "hash": hash, "at": at}).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def sign(key: bytes, *, seq: int, hash: str, at: str) -> Checkpoint:
    return Checkpoint(seq=seq, hash=hash, at=at, mac=mac_of(key, seq=seq, hash=hash, at=at))


def signature_ok(key: bytes, checkpoint: Checkpoint) -> bool:
    expected = mac_of(key, seq=checkpoint.seq, hash=checkpoint.hash, at=checkpoint.at)
    return hmac.compare_digest(expected, checkpoint.mac)


@dataclass(frozen=True)
class CheckpointFinding:
    seq: int
    problem: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "problem": self.problem}


def check(key: bytes, *, stored: Iterable[Checkpoint], logged: Iterable[Checkpoint],
          hashes: Mapping[int, str], head_seq: int | None,
          chain_ok: bool) -> list[CheckpointFinding]:
    """Findings, oldest checkpoint first: signatures, presence in table and log, and the chain.

    `hashes` holds the chain's hash at each checkpointed seq it reached; `head_seq` is the last
    seq of the chain (None if empty). When the chain broke earlier, seqs past the break are not
    judged again (the chain verdict already names the first bad entry).
    """
    table = {c.seq: c for c in stored}
    log = {c.seq: c for c in logged}
    findings: list[CheckpointFinding] = []
    reached = head_seq or 0
    for seq in sorted(table.keys() | log.keys()):
        cp = table.get(seq) or log[seq]
        if seq not in table:
            findings.append(CheckpointFinding(seq, f"checkpoint at seq {seq} is in the "
                                              "checkpoint log but missing from the database"))
        elif seq not in log:
            findings.append(CheckpointFinding(seq, f"checkpoint at seq {seq} is in the database "
                                              "but not in the checkpoint log"))
        elif table[seq] != log[seq]:
            findings.append(CheckpointFinding(seq, f"checkpoint at seq {seq} differs between the "
                                              "database and the checkpoint log"))
        for source in (c for c in (table.get(seq), log.get(seq)) if c is not None):
            if not signature_ok(key, source):
                findings.append(CheckpointFinding(seq, f"checkpoint at seq {seq}: signature "
                                                  "does not match (wrong key, or altered)"))
                break
        if seq > reached:
            if chain_ok:
                findings.append(CheckpointFinding(
                    seq, f"truncated: {seq - reached} entries after seq {reached} are missing "
                    f"(checkpoint at seq {seq}, signed {cp.at}, saw them)"))
        elif seq in hashes and hashes[seq] != cp.hash:
            findings.append(CheckpointFinding(seq, f"entry {seq} differs from the entry "
                                              f"checkpointed at {cp.at}"))
    return findings
