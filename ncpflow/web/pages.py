"""Server-rendered pages: dashboard, case, audit, members, sign-in; English and Norwegian.

Plain HTML forms (POST, then redirect) that work without JavaScript; every form carries the
CSRF token of `auth.csrf_token`. The handlers only gather read models (workflow.views and
friends) and call use cases. Who may see a page or send a form is the permission table
(states/permissions.py), asked by `_guard`; whether a member leads the case, workflow.views.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeTimedSerializer
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import AfterValidator

from ncpflow.web import auth, i18n
from ncpflow.web.auth import ApiError, application_of
from ncpflow.web.fields import clean_text
from states.case import duration_of
from states.deadlines import human_month
from states.errors import Input, InvalidInputError, NcpflowError
from states.issues import numeral
from states.messages import N_, Translator
from states.permissions import Action, allows
from states.precision import Precision
from states.procedure import Procedure
from states.users import User
from translations import translator
from workflow import commands, read_models, views
from workflow.application import Application
from workflow.signin import Attempt, Outcome

HERE = Path(__file__).resolve().parent
STATIC = {"style.css", "print.css"}
FLASH_COOKIE = "ncpflow_flash"
SOON_DAYS = 14  # a due date this close is amber on the dashboard
AUDIT_PAGE_SIZE = 100  # entries on one page of /audit, newest first
DASHBOARD_LIMIT = 1000  # open cases on one dashboard; the API pages through any number

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
TEMPLATES = Jinja2Templates(env=ENV)

router = APIRouter(include_in_schema=False)

# Form fields: at most so many characters, and no NUL (ncpflow.web.fields), like the API's.
Field200 = Annotated[str, Form(max_length=200), AfterValidator(clean_text)]
Field2000 = Annotated[str, Form(max_length=2000), AfterValidator(clean_text)]
# The fields of the case's step forms: the input models (workflow/commands.py) hold their bounds
# and a refusal comes back as a message naming the field; this only caps what is read at all.
FORM_MAX = 20_000
FormText = Annotated[str, Form(max_length=FORM_MAX), AfterValidator(clean_text)]
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
}

# What the sign-in form says when it refuses; the template words it in the page's language.
SIGNIN_PROBLEMS = {
    "bad_login": N_("Wrong user name or password."),
    "bad_code": N_("Wrong one-time code. Try the current code."),
    "code_expired": N_("The sign-in took too long or was not started here. Sign in again."),
    "throttled": N_("Too many failed sign-ins. Try again in {minutes} minutes."),
    "busy": N_("Many sign-ins at once right now. Try again in a moment."),
    "needs_enrolment": N_(
        "Your role must sign in with a one-time code, and you have none yet. "
        "Ask an administrator to enrol you with `ncpflow users totp NAME`."
    ),
    "stale_form": N_("The form is stale or was not sent by this site. Reload the page and try again."),
}
SIGNIN_PATHS = ("/signin", "/signin/code")


# ---- helpers ---------------------------------------------------------------------------------

Page = Callable[..., Response]


def _guard(*actions: Action, one_snapshot: bool = False) -> Callable[[Page], Page]:
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


def _language(request: Request) -> str:
    default = application_of(request).settings.ncp.language
    return i18n.pick(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE), default)


def _flasher(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="flash")


def _redirect(
    url: str, request: Request, *, error: str | None = None, ok: str | None = None
) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    if error or ok:
        value = _flasher(request).dumps({"error": (error or "")[:500], "ok": ok or ""})
        response.set_cookie(FLASH_COOKIE, value, max_age=60, httponly=True, samesite="lax", path="/")
    return response


def _render(request: Request, name: str, user: User | None, nav: str, **context: Any) -> HTMLResponse:
    lang = _language(request)
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
        "csrf": auth.csrf_token(request),
        "ncp_name": application_of(request).settings.ncp.name_in(lang),
        "local_time": _local_time(application_of(request).settings.ncp.timezone),
        "flash_error": flash.get("error") or None,
        "flash_ok": words["gettext"](flash["ok"]) if flash.get("ok") else None,
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


def _query(**values: str) -> str:
    return urlencode({name: value for name, value in values.items() if value})


def _safe_next(value: str | None) -> str:
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _urgency(days_left: int | None) -> str:
    if days_left is None:
        return "none"
    if days_left < 0:
        return "late"
    return "soon" if days_left <= SOON_DAYS else "ok"


def _may_change(user: User, case: Any) -> str | None:
    """None when the user may advance the case, else the message saying why not."""
    try:
        views.may_advance(user, case)
    except views.ForbiddenError:
        return (
            N_("Only the case's lead can change it.")
            if allows(user.role, Action.ADVANCE_LED_CASE)
            else N_("You can read this case but not change it.")
        )
    return None


def _local_time(timezone: str) -> Callable[[str], str]:
    """An ISO instant (stored UTC) as the NCP's local time with its zone: "2026-03-02 00:00 CET"."""
    zone = ZoneInfo(timezone)

    def local(at: str) -> str:
        return datetime.fromisoformat(at).astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")

    return local


