"""The new-case form (`/cases/new`) over HTTP: every input of `case open`, more party rows without
JavaScript, refusals in the page's language that keep what was typed and write nothing, and who
may use it."""

from __future__ import annotations

import html
import re

import pytest
from markupsafe import escape

from states.pseudonyms import pseudonym
from tests.dbdump import dump
from tests.e2e.conftest import PASSWORD, Site
from tests.helpers import csrf_of, sign_in
from translations import translator
from workflow import users

FULL = {
    "title": "Tailings in the fjord",
    "received": "2026-01-05",
    "guidelines_edition": "2011",
    "sector": "Mining",
    "submitter-0-name": "Ola Nordmann",
    "submitter-0-type": "individual",
    "submitter-0-confidential": "yes",
    "submitter-1-name": "Friends of the Fjord",
    "submitter-1-type": "ngo",
    "submitter-1-org": "912345678",
    "enterprise-0-name": "Nordic Metals ASA",
    "enterprise-0-org": "923456789",
    "enterprise-1-name": "Fjord Shipping AS",
    "enterprise-1-org": "934567890",
    "themes": ["human_rights", "environment"],
    "host_countries": "no, SE",
    "supporting_ncps": "DK",
}


def _post(site: Site, data: dict[str, object], lang: str = "en") -> object:
    site.client.cookies.set("ncpflow_lang", lang)
    form = {**data, "csrf_token": site.csrf("/cases/new")}
    return site.client.post("/cases/new", data=form, follow_redirects=False)  # type: ignore[arg-type]


def _summary(page: str) -> list[tuple[str, str]]:
    """The error summary's problems: (the field linked, the message)."""
    return [
        (anchor, html.unescape(message))
        for anchor, message in re.findall(r'<li><a href="#([^"]+)">(.*?)</a></li>', page)
    ]


def _sign_in_as(site: Site, role: str, member: str | None = None) -> None:
    """A new user of `role`, signed in instead of the handler."""
    users.add_user(
        uow=site.services.uow,
        clock=site.services.clock,
        name=role,
        role=role,
        member_id=member,
        actor="test",
        password=PASSWORD,
    )
    site.client.cookies.clear()
    assert sign_in(site.client, role, PASSWORD).status_code == 303


