"""Bad query and form values over HTTP: a 4xx naming the value, never a 500 or a traceback,
and nothing written. Unicode digits ('²', Arabic-Indic), NUL characters, and any unexpected crash."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from tests.conftest import ROOT
from tests.dbdump import dump
from tests.helpers import csrf_of, sign_in
from workflow import cases, users
from workflow.bootstrap import Services, bootstrap
from workflow.config import load_settings
from workflow.rotation import sync_members

PASSWORD = "correct horse battery"


class Site:
    def __init__(self, client: TestClient, services: Services, url: str) -> None:
        self.client, self.services, self.url = client, services, url
        users.add_user(uow=services.uow, clock=services.clock, name="hanna", role="handler",
                       member_id=None, actor="test", password=PASSWORD)
        self.reference = cases.open_case(
            uow=services.uow, clock=services.clock, policy=services.policy,
            reference_prefix="NCP", title="Mine tailings",
            submitters=[cases.PartyInput("Friends of the Fjord")],
            enterprises=[cases.PartyInput("Nordic Metals ASA")], actor="test",
            received=date(2025, 1, 31)).reference
        assert sign_in(client, "hanna", PASSWORD).status_code == 303

    def csrf(self, path: str) -> str:
        return csrf_of(self.client.get(path).text)


@pytest.fixture
def site(sqlite_url: str) -> Iterator[Site]:
    settings = load_settings(ROOT / "config.toml", database_url=sqlite_url)
    services = bootstrap(settings)
    sync_members(uow=services.uow, clock=services.clock, settings=settings)
    app = create_app(services, secret="test-secret")
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Site(client, services, sqlite_url)
    services.close()


@pytest.mark.parametrize("value", ["²", "١", "１", "-1", "9" * 30, "abc"])
def test_the_audit_pages_before_takes_ascii_digits_only(site: Site, value: str) -> None:
    """`/audit?before=²` was a 500 and an Arabic-Indic one was taken as a number: both are a 422 naming it."""
    answer = site.client.get("/audit", params={"before": value})
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_input"
    assert "before must be a whole number" in answer.json()["detail"]


@pytest.mark.parametrize("version", ["²", "١", "two", "-1", "9" * 20])
def test_a_form_version_that_is_not_a_whole_number_is_refused_and_nothing_written(
        site: Site, version: str) -> None:
    """The transition form's version: refused with a message, never ignored, never a 500."""
    before = dump(site.url)
    answer = site.client.post(f"/cases/{site.reference}/advance", data={
        "trigger": "begin_assessment", "reason": "Receipt acknowledged", "version": version,
        "csrf_token": site.csrf(f"/cases/{site.reference}")}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/cases/{site.reference}"
    page = site.client.get(f"/cases/{site.reference}")
    assert "version must be a whole number" in page.text
    assert dump(site.url) == before


def test_a_form_version_in_ascii_digits_still_guards_the_step(site: Site) -> None:
    """A right version advances; the check is stricter, not off."""
    answer = site.client.post(f"/cases/{site.reference}/advance", data={
        "trigger": "begin_assessment", "reason": "Receipt acknowledged", "version": "1",
        "csrf_token": site.csrf(f"/cases/{site.reference}")}, follow_redirects=False)
    assert answer.status_code == 303
    assert "initial_assessment" in site.client.get(
        f"/api/cases/{site.reference}").json()["state"]


@pytest.mark.parametrize("path", ["/api/cases?lead=a%00b", "/api/deadlines.ics?member=%00",
                                  "/audit?kind=%00", "/cases/%00"])
def test_a_nul_character_in_the_url_is_a_422(site: Site, path: str) -> None:
    """PostgreSQL cannot hold NUL; the URL is refused before any query, on every backend."""
    answer = site.client.get(path)
    assert answer.status_code == 422
    assert answer.json() == {"error": "invalid_input",
                             "detail": "the URL holds a NUL character (%00)"}


@pytest.mark.parametrize(("action", "form"), [
    ("advance", {"trigger": "begin_assessment", "reason": "Receipt\x00 acknowledged"}),
    ("pause", {"reason": "Parallel proceedings", "requested_by": "Nordic\x00"}),
])
def test_a_nul_character_in_a_page_form_is_refused_and_nothing_written(
        site: Site, action: str, form: dict[str, str]) -> None:
    """Page forms follow the API's text rule: no NUL, so SQLite and PostgreSQL agree."""
    before = dump(site.url)
    answer = site.client.post(f"/cases/{site.reference}/{action}", data={
        **form, "csrf_token": site.csrf(f"/cases/{site.reference}")}, follow_redirects=False)
    assert answer.status_code == 422
    assert "NUL" in answer.json()["detail"]
    assert dump(site.url) == before


def test_an_unexpected_crash_answers_a_bare_500_and_logs_the_traceback(
        site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    """Whatever breaks, the body says nothing of the code; the server's log has the details."""
    def broken() -> None:
        raise RuntimeError("secret detail of the crash")

    site.client.app.add_api_route("/broken", broken)  # type: ignore[attr-defined]
    answer = site.client.get("/broken")
    assert answer.status_code == 500
    assert answer.json() == {"error": "internal", "detail": "the server failed to answer this "
                             "request; the details are in its log"}
    assert "secret detail" not in answer.text and "Traceback" not in answer.text
    logged = capsys.readouterr()
    assert "request_crashed" in logged.out + logged.err


@pytest.mark.parametrize(("action", "form", "words"), [
    ("advance", {"trigger": "begin_assessment", "reason": "r" * 2001},
     "Reason is 2001 characters long; at most 2000"),
    ("advance", {"trigger": "begin_assessment", "reason": "   "},
     "Reason is required and must not be blank"),
    ("advance", {"trigger": "begin_assessment", "reason": "r", "scope": "in part"},
     "Scope (accept only) goes with the"),
    ("pause", {"reason": "Parallel proceedings", "requested_by": "q" * 301},
     "Requested by is 301 characters long; at most 300"),
])
def test_a_step_form_out_of_bounds_comes_back_naming_the_field_and_writes_nothing(
        site: Site, action: str, form: dict[str, str], words: str) -> None:
    """The step forms share the API's input models: back to the case page, the field named
    by its label."""
    site.client.get(f"/cases/{site.reference}?lang=en")  # the labels in English
    before = dump(site.url)
    answer = site.client.post(f"/cases/{site.reference}/{action}", data={
        **form, "csrf_token": site.csrf(f"/cases/{site.reference}")}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/cases/{site.reference}"
    page = site.client.get(f"/cases/{site.reference}").text
    assert html.escape(words, quote=True) in page, page[-3000:]
    assert dump(site.url) == before
