"""Declared audit records: each kind of audit entry, its typed `data`, and how it is read back.

Every audit entry the code writes is one of the records below: `record.kind` is the entry's
`kind`, `record.to_data()` its `data`, exactly as the chain hashes it (so the keys, the value
spellings and which keys may be absent are part of the format: docs/audit-format.md documents
each kind for an auditor holding an export). `parse(kind, data)` reads a record back; a kind
this version does not declare (written by a newer one) is a `GenericRecord` holding the data
as stored, and `read(entry)` also turns a declared kind whose data does not fit into one, so
views and reports keep working on any log.

Pure: no I/O. Dates are ISO dates (`2025-01-31`), instants ISO 8601 with their offset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar, Protocol, Self

from states.case import CaseDetails, Party
from states.chain import AuditEntry
from states.events import CaseOpened, CaseTransitioned, DeadlineMet, DeadlineStarted, DueMoved
from states.members import MemberChanges, Skip
from states.rotation import DutyDecision, LeadDecision


class RecordError(ValueError):
    """The data of an entry of a declared kind does not have that kind's shape."""


class AuditRecord(Protocol):
    """What the audit log needs of a record: its kind and its data."""

    @property
    def kind(self) -> str: ...

    def to_data(self) -> dict[str, Any]: ...


# -- reading stored data ------------------------------------------------------------------------

