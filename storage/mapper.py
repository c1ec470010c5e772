"""Explicit mapping between stored rows (driver tuples) and the core's values."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from states.calendar import CalendarRule
from states.case import Case, CaseDetails, Party, PartyRole
from states.chain import AuditEntry
from states.deadlines import Deadline, Extension
from states.durations import Duration
from states.lifecycle import DeadlineName, Outcome, State
from states.pauses import Pause, with_pauses
from storage.db import read_day, read_instant

Row = tuple[Any, ...]

CASE_COLUMNS = ("id, reference, title, state, outcome, scope, received_at, last_event_at, "
                "timezone, roll_to_working_day, holiday_country, themes, host_countries, sector, "
                "lead_member, version, guidelines_edition, supporting_ncps")
PARTY_COLUMNS = "case_id, role, name, type, confidential, org_number"
DEADLINE_COLUMNS = ("id, case_id, name, basis_on, basis_label, duration, started_at, met_at, "
                    "met_on")
PAUSE_COLUMNS = "case_id, started_at, ended_at, reason, actor, requested_by, ended_by"
EXTENSION_COLUMNS = "deadline_id, amount, reason, approved_by, at"
AUDIT_COLUMNS = ("seq, case_ref, kind, actor, at, from_state, to_state, reason, data, prev_hash, "
                 "hash")


def to_party(row: Row) -> Party:
    return Party(role=PartyRole(row[1]), name=row[2], type=row[3], confidential=bool(row[4]),
                 org_number=row[5])


def to_pause(row: Row) -> Pause:
    started = read_instant(row[1])
    assert started is not None
    return Pause(started_at=started, ended_at=read_instant(row[2]), reason=row[3], actor=row[4],
                 requested_by=row[5], ended_by=row[6])


def to_extension(row: Row) -> Extension:
    return Extension(amount=Duration.parse(row[1]), reason=row[2], approved_by=row[3],
                     at=read_instant(row[4]))


def to_deadline(row: Row, calendar: CalendarRule, extensions: Sequence[Extension]) -> Deadline:
    basis, started = read_day(row[3]), read_instant(row[6])
    assert basis is not None and started is not None
    return Deadline(
        name=DeadlineName(row[2]), basis_on=basis, basis_label=row[4],
        duration=Duration.parse(row[5]), calendar=calendar, started_at=started,
        met_at=read_instant(row[7]), met_on=read_day(row[8]), extensions=tuple(extensions),
    )


def to_calendar(row: Row) -> CalendarRule:
    """The calendar a case keeps, from its row (CASE_COLUMNS order)."""
    return CalendarRule(timezone=row[8], roll_to_working_day=bool(row[9]),
                        holiday_country=row[10])


def to_case(row: Row, parties: Sequence[Party], deadlines: Sequence[Deadline],
            pauses: Sequence[Pause]) -> Case:
    calendar = to_calendar(row)
    received, last = read_instant(row[6]), read_instant(row[7])
    assert received is not None and last is not None
    paused = tuple(pauses)
    return Case(
        reference=row[1], title=row[2], state=State(row[3]),
        outcome=Outcome(row[4]) if row[4] else None, scope=row[5],
        received_at=received, last_event_at=last, calendar=calendar, parties=tuple(parties),
        deadlines=with_pauses(deadlines, paused, calendar) if paused else tuple(deadlines),
        details=CaseDetails(themes=tuple(json.loads(row[11])),
                            host_countries=tuple(json.loads(row[12])), sector=row[13],
                            guidelines_edition=row[16],
                            supporting_ncps=tuple(json.loads(row[17] or "[]"))),
        lead_member=row[14], pauses=paused, version=row[15],
    )


def to_entry(row: Row) -> AuditEntry:
    return AuditEntry(seq=row[0], case_ref=row[1], kind=row[2], actor=row[3], at=row[4],
                      from_state=row[5], to_state=row[6], reason=row[7], data=json.loads(row[8]),
                      prev_hash=row[9], hash=row[10])
