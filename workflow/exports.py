"""Audit exports that carry their hashes, and the offline verification of such a file.

A full export (no case or date filter) is the chain itself: `audit verify --file` re-walks it
from seq 1. A filtered export is an excerpt: each entry's own hash is recomputed, and where it
holds two consecutive seqs, the link between them is checked; gaps between the seqs it holds
are expected and reported, not judged.

Confidential submitters: their names sit inside hashed fields (`data`, sometimes `reason`) of
their case's entries. An export for an auditor replaces each such name with the case's stable
pseudonym and marks the entry `"redacted": true`, keeping its `prev_hash` and `hash` verbatim.
The offline verifier cannot recompute a redacted entry's hash (the content changed), so for
those it checks the links only: the entry's `hash` is still bound by the next entry's
`prev_hash`, and the database (`audit verify`) or a `--reveal` export verifies them in full.
The verdict counts redacted entries so a reader knows how many were checked by links alone.
`--reveal` (an admin's decision) exports names as stored, and is itself an audit entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from states import records
from states.case import require_actor
from states.chain import GENESIS, HASHED_FIELDS, AuditEntry, entry_hash
from states.errors import InvalidInputError
from workflow import inputs
from workflow import redaction as redactions
from workflow.ports import Clock, Transaction, UnitOfWork

EXPORT_FIELDS = (*HASHED_FIELDS, "prev_hash", "hash")
ALLOWED = {*EXPORT_FIELDS, "redacted"}


class Redactor:
    """Replaces confidential submitters' names and numbers with their case's pseudonym: the
    shared redaction (`workflow.redaction.protecting`) applied to each entry's free text."""

    def __init__(self, tx: Transaction) -> None:
        self._redaction = redactions.protecting(tx)

    def entry(self, entry: AuditEntry) -> dict[str, Any]:
        row = entry.as_dict()
        redacted = {**row, **{key: self._redaction.value(row[key], entry.case_ref)
                              for key in ("actor", "reason", "data")}}
        if redacted != row:
            redacted["redacted"] = True
        return redacted


def export_rows(*, uow: UnitOfWork, clock: Clock, case_ref: str | None = None,
                since: date | None = None, until: date | None = None, reveal: bool = False,
                actor: str | None = None) -> Iterator[dict[str, Any]]:
    """Entries oldest first (filtered by case and by the UTC day of `at`), hashes included."""
    inputs.period(since, until)
    if reveal:
        if actor is None or not actor.strip():
            raise InvalidInputError("--reveal needs --actor (revealing identities is audited)")
        require_actor(actor)
        with uow.write() as tx:
            if case_ref is not None:
                tx.cases.get(case_ref)  # an unknown case: refuse before auditing anything
            tx.audit.append(case_ref=case_ref, actor=actor, at=clock.now(), from_state=None,
                            to_state=None, reason="export with confidential identities revealed",
                            record=records.ExportRevealed(case_ref, since, until))
    with uow.read() as tx:
        if case_ref is not None:
            tx.cases.get(case_ref)
        redactor = Redactor(tx)
        for entry in tx.audit.entries(case_ref=case_ref):
            day = entry.at[:10]
            if since is not None and day < since.isoformat():
                continue
            if until is not None and day > until.isoformat():
                continue
            yield entry.as_dict() if reveal else redactor.entry(entry)


@dataclass(frozen=True)
class FileVerdict:
    ok: bool
    mode: str  # "chain" (a full export) or "excerpt" (a filtered one)
    entries: int
    redacted: int
    gaps: int
    first_bad_seq: int | None = None
    problem: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "mode": self.mode, "entries": self.entries,
                "redacted": self.redacted, "gaps": self.gaps,
                "first_bad_seq": self.first_bad_seq, "problem": self.problem}


def _entry(row: dict[str, Any], line: int) -> tuple[AuditEntry, bool]:
    unknown = set(row) - ALLOWED
    missing = set(EXPORT_FIELDS) - set(row)
    if unknown or missing:
        raise ValueError(f"line {line}: unknown fields {sorted(unknown)}, "
                         f"missing {sorted(missing)}")
    redacted = row.get("redacted", False)
    if redacted is not True and "redacted" in row:
        raise ValueError(f"line {line}: 'redacted' must be true when present")
    if not isinstance(row["data"], dict) or not isinstance(row["seq"], int):
        raise ValueError(f"line {line}: seq must be a number and data an object")
    entry = AuditEntry(**{k: row[k] for k in EXPORT_FIELDS})
    return entry, bool(redacted)


def verify_file(path: Path) -> FileVerdict:
    """Re-verify an exported JSONL file without the database."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot be read: {exc.strerror}") from None
    entries: list[tuple[AuditEntry, bool]] = []
    try:
        for number, line in enumerate(lines, 1):
            if line.strip():
                entries.append(_entry(json.loads(line), number))
    except (ValueError, TypeError) as exc:
        return FileVerdict(False, "unreadable", len(entries), 0, 0, None, str(exc))
    seqs = [e.seq for e, _ in entries]
    full = bool(seqs) and seqs == list(range(1, len(seqs) + 1))
    mode = "chain" if full else "excerpt"
    redacted = sum(1 for _, r in entries if r)
    gaps = 0
    previous: AuditEntry | None = None
    for entry, is_redacted in entries:
        problem = None
        if previous is not None and entry.seq <= previous.seq:
            problem = f"entry {entry.seq} is out of order (after {previous.seq})"
        elif full and previous is None and entry.prev_hash != GENESIS:
            problem = "entry 1 does not start the chain"
        elif previous is not None and entry.seq == previous.seq + 1:
            if entry.prev_hash != previous.hash:
                problem = f"entry {entry.seq} does not link to entry {previous.seq}"
        elif previous is not None:
            gaps += 1
        if problem is None and not is_redacted and \
                entry_hash(entry.prev_hash, entry.hashed_body()) != entry.hash:
            problem = f"entry {entry.seq} was altered (its hash does not match its content)"
        if problem:
            return FileVerdict(False, mode, len(entries), redacted, gaps, entry.seq, problem)
        previous = entry
    return FileVerdict(True, mode, len(entries), redacted, gaps)