class _Reader:
    """Typed access to one stored mapping; every problem names the kind and the key."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, Mapping):
            raise RecordError(f"{where}: expected an object, found {type(data).__name__}")
        self.data: Mapping[str, Any] = data
        self.where = where

    def _fail(self, key: str, wanted: str) -> RecordError:
        return RecordError(f"{self.where}: '{key}' should be {wanted}, found "
                           f"{self.data[key]!r}" if key in self.data
                           else f"{self.where}: '{key}' is missing")

    def has(self, key: str) -> bool:
        return key in self.data

    def value(self, key: str) -> Any:
        if key not in self.data:
            raise self._fail(key, "present")
        return self.data[key]

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str):
            raise self._fail(key, "a string")
        return value

    def opt_text(self, key: str) -> str | None:
        value = self.value(key)
        if value is not None and not isinstance(value, str):
            raise self._fail(key, "a string or null")
        return value

    def integer(self, key: str) -> int:
        value = self.data.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._fail(key, "an integer")
        return value

    def opt_integer(self, key: str) -> int | None:
        value = self.value(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise self._fail(key, "an integer or null")
        return value

    def flag(self, key: str) -> bool:
        value = self.data.get(key)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail(key, "a list of strings")
        return tuple(value)

    def day(self, key: str) -> date:
        try:
            return date.fromisoformat(self.text(key))
        except ValueError:
            raise self._fail(key, "an ISO date") from None

    def opt_day(self, key: str) -> date | None:
        return None if self.value(key) is None else self.day(key)

    def instant(self, key: str) -> datetime:
        try:
            value = datetime.fromisoformat(self.text(key))
        except ValueError:
            raise self._fail(key, "an ISO 8601 instant") from None
        if value.tzinfo is None:
            raise self._fail(key, "an ISO 8601 instant with an offset")
        return value

    def items(self, key: str) -> list[_Reader]:
        value = self.data.get(key)
        if not isinstance(value, list):
            raise self._fail(key, "a list")
        return [_Reader(item, f"{self.where}.{key}[{n}]") for n, item in enumerate(value)]

    def mapping(self, key: str) -> Mapping[str, Any]:
        value = self.data.get(key)
        if not isinstance(value, Mapping):
            raise self._fail(key, "an object")
        return value


def _without(data: dict[str, Any], absent: Iterable[str]) -> dict[str, Any]:
    for key in absent:
        data.pop(key, None)
    return data


def _absent(reader: _Reader, keys: Iterable[str]) -> frozenset[str]:
    return frozenset(key for key in keys if not reader.has(key))


# -- values inside records ----------------------------------------------------------------------

@dataclass(frozen=True)
class PartyData:
    """A party as registered: `org_number` is absent from the data when none was given."""

    role: str
    name: str
    type: str | None
    confidential: bool
    org_number: str | None = None

    @classmethod
    def of(cls, party: Party) -> PartyData:
        return cls(party.role.value, party.name, party.type, party.confidential,
                   party.org_number)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"role": self.role, "name": self.name, "type": self.type,
                                "confidential": self.confidential}
        if self.org_number is not None:
            data["org_number"] = self.org_number
        return data

    @classmethod
    def read(cls, r: _Reader) -> PartyData:
        return cls(r.text("role"), r.text("name"), r.opt_text("type"), r.flag("confidential"),
                   r.opt_text("org_number") if r.has("org_number") else None)


@dataclass(frozen=True)
class StartedDeadline:
    name: str
    due: date

    @classmethod
    def of(cls, started: DeadlineStarted) -> StartedDeadline:
        return cls(started.name.value, started.due)

    def to_data(self) -> dict[str, Any]:
        return {"name": self.name, "due": self.due.isoformat()}

    @classmethod
    def read(cls, r: _Reader) -> StartedDeadline:
        return cls(r.text("name"), r.day("due"))


@dataclass(frozen=True)
class MetDeadline:
    name: str
    on: date
    due: date
    late_days: int

    @classmethod
    def of(cls, met: DeadlineMet) -> MetDeadline:
        return cls(met.name.value, met.on, met.due, met.late_days)

    def to_data(self) -> dict[str, Any]:
        return {"name": self.name, "on": self.on.isoformat(), "due": self.due.isoformat(),
                "late_days": self.late_days}

    @classmethod
    def read(cls, r: _Reader) -> MetDeadline:
        return cls(r.text("name"), r.day("on"), r.day("due"), r.integer("late_days"))


@dataclass(frozen=True)
class MovedDue:
    name: str
    before: date
    after: date

    @classmethod
    def of(cls, moved: DueMoved) -> MovedDue:
        return cls(moved.name.value, moved.before, moved.after)

    @property
    def days(self) -> int:
        return (self.after - self.before).days

    def to_data(self) -> dict[str, Any]:
        return {"name": self.name, "before": self.before.isoformat(),
                "after": self.after.isoformat()}

    @classmethod
    def read(cls, r: _Reader) -> MovedDue:
        return cls(r.text("name"), r.day("before"), r.day("after"))


@dataclass(frozen=True)
class SkippedMember:
    """Why a member did not lead: `reason` one of inactive, recused, hard_conflict,
    soft_conflict, on_leave; `detail` in English."""

    member: str
    reason: str
    detail: str

    @classmethod
    def of(cls, skip: Skip) -> SkippedMember:
        return cls(skip.member, skip.reason.value, skip.detail)

    def to_data(self) -> dict[str, Any]:
        return {"member": self.member, "reason": self.reason, "detail": self.detail}

    @classmethod
    def read(cls, r: _Reader) -> SkippedMember:
        return cls(r.text("member"), r.text("reason"), r.text("detail"))


@dataclass(frozen=True)
class Candidate:
    member: str
    note: str

    def to_data(self) -> dict[str, Any]:
        return {"member": self.member, "note": self.note}

    @classmethod
    def read(cls, r: _Reader) -> Candidate:
        return cls(r.text("member"), r.text("note"))


@dataclass(frozen=True)
class Decision:
    """A lead or duty decision: candidates in the order considered, skips with reasons, the
    choice (null: nobody), its explanation in English; `rule` is absent for duty decisions."""

    candidates: tuple[Candidate, ...]
    skipped: tuple[SkippedMember, ...]
    chosen: str | None
    explanation: str
    rule: str | None = None

    @classmethod
    def of(cls, decision: LeadDecision | DutyDecision) -> Decision:
        return cls(tuple(Candidate(c.member, c.note) for c in decision.candidates),
                   tuple(SkippedMember.of(s) for s in decision.skipped), decision.chosen,
                   decision.explain(),
                   decision.rule if isinstance(decision, LeadDecision) else None)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"candidates": [c.to_data() for c in self.candidates],
                                "skipped": [s.to_data() for s in self.skipped],
                                "chosen": self.chosen, "explanation": self.explanation}
        if self.rule is not None:
            data["rule"] = self.rule
        return data

    @classmethod
    def read(cls, r: _Reader) -> Decision:
        return cls(tuple(Candidate.read(c) for c in r.items("candidates")),
                   tuple(SkippedMember.read(s) for s in r.items("skipped")),
                   r.opt_text("chosen"), r.text("explanation"),
                   r.text("rule") if r.has("rule") else None)


FieldValue = tuple[str, ...] | str | None


@dataclass(frozen=True)
class Change:
    """One descriptive field's value before and after: a list of codes, a text, or null."""

    before: FieldValue
    after: FieldValue

    def to_data(self) -> dict[str, Any]:
        return {"from": _plain(self.before), "to": _plain(self.after)}

    @classmethod
    def read(cls, r: _Reader) -> Change:
        return cls(_field_value(r, "from"), _field_value(r, "to"))


