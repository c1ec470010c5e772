"""Signed checkpoints of the audit chain head, and what a set of them says about the chain.

A hash chain shows an entry was altered, removed from the middle or reordered, but not that the
newest entries were cut off. A checkpoint signs (seq, hash, at) of the head with the NCP's
Ed25519 key (`states.signatures`), kept outside the database; checkpoints live in a table and in
a log file outside the database, so cutting entries, or entries and the newest checkpoints,
leaves a signed seq the chain no longer reaches. Older checkpoints carry an HMAC instead (`mac`)
and stay verifiable with that key, but only up to the first Ed25519 checkpoint: the HMAC key was
shared with auditors, so an HMAC checkpoint above that seq is refused as made after the switch.

A checkpoint is written to the log (and fsynced) before its row commits. A process killed in
between leaves a log line without a row: when that line is validly signed and names a (seq,
hash) the chain holds, it is an *unfinished* checkpoint, not tampering; the next checkpoint
inserts the missing row. Pure: no I/O; the caller reads keys, tables and files.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from states.chain import canonical_json
from states.signatures import Check, Signer, TrustedKeys

LABEL = "ncpflow-audit-checkpoint/1"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str  # format_instant() spelling
    mac: str = ""  # HMAC-SHA256 hex (checkpoints made before Ed25519 signing)
    sig: str = ""  # Ed25519 signature, base64
    key: str = ""  # fingerprint of the Ed25519 key that made `sig`

    def as_dict(self) -> dict[str, Any]:
        base: dict[str, Any] = {"seq": self.seq, "hash": self.hash, "at": self.at}
        if self.sig or self.key:
            return {**base, "key": self.key, "sig": self.sig}
        return {**base, "mac": self.mac}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Checkpoint:
        if not isinstance(data, Mapping) or not isinstance(data.get("seq"), int):
            raise ValueError("not a checkpoint")
        return cls(
            seq=int(data["seq"]),
            hash=str(data["hash"]),
            at=str(data["at"]),
            mac=str(data.get("mac") or ""),
            sig=str(data.get("sig") or ""),
            key=str(data.get("key") or ""),
        )

    @property
    def signed_by(self) -> str:
        return self.key if self.sig else "hmac"


def _payload(seq: int, hash: str, at: str) -> dict[str, Any]:
    return {"seq": seq, "hash": hash, "at": at}


def sign(signer: Signer, *, seq: int, hash: str, at: str) -> Checkpoint:
    return Checkpoint(
        seq=seq, hash=hash, at=at, key=signer.key_id, sig=signer.sign(LABEL, _payload(seq, hash, at))
    )


def mac_of(key: bytes, *, seq: int, hash: str, at: str) -> str:
    message = canonical_json(_payload(seq, hash, at)).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def sign_hmac(key: bytes, *, seq: int, hash: str, at: str) -> Checkpoint:
    """A checkpoint as ncpflow made them before Ed25519 (kept for verifying those)."""
    return Checkpoint(seq=seq, hash=hash, at=at, mac=mac_of(key, seq=seq, hash=hash, at=at))


@dataclass(frozen=True)
class Keys:
    """What a verifier holds: the HMAC key of older checkpoints, trusted Ed25519 public keys."""

    hmac: bytes | None = None
    trusted: TrustedKeys = field(default_factory=TrustedKeys)


def first_ed25519(keys: Keys, checkpoints: Iterable[Checkpoint]) -> int | None:
    """The seq of the first checkpoint validly signed with Ed25519 (None: there is none)."""
    signed = sorted((c for c in checkpoints if c.sig), key=lambda c: c.seq)
    return next((c.seq for c in signed if signature_problem(keys, c) is None), None)


def signature_problem(keys: Keys, checkpoint: Checkpoint, switched: int | None = None) -> str | None:
    """None when the checkpoint's signature holds; else what is wrong with it. `switched` is
    the seq of the first Ed25519 checkpoint: an HMAC checkpoint above it is refused."""
    where = f"checkpoint at seq {checkpoint.seq}"
    if checkpoint.sig:
        verdict = keys.trusted.check(
            checkpoint.key, LABEL, _payload(checkpoint.seq, checkpoint.hash, checkpoint.at), checkpoint.sig
        )
        if verdict is Check.UNKNOWN_KEY:
            return (
                f"{where}: signed by an unknown key {checkpoint.key} (not among the "
                "trusted public keys; give it with --public-key)"
            )
        if verdict is Check.BAD:
            return f"{where}: signature does not match (altered, or not made by key {checkpoint.key})"
        return None
    if checkpoint.mac:
        if switched is not None and checkpoint.seq > switched:
            return (
                f"{where}: HMAC-signed after the first Ed25519 checkpoint (seq {switched}); "
                "checkpoints since then must be signed with Ed25519"
            )
        if keys.hmac is None:
            return f"{where}: HMAC-signed, but no HMAC key to check it"
        expected = mac_of(keys.hmac, seq=checkpoint.seq, hash=checkpoint.hash, at=checkpoint.at)
        if hmac.compare_digest(expected, checkpoint.mac):
            return None
        return f"{where}: signature does not match (wrong key, or altered)"
    return f"{where}: carries no signature"


@dataclass(frozen=True)
class CheckpointFinding:
    seq: int
    problem: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "problem": self.problem}


@dataclass(frozen=True)
class CheckpointVerdict:
    findings: list[CheckpointFinding]
    unfinished: list[int]  # seqs of validly signed log lines whose row is not (yet) stored


def check(
    keys: Keys,
    *,
    stored: Iterable[Checkpoint],
    logged: Iterable[Checkpoint],
    hashes: Mapping[int, str],
    head_seq: int | None,
    chain_ok: bool,
) -> CheckpointVerdict:
    """Findings, oldest checkpoint first: signatures, presence in table and log, and the chain.

    `hashes` holds the chain's hash at each checkpointed seq it reached; `head_seq` is the last
    seq of the chain (None if empty). When the chain broke earlier, seqs past the break are not
    judged again (the chain verdict already names the first bad entry). A log line without a
    row is unfinished (not a finding) when its signature holds and the chain has its (seq,
    hash).
    """
    table = {c.seq: c for c in stored}
    log: dict[int, list[Checkpoint]] = {}
    for line in logged:
        if line not in log.setdefault(line.seq, []):
            log[line.seq].append(line)
    switched = first_ed25519(keys, [*table.values(), *logged])
    findings: list[CheckpointFinding] = []
    unfinished: list[int] = []
    reached = head_seq or 0
    for seq in sorted(table.keys() | log.keys()):
        row, lines = table.get(seq), log.get(seq, [])
        sources = [*([row] if row is not None else []), *(c for c in lines if c != row)]
        bad_signature = next((p for p in (signature_problem(keys, c, switched) for c in sources) if p), None)
        if bad_signature:
            findings.append(CheckpointFinding(seq, bad_signature))
        if row is None:
            if (
                bad_signature is None
                and seq <= reached
                and seq in hashes
                and all(c.hash == hashes[seq] for c in lines)
            ):
                unfinished.append(seq)
                continue
            findings.append(
                CheckpointFinding(
                    seq, f"checkpoint at seq {seq} is in the checkpoint log but missing from the database"
                )
            )
        elif not lines:
            findings.append(
                CheckpointFinding(
                    seq, f"checkpoint at seq {seq} is in the database but not in the checkpoint log"
                )
            )
        elif row not in lines:
            findings.append(
                CheckpointFinding(
                    seq, f"checkpoint at seq {seq} differs between the database and the checkpoint log"
                )
            )
        if seq > reached:
            if chain_ok:
                findings.append(
                    CheckpointFinding(
                        seq,
                        f"truncated: {seq - reached} entries after seq {reached} are missing "
                        f"(checkpoint at seq {seq}, signed {sources[0].at}, saw them)",
                    )
                )
        elif seq in hashes:
            differing = next((c for c in sources if c.hash != hashes[seq]), None)
            if differing is not None:
                findings.append(
                    CheckpointFinding(
                        seq, f"entry {seq} differs from the entry checkpointed at {differing.at}"
                    )
                )
    return CheckpointVerdict(findings, unfinished)
