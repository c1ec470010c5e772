"""What every page shares: the one template environment, the guard, rendering in the page's
language with its flash, redirects, the forms' field types and labels, and how a refusal is worded.

Pages are plain HTML forms (POST, then redirect) that work without JavaScript; every form carries
the CSRF token of `auth.csrf_token`. Who may see a page or send a form is the permission table
(states/permissions.py), asked by `guard`.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote, urlencode
from zoneinfo import ZoneInfo

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeTimedSerializer
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import AfterValidator

from ncpflow.web import auth, i18n
from ncpflow.web.auth import ApiError, application_of
from ncpflow.web.fields import clean_text
from states.errors import Input, InvalidInputError, NcpflowError
from states.issues import numeral
from states.messages import N_, Translator
from states.permissions import Action, allows
from states.users import User
from translations import translator
from workflow import commands

HERE = Path(__file__).resolve().parent.parent
FLASH_COOKIE = "ncpflow_flash"
SOON_DAYS = 14  # a due date this close is amber on the dashboard

ENV = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    # The words come from the one catalogue: each page passes its language's
    # `gettext` (ncpflow.web.i18n.helpers).
    extensions=["jinja2.ext.i18n"],
)
ENV.filters["upper_first"] = i18n.upper_first
ENV.filters["chapter"] = numeral  # an issue's chapter by its numeral (IV), alike in en and nb
ENV.filters["segment"] = lambda value: quote(str(value), safe="")  # a name as one URL path segment
TEMPLATES = Jinja2Templates(env=ENV)


# Form fields: at most so many characters, and no NUL (ncpflow.web.fields), like the API's.
Field200 = Annotated[str, Form(max_length=200), AfterValidator(clean_text)]
Field2000 = Annotated[str, Form(max_length=2000), AfterValidator(clean_text)]
# The fields of the case's step forms: the input models (workflow/commands.py) hold their bounds
# and a refusal comes back as a message naming the field; this only caps what is read at all.
FORM_MAX = 20_000
FormText = Annotated[str, Form(max_length=FORM_MAX), AfterValidator(clean_text)]
# An internal note (workflow.commands.AddNote: at most 20,000 characters) read with room to spare,
# so a longer one comes back to the page with its refusal and the text as typed.
NoteText = Annotated[str, Form(max_length=2 * FORM_MAX), AfterValidator(clean_text)]
# The forms' fields by their labels on the page (case.html, signin.html); the hidden ones (the
# step, the case's version, the sign-in's own) by what they are, in the page's language too.
FORM_LABELS = {
    "reason": N_("Reason"),
    "scope": N_("Scope (accept only)"),
    "requested_by": N_("Requested by"),
    "outcome": N_("Outcome"),
    "trigger": N_("step"),
    "expected_version": N_("version"),
    "version": N_("version"),
    "username": N_("User name"),
    "password": N_("Password"),
    "code": N_("One-time code"),
    "pending": N_("the sign-in"),
    "next": N_("the page to go on to"),
    "csrf_token": N_("the form"),
    "feed_language": N_("Language of the calendar"),
    "feed_cases": N_("Which cases"),
}


# ---- helpers ---------------------------------------------------------------------------------

Page = Callable[..., Response]


def guard(*actions: Action, one_snapshot: bool = False) -> Callable[[Page], Page]:
    """The pages' one guard: the page gets its `user` when the permission table
    (states/permissions.py) lets their role do one of `actions`, else 403 naming the role and
    the action; nobody signed in is sent to sign in (a form answers 401).

    With `one_snapshot` the user and everything the page reads come from one database snapshot
    (storage/sql.py): a case, its lead and its audit trail never come from two versions."""
    allow = auth.PageAllow(*actions)

    def decorate(page: Page) -> Page:
        @functools.wraps(page)
        def build(request: Request, *args: Any, **kwargs: Any) -> Response:
            with application_of(request).uow.read() if one_snapshot else contextlib.nullcontext():
                return page(request, *args, user=allow(request), **kwargs)

        # FastAPI reads the page's parameters, but for `user`, which the guard gives.
        signature = inspect.signature(page)
        build.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[p for p in signature.parameters.values() if p.name != "user"]
        )
        build.allow = allow  # type: ignore[attr-defined]  # read by the route walk test
        return build

    return decorate


def language(request: Request) -> str:
    # A party's page falls back on its contact's language (pages/party.py), else the NCP's.
    default = (
        getattr(request.state, "default_language", None) or application_of(request).settings.ncp.language
    )
    return i18n.pick(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE), default)


def _flasher(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="flash")


def redirect(
    url: str, request: Request, *, error: str | None = None, ok: str | None = None
) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    if error or ok:
        value = _flasher(request).dumps({"error": (error or "")[:500], "ok": ok or ""})
        response.set_cookie(FLASH_COOKIE, value, max_age=60, httponly=True, samesite="lax", path="/")
    return response


LANGUAGE_SWITCH = (("en", "English"), ("nb", "Norsk"))


def language_links(request: Request, here: str | None = None) -> list[tuple[str, str, str]]:
    """Each language's (code, name, link): the same page with only `lang` replaced, its other
    query values kept (`next`, the filters). `here` is the page to keep when it is not the
    request's own (a page answering a POST); else a POST's page is the dashboard. Always a path
    on this site: leading slashes collapse, so the link never leads elsewhere."""
    if here is None:
        here = request.url.path if request.method in ("GET", "HEAD") else "/"
        pairs = list(request.query_params.multi_items()) if request.method in ("GET", "HEAD") else []
    else:
        here, _, raw = here.partition("?")
        pairs = parse_qsl(raw, keep_blank_values=True)
    path = "/" + quote(here, safe="/:@!$'()*+,;=-._~").lstrip("/")
    kept = [(k, v) for k, v in pairs if k != "lang"]
    return [(code, label, f"{path}?{urlencode([*kept, ('lang', code)])}") for code, label in LANGUAGE_SWITCH]


def render(request: Request, name: str, user: User | None, nav: str, **context: Any) -> HTMLResponse:
    lang = language(request)
    flash: Mapping[str, str] = {}
    raw = request.cookies.get(FLASH_COOKIE)
    if raw:
        try:
            flash = _flasher(request).loads(raw, max_age=60)
        except BadSignature:
            flash = {}
    words = i18n.helpers(lang, application_of(request).words(lang))
    base = {
        "request": request,
        "lang": lang,
        **words,
        "user": user,
        "nav": nav,
        "user_name": user.name if user else "",
        "user_role": user.role if user else "",
        "can_audit": bool(user and allows(user.role, Action.READ_AUDIT)),
        "can_open_case": bool(user and allows(user.role, Action.OPEN_CASE)),
        "can_manage_users": bool(user and allows(user.role, Action.MANAGE_USERS)),
        "csrf": auth.csrf_token(request),
        "ncp_name": application_of(request).settings.ncp.name_in(lang),
        "local_time": local_time(application_of(request).settings.ncp.timezone),
        "flash_error": flash.get("error") or None,
        "flash_ok": words["gettext"](flash["ok"]) if flash.get("ok") else None,
        "lang_links": language_links(request, context.pop("here", None)),
    }
    response = TEMPLATES.TemplateResponse(request, name, {**base, **context})
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'none'; style-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    auth.set_cookies(request, response)
    if raw:
        response.delete_cookie(FLASH_COOKIE, path="/")
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", path="/")
    return response


def query(**values: str) -> str:
    return urlencode({name: value for name, value in values.items() if value})


def safe_next(value: str | None) -> str:
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def urgency(days_left: int | None) -> str:
    if days_left is None:
        return "none"
    if days_left < 0:
        return "late"
    return "soon" if days_left <= SOON_DAYS else "ok"


def local_time(timezone: str) -> Callable[[str], str]:
    """An ISO instant (stored UTC) as the NCP's local time with its zone: "2026-03-02 00:00 CET"."""
    zone = ZoneInfo(timezone)

    def local(at: str) -> str:
        return datetime.fromisoformat(at).astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")

    return local


