"""The error pages a browser gets (403, 404, 409, 422, 500 ...), in the page's language.

`create_app` (ncpflow/web/app.py) answers with one of these instead of the API's JSON body when a
page's route fails, or when a browser asks for an unknown address outside `/api`. The page names
what went wrong in words (the role and what it may not do, the case reference not found, the step
refused); an unexpected error says only that the details are in the server's log.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from ncpflow.web import i18n
from ncpflow.web.auth import ApiError, optional_user
from ncpflow.web.pages.common import language, refused, render
from states.errors import CaseNotFoundError, NcpflowError
from states.messages import N_
from states.permissions import PermissionDeniedError
from states.users import User
from translations import translator

TITLES = {
    401: N_("Sign in first"),
    403: N_("Not allowed"),
    404: N_("Page not found"),
    409: N_("Not possible now"),
    422: N_("Not accepted"),
    429: N_("Too many requests"),
    503: N_("Not available right now"),
}
FAILED = N_("Something went wrong")


def _user(request: Request) -> User | None:
    """Whoever is signed in, for the page's navigation; None when that cannot be told."""
    try:
        return optional_user(request)
    except Exception:  # an error page never fails for want of its header
        return None


def _words(request: Request, status: int, error: Exception | None) -> tuple[str, str]:
    """The page's heading and its one sentence, in the page's language."""
    tr = translator(language(request))
    if isinstance(error, CaseNotFoundError):
        return (
            tr.gettext(N_("No case {reference}")).format(reference=error.reference),
            tr.gettext(N_("There is no case with this reference. The list of cases shows those there are.")),
        )
    if isinstance(error, PermissionDeniedError):
        role = i18n.helpers(language(request))["term"](error.role)
        return (
            tr.gettext(TITLES[403]),
            tr.gettext(N_("Your role ({role}) may not {action}.")).format(
                role=role, action=tr.gettext(error.action.value)
            ),
        )
    title = tr.gettext(TITLES.get(status, FAILED))
    if status == 401:
        return title, tr.gettext(N_("Your session has ended. Sign in, then try again."))
    if isinstance(error, NcpflowError) and status < 500:
        return title, refused(error, request)
    if isinstance(error, ApiError) and status < 500:
        return title, error.detail  # worded by the page that raised it
    if status == 404:
        return title, tr.gettext(N_("There is no page at {address}.")).format(address=request.url.path)
    if status == 503:
        return title, tr.gettext(N_("The database cannot be reached right now. Try again in a moment."))
    return title, tr.gettext(N_("The server could not answer this page. The details are in its log."))


def error_page(request: Request, status: int, error: Exception | None = None) -> HTMLResponse:
    """The error page for `status`, worded from `error` where it says more."""
    title, message = _words(request, status, error)
    user = _user(request)
    page = render(request, "error.html", user, "", title=title, message=message, status=status)
    page.status_code = status
    headers = getattr(error, "headers", None)
    if isinstance(headers, dict):
        page.headers.update(headers)
    return page
