"""`create_app(application)`: the FastAPI app: JSON API, /healthz, and the pages when present.

Errors become `{"error": code, "detail": text}` with the status the API promises; every
route calls a workflow use case, so a refusal changes nothing. A browser (asking for text/html)
gets an error page in its language instead when a page's route fails, or for an unknown address
outside `/api`.
"""

from __future__ import annotations

import importlib
import importlib.util
import traceback
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from ncpflow import __version__
from ncpflow.web import (
    api,
    api_bundles,
    api_checklists,
    api_engagement,
    api_follow_up,
    api_letters,
    api_links,
    api_mediators,
    api_ncps,
    api_related,
    api_statements,
    docs,
    feeds,
)
from ncpflow.web.auth import ApiError, SignInFirst, TokenCache, application_of
from ncpflow.web.fields import RejectNulInUrl
from ncpflow.web.headers import SecurityHeaders
from ncpflow.web.session_key import session_key
from states.errors import (
    BundleRefusedError,
    CaseNotFoundError,
    ConflictError,
    Input,
    InvalidInputError,
    NcpflowError,
    OutcomeError,
    StepRefusedError,
    StorageError,
    StorageUnavailableError,
    TooLargeError,
    TransitionNotAllowedError,
)
from states.permissions import PermissionDeniedError
from workflow.application import Application
from workflow.commands import problems
from workflow.config import ConfigError
from workflow.logging import get_logger

log = get_logger("ncpflow.web")

# First match wins.
STATUS: list[tuple[type[Exception], int, str]] = [
    (PermissionDeniedError, 403, "forbidden"),
    (CaseNotFoundError, 404, "not_found"),
    (TransitionNotAllowedError, 409, "not_allowed"),
    (StepRefusedError, 409, "not_allowed"),
    (ConflictError, 409, "conflict"),
    (OutcomeError, 422, "invalid_input"),
    (BundleRefusedError, 422, "bundle_refused"),
    (TooLargeError, 413, "too_large"),
    (InvalidInputError, 422, "invalid_input"),
    (ConfigError, 422, "invalid_input"),
    (StorageUnavailableError, 503, "unavailable"),
    (StorageError, 500, "storage"),
]


