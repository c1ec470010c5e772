"""Who is asking: Bearer API tokens or a server-side session; roles; CSRF tokens.

For pages (helper modules build on these):
- `current_user` (dependency): the signed-in `User`, from `Authorization: Bearer TOKEN` or the
  session cookie; 401 otherwise. `optional_user` returns None instead of raising.
- `api_user`: `current_user`, and for a write (POST, PUT, PATCH, DELETE) authenticated by the
  session cookie, the `X-CSRF-Token` header must carry the session's CSRF token (403 else);
  Bearer-token writes need none.
- `ApiAllow(Action...)` and `PageAllow(Action...)`: a route's permission, declared where the
  route is: the dependency returns the user when the permission table
  (states/permissions.py) lets their role do one of the actions, else 403 naming the role
  and the action. A page asked for by nobody signed in sends the browser to sign in
  (`SignInFirst`).
- `csrf_token(request)` for a hidden form field; `check_csrf(request, token)` raises 403 when
  it is missing, forged, expired or minted for another session. Before signing in, the token
  is bound to a pre-session cookie of this browser (login CSRF): a token fetched by someone
  else's browser does not sign this one in. `set_cookies(request, response)` sets that cookie
  when a page minted one.
- `sign_in(request, response, user)` starts a session (a row in `sessions`, the cookie holds
  its random id; HttpOnly, SameSite=Lax, Secure when served over https or `[web] public_url`
  is https); `sign_out(request, response)` revokes it on the server.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from states import permissions
from states.errors import CaseNotFoundError
from states.permissions import Action
from states.users import Session, User
from workflow.application import Application
from workflow.signin import SESSION_LIFETIME, SignIn
from workflow.users import token_hash

SESSION_COOKIE = "ncpflow_session"
PRESESSION_COOKIE = "ncpflow_presession"
SESSION_SECONDS = int(SESSION_LIFETIME.total_seconds())
TOKEN_TTL_SECONDS = 10.0
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ApiError(Exception):
    """An error the API answers with `{"error": code, "detail": text}` and `status`."""

    def __init__(self, status: int, error: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail, self.headers = status, error, detail, headers


def application_of(request: Request) -> Application:
    """The application (`workflow.application`) the web app serves."""
    application: Application = request.app.state.application
    return application


def signin_of(request: Request) -> SignIn:
    """The app's sign-in state (throttles, argon2 gate) for its current application."""
    return application_of(request).signin


def client_address(request: Request) -> str:
    """The client's address (the proxy's forwarded one only from `[web] trusted_proxies`)."""
    return request.client.host if request.client else "unknown"


def _signer(request: Request, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt=salt)


_NO_SESSION = object()


def _session(request: Request) -> Session | None:
    """The live server-side session behind the request's cookie (looked up once a request)."""
    found = getattr(request.state, "session", _NO_SESSION)
    if found is _NO_SESSION:
        cookie = request.cookies.get(SESSION_COOKIE)
        found = signin_of(request).session(cookie) if cookie else None
        request.state.session = found
    assert found is None or isinstance(found, Session)
    return found


def optional_user(request: Request) -> User | None:
    """The user behind the request's Bearer token or session cookie, or None."""
    cached = getattr(request.state, "user", None)
    if cached is not None:
        assert isinstance(cached, User)
        return cached
    application = application_of(request)
    header = request.headers.get("authorization", "")
    user: User | None = None
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(
                401,
                "unauthorized",
                "the Authorization header must be 'Bearer TOKEN'",
                {"WWW-Authenticate": "Bearer"},
            )
        user = _token_user(request, application, token.strip())
        if user is None:
            raise ApiError(401, "unauthorized", "the API token is not valid", {"WWW-Authenticate": "Bearer"})
        request.state.by_cookie = False
    else:
        session = _session(request)
        user = session.user if session is not None else None
        request.state.by_cookie = user is not None
    request.state.user = user
    return user


class TokenCache:
    """Users found by their API token, remembered for `ttl` seconds per process.

    A script sends its token with every request, and looking it up is the most frequent
    read there is (benchmarks/api.py). Only tokens that were found are kept, under their
    sha256, and only briefly. A remembered user is still checked on every request against
    the database with one primary-key read (`users.still_valid`: enabled, same stamp), so a
    disabled user or a revoked token is refused at once, whichever process changed it.
    """

    def __init__(self, ttl: float = TOKEN_TTL_SECONDS, size: int = 1024) -> None:
        self.ttl, self.size = ttl, size
        self._found: dict[str, tuple[float, User]] = {}
        self._lock = threading.Lock()  # the pages look users up from worker threads

    def get(self, key: str) -> User | None:
        with self._lock:
            hit = self._found.get(key)
        if hit is None or hit[0] <= time.monotonic():
            return None
        return hit[1]

    def put(self, key: str, user: User) -> None:
        with self._lock:
            if len(self._found) >= self.size:
                self._found.clear()  # a burst of distinct tokens: start afresh
            self._found[key] = (time.monotonic() + self.ttl, user)

    def forget(self, key: str) -> None:
        with self._lock:
            self._found.pop(key, None)


def _token_user(request: Request, application: Application, token: str) -> User | None:
    cache: TokenCache = request.app.state.token_cache
    key = token_hash(token)
    user = cache.get(key)
    if user is not None:
        if application.users.still_valid(user=user):
            return user
        cache.forget(key)  # disabled, or a token of theirs revoked: look it up afresh
    user = application.users.by_token(token=token)
    if user is not None:
        cache.put(key, user)
    return user


