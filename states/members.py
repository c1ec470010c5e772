"""Who a member is, and why one may not lead a case: conflicts, leave, recusal. Pure values.

A hard conflict with a party keeps a member out of the case; a soft conflict lets them take part
but never lead; leave counts on the day in question; names compare case- and
whitespace-insensitively, and organisation numbers on letters and digits, where both sides give one.
Also: who takes part in a case (its panel), and what bringing config's members in would change.

Where a member's leave and conflicts come from: config.toml (`[[members]]`, brought in by
`members sync`) and the browser (a `MemberSetting`, kept in the database). Both count: a
member is away when either gives a period covering the day, conflicted when either declares
the party (`with_settings`). A sync replaces only config's values and never touches a value set
in the browser; that one stays until removed in the browser. A value from config.toml changes
only when the file is edited and synced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from states.errors import InvalidInputError
from states.messages import ENGLISH, Translator
from states.rotation_wording import member_field, rotation_phrases


class Role(StrEnum):
    CHAIR = "chair"
    MEMBER = "member"


def normalise_name(text: str) -> str:
    """Names compare case- and whitespace-insensitively: "nordic metals  asa" is the same party."""
    return " ".join(text.casefold().split())


def normalise_org_number(text: str) -> str:
    """Organisation numbers compare on letters and digits only: "923 456 789" = "923456789"."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class NamedParty(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def org_number(self) -> str | None: ...


@dataclass(frozen=True)
class PartyMatch:
    """A declared conflict: a party name, an organisation number, or both (either one matches)."""

    name: str | None = None
    org_number: str | None = None

    def __post_init__(self) -> None:
        if not (self.name or "").strip() and not (self.org_number or "").strip():
            raise InvalidInputError("a conflict needs a party name or an organisation number")

    def matches(self, party: NamedParty) -> bool:
        return self.by_name(party) or self.by_org_number(party)

    def by_name(self, party: NamedParty) -> bool:
        return bool(self.name) and normalise_name(self.name or "") == normalise_name(party.name)

    def by_org_number(self, party: NamedParty) -> bool:
        if not self.org_number or not party.org_number:
            return False
        return normalise_org_number(self.org_number) == normalise_org_number(party.org_number)

    def describe(self, party: NamedParty, *, tr: Translator = ENGLISH) -> str:
        """As the skip reason shows it: the declared name, and the number when that matched."""
        shown = f'"{self.name or party.name}"'
        if not self.by_name(party) and self.by_org_number(party):
            shown += " " + rotation_phrases(tr).org_number.format(number=self.org_number)
        return shown

    def as_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "org_number": self.org_number}


@dataclass(frozen=True)
class Leave:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInputError(f"leave ends ({self.end}) before it starts ({self.start})")

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.describe()

    def describe(self, *, tr: Translator = ENGLISH) -> str:
        return rotation_phrases(tr).leave.format(start=self.start.isoformat(), end=self.end.isoformat())


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    email: str
    role: Role = Role.MEMBER
    language: str | None = None
    conflicts: tuple[PartyMatch, ...] = ()
    soft_conflicts: tuple[PartyMatch, ...] = ()
    leave: tuple[Leave, ...] = ()
    active: bool = True

    def leave_on(self, day: date) -> Leave | None:
        return next((period for period in self.leave if period.covers(day)), None)


class SettingKind(StrEnum):
    """What a value set in the browser is: a leave period, a hard or a soft conflict."""

    LEAVE = "leave"
    CONFLICT = "conflict"
    SOFT_CONFLICT = "soft_conflict"


@dataclass(frozen=True)
class MemberSetting:
    """A leave period or a declared conflict set in the browser (not in config.toml): kept in
    the database beside config's values, and never changed by a sync."""

    id: int
    member: str
    kind: SettingKind
    reason: str
    set_by: str
    set_at: datetime
    leave: Leave | None = None
    party: PartyMatch | None = None

    def __post_init__(self) -> None:
        if (self.kind is SettingKind.LEAVE) != (self.leave is not None) or (self.leave is None) == (
            self.party is None
        ):
            raise InvalidInputError("a leave setting holds a period, a conflict setting a party")


