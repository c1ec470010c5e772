"""External mediators: the register, their conflicts with a case's parties, assignments to cases
and mediation sessions. Pure values.

A mediator declares hard and soft conflicts as members do (a party's name, its organisation
number, or both: `states.members.PartyMatch`, matched by the same rule,
`states.members.first_conflict`). Assigning a mediator with a hard conflict with one of the
case's parties is refused unless overridden with a reason (audited); a soft conflict is allowed,
recorded and shown. A conflict found later (a party added to a case that already has its
mediator) is shown on the case's pages (`conflicts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from states.correspondence import party_words
from states.errors import Input, InvalidInputError
from states.members import NamedParty, PartyMatch, first_conflict
from states.messages import ENGLISH, N_, Translator
from states.rotation_wording import rotation_phrases

MEDIATOR = Input(N_("a mediator"), "mediator")
OVERRIDE = Input(N_("an override reason"), "override")


class Format(StrEnum):
    """How a session is held."""

    IN_PERSON = "in_person"
    VIDEO = "video"
    PHONE = "phone"
    HYBRID = "hybrid"


# A session's format in words (the pages' `term`, the case's story).
FORMAT_WORDS = {
    Format.IN_PERSON: N_("meeting in person"),
    Format.VIDEO: N_("video meeting"),
    Format.PHONE: N_("phone meeting"),
    Format.HYBRID: N_("hybrid meeting"),
}


@dataclass(frozen=True)
class Mediator:
    """A mediator in the register; `languages` ISO 639-1 codes, `competence` free notes."""

    id: str
    name: str
    email: str
    organisation: str | None = None
    languages: tuple[str, ...] = ()
    competence: str | None = None
    conflicts: tuple[PartyMatch, ...] = ()
    soft_conflicts: tuple[PartyMatch, ...] = ()
    active: bool = True


MEDIATOR_FIELDS = (
    "name",
    "email",
    "organisation",
    "languages",
    "competence",
    "conflicts",
    "soft_conflicts",
    "active",
)


def changed_fields(before: Mediator, after: Mediator) -> tuple[str, ...]:
    """The fields a change of the register entry touches, in their order."""
    return tuple(f for f in MEDIATOR_FIELDS if getattr(before, f) != getattr(after, f))


@dataclass(frozen=True)
class Noted:
    """A conflict as an assignment keeps it: the party's key, hard or soft, the declared name
    (and number) shown."""

    party: str
    soft: bool
    shown: str

    def describe(self, *, tr: Translator = ENGLISH) -> str:
        """'hard conflict with "Nordic Metals ASA"' in `tr`'s words (the rotation's)."""
        if self.soft:
            return tr.gettext("soft conflict with {party}").format(party=self.shown)
        return rotation_phrases(tr).hard_conflict.format(party=self.shown)

    def text(self, *, tr: Translator = ENGLISH) -> str:
        """With the party: 'enterprise 1: hard conflict with ...'; English spells its key as
        stored ('enterprise-1: ...', as audited)."""
        party = self.party if tr is ENGLISH else party_words(self.party, tr)
        return f"{party}: {self.describe(tr=tr)}"

    def as_dict(self) -> dict[str, object]:
        return {"party": self.party, "soft": self.soft, "conflict": self.shown}


@dataclass(frozen=True)
class Found:
    """A declared conflict of a mediator that matches one of a case's parties (by its key)."""

    party: str  # the party's key in its case: submitter-1, enterprise-1
    match: PartyMatch
    soft: bool
    shown: str  # the declared name (and the number when that matched), English

    def noted(self) -> Noted:
        return Noted(self.party, self.soft, self.shown)

    def describe(self, *, tr: Translator = ENGLISH) -> str:
        """'hard conflict with "Nordic Metals ASA"' in `tr`'s words (the rotation's)."""
        return self.noted().describe(tr=tr)

    def as_dict(self) -> dict[str, object]:
        return {**self.noted().as_dict(), **self.match.as_dict()}


def conflicts(mediator: Mediator, parties: Sequence[tuple[str, NamedParty]]) -> tuple[Found, ...]:
    """Every party of a case (key, party) the mediator declared a conflict with: a hard one, or
    else a soft one; hard ones first."""
    hard: list[Found] = []
    soft: list[Found] = []
    for key, party in parties:
        found = first_conflict(mediator.conflicts, [party])
        if found is not None:
            hard.append(Found(key, found[0], False, found[0].describe(party)))
            continue
        found = first_conflict(mediator.soft_conflicts, [party])
        if found is not None:
            soft.append(Found(key, found[0], True, found[0].describe(party)))
    return tuple(hard + soft)


def check_assignment(mediator: Mediator, found: Sequence[Found], *, override: str | None) -> None:
    """Refuse an inactive mediator, and a hard conflict unless `override` gives the reason."""
    if not mediator.active:
        raise InvalidInputError(
            N_("{what}: mediator '{mediator}' is inactive"), what=MEDIATOR, mediator=mediator.id
        )
    hard = [f for f in found if not f.soft]
    if hard and not (override or "").strip():
        first = hard[0]
        raise InvalidInputError(
            N_(
                "mediator '{mediator}' ({name}) has a hard conflict with party {party}: "
                "{conflict}; give {what} to assign anyway"
            ),
            mediator=mediator.id,
            name=mediator.name,
            party=first.party,
            conflict=first.shown,
            what=OVERRIDE,
        )


@dataclass(frozen=True)
class Assignment:
    """A mediator assigned to a case; `conflicts` what was found then (hard ones overridden,
    soft ones allowed); `ended_at` when the mediator was unassigned."""

    mediator: str
    assigned_at: datetime
    assigned_by: str
    override: str | None = None
    conflicts: tuple[Noted, ...] = ()
    ended_at: datetime | None = None
    ended_by: str | None = None
    id: int = 0

    @property
    def active(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class Session:
    """A mediation session: when (stored UTC), how, where, the interpreters' languages, who
    attended (party keys and others by name) and the NCP's internal notes."""

    number: int
    starts_at: datetime
    format: Format
    recorded_by: str
    recorded_at: datetime
    place: str | None = None
    interpreters: tuple[str, ...] = ()
    attendees: tuple[str, ...] = ()
    notes: str | None = None
