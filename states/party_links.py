"""Party links: a signed, expiring, revocable address that gives one party of one case its own
pages, with no account (pure).

A link is listed by its number (`id`); the token in its address is signed by the application
(workflow/party_links.py) and only its sha256 is stored. Whether a link still opens is decided
here, from the link, the case and the time: `refusal(...)` names why it does not (revoked,
expired, the case closed, the party no longer the case's), or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from states.durations import Duration
from states.errors import Input, InvalidInputError
from states.messages import N_

# How long a link may be valid for: at least a day, at most a year.
MIN_DAYS = 1
MAX_DAYS = 366
DAYS = Input(N_("days valid"), "days")


class LinkState(StrEnum):
    """What a listed link is now."""

    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


class Refusal(StrEnum):
    """Why a link does not open (the party's page words it)."""

    INVALID = "invalid"  # not a token this application signed, or altered
    REVOKED = "revoked"
    EXPIRED = "expired"
    CLOSED = "closed"  # the case has ended
    GONE = "gone"  # the party is no longer one of the case's


@dataclass(frozen=True)
class PartyLink:
    """A link as listed: never its token."""

    id: int
    reference: str
    party: str
    issued_at: datetime
    expires_at: datetime
    issued_by: str
    revoked_at: datetime | None = None
    revoked_by: str | None = None

    def state(self, now: datetime) -> LinkState:
        if self.revoked_at is not None:
            return LinkState.REVOKED
        return LinkState.EXPIRED if now >= self.expires_at else LinkState.ACTIVE

    @property
    def actor(self) -> str:
        """The audit actor of what is done through the link."""
        return actor_of(self.party)


def actor_of(party: str) -> str:
    """A party acting through its link, as the audit log names it: `party:submitter-1`."""
    return f"party:{party}"


def valid_days(days: int) -> int:
    """`days`, checked against the bounds a link may be valid for."""
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise InvalidInputError(
            N_("{what} must be a whole number from {low} to {high}, not '{value}'"),
            what=DAYS,
            low=MIN_DAYS,
            high=MAX_DAYS,
            value=days,
        )
    return days


def duration_days(duration: Duration) -> int:
    """A configured validity (`"60d"`, `"8w"`) in whole days, checked like `--days`."""
    if duration.months or duration.working_days:
        raise ValueError(f"'{duration}': give a validity in days or weeks (e.g. \"60d\")")
    days = duration.days
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise ValueError(f"'{duration}': a link may be valid from {MIN_DAYS} to {MAX_DAYS} days")
    return days


def refusal(link: PartyLink, *, now: datetime, terminal: bool, party_keys: frozenset[str]) -> Refusal | None:
    """Why `link` does not open now (None: it opens). `terminal`: the case has ended;
    `party_keys`: the case's parties' keys now."""
    if link.revoked_at is not None:
        return Refusal.REVOKED
    if now >= link.expires_at:
        return Refusal.EXPIRED
    if terminal:
        return Refusal.CLOSED
    if link.party not in party_keys:
        return Refusal.GONE
    return None
