"""The text rule of the pages' form fields, and the URL's own.

A NUL character cannot be stored by PostgreSQL and means nothing in a name or a reason, so it
is refused wherever text comes in: page forms (`clean_text`, a validator of their field types),
query strings and paths (`RejectNulInUrl`), with a 422 that names it. API bodies are the input
models of workflow/commands.py, which refuse it themselves.
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from states.errors import InvalidInputError
from states.messages import N_


def clean_text(value: str) -> str:
    if "\x00" in value:
        # The input is named where the refusal is worded (workflow.commands.refusals).
        raise InvalidInputError(N_("{what} must not contain NUL characters"))
    return value


class RejectNulInUrl:
    """ASGI middleware: a path or query string holding a NUL character answers 422."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and ("\x00" in scope["path"] or b"%00" in scope["query_string"]):
            response = JSONResponse(
                {"error": "invalid_input", "detail": "the URL holds a NUL character (%00)"}, status_code=422
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
