"""The calendar subscription feed, `GET /calendar/feed/{token}.ics`: read by Outlook or Google
Calendar with the URL alone (no cookie, no header), so the token in the path is the credential
(workflow/feeds.py). An unknown, revoked or malformed token and a disabled user all answer the
same bare 404, which says nothing about why. The token never reaches a log: `loggable` masks it
in the paths the app logs.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ncpflow.web.auth import application_of

PREFIX = "/calendar/feed/"
_IN_PATH = re.compile(re.escape(PREFIX) + r"[^/]+")
_PARTY_PATH = re.compile(r"^/p/[^/]+")  # a party's link (ncpflow/web/pages/party.py)

router = APIRouter()


def base_url(request: Request) -> str:
    """Where the site is reached from outside: `[web] public_url`, else the request's own."""
    public = application_of(request).settings.web.public_url
    return (public or str(request.base_url)).rstrip("/")


def feed_url(request: Request, token: str) -> str:
    """The subscription URL holding `token`."""
    return f"{base_url(request)}{PREFIX}{token}.ics"


def loggable(path: str) -> str:
    """`path` with a feed's or a party link's token masked, for the logs."""
    return _PARTY_PATH.sub("/p/[token]", _IN_PATH.sub(PREFIX + "[token]", path))


@router.get(
    PREFIX + "{token}.ics",
    summary="A user's calendar subscription feed (iCalendar); the token in the URL is its only credential",
    tags=["calendar"],
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {}}, "description": "The user's open deadlines"},
        404: {"description": "No such feed: an unknown, revoked or malformed token, or a disabled user"},
    },
)
def calendar_feed(request: Request, token: str) -> Response:
    site = base_url(request)
    body = application_of(request).calendar.feed(
        token=token, case_url=lambda reference: f"{site}/cases/{reference}"
    )
    if body is None:
        return Response("Not Found", status_code=404, media_type="text/plain", headers=_PRIVATE)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={**_PRIVATE, "Content-Disposition": 'inline; filename="deadlines.ics"'},
    )


# A personal feed: no shared cache keeps it, and a client asks again rather than reuse it stale.
_PRIVATE = {"Cache-Control": "private, no-cache", "X-Robots-Tag": "noindex"}