def _day_of(entry: read_models.AuditEntry, zone: ZoneInfo) -> str:
    """The day an entry took effect, in the NCP's zone; an imported entry's date as its file gave
    it, which may be only a month (`2007-02`): never an invented day (states/precision.py)."""
    imported = entry.data.get("imported")
    if isinstance(imported, dict) and isinstance(imported.get("date"), str):
        return str(imported["date"])
    return datetime.fromisoformat(entry.at).astimezone(zone).date().isoformat()


def _timeline(
    view: read_models.Case,
    entries: list[read_models.AuditEntry],
    app: Application,
    language: str,
    procedure: Procedure,
) -> list[dict[str, Any]]:
    """The stages in order, when each was entered, and its indicative timeline: those of
    `procedure`, the one the case follows."""
    entered: dict[str, str] = {}
    zone = ZoneInfo(view.timezone)
    for entry in entries:
        to_state = entry.to_state
        if to_state and to_state != entry.from_state and to_state not in entered:
            entered[to_state] = _day_of(entry, zone)
    deadlines = {d.name: d for d in view.deadlines}
    durations = {name: duration_of(procedure, name, app.policy) for name in procedure.deadlines}
    order = list(procedure.states)
    current = order.index(view.state) if view.state in order else len(order)
    steps = []
    for index, state in enumerate(order):
        name = procedure.stage_deadline(state)
        if state == view.state:
            status = "current"
        elif state in entered:
            status = "done"
        elif index < current:
            status = "skipped"
        else:
            status = "future"
        steps.append(
            {
                "state": state,
                "status": status,
                "entered": entered.get(state),
                "deadline": deadlines.get(name) if name else None,
                "duration": durations[name].describe(translator(language)) if name else None,
            }
        )
    return steps


def _labels(tr: Translator) -> Callable[[str], str]:
    """A form's field by its label on the page, in `tr`'s words."""
    return lambda field: tr.gettext(FORM_LABELS[field]) if field in FORM_LABELS else field


def _command(request: Request, model: type[commands.C], **fields: str) -> commands.C:
    """The step's input model from its form (empty: left out); a refusal (InvalidInputError)
    names each field by its label on the page, in the page's language."""
    return commands.validate(
        model,
        {name: value or None for name, value in fields.items()},
        _labels(translator(_language(request))),
    )


def _refused(exc: NcpflowError, request: Request) -> str:
    """What the page says when a step is refused: in its language, each input by its label."""
    tr = translator(_language(request))
    return exc.words(tr, _labels(tr)) or type(exc).__name__


def form_refused(request: Request, errors: Sequence[Mapping[str, Any]]) -> Response:
    """A page form whose fields the route itself refused (too long, a NUL): 422, the page in its
    language naming each field by its label; the sign-in form comes back to be filled again."""
    tr = translator(_language(request))
    found = [{**error, "loc": tuple(error.get("loc", ()))[1:]} for error in errors]
    message = commands.describe(found, _labels(tr), tr)
    if request.url.path in SIGNIN_PATHS:
        return _signin_page(request, status=422, message=message)
    page = _render(request, "base.html", None, "", flash_error=message)
    page.status_code = 422
    return page


def stale_form(request: Request) -> Response:
    """A page form without this browser's CSRF token: 403, said in the page's language; the
    sign-in form is shown again, with a fresh token."""
    if request.url.path in SIGNIN_PATHS:
        return _signin_page(request, status=403, problem="stale_form")
    page = _render(
        request,
        "base.html",
        None,
        "",
        flash_error=translator(_language(request)).gettext(SIGNIN_PROBLEMS["stale_form"]),
    )
    page.status_code = 403
    return page


