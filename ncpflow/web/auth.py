"""Who is asking: Bearer API tokens or a signed session cookie; roles; CSRF tokens for forms.

For pages (helper modules build on these):
- `current_user` (dependency): the signed-in `User`, from `Authorization: Bearer TOKEN` or the
  session cookie; 401 otherwise. `optional_user` returns None instead of raising.
- `require_roles("handler", ...)`: a dependency returning the user, 403 for other roles.
- `csrf_token(request)` for a hidden form field; `check_csrf(request, token)` raises 403 when
  it is missing, forged, expired or minted for another session.
- `sign_in(response, user)` / `sign_out(response)` set and clear the session cookie
  (HttpOnly, SameSite=Lax, Secure when served over https); `check_password(request, name, pw)`.
  A new password ends the sessions signed in with the old one.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from states.users import User
from workflow import users
from workflow.bootstrap import Services

SESSION_COOKIE = "ncpflow_session"
SESSION_SECONDS = 12 * 3600
TOKEN_TTL_SECONDS = 10.0
CSRF_FIELD = "csrf_token"


class ApiError(Exception):
    """An error the API answers with `{"error": code, "detail": text}` and `status`."""

    def __init__(self, status: int, error: str, detail: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail, self.headers = status, error, detail, headers


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _signer(request: Request, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt=salt)


def _password_stamp(user: User) -> str:
    # A new password (argon2 salts each hash afresh) changes the stamp and so ends every
    # session signed in with the old one.
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def _session(request: Request) -> tuple[str, str] | None:
    """(user name, password stamp) from a valid, unexpired session cookie."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        value = _signer(request, "session").loads(cookie, max_age=SESSION_SECONDS)
    except BadSignature:
        return None
    if (isinstance(value, list) and len(value) == 2
            and all(isinstance(part, str) for part in value)):
        return value[0], value[1]
    return None


def _session_name(request: Request) -> str | None:
    session = _session(request)
    return session[0] if session else None


def optional_user(request: Request) -> User | None:
    """The user behind the request's Bearer token or session cookie, or None."""
    cached = getattr(request.state, "user", None)
    if cached is not None:
        assert isinstance(cached, User)
        return cached
    services = services_of(request)
    header = request.headers.get("authorization", "")
    user: User | None = None
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "unauthorized", "the Authorization header must be 'Bearer TOKEN'",
                           {"WWW-Authenticate": "Bearer"})
        user = _token_user(request, services, token.strip())
        if user is None:
            raise ApiError(401, "unauthorized", "the API token is not valid",
                           {"WWW-Authenticate": "Bearer"})
    else:
        session = _session(request)
        if session is not None:
            user = users.by_name(uow=services.uow, name=session[0])
            if user is not None and _password_stamp(user) != session[1]:
                user = None  # the password changed since this session signed in
    request.state.user = user
    return user


class TokenCache:
    """Users found by their API token, remembered for `ttl` seconds per process.

    A script sends its token with every request, and looking it up is the most frequent
    read there is (benchmarks/api.py). Only tokens that were found are kept, under their
    sha256, and only briefly: a token stops working at most `ttl` seconds after its user
    changes in the database.
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


def _token_user(request: Request, services: Services, token: str) -> User | None:
    cache: TokenCache = request.app.state.token_cache
    key = users.token_hash(token)
    user = cache.get(key)
    if user is None:
        user = users.by_token(uow=services.uow, token=token)
        if user is not None:
            cache.put(key, user)
    return user


def current_user(request: Request) -> User:
    user = optional_user(request)
    if user is None:
        raise ApiError(401, "unauthorized",
                       "sign in, or send an API token as 'Authorization: Bearer TOKEN'",
                       {"WWW-Authenticate": "Bearer"})
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_roles(*roles: str) -> Callable[..., User]:
    """A dependency: the current user if their role is one of `roles`, else 403."""
    allowed = frozenset(roles)

    def dependency(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise ApiError(403, "forbidden",
                           f"role '{user.role}' may not do this; needs one of: "
                           f"{', '.join(sorted(allowed))}")
        return user

    return dependency


def check_password(request: Request, name: str, password: str) -> User | None:
    return users.check_password(uow=services_of(request).uow, name=name, password=password)


def sign_in(request: Request, response: Response, user: User) -> None:
    response.set_cookie(SESSION_COOKIE,
                        _signer(request, "session").dumps([user.name, _password_stamp(user)]),
                        max_age=SESSION_SECONDS, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")


def sign_out(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def _csrf_subject(request: Request) -> str:
    # Bound to the session (or to "anonymous" on the sign-in form itself).
    return _session_name(request) or "anonymous"


def csrf_token(request: Request) -> str:
    return _signer(request, "csrf").dumps(_csrf_subject(request))


def check_csrf(request: Request, token: str | None) -> None:
    """Raise 403 unless `token` came from `csrf_token` for this session within the session's life."""
    try:
        subject: Any = _signer(request, "csrf").loads(token or "", max_age=SESSION_SECONDS)
    except BadSignature:
        subject = None
    if subject is None or subject != _csrf_subject(request):
        raise ApiError(403, "csrf", "the form is stale or was not sent by this site; "
                                    "reload the page and try again")
