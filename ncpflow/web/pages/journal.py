"""The journal of documents received and sent (offentlig journal): `/journal` for signed-in users
(the NCP's view, or its public variant), `/public/journal` for anyone, without signing in (the
public variant only: no exempt or internal title, no protected name), each with its CSV and JSON
downloads. The period and the variant live in the URL (`?from=2025-01-01&to=2025-12-31&public=1`):
plain GET forms; a bad date answers 422 with the page, in its language, naming the field by its
label and keeping what was typed. With neither date in the URL, the page shows the last
`RECENT_DAYS` days (the downloads then hold the same).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.journal_files import filename, journal_file
from ncpflow.web.auth import application_of
from ncpflow.web.pages.common import guard, language, query, render, spelling
from states import journal as rules
from states.errors import InvalidInputError
from states.messages import N_
from states.permissions import Action
from states.users import User
from translations import translator
from workflow import commands, read_models

router = APIRouter(include_in_schema=False)

RECENT_DAYS = 30
"""The period the page shows when the URL names none: the last 30 days."""
# The form's fields by their labels on the page (journal.html), and by their names in the URL.
LABELS = {"since": N_("From"), "until": N_("To"), "public": N_("Public variant")}
IN_URL = {"since": "from", "until": "to"}
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@dataclass(frozen=True)
class Shown:
    """What the URL asked for (as typed, kept after a refusal), the journal it gives, or the
    refusal worded in the page's language."""

    typed: Mapping[str, str]
    journal: read_models.Journal | None
    problem: str | None


def _shown(request: Request, user: User | None, *, public: bool) -> Shown:
    asked = request.query_params
    typed = {name: (asked.get(IN_URL.get(name, name)) or "")[:100] for name in ("since", "until")}
    if "from" not in asked and "to" not in asked:
        typed["since"] = (application_of(request).today() - timedelta(days=RECENT_DAYS)).isoformat()
    typed["public"] = "1" if public or asked.get("public") not in (None, "", "0") else ""
    lang = language(request)
    spell = spelling(request, LABELS)
    try:
        chosen = commands.validate(
            commands.JournalFilter,
            {
                "since": typed["since"] or None,
                "until": typed["until"] or None,
                "public": bool(typed["public"]),
            },
            spell,
        )
    except InvalidInputError as refused:
        return Shown(typed, None, refused.words(translator(lang), spell) or type(refused).__name__)
    found = application_of(request).journal.entries(**chosen.arguments(), viewer=user, language=lang)
    return Shown(typed, found, None)


def _page(request: Request, user: User | None, *, public_page: bool) -> Response:
    shown = _shown(request, user, public=public_page)
    lang = language(request)
    tr = translator(lang)
    path = "/public/journal" if public_page else "/journal"
    params = {IN_URL.get(k, k): v for k, v in shown.typed.items() if k != "public" or not public_page}
    page = render(
        request,
        "journal.html",
        user,
        "journal",
        public_page=public_page,
        path=path,
        typed=shown.typed,
        journal=shown.journal,
        downloads=[
            (label, f"{path}.{fmt}?{query(**params, lang=lang)}")
            for label, fmt in (("CSV", "csv"), ("JSON", "json"))
        ]
        if shown.journal is not None
        else [],
        directions={name: tr.gettext(words) for name, words in rules.DIRECTION_WORDS.items()},
        accesses={name: tr.gettext(words) for name, words in rules.ACCESS_WORDS.items()},
        flash_error=shown.problem,
    )
    if shown.problem:
        page.status_code = 422
    return page


def _download(request: Request, user: User | None, fmt: str, *, public_page: bool) -> Response:
    shown = _shown(request, user, public=public_page)
    if shown.journal is None:
        return Response(shown.problem or "", status_code=422, media_type="text/plain; charset=utf-8")
    headers = {
        "Content-Disposition": f'attachment; filename="{filename(shown.journal, fmt)}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(journal_file(shown.journal, fmt), media_type=FORMATS[fmt], headers=headers)


@router.get("/journal", response_class=HTMLResponse)
@guard(Action.READ_CASES, one_snapshot=True)
def journal_page(request: Request, user: User) -> Response:
    """The journal as the signed-in user may read it, or (`public=1`) its public variant."""
    return _page(request, user, public_page=False)


@router.get("/journal.csv")
@guard(Action.READ_CASES)
def journal_csv(request: Request, user: User) -> Response:
    return _download(request, user, "csv", public_page=False)


@router.get("/journal.json")
@guard(Action.READ_CASES)
def journal_json(request: Request, user: User) -> Response:
    return _download(request, user, "json", public_page=False)


@router.get("/public/journal", response_class=HTMLResponse)
def public_journal_page(request: Request) -> Response:
    """The public journal: anyone may read it, without signing in."""
    return _page(request, None, public_page=True)


@router.get("/public/journal.csv")
def public_journal_csv(request: Request) -> Response:
    return _download(request, None, "csv", public_page=True)


@router.get("/public/journal.json")
def public_journal_json(request: Request) -> Response:
    return _download(request, None, "json", public_page=True)
