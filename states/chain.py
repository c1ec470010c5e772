"""The audit hash chain: how an entry is hashed, and how a sequence of entries is verified.

Pure, so that the database, an exported file and a test all verify with the same code.
hash = sha256(prev_hash + canonical_json(entry without its hash)).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from states.errors import Input, InvalidInputError
from states.messages import N_

GENESIS = "0" * 64
HASHED_FIELDS = ("seq", "case_ref", "kind", "actor", "at", "from_state", "to_state", "reason", "data")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def format_instant(instant: datetime) -> str:
    """One spelling of an instant for hashing: UTC, microseconds, 'Z'."""
    if instant.tzinfo is None:
        raise ValueError("audit instants must carry an offset")
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    case_ref: str | None
    kind: str
    actor: str
    at: str  # format_instant() spelling
    from_state: str | None
    to_state: str | None
    reason: str | None
    data: Mapping[str, Any]
    prev_hash: str
    hash: str
    # The stored spelling of `data`, when the entry was just sealed (saves encoding it again).
    data_json: str | None = field(default=None, compare=False, repr=False)

    def hashed_body(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in HASHED_FIELDS}

    def as_dict(self) -> dict[str, Any]:
        return {**self.hashed_body(), "data": dict(self.data), "prev_hash": self.prev_hash, "hash": self.hash}


def entry_hash(prev_hash: str, body: Mapping[str, Any]) -> str:
    payload = prev_hash + canonical_json({k: body[k] for k in HASHED_FIELDS})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ChainHead(NamedTuple):
    """All that appending needs of the newest entry."""

    seq: int
    hash: str


def seal(
    *,
    prev: AuditEntry | ChainHead | None,
    case_ref: str | None,
    kind: str,
    actor: str,
    at: datetime,
    from_state: str | None,
    to_state: str | None,
    reason: str | None,
    data: Mapping[str, Any],
) -> AuditEntry:
    """The next entry of the chain after `prev` (None for the first).

    Every entry names who is accountable for it: a blank actor is refused here, under every
    use case, so no path can write an entry without one."""
    if not isinstance(actor, str) or not actor.strip():
        raise InvalidInputError(
            N_("an audit entry ({kind}) needs an accountable actor; give {what}"),
            kind=kind,
            what=Input("", "actor"),
        )
    seq = 1 if prev is None else prev.seq + 1
    prev_hash = GENESIS if prev is None else prev.hash
    # Round-trip data through JSON so what is hashed is exactly what is stored and read back.
    data_json = canonical_json(dict(data))
    body = {
        "seq": seq,
        "case_ref": case_ref,
        "kind": kind,
        "actor": actor,
        "at": format_instant(at),
        "from_state": from_state,
        "to_state": to_state,
        "reason": reason,
        "data": json.loads(data_json),
    }
    return AuditEntry(**body, prev_hash=prev_hash, hash=entry_hash(prev_hash, body), data_json=data_json)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str | None = None
    head_seq: int | None = None
    head_hash: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "first_bad_seq": self.first_bad_seq,
            "problem": self.problem,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
        }


def verify(entries: Iterable[AuditEntry]) -> Verdict:
    """Walk the chain in stored order; name the first entry that breaks it, and how."""
    count = 0
    expected_seq, prev_hash = 1, GENESIS
    last: AuditEntry | None = None
    for entry in entries:
        count += 1
        problem = None
        if entry.seq != expected_seq:
            bad = min(entry.seq, expected_seq)
            if entry.seq > expected_seq:
                problem = f"entry {expected_seq} is missing (after {expected_seq - 1} comes {entry.seq})"
            else:
                problem = f"entry {entry.seq} is out of order (expected {expected_seq})"
            return Verdict(False, count, bad, problem, _seq(last), _hash(last))
        if entry.prev_hash != prev_hash:
            problem = f"entry {entry.seq} does not link to entry {entry.seq - 1} (prev_hash differs)"
        elif entry_hash(entry.prev_hash, entry.hashed_body()) != entry.hash:
            problem = f"entry {entry.seq} was altered (its hash does not match its content)"
        if problem:
            return Verdict(False, count, entry.seq, problem, _seq(last), _hash(last))
        expected_seq, prev_hash, last = entry.seq + 1, entry.hash, entry
    return Verdict(True, count, None, None, _seq(last), _hash(last))


def _seq(entry: AuditEntry | None) -> int | None:
    return entry.seq if entry else None


def _hash(entry: AuditEntry | None) -> str | None:
    return entry.hash if entry else None