def current_user(request: Request) -> User:
    user = optional_user(request)
    if user is None:
        raise ApiError(
            401,
            "unauthorized",
            "sign in, or send an API token as 'Authorization: Bearer TOKEN'",
            {"WWW-Authenticate": "Bearer"},
        )
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def api_user(request: Request) -> User:
    """`current_user` for the API: a cookie-authenticated write needs `X-CSRF-Token`."""
    user = current_user(request)
    if request.method not in SAFE_METHODS and getattr(request.state, "by_cookie", False):
        if not request.headers.get(CSRF_HEADER):
            raise ApiError(
                403,
                "csrf",
                "a write signed in by the session cookie needs the "
                "header X-CSRF-Token (GET /api/session gives it); "
                "scripts send 'Authorization: Bearer TOKEN' instead",
            )
        check_csrf(request, request.headers.get(CSRF_HEADER))
    return user


class Allow:
    """A route's permission: the current user when their role may do one of `actions` (the
    permission table), else PermissionDeniedError (403) naming the role and the action.
    Declared in the route's signature, so the route walk test reads `actions` off each route.

    The one place a mediator's user is kept to its own cases: on a route naming a case
    (`{ref}`), a case its mediator is not assigned to answers as an unknown reference does
    (404, `CaseNotFoundError`), whatever the action, so its existence never leaks; on its own
    cases it reads as anyone reading cases does (`permissions.require_on_case`). Lists of cases
    are narrowed where they are read (`workflow.mediators.mediated_by`)."""

    def __init__(self, *actions: Action) -> None:
        self.actions = actions

    def check(self, user: User, request: Request | None = None) -> User:
        reference = request.path_params.get("ref") if request is not None else None
        if reference is None:
            permissions.require(user.role, *self.actions)
            return user
        if permissions.scoped(user.role):
            assert request is not None
            if not application_of(request).mediators.visible(viewer=user, reference=str(reference)):
                raise CaseNotFoundError(str(reference))
        permissions.require_on_case(user.role, *self.actions)
        return user


class ApiAllow(Allow):
    """For the API: async, as FastAPI runs a sync dependency in its thread pool, a hop per
    request (benchmarks/api.py); the token lookup is one indexed read, brief enough for the
    event loop. A write signed in by the session cookie needs X-CSRF-Token (`api_user`)."""

    async def __call__(self, request: Request) -> User:
        return self.check(api_user(request), request)


class SignInFirst(Exception):
    """A page was asked for by nobody signed in: the app sends the browser to `url`."""

    def __init__(self, request: Request) -> None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        self.url = f"/signin?{urlencode({'next': target})}"
        super().__init__(self.url)


class PageAllow(Allow):
    """For the pages: nobody signed in is sent to sign in (a GET) or answered 401."""

    def __call__(self, request: Request) -> User:
        user = optional_user(request)
        if user is None and request.method in SAFE_METHODS:
            raise SignInFirst(request)
        return self.check(user or current_user(request), request)


def _secure(request: Request) -> bool:
    public = application_of(request).settings.web.public_url or ""
    return request.url.scheme == "https" or public.startswith("https://")


def sign_in(request: Request, response: Response, user: User) -> None:
    """Start a server-side session for `user` and give the browser its cookie."""
    raw = signin_of(request).start_session(user, client_address(request))
    response.set_cookie(
        SESSION_COOKIE,
        raw,
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(
        PRESESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request)
    )


def sign_out(request: Request, response: Response) -> None:
    """End the session on the server (a replayed cookie no longer works) and drop the cookie."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        signin_of(request).end_session(cookie)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request))


def _csrf_subject(request: Request, *, mint: bool = False) -> str | None:
    """What a CSRF token is bound to: the session, or before it this browser's pre-session."""
    session = _session(request)
    if session is not None:
        return "s:" + hashlib.sha256(b"csrf:" + session.id_hash.encode()).hexdigest()[:32]
    pre = request.cookies.get(PRESESSION_COOKIE) or getattr(request.state, "presession", None)
    if not pre and mint:
        pre = secrets.token_urlsafe(32)
        request.state.presession = pre
    if not pre or len(pre) > 100:
        return None
    return "p:" + hashlib.sha256(b"pre:" + pre.encode()).hexdigest()[:32]


def csrf_token(request: Request) -> str:
    return _signer(request, "csrf").dumps(_csrf_subject(request, mint=True))


def set_cookies(request: Request, response: Response) -> None:
    """Give the browser the pre-session cookie that `csrf_token` minted for it, if any."""
    pre = getattr(request.state, "presession", None)
    if pre and not request.cookies.get(PRESESSION_COOKIE):
        response.set_cookie(
            PRESESSION_COOKIE,
            pre,
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="lax",
            secure=_secure(request),
            path="/",
        )


def check_csrf(request: Request, token: str | None) -> None:
    """Raise 403 unless `token` came from `csrf_token` for this session (or pre-session)."""
    try:
        subject: Any = _signer(request, "csrf").loads(token or "", max_age=SESSION_SECONDS)
    except BadSignature:
        subject = None
    expected = _csrf_subject(request)
    if subject is None or expected is None or subject != expected:
        raise ApiError(
            403, "csrf", "the form is stale or was not sent by this site; reload the page and try again"
        )


def browser_binding(request: Request) -> str | None:
    """What ties a sign-in's steps to this browser (its pre-session), or None."""
    return _csrf_subject(request)


def pending_signer(request: Request) -> URLSafeTimedSerializer:
    """Signs the 'password was right, now the code' step of a sign-in (five minutes)."""
    return _signer(request, "pending-totp")
