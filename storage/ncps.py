"""The NCPs of each case on SQL (`case_ncps`, `lead_preferences`), and supporting NCPs' review
tasks with their once-only alert claims (`review_tasks`, `review_task_alerts`)."""

from __future__ import annotations

from datetime import date, datetime

from states.ncp_roles import CaseNcps, Preference, Role, Supporting
from states.reviews import ReviewTask
from storage.db import Db, columns, read_day, read_instant
from storage.rows import ReviewTaskRow

LEAD = "lead"
_T = columns(ReviewTaskRow, "t.")


def _case_id(db: Db, reference: str) -> int | None:
    found = db.scalar("SELECT id FROM cases WHERE reference = :ref", {"ref": reference})
    return None if found is None else int(found)


def sync_supporting(db: Db, case_id: int, codes: tuple[str, ...]) -> None:
    """Keep `case_ncps` in step with a case's list of supporting NCPs (`cases.supporting_ncps`,
    which `case open` and `case edit` set): a code new to the case supports it as `consulted`, a
    code no longer listed leaves; the others keep their roles, and a lead stays the lead."""
    rows = db.all("SELECT ncp, role, position FROM case_ncps WHERE case_id = :id", {"id": case_id})
    present = {str(ncp): str(role) for ncp, role, _ in rows}
    gone = [n for n, r in present.items() if r != LEAD and n not in codes]
    for ncp in gone:
        db.execute("DELETE FROM case_ncps WHERE case_id = :id AND ncp = :ncp", {"id": case_id, "ncp": ncp})
    start = max((int(p) for _, _, p in rows), default=-1) + 1
    db.many(
        "INSERT INTO case_ncps (case_id, ncp, role, position) VALUES (:id, :ncp, :role, :position)",
        [
            {"id": case_id, "ncp": ncp, "role": Role.CONSULTED.value, "position": start + n}
            for n, ncp in enumerate(c for c in codes if c not in present)
        ],
    )


def _task(row: ReviewTaskRow) -> ReviewTask:
    requested = read_instant(row.requested_at)
    due = read_day(row.due_on)
    assert requested is not None and due is not None  # NOT NULL columns
    return ReviewTask(
        number=int(row.number),
        ncp=row.ncp,
        statement=int(row.statement),
        due=due,
        requested_at=requested,
        requested_by=row.requested_by,
        answered_at=read_instant(row.answered_at),
        answered_on=read_day(row.answered_on),
        answered_by=row.answered_by,
        comment=row.comment,
    )


class SqlNcpStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    # -- the NCPs of a case --------------------------------------------------------------------

    def of_case(self, reference: str) -> CaseNcps:
        rows = self._db.all(
            "SELECT n.ncp, n.role FROM case_ncps n JOIN cases c ON c.id = n.case_id "
            "WHERE c.reference = :ref ORDER BY n.position, n.id",
            {"ref": reference},
        )
        preference = self._db.one(
            "SELECT p.ncp, p.note FROM lead_preferences p JOIN cases c ON c.id = p.case_id "
            "WHERE c.reference = :ref",
            {"ref": reference},
        )
        return CaseNcps(
            lead=tuple(str(n) for n, r in rows if r == LEAD),
            supporting=tuple(Supporting(str(n), Role(r)) for n, r in rows if r != LEAD),
            preference=Preference(str(preference[0]), preference[1]) if preference else None,
        )

    def everything(self) -> dict[str, CaseNcps]:
        """Every case's recorded NCPs by reference (the reports; preferences left out)."""
        found: dict[str, tuple[list[str], list[Supporting]]] = {}
        for reference, ncp, role in self._db.all(
            "SELECT c.reference, n.ncp, n.role FROM case_ncps n JOIN cases c ON c.id = n.case_id "
            "ORDER BY c.reference, n.position, n.id"
        ):
            lead, supporting = found.setdefault(str(reference), ([], []))
            if role == LEAD:
                lead.append(str(ncp))
            else:
                supporting.append(Supporting(str(ncp), Role(role)))
        return {ref: CaseNcps(tuple(lead), tuple(sup)) for ref, (lead, sup) in found.items()}

    def save(self, reference: str, ncps: CaseNcps) -> None:
        """Replace the case's lead and supporting NCPs by `ncps` (in its order)."""
        case_id = _case_id(self._db, reference)
        assert case_id is not None  # the use case read the case in this transaction
        self._db.execute("DELETE FROM case_ncps WHERE case_id = :id", {"id": case_id})
        placed = [(n, LEAD) for n in ncps.lead] + [(s.ncp, s.role.value) for s in ncps.supporting]
        self._db.many(
            "INSERT INTO case_ncps (case_id, ncp, role, position) VALUES (:id, :ncp, :role, :position)",
            [{"id": case_id, "ncp": n, "role": r, "position": p} for p, (n, r) in enumerate(placed)],
        )

    def prefer(self, reference: str, preference: Preference, *, at: datetime, by: str) -> None:
        db = self._db
        case_id = _case_id(db, reference)
        db.execute("DELETE FROM lead_preferences WHERE case_id = :id", {"id": case_id})
        db.execute(
            "INSERT INTO lead_preferences (case_id, ncp, note, recorded_at, recorded_by) "
            "VALUES (:id, :ncp, :note, :at, :by)",
            {"id": case_id, "ncp": preference.ncp, "note": preference.note, "at": db.instant(at), "by": by},
        )

    # -- review tasks --------------------------------------------------------------------------

    def tasks(self, reference: str) -> list[ReviewTask]:
        rows = self._db.records(
            ReviewTaskRow,
            f"SELECT {_T} FROM review_tasks t JOIN cases c ON c.id = t.case_id "
            "WHERE c.reference = :ref ORDER BY t.number",
            {"ref": reference},
        )
        return [_task(r) for r in rows]

    def next_task(self, reference: str) -> int:
        found = self._db.scalar(
            "SELECT MAX(t.number) FROM review_tasks t JOIN cases c ON c.id = t.case_id "
            "WHERE c.reference = :ref",
            {"ref": reference},
        )
        return int(found or 0) + 1

    def add_task(self, reference: str, task: ReviewTask) -> None:
        db = self._db
        db.execute(
            "INSERT INTO review_tasks (case_id, number, ncp, statement, due_on, requested_at, requested_by) "
            "SELECT id, :number, :ncp, :statement, :due, :at, :by FROM cases WHERE reference = :ref",
            {
                "ref": reference,
                "number": task.number,
                "ncp": task.ncp,
                "statement": task.statement,
                "due": db.day(task.due),
                "at": db.instant(task.requested_at),
                "by": task.requested_by,
            },
        )

    def answer(self, reference: str, number: int, *, at: datetime, on: date, by: str, comment: str) -> bool:
        """Record task `number`'s comment; False when it was answered already (by another writer)."""
        db = self._db
        row = db.one(
            "UPDATE review_tasks SET answered_at = :at, answered_on = :on, answered_by = :by, "
            "comment = :comment WHERE number = :number AND answered_at IS NULL "
            "AND case_id = (SELECT id FROM cases WHERE reference = :ref) RETURNING id",
            {
                "ref": reference,
                "number": number,
                "at": db.instant(at),
                "on": db.day(on),
                "by": by,
                "comment": comment,
            },
        )
        return row is not None

    def due_by(self, day: date) -> list[tuple[str, ReviewTask, frozenset[str]]]:
        """The open tasks due by `day`, with their case's reference and the rungs alerted
        already, earliest due first (the sweep's candidates)."""
        db = self._db
        rows = db.all(
            f"SELECT c.reference, {_T} FROM review_tasks t JOIN cases c ON c.id = t.case_id "
            "WHERE t.due_on <= :day AND t.answered_at IS NULL ORDER BY t.due_on, c.reference, t.number",
            {"day": db.day(day)},
        )
        fired: dict[tuple[str, int], set[str]] = {}
        if rows:
            for reference, task, rung in db.all(
                "SELECT c.reference, a.task, a.rung FROM review_task_alerts a "
                "JOIN cases c ON c.id = a.case_id"
            ):
                fired.setdefault((str(reference), int(task)), set()).add(str(rung))
        found = []
        for reference, *rest in rows:
            task = _task(ReviewTaskRow(*rest))
            found.append((str(reference), task, frozenset(fired.get((str(reference), task.number), ()))))
        return found

    def claim_alert(self, *, reference: str, task: int, rung: str, at: datetime) -> bool:
        """Take rung `rung` of review task `task`; False when it was taken already."""
        db = self._db
        row = db.one(
            "INSERT INTO review_task_alerts (case_id, task, rung, alerted_at) "
            "SELECT id, :task, :rung, :at FROM cases WHERE reference = :ref "
            "ON CONFLICT (case_id, task, rung) DO NOTHING RETURNING id",
            {"ref": reference, "task": task, "rung": rung, "at": db.instant(at)},
        )
        return row is not None
