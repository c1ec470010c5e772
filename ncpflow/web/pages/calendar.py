"""The calendar of due dates (a month grid or an ISO week) and the page where a user makes or
revokes their personal subscription URL.

`/calendar?month=2026-12`, `/calendar?week=2026-W49` (default: this month in the NCP's zone);
`mine=1` keeps the cases the user's member leads. A malformed `month` or `week` answers 422 with
the page saying which parameter, in the page's language. The subscription URL is shown once,
on the page the user made it from: the POST hands it to the next GET in a short-lived signed
cookie (never in a URL or a log), which that GET reads and deletes.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from babel.dates import format_date, get_day_names
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ncpflow.web import auth
from ncpflow.web.auth import application_of
from ncpflow.web.feeds import base_url, feed_url
from ncpflow.web.pages.common import FormText, guard, language, query, redirect, refused, render
from states.errors import InvalidInputError, NcpflowError
from states.messages import N_
from states.permissions import Action
from states.users import FeedScope, User
from translations import LOCALES, translator
from workflow import read_models

router = APIRouter(include_in_schema=False)
NEW_URL_COOKIE = "ncpflow_new_feed"
NEW_URL_SECONDS = 300
FEED_PAGE = "/calendar/feed"
LANGUAGE_NAMES = {"en": "English", "nb": "Norsk (bokmål)"}


@router.get("/calendar", response_class=HTMLResponse)
@guard(Action.READ_CASES, Action.READ_ASSIGNED_CASES, one_snapshot=True)
def calendar_page(request: Request, user: User) -> Response:
    app = application_of(request)
    params = request.query_params
    month, week = params.get("month"), params.get("week")
    only_mine = params.get("mine") == "1" and user.member_id is not None
    try:
        view = app.calendar.view(viewer=user, month=month, week=week, only_mine=only_mine)
    except NcpflowError as exc:
        # The parameter is named as the URL spells it, beside its name in the page's language.
        problem = exc.words(translator(language(request)))
        response = render(request, "calendar.html", user, "calendar", view=None, problem=problem)
        response.status_code = 422
        return response
    return render(request, "calendar.html", user, "calendar", problem=None, **_context(request, view, user))


def _context(request: Request, view: read_models.CalendarView, user: User) -> dict[str, Any]:
    """What the template shows besides the view: headings, weekday names, the links around."""
    locale = LOCALES[language(request)]
    mine = "1" if view.only_mine else ""
    words = translator(language(request))

    def link(kind: str, key: str | None, *, only_mine: str = mine) -> str | None:
        return None if key is None else "/calendar?" + query(**{kind: key}, mine=only_mine)

    if view.period == "month":
        heading = format_date(view.start, "LLLL y", locale=locale)
        around = [
            format_date(date.fromisoformat(f"{key}-01"), "LLLL y", locale=locale) if key else None
            for key in (view.previous, view.next)
        ]
        other = "week"
    else:
        year, number, _ = view.start.isocalendar()
        heading = words.gettext(N_("Week {week}, {year}")).format(week=number, year=year)
        around = [
            words.gettext(N_("Week {week}")).format(week=int(key.rpartition("W")[2])) if key else None
            for key in (view.previous, view.next)
        ]
        other = "month"
    names = get_day_names("wide", locale=locale)
    short = get_day_names("abbreviated", locale=locale)
    return {
        "view": view,
        "heading": heading,
        "span": " – ".join(format_date(day, "medium", locale=locale) for day in (view.start, view.end)),
        "previous": (link(view.period, view.previous), around[0]),
        "next": (link(view.period, view.next), around[1]),
        "this_period": link(view.period, view.current),
        "other_view": (other, link(other, view.other)),
        "mine_link": (
            link(view.period, view.key, only_mine="" if view.only_mine else "1")
            if user.member_id is not None
            else None
        ),
        "weekdays": [(names[n], short[n]) for n in range(7)],
        "long_day": lambda day: format_date(day, "full", locale=locale),
        "month_day": lambda day: format_date(day, "d MMM", locale=locale),
    }


# ---- the subscription URL ----------------------------------------------------------------------


def _new_urls(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="calendar-feed")


@router.get(FEED_PAGE, response_class=HTMLResponse)
@guard(Action.SUBSCRIBE_CALENDAR)
def feed_page(request: Request, user: User) -> Response:
    return _feed_page(request, user)


def _feed_page(request: Request, user: User, *, refusal: NcpflowError | None = None) -> Response:
    """The subscription page; with `refusal`, shown again saying why (422 bad input, else 409)."""
    app = application_of(request)
    new_url = None
    raw = request.cookies.get(NEW_URL_COOKIE)
    if raw:
        try:
            held = _new_urls(request).loads(raw, max_age=NEW_URL_SECONDS)
        except BadSignature:
            held = {}
        if held.get("user") == user.name:
            new_url = feed_url(request, str(held["token"]))
    feed = app.calendar.active_feed(name=user.name)
    response = render(
        request,
        "calendar_feed.html",
        user,
        "calendar",
        feed=feed,
        new_url=new_url if feed is not None else None,
        languages=LANGUAGE_NAMES,
        can_choose_mine=user.member_id is not None,
        site=base_url(request),
        flash_error=refused(refusal, request) if refusal else None,
    )
    if refusal is not None:
        response.status_code = 422 if isinstance(refusal, InvalidInputError) else 409
    if raw:
        response.delete_cookie(NEW_URL_COOKIE, path=FEED_PAGE)
    return response


@router.post(FEED_PAGE)
@guard(Action.SUBSCRIBE_CALENDAR)
def make_feed(
    request: Request,
    feed_language: FormText = "",
    feed_cases: FormText = FeedScope.ALL.value,
    csrf_token: Annotated[str, Form(max_length=500)] = "",
    *,
    user: User,
) -> Response:
    auth.check_csrf(request, csrf_token)
    app = application_of(request)
    try:
        made = app.calendar.make_feed(
            name=user.name, actor=user.name, language=feed_language or language(request), scope=feed_cases
        )
    except NcpflowError as exc:
        return _feed_page(request, user, refusal=exc)
    ok = (
        N_("A new calendar URL was made; the one before it no longer works.")
        if made.replaced
        else N_("A calendar URL was made.")
    )
    response = redirect(FEED_PAGE, request, ok=ok)
    response.set_cookie(
        NEW_URL_COOKIE,
        _new_urls(request).dumps({"user": user.name, "token": made.token}),
        max_age=NEW_URL_SECONDS,
        httponly=True,
        samesite="strict",
        secure=base_url(request).startswith("https://"),
        path=FEED_PAGE,
    )
    return response


@router.post(FEED_PAGE + "/revoke")
@guard(Action.SUBSCRIBE_CALENDAR)
def revoke_feed(
    request: Request, csrf_token: Annotated[str, Form(max_length=500)] = "", *, user: User
) -> Response:
    auth.check_csrf(request, csrf_token)
    try:
        application_of(request).calendar.revoke_feed(name=user.name, actor=user.name)
    except NcpflowError as exc:
        return _feed_page(request, user, refusal=exc)
    return redirect(FEED_PAGE, request, ok=N_("The calendar URL was revoked: it no longer works."))
