"""Users and roles of the web app and API (pure); what each role may do is
`states/permissions.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    HANDLER = "handler"  # the secretariat: everything on cases
    MEMBER = "member"  # reads all; advances the cases it leads
    AUDITOR = "auditor"  # read-only: audit log, exports, reports; pseudonymised submitters
    ADMIN = "admin"  # users
    MEDIATOR = "mediator"  # an external mediator: only the cases it is assigned to


@dataclass(frozen=True)
class User:
    name: str
    role: str
    member_id: str | None = None
    password_hash: str | None = None
    disabled: bool = False
    # Raised by every change that ends the user's sessions or tokens (disable, enable, token
    # revoked, new password): a token cached with one stamp is refused once it moved.
    stamp: int = 0
    totp_secret: str | None = None
    mediator_id: str | None = None  # role mediator: the mediator (states/mediators.py) it is

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR

    @property
    def has_totp(self) -> bool:
        return self.totp_secret is not None


@dataclass(frozen=True)
class ApiToken:
    """An API token as listed: never the token itself, only the first digits of its hash."""

    id: str
    user: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class Session:
    """A signed-in browser: its user, and when it began, was last seen and ends."""

    id_hash: str
    user: User
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class UserSummary:
    """A user as the users page lists it: never a secret, only counts and times."""

    user: User
    active_tokens: int
    last_signed_in: datetime | None  # the latest session begun, while sessions are kept


class FeedScope(StrEnum):
    """Which cases a calendar feed holds: all the user may read, or only those its member leads."""

    ALL = "all"
    MINE = "mine"


@dataclass(frozen=True)
class CalendarFeed:
    """A user's calendar subscription URL as listed: never its token, only the first digits of
    the token's hash; the language and the cases it was made for."""

    id: str
    user: str
    language: str
    scope: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None
