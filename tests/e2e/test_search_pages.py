"""Finding cases over HTTP: the cases page, the paged dashboard and GET /api/cases/search.

The filters live in the URL; a bad one is a 422 page in the page's language naming it; an
auditor finds nothing through a confidential submitter's name and sees pseudonyms only.
"""

from __future__ import annotations

import re
from datetime import date

from states.pseudonyms import pseudonym
from tests.e2e.conftest import Site
from workflow import cases, queries


def _open(
    site: Site, title: str, *, submitter: str = "Naturvernforbundet", confidential: bool = False
) -> str:
    return cases.open_case(
        uow=site.services.uow,
        clock=site.services.clock,
        policy=site.services.policy,
        reference_prefix="NCP",
        title=title,
        submitters=[cases.PartyInput(submitter, "ngo", confidential)],
        enterprises=[cases.PartyInput("Nestlé Norge AS", org_number="923 456 789")],
        actor="test",
        received=date(2025, 3, 3),
    ).reference


def _refs(page: str) -> list[str]:
    return re.findall(r'<td[^>]* data-label="[^"]*"><a href="/cases/([^"]+)"', page)


def test_the_cases_page_finds_by_words_and_keeps_the_filters_in_the_url(site: Site) -> None:
    """`/cases?q=...` lists the hits; the form shows the filters as given; words fold alike."""
    bodo = _open(site, "Tailings dam at Bodø")
    other = _open(site, "Fish farm in Bærum")
    page = site.client.get("/cases?q=bodo&lang=en")
    assert page.status_code == 200
    assert _refs(page.text) == [bodo]
    assert 'name="q" value="bodo"' in page.text
    assert _refs(site.client.get("/cases?q=NESTLÉ+923&closed=0&lang=en").text) == [other, bodo]
    assert _refs(site.client.get(f"/cases?q={other}&lang=en").text)[0] == other
    filtered = site.client.get("/cases?q=baerum&state=received&closed=0&year=2025&lang=en").text
    assert _refs(filtered) == [other]
    assert '<option value="received" selected>' in filtered and 'value="2025"' in filtered


def test_a_bad_filter_is_a_422_page_in_the_page_language_naming_it(site: Site) -> None:
    """Never a 500: the page comes back with the refusal, labelled as on the form, in nb."""
    for url, label in [
        ("/cases?year=twenty", "År mottatt"),
        ("/cases?year=1800", "År mottatt"),
        ("/cases?state=flying", "Fase"),
        ("/cases?theme=XCIX", "Kapittel i retningslinjene"),
        ("/cases?lead=nobody", "Saksansvarlig"),
        ("/cases?page=0", "Side"),
        ("/cases?overdue=perhaps", "Bare på overtid"),
        ("/?page=x", "Side"),
        ("/cases?q=" + "a" * 300, "Ord"),
    ]:
        page = site.client.get(url)
        assert page.status_code == 422, url
        assert '<html lang="nb">' in page.text
        assert label in page.text, (url, page.text[-800:])
    kept = site.client.get("/cases?q=fjord&year=twenty").text
    assert 'name="q" value="fjord"' in kept and 'value="twenty"' in kept


def test_closed_cases_are_listed_page_by_page_and_the_dashboard_pages_open_ones(site: Site) -> None:
    """56 open and one closed case: the dashboard shows 50 open ones and a link to the rest;
    the cases page lists the closed one with closed=1."""
    opened = [site.reference] + [_open(site, f"Case {n}") for n in range(55)]
    closed = _open(site, "Transferred case")
    cases.advance(
        uow=site.services.uow,
        clock=site.services.clock,
        policy=site.services.policy,
        reference=closed,
        trigger="transfer",
        actor="test",
        reason="Swedish NCP leads",
    )
    first = site.client.get("/?lang=en").text
    assert len(_refs(first)) == 50 and closed not in _refs(first)
    assert 'href="/?page=2"' in first and "Page 1 / 2" in first
    second = site.client.get("/?page=2&lang=en").text
    assert len(_refs(second)) == 6 and 'href="/"' in second
    assert set(_refs(first) + _refs(second)) == set(opened)
    listed = site.client.get("/cases?closed=1&lang=en").text
    assert _refs(listed) == [closed]
    everything = site.client.get("/cases?lang=en").text
    assert len(_refs(everything)) == 50 and 'href="/cases?page=2"' in everything
    paged = site.client.get("/cases?q=case&closed=0&page=2&lang=en").text
    assert 'href="/cases?q=case&amp;closed=0"' in paged  # the filters kept in the pager's links


