"""`SecurityHeaders`: the headers every answer carries, as a plain ASGI middleware.

`X-Content-Type-Options: nosniff` (a download is never run as a script or a page) and
`Referrer-Policy: same-origin` (case references in URLs stay on the site). A pure ASGI
middleware adds two list items to each answer's start; Starlette's BaseHTTPMiddleware would
cost a task per request on the API's hot path (benchmarks/api.py).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                given = list(message.get("headers", ()))
                # A page that names its own referrer policy (a party's link: no-referrer) keeps it.
                if any(name.lower() == b"referrer-policy" for name, _value in given):
                    message["headers"] = [*given, HEADERS[0]]
                else:
                    message["headers"] = [*given, *HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