def _plain(value: FieldValue) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _field_value(r: _Reader, key: str) -> FieldValue:
    value = r.value(key)
    return r.texts(key) if isinstance(value, list) else r.opt_text(key)


# -- the declared kinds -------------------------------------------------------------------------
# Each: KIND, the fields, to_data() (the stored spelling) and from_data() (its inverse).

@dataclass(frozen=True)
class Opened:
    """A submission registered: a new case in `received`."""

    KIND: ClassVar[str] = "opened"
    LEGACY_ABSENT: ClassVar[tuple[str, ...]] = ("guidelines_edition", "supporting_ncps")

    title: str
    parties: tuple[PartyData, ...]
    themes: tuple[str, ...]
    host_countries: tuple[str, ...]
    sector: str | None
    guidelines_edition: str | None
    supporting_ncps: tuple[str, ...]
    deadlines_started: tuple[StartedDeadline, ...]
    recorded_at: datetime
    absent: frozenset[str] = frozenset()  # keys an older version did not write

    @classmethod
    def of(cls, event: CaseOpened, *, title: str, parties: Iterable[Party],
           details: CaseDetails, recorded_at: datetime) -> Opened:
        return cls(title, tuple(PartyData.of(p) for p in parties), tuple(details.themes),
                   tuple(details.host_countries), details.sector, details.guidelines_edition,
                   tuple(details.supporting_ncps),
                   tuple(StartedDeadline.of(s) for s in event.started), recorded_at)

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return _without({
            "title": self.title, "parties": [p.to_data() for p in self.parties],
            "themes": list(self.themes), "host_countries": list(self.host_countries),
            "sector": self.sector, "guidelines_edition": self.guidelines_edition,
            "supporting_ncps": list(self.supporting_ncps),
            "deadlines_started": [s.to_data() for s in self.deadlines_started],
            "recorded_at": self.recorded_at.isoformat()}, self.absent)

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.text("title"), tuple(PartyData.read(p) for p in r.items("parties")),
                   r.texts("themes"), r.texts("host_countries"), r.opt_text("sector"),
                   r.opt_text("guidelines_edition") if r.has("guidelines_edition") else None,
                   r.texts("supporting_ncps") if r.has("supporting_ncps") else (),
                   tuple(StartedDeadline.read(s) for s in r.items("deadlines_started")),
                   r.instant("recorded_at"), _absent(r, cls.LEGACY_ABSENT))


@dataclass(frozen=True)
class Transitioned:
    """A trigger fired: the case moved from `from_state` to `to_state` (the envelope)."""

    KIND: ClassVar[str] = "transitioned"

    trigger: str
    outcome: str | None
    deadlines_met: tuple[MetDeadline, ...]
    deadlines_started: tuple[StartedDeadline, ...]
    version: int
    recorded_at: datetime
    scope: str | None = None  # absent from the data unless given (accept only)

    @classmethod
    def of(cls, event: CaseTransitioned, *, version: int,
           recorded_at: datetime) -> Transitioned:
        return cls(event.trigger.value, event.outcome.value if event.outcome else None,
                   tuple(MetDeadline.of(m) for m in event.met),
                   tuple(StartedDeadline.of(s) for s in event.started), version, recorded_at,
                   event.scope)

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "trigger": self.trigger, "outcome": self.outcome,
            "deadlines_met": [m.to_data() for m in self.deadlines_met],
            "deadlines_started": [s.to_data() for s in self.deadlines_started],
            "version": self.version, "recorded_at": self.recorded_at.isoformat()}
        if self.scope is not None:
            data["scope"] = self.scope
        return data

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.text("trigger"), r.opt_text("outcome"),
                   tuple(MetDeadline.read(m) for m in r.items("deadlines_met")),
                   tuple(StartedDeadline.read(s) for s in r.items("deadlines_started")),
                   r.integer("version"), r.instant("recorded_at"),
                   r.text("scope") if r.has("scope") else None)


