"""The public register of specific instances, for anyone, without signing in (states/register.py
says which cases and what an entry shows):

- `/register`: the listed cases, received newest first, with filters in the URL
  (`?year=2025&stage=good_offices&theme=iv&country=BR`: a plain GET form); a bad value answers 422
  with the page itself, in its language, naming the filter by its label and keeping what was typed;
- `/register/{ref}`: one entry, with its published documents;
- `/register/{ref}/documents/{number}`: a published document's content (its latest version),
  streamed as an attachment named after the reference and the number;
- `/register/feed.atom`: an Atom feed of the entries, the latest updated first (each entry's
  `updated` is its latest public event);
- `/register/export.csv`, `/register/export.json`: one row per listed case with the OECD
  database's fields (`ncpflow register export`).

An unknown case, a case not listed and a document that is not published all answer the same 404
page, so no answer tells them apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from babel import Locale
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.register_files import export_file
from ncpflow.web.auth import application_of, optional_user
from ncpflow.web.downloads import disposition, document_response
from ncpflow.web.pages.common import ENV, language, query, render, spelling
from ncpflow.web.pages.errors import error_page
from states.case_links import RELATIONS
from states.errors import NcpflowError
from states.guidelines import THEMES
from states.messages import N_
from states.register import ACCEPTED, Entry, NotInRegister, Register
from states.users import User
from translations import translator
from workflow import commands

router = APIRouter(include_in_schema=False)

# The filters by their labels on the page (register.html); a refusal names them so.
LABELS = {
    "year": N_("Year received"),
    "stage": N_("Stage"),
    "theme": N_("Guidelines chapter"),
    "country": N_("Host country"),
}
TYPED_MAX = 100  # characters of a filter's value read from the URL
FEED_SIZE = 100  # entries in the feed, the latest updated first
# Characters XML 1.0 does not allow (stored text may hold control characters): replaced in the feed.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXPORTS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def countries(lang: str) -> Mapping[str, str]:
    """Country names by ISO code in `lang` (Babel's CLDR data)."""
    return Locale.parse(lang).territories


def _typed(request: Request) -> dict[str, str]:
    return {name: request.query_params.get(name, "")[:TYPED_MAX] for name in LABELS}


def _found(request: Request, typed: Mapping[str, str]) -> tuple[Register | None, str | None]:
    """The register the URL's filters ask for, or None and the refusal in the page's words."""
    lang = language(request)
    spell = spelling(request, LABELS)
    try:
        chosen = commands.validate(commands.RegisterFilter, {k: v or None for k, v in typed.items()}, spell)
        found = application_of(request).register.entries(
            year=chosen.year, stage=chosen.stage, theme=chosen.theme, country=chosen.country, language=lang
        )
    except NcpflowError as refused:
        return None, refused.words(translator(lang), spell) or type(refused).__name__
    return found, None


def _words(lang: str) -> dict[str, Any]:
    tr = translator(lang)
    return {
        "themes": {theme: tr.gettext(title) for theme, title in THEMES.items()},
        "countries": countries(lang),
        "accepted": ACCEPTED,
        "relations": {code: tr.gettext(words) for code, words in RELATIONS.items()},
    }


@router.get("/register", response_class=HTMLResponse)
def register_page(request: Request) -> Response:
    """The listed cases, received newest first, narrowed by the filters in the URL."""
    typed = _typed(request)
    found, problem = _found(request, typed)
    lang = language(request)
    if found is None:  # the choices still come from the whole register
        found_all, _ = _found(request, {})
        choices = found_all.choices if found_all else {}
    else:
        choices = found.choices
    params = {k: v for k, v in typed.items() if v}
    page = render(
        request,
        "register.html",
        _reader(request),
        "register",
        register=found,
        typed=typed,
        choices=choices,
        filtered=bool(params),
        exports=[
            ("CSV", f"/register/export.csv?{query(lang=lang)}"),
            ("JSON", f"/register/export.json?{query(lang=lang)}"),
            (translator(lang).gettext(N_("Atom feed")), f"/register/feed.atom?{query(lang=lang)}"),
        ],
        flash_error=problem,
        **_words(lang),
    )
    if problem:
        page.status_code = 422
    return page


def _reader(request: Request) -> User | None:
    """Whoever is signed in, for the navigation only: every reader gets the same register."""
    try:
        return optional_user(request)
    except Exception:  # a stale or bad credential still reads the public register
        return None


def _missing(request: Request) -> Response:
    return error_page(request, 404)


@router.get("/register/feed.atom")
def register_feed(request: Request) -> Response:
    """The register as an Atom feed: each entry once, the latest updated first."""
    from states.register import newest_first

    app = application_of(request)
    lang = language(request)
    found = app.register.entries(language=lang)
    entries = newest_first(found.entries)[:FEED_SIZE]
    base = str(request.base_url).rstrip("/")
    if app.settings.web.public_url:
        base = str(app.settings.web.public_url).rstrip("/")
    updated = entries[0].updated_at if entries else datetime(1976, 1, 1, tzinfo=UTC)
    tr = translator(lang)
    body = ENV.get_template("register_feed.atom").render(
        lang=lang,
        base=base,
        updated=_atom_time(updated),
        entries=entries,
        atom_time=_atom_time,
        title=tr.gettext(N_("Register of specific instances")) + " · " + app.settings.ncp.name_in(lang),
        gettext=tr.gettext,
        ngettext=tr.ngettext,
        **_words(lang),
        **_terms(request, lang),
    )
    return Response(
        NOT_XML.sub("\ufffd", body),
        media_type="application/atom+xml; charset=utf-8",
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )


def _terms(request: Request, lang: str) -> dict[str, Any]:
    from ncpflow.web import i18n

    helpers = i18n.helpers(lang, application_of(request).words(lang))
    return {"term": helpers["term"], "party_type": helpers["party_type"], "day": helpers["day"]}


def _atom_time(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _export(request: Request, fmt: str) -> Response:
    rows = application_of(request).register.export()
    return Response(
        export_file(rows, fmt),
        media_type=EXPORTS[fmt],
        headers={
            "Content-Disposition": disposition(f"register.{fmt}"),
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/register/export.csv")
def register_csv(request: Request) -> Response:
    """The register as CSV: the OECD database's fields and the entry's own, one row per case."""
    return _export(request, "csv")


@router.get("/register/export.json")
def register_json(request: Request) -> Response:
    """The register as JSON: the OECD database's fields and the entry's own, one row per case."""
    return _export(request, "json")


@router.get("/register/{ref}", response_class=HTMLResponse)
def register_entry(request: Request, ref: str) -> Response:
    """One listed case's entry; the same 404 for a case not listed as for an unknown one."""
    lang = language(request)
    try:
        shown: Entry = application_of(request).register.entry(reference=ref, language=lang)
    except NotInRegister:
        return _missing(request)
    return render(request, "register_entry.html", _reader(request), "register", entry=shown, **_words(lang))


@router.get("/register/{ref}/documents/{number}")
def register_document(request: Request, ref: str, number: str) -> Response:
    """A published document of a listed case (its latest version), as an attachment; any other
    number answers the same 404 as an unknown case."""
    if not number.isdigit() or len(number) > 9:
        return _missing(request)
    try:
        opened = application_of(request).register.open(reference=ref, number=int(number))
    except NotInRegister:
        return _missing(request)
    return document_response(opened)
