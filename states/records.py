"""Declared audit records: each kind of audit entry, its typed `data`, and how it is read back.

Every audit entry the code writes is one of the records below: `record.kind` is the entry's
`kind`, `record.to_data()` its `data`, exactly as the chain hashes it (so the keys, the value
spellings and which keys may be absent are part of the format: docs/audit-format.md documents
each kind for an auditor holding an export). `parse(kind, data)` reads a record back; a kind
this version does not declare (written by a newer one) is a `GenericRecord` holding the data
as stored, and `read(entry)` also turns a declared kind whose data does not fit into one, so
views and reports keep working on any log.

Each kind is declared once, as a dataclass: a field's type says how its value is spelled (dates
ISO dates such as `2025-01-31`, instants ISO 8601 with their offset, tuples lists, nested records
objects) and its metadata (`_spelled`) the stored key when it differs from the field's name,
whether the key is left out when the value is None, whether older entries may lack it, and
whether a nested record's keys sit in the enclosing object. `to_data` and `from_data` are
derived from that declaration.

Pure: no I/O.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, ClassVar, Protocol, Self, Union, get_args, get_origin, get_type_hints

from states.case import CaseDetails, Party
from states.chain import AuditEntry
from states.events import (
    CaseOpened,
    CaseTransitioned,
    DeadlineMet,
    DeadlineStarted,
    DueMoved,
)
from states.events import (
    FactRecorded as FactEvent,
)
from states.members import MemberChanges, Skip
from states.migration import CaseMigrated
from states.procedure import Procedure
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
        return RecordError(
            f"{self.where}: '{key}' should be {wanted}, found {self.data[key]!r}"
            if key in self.data
            else f"{self.where}: '{key}' is missing"
        )

    def has(self, key: str) -> bool:
        return key in self.data

    def value(self, key: str) -> Any:
        if key not in self.data:
            raise self._fail(key, "present")
        return self.data[key]

    def inner(self, key: str) -> _Reader:
        return _Reader(self.value(key), f"{self.where}.{key}")

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

    def flag(self, key: str) -> bool:
        value = self.data.get(key)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def integers(self, key: str) -> tuple[int, ...]:
        value = self.data.get(key)
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            raise self._fail(key, "a list of integers")
        return tuple(value)

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

    def mapping(self, key: str) -> _Reader:
        value = self.data.get(key)
        if not isinstance(value, Mapping):
            raise self._fail(key, "an object")
        return _Reader(value, f"{self.where}.{key}")


# -- how a field is spelled ---------------------------------------------------------------------

_UNSET: Any = object()


def _spelled(
    key: str | None = None, *, omit_none: bool = False, legacy: Any = _UNSET, inline: bool = False
) -> dict[str, Any]:
    """Field metadata: the stored `key` (default: the field's name); `omit_none`: the key is
    absent when the value is None (and, when present, holds the type without None); `legacy`:
    entries written by an older version may lack the key, read as this value and written back
    without it (the record's `absent` remembers which); `inline`: a nested record's keys sit in
    the enclosing object."""
    return {"key": key, "omit_none": omit_none, "legacy": legacy, "inline": inline}


FieldValue = tuple[str, ...] | str | bool | None


@dataclass(frozen=True, slots=True)
class _Codec:
    write: Callable[[Any], Any] | None  # None: the value is stored as it is
    read: Callable[[_Reader, str], Any]


def _optional(codec: _Codec, reader: Callable[[_Reader, str], Any]) -> _Codec:
    write = codec.write
    if write is None:
        return _Codec(None, reader)
    return _Codec(lambda value: None if value is None else write(value), reader)


def _plain(value: FieldValue) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _field_value(r: _Reader, key: str) -> FieldValue:
    value = r.value(key)
    if isinstance(value, bool):
        return value
    return r.texts(key) if isinstance(value, list) else r.opt_text(key)


def _opt_day(r: _Reader, key: str) -> date | None:
    return None if r.value(key) is None else r.day(key)


_SIMPLE: dict[Any, _Codec] = {
    str: _Codec(None, _Reader.text),
    int: _Codec(None, _Reader.integer),
    bool: _Codec(None, _Reader.flag),
    date: _Codec(date.isoformat, _Reader.day),
    datetime: _Codec(datetime.isoformat, _Reader.instant),
}
_OPTIONAL_READERS: dict[Any, Callable[[_Reader, str], Any]] = {str: _Reader.opt_text, date: _opt_day}


def _codec(hint: Any) -> _Codec:
    """How a value of the type `hint` is spelled in the data and read back."""
    if hint in _SIMPLE:
        return _SIMPLE[hint]
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        if set(args) == set(get_args(FieldValue)):
            return _Codec(_plain, _field_value)
        (inner,) = (arg for arg in args if arg is not type(None))
        return _optional(_codec(inner), _OPTIONAL_READERS[inner])
    if origin is tuple and args[0] is str:
        return _Codec(list, _Reader.texts)
    if origin is tuple and args[0] is int:
        return _Codec(list, _Reader.integers)
    if origin is tuple:
        shape: type[_Shape] = args[0]
        return _Codec(
            lambda values: [value.to_data() for value in values],
            lambda r, key: tuple(shape.read(item) for item in r.items(key)),
        )
    if origin is Mapping:
        each = _codec(args[1])

        def read_mapping(r: _Reader, key: str) -> dict[str, Any]:
            inner = r.mapping(key)
            return {name: each.read(inner, name) for name in inner.data}

        write = each.write or _as_is
        return _Codec(lambda values: {name: write(v) for name, v in values.items()}, read_mapping)
    if isinstance(hint, type) and issubclass(hint, _Shape):
        return _nested(hint)
    raise TypeError(f"no spelling for {hint!r}")  # pragma: no cover - a declaration mistake


def _nested(shape: type[_Shape], *, inline: bool = False) -> _Codec:
    """A record inside a record: an object under its key, or its keys in the enclosing one."""

    def read(r: _Reader, key: str) -> _Shape:
        return shape.read(r if inline else r.inner(key))

    return _Codec(lambda value: value.to_data(), read)


def _as_is(value: Any) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    key: str
    codec: _Codec
    omit_none: bool
    legacy: Any
    inline: bool


_DECLARED: dict[type, tuple[_Field, ...]] = {}


def _declared(shape: type) -> tuple[_Field, ...]:
    """The fields of a record class as spelled in the data (worked out once per class)."""
    try:
        return _DECLARED[shape]
    except KeyError:
        pass
    hints = get_type_hints(shape)
    declared = []
    for each in fields(shape):
        if each.name == "absent":
            continue
        meta = {**_spelled(), **each.metadata}
        hint = hints[each.name]
        if meta["omit_none"]:
            (hint,) = (arg for arg in get_args(hint) if arg is not type(None))
        codec = _nested(hint, inline=True) if meta["inline"] else _codec(hint)
        declared.append(
            _Field(
                each.name, meta["key"] or each.name, codec, meta["omit_none"], meta["legacy"], meta["inline"]
            )
        )
    _DECLARED[shape] = tuple(declared)
    return _DECLARED[shape]


_NONE_ABSENT: frozenset[str] = frozenset()
_WRITERS: dict[type, tuple[tuple[str, str, Callable[[Any], Any] | None, bool, bool], ...]] = {}


def _writers(shape: type) -> tuple[tuple[str, str, Callable[[Any], Any] | None, bool, bool], ...]:
    """What `to_data` needs of each field, flat (it runs on every audited write)."""
    try:
        return _WRITERS[shape]
    except KeyError:
        made = _WRITERS[shape] = tuple(
            (f.name, f.key, f.codec.write, f.omit_none, f.inline) for f in _declared(shape)
        )
        return made


class _Shape:
    """A value spelled field by field as its dataclass declares (see `_spelled`)."""

    def to_data(self) -> dict[str, Any]:
        absent: frozenset[str] = getattr(self, "absent", _NONE_ABSENT)
        data: dict[str, Any] = {}
        for name, key, write, omit_none, inline in _writers(type(self)):
            value = getattr(self, name)
            if (omit_none and value is None) or key in absent:
                continue
            if inline:
                data.update(value.to_data())
            else:
                data[key] = value if write is None else write(value)
        return data

    @classmethod
    def read(cls, r: _Reader) -> Self:
        values: dict[str, Any] = {}
        absent = set()
        for each in _declared(cls):
            if each.inline or r.has(each.key):
                values[each.name] = each.codec.read(r, each.key)
            elif each.omit_none:
                values[each.name] = None
            elif each.legacy is not _UNSET:
                values[each.name] = each.legacy
                absent.add(each.key)
            else:
                values[each.name] = each.codec.read(r, each.key)
        if absent:
            values["absent"] = frozenset(absent)
        return cls(**values)


class _Record(_Shape):
    """A declared kind: `KIND` is the entry's kind."""

    KIND: ClassVar[str]

    @property
    def kind(self) -> str:
        return self.KIND

    @classmethod
    def from_data(cls, r: _Reader) -> Self:
        return cls.read(r)


# -- values inside records ----------------------------------------------------------------------


@dataclass(frozen=True)
class PartyData(_Shape):
    """A party as registered: `org_number` is absent from the data when none was given."""

    role: str
    name: str
    type: str | None
    confidential: bool
    org_number: str | None = field(default=None, metadata=_spelled(omit_none=True))

    @classmethod
    def of(cls, party: Party) -> PartyData:
        return cls(party.role.value, party.name, party.type, party.confidential, party.org_number)


@dataclass(frozen=True)
class StartedDeadline(_Shape):
    name: str
    due: date

    @classmethod
    def of(cls, started: DeadlineStarted) -> StartedDeadline:
        return cls(str(started.name), started.due)


@dataclass(frozen=True)
class MetDeadline(_Shape):
    name: str
    on: date
    due: date
    late_days: int

    @classmethod
    def of(cls, met: DeadlineMet) -> MetDeadline:
        return cls(str(met.name), met.on, met.due, met.late_days)


@dataclass(frozen=True)
class MovedDue(_Shape):
    name: str
    before: date
    after: date

    @classmethod
    def of(cls, moved: DueMoved) -> MovedDue:
        return cls(str(moved.name), moved.before, moved.after)

    @property
    def days(self) -> int:
        return (self.after - self.before).days


@dataclass(frozen=True)
class SkippedMember(_Shape):
    """Why a member did not lead: `reason` one of inactive, recused, hard_conflict,
    soft_conflict, on_leave; `detail` in English."""

    member: str
    reason: str
    detail: str

    @classmethod
    def of(cls, skip: Skip) -> SkippedMember:
        return cls(skip.member, skip.reason.value, skip.detail)


@dataclass(frozen=True)
class Candidate(_Shape):
    member: str
    note: str


@dataclass(frozen=True)
class Decision(_Shape):
    """A lead or duty decision: candidates in the order considered, skips with reasons, the
    choice (null: nobody), its explanation in English; `rule` is absent for duty decisions."""

    candidates: tuple[Candidate, ...]
    skipped: tuple[SkippedMember, ...]
    chosen: str | None
    explanation: str
    rule: str | None = field(default=None, metadata=_spelled(omit_none=True))

    @classmethod
    def of(cls, decision: LeadDecision | DutyDecision) -> Decision:
        return cls(
            tuple(Candidate(c.member, c.note) for c in decision.candidates),
            tuple(SkippedMember.of(s) for s in decision.skipped),
            decision.chosen,
            decision.explain(),
            decision.rule if isinstance(decision, LeadDecision) else None,
        )


@dataclass(frozen=True)
class Change(_Shape):
    """One field's value before and after: a list of codes, a text, a flag, or null."""

    before: FieldValue = field(metadata=_spelled("from"))
    after: FieldValue = field(metadata=_spelled("to"))


@dataclass(frozen=True)
class ProcedurePin(_Shape):
    """A procedure version as a case follows it: its id, version and the definition's sha256."""

    id: str
    version: str
    sha256: str

    @classmethod
    def of(cls, procedure: Procedure) -> ProcedurePin:
        return cls(procedure.id, procedure.version, procedure.sha256)


@dataclass(frozen=True)
class Imported(_Shape):
    """A step brought in by `case import`: who imported it, from which source and line, the
    case's external id, and the step's date as the file gave it with its precision (`2007-02`,
    `month`: known to the month only; the envelope's `at` is then the month's first day)."""

    actor: str
    source: str
    line: int
    external_id: str
    date: str
    precision: str


@dataclass(frozen=True)
class ImportedCase(Imported):
    """`Imported` on a case's `opened` entry, with where the file says the facts come from:
    its sources (URLs or citations)."""

    sources: tuple[str, ...]

    @classmethod
    def of(cls, mark: Imported, *, sources: Sequence[str]) -> ImportedCase:
        return cls(
            mark.actor, mark.source, mark.line, mark.external_id, mark.date, mark.precision, tuple(sources)
        )


# -- the declared kinds -------------------------------------------------------------------------
# Each: KIND and its fields, declared with their stored spelling (see `_spelled`).

_FROM = _spelled("from")


@dataclass(frozen=True)
class Opened(_Record):
    """A submission registered: a new case in `received`."""

    KIND: ClassVar[str] = "opened"

    title: str
    parties: tuple[PartyData, ...]
    themes: tuple[str, ...]
    host_countries: tuple[str, ...]
    sector: str | None
    guidelines_edition: str | None = field(metadata=_spelled(legacy=None))
    supporting_ncps: tuple[str, ...] = field(metadata=_spelled(legacy=()))
    deadlines_started: tuple[StartedDeadline, ...]
    recorded_at: datetime
    # The procedure version the case follows: absent from entries written before versions were
    # stored (issue 12), whose cases followed oecd-2023 version 1.
    procedure: ProcedurePin | None = field(default=None, metadata=_spelled(omit_none=True))
    absent: frozenset[str] = frozenset()  # keys an older version did not write
    imported: ImportedCase | None = field(  # absent unless brought in by `case import`
        default=None, metadata=_spelled(omit_none=True)
    )

    @classmethod
    def of(
        cls,
        event: CaseOpened,
        *,
        title: str,
        parties: Iterable[Party],
        details: CaseDetails,
        recorded_at: datetime,
        procedure: Procedure | None = None,
    ) -> Opened:
        return cls(
            title,
            tuple(PartyData.of(p) for p in parties),
            tuple(details.themes),
            tuple(details.host_countries),
            details.sector,
            details.guidelines_edition,
            tuple(details.supporting_ncps),
            tuple(StartedDeadline.of(s) for s in event.started),
            recorded_at,
            ProcedurePin.of(procedure) if procedure is not None else None,
        )


@dataclass(frozen=True)
class Transitioned(_Record):
    """A trigger fired: the case moved from `from_state` to `to_state` (the envelope)."""

    KIND: ClassVar[str] = "transitioned"

    trigger: str
    outcome: str | None
    deadlines_met: tuple[MetDeadline, ...]
    deadlines_started: tuple[StartedDeadline, ...]
    version: int
    recorded_at: datetime
    scope: str | None = field(  # absent from the data unless given (accept only)
        default=None, metadata=_spelled(omit_none=True)
    )
    # The result field the outcome is recorded in ("mediation_result", "determination", ...):
    # absent without an outcome, and from entries written before procedures were data.
    sets: str | None = field(default=None, metadata=_spelled(omit_none=True))
    imported: Imported | None = field(  # absent unless brought in by `case import`
        default=None, metadata=_spelled(omit_none=True)
    )

    @classmethod
    def of(cls, event: CaseTransitioned, *, version: int, recorded_at: datetime) -> Transitioned:
        return cls(
            str(event.trigger),
            str(event.outcome) if event.outcome else None,
            tuple(MetDeadline.of(m) for m in event.met),
            tuple(StartedDeadline.of(s) for s in event.started),
            version,
            recorded_at,
            event.scope,
            event.sets,
        )


@dataclass(frozen=True)
class Migrated(_Record):
    """The case moved to another procedure version (`case migrate`); the envelope's states are
    its state before and after, `mapping` the state mapping given (old -> new)."""

    KIND: ClassVar[str] = "migrated"

    source: ProcedurePin = field(metadata=_FROM)
    target: ProcedurePin = field(metadata=_spelled("to"))
    mapping: Mapping[str, str]
    deadlines_met: tuple[MetDeadline, ...]
    deadlines_started: tuple[StartedDeadline, ...]
    version: int
    recorded_at: datetime

    @classmethod
    def of(cls, event: CaseMigrated, *, version: int, recorded_at: datetime) -> Migrated:
        return cls(
            ProcedurePin.of(event.source),
            ProcedurePin.of(event.target),
            dict(event.mapping),
            tuple(MetDeadline.of(m) for m in event.met),
            tuple(StartedDeadline.of(s) for s in event.started),
            version,
            recorded_at,
        )


@dataclass(frozen=True)
class Edited(_Record):
    """Descriptive fields changed: only the fields that changed are listed."""

    KIND: ClassVar[str] = "edited"
    FIELDS: ClassVar[tuple[str, ...]] = (
        "themes",
        "host_countries",
        "sector",
        "guidelines_edition",
        "supporting_ncps",
    )

    changes: Mapping[str, Change]
    version: int
    recorded_at: datetime


@dataclass(frozen=True)
class Paused(_Record):
    """The clock stopped (the reason in the envelope)."""

    KIND: ClassVar[str] = "paused"

    requested_by: str | None
    version: int
    recorded_at: datetime


@dataclass(frozen=True)
class Resumed(_Record):
    """The clock restarted: open deadlines moved on by the whole days paused."""

    KIND: ClassVar[str] = "resumed"

    paused_days: int
    moved: tuple[MovedDue, ...]
    version: int
    recorded_at: datetime


@dataclass(frozen=True)
class Extended(_Record):
    """One deadline given more time."""

    KIND: ClassVar[str] = "extended"

    deadline: str
    amount: str
    moved: tuple[MovedDue, ...]
    version: int
    recorded_at: datetime


@dataclass(frozen=True)
class FactRecorded(_Record):
    """A dated fact recorded beside the steps (the note in the envelope's reason): it happened
    `on` that day; deadlines counted from it started."""

    KIND: ClassVar[str] = "fact_recorded"

    fact: str
    on: date
    deadlines_started: tuple[StartedDeadline, ...]
    version: int
    recorded_at: datetime
    by: str | None = field(default=None, metadata=_spelled(omit_none=True))  # who requested it
    # Deadlines the fact meets (a deadline's `met_by`: coordination by lead_agreed); absent: none.
    deadlines_met: tuple[MetDeadline, ...] | None = field(default=None, metadata=_spelled(omit_none=True))

    @classmethod
    def of(cls, event: FactEvent, *, version: int) -> FactRecorded:
        return cls(
            event.fact,
            event.on,
            tuple(StartedDeadline.of(s) for s in event.started),
            version,
            event.at,
            event.by,
            tuple(MetDeadline.of(m) for m in event.met) or None,
        )


@dataclass(frozen=True)
class Alert(_Record):
    """An alert rung fired for a deadline; its e-mails were queued."""

    KIND: ClassVar[str] = "alert"

    case: str
    deadline: str
    rung: str
    due: date
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class Notified(_Record):
    """An e-mail from the outbox was accepted by the mail server."""

    KIND: ClassVar[str] = "notified"

    outbox_id: int
    message_id: str
    recipient: str
    attempts: int


@dataclass(frozen=True)
class MembersSynced(_Record):
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
        return cls(
            tuple(changes.added),
            {k: tuple(v) for k, v in changes.changed.items()},
            tuple(changes.deactivated),
            tuple(changes.reactivated),
            changes.reordered,
            tuple(members),
        )


@dataclass(frozen=True)
class _NewCaseLead(_Record):
    """The rotation's decision for a new case, on its date of receipt."""

    mode: str
    on: date
    decision: Decision = field(metadata=_spelled(inline=True))
    notified: tuple[str, ...]
    recorded_at: datetime


@dataclass(frozen=True)
class LeadAssigned(_NewCaseLead):
    """A new case's lead, chosen by the rotation."""

    KIND: ClassVar[str] = "lead_assigned"


@dataclass(frozen=True)
class LeadUnassigned(_NewCaseLead):
    """A new case nobody may lead: it opened without a lead (`chosen` is null)."""

    KIND: ClassVar[str] = "lead_unassigned"


def new_case_lead(
    *, mode: str, on: date, decision: LeadDecision, notified: Sequence[str], recorded_at: datetime
) -> LeadAssigned | LeadUnassigned:
    """`lead_assigned` when the rotation chose someone, else `lead_unassigned`."""
    made = LeadAssigned if decision.chosen is not None else LeadUnassigned
    return made(mode, on, Decision.of(decision), tuple(notified), recorded_at)


@dataclass(frozen=True)
class LeadReassigned(_Record):
    """The case given to another member by hand (`override`: despite a reason not to)."""

    KIND: ClassVar[str] = "lead_reassigned"

    from_: str | None = field(metadata=_FROM)
    to: str
    override: bool
    overridden: tuple[SkippedMember, ...]
    explanation: str
    notified: tuple[str, ...]
    version: int
    recorded_at: datetime


@dataclass(frozen=True)
class LeadRecused(_Record):
    """The lead stepped aside; the rotation chose the next lead (or nobody)."""

    KIND: ClassVar[str] = "lead_recused"

    member: str
    mode: str
    decision: Decision = field(metadata=_spelled(inline=True))
    notified: tuple[str, ...]
    version: int
    recorded_at: datetime


@dataclass(frozen=True)
class DutyRotated(_Record):
    """Periodic mode: duty handed on to the next member until `until`."""

    KIND: ClassVar[str] = "duty_rotated"

    from_: str | None = field(metadata=_FROM)
    to: str
    until: datetime
    every: str
    forced: bool
    decision: Decision = field(metadata=_spelled(inline=True))


@dataclass(frozen=True)
class LeadAlert(_Record):
    """The chair (or the secretariat) told that an open case's lead may no longer lead it."""

    KIND: ClassVar[str] = "lead_alert"

    case: str
    lead: str
    problems: tuple[SkippedMember, ...]
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class UserAdded(_Record):
    """A user of the web app and API created, with a first API token (its listed id)."""

    KIND: ClassVar[str] = "user_added"

    user: str
    role: str
    member: str | None
    token: str | None = field(  # absent from entries written before API tokens were listed
        default=None, metadata=_spelled(legacy=None)
    )
    mediator: str | None = field(default=None, metadata=_spelled(omit_none=True))  # role mediator
    absent: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PasswordSet(_Record):
    """A user's password set or changed (the password itself is never recorded)."""

    KIND: ClassVar[str] = "password_set"

    user: str
    sessions_ended: int = field(  # absent from entries written before server-side sessions
        default=0, metadata=_spelled(legacy=0)
    )
    absent: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ExportRevealed(_Record):
    """An audit export with confidential identities as stored (`--reveal`)."""

    KIND: ClassVar[str] = "audit_export_revealed"

    case: str | None
    from_: date | None = field(metadata=_FROM)
    to: date | None


# -- users, tokens, second factor and sign-in (server-side sessions, issue 10) ------------------


@dataclass(frozen=True)
class _UserSessions(_Record):
    """A user changed, and how many of their sessions that ended."""

    user: str
    sessions_ended: int


@dataclass(frozen=True)
class UserDisabled(_UserSessions):
    """A user disabled: every session ended; tokens and sign-in refused."""

    KIND: ClassVar[str] = "user_disabled"


@dataclass(frozen=True)
class UserEnabled(_UserSessions):
    """A disabled user enabled again (`sessions_ended` is 0)."""

    KIND: ClassVar[str] = "user_enabled"


@dataclass(frozen=True)
class TokenIssued(_Record):
    """A new API token for a user (the token itself is never recorded, only its listed id)."""

    KIND: ClassVar[str] = "token_issued"

    user: str
    token: str


@dataclass(frozen=True)
class TokenRevoked(_Record):
    """One API token of a user revoked (`token` null: all of them)."""

    KIND: ClassVar[str] = "token_revoked"

    user: str
    token: str | None
    revoked: int


@dataclass(frozen=True)
class TotpEnrolled(_Record):
    """A second factor (TOTP) enrolled for a user; the secret is never recorded."""

    KIND: ClassVar[str] = "totp_enrolled"

    user: str


@dataclass(frozen=True)
class TotpRemoved(_Record):
    """A user's second factor removed."""

    KIND: ClassVar[str] = "totp_removed"

    user: str


@dataclass(frozen=True)
class SignInFailed(_Record):
    """A sign-in refused (wrong name, password or one-time code; `reason` says which)."""

    KIND: ClassVar[str] = "sign_in_failed"

    user: str
    address: str


@dataclass(frozen=True)
class SignInThrottled(_Record):
    """Too many failed sign-ins: the user name or the client address is locked out a while."""

    KIND: ClassVar[str] = "sign_in_throttled"

    user: str
    address: str
    locked: str


# -- members' leave and conflicts set in the browser (issue 13) ----------------------------------


@dataclass(frozen=True)
class _MemberLeave(_Record):
    """A member's leave period set in the browser (both days included)."""

    member: str
    setting: int
    from_: date = field(metadata=_FROM)
    to: date


@dataclass(frozen=True)
class MemberLeaveAdded(_MemberLeave):
    """A leave period set for a member in the browser; the rotation skips them on those days."""

    KIND: ClassVar[str] = "member_leave_added"


@dataclass(frozen=True)
class MemberLeaveRemoved(_MemberLeave):
    """A leave period set in the browser removed."""

    KIND: ClassVar[str] = "member_leave_removed"


@dataclass(frozen=True)
class _MemberConflict(_Record):
    """A member's declared conflict set in the browser: a party's name, its organisation number,
    or both; `soft`: may take part, never lead."""

    member: str
    setting: int
    name: str | None
    org_number: str | None
    soft: bool


@dataclass(frozen=True)
class MemberConflictAdded(_MemberConflict):
    """A conflict declared for a member in the browser (`reason` says why)."""

    KIND: ClassVar[str] = "member_conflict_added"


@dataclass(frozen=True)
class MemberConflictRemoved(_MemberConflict):
    """A conflict declared in the browser removed."""

    KIND: ClassVar[str] = "member_conflict_removed"


# -- calendar subscription URLs (issue 13) -------------------------------------------------------


@dataclass(frozen=True)
class CalendarFeedMade(_Record):
    """A user's calendar subscription URL made (the token in it is never recorded, only its
    listed id); `replaced`, the listed id of the URL it revoked, if there was one."""

    KIND: ClassVar[str] = "calendar_feed_made"

    user: str
    feed: str
    language: str
    scope: str
    replaced: str | None


@dataclass(frozen=True)
class CalendarFeedRevoked(_Record):
    """A user's calendar subscription URL revoked: it answers 404 from now on."""

    KIND: ClassVar[str] = "calendar_feed_revoked"

    user: str
    feed: str


# -- a network of NCPs (issue 16) ----------------------------------------------------------------


@dataclass(frozen=True)
class NetworkFiguresPublished(_Record):
    """The NCP published its year's figures to the network (`ncpflow network publish`): counts
    and the number of day counts only, what the network role reads (states/network.py)."""

    KIND: ClassVar[str] = "network_figures_published"

    year: int
    received: int
    accepted: int
    not_accepted: int
    concluded: int
    agreement: int
    days_counted: int


# -- party links (issue 15) ---------------------------------------------------------------------


@dataclass(frozen=True)
class PartyLinkIssued(_Record):
    """A party's link to the case issued (the token in it is never recorded, only the link's
    number); `sent_to`, the contacts it was e-mailed to (their numbers), if any."""

    KIND: ClassVar[str] = "party_link_issued"

    link: int
    party: str
    expires_at: datetime
    sent_to: tuple[int, ...] = ()


@dataclass(frozen=True)
class PartyLinkRevoked(_Record):
    """A party's link revoked: it no longer opens."""

    KIND: ClassVar[str] = "party_link_revoked"

    link: int
    party: str


# -- a case's issues (partial acceptance, issue 12) ----------------------------------------------


@dataclass(frozen=True)
class IssueAdded(_Record):
    """An issue of the case recorded: its number, title and Guidelines chapters (undecided)."""

    KIND: ClassVar[str] = "issue_added"

    number: int
    title: str
    chapters: tuple[str, ...]
    recorded_at: datetime
    imported: Imported | None = field(  # absent unless brought in by `case import`
        default=None, metadata=_spelled(omit_none=True)
    )


@dataclass(frozen=True)
class IssueDecided(_Record):
    """An issue accepted or not (`decision`), on the NCP-local day `on`."""

    KIND: ClassVar[str] = "issue_decided"

    number: int
    decision: str
    on: date
    recorded_at: datetime
    imported: Imported | None = field(  # absent unless brought in by `case import`
        default=None, metadata=_spelled(omit_none=True)
    )


@dataclass(frozen=True)
class IssueConcluded(_Record):
    """An accepted issue's own outcome, on the NCP-local day `on`."""

    KIND: ClassVar[str] = "issue_concluded"

    number: int
    outcome: str
    on: date
    recorded_at: datetime
    imported: Imported | None = field(  # absent unless brought in by `case import`
        default=None, metadata=_spelled(omit_none=True)
    )


# -- a case's internal notes (issue 14) ----------------------------------------------------------


@dataclass(frozen=True)
class NoteAdded(_Record):
    """An internal note written down on the case (states/notes.py): its number, the sha256 of
    its text (UTF-8) and its length in characters, never the text itself (auditors read the
    log; they may not read notes); `replaces`, the earlier note it corrects. The envelope's `at`
    is when the note was written, `recorded_at` when it was put into ncpflow."""

    KIND: ClassVar[str] = "note_added"

    number: int
    sha256: str
    length: int
    recorded_at: datetime
    replaces: int | None = field(default=None, metadata=_spelled(omit_none=True))


# -- a case's documents (issue 14) ---------------------------------------------------------------


@dataclass(frozen=True)
class DocumentAdded(_Record):
    """A document, or a new version of one, filed on a case: its metadata and the sha256 of its
    content, so the chain binds the bytes filed (`audit verify` hashes the stored content again)."""

    KIND: ClassVar[str] = "document_added"

    number: int
    version: int
    title: str
    direction: str
    party: str | None
    access: str
    exemption: str | None
    filename: str
    media_type: str
    size: int
    sha256: str


# -- a case's parties and their contacts (issue 14) --------------------------------------------


@dataclass(frozen=True)
class PartyAdded(_Record):
    """A party added to an open case: its key (the next of its role) and what was registered."""

    KIND: ClassVar[str] = "party_added"

    key: str
    party: PartyData = field(metadata=_spelled(inline=True))
    reprisal_risk: bool
    recorded_at: datetime
    measures: str | None = field(default=None, metadata=_spelled(omit_none=True))


@dataclass(frozen=True)
class PartyChanged(_Record):
    """A party's name, type, organisation number, withheld identity, reprisal risk or measures
    changed: only the fields that changed, each from and to."""

    KIND: ClassVar[str] = "party_changed"
    FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "type",
        "org_number",
        "confidential",
        "reprisal_risk",
        "measures",
    )

    key: str
    changes: Mapping[str, Change]
    recorded_at: datetime


@dataclass(frozen=True)
class ContactAdded(_Record):
    """A representative or contact of a party added: its number and details."""

    KIND: ClassVar[str] = "contact_added"

    party: str
    number: int
    role: str
    name: str
    email: str | None
    address: str | None
    language: str
    channel: str
    recorded_at: datetime


@dataclass(frozen=True)
class ContactChanged(_Record):
    """A contact's details changed: only the fields that changed, each from and to."""

    KIND: ClassVar[str] = "contact_changed"
    FIELDS: ClassVar[tuple[str, ...]] = ("role", "name", "email", "address", "language", "channel")

    party: str
    number: int
    changes: Mapping[str, Change]
    recorded_at: datetime


@dataclass(frozen=True)
class ContactRemoved(_Record):
    """A contact removed from its party (its number is never given again)."""

    KIND: ClassVar[str] = "contact_removed"

    party: str
    number: int
    name: str
    recorded_at: datetime


# -- correspondence and letters (issue 14) -------------------------------------------------------


@dataclass(frozen=True)
class CorrespondenceLogged(_Record):
    """A communication with a party logged (`correspondence add`, or a letter sent): the entry's
    `at` is when it happened; `subject` is free text (redacted like any other)."""

    KIND: ClassVar[str] = "correspondence_logged"

    number: int
    direction: str
    party: str
    channel: str
    subject: str
    documents: tuple[int, ...]
    recorded_at: datetime
    letter: int | None = field(default=None, metadata=_spelled(omit_none=True))  # a letter sent


@dataclass(frozen=True)
class PartyUpdateDue(_Record):
    """A party of an open case has had no outgoing correspondence for `[parties] update_every`:
    its lead (else the secretariat) was reminded by e-mail, once for this silent period."""

    KIND: ClassVar[str] = "party_update_due"

    case: str
    party: str
    since: datetime
    due: date
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class LetterDrafted(_Record):
    """A letter to a party drafted from its kind's template: its DOCX and PDF filed as documents
    of the case (their own `document_added` entries precede this one)."""

    KIND: ClassVar[str] = "letter_drafted"

    number: int
    letter_kind: str = field(metadata=_spelled("kind"))
    party: str
    language: str
    docx: int
    pdf: int
    notice: str | None = field(default=None, metadata=_spelled(omit_none=True))  # queued by a step


@dataclass(frozen=True)
class LetterEdited(_Record):
    """A draft letter's text edited: new versions of its DOCX and PDF documents."""

    KIND: ClassVar[str] = "letter_edited"

    number: int
    docx_version: int
    pdf_version: int


@dataclass(frozen=True)
class LetterSent(_Record):
    """A letter sent: by e-mail (its outbox messages queued, one per recipient) or by post; its
    final DOCX and PDF versions filed, its correspondence entry logged, in one transaction."""

    KIND: ClassVar[str] = "letter_sent"

    number: int
    channel: str
    recipients: tuple[str, ...]
    outbox: tuple[int, ...]
    correspondence: int
    docx_version: int
    pdf_version: int
    pdf_sha256: str


# -- external mediators (issue 15) ---------------------------------------------------------------


@dataclass(frozen=True)
class MediatorAdded(_Record):
    """An external mediator added to the register (states/mediators.py), with the conflicts it
    declared: each `name` or `name (org. no. N)` or `(org. no. N)`."""

    KIND: ClassVar[str] = "mediator_added"

    mediator: str
    name: str
    organisation: str | None = field(metadata=_spelled(omit_none=True))
    languages: tuple[str, ...]
    conflicts: tuple[str, ...]
    soft_conflicts: tuple[str, ...]


@dataclass(frozen=True)
class MediatorChanged(_Record):
    """A mediator's register entry changed: which fields (`active` false: made inactive)."""

    KIND: ClassVar[str] = "mediator_changed"

    mediator: str
    fields: tuple[str, ...]
    active: bool


@dataclass(frozen=True)
class MediatorAssigned(_Record):
    """A mediator assigned to the case; `conflicts`, the conflicts with the case's parties found
    then (`submitter-1: hard conflict with "Name"`); `override`, why a hard one was overridden."""

    KIND: ClassVar[str] = "mediator_assigned"

    mediator: str
    conflicts: tuple[str, ...]
    override: str | None = field(default=None, metadata=_spelled(omit_none=True))


@dataclass(frozen=True)
class MediatorUnassigned(_Record):
    """A mediator no longer assigned to the case (its account no longer sees the case)."""

    KIND: ClassVar[str] = "mediator_unassigned"

    mediator: str


@dataclass(frozen=True)
class MediationSessionRecorded(_Record):
    """A mediation session recorded: its number in the case, when it starts (UTC), its format
    (in_person, video, phone, hybrid), place, interpreters' languages and attendees (party keys
    and others' names). The session's notes are NCP-internal and never in the log."""

    KIND: ClassVar[str] = "mediation_session_recorded"

    number: int
    starts_at: datetime
    format: str
    place: str | None = field(metadata=_spelled(omit_none=True))
    interpreters: tuple[str, ...]
    attendees: tuple[str, ...]


# -- the NCPs of a case (issue 16) ----------------------------------------------------------------


@dataclass(frozen=True)
class LeadSet(_Record):
    """The lead NCP recorded (states/ncp_roles.py): `lead`, one code or two leading jointly;
    `previous`, who led before (the database's own NCP when none was recorded)."""

    KIND: ClassVar[str] = "ncp_lead_set"

    lead: tuple[str, ...]
    previous: tuple[str, ...]


@dataclass(frozen=True)
class LeadTransferred(_Record):
    """The lead handed over to `lead` from `previous`; `kept_as`, the role the NCPs that led keep
    as supporting NCPs (absent: they left the case)."""

    KIND: ClassVar[str] = "ncp_lead_transferred"

    lead: str
    previous: tuple[str, ...]
    kept_as: str | None = field(default=None, metadata=_spelled(omit_none=True))


@dataclass(frozen=True)
class SupportingAdded(_Record):
    """A supporting NCP added in `role` (consulted, reviews_drafts, translates)."""

    KIND: ClassVar[str] = "ncp_supporting_added"

    ncp: str
    role: str


@dataclass(frozen=True)
class SupportingChanged(_Record):
    """A supporting NCP's role changed from `previous` to `role`."""

    KIND: ClassVar[str] = "ncp_role_changed"

    ncp: str
    role: str
    previous: str


@dataclass(frozen=True)
class SupportingRemoved(_Record):
    """An NCP no longer supports the case; `role`, the one it had."""

    KIND: ClassVar[str] = "ncp_supporting_removed"

    ncp: str
    role: str


@dataclass(frozen=True)
class LeadPreferred(_Record):
    """The complainant's preference for the lead NCP (its note, if any, in the envelope's
    reason)."""

    KIND: ClassVar[str] = "ncp_lead_preferred"

    ncp: str


@dataclass(frozen=True)
class ReviewRequested(_Record):
    """A review task: supporting NCP `ncp` asked to review statement `statement` by `due`."""

    KIND: ClassVar[str] = "review_requested"

    task: int
    ncp: str
    statement: int
    due: date


@dataclass(frozen=True)
class ReviewRecorded(_Record):
    """A review task answered by its comment, given `on` that day: the comment's sha256 and
    length, never its text (NCP-internal)."""

    KIND: ClassVar[str] = "review_recorded"

    task: int
    ncp: str
    statement: int
    on: date
    sha256: str
    length: int


@dataclass(frozen=True)
class ReviewDue(_Record):
    """An alert about an open review task at one rung of its due date (`before-7d`, `due`,
    `overdue-1`, ...), with the recipients' keys."""

    KIND: ClassVar[str] = "review_due"

    task: int
    ncp: str
    due: date
    rung: str
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class StatementDrafted(_Record):
    """A statement drafted from its kind's template: its DOCX and PDF filed as documents of the
    case, internal until published (their own `document_added` entries precede this one)."""

    KIND: ClassVar[str] = "statement_drafted"

    number: int
    statement_kind: str = field(metadata=_spelled("kind"))
    language: str
    docx: int
    pdf: int


@dataclass(frozen=True)
class StatementEdited(_Record):
    """A statement's DOCX edited in Word and uploaded: new versions of its DOCX and PDF."""

    KIND: ClassVar[str] = "statement_edited"

    number: int
    docx_version: int
    pdf_version: int


@dataclass(frozen=True)
class StatementCirculated(_Record):
    """A comment round opened: version `version` of the statement's PDF document sent to the
    parties (by key) with a window ending on `due`; the outbox messages queued and the
    correspondence entries logged in the same transaction."""

    KIND: ClassVar[str] = "statement_circulated"

    round: int
    statement: int
    document: int
    version: int
    parties: tuple[str, ...]
    days: int
    due: date
    outbox: tuple[int, ...]
    correspondence: tuple[int, ...]


@dataclass(frozen=True)
class CommentReceived(_Record):
    """A comment received in a round from a party (via e-mail, post or its link): the sha256 of
    its text (never the text) and the document filed with it."""

    KIND: ClassVar[str] = "comment_received"

    round: int
    number: int
    party: str
    via: str
    text_sha256: str | None = field(default=None, metadata=_spelled(omit_none=True))
    document: int | None = field(default=None, metadata=_spelled(omit_none=True))


@dataclass(frozen=True)
class CommentRoundClosed(_Record):
    """A comment round closed: early by the lead (`closed`), or by the sweep once its window
    ended (`ended`); the comments it received."""

    KIND: ClassVar[str] = "comment_round_closed"

    round: int
    why: str
    comments: int


@dataclass(frozen=True)
class StatementPublished(_Record):
    """A statement published: its final PDF filed as version `version` of document `document`,
    access public, direction out; `fired` what the procedure declared for its kind
    (`fact:NAME`, `trigger:NAME`), whose own entry follows in the same transaction."""

    KIND: ClassVar[str] = "statement_published"

    number: int
    statement_kind: str = field(metadata=_spelled("kind"))
    document: int
    version: int
    sha256: str
    fired: str | None = field(default=None, metadata=_spelled(omit_none=True))


# -- company engagement (issue 15) ---------------------------------------------------------------


@dataclass(frozen=True)
class EngagementInvited(_Record):
    """An enterprise party invited (states/engagement.py): to what, over which channel, and the
    day an answer is due. The envelope's `at` is when the invitation was sent."""

    KIND: ClassVar[str] = "engagement_invited"

    number: int
    party: str
    invited_to: str
    channel: str
    respond_by: date
    recorded_at: datetime


@dataclass(frozen=True)
class EngagementResponded(_Record):
    """A response to invitation `invitation` recorded: accepted, declined (with its reason codes)
    or no response. The envelope's `at` is when the answer came."""

    KIND: ClassVar[str] = "engagement_responded"

    number: int
    invitation: int
    response: str
    reasons: tuple[str, ...]
    recorded_at: datetime


@dataclass(frozen=True)
class GoodFaithConcernRaised(_Record):
    """A concern about good faith raised by one side (`enterprise`, `submitter`): the sha256 of
    its text (UTF-8) and its length, never the text (NCP-internal, like a note)."""

    KIND: ClassVar[str] = "good_faith_concern_raised"

    number: int
    side: str
    sha256: str
    length: int
    recorded_at: datetime


# -- follow-up of commitments (issue 15) ------------------------------------------------------


@dataclass(frozen=True)
class CommitmentRecorded(_Record):
    """A commitment of an agreement or a recommendation of a statement recorded on the case
    (states/commitments.py); `text` is free text (redacted like any other)."""

    KIND: ClassVar[str] = "commitment_recorded"

    number: int
    source: str
    owner: str
    text: str
    made_on: date
    recorded_at: datetime
    party: str | None = field(default=None, metadata=_spelled(omit_none=True))
    document: int | None = field(default=None, metadata=_spelled(omit_none=True))
    due: date | None = field(default=None, metadata=_spelled(omit_none=True))


@dataclass(frozen=True)
class CommitmentStatusSet(_Record):
    """A status entry appended to a commitment's history: the status, the day it holds from, a
    note (free text) and the numbers of the case's documents that are its evidence (filed in the
    same transaction, their own `document_added` entries first, or filed before)."""

    KIND: ClassVar[str] = "commitment_status_set"

    commitment: int
    seq: int
    status: str
    on: date
    evidence: tuple[int, ...]
    recorded_at: datetime
    note: str | None = field(default=None, metadata=_spelled(omit_none=True))


@dataclass(frozen=True)
class UpdateRequested(_Record):
    """A party asked for news of its commitments by `due`: the e-mails queued (outbox ids) to
    its contacts (`recipients`, their numbers) and the correspondence entry logging it."""

    KIND: ClassVar[str] = "update_requested"

    number: int
    party: str
    commitments: tuple[int, ...]
    due: date
    recipients: tuple[str, ...]
    outbox: tuple[int, ...]
    correspondence: int


@dataclass(frozen=True)
class UpdateRequestDue(_Record):
    """An update request not yet answered reached a rung of `[alerts]` (a reminder before its
    due date, the day itself, overdue): the case's lead and the secretariat were alerted by
    e-mail, once per rung."""

    KIND: ClassVar[str] = "update_request_due"

    number: int
    party: str
    due: date
    rung: str
    recipients: tuple[str, ...]


# -- related instances (issue 16) ---------------------------------------------------------------


@dataclass(frozen=True)
class CaseLinked(_Record):
    """A link to a related case made (states/case_links.py), written on each local case it joins
    (in one transaction): `relation` as it reads from the entry's case (parallel, follow_on,
    followed_by, same_facts), and the other end: `linked_case`, a case here, or `ncp` (an ISO
    3166 code) with `external_reference` and optionally `url`. No party's name."""

    KIND: ClassVar[str] = "case_linked"

    number: int
    relation: str
    linked_case: str | None = field(default=None, metadata=_spelled(omit_none=True))
    ncp: str | None = field(default=None, metadata=_spelled(omit_none=True))
    external_reference: str | None = field(default=None, metadata=_spelled(omit_none=True))
    url: str | None = field(default=None, metadata=_spelled(omit_none=True))


@dataclass(frozen=True)
class CaseUnlinked(_Record):
    """Link `number` removed, written on each local case it joined; the other end named as in
    `case_linked` (without the address). The envelope's reason is the one given, if any."""

    KIND: ClassVar[str] = "case_unlinked"

    number: int
    relation: str
    linked_case: str | None = field(default=None, metadata=_spelled(omit_none=True))
    ncp: str | None = field(default=None, metadata=_spelled(omit_none=True))
    external_reference: str | None = field(default=None, metadata=_spelled(omit_none=True))


# -- stage checklists (issue 17) -------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistTicked(_Record):
    """An item of the case's current stage's checklist ticked (states/checklists.py): the item's
    id and the stage whose checklist holds it. The envelope's `at` is when it was ticked;
    `recorded_at`, only on a mark back-dated with `--at`, when it was put into ncpflow."""

    KIND: ClassVar[str] = "checklist_ticked"

    item: str
    stage: str
    recorded_at: datetime | None = field(default=None, metadata=_spelled(omit_none=True))


@dataclass(frozen=True)
class ChecklistUnticked(_Record):
    """A ticked item of the case's current stage's checklist unticked again."""

    KIND: ClassVar[str] = "checklist_unticked"

    item: str
    stage: str
    recorded_at: datetime | None = field(default=None, metadata=_spelled(omit_none=True))


# -- the registry -------------------------------------------------------------------------------

# -- case bundles between NCPs (issue 16) ------------------------------------------------------------


@dataclass(frozen=True)
class BundleSent(_Record):
    """A case bundle written for another NCP (states/bundles.py, docs/bundle-format.md): its kind
    (`share`, `handover`), the recipient's code, its sequence in the case pair, the SHA-256 of the
    bundle file and of the one sent before it, the signing key's fingerprint and the numbers of
    the documents it carries."""

    KIND: ClassVar[str] = "bundle_sent"

    bundle: str
    to: str
    sequence: int
    sha256: str
    key: str
    documents: tuple[int, ...]
    previous: str | None = field(default=None, metadata=_spelled(omit_none=True))
    peer_reference: str | None = field(default=None, metadata=_spelled(omit_none=True))


@dataclass(frozen=True)
class BundleReceived(_Record):
    """A case bundle received from another NCP and taken in: the sender's code and its reference
    of the case (the link), the bundle's kind, sequence, SHA-256 and previous hash, the key it was
    verified with, the numbers the documents it carried were filed under here, and whether the
    case was opened by it."""

    KIND: ClassVar[str] = "bundle_received"

    bundle: str
    sender: str
    peer_reference: str
    sequence: int
    sha256: str
    key: str
    documents: tuple[int, ...]
    opened: bool
    previous: str | None = field(default=None, metadata=_spelled(omit_none=True))


DeclaredRecord = (
    Opened
    | Transitioned
    | Migrated
    | Edited
    | Paused
    | Resumed
    | Extended
    | FactRecorded
    | Alert
    | Notified
    | MembersSynced
    | LeadAssigned
    | LeadUnassigned
    | LeadReassigned
    | LeadRecused
    | DutyRotated
    | LeadAlert
    | UserAdded
    | PasswordSet
    | ExportRevealed
    | UserDisabled
    | UserEnabled
    | TokenIssued
    | TokenRevoked
    | TotpEnrolled
    | TotpRemoved
    | SignInFailed
    | SignInThrottled
    | IssueAdded
    | IssueDecided
    | IssueConcluded
    | MemberLeaveAdded
    | MemberLeaveRemoved
    | MemberConflictAdded
    | MemberConflictRemoved
    | CalendarFeedMade
    | CalendarFeedRevoked
    | NetworkFiguresPublished
    | PartyLinkIssued
    | PartyLinkRevoked
    | NoteAdded
    | DocumentAdded
    | PartyAdded
    | PartyChanged
    | ContactAdded
    | ContactChanged
    | ContactRemoved
    | CorrespondenceLogged
    | PartyUpdateDue
    | LetterDrafted
    | LetterEdited
    | LetterSent
    | MediatorAdded
    | MediatorChanged
    | MediatorAssigned
    | MediatorUnassigned
    | MediationSessionRecorded
    | StatementDrafted
    | StatementEdited
    | StatementCirculated
    | CommentReceived
    | CommentRoundClosed
    | StatementPublished
    | CommitmentRecorded
    | CommitmentStatusSet
    | UpdateRequested
    | UpdateRequestDue
    | EngagementInvited
    | EngagementResponded
    | GoodFaithConcernRaised
    | BundleSent
    | BundleReceived
    | LeadSet
    | LeadTransferred
    | SupportingAdded
    | SupportingChanged
    | SupportingRemoved
    | LeadPreferred
    | ReviewRequested
    | ReviewRecorded
    | ReviewDue
    | CaseLinked
    | CaseUnlinked
    | ChecklistTicked
    | ChecklistUnticked
)

_READERS: dict[str, Callable[[_Reader], DeclaredRecord]] = {
    made.KIND: made.from_data for made in get_args(DeclaredRecord)
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