@dataclass(frozen=True)
class Edited:
    """Descriptive fields changed: only the fields that changed are listed."""

    KIND: ClassVar[str] = "edited"
    FIELDS: ClassVar[tuple[str, ...]] = ("themes", "host_countries", "sector",
                                         "guidelines_edition", "supporting_ncps")

    changes: Mapping[str, Change]
    version: int
    recorded_at: datetime

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"changes": {name: change.to_data() for name, change in self.changes.items()},
                "version": self.version, "recorded_at": self.recorded_at.isoformat()}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        changes = _Reader(r.mapping("changes"), f"{r.where}.changes")
        return cls({name: Change.read(_Reader(changes.value(name), f"{changes.where}.{name}"))
                    for name in changes.data}, r.integer("version"), r.instant("recorded_at"))


@dataclass(frozen=True)
class Paused:
    """The clock stopped (the reason in the envelope)."""

    KIND: ClassVar[str] = "paused"

    requested_by: str | None
    version: int
    recorded_at: datetime

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"requested_by": self.requested_by, "version": self.version,
                "recorded_at": self.recorded_at.isoformat()}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.opt_text("requested_by"), r.integer("version"), r.instant("recorded_at"))


@dataclass(frozen=True)
class Resumed:
    """The clock restarted: open deadlines moved on by the whole days paused."""

    KIND: ClassVar[str] = "resumed"

    paused_days: int
    moved: tuple[MovedDue, ...]
    version: int
    recorded_at: datetime

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"paused_days": self.paused_days, "moved": [m.to_data() for m in self.moved],
                "version": self.version, "recorded_at": self.recorded_at.isoformat()}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.integer("paused_days"), tuple(MovedDue.read(m) for m in r.items("moved")),
                   r.integer("version"), r.instant("recorded_at"))


@dataclass(frozen=True)
class Extended:
    """One deadline given more time."""

    KIND: ClassVar[str] = "extended"

    deadline: str
    amount: str
    moved: tuple[MovedDue, ...]
    version: int
    recorded_at: datetime

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"deadline": self.deadline, "amount": self.amount,
                "moved": [m.to_data() for m in self.moved], "version": self.version,
                "recorded_at": self.recorded_at.isoformat()}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.text("deadline"), r.text("amount"),
                   tuple(MovedDue.read(m) for m in r.items("moved")), r.integer("version"),
                   r.instant("recorded_at"))


@dataclass(frozen=True)
class Alert:
    """An alert rung fired for a deadline; its e-mails were queued."""

    KIND: ClassVar[str] = "alert"

    case: str
    deadline: str
    rung: str
    due: date
    recipients: tuple[str, ...]

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"case": self.case, "deadline": self.deadline, "rung": self.rung,
                "due": self.due.isoformat(), "recipients": list(self.recipients)}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.text("case"), r.text("deadline"), r.text("rung"), r.day("due"),
                   r.texts("recipients"))


@dataclass(frozen=True)
class Notified:
    """An e-mail from the outbox was accepted by the mail server."""

    KIND: ClassVar[str] = "notified"

    outbox_id: int
    message_id: str
    recipient: str
    attempts: int

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"outbox_id": self.outbox_id, "message_id": self.message_id,
                "recipient": self.recipient, "attempts": self.attempts}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.integer("outbox_id"), r.text("message_id"), r.text("recipient"),
                   r.integer("attempts"))


