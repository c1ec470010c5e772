"""Related cases in the app, through HTTP: the section on both case pages, its forms with CSRF,
refusals in the page's language keeping what was typed and writing nothing, who may link, what a
mediator sees of a case it is not assigned to, the entries in both cases' stories, and the public
register, which shows a link only between two listed cases."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

from tests.dbdump import dump
from tests.e2e.conftest import PASSWORD, Site
from tests.helpers import sign_in
from workflow import cases, users

# Internal names that must never reach a reader of the pages.
RAW = re.compile(r"same_facts|follow_on|followed_by|\bparallel\b")


def _visible(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _other(site: Site, title: str = "Mine tailings, the sequel") -> str:
    return cases.open_case(
        uow=site.services.uow,
        clock=site.services.clock,
        policy=site.services.policy,
        reference_prefix="NCP",
        title=title,
        submitters=[cases.PartyInput("Friends of the Fjord")],
        enterprises=[cases.PartyInput("Nordic Metals ASA")],
        actor="test",
        received=date(2025, 2, 3),
    ).reference


def _post(site: Site, path: str, data: dict[str, Any], lang: str = "en") -> Any:
    page = f"/cases/{site.reference}?lang={lang}"
    return site.client.post(path, data={**data, "csrf_token": site.csrf(page)}, follow_redirects=False)


def test_a_handler_links_a_follow_on_case_and_both_pages_and_stories_show_it(site: Site) -> None:
    later = _other(site)
    made = _post(site, f"/cases/{later}/related", {"kind": "follow_on", "case": site.reference})
    assert made.status_code == 303, made.text
    assert made.headers["location"] == f"/cases/{later}#related-cases"
    shown = _visible(site.client.get(f"/cases/{later}?lang=en").text)
    assert "Link 1 to a related case made." in shown
    assert f"Follows on from: {site.reference} Mine tailings" in " ".join(shown.split())
    first = site.client.get(f"/cases/{site.reference}?lang=nb").text
    assert f'href="/cases/{later}"' in first
    words = " ".join(_visible(first).split())
    assert f"Fulgt opp av ny klage: {later} Mine tailings, the sequel" in words
    assert f"Kobling 1 til en beslektet klagesak: Fulgt opp av ny klage {later}" in words  # the story
    assert not RAW.search(_visible(first))
    story = " ".join(_visible(site.client.get(f"/cases/{later}?lang=en").text).split())
    assert f"Link 1 to a related case: Follows on from {site.reference}" in story


def test_a_parallel_complaint_at_another_ncp_shows_the_ncp_by_its_country_in_the_page_language(
    site: Site,
) -> None:
    made = _post(
        site,
        f"/cases/{site.reference}/related",
        {
            "kind": "parallel",
            "ncp": "dk",
            "external_reference": "DK 2025-4",
            "url": "https://ncp.example.dk/4",
        },
    )
    assert made.status_code == 303, made.text
    page = site.client.get(f"/cases/{site.reference}?lang=nb").text
    words = " ".join(_visible(page).split())
    assert "Parallell klage: Kontaktpunktet i Danmark, saksnummer DK 2025-4" in words
    assert 'href="https://ncp.example.dk/4" rel="external noopener noreferrer"' in page


def test_a_refused_link_comes_back_in_norwegian_with_what_was_typed_and_writes_nothing(site: Site) -> None:
    other = _other(site)
    _post(site, f"/cases/{site.reference}/related", {"kind": "same_facts", "case": other})
    before = dump(site.url)
    path = f"/cases/{site.reference}/related"
    itself = _post(site, path, {"kind": "same_facts", "case": site.reference}, "nb")
    assert itself.status_code == 422
    assert f"(Klagesak her (saksnummer)): klagesak {site.reference} kan ikke kobles til seg selv" in _visible(
        itself.text
    )
    assert re.search(r'<option value="same_facts" selected>', itself.text)
    url = _post(
        site, path, {"kind": "parallel", "ncp": "SE", "external_reference": "S-9", "url": "ftp://x"}, "nb"
    )
    assert url.status_code == 422 and "er ikke en http- eller https-adresse" in _visible(url.text)
    assert 'name="external_reference" maxlength="300" value="S-9"' in url.text
    again = _post(site, path, {"kind": "follow_on", "case": other}, "nb")
    assert again.status_code == 409
    assert f"den er allerede koblet til klagesak {other} (kobling 1)" in _visible(again.text)
    missing = _post(site, f"/cases/{site.reference}/related/9/remove", {}, "nb")
    assert missing.status_code == 422 and "har ingen kobling 9" in _visible(missing.text)
    garbage = _post(site, f"/cases/{site.reference}/related/x/remove", {}, "nb")
    assert garbage.status_code == 422
    forged = site.client.post(path, data={"kind": "same_facts", "case": other, "csrf_token": "x"})
    assert forged.status_code in (400, 403)
    assert dump(site.url) == before


def test_a_link_is_removed_from_the_page_with_its_reason_in_both_stories(site: Site) -> None:
    other = _other(site)
    _post(site, f"/cases/{site.reference}/related", {"kind": "same_facts", "case": other})
    removed = _post(site, f"/cases/{other}/related/1/remove", {"reason": "Different mine"})
    assert removed.status_code == 303, removed.text
    for ref in (site.reference, other):
        page = _visible(site.client.get(f"/cases/{ref}?lang=en").text)
        assert "No related cases linked." in page
        assert "Link 1 to a related case removed: Same facts" in " ".join(page.split())
        assert "Different mine" in page


def test_only_a_handler_gets_the_forms_and_a_member_is_refused(site: Site) -> None:
    other = _other(site)
    _post(site, f"/cases/{site.reference}/related", {"kind": "same_facts", "case": other})
    site.sign_in_as("mari", "member", "member-b")
    page = site.client.get(f"/cases/{site.reference}?lang=en").text
    assert other in page and f'action="/cases/{site.reference}/related"' not in page
    before = dump(site.url)
    refused = _post(site, f"/cases/{site.reference}/related/1/remove", {})
    assert refused.status_code == 403
    assert dump(site.url) == before


def test_a_mediator_sees_that_a_related_case_exists_but_not_which(site: Site) -> None:
    other = _other(site, "A case the mediator may not see")
    _post(site, f"/cases/{site.reference}/related", {"kind": "same_facts", "case": other})
    site.services.mediators.add(
        actor="test", mediator_id="mekler", name="Mette Mekler", email="m@example.org"
    )
    site.services.mediators.assign(reference=site.reference, mediator="mekler", actor="test")
    users.add_user(
        uow=site.services.uow,
        clock=site.services.clock,
        name="mika",
        role="mediator",
        mediator_id="mekler",
        actor="test",
        password=PASSWORD,
    )
    site.client.cookies.clear()
    assert sign_in(site.client, "mika", PASSWORD).status_code == 303
    page = site.client.get(f"/cases/{site.reference}?lang=en").text
    assert "a case at this NCP that you may not see" in _visible(page)
    assert other not in page and "A case the mediator may not see" not in page
    api = site.client.get(f"/api/cases/{site.reference}/related").json()
    assert api["links"][0]["withheld"] is True and other not in str(api)
    assert site.client.get(f"/cases/{other}").status_code == 404


def test_the_register_shows_a_link_only_between_two_listed_cases(site: Site) -> None:
    listed, also, unlisted = site.reference, _other(site, "Listed too"), _other(site, "Not listed")
    services = site.services
    for ref in (listed, also):
        services.cases.advance(reference=ref, trigger="begin_assessment", actor="test", reason="Acknowledged")
        services.cases.advance(reference=ref, trigger="reject", actor="test", reason="Not material")
        services.cases.record(reference=ref, fact="assessment_published", on=date(2025, 6, 1), actor="test")
    services.case_links.link(reference=listed, kind="same_facts", case=also, actor="test")
    services.case_links.link(reference=listed, kind="follow_on", case=unlisted, actor="test")
    services.case_links.link(
        reference=listed, kind="parallel", ncp="SE", external_reference="S-1", actor="test"
    )
    site.client.cookies.clear()
    entry = site.client.get(f"/register/{listed}?lang=en")
    assert entry.status_code == 200, entry.text
    words = " ".join(_visible(entry.text).split())
    assert f"Same facts: {also} Listed too" in words
    assert unlisted not in entry.text and "Not listed" not in entry.text and "S-1" not in entry.text
    back = " ".join(_visible(site.client.get(f"/register/{also}?lang=nb").text).split())
    assert f"Samme faktiske forhold: {listed}" in back
