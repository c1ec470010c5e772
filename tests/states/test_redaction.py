"""The one redaction of confidential submitters (states/redaction.py) and who may see them."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from states.permissions import may_see_identities
from states.pseudonyms import pseudonym
from states.redaction import NOTHING, OTHER_CASE, Protected, Redaction
from states.users import Role

REF = "NCP-2025-001"
NAME = "Kari Nordmann Fjordvern"
LABEL = pseudonym(REF, NAME)
KARI = Redaction([Protected(REF, NAME, "987 654 321")])


def test_a_name_is_replaced_by_the_case_pseudonym_in_any_letter_case() -> None:
    """Upper, lower and mixed case all become the case's pseudonym."""
    text = f"{NAME}, {NAME.upper()} and {NAME.lower()} and kARI nORDMANN fJORDVERN asked"
    assert KARI.text(text, REF) == f"{LABEL}, {LABEL} and {LABEL} and {LABEL} asked"


def test_any_whitespace_between_the_words_of_a_name_still_matches() -> None:
    """Doubled spaces, tabs, line breaks and no-break spaces between words are the same name."""
    for spaced in ["Kari  Nordmann Fjordvern", "Kari\tNordmann\nFjordvern", "Kari\u00a0Nordmann   Fjordvern"]:
        assert KARI.text(f"by {spaced}.", REF) == f"by {LABEL}."


def test_an_org_number_matches_with_or_without_separators_but_not_inside_a_longer_number() -> None:
    """987654321, 987 654 321, 987.654.321 and 987-654-321 go; 19876543210 stays."""
    text = "no. 987654321 / 987 654 321 / 987.654.321 / NO-987-654-321 / 19876543210"
    assert KARI.text(text, REF) == (f"no. {LABEL} / {LABEL} / {LABEL} / NO-{LABEL} / 19876543210")


def test_a_name_inside_another_protected_name_gives_way_to_the_longer_one() -> None:
    """ "Fjordvern" alone is protected too; the full name is replaced once, not in pieces."""
    both = Redaction([Protected(REF, NAME), Protected(REF, "Fjordvern")])
    short = pseudonym(REF, "Fjordvern")
    assert both.text(f"{NAME} and Fjordvern", REF) == f"{LABEL} and {short}"


def test_overlapping_names_are_replaced_as_one_stretch() -> None:
    """ "Friends of the Fjord" and "Fjord Watch" overlapping: neither survives in part."""
    redaction = Redaction([Protected(REF, "Friends of the Fjord"), Protected(REF, "Fjord Watch")])
    out = redaction.text("Letter from Friends of the Fjord Watch today", REF)
    assert "Fjord" not in out and "Watch" not in out and "Friends" not in out
    assert out == f"Letter from {pseudonym(REF, 'Friends of the Fjord')} today"


def test_another_cases_submitter_gets_a_label_that_links_no_case() -> None:
    """In another case's text, or in text about no case, the label names no case."""
    assert KARI.text(f"see {NAME}", "NCP-2025-002") == f"see {OTHER_CASE}"
    assert KARI.text(f"see {NAME}") == f"see {OTHER_CASE}"


def test_names_inside_nested_json_data_are_redacted_and_keys_kept() -> None:
    """Lists and mappings at any depth; keys and non-strings stay; `keep` keys stay verbatim."""
    data = {
        "reference": REF,
        "parties": [{"name": NAME, "confidential": True, "n": 3}],
        "skipped": [{"detail": f'hard conflict with "{NAME.lower()}" (org. no. 987654321)'}],
        "deep": {"deeper": [[f"x {NAME} y"]]},
        "title": NAME,
    }
    out = KARI.value(data, REF, keep=frozenset({"reference", "title"}))
    assert out["reference"] == REF and out["title"] == NAME  # kept at the top level only
    assert out["parties"] == [{"name": LABEL, "confidential": True, "n": 3}]
    assert out["skipped"] == [{"detail": f'hard conflict with "{LABEL}" (org. no. {LABEL})'}]
    assert out["deep"] == {"deeper": [[f"x {LABEL} y"]]}
    assert "Nordmann" not in json.dumps(out["parties"]) + json.dumps(out["deep"])


def test_nothing_to_protect_returns_the_input_unchanged() -> None:
    """No protected party, or a blank name: text and data come back as they were."""
    data = {"a": [NAME]}
    assert NOTHING.value(data, REF) is data and NOTHING.text(NAME) == NAME
    assert not Redaction([Protected(REF, "   ")]).active


def test_regex_characters_in_a_name_are_taken_literally() -> None:
    """A name like "A.B (C+D)" matches itself, not a pattern."""
    redaction = Redaction([Protected(REF, "A.B (C+D)")])
    assert redaction.text("AxB (CCD) and a.b (c+d)", REF) == f"AxB (CCD) and {pseudonym(REF, 'A.B (C+D)')}"


@given(st.text(alphabet=st.sampled_from("abcKARInordmanFJORDVE 987654321.-\n"), max_size=80))
def test_no_case_variant_of_the_name_survives_in_any_text(noise: str) -> None:
    """Whatever surrounds it, an inserted name in any letter case never survives redaction."""
    for variant in (NAME, NAME.upper(), NAME.lower(), NAME.swapcase()):
        out = KARI.text(noise + variant + noise, REF)
        assert " ".join(NAME.casefold().split()) not in " ".join(out.casefold().split())


def test_auditors_and_unknown_roles_may_not_see_identities_the_others_may() -> None:
    """Auditors see pseudonyms; handlers, members and admins see names; an unknown role not."""
    assert not may_see_identities(Role.AUDITOR)
    assert not may_see_identities("visitor")
    assert all(may_see_identities(r) for r in (Role.HANDLER, Role.MEMBER, Role.ADMIN))