@dataclass(frozen=True)
class MembersSynced:
    """config.toml's members brought into the database."""

    KIND: ClassVar[str] = "members_synced"

    added: tuple[str, ...]
    changed: Mapping[str, tuple[str, ...]]
    deactivated: tuple[str, ...]
    reactivated: tuple[str, ...]
    reordered: bool
    members: tuple[str, ...]

    @classmethod
    def of(cls, changes: MemberChanges, members: Sequence[str]) -> MembersSynced:
        return cls(tuple(changes.added), {k: tuple(v) for k, v in changes.changed.items()},
                   tuple(changes.deactivated), tuple(changes.reactivated), changes.reordered,
                   tuple(members))

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"added": list(self.added),
                "changed": {k: list(v) for k, v in self.changed.items()},
                "deactivated": list(self.deactivated), "reactivated": list(self.reactivated),
                "reordered": self.reordered, "members": list(self.members)}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        changed = _Reader(r.mapping("changed"), f"{r.where}.changed")
        return cls(r.texts("added"), {k: changed.texts(k) for k in changed.data},
                   r.texts("deactivated"), r.texts("reactivated"), r.flag("reordered"),
                   r.texts("members"))


@dataclass(frozen=True)
class _NewCaseLead:
    """The rotation's decision for a new case, on its date of receipt."""

    mode: str
    on: date
    decision: Decision
    notified: tuple[str, ...]
    recorded_at: datetime

    def to_data(self) -> dict[str, Any]:
        return {"mode": self.mode, "on": self.on.isoformat(), **self.decision.to_data(),
                "notified": list(self.notified), "recorded_at": self.recorded_at.isoformat()}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.text("mode"), r.day("on"), Decision.read(r), r.texts("notified"),
                   r.instant("recorded_at"))


@dataclass(frozen=True)
class LeadAssigned(_NewCaseLead):
    """A new case's lead, chosen by the rotation."""

    KIND: ClassVar[str] = "lead_assigned"

    @property
    def kind(self) -> str:
        return self.KIND


@dataclass(frozen=True)
class LeadUnassigned(_NewCaseLead):
    """A new case nobody may lead: it opened without a lead (`chosen` is null)."""

    KIND: ClassVar[str] = "lead_unassigned"

    @property
    def kind(self) -> str:
        return self.KIND


def new_case_lead(*, mode: str, on: date, decision: LeadDecision, notified: Sequence[str],
                  recorded_at: datetime) -> LeadAssigned | LeadUnassigned:
    """`lead_assigned` when the rotation chose someone, else `lead_unassigned`."""
    made = LeadAssigned if decision.chosen is not None else LeadUnassigned
    return made(mode, on, Decision.of(decision), tuple(notified), recorded_at)


@dataclass(frozen=True)
class LeadReassigned:
    """The case given to another member by hand (`override`: despite a reason not to)."""

    KIND: ClassVar[str] = "lead_reassigned"

    from_: str | None
    to: str
    override: bool
    overridden: tuple[SkippedMember, ...]
    explanation: str
    notified: tuple[str, ...]
    version: int
    recorded_at: datetime

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"from": self.from_, "to": self.to, "override": self.override,
                "overridden": [s.to_data() for s in self.overridden],
                "explanation": self.explanation, "notified": list(self.notified),
                "version": self.version, "recorded_at": self.recorded_at.isoformat()}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.opt_text("from"), r.text("to"), r.flag("override"),
                   tuple(SkippedMember.read(s) for s in r.items("overridden")),
                   r.text("explanation"), r.texts("notified"), r.integer("version"),
                   r.instant("recorded_at"))


@dataclass(frozen=True)
class LeadRecused:
    """The lead stepped aside; the rotation chose the next lead (or nobody)."""

    KIND: ClassVar[str] = "lead_recused"

    member: str
    mode: str
    decision: Decision
    notified: tuple[str, ...]
    version: int
    recorded_at: datetime

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"member": self.member, "mode": self.mode, **self.decision.to_data(),
                "notified": list(self.notified), "version": self.version,
                "recorded_at": self.recorded_at.isoformat()}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.text("member"), r.text("mode"), Decision.read(r), r.texts("notified"),
                   r.integer("version"), r.instant("recorded_at"))


