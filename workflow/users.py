"""Users of the web app and API: add, password, disable/enable, API tokens, TOTP enrolment.

Tokens are 256-bit random strings shown once; only their sha256 is stored, so a lookup is one
indexed query; a user may hold several, each listed by an id (the hash's first 12 hex digits)
and revoked on its own. Passwords are hashed with argon2id. Every change is an audit entry
(case_ref NULL) and takes effect at once in every process: a disabled user's tokens and
sessions are refused on their next request (a cached token is checked against the user's
stamp, one primary-key read).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from states import audit_wording, permissions, records
from states.case import require_actor
from states.errors import Input, InvalidInputError
from states.messages import N_
from states.permissions import Action
from states.users import ApiToken, Role, User
from workflow import inputs
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork

if TYPE_CHECKING:
    from argon2 import PasswordHasher

    from workflow import read_models

# argon2 (64 MiB a hash) and pyotp are imported by the functions that use them: a command that
# never checks a password, `--help` included, neither loads them nor computes a hash.

log = get_logger("ncpflow.users")


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the user is unknown, so a wrong name costs as long as a wrong
    password. Computed by `prepare_password_checks` or the first check, not at import."""
    return _hasher().hash("not a password")


def prepare_password_checks() -> None:
    """Compute the hash an unknown name is checked against now, so that even the first
    sign-in costs the same for a wrong name as for a wrong password."""
    _dummy_hash()


MAX_PASSWORD = 1000


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return "ncp_" + secrets.token_urlsafe(32)


def new_password() -> str:
    """A generated password for a new user or a reset (shown once): 96 random bits."""
    return secrets.token_urlsafe(12)


@dataclass(frozen=True)
class NewUser:
    user: User
    token: str


@dataclass(frozen=True)
class NewToken:
    token: str
    listed: ApiToken


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str


def add_user(
    *,
    uow: UnitOfWork,
    clock: Clock,
    name: str,
    role: str,
    actor: str,
    member_id: str | None = None,
    password: str | None = None,
    with_token: bool = True,
    mediator_id: str | None = None,
) -> NewUser:
    """Create a user with a fresh API token (returned once, stored hashed); without one
    (`with_token=False`, the pages: `token` is "") the user signs in with the password."""
    require_actor(actor)
    name = name.strip()
    if not name or len(name) > 100 or any(c.isspace() or not c.isprintable() for c in name):
        raise InvalidInputError(N_("a user name is 1-100 printable characters without spaces"))
    chosen = inputs.choice(Role, role, "role")
    if chosen is Role.MEMBER and not member_id:
        raise InvalidInputError(N_("a user with role member needs --member ID (the member it is)"))
    if chosen is not Role.MEMBER and member_id:
        raise InvalidInputError(N_("--member goes with role member only"))
    if chosen is Role.MEDIATOR and not mediator_id:
        raise InvalidInputError(N_("a user with role mediator needs --mediator ID (the mediator it is)"))
    if chosen is not Role.MEDIATOR and mediator_id:
        raise InvalidInputError(N_("--mediator goes with role mediator only"))
    token = new_token()
    hashed = _hash_password(password) if password is not None else None
    now = clock.now()
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_USERS)
        if member_id is not None and member_id not in {m.id for m in tx.members.all()}:
            raise InvalidInputError(
                N_("{what}: no member with id '{member}'; see `ncpflow members list`"),
                what=Input("", "member"),
                member=member_id,
            )
        if mediator_id is not None and tx.mediators.get(mediator_id) is None:
            raise InvalidInputError(
                N_("{what}: no mediator with id '{mediator}'; see `ncpflow mediator list`"),
                what=Input("", "mediator"),
                mediator=mediator_id,
            )
        if tx.users.get(name) is not None:
            raise InvalidInputError(
                N_("{what}: a user named '{name}' already exists"), what=Input("", "name"), name=name
            )
        user = User(
            name=name, role=chosen.value, member_id=member_id, password_hash=hashed, mediator_id=mediator_id
        )
        tx.users.add(user, at=now)
        listed = tx.users.add_token(name, token_hash(token), at=now) if with_token else None
        tx.audit.append(
            case_ref=None,
            actor=actor,
            at=now,
            from_state=None,
            to_state=None,
            reason=audit_wording.USER_ADDED.format(user=name),
            record=records.UserAdded(
                name, chosen.value, member_id, listed.id if listed else None, mediator=mediator_id
            ),
        )
    log.info("user_added", user=name, role=chosen.value, actor=actor)
    return NewUser(user, token if with_token else "")


PASSWORD = Input("", "password")


