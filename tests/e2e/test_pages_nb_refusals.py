"""Every page form refused on a Norwegian page says so in Norwegian: each kind of bad value
(blank, too long, NUL, not a whole number, not one of the choices, a stale form) comes back in
the catalogue's bokmål, naming the field by its Norwegian label, with no English sentence."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from markupsafe import escape

import translations
from tests.dbdump import dump
from tests.e2e.conftest import Site
from tests.helpers import csrf_of
from workflow.config import ConfigError, load_settings

PLACEHOLDER = re.compile(r"\{[a-z_0-9]+\}")
ALERT = re.compile(r'role="alert">(.*?)</(?:p|div)>', re.S)
WORDS = re.compile(r"[A-Za-z]{2,}(?:[ '-]+[A-Za-z]{2,})+")  # two English-looking words or more


def _catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


NB = _catalogue(translations.catalogue_path("nb"), "nb")
TEMPLATE = _catalogue(translations.TEMPLATE)


def _pattern(text: str) -> str:
    """A catalogue entry as a pattern: each placeholder any text."""
    return ".+?".join(re.escape(part) for part in PLACEHOLDER.split(text))


NB_TEXT = " ".join(m.string for m in NB if m.id and isinstance(m.string, str))
_ONE = (
    "(?:"
    + "|".join(
        _pattern(m.string)
        for m in NB  # entries with words of their own
        if m.id and isinstance(m.string, str) and re.search(r"[^\W\d_]{3}", PLACEHOLDER.sub("", m.string))
    )
    + ")"
)
# One bokmål sentence of the catalogue, or several joined by "; " (every problem of a form).
NB_MESSAGE = re.compile(f"{_ONE}(?:; {_ONE})*", re.S)
# The English of each message, between its placeholders, that its Norwegian does not keep.
ENGLISH = sorted(
    {
        words
        for m in TEMPLATE
        if m.id and isinstance(m.id, str)
        for part in PLACEHOLDER.split(m.id)
        for words in WORDS.findall(part)
        if words not in NB_TEXT
    },
    key=len,
    reverse=True,
)


def _alert(page: str) -> str:
    """The refusal a page shows (without the flash's translated heading)."""
    found = ALERT.findall(page)
    assert found, page[-2000:]
    text = html.unescape(re.sub(r"<strong>.*?</strong>", "", found[-1], flags=re.S)).strip()
    return re.sub(r"\s+", " ", text)


def _assert_norwegian(message: str) -> None:
    """Each sentence of `message` is one of the catalogue's bokmål sentences; no English
    wording of the catalogue is in it."""
    leaked = [words for words in ENGLISH if words in message]
    assert not leaked, f"English {leaked} in {message!r}"
    assert NB_MESSAGE.fullmatch(message), f"not the catalogue's bokmål: {message!r}"


LONG = 20_001  # past every form field's cap


@pytest.mark.parametrize(
    ("action", "form", "label"),
    [
        ("advance", {"trigger": "begin_assessment", "reason": "   "}, "Begrunnelse"),
        ("advance", {"trigger": "begin_assessment"}, "Begrunnelse"),
        ("advance", {"trigger": "begin_assessment", "reason": "r" * 2001}, "Begrunnelse"),
        ("advance", {"trigger": "begin_assessment", "reason": "r" * LONG}, "Begrunnelse"),
        ("advance", {"trigger": "begin_assessment", "reason": "a\x00b"}, "Begrunnelse"),
        ("advance", {"trigger": "begin_assessment", "reason": "r", "version": "²"}, "versjon"),
        ("advance", {"trigger": "begin_assessment", "reason": "r", "version": "9" * 20}, "versjon"),
        ("advance", {"trigger": "fly", "reason": "r"}, "steg"),
        ("advance", {"trigger": "begin_assessment", "reason": "r", "outcome": "victory"}, "Utfall"),
        (
            "advance",
            {"trigger": "begin_assessment", "reason": "r", "scope": "part"},
            "Omfang (bare ved antakelse)",
        ),
        ("pause", {"reason": ""}, "Begrunnelse"),
        ("pause", {"reason": "r" * 2001}, "Begrunnelse"),
        ("pause", {"reason": "Parallel proceedings", "requested_by": "q" * 301}, "Bedt om av"),
        ("pause", {"reason": "Parallel proceedings", "requested_by": "Nordic\x00"}, "Bedt om av"),
        ("resume", {"reason": "r" * 2001}, "Begrunnelse"),
        ("resume", {"reason": "a\x00b"}, "Begrunnelse"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_a_case_form_refused_on_a_norwegian_page_says_so_in_bokmal_naming_the_label(
    site: Site, action: str, form: dict[str, str], label: str
) -> None:
    """Advance, pause and resume: the input models' refusals and the routes' own caps alike."""
    case_page = f"/cases/{site.reference}?lang=nb"
    before = dump(site.url)
    answer = site.client.post(
        f"/cases/{site.reference}/{action}?lang=nb",
        data={**form, "csrf_token": site.csrf(case_page)},
        follow_redirects=False,
    )
    assert answer.status_code in (303, 422), answer.text[-2000:]
    page = site.client.get(case_page).text if answer.status_code == 303 else answer.text
    message = _alert(page)
    assert message.startswith(label), message
    _assert_norwegian(message)
    assert dump(site.url) == before


@pytest.mark.parametrize(
    ("path", "form", "status"),
    [
        ("/signin", {"username": "u" * 201, "password": "p"}, 422),
        ("/signin", {"username": "han\x00na", "password": "p"}, 422),
        ("/signin", {"username": "hanna", "password": "p" * 1001}, 422),
        ("/signin/code", {"code": "1" * 21, "pending": "x"}, 422),
        ("/signin/code", {"code": "123456", "pending": "x" * 1001}, 422),
        ("/signin", {"username": "hanna", "password": "p", "csrf_token": "stale"}, 403),
        ("/signin/code", {"code": "123456", "pending": "x", "csrf_token": ""}, 403),
    ],
)
def test_the_sign_in_form_refused_on_a_norwegian_page_comes_back_in_bokmal(
    site: Site, path: str, form: dict[str, str], status: int
) -> None:
    """Too long, a NUL, or a stale or missing pre-session token: the sign-in page again, in
    bokmål, with the status it always had (the stale form was an English JSON 403)."""
    data = {"csrf_token": site.csrf("/signin?lang=nb"), **form}
    answer = site.client.post(f"{path}?lang=nb", data=data, follow_redirects=False)
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    assert 'action="/signin"' in answer.text  # the form to fill again, with a fresh token
    assert csrf_of(answer.text)
    _assert_norwegian(_alert(answer.text))


def test_a_stale_case_form_on_a_norwegian_page_is_a_403_in_bokmal(site: Site) -> None:
    """Any page form without this browser's token, sign-out included: refused in words."""
    for action in (f"/cases/{site.reference}/pause", "/signout"):
        answer = site.client.post(f"{action}?lang=nb", data={"reason": "r", "csrf_token": "stale"})
        assert answer.status_code == 403
        _assert_norwegian(_alert(answer.text))
    assert site.client.post("/api/cases", json={}).status_code in (401, 403, 422)


def test_the_footer_names_the_ncp_in_the_page_s_language(site: Site) -> None:
    """`[ncp] name_nb` on bokmål pages, `name` on English ones."""
    settings = site.services.settings
    assert settings.ncp.name_nb
    nb = site.client.get("/signin?lang=nb").text
    en = site.client.get("/signin?lang=en").text
    # The footer goes on to the public register and journal (issue 15).
    assert f"<footer>ncpflow · {escape(settings.ncp.name_nb)} · " in nb
    assert f"<footer>ncpflow · {escape(settings.ncp.name)} · " in en


def test_the_norwegian_name_is_optional_and_held_to_the_name_s_rule(tmp_path: Path) -> None:
    """Left out, every page shows `name`; a control character in it is a ConfigError."""
    path = tmp_path / "config.toml"
    path.write_text('[ncp]\nname = "NCP Norway"\n', encoding="utf-8")
    assert load_settings(path).ncp.name_in("nb") == "NCP Norway"
    path.write_text('[ncp]\nname = "NCP"\nname_nb = "Kontakt\\u001bpunktet"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="name_nb"):
        load_settings(path)


def test_the_english_check_finds_an_english_refusal() -> None:
    """The check above would catch the English a page showed before: it is not vacuous."""
    with pytest.raises(AssertionError):
        _assert_norwegian("Begrunnelse is required and must not be blank")
    with pytest.raises(AssertionError):
        _assert_norwegian("the form is stale or was not sent by this site; reload the page")
    _assert_norwegian("Begrunnelse er påkrevd og kan ikke være tom")
