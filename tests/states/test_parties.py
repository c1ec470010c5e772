"""A party is named by its key, counted per role, or by its name as filed."""

from __future__ import annotations

import pytest

from states.case import Party, PartyRole
from states.errors import InvalidInputError
from states.parties import find_party, party_key, party_keys

PARTIES = (
    Party(PartyRole.SUBMITTER, "Fair Mines Coalition"),
    Party(PartyRole.ENTERPRISE, "Nordic Metals ASA"),
    Party(PartyRole.SUBMITTER, "Union of Miners"),
)


def test_keys_count_each_role_from_one_in_the_cases_order() -> None:
    """Submitters and enterprises are numbered apart, in filing order."""
    assert [key for key, _ in party_keys(PARTIES)] == ["submitter-1", "enterprise-1", "submitter-2"]
    assert party_key(PARTIES, PARTIES[2]) == "submitter-2"


def test_a_party_is_found_by_key_or_by_name_ignoring_case_and_spacing() -> None:
    """`Enterprise-1`, and `nordic  metals asa`, both name the enterprise."""
    assert find_party(PARTIES, "Enterprise-1", reference="NCP-2026-001") == "enterprise-1"
    assert find_party(PARTIES, " nordic  metals asa", reference="NCP-2026-001") == "enterprise-1"


def test_an_unknown_party_is_refused_naming_the_parties_there_are() -> None:
    """The refusal lists the keys, so the user can pick one."""
    with pytest.raises(InvalidInputError) as refused:
        find_party(PARTIES, "Acme", reference="NCP-2026-001")
    message = str(refused.value)
    assert "'Acme'" in message
    assert "submitter-1, enterprise-1, submitter-2" in message


def test_party_key_refuses_a_party_of_another_case() -> None:
    """Asking for the key of a stranger is a programming error, not a silent guess."""
    with pytest.raises(ValueError, match="Someone Else"):
        party_key(PARTIES, Party(PartyRole.ENTERPRISE, "Someone Else"))