@dataclass(frozen=True)
class DutyRotated:
    """Periodic mode: duty handed on to the next member until `until`."""

    KIND: ClassVar[str] = "duty_rotated"

    from_: str | None
    to: str
    until: datetime
    every: str
    forced: bool
    decision: Decision

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"from": self.from_, "to": self.to, "until": self.until.isoformat(),
                "every": self.every, "forced": self.forced, **self.decision.to_data()}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.opt_text("from"), r.text("to"), r.instant("until"), r.text("every"),
                   r.flag("forced"), Decision.read(r))


@dataclass(frozen=True)
class LeadAlert:
    """The chair (or the secretariat) told that an open case's lead may no longer lead it."""

    KIND: ClassVar[str] = "lead_alert"

    case: str
    lead: str
    problems: tuple[SkippedMember, ...]
    recipients: tuple[str, ...]

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"case": self.case, "lead": self.lead,
                "problems": [s.to_data() for s in self.problems],
                "recipients": list(self.recipients)}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.text("case"), r.text("lead"),
                   tuple(SkippedMember.read(s) for s in r.items("problems")),
                   r.texts("recipients"))


@dataclass(frozen=True)
class UserAdded:
    """A user of the web app and API created, with a first API token (its listed id)."""

    KIND: ClassVar[str] = "user_added"
    LEGACY_ABSENT: ClassVar[tuple[str, ...]] = ("token",)

    user: str
    role: str
    member: str | None
    token: str | None = None  # absent from entries written before API tokens were listed
    absent: frozenset[str] = frozenset()

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return _without({"user": self.user, "role": self.role, "member": self.member,
                         "token": self.token}, self.absent)

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.text("user"), r.text("role"), r.opt_text("member"),
                   r.opt_text("token") if r.has("token") else None,
                   _absent(r, cls.LEGACY_ABSENT))


@dataclass(frozen=True)
class PasswordSet:
    """A user's password set or changed (the password itself is never recorded)."""

    KIND: ClassVar[str] = "password_set"
    LEGACY_ABSENT: ClassVar[tuple[str, ...]] = ("sessions_ended",)

    user: str
    sessions_ended: int = 0  # absent from entries written before server-side sessions
    absent: frozenset[str] = frozenset()

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return _without({"user": self.user, "sessions_ended": self.sessions_ended},
                        self.absent)

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.text("user"),
                   r.integer("sessions_ended") if r.has("sessions_ended") else 0,
                   _absent(r, cls.LEGACY_ABSENT))


@dataclass(frozen=True)
class ExportRevealed:
    """An audit export with confidential identities as stored (`--reveal`)."""

    KIND: ClassVar[str] = "audit_export_revealed"

    case: str | None
    from_: date | None
    to: date | None

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"case": self.case, "from": self.from_.isoformat() if self.from_ else None,
                "to": self.to.isoformat() if self.to else None}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.opt_text("case"), r.opt_day("from"), r.opt_day("to"))


# -- users, tokens, second factor and sign-in (server-side sessions, issue 10) ------------------

@dataclass(frozen=True)
class _UserSessions:
    """A user changed, and how many of their sessions that ended."""

    user: str
    sessions_ended: int

    def to_data(self) -> dict[str, Any]:
        return {"user": self.user, "sessions_ended": self.sessions_ended}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.text("user"), r.integer("sessions_ended"))


@dataclass(frozen=True)
class UserDisabled(_UserSessions):
    """A user disabled: every session ended; tokens and sign-in refused."""

    KIND: ClassVar[str] = "user_disabled"

    @property
    def kind(self) -> str:
        return self.KIND


@dataclass(frozen=True)
class UserEnabled(_UserSessions):
    """A disabled user enabled again (`sessions_ended` is 0)."""

    KIND: ClassVar[str] = "user_enabled"

    @property
    def kind(self) -> str:
        return self.KIND


@dataclass(frozen=True)
class TokenIssued:
    """A new API token for a user (the token itself is never recorded, only its listed id)."""

    KIND: ClassVar[str] = "token_issued"

    user: str
    token: str

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"user": self.user, "token": self.token}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.text("user"), r.text("token"))