def _hash_password(password: str) -> str:
    if len(password) < 8:
        raise InvalidInputError(N_("{what}: a password needs at least 8 characters"), what=PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise InvalidInputError(
            N_("{what}: a password has at most {limit} characters"), what=PASSWORD, limit=MAX_PASSWORD
        )
    return _hasher().hash(password)


def authorise(tx: Transaction, actor: str, action: Action) -> None:
    """Refuse (PermissionDeniedError: exit 1, or 403) when `actor` is a user whose role the
    permission table does not let do `action`. An actor who is no user (an operator at the
    command line: `cli`, `root`) has no role to ask about; access to the database decides."""
    user = tx.users.get(actor)
    if user is not None:
        permissions.require(user.role, action)


def _on_credentials(name: str, actor: str) -> Action:
    """Setting a password or second factor: one's own, or as a manager of users."""
    return Action.SET_OWN_CREDENTIALS if actor == name else Action.MANAGE_USERS


def _existing(tx: Transaction, name: str) -> User:
    user = tx.users.get(name)
    if user is None:
        raise InvalidInputError(N_("no user named '{name}'; see `ncpflow users list`"), name=name)
    return user


def set_password(*, uow: UnitOfWork, clock: Clock, name: str, password: str, actor: str) -> int:
    """Set the password; every session of the user ends. Returns the number ended."""
    require_actor(actor)
    hashed = _hash_password(password)
    now = clock.now()
    with uow.write() as tx:
        authorise(tx, actor, _on_credentials(name, actor))
        _existing(tx, name)
        tx.users.set_password(name, hashed)
        ended = tx.users.revoke_sessions(name, at=now)
        tx.audit.append(
            case_ref=None,
            actor=actor,
            at=now,
            from_state=None,
            to_state=None,
            reason=audit_wording.PASSWORD_SET.format(user=name),
            record=records.PasswordSet(name, ended),
        )
    return ended


def check_may_disable(users: list[User], *, name: str, actor: str) -> None:
    """The rule for disabling a user, whoever asks (the command line, the pages): nobody
    disables themselves, and the last enabled admin stays, so that someone can still manage
    users from the pages."""
    if name == actor:
        raise InvalidInputError(
            N_("{what}: you cannot disable yourself; ask another administrator"), what=Input("", "name")
        )
    admins = [u.name for u in users if u.role == Role.ADMIN and not u.disabled]
    if admins == [name]:
        raise InvalidInputError(
            N_("{what}: {user} is the last enabled administrator; enable or add another administrator first"),
            what=Input("", "name"),
            user=name,
        )


def set_disabled(*, uow: UnitOfWork, clock: Clock, name: str, disabled: bool, actor: str) -> None:
    """Disable (every session ends; tokens and sign-in refused) or enable a user again.

    Refused (`check_may_disable`): disabling oneself, or the last enabled admin."""
    now = clock.now()
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_USERS)
        user = _existing(tx, name)
        if user.disabled == disabled:
            already = N_("user '{name}' is already enabled")
            if disabled:
                already = N_("user '{name}' is already disabled")
            raise InvalidInputError(already, name=name)
        if disabled:
            check_may_disable(tx.users.all(), name=name, actor=actor)
        tx.users.set_disabled(name, disabled)
        ended = tx.users.revoke_sessions(name, at=now) if disabled else 0
        record = (records.UserDisabled if disabled else records.UserEnabled)(name, ended)
        tx.audit.append(
            case_ref=None,
            actor=actor,
            at=now,
            from_state=None,
            to_state=None,
            reason=(audit_wording.USER_DISABLED if disabled else audit_wording.USER_ENABLED).format(
                user=name
            ),
            record=record,
        )
    log.info(record.kind, user=name, actor=actor)


def issue_token(*, uow: UnitOfWork, clock: Clock, name: str, actor: str) -> NewToken:
    """A new API token for the user (shown once); the others stay valid."""
    token = new_token()
    now = clock.now()
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_USERS)
        _existing(tx, name)
        listed = tx.users.add_token(name, token_hash(token), at=now)
        tx.audit.append(
            case_ref=None,
            actor=actor,
            at=now,
            from_state=None,
            to_state=None,
            reason=audit_wording.TOKEN_ISSUED.format(token=listed.id, user=name),
            record=records.TokenIssued(name, listed.id),
        )
    return NewToken(token, listed)


def list_tokens(*, uow: UnitOfWork, name: str) -> list[ApiToken]:
    with uow.read() as tx:
        _existing(tx, name)
        return tx.users.tokens(name)