def labels(tr: Translator) -> Callable[[str], str]:
    """A form's field by its label on the page, in `tr`'s words."""
    return lambda field: tr.gettext(FORM_LABELS[field]) if field in FORM_LABELS else field


def form_command(request: Request, model: type[commands.C], **fields: str) -> commands.C:
    """The step's input model from its form (empty: left out); a refusal (InvalidInputError)
    names each field by its label on the page, in the page's language."""
    return commands.validate(
        model,
        {name: value or None for name, value in fields.items()},
        labels(translator(language(request))),
    )


def refused(exc: NcpflowError, request: Request) -> str:
    """What the page says when a step is refused: in its language, each input by its label,
    each state, step, outcome and role in words (no internal names)."""
    lang = language(request)
    tr = translator(lang)
    term = i18n.helpers(lang, application_of(request).words(lang))["term"]
    return exc.words(tr, labels(tr), term) or type(exc).__name__


def whole_number(value: str, name: str, maximum: int = 2**31 - 1) -> int | None:
    """A form or query value that must be a whole number; None when empty.

    ASCII digits only: `int()` takes other scripts' digits and `str.isdigit` takes '²', which
    `int()` refuses. InvalidInputError names the field."""
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 12 or int(value) > maximum:
        raise InvalidInputError(
            N_("{what} must be a whole number from {low} to {high}, not '{value}'"),
            what=Input("", name),
            low=0,
            high=maximum,
            value=value[:40],
        )
    return int(value)


def int_param(request: Request, name: str) -> int | None:
    try:
        return whole_number(request.query_params.get(name) or "", name)
    except InvalidInputError as exc:
        raise ApiError(422, "invalid_input", refused(exc, request)) from None


def spelling(request: Request, extra: Mapping[str, str]) -> Callable[[str], str]:
    """A form's field by its label in the page's language: a page's own labels (`extra`, marked
    with `N_`) first, then FORM_LABELS."""
    tr = translator(language(request))
    shared = labels(tr)
    return lambda field: tr.gettext(extra[field]) if field in extra else shared(field)
