"""The SQL unit of work: repositories and the audit log over one SQLAlchemy connection.

Core statements rather than ORM sessions: a transition is a handful of small statements, and
the ORM's per-object bookkeeping would cost more than the durable commit itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError, OperationalError

from states.case import Case
from states.chain import AuditEntry, canonical_json, seal
from states.errors import CaseNotFoundError, ConflictError, StorageError, StorageUnavailableError
from states.lifecycle import State
from storage import mapper
from storage.engine import WRITE, is_sqlite
from storage.tables import AuditRow, CaseRow, DeadlineRow, PartyRow, ReferenceCounterRow

cases_t = CaseRow.__table__  # type: ignore[attr-defined]
parties_t = PartyRow.__table__  # type: ignore[attr-defined]
deadlines_t = DeadlineRow.__table__  # type: ignore[attr-defined]
audit_t = AuditRow.__table__  # type: ignore[attr-defined]
counters_t = ReferenceCounterRow.__table__  # type: ignore[attr-defined]

# Any constant will do: every writer on PostgreSQL takes this lock, so the audit chain head
# and the reference counters are read and advanced by one transaction at a time.
_PG_WRITE_LOCK = 7_231_977

# The statements of a transition, built once. Values go in as execute() parameters, so each
# statement keeps one cache key and one compiled form; building them per call, with the values
# as literals, cost the engine more than the durable commit did (benchmarks/transitions.py).
# Bound names in WHERE clauses start with "w_": a column's own name is reserved for SET/VALUES.
_CASE_BY_REFERENCE = select(cases_t).where(cases_t.c.reference == bindparam("w_reference"))
_CASE_VERSION = select(cases_t.c.version, cases_t.c.state).where(
    cases_t.c.reference == bindparam("w_reference"))
_PARTIES_OF = (select(parties_t)
               .where(parties_t.c.case_id.in_(bindparam("w_ids", expanding=True)))
               .order_by(parties_t.c.case_id, parties_t.c.position))
_DEADLINES_OF = (select(deadlines_t)
                 .where(deadlines_t.c.case_id.in_(bindparam("w_ids", expanding=True)))
                 .order_by(deadlines_t.c.case_id, deadlines_t.c.id))
_INSERT_CASE = insert(cases_t).returning(cases_t.c.id)
_INSERT_PARTY = insert(parties_t)
_INSERT_DEADLINE = insert(deadlines_t)
# SET takes the columns given at execute time: every case column but the reference.
_SAVE_CASE = (update(cases_t)
              .where(and_(cases_t.c.reference == bindparam("w_reference"),
                          cases_t.c.version == bindparam("w_version")))
              .returning(cases_t.c.id))
_UPDATE_DEADLINE = update(deadlines_t).where(and_(
    deadlines_t.c.case_id == bindparam("w_case_id"), deadlines_t.c.name == bindparam("w_name")))
_AUDIT_HEAD = select(audit_t).order_by(audit_t.c.seq.desc()).limit(1)
_INSERT_AUDIT = insert(audit_t)
_AUDIT_COUNT = select(func.count()).select_from(audit_t)


class SqlCaseRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._ids: dict[str, int] = {}

    def _load(self, rows: list[mapper.Row]) -> list[Case]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        parties: dict[int, list[mapper.Row]] = {i: [] for i in ids}
        deadlines: dict[int, list[mapper.Row]] = {i: [] for i in ids}
        for p in self._conn.execute(_PARTIES_OF, {"w_ids": ids}).mappings():
            parties[p["case_id"]].append(p)
        for d in self._conn.execute(_DEADLINES_OF, {"w_ids": ids}).mappings():
            deadlines[d["case_id"]].append(d)
        for r in rows:
            self._ids[r["reference"]] = r["id"]
        return [mapper.to_case(r, parties[r["id"]], deadlines[r["id"]]) for r in rows]

    def get(self, reference: str) -> Case:
        row = self._conn.execute(_CASE_BY_REFERENCE, {"w_reference": reference}).mappings().first()
        if row is None:
            raise CaseNotFoundError(reference)
        return self._load([row])[0]

    def add(self, case: Case) -> None:
        case_id = self._conn.execute(_INSERT_CASE, mapper.case_values(case)).scalar_one()
        self._ids[case.reference] = case_id
        if case.parties:
            self._conn.execute(_INSERT_PARTY, [
                mapper.party_values(case_id, i, p) for i, p in enumerate(case.parties)])
        if case.deadlines:
            self._conn.execute(_INSERT_DEADLINE, [
                mapper.deadline_values(case_id, d) for d in case.deadlines])

    def save(self, case: Case, *, previous: Case) -> Case:
        """Write `case` over `previous` if nobody else wrote in between; return it, version + 1."""
        values = mapper.case_values(case)
        values.pop("reference")
        values["version"] = previous.version + 1
        values["w_reference"] = case.reference
        values["w_version"] = previous.version
        case_id = self._conn.execute(_SAVE_CASE, values).scalar_one_or_none()
        if case_id is None:
            current = self._conn.execute(
                _CASE_VERSION, {"w_reference": case.reference}).first()
            if current is None:
                raise CaseNotFoundError(case.reference)
            raise ConflictError(reference=case.reference, expected_version=previous.version,
                                actual_version=current.version, state=current.state)
        before = {d.name: d for d in previous.deadlines}
        for deadline in case.deadlines:
            old = before.get(deadline.name)
            if old is None:
                self._conn.execute(_INSERT_DEADLINE, mapper.deadline_values(case_id, deadline))
            elif old != deadline:
                row = mapper.deadline_values(case_id, deadline)
                row["w_case_id"] = case_id
                row["w_name"] = deadline.name.value
                self._conn.execute(_UPDATE_DEADLINE, row)
        return replace(case, version=previous.version + 1)

    def list(self, *, state: State | None = None, overdue_on: date | None = None) -> list[Case]:
        query = select(cases_t).order_by(cases_t.c.received_at, cases_t.c.id)
        if state is not None:
            query = query.where(cases_t.c.state == state.value)
        if overdue_on is not None:
            overdue = select(deadlines_t.c.case_id).where(and_(
                deadlines_t.c.met_at.is_(None), deadlines_t.c.due_on < overdue_on))
            query = query.where(cases_t.c.id.in_(overdue))
        return self._load(list(self._conn.execute(query).mappings()))

    def next_reference(self, *, prefix: str, year: int) -> str:
        # One statement that both claims and returns the number: no gap, no duplicate.
        number = self._conn.execute(text(
            "INSERT INTO reference_counters (prefix, year, last) VALUES (:p, :y, 1) "
            "ON CONFLICT (prefix, year) DO UPDATE SET last = reference_counters.last + 1 "
            "RETURNING last"), {"p": prefix, "y": year}).scalar_one()
        return f"{prefix}-{year}-{number:03d}"


class SqlAuditLog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def head(self) -> AuditEntry | None:
        row = self._conn.execute(_AUDIT_HEAD).mappings().first()
        return mapper.to_entry(row) if row else None

    def append(self, *, case_ref: str | None, kind: str, actor: str, at: datetime,
               from_state: str | None, to_state: str | None, reason: str | None,
               data: Mapping[str, Any]) -> AuditEntry:
        entry = seal(prev=self.head(), case_ref=case_ref, kind=kind, actor=actor, at=at,
                     from_state=from_state, to_state=to_state, reason=reason, data=data)
        row = entry.as_dict()
        row["data"] = canonical_json(row["data"])
        self._conn.execute(_INSERT_AUDIT, row)
        return entry

    def entries(self, *, case_ref: str | None = None) -> Iterator[AuditEntry]:
        query = select(audit_t).order_by(audit_t.c.seq)
        if case_ref is not None:
            query = query.where(audit_t.c.case_ref == case_ref)
        result = self._conn.execution_options(yield_per=2000).execute(query).mappings()
        try:
            for row in result:
                yield mapper.to_entry(row)
        finally:
            # A reader that stops early (verify at the first bad entry) must not leave the
            # PostgreSQL server-side cursor open until garbage collection.
            result.close()

    def count(self) -> int:
        return int(self._conn.execute(_AUDIT_COUNT).scalar_one())


class SqlTransaction:
    def __init__(self, conn: Connection) -> None:
        self.cases = SqlCaseRepository(conn)
        self.audit = SqlAuditLog(conn)
        self.connection = conn


class SqlUnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def read(self) -> Iterator[SqlTransaction]:
        with self._translate(), self.engine.connect() as conn, conn.begin():
            yield SqlTransaction(conn)

    @contextmanager
    def write(self) -> Iterator[SqlTransaction]:
        with self._translate(), self.engine.connect() as conn:
            conn = conn.execution_options(**{WRITE: True})
            with conn.begin():
                if not is_sqlite(self.engine):
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITE_LOCK})
                yield SqlTransaction(conn)

    @contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            raise StorageUnavailableError(_describe(self.engine, exc)) from None
        except DBAPIError as exc:
            detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StorageError(f"the database refused the operation: {detail}") from None


def _describe(engine: Engine, exc: OperationalError) -> str:
    url = engine.url.render_as_string(hide_password=True)
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    if "no such table" in detail or ("does not exist" in detail and "relation" in detail):
        return f"database {url} is not initialised ({detail}); run `ncpflow init` first"
    return f"database {url} is unavailable: {detail}"
