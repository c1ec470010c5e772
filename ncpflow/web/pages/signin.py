"""Signing in (password, then a one-time code when the role needs one) and out; the forms
refused before their handler (`form_refused`, `stale_form`) are answered as a page too."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature

from ncpflow.web import auth
from ncpflow.web.pages.common import Field200, Field2000, labels, language, render, safe_next
from states.messages import N_
from states.users import User
from translations import translator
from workflow import commands
from workflow.signin import Attempt, Outcome

router = APIRouter(include_in_schema=False)

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

PENDING_SECONDS = 300  # between the right password and its one-time code


def signin_page(
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
    next_url = safe_next(next_url)
    page = render(
        request,
        "signin.html",
        None,
        "signin",
        problem=SIGNIN_PROBLEMS[problem] if problem else "",
        message=message,
        username=username,
        next_url=next_url,
        pending=pending,
        minutes=max(1, (retry_after + 59) // 60),
        # The language switch keeps the page to go on to, after a refused post too.
        here="/signin" + (f"?{urlencode({'next': next_url})}" if next_url != "/" else ""),
    )
    page.status_code = status
    if retry_after:
        page.headers["Retry-After"] = str(retry_after)
    return page


def _signed_in(request: Request, user: User, next_url: str) -> Response:
    response = RedirectResponse(safe_next(next_url), status_code=303)
    auth.sign_in(request, response, user)
    return response


def _refusal(request: Request, attempt: Attempt, username: str, next_url: str, pending: str = "") -> Response:
    if attempt.outcome is Outcome.THROTTLED:
        return signin_page(
            request,
            status=429,
            problem="throttled",
            username=username,
            next_url=next_url,
            retry_after=attempt.retry_after,
        )
    if attempt.outcome is Outcome.BUSY:
        return signin_page(
            request,
            status=429,
            problem="busy",
            username=username,
            next_url=next_url,
            retry_after=attempt.retry_after,
        )
    if attempt.outcome is Outcome.NEEDS_ENROLMENT:
        return signin_page(
            request, status=403, problem="needs_enrolment", username=username, next_url=next_url
        )
    return signin_page(
        request,
        status=401,
        problem="bad_code" if pending else "bad_login",
        username=username,
        next_url=next_url,
        pending=pending,
    )


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request) -> Response:
    return signin_page(request, next_url=request.query_params.get("next") or "/")


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
        return signin_page(request, username=attempt.user.name, next_url=next, pending=pending)
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
        return signin_page(request, status=401, problem="code_expired", next_url=next)
    name, _, stamp = value
    attempt = auth.signin_of(request).code(name, code, auth.client_address(request), stamp=stamp)
    if attempt.outcome is Outcome.OK and attempt.user is not None:
        return _signed_in(request, attempt.user, next)
    if attempt.outcome is Outcome.EXPIRED:  # the user changed since the password step
        return signin_page(request, status=401, problem="code_expired", next_url=next)
    return _refusal(request, attempt, name, next, pending if attempt.outcome is Outcome.FAILED else "")


@router.post("/signout")
def signout(request: Request, csrf_token: Annotated[str, Form(max_length=500)] = "") -> Response:
    auth.check_csrf(request, csrf_token)
    response = RedirectResponse("/signin", status_code=303)
    auth.sign_out(request, response)
    return response


def form_refused(request: Request, errors: Sequence[Mapping[str, Any]]) -> Response:
    """A page form whose fields the route itself refused (too long, a NUL): 422, the page in its
    language naming each field by its label; the sign-in form comes back to be filled again."""
    tr = translator(language(request))
    found = [{**error, "loc": tuple(error.get("loc", ()))[1:]} for error in errors]
    message = commands.describe(found, labels(tr), tr)
    if request.url.path in SIGNIN_PATHS:
        return signin_page(request, status=422, message=message)
    page = render(request, "base.html", None, "", flash_error=message)
    page.status_code = 422
    return page


def stale_form(request: Request) -> Response:
    """A page form without this browser's CSRF token: 403, said in the page's language; the
    sign-in form is shown again, with a fresh token."""
    if request.url.path in SIGNIN_PATHS:
        return signin_page(request, status=403, problem="stale_form")
    page = render(
        request,
        "base.html",
        None,
        "",
        flash_error=translator(language(request)).gettext(SIGNIN_PROBLEMS["stale_form"]),
    )
    page.status_code = 403
    return page
