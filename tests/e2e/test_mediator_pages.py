"""The mediators' pages through HTTP: the register (add, a refusal kept as typed, change), a
case's mediation (a hard conflict refused on the page with nothing written, then assigned with an
override; a party added later shows as a warning on the case page; a session recorded in NCP-local
time), and a mediator's user who sees only its own case's pages (every other case is 404)."""

from __future__ import annotations

import re
from datetime import date

from tests.dbdump import dump
from tests.e2e.conftest import PASSWORD, Site
from tests.helpers import sign_in
from workflow import users
from workflow.cases import PartyInput


def _english(site: Site) -> None:
    """The pages in English (the NCP's own language, config.toml's, is Norwegian)."""
    assert site.client.get("/?lang=en").status_code == 200


def _add(site: Site) -> None:
    added = site.client.post(
        "/mediators",
        data={
            "id": "kari",
            "name": "Kari Nordmann",
            "email": "kari@example.org",
            "languages": "nb, en",
            "conflicts": "Nordic Metals ASA",
            "soft_conflicts": "=987654321",
            "csrf_token": site.csrf("/mediators"),
        },
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text


def test_the_register_adds_refuses_as_typed_and_changes_a_mediator(site: Site) -> None:
    """A bad e-mail comes back 422 naming the field by its label, with what was typed; a good
    one is listed with its conflicts; a change says which fields were saved."""
    _english(site)
    bad = site.client.post(
        "/mediators",
        data={"id": "kari", "name": "Kari Nordmann", "email": "nope", "csrf_token": site.csrf("/mediators")},
    )
    assert bad.status_code == 422 and "E-mail" in bad.text and 'value="Kari Nordmann"' in bad.text
    _add(site)
    page = site.client.get("/mediators").text
    assert "Kari Nordmann" in page and "Nordic Metals ASA" in page and "=987654321" in page
    changed = site.client.post(
        "/mediators/kari",
        data={
            "name": "Kari Nordmann",
            "email": "kari@example.org",
            "languages": "nb",
            "conflicts": "Nordic Metals ASA",
            "soft_conflicts": "",
            "active": "1",
            "csrf_token": site.csrf("/mediators/kari"),
        },
    )
    assert changed.status_code == 200 and "Languages, Soft conflicts" in changed.text
    norwegian = site.client.get("/mediators?lang=nb").text
    assert "Meklere" in norwegian


def test_a_hard_conflict_is_refused_on_the_page_and_an_override_assigns(site: Site) -> None:
    """The refusal names the mediator, the party and the conflict and writes nothing; with an
    override reason the mediator is assigned and the conflict shown."""
    _english(site)
    _add(site)
    ref = site.reference
    at = f"/cases/{ref}/mediation"
    before = dump(site.url)
    refused = site.client.post(at + "/assign", data={"mediator": "kari", "csrf_token": site.csrf(at)})
    assert refused.status_code == 422
    assert (
        "Kari Nordmann" in refused.text
        and "enterprise-1" in refused.text
        and "Override reason" in refused.text
    )
    assert dump(site.url) == before
    done = site.client.post(
        at + "/assign", data={"mediator": "kari", "override": "Both agreed", "csrf_token": site.csrf(at)}
    )
    assert done.status_code == 200 and "Mediator kari assigned" in done.text
    assert "Both agreed" in done.text and "hard conflict" in done.text
    case_page = site.client.get(f"/cases/{ref}").text
    assert 'id="mediator-conflict"' in case_page and "Kari Nordmann" in case_page


def test_a_party_added_later_warns_on_the_case_page(site: Site) -> None:
    """Assigned without a conflict; a conflicting party added afterwards shows a warning."""
    _english(site)
    site.services.mediators.add(
        actor="sek",
        mediator_id="ola",
        name="Ola Mekler",
        email="ola@example.org",
        conflicts=(("Late AS", None),),
    )
    ref = site.reference
    site.services.mediators.assign(reference=ref, mediator="ola", actor="sek")
    assert 'id="mediator-conflict"' not in site.client.get(f"/cases/{ref}").text
    site.services.parties.add_party(reference=ref, actor="sek", role="enterprise", name="Late AS")
    assert 'id="mediator-conflict"' in site.client.get(f"/cases/{ref}").text


def test_a_session_is_recorded_on_the_page_in_ncp_local_time(site: Site) -> None:
    """datetime-local input is the NCP's time; the page shows it with its zone; a bad format is
    refused naming the field, keeping what was typed."""
    _english(site)
    ref = site.reference
    at = f"/cases/{ref}/mediation"
    bad = site.client.post(
        at + "/sessions",
        data={"starts": "2025-06-10T10:00", "format": "fax", "place": "Oslo", "csrf_token": site.csrf(at)},
    )
    assert bad.status_code == 422 and "Format" in bad.text and 'value="Oslo"' in bad.text
    done = site.client.post(
        at + "/sessions",
        data={
            "starts": "2025-06-10T10:00",
            "format": "video",
            "attendees": ["submitter-1", "enterprise-1"],
            "others": "A. Observer",
            "interpreters": "fr",
            "notes": "Internal note",
            "csrf_token": site.csrf(at),
        },
    )
    assert done.status_code == 200 and "Session 1 recorded" in done.text
    assert "2025-06-10 10:00 CEST" in done.text and "A. Observer" in done.text


def _cell(page: str, label: str) -> list[str]:
    """Each table cell's visible text with `label` (data-label), in the page's order."""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", found).split())
        for found in re.findall(rf'<td class="text" data-label="{label}">(.*?)</td>', page, re.S)
    ]


