"""How a party of a case is named outside the case: its key (`submitter-1`, `enterprise-2`),
counted per role in the case's party order from 1, or its name as filed.

The command line's `--party`, the API's `party` and the pages' party choices all name a party
this way, so documents, contacts and correspondence point at the same party everywhere. A party
added to an open case comes last in that order, so it takes the next number of its role and the
keys of the others never change (parties are never removed).

Who sees a party as stored (`may_see`): anyone, unless its identity is withheld (`confidential`:
then only the roles that may see identities) or it is at risk of reprisal (then only handlers,
admins and the case's lead member). Everyone else reads its pseudonym and none of its contacts.
"""

from __future__ import annotations

from collections.abc import Sequence

from states.case import Party, PartyRole
from states.errors import Input, InvalidInputError, Terms
from states.guidelines import SUBMITTER_TYPES
from states.limits import NAME_MAX, TEXT_MAX, check_optional, check_text
from states.members import normalise_name
from states.messages import N_
from states.permissions import may_see_at_risk, may_see_identities

NAME = Input(N_("the party's name"), "name")
TYPE = Input(N_("the party's type"), "type")
ORG_NUMBER = Input(N_("the organisation number"), "org_number")
MEASURES = Input(N_("the measures against reprisals"), "measures")
ROLE = Input(N_("the party's role"), "role")


def party_keys(parties: Sequence[Party]) -> list[tuple[str, Party]]:
    """Each party with its key, in the case's order."""
    counts: dict[str, int] = {}
    keyed: list[tuple[str, Party]] = []
    for party in parties:
        counts[party.role.value] = counts.get(party.role.value, 0) + 1
        keyed.append((f"{party.role.value}-{counts[party.role.value]}", party))
    return keyed


def party_key(parties: Sequence[Party], party: Party) -> str:
    """The key of `party` (one of `parties`)."""
    for key, candidate in party_keys(parties):
        if candidate is party or candidate == party:
            return key
    raise ValueError(f"{party.name!r} is not a party of these parties")


def find_party(parties: Sequence[Party], text: str, *, reference: str) -> str:
    """The key of the party `text` names (a key, or a name ignoring case and spacing); an
    unknown party is refused, naming the keys there are."""
    wanted = text.strip().lower()
    keyed = party_keys(parties)
    for key, _party in keyed:
        if key == wanted:
            return key
    by_name = [key for key, party in keyed if normalise_name(party.name) == normalise_name(text)]
    if len(by_name) == 1:
        return by_name[0]
    raise InvalidInputError(
        N_("case {reference} has no party '{party}'; its parties are {keys}"),
        reference=reference,
        party=text,
        keys=", ".join(key for key, _party in keyed),
    )


def party_role(value: str) -> PartyRole:
    try:
        return PartyRole(value)
    except ValueError:
        raise InvalidInputError(
            N_("{what} '{value}' is not one of {choices}"),
            what=ROLE,
            value=value,
            choices=Terms(tuple(r.value for r in PartyRole)),
        ) from None


def checked(party: Party) -> Party:
    """`party` with its texts checked and trimmed: a name; a submitter's type one of
    `SUBMITTER_TYPES` (an enterprise's type is free text); measures only with reprisal risk."""
    check_text(party.name, NAME, limit=NAME_MAX)
    if party.role is PartyRole.SUBMITTER:
        if party.type is not None and party.type not in SUBMITTER_TYPES:
            raise InvalidInputError(
                N_("{what} '{value}' is not one of {choices}"),
                what=TYPE,
                value=party.type,
                choices=Terms(SUBMITTER_TYPES),
            )
    else:
        check_optional(party.type, TYPE, limit=NAME_MAX)
    check_optional(party.org_number, ORG_NUMBER, limit=NAME_MAX)
    check_optional(party.measures, MEASURES, limit=TEXT_MAX)
    measures = (party.measures or "").strip() or None
    if measures is not None and not party.reprisal_risk:
        raise InvalidInputError(N_("{what} are only recorded for a party at risk of reprisal"), what=MEASURES)
    return Party(
        role=party.role,
        name=party.name.strip(),
        type=(party.type or "").strip() or None,
        confidential=party.confidential,
        org_number=(party.org_number or "").strip() or None,
        reprisal_risk=party.reprisal_risk,
        measures=measures,
    )


def may_see(party: Party, *, role: str, leads: bool) -> bool:
    """Whether a user of `role` (leading the party's case or not) sees the party as stored:
    its name, organisation number, measures and contacts."""
    if party.reprisal_risk and not (may_see_at_risk(role) or (leads and may_see_identities(role))):
        return False
    return not party.confidential or may_see_identities(role)
