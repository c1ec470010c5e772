"""`serve --network`: one process serving every NCP of a network folder, the NCP chosen by Host.

`NetworkSite` is a plain ASGI dispatcher over one FastAPI app per NCP (`create_app` on that
NCP's own application: its settings, keys, session key and connection pool), each built on the
first request for it. The request's Host header, its name without the port, is matched against
each NCP's `[web] public_url`; any other host (none, an IP address, another NCP's alias) gets a
404 page naming no NCP, and no NCP's app sees the request.

Choosing by Host is safe against a forged header: a request only ever reaches the app of the NCP
whose host it names, and that app signs in, reads and writes through that NCP's own database
connections, which row-level security (ideally a pinned login role, docs/network.md) keeps to
that NCP's rows. A session, token or form from one NCP means nothing to another's: their users,
sessions and tokens are rows of their own NCP.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send
from structlog.contextvars import bound_contextvars

from states.messages import N_
from workflow.application import Application
from workflow.bootstrap import Network
from workflow.logging import get_logger

log = get_logger("ncpflow.web.network")

NO_NCP_HERE = N_("No NCP is served at this address.")
NOT_FOUND = N_("Not found")


def host_of(scope: Scope) -> str | None:
    """The request's host name, lower case, without the port; None when it has none."""
    for name, value in scope.get("headers", ()):
        if name == b"host":
            text = bytes(value).decode("latin-1").strip().lower()
            if text.startswith("["):  # an IPv6 literal: never an NCP's name
                return text.split("]", 1)[0] + "]"
            return text.rsplit(":", 1)[0] if ":" in text else text
    return None


def _not_here_page() -> bytes:
    from translations import translator

    nb = translator("nb")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>404 {NOT_FOUND} / {html.escape(nb.gettext(NOT_FOUND))}</title></head><body><main>"
        f"<h1>404 {NOT_FOUND}</h1><p>{NO_NCP_HERE}</p>"
        f'<p lang="nb">{html.escape(nb.gettext(NO_NCP_HERE))}</p>'
        "</main></body></html>"
    ).encode()


class NetworkSite:
    """The ASGI app of `serve --network`: each request to its NCP's app, built lazily."""

    def __init__(self, network: Network, make_app: Callable[[Application], ASGIApp]) -> None:
        self.network = network
        self._make_app = make_app
        self._apps: dict[str, ASGIApp] = {}
        self._lock = threading.Lock()
        self._page = _not_here_page()

    def app_for(self, code: str) -> ASGIApp:
        with self._lock:
            app = self._apps.get(code)
            if app is None:
                app = self._apps[code] = self._make_app(self.network.application(code))
                log.info("ncp_app_built", ncp=code)
            return app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        host = host_of(scope)
        ncp = self.network.ncp_at(host) if host is not None else None
        if ncp is None:
            await self._not_here(scope, send)
            return
        app = self.app_for(ncp.code)
        with bound_contextvars(ncp=ncp.code):  # every log line of the request names its NCP
            await app(scope, receive, send)

    async def _not_here(self, scope: Scope, send: Send) -> None:
        if scope["type"] != "http":  # a websocket: refused before it opens
            await send({"type": "websocket.close", "code": 1008})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 404,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(self._page)).encode()),
                    (b"cache-control", b"no-store"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": self._page if scope["method"] != "HEAD" else b""})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                # The applications are closed by the command, after the scheduler's jobs
                # that share them have stopped.
                await send({"type": "lifespan.shutdown.complete"})
                return
