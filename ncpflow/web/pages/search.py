"""Finding cases: the dashboard of open cases and the cases page (words and filters), both paged.

Both read one page of cases from the database (`app.cases.find`, workflow/views.py): searched,
filtered, counted and ordered there, so 10,000 cases cost what 50 do. The filters live in the
URL (`/cases?q=nordmann&state=good_offices&overdue=1&year=2025&theme=IV&page=2`): a view can be
bookmarked and shared, and the forms are plain GET forms. A bad filter value answers 422 with
the page itself, in its language, naming the filter by its label and keeping what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.web.auth import application_of
from ncpflow.web.pages.common import guard, language, query, render, urgency
from states.errors import InvalidInputError, NcpflowError
from states.guidelines import THEMES
from states.issues import chapter
from states.messages import N_, Translator
from states.permissions import Action
from states.users import User
from translations import translator
from workflow import commands, read_models

router = APIRouter(include_in_schema=False)
PER_PAGE = 50  # cases on one page of the dashboard and of the cases page
TYPED_MAX = 1000  # characters of a filter's value read from the URL

# The filters by their labels on the page (cases.html); a refusal names them so.
FILTER_LABELS = {
    "q": N_("Words"),
    "state": N_("Stage"),
    "lead": N_("Lead"),
    "overdue": N_("Overdue only"),
    "paused": N_("Paused"),
    "closed": N_("Open or closed"),
    "year": N_("Year received"),
    "theme": N_("Guidelines chapter"),
    "mine": N_("My cases only"),
    "order": N_("Order"),
    "page": N_("Page"),
    "per_page": N_("Cases per page"),
}
FILTERS = tuple(name for name in FILTER_LABELS if name != "per_page")


def _spell(tr: Translator) -> Callable[[str], str]:
    return lambda field: tr.gettext(FILTER_LABELS[field]) if field in FILTER_LABELS else field


def _found(
    request: Request, user: User, typed: Mapping[str, str], **fixed: object
) -> tuple[read_models.CaseHits | None, str | None]:
    """The page of cases the URL's filters ask for, or None and the refusal in the page's words."""
    app = application_of(request)
    lang = language(request)
    spell = _spell(translator(lang))
    try:
        find = commands.validate(
            commands.FindCases,
            {**{k: v or None for k, v in typed.items()}, **fixed, "per_page": PER_PAGE},
            spell,
        )
        return app.cases.find(viewer=user, find=find, language=lang), None
    except NcpflowError as exc:
        return None, exc.words(translator(lang), spell) or type(exc).__name__


def _typed(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    """What the URL gives for each filter (a repeated one: its first value), cut at TYPED_MAX:
    a longer value is refused all the same, and is shown again only that far."""
    return {name: request.query_params.get(name, "")[:TYPED_MAX] for name in names}


def _theme(typed: str) -> str:
    """The chapter id a typed theme names (`IV` is `human_rights`), for the select to show."""
    try:
        return chapter(typed) if typed else ""
    except InvalidInputError:
        return typed


def _pages(hits: read_models.CaseHits | None, path: str, typed: Mapping[str, str]) -> dict[str, Any]:
    """The pager: this page's number, how many there are, and the links to the pages beside it
    with every filter kept."""
    if hits is None:
        return {"number": 1, "count": 1, "previous": None, "next": None}
    count = max(1, -(-hits.total // hits.per_page))
    kept = {name: value for name, value in typed.items() if name != "page"}

    def link(number: int) -> str:
        found = query(**kept, page=str(number) if number > 1 else "")
        return f"{path}?{found}" if found else path

    return {
        "number": hits.page,
        "count": count,
        "previous": link(hits.page - 1) if 1 < hits.page <= count + 1 else None,
        "next": link(hits.page + 1) if hits.page < count else None,
    }


def _rows(hits: read_models.CaseHits | None) -> list[dict[str, Any]]:
    rows = []
    for item in hits.items if hits else []:
        upcoming = item.next_due
        rows.append(
            {
                "item": item,
                "lead": item.lead_name or item.lead_member,
                "urgency": urgency(upcoming.days_left if upcoming and not item.closed else None),
            }
        )
    return rows


def _answer(page: HTMLResponse, problem: str | None) -> HTMLResponse:
    if problem is not None:
        page.status_code = 422
    return page


@router.get("/", response_class=HTMLResponse)
@guard(Action.READ_CASES, Action.READ_ASSIGNED_CASES, one_snapshot=True)
def dashboard(request: Request, user: User) -> Response:
    """The open cases, the earliest due first (overdue at the top), a page at a time; `mine=1`
    only the user's own (workflow.views.find_cases says which those are)."""
    typed = _typed(request, ("mine", "page"))
    hits, problem = _found(request, user, typed, closed=False, order="due")
    return _answer(
        render(
            request,
            "dashboard.html",
            user,
            "dashboard",
            rows=_rows(hits),
            total=hits.total if hits else 0,
            mine=typed["mine"] not in ("", "0"),
            pager=_pages(hits, "/", typed),
            flash_error=problem,
        ),
        problem,
    )


@router.get("/cases", response_class=HTMLResponse)
@guard(Action.READ_CASES, Action.READ_ASSIGNED_CASES, one_snapshot=True)
def cases_page(request: Request, user: User) -> Response:
    """Every case, open and closed: found by words (reference, title, parties, the steps'
    reasons) and narrowed by filters, newest first or the best match first."""
    app = application_of(request)
    typed = _typed(request, FILTERS)
    hits, problem = _found(request, user, typed)
    tr = translator(language(request))
    return _answer(
        render(
            request,
            "cases.html",
            user,
            "cases",
            hits=hits,
            rows=_rows(hits),
            typed=typed,
            theme=_theme(typed["theme"]),
            states=app.policy.procedure.states,
            leads=app.cases.lead_choices(),
            themes=[(theme, tr.gettext(title)) for theme, title in THEMES.items()],
            pager=_pages(hits, "/cases", typed),
            flash_error=problem,
        ),
        problem,
    )
