"""The related cases' rules on their own: how a link reads from either case, the address check,
an external link's spelling, and which links stand in the way of a new one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from states import case_links as rules
from states.case_links import CaseLink
from states.errors import InvalidInputError, StepRefusedError

AT = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def _link(
    number: int = 1, *, kind: str = "follow_on", case: str = "A", other: str | None = "B", **more: object
) -> CaseLink:
    values: dict[str, object] = {"ncp": None, "external_reference": None, "url": None, **more}
    return CaseLink(number, kind, case, other, linked_at=AT, linked_by="sek", **values)  # type: ignore[arg-type]


def _new(links: list[CaseLink], **given: object) -> CaseLink:
    values: dict[str, object] = {
        "kind": "same_facts",
        "other": None,
        "ncp": None,
        "external_reference": None,
        "url": None,
        **given,
    }
    return rules.new_link(
        links,
        number=9,
        reference="A",
        state="received",
        own_ncp="NO",
        linked_at=AT,
        linked_by="sek",
        **values,  # type: ignore[arg-type]
    )


def test_a_follow_on_reads_followed_by_from_the_earlier_case_and_other_kinds_read_the_same_from_both() -> (
    None
):
    follow_on = _link(case="LATER", other="EARLIER")
    assert (follow_on.relation("LATER"), follow_on.relation("EARLIER")) == ("follow_on", "followed_by")
    assert (follow_on.other_of("LATER"), follow_on.other_of("EARLIER")) == ("EARLIER", "LATER")
    same = _link(kind="same_facts")
    assert (same.relation("A"), same.relation("B")) == ("same_facts", "same_facts")
    external = _link(kind="follow_on", other=None, ncp="SE", external_reference="7")
    assert external.relation("A") == "follow_on" and external.other_of("A") is None
    assert set(rules.RELATIONS) == {*rules.KINDS, rules.FOLLOWED_BY}


@pytest.mark.parametrize(
    "url", ["https://ncp.example.se/7", "http://example.org", "HTTPS://Example.org/a?b=c#d"]
)
def test_an_http_or_https_address_is_taken_as_given(url: str) -> None:
    assert rules.check_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.org",
        "https://",
        "//example.org",
        "https://a b.org",
        "https://a\n.org",
        "x" * 3000,
        "",
    ],
)
def test_any_other_address_is_refused_naming_the_url(url: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        rules.check_url(url)
    assert "(url)" in refused.value.words()


def test_an_external_link_is_kept_with_the_ncp_in_capitals_and_its_reference_trimmed() -> None:
    made = _new([], kind="parallel", ncp="se", external_reference="  NKP 2025/7 ")
    assert (made.ncp, made.external_reference, made.other) == ("SE", "NKP 2025/7", None)


def test_a_standing_link_refuses_the_same_pair_either_way_and_a_removed_one_does_not() -> None:
    standing = [_link(case="B", other="A", kind="follow_on")]
    with pytest.raises(StepRefusedError, match="already linked to case B"):
        _new(standing, other="B")
    removed = [_link(case="B", other="A", removed_at=AT, removed_by="sek")]
    assert _new(removed, other="B").other == "B"
    external = [_link(kind="parallel", other=None, ncp="SE", external_reference="NKP  2025/7")]
    with pytest.raises(StepRefusedError, match="already linked to SE"):
        _new(external, kind="parallel", ncp="se", external_reference="nkp 2025/7")
    assert _new(external, kind="parallel", ncp="DK", external_reference="NKP 2025/7").ncp == "DK"


def test_removing_names_an_unknown_link_and_refuses_one_already_removed() -> None:
    links = [_link(1), _link(2, case="C", other="D"), _link(3, removed_at=AT, removed_by="sek")]
    assert rules.removable(links, 1, reference="B", state="received").number == 1
    with pytest.raises(InvalidInputError, match="case A has no link 2"):
        rules.removable(links, 2, reference="A", state="received")
    with pytest.raises(StepRefusedError, match="link 3 was already removed"):
        rules.removable(links, 3, reference="A", state="received")
