"""The columns of each table in storage/tables.py, for the repositories' plain SQL.

Generated from the table metadata by `python -m storage.tables`; do not edit
(tests/storage/test_schema.py fails when the two disagree). A file of its own, so that
reading a case needs neither SQLAlchemy nor SQLModel at start-up (benchmarks/startup.py).

Each table is a NamedTuple of its columns in table order: `columns()` spells the SELECT list
and `CaseRow._make(row)` reads a driver row by name. Values are as the driver returns them
(SQLite: text for dates and instants), hence `Any`. No `from __future__ import annotations`:
a NamedTuple's string annotations would each be compiled as a forward reference at import.
"""

from typing import Any, NamedTuple


def columns(record: type[NamedTuple], prefix: str = "") -> str:
    """The SELECT list of a record's columns, in its order, each behind `prefix` (`"u."`)."""
    return ", ".join(prefix + name for name in record._fields)


class AlertRow(NamedTuple):
    """A row of `alerts`."""

    id: Any
    deadline_id: Any
    rung: Any
    due_on: Any
    fired_at: Any


class ApiTokenRow(NamedTuple):
    """A row of `api_tokens`."""

    id: Any
    user_name: Any
    token_hash: Any
    created_at: Any
    revoked_at: Any


class AuditCheckpointRow(NamedTuple):
    """A row of `audit_checkpoints`."""

    seq: Any
    hash: Any
    at: Any
    mac: Any
    sig: Any
    key_id: Any


class AuditRow(NamedTuple):
    """A row of `audit_log`."""

    seq: Any
    case_ref: Any
    kind: Any
    actor: Any
    at: Any
    from_state: Any
    to_state: Any
    reason: Any
    data: Any
    prev_hash: Any
    hash: Any


class CaseRow(NamedTuple):
    """A row of `cases`."""

    id: Any
    reference: Any
    title: Any
    state: Any
    outcome: Any
    scope: Any
    received_at: Any
    received_on: Any
    last_event_at: Any
    timezone: Any
    roll_to_working_day: Any
    holiday_country: Any
    themes: Any
    host_countries: Any
    sector: Any
    lead_member: Any
    version: Any
    guidelines_edition: Any
    supporting_ncps: Any


class DeadlineRow(NamedTuple):
    """A row of `deadlines`."""

    id: Any
    case_id: Any
    name: Any
    basis_on: Any
    basis_label: Any
    duration: Any
    started_at: Any
    met_at: Any
    met_on: Any
    due_on: Any


class DutyPeriodRow(NamedTuple):
    """A row of `duty_periods`."""

    id: Any
    member_id: Any
    started_at: Any
    started_on: Any
    actor: Any


class ExtensionRow(NamedTuple):
    """A row of `extensions`."""

    id: Any
    deadline_id: Any
    amount: Any
    reason: Any
    approved_by: Any
    at: Any


class LeadAlertRow(NamedTuple):
    """A row of `lead_alerts`."""

    id: Any
    case_ref: Any
    member_id: Any
    problem: Any
    fired_at: Any


class LeadDecisionRow(NamedTuple):
    """A row of `lead_decisions`."""

    id: Any
    case_ref: Any
    member_id: Any
    kind: Any
    at: Any
    explanation: Any
    skipped: Any
    given_up_at: Any
    given_up_kind: Any


class MemberRow(NamedTuple):
    """A row of `members`."""

    id: Any
    position: Any
    name: Any
    email: Any
    role: Any
    language: Any
    conflicts: Any
    soft_conflicts: Any
    leave: Any
    active: Any
    updated_at: Any


class OutboxRow(NamedTuple):
    """A row of `outbox`."""

    id: Any
    message_id: Any
    case_ref: Any
    kind: Any
    recipient: Any
    language: Any
    subject: Any
    text_body: Any
    html_body: Any
    status: Any
    attempts: Any
    created_at: Any
    next_attempt_at: Any
    lease_until: Any
    sent_at: Any
    last_error: Any


class PartyRow(NamedTuple):
    """A row of `parties`."""

    id: Any
    case_id: Any
    position: Any
    role: Any
    name: Any
    type: Any
    confidential: Any
    org_number: Any


class PauseRow(NamedTuple):
    """A row of `pauses`."""

    id: Any
    case_id: Any
    started_at: Any
    ended_at: Any
    reason: Any
    actor: Any
    requested_by: Any
    ended_by: Any


class ReferenceCounterRow(NamedTuple):
    """A row of `reference_counters`."""

    prefix: Any
    year: Any
    last: Any


class SessionRow(NamedTuple):
    """A row of `sessions`."""

    id_hash: Any
    user_name: Any
    created_at: Any
    last_seen_at: Any
    expires_at: Any
    revoked_at: Any
    address: Any


class UserRow(NamedTuple):
    """A row of `users`."""

    name: Any
    role: Any
    member_id: Any
    password_hash: Any
    created_at: Any
    disabled: Any
    stamp: Any
    totp_secret: Any
    totp_last_step: Any
