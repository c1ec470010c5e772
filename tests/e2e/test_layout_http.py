"""The pages' frame over HTTP: error pages for browsers in the page's language (the API keeps its
JSON), the language switch that keeps the page, and /docs served from the package."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from fastapi import APIRouter

from ncpflow.web.pages import router as pages_router
from states.errors import TransitionNotAllowedError
from tests.e2e.conftest import Site
from tests.helpers import csrf_of

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def _links(page: str) -> dict[str, str]:
    """The language switch's links by language (the current one is no link)."""
    return {
        code: html.unescape(href)
        for href, code in re.findall(r'<a href="([^"]*)" hreflang="(\w+)" lang="\w+">', page)
    }


@pytest.mark.parametrize(
    ("lang", "title", "sentence"),
    [
        ("en", "Page not found", "There is no page at /no/such/page."),
        ("nb", "Fant ikke siden", "Det finnes ingen side på /no/such/page."),
    ],
)
def test_a_browser_asking_for_an_unknown_address_gets_a_404_page_in_its_language(
    site: Site, lang: str, title: str, sentence: str
) -> None:
    """Outside /api an unknown address answers a browser with a page, not JSON."""
    answer = site.client.get(f"/no/such/page?lang={lang}", headers=BROWSER)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in answer.text
    assert f"<h1>{title}</h1>" in answer.text and sentence in answer.text
    assert "script-src 'none'" in answer.headers["content-security-policy"]


def test_the_api_and_clients_not_asking_for_html_keep_the_json_404(site: Site) -> None:
    """`/api/...` answers JSON even to a browser; any path answers JSON to a client not asking for HTML."""
    assert site.client.get("/api/no-such", headers=BROWSER).json() == {
        "error": "not_found",
        "detail": "Not Found",
    }
    assert site.client.get("/no/such/page").json() == {"error": "not_found", "detail": "Not Found"}
    api = site.client.get("/api/cases/NCP-1999-999", headers=BROWSER)
    assert api.status_code == 404 and api.json()["error"] == "not_found"


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "No case NCP-1999-999"), ("nb", "Ingen sak NCP-1999-999")]
)
def test_an_unknown_case_is_named_on_its_404_page(site: Site, lang: str, title: str) -> None:
    """The case page of a reference that does not exist says so, naming it."""
    answer = site.client.get(f"/cases/NCP-1999-999?lang={lang}", headers=BROWSER)
    assert answer.status_code == 404
    assert f"<h1>{title}</h1>" in answer.text
    assert "Something was not accepted" not in answer.text and "ble ikke godtatt" not in answer.text
    assert 'aria-current="page"' not in answer.text or "/signout" in answer.text  # the signed-in frame


def _advance_as_auditor(site: Site, query: str, headers: dict[str, str]) -> httpx.Response:
    """An auditor sends the case's advance form (with a valid token)."""
    site.sign_in_as("aud", "auditor")
    token = csrf_of(site.client.get(f"/cases/{site.reference}{query}").text)
    return site.client.post(
        f"/cases/{site.reference}/advance",
        data={"trigger": "begin_assessment", "reason": "sneaky", "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    )


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "Your role (auditor) may not advance any case."),
        ("nb", "Rollen din (revisor) kan ikke flytte en hvilken som helst sak videre."),
    ],
)
def test_a_form_the_role_may_not_send_answers_a_403_page_naming_what_it_may_not_do(
    site: Site, lang: str, sentence: str
) -> None:
    """The refusal is worded: the role and the action, in the page's language; nothing is written."""
    answer = _advance_as_auditor(site, f"?lang={lang}", BROWSER)
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("text/html")
    assert sentence in html.unescape(answer.text)
    assert site.client.get(f"/api/cases/{site.reference}").json()["state"] == "received"


def test_the_api_keeps_its_json_403(site: Site) -> None:
    """A refused page post from a client not asking for HTML keeps the JSON body it had."""
    answer = _advance_as_auditor(site, "", {})
    assert answer.status_code == 403
    assert answer.json()["detail"] == "role 'auditor' may not advance any case"


@pytest.fixture
def broken_pages(site: Site) -> Site:
    """Two page routes that fail: a refused step and a crash (as if in ncpflow.web.pages)."""
    router = APIRouter()

    def refused_step() -> None:
        raise TransitionNotAllowedError(
            reference=site.reference, state="received", trigger="close", allowed=["begin_assessment"]
        )

    def crashing() -> None:
        raise RuntimeError("secret detail of the crash")

    for path, endpoint in [("/refused-step", refused_step), ("/crashing", crashing)]:
        endpoint.__module__ = "ncpflow.web.pages.cases"
        router.add_api_route(path, endpoint)
    site.client.app.include_router(router)  # type: ignore[attr-defined]
    assert pages_router  # the pages are there
    return site