@dataclass(frozen=True)
class TokenRevoked:
    """One API token of a user revoked (`token` null: all of them)."""

    KIND: ClassVar[str] = "token_revoked"

    user: str
    token: str | None
    revoked: int

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"user": self.user, "token": self.token, "revoked": self.revoked}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.text("user"), r.opt_text("token"), r.integer("revoked"))


@dataclass(frozen=True)
class _UserOnly:
    user: str

    def to_data(self) -> dict[str, Any]:
        return {"user": self.user}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.text("user"))


@dataclass(frozen=True)
class TotpEnrolled(_UserOnly):
    """A second factor (TOTP) enrolled for a user; the secret is never recorded."""

    KIND: ClassVar[str] = "totp_enrolled"

    @property
    def kind(self) -> str:
        return self.KIND


@dataclass(frozen=True)
class TotpRemoved(_UserOnly):
    """A user's second factor removed."""

    KIND: ClassVar[str] = "totp_removed"

    @property
    def kind(self) -> str:
        return self.KIND


@dataclass(frozen=True)
class SignInFailed:
    """A sign-in refused (wrong name, password or one-time code; `reason` says which)."""

    KIND: ClassVar[str] = "sign_in_failed"

    user: str
    address: str

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"user": self.user, "address": self.address}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.text("user"), r.text("address"))


@dataclass(frozen=True)
class SignInThrottled:
    """Too many failed sign-ins: the user name or the client address is locked out a while."""

    KIND: ClassVar[str] = "sign_in_throttled"

    user: str
    address: str
    locked: str

    @property
    def kind(self) -> str:
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        return {"user": self.user, "address": self.address, "locked": self.locked}

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls(r.text("user"), r.text("address"), r.text("locked"))


# -- the registry -------------------------------------------------------------------------------

DeclaredRecord = (Opened | Transitioned | Edited | Paused | Resumed | Extended | Alert | Notified
                  | MembersSynced | LeadAssigned | LeadUnassigned | LeadReassigned | LeadRecused
                  | DutyRotated | LeadAlert | UserAdded | PasswordSet | ExportRevealed
                  | UserDisabled | UserEnabled | TokenIssued | TokenRevoked | TotpEnrolled
                  | TotpRemoved | SignInFailed | SignInThrottled)

_READERS: dict[str, Callable[[_Reader], DeclaredRecord]] = {
    made.KIND: made.from_data
    for made in (Opened, Transitioned, Edited, Paused, Resumed, Extended, Alert, Notified,
                 MembersSynced, LeadAssigned, LeadUnassigned, LeadReassigned, LeadRecused,
                 DutyRotated, LeadAlert, UserAdded, PasswordSet, ExportRevealed,
                 UserDisabled, UserEnabled, TokenIssued, TokenRevoked, TotpEnrolled,
                 TotpRemoved, SignInFailed, SignInThrottled)
}
KINDS: tuple[str, ...] = tuple(_READERS)
"""Every declared kind; docs/audit-format.md has a section for each."""


@dataclass(frozen=True)
class GenericRecord:
    """An entry of a kind this version does not declare (or whose data does not fit its kind):
    the data as stored, untouched, and why it was not read as a declared record."""

    name: str
    data: Mapping[str, Any] = field(default_factory=dict)
    problem: str | None = None

    @property
    def kind(self) -> str:
        return self.name

    def to_data(self) -> dict[str, Any]:
        return dict(self.data)


def is_declared(kind: str) -> bool:
    return kind in _READERS


def parse(kind: str, data: Mapping[str, Any]) -> DeclaredRecord | GenericRecord:
    """The record of an entry: declared kinds typed (RecordError when the data does not fit),
    any other kind a GenericRecord."""
    reader = _READERS.get(kind)
    if reader is None:
        return GenericRecord(kind, dict(data), f"'{kind}' is not a kind this version declares")
    return reader(_Reader(data, kind))


def read(entry: AuditEntry) -> DeclaredRecord | GenericRecord:
    """`parse` that never fails: data that does not fit its kind is a GenericRecord too."""
    try:
        return parse(entry.kind, entry.data)
    except RecordError as problem:
        return GenericRecord(entry.kind, dict(entry.data), str(problem))
