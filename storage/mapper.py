"""Explicit mapping between rows and the core's values (rows never leave storage/)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from states.calendar import CalendarRule
from states.case import Case, CaseDetails, Party, PartyRole
from states.chain import AuditEntry
from states.deadlines import Deadline
from states.durations import Duration
from states.lifecycle import DeadlineName, Outcome, State


Row = Mapping[Any, Any]  # what SQLAlchemy's RowMapping gives us


def aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes for values we stored as UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def case_values(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "title": case.title,
        "state": case.state.value,
        "outcome": case.outcome.value if case.outcome else None,
        "scope": case.scope,
        "received_at": case.received_at,
        "received_on": case.received_on,
        "last_event_at": case.last_event_at,
        "timezone": case.calendar.timezone,
        "roll_to_working_day": case.calendar.roll_to_working_day,
        "holiday_country": case.calendar.holiday_country,
        "themes": json.dumps(list(case.details.themes)),
        "host_countries": json.dumps(list(case.details.host_countries)),
        "sector": case.details.sector,
        "lead_member": case.lead_member,
        "version": case.version,
    }


def party_values(case_id: int, position: int, party: Party) -> dict[str, Any]:
    return {"case_id": case_id, "position": position, "role": party.role.value,
            "name": party.name, "type": party.type, "confidential": party.confidential}


def deadline_values(case_id: int, deadline: Deadline) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "name": deadline.name.value,
        "basis_on": deadline.basis_on,
        "basis_label": deadline.basis_label,
        "duration": str(deadline.duration),
        "started_at": deadline.started_at,
        "met_at": deadline.met_at,
        "met_on": deadline.met_on,
        "due_on": deadline.due,
    }


def to_case(row: Row, parties: Sequence[Row],
            deadlines: Sequence[Row]) -> Case:
    calendar = CalendarRule(timezone=row["timezone"],
                            roll_to_working_day=bool(row["roll_to_working_day"]),
                            holiday_country=row["holiday_country"])
    return Case(
        reference=row["reference"],
        title=row["title"],
        state=State(row["state"]),
        outcome=Outcome(row["outcome"]) if row["outcome"] else None,
        scope=row["scope"],
        received_at=aware(row["received_at"]),
        last_event_at=aware(row["last_event_at"]),
        calendar=calendar,
        parties=tuple(
            Party(role=PartyRole(p["role"]), name=p["name"], type=p["type"],
                  confidential=bool(p["confidential"]))
            for p in parties
        ),
        deadlines=tuple(to_deadline(d, calendar) for d in deadlines),
        details=CaseDetails(themes=tuple(json.loads(row["themes"])),
                            host_countries=tuple(json.loads(row["host_countries"])),
                            sector=row["sector"]),
        lead_member=row["lead_member"],
        version=row["version"],
    )


def to_deadline(row: Row, calendar: CalendarRule) -> Deadline:
    return Deadline(
        name=DeadlineName(row["name"]),
        basis_on=row["basis_on"],
        basis_label=row["basis_label"],
        duration=Duration.parse(row["duration"]),
        calendar=calendar,
        started_at=aware(row["started_at"]),
        met_at=aware(row["met_at"]) if row["met_at"] else None,
        met_on=row["met_on"],
    )


def to_entry(row: Row) -> AuditEntry:
    return AuditEntry(
        seq=row["seq"], case_ref=row["case_ref"], kind=row["kind"], actor=row["actor"],
        at=row["at"], from_state=row["from_state"], to_state=row["to_state"],
        reason=row["reason"], data=json.loads(row["data"]), prev_hash=row["prev_hash"],
        hash=row["hash"],
    )