# ---- static files and language ---------------------------------------------------------------


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in STATIC:
        return Response(status_code=404)
    return FileResponse(
        HERE / "static" / name, media_type="text/css", headers={"Cache-Control": "max-age=3600"}
    )


# ---- sign in and out ---------------------------------------------------------------------------

PENDING_SECONDS = 300  # between the right password and its one-time code


def _signin_page(
    request: Request,
    *,
    status: int = 200,
    problem: str = "",
    message: str = "",
    username: str = "",
    next_url: str = "/",
    pending: str = "",
    retry_after: int = 0,
) -> Response:
    """The sign-in form (or, with `pending`, its second step: the one-time code); `problem`
    names the refusal (SIGNIN_PROBLEMS), `message` is one already worded."""
    page = _render(
        request,
        "signin.html",
        None,
        "signin",
        problem=SIGNIN_PROBLEMS[problem] if problem else "",
        message=message,
        username=username,
        next_url=_safe_next(next_url),
        pending=pending,
        minutes=max(1, (retry_after + 59) // 60),
    )
    page.status_code = status
    if retry_after:
        page.headers["Retry-After"] = str(retry_after)
    return page


def _signed_in(request: Request, user: User, next_url: str) -> Response:
    response = RedirectResponse(_safe_next(next_url), status_code=303)
    auth.sign_in(request, response, user)
    return response


def _refusal(request: Request, attempt: Attempt, username: str, next_url: str, pending: str = "") -> Response:
    if attempt.outcome is Outcome.THROTTLED:
        return _signin_page(
            request,
            status=429,
            problem="throttled",
            username=username,
            next_url=next_url,
            retry_after=attempt.retry_after,
        )
    if attempt.outcome is Outcome.BUSY:
        return _signin_page(
            request,
            status=429,
            problem="busy",
            username=username,
            next_url=next_url,
            retry_after=attempt.retry_after,
        )
    if attempt.outcome is Outcome.NEEDS_ENROLMENT:
        return _signin_page(
            request, status=403, problem="needs_enrolment", username=username, next_url=next_url
        )
    return _signin_page(
        request,
        status=401,
        problem="bad_code" if pending else "bad_login",
        username=username,
        next_url=next_url,
        pending=pending,
    )


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request) -> Response:
    return _signin_page(request, next_url=request.query_params.get("next") or "/")


@router.post("/signin")
def signin(
    request: Request,
    username: Field200,
    password: Annotated[str, Form(max_length=1000)],
    csrf_token: Annotated[str, Form(max_length=500)] = "",
    next: Field2000 = "/",
) -> Response:
    auth.check_csrf(request, csrf_token)
    attempt = auth.signin_of(request).password(username, password, auth.client_address(request))
    if attempt.outcome is Outcome.OK and attempt.user is not None:
        return _signed_in(request, attempt.user, next)
    if attempt.outcome is Outcome.NEEDS_CODE and attempt.user is not None:
        pending = auth.pending_signer(request).dumps(
            [attempt.user.name, auth.browser_binding(request), attempt.user.stamp]
        )
        return _signin_page(request, username=attempt.user.name, next_url=next, pending=pending)
    return _refusal(request, attempt, username, next)


@router.post("/signin/code")
def signin_code(
    request: Request,
    code: Annotated[str, Form(max_length=20)] = "",
    pending: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=500)] = "",
    next: Field2000 = "/",
) -> Response:
    """The second step: the one-time code of a user whose password was right."""
    auth.check_csrf(request, csrf_token)
    try:
        value: Any = auth.pending_signer(request).loads(pending, max_age=PENDING_SECONDS)
    except BadSignature:
        value = None
    if (
        not isinstance(value, list)
        or len(value) != 3
        or not isinstance(value[0], str)
        or value[1] != auth.browser_binding(request)
        or not isinstance(value[2], int)
    ):
        # Expired, forged, or minted for another browser: start again with the password.
        return _signin_page(request, status=401, problem="code_expired", next_url=next)
    name, _, stamp = value
    attempt = auth.signin_of(request).code(name, code, auth.client_address(request), stamp=stamp)
    if attempt.outcome is Outcome.OK and attempt.user is not None:
        return _signed_in(request, attempt.user, next)
    if attempt.outcome is Outcome.EXPIRED:  # the user changed since the password step
        return _signin_page(request, status=401, problem="code_expired", next_url=next)
    return _refusal(request, attempt, name, next, pending if attempt.outcome is Outcome.FAILED else "")