def revoke_token(*, uow: UnitOfWork, clock: Clock, name: str, token_id: str | None, actor: str) -> int:
    """Revoke one token (by its listed id) or, with None, every token of the user."""
    now = clock.now()
    with uow.write() as tx:
        authorise(tx, actor, Action.MANAGE_USERS)
        _existing(tx, name)
        if token_id is not None and token_id not in {t.id for t in tx.users.tokens(name)}:
            raise InvalidInputError(
                N_("user '{name}' has no token '{token}'; see `ncpflow users tokens {name}`"),
                name=name,
                token=token_id,
            )
        count = tx.users.revoke_tokens(name, at=now, token_id=token_id)
        if count == 0:
            raise InvalidInputError(
                N_("token '{token}' of {name} is revoked already")
                if token_id
                else N_("user '{name}' has no active token"),
                name=name,
                token=token_id,
            )
        tx.audit.append(
            case_ref=None,
            actor=actor,
            at=now,
            from_state=None,
            to_state=None,
            reason=audit_wording.TOKEN_REVOKED.format(token=token_id or audit_wording.ALL_TOKENS, user=name),
            record=records.TokenRevoked(name, token_id, count),
        )
    log.info("token_revoked", user=name, token=token_id, count=count, actor=actor)
    return count


def enrol_totp(*, uow: UnitOfWork, clock: Clock, name: str, actor: str, issuer: str) -> Enrolment:
    """A new TOTP secret for the user (replacing any old one): shown once, to scan."""
    import pyotp

    secret = pyotp.random_base32()
    now = clock.now()
    with uow.write() as tx:
        authorise(tx, actor, _on_credentials(name, actor))
        _existing(tx, name)
        tx.users.set_totp(name, secret)
        # A second factor is often added because a password may have leaked: end the sessions
        # signed in without it.
        tx.users.revoke_sessions(name, at=now)
        tx.audit.append(
            case_ref=None,
            actor=actor,
            at=now,
            from_state=None,
            to_state=None,
            reason=audit_wording.TOTP_ENROLLED.format(user=name),
            record=records.TotpEnrolled(name),
        )
    uri = pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=issuer)
    return Enrolment(secret, uri)


def remove_totp(*, uow: UnitOfWork, clock: Clock, name: str, actor: str) -> None:
    now = clock.now()
    with uow.write() as tx:
        authorise(tx, actor, _on_credentials(name, actor))
        if not _existing(tx, name).has_totp:
            raise InvalidInputError(N_("user '{name}' has no second factor enrolled"), name=name)
        tx.users.set_totp(name, None)
        tx.users.revoke_sessions(name, at=now)
        tx.audit.append(
            case_ref=None,
            actor=actor,
            at=now,
            from_state=None,
            to_state=None,
            reason=audit_wording.TOTP_REMOVED.format(user=name),
            record=records.TotpRemoved(name),
        )


def list_users(*, uow: UnitOfWork) -> list[User]:
    with uow.read() as tx:
        return tx.users.all()


def summaries(*, uow: UnitOfWork) -> list[read_models.UserListed]:
    """The users page: each user with its active tokens counted and its latest sign-in."""
    from workflow import read_models

    with uow.read() as tx:
        found = tx.users.summaries()
    return [
        read_models.UserListed(
            name=s.user.name,
            role=s.user.role,
            member=s.user.member_id,
            mediator=s.user.mediator_id,
            disabled=s.user.disabled,
            password=s.user.password_hash is not None,
            totp=s.user.has_totp,
            active_tokens=s.active_tokens,
            last_signed_in=s.last_signed_in.isoformat() if s.last_signed_in else None,
        )
        for s in found
    ]


def by_token(*, uow: UnitOfWork, token: str) -> User | None:
    with uow.read() as tx:
        return tx.users.by_token_hash(token_hash(token))


def still_valid(*, uow: UnitOfWork, user: User) -> bool:
    """Whether a user found earlier (a cached token) is unchanged: enabled, same stamp."""
    return uow.user_stamp(user.name) == user.stamp


def by_name(*, uow: UnitOfWork, name: str) -> User | None:
    with uow.read() as tx:
        return tx.users.get(name)


def check_password(*, uow: UnitOfWork, name: str, password: str) -> User | None:
    """The user if the password is theirs and they are enabled, else None (same cost for
    unknown names). Callers bound how many run at once (workflow.signin)."""
    user = by_name(uow=uow, name=name)
    from argon2.exceptions import InvalidHashError, VerificationError

    encoded = user.password_hash if user is not None and user.password_hash else _dummy_hash()
    try:
        _hasher().verify(encoded, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.password_hash or user.disabled:
        return None
    return user
