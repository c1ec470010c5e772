"""The NCPs of a case (pure): who leads, who supports and how, the complainant's preference.

A complaint that concerns several countries involves several NCPs. One of them leads, or two
lead jointly; the others support, each in a role (`Role`): consulted, reviews drafts (and so
gets a review task on each statement draft: `states.reviews`), or translates. The lead is
recorded on the case, not in the database's config: a case without a recorded lead is led by
the NCP the database belongs to (`[ncp] country`), which is what every case opened before
roles existed is. Each NCP is named by its country's ISO 3166 alpha-2 code.

The decisions below take the case's NCPs as they stand (`CaseNcps`) and return them changed, or
refuse with a named error; the use cases (workflow/ncp_roles.py) write the result and its audit
entry in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from states.errors import Input, InvalidInputError
from states.messages import N_

JOINT_MAX = 2
"""At most two NCPs lead a case jointly."""

LEAD = Input(N_("the lead NCP"), "lead")
NCP = Input(N_("an NCP"), "ncp")
ROLE = Input(N_("a role"), "role")


class Role(StrEnum):
    """How a supporting NCP takes part."""

    CONSULTED = "consulted"
    REVIEWS_DRAFTS = "reviews_drafts"
    TRANSLATES = "translates"


ROLE_WORDS = {
    Role.CONSULTED: N_("consulted"),
    Role.REVIEWS_DRAFTS: N_("reviews drafts"),
    Role.TRANSLATES: N_("translates"),
}
"""Each role in words (the pages' `term`)."""


@dataclass(frozen=True)
class Supporting:
    """A supporting NCP of a case and its role."""

    ncp: str
    role: Role


@dataclass(frozen=True)
class Preference:
    """The complainant's preference for the lead NCP, with an optional note (why)."""

    ncp: str
    note: str | None = None


@dataclass(frozen=True)
class CaseNcps:
    """The NCPs of one case. `lead` is what is recorded (empty: none recorded, the database's own
    NCP leads: `leads`)."""

    lead: tuple[str, ...] = ()
    supporting: tuple[Supporting, ...] = ()
    preference: Preference | None = None

    def leads(self, own: str) -> tuple[str, ...]:
        """Who leads: the recorded lead, else `own` (the database's NCP)."""
        return self.lead or (own,)

    def role_of(self, ncp: str) -> Role | None:
        return next((s.role for s in self.supporting if s.ncp == ncp), None)

    def reviewers(self) -> tuple[str, ...]:
        """The supporting NCPs that review drafts, in order."""
        return tuple(s.ncp for s in self.supporting if s.role is Role.REVIEWS_DRAFTS)

    def position(self, ncp: str, own: str) -> str | None:
        """`ncp`'s place in the case: `lead`, `joint_lead`, `supporting`, or None."""
        leads = self.leads(own)
        if ncp in leads:
            return "joint_lead" if len(leads) > 1 else "lead"
        return "supporting" if self.role_of(ncp) is not None else None


def role(value: str) -> Role:
    """The role `value` names, else a refusal listing the roles."""
    try:
        return Role(value)
    except ValueError:
        raise InvalidInputError(
            N_("{what}: unknown role '{role}'; one of {known}"),
            what=ROLE,
            role=value,
            known=", ".join(r.value for r in Role),
        ) from None


def set_lead(ncps: CaseNcps, lead: tuple[str, ...], *, own: str) -> CaseNcps:
    """Record `lead` (one NCP, or two leading jointly). An NCP that supported the case and now
    leads it no longer supports it; one that led and no longer does supports it as `consulted`
    (the database's own NCP stays on its case). Refused: none, more than two, twice the same, no
    change."""
    if not lead or len(lead) > JOINT_MAX:
        raise InvalidInputError(N_("{what}: name one NCP, or two that lead jointly"), what=LEAD)
    if len(set(lead)) != len(lead):
        raise InvalidInputError(N_("{what}: {code} is named twice"), what=LEAD, code=lead[0])
    if lead == ncps.leads(own):
        raise InvalidInputError(N_("{what}: {lead} already leads the case"), what=LEAD, lead=", ".join(lead))
    kept = tuple(s for s in ncps.supporting if s.ncp not in lead)
    left = tuple(Supporting(n, Role.CONSULTED) for n in ncps.leads(own) if n not in lead)
    return replace(ncps, lead=lead, supporting=(*kept, *left))


def add_supporting(ncps: CaseNcps, ncp: str, role: Role, *, own: str) -> CaseNcps:
    """`ncp` supports the case in `role`. Refused: it leads, or it supports already."""
    if ncp in ncps.leads(own):
        raise InvalidInputError(
            N_("{what}: {code} leads the case; it cannot also support it"), what=NCP, code=ncp
        )
    if ncps.role_of(ncp) is not None:
        raise InvalidInputError(N_("{what}: {code} already supports the case"), what=NCP, code=ncp)
    return replace(ncps, supporting=(*ncps.supporting, Supporting(ncp, role)))


def _supporter(ncps: CaseNcps, ncp: str) -> Role:
    found = ncps.role_of(ncp)
    if found is None:
        raise InvalidInputError(N_("{what}: {code} does not support the case"), what=NCP, code=ncp)
    return found


def change_role(ncps: CaseNcps, ncp: str, role: Role) -> tuple[CaseNcps, Role]:
    """`ncp`'s role becomes `role`; the new NCPs and the role it had. Refused: it does not support
    the case, or it has that role already."""
    before = _supporter(ncps, ncp)
    if before is role:
        raise InvalidInputError(N_("{what}: {code} already has that role"), what=ROLE, code=ncp)
    supporting = tuple(Supporting(s.ncp, role) if s.ncp == ncp else s for s in ncps.supporting)
    return replace(ncps, supporting=supporting), before


def remove_supporting(ncps: CaseNcps, ncp: str) -> tuple[CaseNcps, Role]:
    """`ncp` no longer supports the case; the new NCPs and the role it had."""
    before = _supporter(ncps, ncp)
    return replace(ncps, supporting=tuple(s for s in ncps.supporting if s.ncp != ncp)), before


def transfer(ncps: CaseNcps, to: str, *, own: str, keep_as: Role | None = Role.CONSULTED) -> CaseNcps:
    """The lead passes to `to` alone (a handover). The NCPs that led support the case in `keep_as`
    (None: they leave it); `to` no longer supports it. Refused: `to` leads alone already."""
    before = ncps.leads(own)
    if before == (to,):
        raise InvalidInputError(N_("{what}: {code} already leads the case"), what=NCP, code=to)
    kept = tuple(s for s in ncps.supporting if s.ncp != to and s.ncp not in before)
    if keep_as is not None:
        kept = (*kept, *(Supporting(n, keep_as) for n in before if n != to))
    return replace(ncps, lead=(to,), supporting=kept)


def prefer(ncps: CaseNcps, ncp: str, note: str | None = None) -> CaseNcps:
    """Record the complainant's preference for the lead (a later one replaces it)."""
    return replace(ncps, preference=Preference(ncp, note or None))