@router.post("/signout")
def signout(request: Request, csrf_token: Annotated[str, Form(max_length=500)] = "") -> Response:
    auth.check_csrf(request, csrf_token)
    response = RedirectResponse("/signin", status_code=303)
    auth.sign_out(request, response)
    return response


# ---- pages ---------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
@_guard(Action.READ_CASES)
def dashboard(request: Request, user: User) -> Response:
    page = application_of(request).cases.page(viewer=user, open_only=True, limit=DASHBOARD_LIMIT)
    rows: list[dict[str, Any]] = []
    for item in page.items:
        upcoming = item.next_due
        days = upcoming.days_left if upcoming else None
        rows.append(
            {
                "reference": item.reference,
                "title": item.title,
                "state": item.state,
                "paused": item.paused,
                "lead": item.lead.name or item.lead_member,
                "next_due": upcoming,
                "urgency": _urgency(days),
            }
        )
    # Overdue first, then by the next due date; cases without one last.
    rows.sort(
        key=lambda r: (
            r["urgency"] != "late",
            r["next_due"].due if r["next_due"] else date.max,
            r["reference"],
        )
    )
    return _render(request, "dashboard.html", user, "dashboard", rows=rows, total=page.total)


@router.get("/cases/{ref}", response_class=HTMLResponse)
@_guard(Action.READ_CASES, one_snapshot=True)
def case_page(request: Request, ref: str, user: User) -> Response:
    app = application_of(request)
    try:
        case = app.cases.get(reference=ref)
    except NcpflowError as exc:
        response = _render(request, "base.html", user, "dashboard", flash_error=_refused(exc, request))
        response.status_code = 404
        return response
    lang = _language(request)
    view = app.cases.view(case=case, viewer=user, language=lang)
    entries = app.audit.page(viewer=user, case_ref=ref, limit=100_000).items
    options = app.cases.triggers(case=case, language=lang)
    blocked_reason = _may_change(user, case)
    words = app.words(lang, procedure=case.procedure)  # the case's own procedure names its states
    return _render(
        request,
        "case.html",
        user,
        "dashboard",
        **i18n.helpers(lang, words),
        received=(
            human_month(case.received_on, words)
            if case.received_precision is Precision.MONTH
            else view.received
        ),
        procedure_title=case.procedure.title.get(lang),
        case=view,
        parties=view.parties,
        urgency=_urgency,
        terminal=case.is_terminal,
        timeline=_timeline(view, entries, app, lang, case.procedure),
        entries=entries,
        show_case=False,
        allowed=[o for o in options if o.allowed] if blocked_reason is None else [],
        blocked=[o for o in options if not o.allowed and o.to_state],
        can_change=blocked_reason is None,
        change_blocked=blocked_reason or "",
        can_pause=allows(user.role, Action.PAUSE_CASE),
    )


@router.post("/cases/{ref}/advance")
@_guard(Action.ADVANCE_ANY_CASE, Action.ADVANCE_LED_CASE)
def advance(
    request: Request,
    ref: str,
    trigger: FormText,
    reason: FormText = "",
    outcome: FormText = "",
    scope: FormText = "",
    version: FormText = "",
    csrf_token: Annotated[str, Form(max_length=500)] = "",
    *,
    user: User,
) -> Response:
    auth.check_csrf(request, csrf_token)
    back = f"/cases/{ref}"
    try:
        command = _command(
            request,
            commands.AdvanceCase,
            trigger=trigger,
            reason=reason,
            outcome=outcome,
            scope=scope,
            expected_version=version,
        )
        application_of(request).cases.advance_as(user=user, reference=ref, **command.arguments())
    except views.ForbiddenError as exc:
        raise ApiError(403, "forbidden", _refused(exc, request)) from None
    except NcpflowError as exc:
        return _redirect(back, request, error=_refused(exc, request))
    return _redirect(back, request, ok=N_("Saved."))


