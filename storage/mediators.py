"""External mediators on SQL: the register (`mediators`), assignments to cases
(`mediator_assignments`, ended rather than deleted) and mediation sessions (`mediation_sessions`,
numbered within the case)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from states.mediators import Assignment, Format, Mediator, Noted, Session
from states.members import PartyMatch
from storage.db import Db, columns, read_instant
from storage.rows import MediationSessionRow, MediatorAssignmentRow, MediatorRow

# The cases a mediator is assigned to now (a parameter `:mediated_by`): a mediator user's cases.
# An inactive mediator (left the register) sees no case, though its assignments stay on record.
MEDIATED = (
    "SELECT case_id FROM mediator_assignments WHERE mediator_id = :mediated_by AND ended_at IS NULL "
    "AND mediator_id IN (SELECT id FROM mediators WHERE active)"
)

_M = columns(MediatorRow)
_A = columns(MediatorAssignmentRow, "a.")
_S = columns(MediationSessionRow, "s.")


def _instant(value: object) -> datetime:
    found = read_instant(value)
    assert found is not None  # NOT NULL columns
    return found


def _matches(items: Sequence[PartyMatch]) -> str:
    return json.dumps([m.as_dict() for m in items], ensure_ascii=False)


def _mediator(row: MediatorRow) -> Mediator:
    return Mediator(
        id=str(row.id),
        name=row.name,
        email=row.email,
        organisation=row.organisation,
        languages=tuple(json.loads(row.languages)),
        competence=row.competence,
        conflicts=tuple(PartyMatch(**m) for m in json.loads(row.conflicts)),
        soft_conflicts=tuple(PartyMatch(**m) for m in json.loads(row.soft_conflicts)),
        active=bool(row.active),
    )


def _assignment(row: MediatorAssignmentRow) -> Assignment:
    return Assignment(
        id=int(row.id),
        mediator=str(row.mediator_id),
        assigned_at=_instant(row.assigned_at),
        assigned_by=row.assigned_by,
        override=row.override,
        conflicts=tuple(Noted(c["party"], bool(c["soft"]), c["conflict"]) for c in json.loads(row.conflicts)),
        ended_at=read_instant(row.ended_at),
        ended_by=row.ended_by,
    )


def _session(row: MediationSessionRow) -> Session:
    return Session(
        number=int(row.number),
        starts_at=_instant(row.starts_at),
        format=Format(row.format),
        place=row.place,
        interpreters=tuple(json.loads(row.interpreters)),
        attendees=tuple(json.loads(row.attendees)),
        notes=row.notes,
        recorded_by=row.recorded_by,
        recorded_at=_instant(row.recorded_at),
    )


class SqlMediatorStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    # -- the register ------------------------------------------------------------------------

    def all(self) -> list[Mediator]:
        return [
            _mediator(r) for r in self._db.records(MediatorRow, f"SELECT {_M} FROM mediators ORDER BY id")
        ]

    def get(self, mediator_id: str) -> Mediator | None:
        row = self._db.record(MediatorRow, f"SELECT {_M} FROM mediators WHERE id = :id", {"id": mediator_id})
        return _mediator(row) if row else None

    def _values(self, mediator: Mediator, at: datetime) -> dict[str, object]:
        return {
            "id": mediator.id,
            "name": mediator.name,
            "email": mediator.email,
            "organisation": mediator.organisation,
            "languages": json.dumps(list(mediator.languages)),
            "competence": mediator.competence,
            "conflicts": _matches(mediator.conflicts),
            "soft_conflicts": _matches(mediator.soft_conflicts),
            "active": mediator.active,
            "at": self._db.instant(at),
        }

    def add(self, mediator: Mediator, *, at: datetime) -> None:
        self._db.execute(
            "INSERT INTO mediators (id, name, email, organisation, languages, competence, conflicts, "
            "soft_conflicts, active, created_at, updated_at) VALUES (:id, :name, :email, :organisation, "
            ":languages, :competence, :conflicts, :soft_conflicts, :active, :at, :at)",
            self._values(mediator, at),
        )

    def save(self, mediator: Mediator, *, at: datetime) -> None:
        self._db.execute(
            "UPDATE mediators SET name = :name, email = :email, organisation = :organisation, "
            "languages = :languages, competence = :competence, conflicts = :conflicts, "
            "soft_conflicts = :soft_conflicts, active = :active, updated_at = :at WHERE id = :id",
            self._values(mediator, at),
        )

    # -- assignments -------------------------------------------------------------------------

    def assignments(self, reference: str) -> list[Assignment]:
        """The case's assignments, current and ended, in the order they were made."""
        rows = self._db.records(
            MediatorAssignmentRow,
            f"SELECT {_A} FROM mediator_assignments a JOIN cases c ON c.id = a.case_id "
            "WHERE c.reference = :ref ORDER BY a.id",
            {"ref": reference},
        )
        return [_assignment(r) for r in rows]

    def assigned(self, mediator_id: str) -> list[str]:
        """The references of the cases the mediator is assigned to now."""
        rows = self._db.all(
            f"SELECT reference FROM cases WHERE id IN ({MEDIATED}) ORDER BY reference",
            {"mediated_by": mediator_id},
        )
        return [str(r[0]) for r in rows]

    def is_assigned(self, mediator_id: str, reference: str) -> bool:
        found = self._db.scalar(
            f"SELECT 1 FROM cases WHERE reference = :ref AND id IN ({MEDIATED})",
            {"ref": reference, "mediated_by": mediator_id},
        )
        return found is not None

    def assign(self, reference: str, assignment: Assignment) -> None:
        self._db.execute(
            "INSERT INTO mediator_assignments (case_id, mediator_id, assigned_at, assigned_by, override, "
            "conflicts) SELECT id, :mediator, :at, :by, :override, :conflicts "
            "FROM cases WHERE reference = :ref",
            {
                "ref": reference,
                "mediator": assignment.mediator,
                "at": self._db.instant(assignment.assigned_at),
                "by": assignment.assigned_by,
                "override": assignment.override,
                "conflicts": json.dumps([c.as_dict() for c in assignment.conflicts], ensure_ascii=False),
            },
        )

    def end(self, assignment_id: int, *, at: datetime, by: str) -> None:
        self._db.execute(
            "UPDATE mediator_assignments SET ended_at = :at, ended_by = :by "
            "WHERE id = :id AND ended_at IS NULL",
            {"id": assignment_id, "at": self._db.instant(at), "by": by},
        )

    # -- sessions ----------------------------------------------------------------------------

    def sessions(self, reference: str) -> list[Session]:
        rows = self._db.records(
            MediationSessionRow,
            f"SELECT {_S} FROM mediation_sessions s JOIN cases c ON c.id = s.case_id "
            "WHERE c.reference = :ref ORDER BY s.starts_at, s.number",
            {"ref": reference},
        )
        return [_session(r) for r in rows]

    def next_session(self, reference: str) -> int:
        found = self._db.scalar(
            "SELECT MAX(s.number) FROM mediation_sessions s JOIN cases c ON c.id = s.case_id "
            "WHERE c.reference = :ref",
            {"ref": reference},
        )
        return int(found or 0) + 1

    def add_session(self, reference: str, session: Session) -> None:
        db = self._db
        db.execute(
            "INSERT INTO mediation_sessions (case_id, number, starts_at, format, place, interpreters, "
            "attendees, notes, recorded_by, recorded_at) SELECT id, :number, :starts_at, :format, :place, "
            ":interpreters, :attendees, :notes, :recorded_by, :recorded_at FROM cases WHERE reference = :ref",
            {
                "ref": reference,
                "number": session.number,
                "starts_at": db.instant(session.starts_at),
                "format": session.format.value,
                "place": session.place,
                "interpreters": json.dumps(list(session.interpreters)),
                "attendees": json.dumps(list(session.attendees), ensure_ascii=False),
                "notes": session.notes,
                "recorded_by": session.recorded_by,
                "recorded_at": db.instant(session.recorded_at),
            },
        )
