"""Bad query and form values over HTTP: a 4xx naming the value, never a 500 or a traceback,
and nothing written. Unicode digits ('²', Arabic-Indic), NUL characters, and any unexpected crash."""

from __future__ import annotations

import html

import pytest

from tests.dbdump import dump
from tests.e2e.conftest import Site  # the `site` fixture is in conftest


@pytest.mark.parametrize("value", ["²", "١", "１", "-1", "9" * 30, "abc"])
def test_the_audit_pages_before_takes_ascii_digits_only(site: Site, value: str) -> None:
    """`/audit?before=²` was a 500 and an Arabic-Indic one was taken as a number: both are a 422 naming it."""
    answer = site.client.get("/audit", params={"before": value, "lang": "en"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_input"
    assert "before must be a whole number" in answer.json()["detail"]


@pytest.mark.parametrize("version", ["²", "١", "two", "-1", "9" * 20])
def test_a_form_version_that_is_not_a_whole_number_is_refused_and_nothing_written(
    site: Site, version: str
) -> None:
    """The transition form's version: refused with a message, never ignored, never a 500."""
    site.client.get(f"/cases/{site.reference}?lang=en")  # the message in English
    before = dump(site.url)
    answer = site.client.post(
        f"/cases/{site.reference}/advance",
        data={
            "trigger": "begin_assessment",
            "reason": "Receipt acknowledged",
            "version": version,
            "csrf_token": site.csrf(f"/cases/{site.reference}"),
        },
        follow_redirects=False,
    )
    assert answer.status_code == 422  # the case's page again, the form as it was sent
    assert "version must be a whole number" in answer.text
    assert dump(site.url) == before


def test_a_form_version_in_ascii_digits_still_guards_the_step(site: Site) -> None:
    """A right version advances; the check is stricter, not off."""
    answer = site.client.post(
        f"/cases/{site.reference}/advance",
        data={
            "trigger": "begin_assessment",
            "reason": "Receipt acknowledged",
            "version": "1",
            "csrf_token": site.csrf(f"/cases/{site.reference}"),
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "initial_assessment" in site.client.get(f"/api/cases/{site.reference}").json()["state"]


@pytest.mark.parametrize(
    "path", ["/api/cases?lead=a%00b", "/api/deadlines.ics?member=%00", "/audit?kind=%00", "/cases/%00"]
)
def test_a_nul_character_in_the_url_is_a_422(site: Site, path: str) -> None:
    """PostgreSQL cannot hold NUL; the URL is refused before any query, on every backend."""
    answer = site.client.get(path)
    assert answer.status_code == 422
    assert answer.json() == {"error": "invalid_input", "detail": "the URL holds a NUL character (%00)"}


@pytest.mark.parametrize(
    ("action", "form"),
    [
        ("advance", {"trigger": "begin_assessment", "reason": "Receipt\x00 acknowledged"}),
        ("pause", {"reason": "Parallel proceedings", "requested_by": "Nordic\x00"}),
    ],
)
def test_a_nul_character_in_a_page_form_is_refused_and_nothing_written(
    site: Site, action: str, form: dict[str, str]
) -> None:
    """Page forms follow the API's text rule: no NUL, so SQLite and PostgreSQL agree; the
    refusal is a page naming the field by its label."""
    before = dump(site.url)
    site.client.get(f"/cases/{site.reference}?lang=en")
    answer = site.client.post(
        f"/cases/{site.reference}/{action}",
        data={**form, "csrf_token": site.csrf(f"/cases/{site.reference}")},
        follow_redirects=False,
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert "must not contain NUL characters" in answer.text
    assert dump(site.url) == before


def test_an_unexpected_crash_answers_a_bare_500_and_logs_the_traceback(
    site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whatever breaks, the body says nothing of the code; the server's log has the details."""

    def broken() -> None:
        raise RuntimeError("secret detail of the crash")

    site.client.app.add_api_route("/broken", broken)  # type: ignore[attr-defined]
    answer = site.client.get("/broken")
    assert answer.status_code == 500
    assert answer.json() == {
        "error": "internal",
        "detail": "the server failed to answer this request; the details are in its log",
    }
    assert "secret detail" not in answer.text and "Traceback" not in answer.text
    logged = capsys.readouterr()
    assert "request_crashed" in logged.out + logged.err


@pytest.mark.parametrize(
    ("action", "form", "words"),
    [
        (
            "advance",
            {"trigger": "begin_assessment", "reason": "r" * 2001},
            "Reason is 2001 characters long; at most 2000",
        ),
        (
            "advance",
            {"trigger": "begin_assessment", "reason": "   "},
            "Reason is required and must not be blank",
        ),
        (
            "advance",
            {"trigger": "begin_assessment", "reason": "r", "scope": "in part"},
            "Scope (accept only) goes with the",
        ),
        (
            "pause",
            {"reason": "Parallel proceedings", "requested_by": "q" * 301},
            "Requested by is 301 characters long; at most 300",
        ),
    ],
)
def test_a_step_form_out_of_bounds_comes_back_naming_the_field_and_writes_nothing(
    site: Site, action: str, form: dict[str, str], words: str
) -> None:
    """The step forms share the API's input models: the case page again (422), the field named
    by its label and the typed values kept."""
    site.client.get(f"/cases/{site.reference}?lang=en")  # the labels in English
    before = dump(site.url)
    answer = site.client.post(
        f"/cases/{site.reference}/{action}",
        data={**form, "csrf_token": site.csrf(f"/cases/{site.reference}")},
        follow_redirects=False,
    )
    assert answer.status_code == 422
    page = answer.text
    assert html.escape(words, quote=True) in page, page[-3000:]
    assert f'value="{html.escape(form["reason"], quote=True)}"' in page
    assert dump(site.url) == before
