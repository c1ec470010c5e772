"""How a party of a case is named outside the case: its key (`submitter-1`, `enterprise-2`),
counted per role in the case's party order from 1, or its name as filed.

The command line's `--party`, the API's `party` and the pages' party choices all name a party
this way, so documents, contacts and correspondence point at the same party everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from states.case import Party
from states.errors import InvalidInputError
from states.members import normalise_name
from states.messages import N_


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