def test_an_auditor_finds_nothing_through_a_confidential_name(site: Site) -> None:
    """Found by the name as a handler; as an auditor, neither the name nor a part of it finds
    the case, and its hits carry the pseudonym."""
    hidden = _open(site, "Overtime at the plant", submitter="Kari Nordmann", confidential=True)
    assert _refs(site.client.get("/cases?q=kari+nordmann").text) == [hidden]
    site.sign_in_as("aud", "auditor")
    for words in ("Kari Nordmann", "nordmann", "kari", "nordm"):
        assert _refs(site.client.get(f"/cases?q={words}").text) == []
        assert site.client.get("/api/cases/search", params={"q": words}).json()["total"] == 0
    page = site.client.get("/cases?q=overtime&lang=en").text
    assert _refs(page) == [hidden]
    assert "Nordmann" not in page and pseudonym(hidden, "Kari Nordmann") in page
    found = site.client.get("/api/cases/search", params={"q": "overtime"}).json()
    assert found["items"][0]["parties"][0]["name"] == pseudonym(hidden, "Kari Nordmann")


def test_my_cases_are_the_ones_a_member_leads(site: Site) -> None:
    """A member's "My cases" are the cases they lead; a handler's, those they made a step on."""
    refs = [_open(site, f"Case {n}") for n in range(4)]
    led = [
        r
        for r in [site.reference, *refs]
        if queries.get_case(uow=site.services.uow, reference=r).lead_member == "member-b"
    ]
    assert led  # the rotation gave member-b some
    cases.advance(
        uow=site.services.uow,
        clock=site.services.clock,
        policy=site.services.policy,
        reference=refs[0],
        trigger="begin_assessment",
        actor="hanna",
        reason="Receipt acknowledged",
    )
    assert _refs(site.client.get("/?mine=1&lang=en").text) == [refs[0]]
    site.sign_in_as("berit", "member", "member-b")
    mine = site.client.get("/?mine=1&lang=en").text
    assert sorted(_refs(mine)) == sorted(led) and "My open cases" in mine
    assert sorted(_refs(site.client.get("/cases?mine=1").text)) == sorted(led)
    assert sorted(_refs(site.client.get("/cases?lead=member-b").text)) == sorted(led)


def test_the_filters_are_offered_in_the_page_language(site: Site) -> None:
    """Stages by their Norwegian names, leads by name, chapters by their Norwegian titles."""
    page = site.client.get("/cases").text
    assert '<option value="good_offices">' in page
    assert "Dialog og mekling" in page or "dialog og mekling" in page.lower()
    assert '<option value="member-b">Member B</option>' in page
    assert "IV. Menneskerettigheter" in page
    assert "initial_assessment<" not in page and "IV. Human Rights" not in page


def test_the_api_finds_with_the_same_model_and_refuses_bad_filters(site: Site) -> None:
    """GET /api/cases/search: the hits, totals and pages; a bad filter is a 422 naming it."""
    refs = [_open(site, f"Shipyard {n}") for n in range(3)]
    found = site.client.get("/api/cases/search", params={"q": "shipyard", "per_page": 2, "lang": "nb"}).json()
    assert found["total"] == 3 and found["order"] == "relevance" and found["page"] == 1
    assert [item["reference"] for item in found["items"]] == [refs[2], refs[1]]
    second = site.client.get("/api/cases/search", params={"q": "shipyard", "per_page": 2, "page": 2}).json()
    assert [item["reference"] for item in second["items"]] == [refs[0]]
    due = site.client.get("/api/cases/search", params={"order": "due", "closed": "false"}).json()
    assert due["order"] == "due" and due["total"] == 4
    for params, field in [
        ({"year": "abc"}, "year"),
        ({"state": "flying"}, "state"),
        ({"theme": "XCIX"}, "theme"),
        ({"order": "random"}, "order"),
        ({"per_page": "501"}, "per_page"),
    ]:
        answer = site.client.get("/api/cases/search", params=params)
        assert answer.status_code == 422, params
        assert field in answer.json()["detail"], answer.json()