@router.post("/cases/{ref}/pause")
@_guard(Action.PAUSE_CASE)
def pause(
    request: Request,
    ref: str,
    reason: FormText = "",
    requested_by: FormText = "",
    csrf_token: Annotated[str, Form(max_length=500)] = "",
    *,
    user: User,
) -> Response:
    auth.check_csrf(request, csrf_token)
    try:
        command = _command(request, commands.PauseCase, reason=reason, requested_by=requested_by)
        application_of(request).cases.pause(reference=ref, actor=user.name, **command.arguments())
    except NcpflowError as exc:
        return _redirect(f"/cases/{ref}", request, error=_refused(exc, request))
    return _redirect(f"/cases/{ref}", request, ok=N_("Saved."))


@router.post("/cases/{ref}/resume")
@_guard(Action.RESUME_CASE)
def resume(
    request: Request,
    ref: str,
    reason: FormText = "",
    csrf_token: Annotated[str, Form(max_length=500)] = "",
    *,
    user: User,
) -> Response:
    auth.check_csrf(request, csrf_token)
    try:
        command = _command(request, commands.ResumeCase, reason=reason)
        application_of(request).cases.resume(reference=ref, actor=user.name, **command.arguments())
    except NcpflowError as exc:
        return _redirect(f"/cases/{ref}", request, error=_refused(exc, request))
    return _redirect(f"/cases/{ref}", request, ok=N_("Saved."))


@router.get("/audit", response_class=HTMLResponse)
@_guard(Action.READ_AUDIT, one_snapshot=True)
def audit_page(request: Request, user: User) -> Response:
    app = application_of(request)
    case_filter = request.query_params.get("case") or ""
    kind_filter = request.query_params.get("kind") or ""
    before = _int_param(request, "before")
    refs = app.cases.references()
    page = app.audit.page(
        viewer=user,
        case_ref=case_filter if case_filter in refs else None,
        kind=kind_filter or None,
        limit=AUDIT_PAGE_SIZE + 1,
        before=before,
        newest_first=True,
    )
    entries = page.items[:AUDIT_PAGE_SIZE]
    # One entry more than shown tells whether an older page exists.
    older = (
        "/audit?" + _query(case=case_filter, kind=kind_filter, before=str(entries[-1].seq))
        if len(page.items) > AUDIT_PAGE_SIZE
        else None
    )
    filters = _query(case=case_filter, kind=kind_filter)
    verdict = app.audit.verify_chain().as_dict()
    return _render(
        request,
        "audit.html",
        user,
        "audit",
        entries=entries,
        show_case=True,
        refs=refs,
        kinds=app.audit.kinds(),
        case_filter=case_filter,
        kind_filter=kind_filter,
        verdict=verdict,
        exports=_exports(case_filter) if allows(user.role, Action.EXPORT_AUDIT) else [],
        older=older,
        newest=("/audit?" + filters if filters else "/audit") if before else None,
    )


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


def _int_param(request: Request, name: str) -> int | None:
    try:
        return whole_number(request.query_params.get(name) or "", name)
    except InvalidInputError as exc:
        raise ApiError(422, "invalid_input", _refused(exc, request)) from None


def _exports(case_filter: str) -> list[tuple[str, str]]:
    """Download links for the hash-carrying export (workflow.exports), pseudonymised."""
    links = [("JSONL", "/audit/export.jsonl")]
    if case_filter:
        links.append((f"JSONL {case_filter}", f"/audit/export.jsonl?{_query(case=case_filter)}"))
    return links


@router.get("/audit/export.jsonl")
@_guard(Action.EXPORT_AUDIT, one_snapshot=True)
def audit_export(request: Request, user: User) -> Response:
    """`audit export` as a download: every entry with its hashes; submitters pseudonymised."""
    case_ref = request.query_params.get("case") or None
    body = "".join(application_of(request).audit.export(case_ref=case_ref))
    name = f"ncpflow-audit{'-' + case_ref if case_ref else ''}.jsonl"
    return Response(
        body,
        media_type="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@router.get("/members", response_class=HTMLResponse)
@_guard(Action.READ_MEMBERS, one_snapshot=True)
def members_page(request: Request, user: User) -> Response:
    members, rotation = application_of(request).members.page(viewer=user, language=_language(request))
    return _render(request, "members.html", user, "members", members=members, rotation=rotation)
