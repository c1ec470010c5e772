"""Signing in to the pages: throttled, bounded, audited; TOTP; server-side sessions.

- Throttle: failures are counted per user name and per client address in a sliding window;
  past the limit that name (or address) is refused without hashing until the window has
  passed. Each failure is an audit entry `sign_in_failed`, each lock-out one
  `sign_in_throttled` (actor: the name tried, or "anonymous").
- Bounded work: argon2 takes 64 MiB per verification, so at most `ARGON2_AT_ONCE` run at
  once and at most `ARGON2_WAITING` more wait their turn; beyond that a sign-in is refused as
  busy at once (the caller answers 429).
- Second factor: a user enrolled with `users totp` gives a code after the password; a role
  in `[web] require_totp_for` cannot sign in without one.
- Sessions: a random id in the cookie, its sha256 in the `sessions` table; sign-out revokes
  it, a new password or disabling the user revokes the user's others. 12 hours, as before.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

import pyotp

from states import audit_wording, records
from states.users import Session, User
from workflow import users
from workflow.logging import get_logger
from workflow.ports import Clock, UnitOfWork

log = get_logger("ncpflow.signin")

SESSION_LIFETIME = timedelta(hours=12)
KEEP_ENDED = timedelta(days=30)  # ended sessions are kept this long, then forgotten
SEEN_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often
ARGON2_AT_ONCE = 2
ARGON2_WAITING = 8
ARGON2_WAIT_SECONDS = 10.0
PER_USER = 5  # failures in WINDOW before the name is locked out
PER_ADDRESS = 20  # failures in WINDOW before the client address is locked out
WINDOW = timedelta(minutes=15)
TRACKED = 10_000  # names and addresses remembered at most (then the stale ones are dropped)


class Outcome(StrEnum):
    OK = "ok"
    FAILED = "failed"  # wrong name, password or code
    THROTTLED = "throttled"  # too many failures: refused without checking
    BUSY = "busy"  # too many sign-ins at once
    NEEDS_CODE = "needs_code"  # the password was right; now the one-time code
    EXPIRED = "expired"  # the user changed since the password step (new password, disabled...)
    NEEDS_ENROLMENT = "needs_enrolment"  # the role requires TOTP and the user has none


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    user: User | None = None
    retry_after: int = 0  # seconds, for THROTTLED and BUSY


@dataclass
class Throttle:
    """Failures per key in a sliding window; a key at the limit is locked until they age out."""

    limit: int
    window: timedelta = WINDOW
    _failures: dict[str, deque[datetime]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: datetime) -> deque[datetime] | None:
        times = self._failures.get(key)
        while times and times[0] <= now - self.window:
            times.popleft()
        if times is not None and not times:
            del self._failures[key]
            return None
        return times

    def retry_after(self, key: str, now: datetime) -> int:
        """Seconds until `key` may try again; 0 when it may now."""
        with self._lock:
            times = self._recent(key, now)
            if times is None or len(times) < self.limit:
                return 0
            return max(1, int((times[-self.limit] + self.window - now).total_seconds()) + 1)

    def fail(self, key: str, now: datetime) -> bool:
        """Count a failure; True when it reaches the limit (the key is locked out now)."""
        with self._lock:
            if len(self._failures) >= TRACKED:
                for stale in [k for k, t in self._failures.items() if t[-1] <= now - self.window]:
                    del self._failures[stale]
                # Still full: forget the keys with the fewest failures, never a locked one, so
                # failures spread over many names cannot wipe the lock on the one attacked.
                if len(self._failures) >= TRACKED:
                    unlocked = sorted(
                        (k for k, t in self._failures.items() if len(t) < self.limit),
                        key=lambda k: len(self._failures[k]),
                    )
                    for spare in unlocked[: max(1, TRACKED // 10)]:
                        del self._failures[spare]
            times = self._recent(key, now) or self._failures.setdefault(key, deque())
            times.append(now)
            while len(times) > self.limit:
                times.popleft()
            return len(times) == self.limit

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class Gate:
    """At most `at_once` argon2 verifications, `waiting` more queued; the rest refused."""

    def __init__(
        self,
        at_once: int = ARGON2_AT_ONCE,
        waiting: int = ARGON2_WAITING,
        wait_seconds: float = ARGON2_WAIT_SECONDS,
    ) -> None:
        self._slots = threading.BoundedSemaphore(at_once)
        self._admitted = 0
        self._limit = at_once + waiting
        self._wait = wait_seconds
        self._lock = threading.Lock()

    @contextmanager
    def turn(self) -> Iterator[bool]:
        with self._lock:
            admitted = self._admitted < self._limit
            if admitted:
                self._admitted += 1
        if not admitted:
            yield False
            return
        try:
            got = self._slots.acquire(timeout=self._wait)
            try:
                yield got
            finally:
                if got:
                    self._slots.release()
        finally:
            with self._lock:
                self._admitted -= 1


@dataclass
class SignIn:
    """The sign-in state of one server process: throttles and the argon2 gate."""

    uow: UnitOfWork
    clock: Clock
    require_totp_for: frozenset[str] = frozenset()
    per_user: Throttle = field(default_factory=lambda: Throttle(PER_USER))
    per_address: Throttle = field(default_factory=lambda: Throttle(PER_ADDRESS))
    gate: Gate = field(default_factory=Gate)

    def __post_init__(self) -> None:
        users.prepare_password_checks()

    def _throttled(self, name: str, address: str, now: datetime) -> int:
        return max(
            self.per_user.retry_after(_user_key(name), now), self.per_address.retry_after(address, now)
        )

    def password(self, name: str, password: str, address: str) -> Attempt:
        """Check a name and password; the first step of signing in."""
        now = self.clock.now()
        wait = self._throttled(name, address, now)
        if wait:
            log.warning("sign_in_throttled", user=name[:100], address=address)
            return Attempt(Outcome.THROTTLED, retry_after=wait)
        with self.gate.turn() as admitted:
            if not admitted:
                log.warning("sign_in_busy", user=name[:100], address=address)
                return Attempt(Outcome.BUSY, retry_after=1)
            user = users.check_password(uow=self.uow, name=name, password=password)
        if user is None:
            self._failed(name, address, now, audit_wording.WRONG_PASSWORD)
            return Attempt(Outcome.FAILED)
        if user.has_totp:
            return Attempt(Outcome.NEEDS_CODE, user)
        if user.role in self.require_totp_for:
            log.warning("sign_in_needs_enrolment", user=user.name, role=user.role)
            return Attempt(Outcome.NEEDS_ENROLMENT, user)
        self._succeeded(user.name)
        return Attempt(Outcome.OK, user)

    def code(self, name: str, code: str, address: str, *, stamp: int) -> Attempt:
        """Check the one-time code of a user whose password was right a moment ago, when the
        user had `stamp`: a new password (or any change to the user) since then voids the step."""
        now = self.clock.now()
        wait = self._throttled(name, address, now)
        if wait:
            return Attempt(Outcome.THROTTLED, retry_after=wait)
        user = users.by_name(uow=self.uow, name=name)
        if user is not None and user.stamp != stamp:
            log.warning("sign_in_code_expired", user=user.name, address=address)
            return Attempt(Outcome.EXPIRED)
        step = _totp_step(user, code.strip(), now) if user is not None else None
        if user is None or user.disabled or step is None or not self._use_step(user, step):
            self._failed(name, address, now, audit_wording.WRONG_CODE)
            return Attempt(Outcome.FAILED)
        self._succeeded(user.name)
        return Attempt(Outcome.OK, user)

    def _use_step(self, user: User, step: int) -> bool:
        with self.uow.write() as tx:
            return tx.users.use_totp_step(user.name, step)

    def _succeeded(self, name: str) -> None:
        self.per_user.clear(_user_key(name))

    def _failed(self, name: str, address: str, now: datetime, why: str) -> None:
        locked = [
            what
            for what, throttle, key in [
                ("user", self.per_user, _user_key(name)),
                ("address", self.per_address, address),
            ]
            if throttle.fail(key, now)
        ]
        actor = _actor(name)
        with self.uow.write() as tx:
            tx.audit.append(
                case_ref=None,
                actor=actor,
                at=now,
                from_state=None,
                to_state=None,
                reason=why,
                record=records.SignInFailed(name[:100], address),
            )
            for what in locked:
                limit = PER_USER if what == "user" else PER_ADDRESS
                tx.audit.append(
                    case_ref=None,
                    actor=actor,
                    at=now,
                    from_state=None,
                    to_state=None,
                    reason=audit_wording.THROTTLED[what].format(limit=limit, minutes=_minutes(WINDOW)),
                    record=records.SignInThrottled(name[:100], address, what),
                )
        log.warning("sign_in_failed", user=name[:100], address=address, why=why, locked=locked)

    # -- sessions --------------------------------------------------------------------------

    def start_session(self, user: User, address: str | None) -> str:
        """A new session for `user`; returns the id for the cookie (stored hashed only)."""
        raw = secrets.token_urlsafe(32)
        now = self.clock.now()
        with self.uow.write() as tx:
            tx.users.purge_sessions(ended_before=now - KEEP_ENDED)
            tx.users.add_session(
                id_hash=session_hash(raw),
                name=user.name,
                at=now,
                expires_at=now + SESSION_LIFETIME,
                address=address,
            )
        log.info("signed_in", user=user.name, address=address)
        return raw

    def session(self, raw: str) -> Session | None:
        """The live session behind a cookie's id, or None (unknown, ended, expired, disabled)."""
        if not raw or len(raw) > 100:
            return None
        now = self.clock.now()
        with self.uow.read() as tx:
            found = tx.users.session(session_hash(raw), now=now)
        if found is not None and now - found.last_seen_at >= SEEN_EVERY:
            self._seen(found.id_hash, now)
        return found

    def _seen(self, id_hash: str, now: datetime) -> None:
        # Best effort and never waiting behind another writer: last_seen_at is information.
        turn = self.uow.writer_if_free()
        if turn is None:
            return
        with turn, self.uow.write() as tx:
            tx.users.touch_session(id_hash, at=now)

    def end_session(self, raw: str) -> None:
        if raw and len(raw) <= 100:
            with self.uow.write() as tx:
                tx.users.revoke_session(session_hash(raw), at=self.clock.now())


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


def session_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _user_key(name: str) -> str:
    return name.strip().casefold()[:200]


def _actor(name: str) -> str:
    """The name tried, as the audit entry's actor, when it looks like a user name."""
    name = name.strip()
    if not name or len(name) > 100 or any(c.isspace() or not c.isprintable() for c in name):
        return "anonymous"
    return name


def _totp_step(user: User, code: str, now: datetime) -> int | None:
    """The time step the code belongs to (this one, or one either side), or None."""
    if not user.totp_secret or not code.isascii() or not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(user.totp_secret)
    for offset in (0, -1, 1):
        moment = now + timedelta(seconds=offset * totp.interval)
        if secrets.compare_digest(totp.at(moment), code):
            return int(moment.timestamp()) // totp.interval
    return None
