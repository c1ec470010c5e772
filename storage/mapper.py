"""Explicit mapping between stored rows and the core's values.

Rows come as the records of storage/rows.py (generated from storage/tables.py), read by name.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from states.calendar import CalendarRule
from states.case import Case, CaseDetails, Party, PartyRole
from states.chain import AuditEntry
from states.deadlines import Deadline, Extension
from states.durations import Duration
from states.facts import Fact
from states.pauses import Pause, with_pauses
from states.precision import Precision
from states.procedure import Procedure
from storage.db import columns, read_day, read_instant
from storage.rows import AuditRow, CaseRow, DeadlineRow, ExtensionRow, FactRow, PartyRow, PauseRow

CASE_COLUMNS = columns(CaseRow)
PARTY_COLUMNS = columns(PartyRow)
DEADLINE_COLUMNS = columns(DeadlineRow)
PAUSE_COLUMNS = columns(PauseRow)
EXTENSION_COLUMNS = columns(ExtensionRow)
FACT_COLUMNS = columns(FactRow)
AUDIT_COLUMNS = columns(AuditRow)


def to_party(row: PartyRow) -> Party:
    return Party(
        role=PartyRole(row.role),
        name=row.name,
        type=row.type,
        confidential=bool(row.confidential),
        org_number=row.org_number,
        reprisal_risk=bool(row.reprisal_risk),
        measures=row.measures,
    )


def to_pause(row: PauseRow) -> Pause:
    started = read_instant(row.started_at)
    assert started is not None
    return Pause(
        started_at=started,
        ended_at=read_instant(row.ended_at),
        reason=row.reason,
        actor=row.actor,
        requested_by=row.requested_by,
        ended_by=row.ended_by,
    )


def to_fact(row: FactRow) -> Fact:
    on, recorded = read_day(row.happened_on), read_instant(row.recorded_at)
    assert on is not None and recorded is not None
    return Fact(name=row.name, on=on, actor=row.actor, recorded_at=recorded, by=row.by_whom, note=row.note)


def to_extension(row: ExtensionRow) -> Extension:
    return Extension(
        amount=Duration.parse(row.amount),
        reason=row.reason,
        approved_by=row.approved_by,
        at=read_instant(row.at),
    )


def to_deadline(row: DeadlineRow, calendar: CalendarRule, extensions: Sequence[Extension]) -> Deadline:
    basis, started = read_day(row.basis_on), read_instant(row.started_at)
    assert basis is not None and started is not None
    return Deadline(
        name=row.name,
        basis_on=basis,
        basis_label=row.basis_label,
        duration=Duration.parse(row.duration),
        calendar=calendar,
        started_at=started,
        met_at=read_instant(row.met_at),
        met_on=read_day(row.met_on),
        extensions=tuple(extensions),
    )


def to_calendar(row: CaseRow) -> CalendarRule:
    """The calendar a case keeps, from its row."""
    return CalendarRule(
        timezone=row.timezone,
        roll_to_working_day=bool(row.roll_to_working_day),
        holiday_country=row.holiday_country,
    )


def to_case(
    row: CaseRow,
    parties: Sequence[Party],
    deadlines: Sequence[Deadline],
    pauses: Sequence[Pause],
    procedure: Procedure,
    facts: Sequence[Fact] = (),
) -> Case:
    calendar = to_calendar(row)
    received, last = read_instant(row.received_at), read_instant(row.last_event_at)
    assert received is not None and last is not None
    paused = tuple(pauses)
    return Case(
        reference=row.reference,
        title=row.title,
        state=row.state,
        procedure=procedure,
        outcome=row.outcome,
        results=json.loads(row.results or "{}"),
        scope=row.scope,
        received_at=received,
        last_event_at=last,
        calendar=calendar,
        parties=tuple(parties),
        deadlines=with_pauses(deadlines, paused, calendar) if paused else tuple(deadlines),
        details=CaseDetails(
            themes=tuple(json.loads(row.themes)),
            host_countries=tuple(json.loads(row.host_countries)),
            sector=row.sector,
            guidelines_edition=row.guidelines_edition,
            supporting_ncps=tuple(json.loads(row.supporting_ncps or "[]")),
        ),
        lead_member=row.lead_member,
        pauses=paused,
        facts=tuple(facts),
        version=row.version,
        received_precision=Precision(row.received_precision or Precision.DAY),
    )


def to_entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        case_ref=row.case_ref,
        kind=row.kind,
        actor=row.actor,
        at=row.at,
        from_state=row.from_state,
        to_state=row.to_state,
        reason=row.reason,
        data=json.loads(row.data),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