def _value(page: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" type="[a-z]+" value="([^"]*)"', page)
    assert found, name
    return html.unescape(found[1])


def test_a_handler_opens_a_case_with_every_input_of_case_open(site: Site) -> None:
    """Two submitters (one confidential), two enterprises, org numbers, chapters, countries and the
    edition: the case holds them all, and the flash names the case and its lead."""
    answer = _post(site, FULL)
    assert answer.status_code == 303  # type: ignore[attr-defined]
    where = answer.headers["location"]  # type: ignore[attr-defined]
    reference = where.removeprefix("/cases/")
    page = site.client.get(where)
    assert f"Case {reference} opened; lead: Member B" in page.text
    case = site.services.cases.get(reference=reference)
    parties = {p.name: p for p in case.parties}
    assert [p.name for p in case.parties] == [
        "Ola Nordmann",
        "Friends of the Fjord",
        "Nordic Metals ASA",
        "Fjord Shipping AS",
    ]
    assert parties["Ola Nordmann"].confidential and not parties["Friends of the Fjord"].confidential
    assert parties["Ola Nordmann"].type == "individual" and parties["Friends of the Fjord"].type == "ngo"
    assert parties["Friends of the Fjord"].org_number == "912345678"
    assert parties["Nordic Metals ASA"].org_number == "923456789"
    assert parties["Fjord Shipping AS"].org_number == "934567890"
    assert case.details.themes == ("human_rights", "environment")
    assert case.details.host_countries == ("NO", "SE")
    assert case.details.supporting_ncps == ("DK",)
    assert case.details.guidelines_edition == "2011"
    assert case.details.sector == "Mining"
    assert case.received_on.isoformat() == "2026-01-05"
    with site.services.uow.read() as tx:
        opened = [e for e in tx.audit.entries() if e.case_ref == reference]
    assert [(e.kind, e.actor) for e in opened][:1] == [("opened", "hanna")]


def test_the_form_starts_with_two_rows_of_each_party_and_today_received(site: Site) -> None:
    """A blank form: two submitter and two enterprise rows, today's date, the current edition."""
    site.client.cookies.set("ncpflow_lang", "en")
    page = site.client.get("/cases/new").text
    for name in ["submitter-0-name", "submitter-1-name", "enterprise-0-name", "enterprise-1-name"]:
        assert f'name="{name}"' in page
    assert 'name="submitter-2-name"' not in page
    assert _value(page, "received") == site.services.today().isoformat()
    assert '<option value="2023" selected>' in page
    assert '<label for="theme-human_rights">IV. Human Rights</label>' in page


def test_adding_a_submitter_keeps_everything_typed_and_writes_nothing(site: Site) -> None:
    """ "Add a submitter" posts the form back: one more row, every value and tick kept, no case."""
    before = dump(site.url)
    answer = _post(site, {**FULL, "add": "submitter"})
    page = answer.text  # type: ignore[attr-defined]
    assert answer.status_code == 200  # type: ignore[attr-defined]
    assert 'name="submitter-2-name"' in page and 'name="enterprise-2-name"' not in page
    assert 'formaction="/cases/new#submitter-3-name"' in page
    for name in ["title", "submitter-0-name", "submitter-1-org", "enterprise-1-name", "host_countries"]:
        assert _value(page, name) == FULL[name]
    assert re.search(r'name="submitter-0-confidential" type="checkbox" value="yes" checked', page)
    assert not re.search(r'name="submitter-1-confidential" type="checkbox" value="yes" checked', page)
    assert '<option value="ngo" selected>' in page and '<option value="2011" selected>' in page
    assert re.search(r'name="themes" type="checkbox" value="environment" checked', page)
    assert csrf_of(page)  # the form keeps its token
    assert dump(site.url) == before


def test_empty_rows_are_left_out(site: Site) -> None:
    """A submitter in the second row and an enterprise in the third, the rest empty: one each."""
    data = {
        "title": "One of each",
        "submitter-1-name": "Friends of the Fjord",
        "enterprise-2-name": "Nordic Metals ASA",
        "submitter-0-type": "",
    }
    answer = _post(site, data)
    assert answer.status_code == 303  # type: ignore[attr-defined]
    reference = answer.headers["location"].removeprefix("/cases/")  # type: ignore[attr-defined]
    case = site.services.cases.get(reference=reference)
    assert [p.name for p in case.parties] == ["Friends of the Fjord", "Nordic Metals ASA"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                ("title", "Title is required and must not be blank"),
                ("submitter-1-org", "Submitter 2: Organisation number is 301 characters long; at most 300"),
                ("enterprise-0-name", "Enterprises needs at least 1 value(s)"),
                (
                    "host_countries",
                    "Host countries 'Narnia' is not an ISO 3166 alpha-2 country code (e.g. NO, BR, MM)",
                ),
            ],
        ),
        (
            "nb",
            [
                ("title", "Tittel er påkrevd og kan ikke være tom"),
                ("submitter-1-org", "Klager 2: Organisasjonsnummer er 301 tegn lang; høyst 300"),
                ("enterprise-0-name", "Virksomheter trenger minst 1 verdi(er)"),
                (
                    "host_countries",
                    "Vertsland 'Narnia' er ikke en landkode etter ISO 3166 alpha-2 (f.eks. NO, BR, MM)",
                ),
            ],
        ),
    ],
)
def test_a_refused_form_says_why_by_each_field_keeps_the_input_and_writes_nothing(
    site: Site, lang: str, expected: list[tuple[str, str]]
) -> None:
    """Every problem, in the page's language, in the summary linking to its field and beside it;
    the form comes back (422) with everything typed; the database is as it was."""
    before = dump(site.url)
    data = {
        **{name: value for name, value in FULL.items() if not name.startswith("enterprise-")},
        "title": " ",
        "submitter-1-org": "9" * 301,
        "host_countries": "NO, Narnia",
    }
    answer = _post(site, data, lang)
    page = answer.text  # type: ignore[attr-defined]
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert _summary(page) == expected
    for anchor, message in expected:
        assert f'id="{anchor}-error">{escape(message)}</p>' in page
        assert f'aria-describedby="{anchor}-error"' in page
    assert _value(page, "submitter-0-name") == "Ola Nordmann"
    assert _value(page, "submitter-1-org") == "9" * 301
    assert _value(page, "host_countries") == "NO, Narnia"
    assert re.search(r'name="submitter-0-confidential" type="checkbox" value="yes" checked', page)
    assert dump(site.url) == before


def test_a_received_date_in_the_future_is_refused_by_its_label(site: Site) -> None:
    """The use case's own refusal (a date to come) names the field too, and writes nothing."""
    before = dump(site.url)
    answer = _post(site, {**FULL, "received": "2199-01-01"})
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert _summary(answer.text) == [("received", "Received on 2199-01-01 is in the future")]  # type: ignore[attr-defined]
    assert dump(site.url) == before


@pytest.mark.parametrize("role", ["member", "auditor"])
def test_members_and_auditors_may_not_open_cases(site: Site, role: str) -> None:
    """No link to the form, and 403 for the form and its post."""
    site.client.cookies.set("ncpflow_lang", "en")
    assert 'href="/cases/new"' in site.client.get("/").text  # the handler's nav and dashboard
    token = site.csrf("/cases/new")
    _sign_in_as(site, role, "member-c" if role == "member" else None)
    site.client.cookies.set("ncpflow_lang", "en")
    assert 'href="/cases/new"' not in site.client.get("/").text
    assert site.client.get("/cases/new").status_code == 403
    before = dump(site.url)
    answer = site.client.post("/cases/new", data={**FULL, "csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 403
    assert dump(site.url) == before


def test_a_confidential_submitter_typed_in_the_form_is_a_pseudonym_to_auditors(site: Site) -> None:
    """The handler types the name; the case page shows it to the handler, its pseudonym to an
    auditor ("Klager 3c20e596" on a Norwegian page)."""
    answer = _post(site, FULL)
    reference = answer.headers["location"].removeprefix("/cases/")  # type: ignore[attr-defined]
    assert "Ola Nordmann" in site.client.get(f"/cases/{reference}").text
    _sign_in_as(site, "auditor")
    page = site.client.get(f"/cases/{reference}").text
    # The page is Norwegian (config.toml): its label is, the digits are the pseudonym's own.
    assert "Ola Nordmann" not in page and pseudonym(reference, "Ola Nordmann", translator("nb")) in page
    assert "Friends of the Fjord" in page
