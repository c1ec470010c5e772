"""Audit exports that carry their hashes: entries oldest first, confidential names pseudonymised.

Confidential submitters: their names and organisation numbers sit inside hashed fields
(`actor`, `reason`, `data`) of their case's entries. An export for an auditor replaces each with
the case's stable pseudonym and marks the entry `"redacted": true`, keeping its `prev_hash` and
`hash` verbatim. So are the title and file name of an NCP-internal (`ncp`) document's
`document_added` entry: replaced by `[internal document]`, its sha256 kept.
Its hash can no longer be recomputed from the file, so the export file is signed as a whole,
redactions included (`workflow.export_files`, which also verifies a file offline); the database
(`audit verify`) or a `--reveal` export verifies such entries in full.
`--reveal` (an admin's decision) exports names as stored, and is itself an audit entry; an actor
who is a user must have a role that may (states/permissions.py: REVEAL_IDENTITIES).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from states import audit_wording, records
from states.case import require_actor
from states.chain import HASHED_FIELDS, AuditEntry
from states.documents import withheld_data
from states.errors import InvalidInputError
from states.permissions import Action
from workflow import inputs, users
from workflow import redaction as redactions
from workflow.ports import Clock, Transaction, UnitOfWork

EXPORT_FIELDS = (*HASHED_FIELDS, "prev_hash", "hash")
ALLOWED = {*EXPORT_FIELDS, "redacted"}
EXPORT_SLICE = 5000  # entries read at once: an export holds one slice in memory, not the log


class Redactor:
    """Replaces confidential submitters' names and numbers with their case's pseudonym: the
    shared redaction (`workflow.redaction.protecting`) applied to each entry's free text."""

    def __init__(self, tx: Transaction) -> None:
        self._redaction = redactions.protecting(tx)

    def entry(self, entry: AuditEntry) -> dict[str, Any]:
        row = entry.as_dict()
        data = withheld_data(entry.kind, row["data"]) or row["data"]
        redacted = {
            **row,
            **{key: self._redaction.value(row[key], entry.case_ref) for key in ("actor", "reason")},
            "data": self._redaction.value(data, entry.case_ref),
        }
        if redacted != row:
            redacted["redacted"] = True
        return redacted


def export_rows(
    *,
    uow: UnitOfWork,
    clock: Clock,
    case_ref: str | None = None,
    since: date | None = None,
    until: date | None = None,
    reveal: bool = False,
    actor: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Entries oldest first (filtered by case and by the UTC day of `at`), hashes included."""
    inputs.period(since, until)
    if reveal:
        if actor is None or not actor.strip():
            raise InvalidInputError("--reveal needs --actor (revealing identities is audited)")
        require_actor(actor)
        with uow.write() as tx:
            users.authorise(tx, actor, Action.REVEAL_IDENTITIES)
            if case_ref is not None:
                tx.cases.get(case_ref)  # an unknown case: refuse before auditing anything
            tx.audit.append(
                case_ref=case_ref,
                actor=actor,
                at=clock.now(),
                from_state=None,
                to_state=None,
                reason=audit_wording.REVEALED,
                record=records.ExportRevealed(case_ref, since, until),
            )
    # The log is append-only, so the entries up to today's head never change: the export goes
    # through them a slice at a time, each slice read whole inside a read of its own. Memory
    # stays one slice however long the log is, and no read is held across a yield (it would
    # stay this thread's read, joined by any read the consumer makes meanwhile).
    with uow.read() as tx:
        if case_ref is not None:
            tx.cases.get(case_ref)
        head = tx.audit.head()
    upto, after = (head.seq if head else 0), 0
    while after < upto:
        with uow.read() as tx:
            redactor = Redactor(tx)
            entries = list(tx.audit.entries(case_ref=case_ref, after=after, upto=upto, limit=EXPORT_SLICE))
            rows = [
                entry.as_dict() if reveal else redactor.entry(entry)
                for entry in entries
                if _within(entry.at[:10], since, until)
            ]
        if not entries:
            return
        after = entries[-1].seq
        yield from rows


def _within(day: str, since: date | None, until: date | None) -> bool:
    return (since is None or day >= since.isoformat()) and (until is None or day <= until.isoformat())