def test_a_refused_step_reached_by_a_page_answers_a_409_page(broken_pages: Site) -> None:
    """The step's refusal, worded in the page's language, on a page with status 409."""
    answer = broken_pages.client.get("/refused-step?lang=en", headers=BROWSER)
    assert answer.status_code == 409
    assert "<h1>Not possible now</h1>" in answer.text
    # The lifecycle's names in words, on an English page too.
    assert "trigger &#39;Close&#39; is not allowed; allowed now: Begin assessment" in answer.text
    norwegian = broken_pages.client.get("/refused-step?lang=nb", headers=BROWSER)
    assert "<h1>Ikke mulig nå</h1>" in norwegian.text


def test_a_crash_on_a_page_answers_a_500_page_without_a_traceback_and_logs_it(
    broken_pages: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    """The page says the details are in the log; the log has them; the client learns nothing."""
    answer = broken_pages.client.get("/crashing?lang=nb", headers=BROWSER)
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("text/html")
    assert "<h1>Noe gikk galt</h1>" in answer.text
    assert "secret detail" not in answer.text and "Traceback" not in answer.text
    logged = capsys.readouterr()
    assert "request_crashed" in logged.out + logged.err
    assert "secret detail" in logged.out + logged.err
    plain = broken_pages.client.get("/crashing")
    assert plain.json()["error"] == "internal"


def test_the_language_switch_keeps_the_page_and_its_filters(site: Site) -> None:
    """Only `lang` changes: the path and every other query value stay, escaped."""
    page = site.client.get(f"/audit?case={site.reference}&kind=transitioned&lang=en").text
    assert _links(page) == {"nb": f"/audit?case={site.reference}&kind=transitioned&lang=nb"}
    assert f'href="/audit?case={site.reference}&amp;kind=transitioned&amp;lang=nb"' in page
    assert '<strong lang="en">English</strong>' in page
    case = site.client.get(f"/cases/{site.reference}?lang=nb").text
    assert _links(case) == {"en": f"/cases/{site.reference}?lang=en"}


def test_the_language_switch_on_the_sign_in_page_keeps_next(site: Site) -> None:
    """Switching language before signing in keeps the deep link, also after a refused sign-in."""
    site.client.cookies.clear()
    target = f"/cases/{site.reference}?lang=en"
    page = site.client.get("/signin", params={"next": target, "lang": "en"}).text
    assert _links(page) == {"nb": f"/signin?next=%2Fcases%2F{site.reference}%3Flang%3Den&lang=nb"}
    refused = site.client.post(
        "/signin?lang=en",
        data={"username": "hanna", "password": "wrong", "csrf_token": csrf_of(page), "next": target},
    )
    assert refused.status_code == 401
    assert _links(refused.text) == {"nb": f"/signin?next=%2Fcases%2F{site.reference}%3Flang%3Den&lang=nb"}


@pytest.mark.parametrize("path", ["//evil.example/x", "/%5Cevil.example/x", "/\\evil.example"])
def test_the_language_switch_never_leads_off_the_site(site: Site, path: str) -> None:
    """A path that a browser would read as another host stays a path on this site."""
    answer = site.client.get(path + "?lang=en", headers=BROWSER)
    for href in _links(answer.text).values():
        assert href.startswith("/") and not href.startswith("//") and "\\" not in href, href


def test_the_api_docs_load_nothing_from_another_host(site: Site) -> None:
    """/docs is Swagger UI with its script, stylesheet and icon served by the app; no ReDoc."""
    page = site.client.get("/docs")
    assert page.status_code == 200
    urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert urls and all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert "http://" not in page.text and "https://" not in page.text
    for url, kind in [
        ("/docs/swagger-ui-bundle.js", "text/javascript"),
        ("/docs/swagger-ui.css", "text/css"),
        ("/docs/favicon-32x32.png", "image/png"),
    ]:
        asset = site.client.get(url)
        assert asset.status_code == 200 and asset.headers["content-type"].startswith(kind), url
        assert len(asset.content) > 500
    assert site.client.get("/docs/other.js").status_code == 404
    assert site.client.get("/redoc").status_code == 404
