"""The case repository on SQL: cases with their parties, deadlines, extensions, pauses and facts."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from states.case import Case, Party
from states.deadlines import Deadline, Extension
from states.errors import CaseNotFoundError, ConflictError
from states.facts import Fact
from states.pauses import Pause
from states.procedure import Procedure
from states.redaction import Protected
from storage import mapper
from storage.db import Db, columns
from storage.mediators import MEDIATED
from storage.ncps import sync_supporting
from storage.parties import protected_parties
from storage.procedures import ProcedureCache
from storage.rows import CaseRow, DeadlineRow, ExtensionRow, FactRow, PartyRow, PauseRow

if TYPE_CHECKING:  # the search modules load with the first write or search, not at start-up
    from states.search import Filters
    from storage.search import SqlSearchIndex

_CHUNK = 500
_EXTENSION_COLUMNS = columns(ExtensionRow, "e.")
_CASE_COLUMNS = columns(CaseRow, "c.")


class SqlCaseRepository:
    def __init__(
        self, db: Db, procedure: Procedure, pinned: ProcedureCache, index: Callable[[], SqlSearchIndex]
    ) -> None:
        """`procedure`: the configured one (which states end a case, for `open_only`); each
        case is read with the version it pins, from `pinned`; `index`: the search index, kept
        in step with every case added or changed."""
        self._db = db
        self._index = index
        self._procedure = procedure
        self._pinned = pinned
        self._ids: dict[str, int] = {}
        self._deadline_ids: dict[tuple[int, str], int] = {}

    # -- reading -----------------------------------------------------------------------------
    def _load(self, rows: list[CaseRow]) -> list[Case]:
        # In chunks: SQLite takes at most 32,766 bound values in one statement.
        cases: list[Case] = []
        for start in range(0, len(rows), _CHUNK):
            cases.extend(self._load_chunk(rows[start : start + _CHUNK]))
        return cases

    def _load_chunk(self, rows: list[CaseRow]) -> list[Case]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        marks = ", ".join(f":i{n}" for n in range(len(ids)))
        params = {f"i{n}": value for n, value in enumerate(ids)}
        db = self._db
        parties: dict[int, list[Party]] = defaultdict(list)
        for party in db.records(
            PartyRow,
            f"SELECT {mapper.PARTY_COLUMNS} FROM parties "
            f"WHERE case_id IN ({marks}) ORDER BY case_id, position",
            params,
        ):
            parties[party.case_id].append(mapper.to_party(party))
        deadline_rows = db.records(
            DeadlineRow,
            f"SELECT {mapper.DEADLINE_COLUMNS} FROM deadlines "
            f"WHERE case_id IN ({marks}) ORDER BY case_id, id",
            params,
        )
        extensions: dict[int, list[Extension]] = defaultdict(list)
        if deadline_rows:
            for extension in db.records(
                ExtensionRow,
                f"SELECT {_EXTENSION_COLUMNS} FROM extensions e "
                f"JOIN deadlines d ON d.id = e.deadline_id WHERE d.case_id IN ({marks}) "
                "ORDER BY e.id",
                params,
            ):
                extensions[extension.deadline_id].append(mapper.to_extension(extension))
        pauses: dict[int, list[Pause]] = defaultdict(list)
        for pause in db.records(
            PauseRow,
            f"SELECT {mapper.PAUSE_COLUMNS} FROM pauses WHERE case_id IN ({marks}) ORDER BY id",
            params,
        ):
            pauses[pause.case_id].append(mapper.to_pause(pause))
        facts: dict[int, list[Fact]] = defaultdict(list)
        for fact in db.records(
            FactRow,
            f"SELECT {mapper.FACT_COLUMNS} FROM case_facts WHERE case_id IN ({marks}) ORDER BY id",
            params,
        ):
            facts[fact.case_id].append(mapper.to_fact(fact))
        calendars = {r.id: mapper.to_calendar(r) for r in rows}
        deadlines: dict[int, list[Deadline]] = defaultdict(list)
        for row in deadline_rows:
            self._deadline_ids[(row.case_id, row.name)] = row.id
            deadlines[row.case_id].append(mapper.to_deadline(row, calendars[row.case_id], extensions[row.id]))
        cases = []
        for case in rows:
            self._ids[case.reference] = case.id
            procedure = self._pinned.pinned(db, case.procedure_id, case.procedure_version)
            cases.append(
                mapper.to_case(
                    case,
                    parties[case.id],
                    deadlines[case.id],
                    pauses[case.id],
                    procedure,
                    facts[case.id],
                )
            )
        return cases

    def get(self, reference: str) -> Case:
        row = self._db.record(
            CaseRow, f"SELECT {mapper.CASE_COLUMNS} FROM cases WHERE reference = :ref", {"ref": reference}
        )
        if row is None:
            raise CaseNotFoundError(reference)
        return self._load([row])[0]

    def protected_parties(self) -> list[Protected]:
        """Every case's protected parties and their contacts: what redaction hides."""
        return protected_parties(self._db)

    def references(self) -> list[str]:
        return [reference for (reference,) in self._db.all("SELECT reference FROM cases ORDER BY reference")]

    def with_open_deadlines(
        self,
        *,
        due_from: date | None = None,
        due_to: date | None = None,
        lead: str | None = None,
        mediated_by: str | None = None,
    ) -> list[Case]:
        """Cases not ended that have an open deadline due from `due_from` to `due_to` (both
        included; None: no bound), oldest first: the calendar's month or week, or its feed."""
        clause, params = self._where(lead=lead, open_only=True, mediated_by=mediated_by)
        due = ["met_at IS NULL"]
        if due_from is not None:
            due.append("due_on >= :due_from")
            params["due_from"] = self._db.day(due_from)
        if due_to is not None:
            due.append("due_on <= :due_to")
            params["due_to"] = self._db.day(due_to)
        clause += f" AND id IN (SELECT case_id FROM deadlines WHERE {' AND '.join(due)})"
        return self._load(
            self._db.records(
                CaseRow, f"SELECT {mapper.CASE_COLUMNS} FROM cases{clause} ORDER BY received_at, id", params
            )
        )

    def page(
        self,
        *,
        state: str | None = None,
        lead: str | None = None,
        overdue_on: date | None = None,
        open_only: bool = False,
        limit: int,
        offset: int = 0,
        mediated_by: str | None = None,
    ) -> tuple[int, list[Case]]:
        """How many cases match, and the `limit` of them after `offset`, oldest first;
        `mediated_by`: only the cases that mediator is assigned to."""
        clause, params = self._where(
            state=state, lead=lead, overdue_on=overdue_on, open_only=open_only, mediated_by=mediated_by
        )
        total = int(self._db.scalar(f"SELECT COUNT(*) FROM cases{clause}", params) or 0)
        rows = self._db.records(
            CaseRow,
            f"SELECT {mapper.CASE_COLUMNS} FROM cases{clause} "
            "ORDER BY received_at, id LIMIT :limit OFFSET :offset",
            {**params, "limit": limit, "offset": offset},
        )
        return total, self._load(rows)

    def find(self, filters: Filters, *, order: str, limit: int, offset: int = 0) -> tuple[int, list[Case]]:
        """How many cases pass `filters`, and `limit` of them after `offset`, in `order`:
        "relevance" (the query's order, states/search.py), "due" (the earliest open deadline
        first, cases without one last) or "received" (newest first)."""
        from storage import search

        db = self._db
        clauses, params = search.where(filters, db, sorted(self._procedure.terminal))
        if filters.searching:
            condition, head_only, found = search.matching_for(filters, sqlite=db.sqlite)
            clauses.append(condition)
            params.update(found)
        clause = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        total = int(db.scalar(f"SELECT COUNT(*) FROM cases c{clause}", params) or 0)
        if order == "relevance" and filters.searching:
            assert filters.query is not None
            params["exact"] = filters.query.text.lower()
            ordering = (
                f"CASE WHEN LOWER(c.reference) = :exact THEN 0 ELSE 1 END, {head_only} DESC, "
                "c.last_event_at DESC, c.id DESC"
            )
        elif order == "due":
            ordering = f"{search.NEXT_DUE}, c.reference"
        else:
            ordering = "c.received_on DESC, c.id DESC"
        rows = db.records(
            CaseRow,
            f"SELECT {_CASE_COLUMNS} FROM cases c{clause} ORDER BY {ordering} LIMIT :limit OFFSET :offset",
            {**params, "limit": limit, "offset": offset},
        )
        return total, self._load(rows)

    def list(self, *, state: str | None = None, overdue_on: date | None = None) -> list[Case]:
        clause, params = self._where(state=state, overdue_on=overdue_on)
        return self._load(
            self._db.records(
                CaseRow, f"SELECT {mapper.CASE_COLUMNS} FROM cases{clause} ORDER BY received_at, id", params
            )
        )

    def _where(
        self,
        *,
        state: str | None = None,
        lead: str | None = None,
        overdue_on: date | None = None,
        open_only: bool = False,
        mediated_by: str | None = None,
    ) -> tuple[str, dict[str, Any]]:
        where: list[str] = []
        params: dict[str, Any] = {}
        if mediated_by is not None:
            where.append(f"id IN ({MEDIATED})")
            params["mediated_by"] = mediated_by
        if state is not None:
            where.append("state = :state")
            params["state"] = str(state)
        if lead is not None:
            where.append("lead_member = :lead")
            params["lead"] = lead
        if open_only:
            terminal = sorted(self._procedure.terminal)
            where.append("state NOT IN (" + ", ".join(f":terminal{n}" for n in range(len(terminal))) + ")")
            params.update({f"terminal{n}": name for n, name in enumerate(terminal)})
        if overdue_on is not None:
            where.append(
                "id IN (SELECT case_id FROM deadlines WHERE met_at IS NULL "
                "AND due_on < :day) AND NOT EXISTS (SELECT 1 FROM pauses p "
                "WHERE p.case_id = cases.id AND p.ended_at IS NULL)"
            )
            params["day"] = self._db.day(overdue_on)
        return (f" WHERE {' AND '.join(where)}" if where else ""), params

    # -- writing -----------------------------------------------------------------------------
    def _case_params(self, case: Case) -> dict[str, Any]:
        db = self._db
        return {
            "reference": case.reference,
            "title": case.title,
            "state": case.state,
            "outcome": case.outcome if case.outcome else None,
            "results": json.dumps(dict(case.results), sort_keys=True),
            "received_precision": case.received_precision.value,
            "scope": case.scope,
            "received_at": db.instant(case.received_at),
            "received_on": db.day(case.received_on),
            "last_event_at": db.instant(case.last_event_at),
            "timezone": case.calendar.timezone,
            "roll": case.calendar.roll_to_working_day,
            "holiday_country": case.calendar.holiday_country,
            "themes": json.dumps(list(case.details.themes)),
            "host_countries": json.dumps(list(case.details.host_countries)),
            "sector": case.details.sector,
            "lead_member": case.lead_member,
            "version": case.version,
            "edition": case.details.guidelines_edition,
            "supporting": json.dumps(list(case.details.supporting_ncps)),
            "procedure_id": case.procedure.id,
            "procedure_version": case.procedure.version,
        }

    def _insert_deadline(self, case_id: int, deadline: Deadline) -> None:
        db = self._db
        deadline_id = db.scalar(
            "INSERT INTO deadlines (case_id, name, basis_on, basis_label, duration, started_at, "
            "met_at, met_on, due_on) VALUES (:case_id, :name, :basis_on, :basis_label, "
            ":duration, :started_at, :met_at, :met_on, :due_on) RETURNING id",
            {
                "case_id": case_id,
                "name": deadline.name,
                "basis_on": db.day(deadline.basis_on),
                "basis_label": deadline.basis_label,
                "duration": str(deadline.duration),
                "started_at": db.instant(deadline.started_at),
                "met_at": db.instant(deadline.met_at),
                "met_on": db.day(deadline.met_on),
                "due_on": db.day(deadline.due),
            },
        )
        assert deadline_id is not None
        self._deadline_ids[(case_id, deadline.name)] = deadline_id
        self._insert_extensions(deadline_id, deadline.extensions)

    def _insert_extensions(self, deadline_id: int, extensions: tuple[Extension, ...]) -> None:
        self._db.many(
            "INSERT INTO extensions (deadline_id, amount, reason, approved_by, at) "
            "VALUES (:deadline_id, :amount, :reason, :approved_by, :at)",
            [
                {
                    "deadline_id": deadline_id,
                    "amount": str(e.amount),
                    "reason": e.reason,
                    "approved_by": e.approved_by,
                    "at": self._db.instant(e.at),
                }
                for e in extensions
            ],
        )

    def add(self, case: Case) -> None:
        db = self._db
        case_id = db.scalar(
            "INSERT INTO cases (reference, title, state, outcome, results, scope, received_at, "
            "received_on, received_precision, last_event_at, timezone, roll_to_working_day, "
            "holiday_country, themes, "
            "host_countries, sector, lead_member, version, guidelines_edition, supporting_ncps, "
            "procedure_id, procedure_version) "
            "VALUES (:reference, :title, :state, "
            ":outcome, :results, :scope, :received_at, :received_on, :received_precision, "
            ":last_event_at, :timezone, :roll, "
            ":holiday_country, :themes, :host_countries, :sector, :lead_member, :version, "
            ":edition, :supporting, :procedure_id, :procedure_version) "
            "RETURNING id",
            self._case_params(case),
        )
        assert case_id is not None
        self._ids[case.reference] = case_id
        db.many(
            "INSERT INTO parties (case_id, position, role, name, type, confidential, "
            "org_number, reprisal_risk, measures) VALUES (:case_id, :position, :role, :name, "
            ":type, :confidential, :org_number, :reprisal_risk, :measures)",
            [
                {
                    "case_id": case_id,
                    "position": n,
                    "role": p.role.value,
                    "name": p.name,
                    "type": p.type,
                    "confidential": p.confidential,
                    "org_number": p.org_number,
                    "reprisal_risk": p.reprisal_risk,
                    "measures": p.measures,
                }
                for n, p in enumerate(case.parties)
            ],
        )
        for deadline in case.deadlines:
            self._insert_deadline(case_id, deadline)
        self._save_pauses(case_id, case.pauses, ())
        self._insert_facts(case_id, case.facts)
        sync_supporting(db, case_id, case.details.supporting_ncps)
        self._index().case_added(case_id, case.reference, case.title, case.parties)

    def save(self, case: Case, *, previous: Case) -> Case:
        """Write `case` over `previous` if nobody else wrote in between; return it, version + 1."""
        db = self._db
        params = self._case_params(case)
        params.update(version=previous.version + 1, expected=previous.version)
        case_id = db.scalar(
            "UPDATE cases SET title = :title, state = :state, outcome = :outcome, results = :results, "
            "scope = :scope, "
            "last_event_at = :last_event_at, themes = :themes, host_countries = :host_countries, "
            "sector = :sector, lead_member = :lead_member, version = :version, "
            "guidelines_edition = :edition, supporting_ncps = :supporting, "
            "procedure_id = :procedure_id, procedure_version = :procedure_version "
            "WHERE reference = :reference AND version = :expected RETURNING id",
            params,
        )
        if case_id is None:
            current = db.one(
                "SELECT version, state FROM cases WHERE reference = :ref", {"ref": case.reference}
            )
            if current is None:
                raise CaseNotFoundError(case.reference)
            version, state = current
            raise ConflictError(
                reference=case.reference,
                expected_version=previous.version,
                actual_version=version,
                state=state,
            )
        before = {d.name: d for d in previous.deadlines}
        for deadline in case.deadlines:
            old = before.get(deadline.name)
            if old is None:
                self._insert_deadline(case_id, deadline)
                continue
            # Only these change a stored deadline; comparing them spares deriving due dates.
            if (old.met_at, old.pauses, old.extensions) != (
                deadline.met_at,
                deadline.pauses,
                deadline.extensions,
            ):
                db.execute(
                    "UPDATE deadlines SET met_at = :met_at, met_on = :met_on, "
                    "due_on = :due_on WHERE case_id = :case_id AND name = :name",
                    {
                        "met_at": db.instant(deadline.met_at),
                        "met_on": db.day(deadline.met_on),
                        "due_on": db.day(deadline.due),
                        "case_id": case_id,
                        "name": deadline.name,
                    },
                )
            added = deadline.extensions[len(old.extensions) :]
            if added:
                self._insert_extensions(self._deadline_id(case_id, deadline.name), added)
        self._save_pauses(case_id, case.pauses, previous.pauses)
        self._insert_facts(case_id, case.facts[len(previous.facts) :])
        if case.details.supporting_ncps != previous.details.supporting_ncps:
            sync_supporting(db, case_id, case.details.supporting_ncps)
        if case.title != previous.title:
            self._index().title_changed(case_id)
        return replace(case, version=previous.version + 1)

    def _insert_facts(self, case_id: int, facts: tuple[Fact, ...]) -> None:
        # Facts are only ever added: those beyond the ones the case had when read.
        if not facts:
            return
        db = self._db
        db.many(
            "INSERT INTO case_facts (case_id, name, happened_on, actor, recorded_at, by_whom, note) "
            "VALUES (:case_id, :name, :on, :actor, :recorded_at, :by_whom, :note)",
            [
                {
                    "case_id": case_id,
                    "name": fact.name,
                    "on": db.day(fact.on),
                    "actor": fact.actor,
                    "recorded_at": db.instant(fact.recorded_at),
                    "by_whom": fact.by,
                    "note": fact.note,
                }
                for fact in facts
            ],
        )

    def _deadline_id(self, case_id: int, name: str) -> int:
        key = (case_id, name)
        if key not in self._deadline_ids:
            deadline_id = self._db.scalar(
                "SELECT id FROM deadlines WHERE case_id = :c AND name = :n", {"c": case_id, "n": name}
            )
            assert deadline_id is not None
            self._deadline_ids[key] = deadline_id
        return self._deadline_ids[key]

    def _save_pauses(self, case_id: int, pauses: tuple[Pause, ...], before: tuple[Pause, ...]) -> None:
        db = self._db
        for n, pause in enumerate(pauses):
            old = before[n] if n < len(before) else None
            if old is None:
                db.execute(
                    "INSERT INTO pauses (case_id, started_at, ended_at, reason, actor, "
                    "requested_by, ended_by) VALUES (:case_id, :started_at, :ended_at, "
                    ":reason, :actor, :requested_by, :ended_by)",
                    {
                        "case_id": case_id,
                        "started_at": db.instant(pause.started_at),
                        "ended_at": db.instant(pause.ended_at),
                        "reason": pause.reason,
                        "actor": pause.actor,
                        "requested_by": pause.requested_by,
                        "ended_by": pause.ended_by,
                    },
                )
            elif old.ended_at is None and pause.ended_at is not None:
                db.execute(
                    "UPDATE pauses SET ended_at = :ended_at, ended_by = :ended_by "
                    "WHERE case_id = :case_id AND ended_at IS NULL",
                    {"ended_at": db.instant(pause.ended_at), "ended_by": pause.ended_by, "case_id": case_id},
                )

    def next_reference(self, *, prefix: str, year: int) -> str:
        # One statement that both claims and returns the number: no gap, no duplicate.
        last = self._db.scalar(
            "INSERT INTO reference_counters (prefix, year, last) VALUES (:p, :y, 1) "
            f"ON CONFLICT ({self._db.key('prefix, year')}) DO UPDATE SET last = reference_counters.last + 1 "
            "RETURNING last",
            {"p": prefix, "y": year},
        )
        assert last is not None
        return f"{prefix}-{year}-{last:03d}"