def _error(status: int, error: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


def _invalid(errors: Any) -> JSONResponse:
    """422 naming each field at fault as the request spells it (the body's, the query's)."""
    found = problems([{**e, "loc": tuple(e.get("loc", ()))[1:]} for e in errors], lambda field: field)
    return JSONResponse(
        {
            "error": "invalid_input",
            "detail": "; ".join(m for _, m in found) or "invalid request",
            "fields": list(dict.fromkeys(f for f, _ in found if f)),
        },
        status_code=422,
    )


def _allowed(app: FastAPI, request: Request) -> list[str]:
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
        match, _ = route.matches({**request.scope, "method": "POST"})
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def create_app(application: Application, *, secret: str | None = None) -> FastAPI:
    app = FastAPI(
        title="ncpflow",
        version=__version__,
        description="NCP specific-instance workflow: cases, deadlines, audit log.",
        # /docs is served from the package (ncpflow/web/docs.py), never from a CDN; no ReDoc.
        docs_url=None,
        redoc_url=None,
        # No OpenTelemetry here: off, it costs nothing per request.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.add_middleware(RejectNulInUrl)
    app.state.application = application
    app.state.secret_key = secret or session_key(application.settings)
    app.state.token_cache = TokenCache()
    # Outermost last: the forwarded scheme and address are settled before anything reads
    # them, and every answer (errors too) carries the security headers.
    app.add_middleware(SecurityHeaders)
    settings = getattr(application, "settings", None)  # None: a schema-only app (tests)
    trusted = list(settings.web.trusted_proxies) if settings is not None else []
    if trusted:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=trusted)

    @app.exception_handler(ApiError)
    def api_error(request: Request, exc: ApiError) -> Response:
        pages = _pages_of(request)
        if exc.error == "csrf" and pages is not None:  # a page form: said on a page
            return pages.stale_form(request)
        if pages is not None and _browser(request):
            return pages.error_page(request, exc.status, exc)
        return _error(exc.status, exc.error, exc.detail, exc.headers)

    @app.exception_handler(SignInFirst)
    def sign_in_first(_request: Request, exc: SignInFirst) -> RedirectResponse:
        return RedirectResponse(exc.url, status_code=303)

    @app.exception_handler(NcpflowError)
    def domain_error(request: Request, exc: NcpflowError) -> Response:
        status, code = next(((s, c) for kind, s, c in STATUS if isinstance(exc, kind)), (409, "not_allowed"))
        if status >= 500:
            log.error("request_failed", path=request.url.path, error=str(exc))
        pages = _pages_of(request)
        if pages is not None and _browser(request):  # a page: the error said on a page
            return pages.error_page(request, status, exc)
        # The API names each input by its field (`reason`); the command line by its option.
        if status != 422:
            return _error(status, code, exc.words())
        # A refused input the use case names (a trigger the case's procedure lacks): its field too.
        fields = [v.field for v in exc.params.values() if isinstance(v, Input) and v.field]
        body = {"error": code, "detail": exc.words(), **({"fields": fields} if fields else {})}
        return JSONResponse(body, status_code=status)

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> Response:
        pages = _pages_of(request)
        if pages is not None and request.method == "POST":  # a page form: said on a page
            return pages.form_refused(request, exc.errors())
        return _invalid(exc.errors())

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400:  # a body that is not JSON: bad input like any other
            return _error(422, "invalid_input", f"the request body: {exc.detail}")
        pages = getattr(app.state, "pages", None)
        if exc.status_code == 404 and pages is not None and _browser(request) and not _in_api(request):
            return cast("PageErrors", pages).error_page(request, 404)  # an unknown address
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "error")
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            # Starlette names only the first matching route's methods; a path served by two
            # routes (GET and POST /api/cases) allows both.
            headers["Allow"] = ", ".join(_allowed(app, request))
        return _error(exc.status_code, code, str(exc.detail), headers or None)

    @app.exception_handler(Exception)
    def unexpected(request: Request, exc: Exception) -> Response:
        # Whatever went wrong, the client learns nothing of the code: the details go to the
        # server's log (structlog, with the traceback), never into a response body.
        log.error(
            "request_crashed",
            path=feeds.loggable(request.url.path),
            method=request.method,
            error=f"{type(exc).__name__}: {exc}"[:500],
            traceback="".join(traceback.format_exception(exc)),
        )
        pages = _pages_of(request)
        if pages is not None and _browser(request):
            try:
                return pages.error_page(request, 500)
            except Exception:  # the page itself cannot be made: the plain answer below
                log.error("error_page_failed", path=request.url.path)
        return _error(500, "internal", "the server failed to answer this request; the details are in its log")

    @app.get("/healthz", summary="Liveness and database check", tags=["health"])
    def healthz(request: Request) -> dict[str, str]:
        application_of(request).health()
        return {"status": "ok"}

    app.include_router(api.router, tags=["api"])
    app.include_router(api_letters.router, tags=["api"])
    app.include_router(api_mediators.router, tags=["api"])
    app.include_router(api_ncps.router, tags=["api"])
    app.include_router(api_links.router, tags=["api"])
    app.include_router(api_follow_up.router, tags=["api"])
    app.include_router(api_engagement.router, tags=["api"])
    app.include_router(api_related.router, tags=["api"])
    app.include_router(api_checklists.router, tags=["api"])
    app.include_router(api_bundles.router, tags=["api"])
    app.include_router(api_statements.router, tags=["api"])
    app.include_router(docs.router)
    app.include_router(feeds.router)  # the calendar feed: its token is its credential
    if importlib.util.find_spec("ncpflow.web.pages") is not None:
        # The pages are built alongside; the API works without them.
        pages = importlib.import_module("ncpflow.web.pages")
        app.include_router(pages.router)
        app.state.pages = pages
    return app


class PageErrors(Protocol):
    """What the pages (ncpflow.web.pages) answer when a form is refused before its handler, and
    the error pages a browser gets instead of the JSON body."""

    def form_refused(self, request: Request, errors: Sequence[Mapping[str, Any]]) -> Response: ...

    def stale_form(self, request: Request) -> Response: ...

    def error_page(self, request: Request, status: int, error: Exception | None = None) -> Response: ...


def _browser(request: Request) -> bool:
    """Whether the client asks for HTML by name (a browser does; `*/*` alone is no page)."""
    return "text/html" in request.headers.get("accept", "")


def _in_api(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/")


def _pages_of(request: Request) -> PageErrors | None:
    """The pages' package when `request` went to one of its routes (not the API's), else None."""
    pages = getattr(request.app.state, "pages", None)
    endpoint = request.scope.get("endpoint")
    module = getattr(endpoint, "__module__", None) or ""
    if pages is None or not (module == pages.__name__ or module.startswith(pages.__name__ + ".")):
        return None
    return cast("PageErrors", pages)
