"""Personal calendar subscription URLs: `/calendar/feed/TOKEN.ics`, read by Outlook or Google
Calendar with no sign-in and no header, so the token in the URL is the credential.

A user holds at most one URL: making one revokes the one before, and the user may revoke it.
Tokens are 256-bit random strings shown once, when made; only their sha256 is stored (like API
tokens, workflow/users.py), listed by the hash's first 12 hex digits. Making and revoking are
audit entries (`calendar_feed_made`, `calendar_feed_revoked`) with the listed id, never the
token, and so are the log lines. The feed is read as its user, now: the user's current role
decides what it shows (auditors: pseudonyms), and an unknown, revoked or malformed token, or a
disabled user, finds nothing (the web answers 404 and says no more).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from states import audit_wording, records
from states.alerts import AlertPolicy
from states.errors import Input, InvalidInputError
from states.messages import N_
from states.permissions import Action, allows
from states.redaction import NOTHING
from states.users import CalendarFeed, FeedScope, User
from translations import LANGUAGES
from workflow import ics, inputs
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork
from workflow.users import authorise, token_hash

log = get_logger("ncpflow.feeds")

# What a token looks like (`secrets.token_urlsafe(32)`: 43 characters); anything else is
# answered without a database read.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")
LANGUAGE = Input(N_("language"), "language")
SCOPE = Input(N_("which cases"), "scope")


@dataclass(frozen=True)
class NewFeed:
    """A URL just made: its token (shown this once) and how it is listed."""

    token: str
    listed: CalendarFeed
    replaced: str | None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def make_feed(
    *, uow: UnitOfWork, clock: Clock, name: str, actor: str, language: str, scope: str = FeedScope.ALL
) -> NewFeed:
    """A new subscription URL for user `name` in `language`; the one before it, if any, is
    revoked in the same transaction. `scope` "mine": only the cases the user's member leads."""
    chosen_language = _language(language)
    chosen_scope = FeedScope(inputs.one_of([s.value for s in FeedScope], scope, N_("choice"), "scope"))
    token = new_token()
    now = clock.now()
    with uow.write() as tx:
        authorise(tx, actor, Action.SUBSCRIBE_CALENDAR if actor == name else Action.MANAGE_USERS)
        user = _existing(tx.users.get(name), name)
        if not allows(user.role, Action.SUBSCRIBE_CALENDAR):
            raise InvalidInputError(N_("user '{name}' may not subscribe to the deadline calendar"), name=name)
        if chosen_scope is FeedScope.MINE and user.member_id is None:
            raise InvalidInputError(
                N_("{what}: only the cases one leads needs a user who is a member; '{name}' is not"),
                what=SCOPE,
                name=name,
            )
        replaced = tx.feeds.revoke(name, at=now)
        listed = tx.feeds.add(
            name, token_hash(token), language=chosen_language, scope=chosen_scope.value, at=now
        )
        previous = replaced[-1] if replaced else None
        _audit(
            tx,
            actor,
            now,
            (audit_wording.FEED_REPLACED if previous else audit_wording.FEED_MADE).format(
                feed=listed.id, user=name, previous=previous
            ),
            records.CalendarFeedMade(name, listed.id, chosen_language, chosen_scope.value, previous),
        )
    log.info("calendar_feed_made", user=name, feed=listed.id, replaced=previous, actor=actor)
    return NewFeed(token, listed, previous)


def revoke_feed(*, uow: UnitOfWork, clock: Clock, name: str, actor: str) -> str:
    """Revoke user `name`'s subscription URL; its listed id. Refused when there is none."""
    now = clock.now()
    with uow.write() as tx:
        authorise(tx, actor, Action.SUBSCRIBE_CALENDAR if actor == name else Action.MANAGE_USERS)
        _existing(tx.users.get(name), name)
        revoked = tx.feeds.revoke(name, at=now)
        if not revoked:
            raise InvalidInputError(N_("user '{name}' has no calendar URL to revoke"), name=name)
        for feed_id in revoked:
            _audit(
                tx,
                actor,
                now,
                audit_wording.FEED_REVOKED.format(feed=feed_id, user=name),
                records.CalendarFeedRevoked(name, feed_id),
            )
    log.info("calendar_feed_revoked", user=name, feed=revoked[-1], actor=actor)
    return revoked[-1]


def active_feed(*, uow: UnitOfWork, name: str) -> CalendarFeed | None:
    """User `name`'s URL as listed (never its token), if it has one."""
    with uow.read() as tx:
        return tx.feeds.active(name)


def feed_calendar(
    *,
    uow: UnitOfWork,
    clock: Clock,
    token: str,
    ncp_name: Callable[[str], str],
    alerts: AlertPolicy,
    case_url: Callable[[str], str] | None = None,
) -> bytes | None:
    """The iCalendar file the URL with `token` gives, as its user may see it now; None when the
    token is malformed, unknown or revoked, or its user is disabled or may not read cases.
    `ncp_name(language)`: the NCP's name in the feed's language."""
    if not _TOKEN.fullmatch(token):
        return None
    with uow.read() as tx:  # the user, its URL and the cases from one snapshot
        found = tx.feeds.by_token_hash(token_hash(token))
        if found is None:
            return None
        user, feed = found
        if not allows(user.role, Action.SUBSCRIBE_CALENDAR):
            return None
        name = ncp_name(feed.language)
        if feed.scope == FeedScope.MINE and user.member_id is None:
            # A "mine" feed of a user that is no longer a member holds no case, never all.
            return ics.calendar_of(
                [], now=clock.now(), ncp_name=name, language=feed.language, redaction=NOTHING
            )
        return ics.deadlines_calendar(
            uow=uow,
            now=clock.now(),
            member=user.member_id if feed.scope == FeedScope.MINE else None,
            ncp_name=name,
            viewer=user,
            language=feed.language,
            alerts=alerts,
            case_url=case_url,
        )


def _audit(tx: Transaction, actor: str, at: datetime, reason: str, record: records.AuditRecord) -> None:
    """The URL's audit entry: about a user, no case."""
    tx.audit.append(
        case_ref=None, actor=actor, at=at, from_state=None, to_state=None, reason=reason, record=record
    )


def _language(value: str) -> str:
    if value not in LANGUAGES:
        raise InvalidInputError(
            N_("{what}: '{value}' is not a language; one of: {choices}"),
            what=LANGUAGE,
            value=value[:40],
            choices=", ".join(LANGUAGES),
        )
    return value


def _existing(user: User | None, name: str) -> User:
    if user is None:
        raise InvalidInputError(N_("no user named '{name}'"), name=name)
    return user