def with_settings(member: Member, settings: Iterable[MemberSetting]) -> Member:
    """The member the rotation decides on: config.toml's values and those set in the browser,
    both counting (config's first). Settings of other members are ignored."""
    mine = [s for s in settings if s.member == member.id]
    if not mine:
        return member
    return replace(
        member,
        conflicts=member.conflicts
        + tuple(s.party for s in mine if s.kind is SettingKind.CONFLICT and s.party is not None),
        soft_conflicts=member.soft_conflicts
        + tuple(s.party for s in mine if s.kind is SettingKind.SOFT_CONFLICT and s.party is not None),
        leave=member.leave + tuple(s.leave for s in mine if s.leave is not None),
    )


def already_declared(member: Member, kind: SettingKind, value: Leave | PartyMatch) -> bool:
    """Whether `member` (config's and browser-set values together) already has exactly this
    leave period or this conflict of this kind (names compared as the rotation compares them)."""
    if isinstance(value, Leave):
        return value in member.leave
    declared = member.conflicts if kind is SettingKind.CONFLICT else member.soft_conflicts
    key = (normalise_name(value.name or ""), normalise_org_number(value.org_number or ""))
    return any(
        (normalise_name(m.name or ""), normalise_org_number(m.org_number or "")) == key for m in declared
    )


class Reason(StrEnum):
    INACTIVE = "inactive"
    RECUSED = "recused"
    HARD_CONFLICT = "hard_conflict"
    SOFT_CONFLICT = "soft_conflict"
    ON_LEAVE = "on_leave"


@dataclass(frozen=True)
class Skip:
    """Why a member does not lead: `member-b: hard conflict with "Nordic Metals ASA"`."""

    member: str
    reason: Reason
    detail: str

    def __str__(self) -> str:
        return f"{self.member}: {self.detail}"

    def as_dict(self) -> dict[str, str]:
        return {"member": self.member, "reason": self.reason.value, "detail": self.detail}


def first_conflict(
    declared: Iterable[PartyMatch], parties: Sequence[NamedParty]
) -> tuple[PartyMatch, NamedParty] | None:
    """The first declared conflict that matches one of `parties`, and that party: the one rule
    for members and external mediators (states/mediators.py) alike."""
    for match in declared:
        for party in parties:
            if match.matches(party):
                return match, party
    return None


def _first_match(
    declared: Iterable[PartyMatch], parties: Sequence[NamedParty], tr: Translator = ENGLISH
) -> str | None:
    found = first_conflict(declared, parties)
    return found[0].describe(found[1], tr=tr) if found is not None else None


def reasons_not_to_lead(
    member: Member,
    *,
    parties: Sequence[NamedParty] = (),
    on: date,
    recused: frozenset[str] = frozenset(),
    tr: Translator = ENGLISH,
) -> tuple[Skip, ...]:
    """Every reason `member` may not lead a case with `parties` on day `on`, most serious first.

    The details are in `tr`'s words; what is stored (the audit, lead decisions) is always English.
    """
    words = rotation_phrases(tr)
    found: list[Skip] = []
    if not member.active:
        found.append(Skip(member.id, Reason.INACTIVE, words.inactive))
    if member.id in recused:
        found.append(Skip(member.id, Reason.RECUSED, words.recused))
    hard = _first_match(member.conflicts, parties, tr)
    if hard is not None:
        found.append(Skip(member.id, Reason.HARD_CONFLICT, words.hard_conflict.format(party=hard)))
    soft = _first_match(member.soft_conflicts, parties, tr)
    if soft is not None and hard is None:
        found.append(Skip(member.id, Reason.SOFT_CONFLICT, words.soft_conflict.format(party=soft)))
    away = member.leave_on(on)
    if away is not None:
        found.append(Skip(member.id, Reason.ON_LEAVE, words.on_leave.format(period=away.describe(tr=tr))))
    return tuple(found)