def test_interpreters_and_mediators_languages_are_named_in_the_pages_language(site: Site) -> None:
    """A session with interpreters `fr, se` and a mediator speaking `nb, en`: the languages by
    their names in English and in Norwegian (Babel's display names), never the codes."""
    _english(site)
    _add(site)
    ref = site.reference
    at = f"/cases/{ref}/mediation"
    done = site.client.post(
        at + "/sessions",
        data={
            "starts": "2025-06-10T10:00",
            "format": "video",
            "interpreters": "fr, se",
            "csrf_token": site.csrf(at),
        },
    )
    assert done.status_code == 200, done.text
    assert _cell(site.client.get(f"{at}?lang=en").text, "Interpreters") == ["French, Northern Sami"]
    assert _cell(site.client.get(f"{at}?lang=nb").text, "Tolker") == ["fransk, nordsamisk"]
    assert _cell(site.client.get("/mediators?lang=en").text, "Languages") == ["Norwegian Bokmål, English"]
    assert _cell(site.client.get("/mediators?lang=nb").text, "Språk") == ["norsk bokmål, engelsk"]


def test_a_mediator_user_sees_its_own_case_and_no_other(site: Site) -> None:
    """Its case's page, mediation and documents answer; the other case's answer 404 and name
    neither its reference's title nor its parties; lists hold its case only; the register,
    reports, the audit log and the journal are refused."""
    _english(site)
    _add(site)
    mine = site.reference
    site.services.mediators.assign(reference=mine, mediator="kari", actor="sek", override="ok")
    other = site.services.cases.open(
        actor="sek",
        title="Secret matter",
        enterprises=[PartyInput("Hidden Company AS")],
        submitters=[PartyInput("Quiet Union")],
        received=date(2025, 2, 1),
    ).reference
    users.add_user(
        uow=site.services.uow,
        clock=site.services.clock,
        name="kari-user",
        role="mediator",
        mediator_id="kari",
        actor="test",
        password=PASSWORD,
    )
    site.client.cookies.clear()
    assert sign_in(site.client, "kari-user", PASSWORD).status_code == 303
    _english(site)
    for path in (
        "/",
        "/cases",
        "/calendar",
        f"/cases/{mine}",
        f"/cases/{mine}/mediation",
        f"/cases/{mine}/documents",
    ):
        page = site.client.get(path)
        assert page.status_code == 200, (path, page.text[:300])
        assert other not in page.text and "Hidden Company" not in page.text, path
    assert mine in site.client.get("/cases").text
    for path in (
        f"/cases/{other}",
        f"/cases/{other}/mediation",
        f"/cases/{other}/parties",
        f"/cases/{other}/documents",
    ):
        page = site.client.get(path)
        assert page.status_code == 404, path
        assert "Hidden Company" not in page.text and "Secret matter" not in page.text
    for path in ("/mediators", "/reports", "/audit", "/journal", "/members"):
        assert site.client.get(path).status_code == 403, path
    recorded = site.client.post(
        f"/cases/{mine}/mediation/sessions",
        data={
            "starts": "2025-06-10T10:00",
            "format": "phone",
            "csrf_token": site.csrf(f"/cases/{mine}/mediation"),
        },
    )
    assert recorded.status_code == 200 and "Session 1 recorded" in recorded.text


def test_the_admin_creates_a_mediator_user_on_the_users_page(site: Site) -> None:
    """Role mediator with its mediator chosen; without one the form comes back naming it."""
    _add(site)
    site.client.cookies.clear()
    assert sign_in(site.client, "ada", PASSWORD).status_code == 303
    _english(site)
    missing = site.client.post(
        "/admin/users",
        data={
            "name": "m1",
            "role": "mediator",
            "password": PASSWORD,
            "csrf_token": site.csrf("/admin/users"),
        },
    )
    assert missing.status_code == 422 and "Mediator" in missing.text
    made = site.client.post(
        "/admin/users",
        data={
            "name": "m1",
            "role": "mediator",
            "mediator": "kari",
            "password": PASSWORD,
            "csrf_token": site.csrf("/admin/users"),
        },
    )
    assert made.status_code == 200, made.text
    assert 'Mediator: <a href="/mediators/kari">kari</a>' in site.client.get("/admin/users").text
