"""Follow-up of commitments on SQL (`case_commitments`, `commitment_status`, `update_requests`,
`update_request_alerts`): appended, never changed (states/commitments.py); the alert claims once
per request and rung."""

from __future__ import annotations

import json
from datetime import date, datetime

from states.commitments import Commitment, StatusEntry, UpdateRequest
from storage.db import Db, columns, read_day, read_instant
from storage.rows import CommitmentRow, CommitmentStatusRow, UpdateRequestRow

_COMMITMENTS = columns(CommitmentRow, "m.")
_STATUS = columns(CommitmentStatusRow, "s.")
_REQUESTS = columns(UpdateRequestRow, "r.")


def _instant(value: object) -> datetime:
    instant = read_instant(value)
    assert instant is not None  # NOT NULL columns
    return instant


def _day(value: object) -> date:
    day = read_day(value)
    assert day is not None  # NOT NULL columns
    return day


def _to_commitment(row: CommitmentRow) -> Commitment:
    return Commitment(
        number=int(row.number),
        source=row.source,
        owner=row.owner,
        text=row.text,
        made_on=_day(row.made_on),
        recorded_at=_instant(row.recorded_at),
        recorded_by=row.recorded_by,
        due=read_day(row.due_on),
        party=row.party,
        document=None if row.document is None else int(row.document),
    )


def _to_status(row: CommitmentStatusRow) -> StatusEntry:
    return StatusEntry(
        commitment=int(row.commitment),
        seq=int(row.seq),
        status=row.status,
        on=_day(row.holds_on),
        actor=row.actor,
        recorded_at=_instant(row.recorded_at),
        note=row.note,
        evidence=tuple(int(n) for n in json.loads(row.evidence)),
    )


def _to_request(row: UpdateRequestRow) -> UpdateRequest:
    return UpdateRequest(
        number=int(row.number),
        party=row.party,
        commitments=tuple(int(n) for n in json.loads(row.commitments)),
        due=_day(row.due_on),
        requested_at=_instant(row.requested_at),
        requested_by=row.requested_by,
        channel=row.channel,
    )


class SqlCommitmentStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def of_case(self, reference: str) -> list[Commitment]:
        """The case's commitments by number."""
        rows = self._db.records(
            CommitmentRow,
            f"SELECT {_COMMITMENTS} FROM case_commitments m JOIN cases c ON c.id = m.case_id "
            "WHERE c.reference = :ref ORDER BY m.number",
            {"ref": reference},
        )
        return [_to_commitment(row) for row in rows]

    def history(self, reference: str) -> list[StatusEntry]:
        """Every status entry of the case's commitments, by commitment and in recorded order."""
        rows = self._db.records(
            CommitmentStatusRow,
            f"SELECT {_STATUS} FROM commitment_status s JOIN cases c ON c.id = s.case_id "
            "WHERE c.reference = :ref ORDER BY s.commitment, s.seq",
            {"ref": reference},
        )
        return [_to_status(row) for row in rows]

    def everything(self) -> list[tuple[str, list[str], Commitment, list[StatusEntry]]]:
        """Every case's commitments with the case's reference, its themes and the commitment's
        status history (for the report)."""
        db = self._db
        rows = db.all(
            f"SELECT c.reference, c.themes, {_COMMITMENTS} FROM case_commitments m "
            "JOIN cases c ON c.id = m.case_id ORDER BY c.reference, m.number"
        )
        statuses = db.all(
            f"SELECT c.reference, {_STATUS} FROM commitment_status s "
            "JOIN cases c ON c.id = s.case_id ORDER BY c.reference, s.commitment, s.seq"
        )
        history: dict[tuple[str, int], list[StatusEntry]] = {}
        for reference, *rest in statuses:
            entry = _to_status(CommitmentStatusRow(*rest))
            history.setdefault((reference, entry.commitment), []).append(entry)
        found = []
        for reference, themes, *rest in rows:
            commitment = _to_commitment(CommitmentRow(*rest))
            found.append(
                (
                    reference,
                    list(json.loads(themes)),
                    commitment,
                    history.get((reference, commitment.number), []),
                )
            )
        return found

    def add(self, reference: str, commitment: Commitment) -> None:
        db = self._db
        db.execute(
            "INSERT INTO case_commitments (case_id, number, source, document, owner, party, text, "
            "due_on, made_on, recorded_at, recorded_by) SELECT id, :number, :source, :document, "
            ":owner, :party, :text, :due_on, :made_on, :recorded_at, :recorded_by "
            "FROM cases WHERE reference = :ref",
            {
                "ref": reference,
                "number": commitment.number,
                "source": commitment.source,
                "document": commitment.document,
                "owner": commitment.owner,
                "party": commitment.party,
                "text": commitment.text,
                "due_on": db.day(commitment.due),
                "made_on": db.day(commitment.made_on),
                "recorded_at": db.instant(commitment.recorded_at),
                "recorded_by": commitment.recorded_by,
            },
        )

    def add_status(self, reference: str, entry: StatusEntry) -> None:
        db = self._db
        db.execute(
            "INSERT INTO commitment_status (case_id, commitment, seq, status, holds_on, note, "
            "evidence, actor, recorded_at) SELECT id, :commitment, :seq, :status, :holds_on, :note, "
            ":evidence, :actor, :recorded_at FROM cases WHERE reference = :ref",
            {
                "ref": reference,
                "commitment": entry.commitment,
                "seq": entry.seq,
                "status": entry.status,
                "holds_on": db.day(entry.on),
                "note": entry.note,
                "evidence": json.dumps(list(entry.evidence)),
                "actor": entry.actor,
                "recorded_at": db.instant(entry.recorded_at),
            },
        )

    # -- update requests ---------------------------------------------------------------------------

    def requests(self, reference: str) -> list[UpdateRequest]:
        """The case's update requests by number."""
        rows = self._db.records(
            UpdateRequestRow,
            f"SELECT {_REQUESTS} FROM update_requests r JOIN cases c ON c.id = r.case_id "
            "WHERE c.reference = :ref ORDER BY r.number",
            {"ref": reference},
        )
        return [_to_request(row) for row in rows]

    def add_request(self, reference: str, request: UpdateRequest) -> None:
        db = self._db
        db.execute(
            "INSERT INTO update_requests (case_id, number, party, commitments, due_on, channel, "
            "requested_at, requested_by) SELECT id, :number, :party, :commitments, :due_on, :channel, "
            ":requested_at, :requested_by FROM cases WHERE reference = :ref",
            {
                "ref": reference,
                "number": request.number,
                "party": request.party,
                "commitments": json.dumps(list(request.commitments)),
                "due_on": db.day(request.due),
                "channel": request.channel,
                "requested_at": db.instant(request.requested_at),
                "requested_by": request.requested_by,
            },
        )

    def due_by(self, day: date) -> list[tuple[str, UpdateRequest, frozenset[str]]]:
        """The requests due by `day`, with their case's reference and the rungs alerted already,
        earliest due first (the sweep's candidates)."""
        db = self._db
        rows = db.all(
            f"SELECT c.reference, {_REQUESTS} FROM update_requests r JOIN cases c ON c.id = r.case_id "
            "WHERE r.due_on <= :day ORDER BY r.due_on, c.reference, r.number",
            {"day": db.day(day)},
        )
        fired: dict[tuple[str, int], set[str]] = {}
        if rows:
            for reference, request, rung in db.all(
                "SELECT c.reference, a.request, a.rung FROM update_request_alerts a "
                "JOIN update_requests r ON r.case_id = a.case_id AND r.number = a.request "
                "JOIN cases c ON c.id = a.case_id WHERE r.due_on <= :day",
                {"day": db.day(day)},
            ):
                fired.setdefault((reference, int(request)), set()).add(rung)
        found = []
        for reference, *rest in rows:
            request = _to_request(UpdateRequestRow(*rest))
            found.append((reference, request, frozenset(fired.get((reference, request.number), ()))))
        return found

    def claim_alert(self, *, reference: str, request: int, rung: str, at: datetime) -> bool:
        """Take rung `rung` of update request `request`; False when it was taken already."""
        db = self._db
        row = db.one(
            "INSERT INTO update_request_alerts (case_id, request, rung, alerted_at) "
            "SELECT id, :request, :rung, :at FROM cases WHERE reference = :ref "
            "ON CONFLICT (case_id, request, rung) DO NOTHING RETURNING id",
            {"ref": reference, "request": request, "rung": rung, "at": db.instant(at)},
        )
        return row is not None