def why_not_lead(
    member: Member,
    *,
    parties: Sequence[NamedParty] = (),
    on: date,
    recused: frozenset[str] = frozenset(),
    tr: Translator = ENGLISH,
) -> Skip | None:
    reasons = reasons_not_to_lead(member, parties=parties, on=on, recused=recused, tr=tr)
    return reasons[0] if reasons else None


# -- who takes part in a case ---------------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    member: Member
    lead: bool
    note: str | None  # e.g. a soft conflict: takes part, never leads


def panel(
    members: Sequence[Member],
    *,
    parties: Sequence[NamedParty],
    lead: str | None,
    recused: frozenset[str] = frozenset(),
) -> tuple[tuple[Participant, ...], tuple[Skip, ...]]:
    """Active members taking part in a case, and those who do not (hard conflict, recused)."""
    taking: list[Participant] = []
    out: list[Skip] = []
    for member in members:
        if not member.active and member.id != lead:
            continue
        hard = _first_match(member.conflicts, parties)
        if member.id != lead and hard is not None:
            out.append(Skip(member.id, Reason.HARD_CONFLICT, f"hard conflict with {hard}"))
            continue
        if member.id != lead and member.id in recused:
            out.append(Skip(member.id, Reason.RECUSED, "recused from this case"))
            continue
        soft = _first_match(member.soft_conflicts, parties)
        note = f"soft conflict with {soft}: takes part, never leads" if soft else None
        taking.append(Participant(member, member.id == lead, note))
    return tuple(taking), tuple(out)


# -- bringing config into the database ------------------------------------------------------------

MEMBER_FIELDS = ("name", "email", "role", "language", "conflicts", "soft_conflicts", "leave")


@dataclass(frozen=True)
class MemberChanges:
    added: tuple[str, ...] = ()
    changed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    deactivated: tuple[str, ...] = ()
    reactivated: tuple[str, ...] = ()
    reordered: bool = False

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.deactivated or self.reactivated or self.reordered)

    def describe(self, *, tr: Translator = ENGLISH) -> str:
        """What changed, in `tr`'s words; stored text (no `tr`) names each field as it is, a
        reader's words name it in words ("e-mail", "inhabilitet")."""
        words = rotation_phrases(tr)
        field: Callable[[str], str] = str if tr is ENGLISH else lambda name: member_field(name, tr)
        if self.empty:
            return words.no_changes
        parts = []
        if self.added:
            parts.append(words.added.format(members=", ".join(self.added)))
        for member, fields in self.changed.items():
            parts.append(words.changed.format(member=member, fields=", ".join(map(field, fields))))
        if self.reactivated:
            parts.append(words.reactivated.format(members=", ".join(self.reactivated)))
        if self.deactivated:
            parts.append(words.deactivated.format(members=", ".join(self.deactivated)))
        if self.reordered:
            parts.append(words.reordered)
        return "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": list(self.added),
            "changed": {k: list(v) for k, v in self.changed.items()},
            "deactivated": list(self.deactivated),
            "reactivated": list(self.reactivated),
            "reordered": self.reordered,
        }


def plan_sync(stored: Sequence[Member], configured: Sequence[Member]) -> MemberChanges:
    """What bringing `configured` (config order) into `stored` changes. Nobody is ever deleted."""
    before = {m.id: m for m in stored}
    wanted = {m.id for m in configured}
    added, reactivated = [], []
    changed: dict[str, tuple[str, ...]] = {}
    for member in configured:
        old = before.get(member.id)
        if old is None:
            added.append(member.id)
            continue
        if not old.active:
            reactivated.append(member.id)
        fields = tuple(f for f in MEMBER_FIELDS if getattr(old, f) != getattr(member, f))
        if fields:
            changed[member.id] = fields
    deactivated = tuple(m.id for m in stored if m.active and m.id not in wanted)
    kept = [m.id for m in stored if m.active and m.id in wanted]
    reordered = kept != [m.id for m in configured if m.id in set(kept)]
    return MemberChanges(
        added=tuple(added),
        changed=changed,
        deactivated=deactivated,
        reactivated=tuple(reactivated),
        reordered=reordered,
    )
