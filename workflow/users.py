"""Users of the web app and API: add one (with a new API token), set a password, sign in.

Tokens are 256-bit random strings shown once; only their sha256 is stored, so a lookup is one
indexed query. Passwords are hashed with argon2id. Adding a user or changing a password is an
audit entry (case_ref NULL).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import structlog
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from states import records
from states.case import require_actor
from states.errors import InvalidInputError
from states.users import Role, User
from workflow import inputs
from workflow.ports import Clock, UnitOfWork

log = structlog.get_logger("ncpflow.users")
_hasher = PasswordHasher()
# Verified against when the user is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewUser:
    user: User
    token: str


def add_user(*, uow: UnitOfWork, clock: Clock, name: str, role: str, actor: str,
             member_id: str | None = None, password: str | None = None) -> NewUser:
    """Create a user with a fresh API token (returned once, stored hashed)."""
    require_actor(actor)
    name = name.strip()
    if not name or len(name) > 100 or any(c.isspace() or not c.isprintable() for c in name):
        raise InvalidInputError("a user name is 1-100 printable characters without spaces")
    chosen = inputs.choice(Role, role, "role")
    if chosen is Role.MEMBER and not member_id:
        raise InvalidInputError("a user with role member needs --member ID (the member it is)")
    if chosen is not Role.MEMBER and member_id:
        raise InvalidInputError("--member goes with role member only")
    token = "ncp_" + secrets.token_urlsafe(32)
    now = clock.now()
    with uow.write() as tx:
        if member_id is not None and member_id not in {m.id for m in tx.members.all()}:
            raise InvalidInputError(f"no member with id '{member_id}'; see `ncpflow members list`")
        user = User(name=name, role=chosen.value, member_id=member_id,
                    token_hash=token_hash(token),
                    password_hash=_hash_password(password) if password is not None else None)
        tx.users.add(user, at=now)
        tx.audit.append(case_ref=None, actor=actor, at=now, from_state=None, to_state=None,
                        reason=f"user {name} added",
                        record=records.UserAdded(name, chosen.value, member_id))
    log.info("user_added", user=name, role=chosen.value, actor=actor)
    return NewUser(user, token)


def _hash_password(password: str) -> str:
    if len(password) < 8:
        raise InvalidInputError("a password needs at least 8 characters")
    return _hasher.hash(password)


def set_password(*, uow: UnitOfWork, clock: Clock, name: str, password: str, actor: str) -> None:
    require_actor(actor)
    hashed = _hash_password(password)
    now = clock.now()
    with uow.write() as tx:
        if tx.users.get(name) is None:
            raise InvalidInputError(f"no user named '{name}'")
        tx.users.set_password(name, hashed)
        tx.audit.append(case_ref=None, actor=actor, at=now, from_state=None, to_state=None,
                        reason=f"password of {name} set", record=records.PasswordSet(name))


def list_users(*, uow: UnitOfWork) -> list[User]:
    with uow.read() as tx:
        return tx.users.all()


def by_token(*, uow: UnitOfWork, token: str) -> User | None:
    with uow.read() as tx:
        return tx.users.by_token_hash(token_hash(token))


def by_name(*, uow: UnitOfWork, name: str) -> User | None:
    with uow.read() as tx:
        return tx.users.get(name)


def check_password(*, uow: UnitOfWork, name: str, password: str) -> User | None:
    """The user if the password is theirs, else None (same cost for unknown names)."""
    user = by_name(uow=uow, name=name)
    encoded = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(encoded, password)
    except (VerificationError, InvalidHashError):
        return None
    return user if user is not None and user.password_hash else None
