"""Precedents on the case page, through HTTP: the section lists the similar concluded cases with
their outcome, stage, dates and register link, worded in the page's language; a case with none
says so; an auditor reads a precedent without the confidential name its title holds; a mediator
sees only precedents among its assigned cases."""

from __future__ import annotations

import html
import json
import re
from datetime import date

from tests.e2e.conftest import PASSWORD, Site
from tests.helpers import sign_in
from workflow import cases, users


def _visible(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _section(page: str) -> str:
    found = re.search(r'<section class="card" id="similar-cases">(.*?)</section>', page, re.S)
    assert found is not None
    return _visible(found.group(1))


def _concluded(site: Site, title: str, submitter: cases.PartyInput | None = None) -> str:
    """A case sharing the site case's enterprise (score 3), not accepted and closed (listed)."""
    services = site.services
    ref = cases.open_case(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference_prefix="NCP",
        title=title,
        submitters=[submitter or cases.PartyInput("Friends of the Fjord")],
        enterprises=[cases.PartyInput("Nordic Metals ASA")],
        actor="test",
        received=date(2024, 2, 3),
    ).reference
    for trigger in ("begin_assessment", "reject", "close"):
        services.cases.advance(reference=ref, trigger=trigger, actor="test", reason="r")
    return ref


def test_the_case_page_lists_a_precedent_in_english_and_norwegian(site: Site) -> None:
    assert "No similar past cases" in _section(site.client.get(f"/cases/{site.reference}?lang=en").text)
    assert "Ingen lignende" in _section(site.client.get(f"/cases/{site.reference}?lang=nb").text)
    other = _concluded(site, "Tailings, an earlier complaint")
    page = site.client.get(f"/cases/{site.reference}?lang=en").text
    shown = _section(page)
    assert f"{other} Tailings, an earlier complaint" in shown
    assert "Closed: not accepted" in shown and "received 3 Feb 2024" in shown and "2024-02-03" not in shown
    assert "In common with this case: the same enterprise." in shown and "score 3 of 12" in shown
    assert f'href="/register/{other}"' in page and f'href="/cases/{other}"' in page
    nb = _section(site.client.get(f"/cases/{site.reference}?lang=nb").text)
    assert (
        "Avsluttet: ikke tatt opp til behandling" in nb and "Felles med denne saken: samme virksomhet." in nb
    )
    assert "mottatt 3. feb. 2024" in nb
    assert "poeng 3 av 12" in nb and "received" not in nb


def test_an_auditor_reads_a_precedent_without_the_confidential_name(site: Site) -> None:
    name = "Kari Nordmann"
    other = _concluded(
        site, f"{name} v. Nordic Metals", cases.PartyInput(name, "individual", confidential=True)
    )
    site.sign_in_as("revisor", "auditor")
    page = site.client.get(f"/cases/{site.reference}?lang=en").text
    assert other in _section(page) and name not in page


def test_a_mediator_sees_no_precedent_outside_its_assigned_cases(site: Site) -> None:
    mine, other = _concluded(site, "Assigned earlier case"), _concluded(site, "Not assigned")
    services = site.services
    services.mediators.add(actor="test", mediator_id="kari", name="Kari Mekler", email="kari@example.org")
    for ref in (site.reference, mine):
        services.mediators.assign(reference=ref, mediator="kari", actor="test")
    users.add_user(
        uow=services.uow,
        clock=services.clock,
        name="mika",
        role="mediator",
        mediator_id="kari",
        actor="test",
        password=PASSWORD,
    )
    site.client.cookies.clear()
    assert sign_in(site.client, "mika", PASSWORD).status_code == 303
    page = site.client.get(f"/cases/{site.reference}?lang=en").text
    assert mine in _section(page)
    assert other not in page and "Not assigned" not in page
    api = site.client.get(f"/api/cases/{site.reference}/similar").json()
    assert [p["reference"] for p in api["precedents"]] == [mine]


def test_what_a_precedent_shares_is_worded_in_the_page_s_language(site: Site) -> None:
    """Chapters by their titles, countries by their names, the sector, the enterprise: no
    English word and no internal name on the Norwegian page."""
    services = site.services
    refs = [
        services.cases.open(
            title=title,
            submitters=[cases.PartyInput("Friends of the Fjord")],
            enterprises=[cases.PartyInput("Nordic Metals ASA")],
            actor="test",
            themes=("environment",),
            host_countries=("NO",),
            sector="mining",
        ).reference
        for title in ("Tailings", "Tailings before")
    ]
    for trigger in ("begin_assessment", "reject"):
        services.cases.advance(reference=refs[1], trigger=trigger, actor="test", reason="r")
    nb = _section(site.client.get(f"/cases/{refs[0]}?lang=nb").text)
    assert (
        "Felles med denne saken: kapittel VI. Miljø, vertsland Norge, bransjen «mining» og samme virksomhet."
        in nb
    )
    assert "poeng 12 av 12" in nb
    en = _section(site.client.get(f"/cases/{refs[0]}?lang=en").text)
    assert (
        "In common with this case: chapter VI. Environment, host country Norway, the sector “mining” and the "
        "same enterprise." in en
    )
    assert "host_countries" not in en


def test_an_imported_precedent_s_sources_are_told_apart_by_their_site_and_separated(site: Site) -> None:
    """Each link says where it leads (its site), a citation stands between them as text, and
    nothing runs into the register's link: in English and Norwegian."""
    line = {
        "external_id": "NO-2011-07",
        "title": "Tailings in an earlier year",
        "parties": [
            {"role": "submitter", "name": "Fjord Friends", "type": "ngo"},
            {"role": "enterprise", "name": "Nordic Metals ASA"},
        ],
        "received": "2011-03",
        "milestones": [
            {"trigger": "begin_assessment", "date": "2011-04"},
            {"trigger": "reject", "date": "2011-09"},
        ],
        "sources": [
            "https://www.responsiblebusiness.no/en/specific-instances/no-2011-07/",
            "Annual report 2011, p. 14",
            "https://mneguidelines.oecd.org/database/instances/no0007.htm",
        ],
    }
    site.services.cases.import_cases(text=json.dumps(line), actor="test", source="file.jsonl")

    def text(lang: str) -> str:  # as read: tags left out, not turned into spaces
        page = site.client.get(f"/cases/{site.reference}?lang={lang}").text
        return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())

    sources = "www.responsiblebusiness.no; Annual report 2011, p. 14; mneguidelines.oecd.org"
    assert f"In common with this case: the same enterprise. Sources: {sources}" in text("en")
    assert f"Felles med denne saken: samme virksomhet. Kilder: {sources}" in text("nb")
    assert "received Mar 2011 · concluded Sept 2011" in text("en")  # known to the month
    assert "mottatt mars 2011 · avsluttet sep. 2011" in text("nb")
    assert '">mneguidelines.oecd.org</a>' in site.client.get(f"/cases/{site.reference}").text
