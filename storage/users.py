"""Users on SQL: name, role, member link, password hash, disabled flag, TOTP secret; their API
tokens (sha256 only) and their sessions (sha256 of the cookie's id only)."""

from __future__ import annotations

from datetime import datetime

from states.errors import InvalidInputError
from states.users import ApiToken, Session, User, UserSummary
from storage.db import Db, columns, read_instant
from storage.rows import ApiTokenRow, SessionRow, UserRow

_COLUMNS = columns(UserRow)
_U_COLUMNS = columns(UserRow, "u.")
_S_COLUMNS = columns(SessionRow, "s.")
_WIDTH = len(UserRow._fields)


def _user(row: UserRow) -> User:
    return User(
        name=str(row.name),
        role=str(row.role),
        member_id=_text(row.member_id),
        password_hash=_text(row.password_hash),
        disabled=bool(row.disabled),
        stamp=int(str(row.stamp)),
        totp_secret=_text(row.totp_secret),
        mediator_id=_text(row.mediator_id),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _instant(value: object) -> datetime:
    found = read_instant(value)
    assert found is not None
    return found


class SqlUserStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    # -- users -----------------------------------------------------------------------------

    def add(self, user: User, *, at: datetime) -> None:
        if self.get(user.name) is not None:
            raise InvalidInputError(f"a user named '{user.name}' already exists")
        self._db.execute(
            "INSERT INTO users (name, role, member_id, mediator_id, password_hash, disabled, stamp, "
            "created_at) VALUES (:name, :role, :member_id, :mediator_id, :password_hash, :disabled, 0, :at)",
            {
                "name": user.name,
                "role": user.role,
                "member_id": user.member_id,
                "mediator_id": user.mediator_id,
                "password_hash": user.password_hash,
                "disabled": False,
                "at": self._db.instant(at),
            },
        )

    def get(self, name: str) -> User | None:
        row = self._db.record(UserRow, f"SELECT {_COLUMNS} FROM users WHERE name = :name", {"name": name})
        return _user(row) if row else None

    def all(self) -> list[User]:
        return [_user(r) for r in self._db.records(UserRow, f"SELECT {_COLUMNS} FROM users ORDER BY name")]

    def summaries(self) -> list[UserSummary]:
        """Every user with its active API tokens counted and its latest sign-in (the newest
        session begun; unknown once its sessions were purged), in one query."""
        rows = self._db.all(
            f"SELECT {_U_COLUMNS}, (SELECT COUNT(*) FROM api_tokens t WHERE t.user_name = u.name "
            "AND t.revoked_at IS NULL), (SELECT MAX(s.created_at) FROM sessions s "
            "WHERE s.user_name = u.name) FROM users u ORDER BY u.name"
        )
        return [
            UserSummary(_user(UserRow._make(row[:_WIDTH])), int(row[_WIDTH]), read_instant(row[_WIDTH + 1]))
            for row in rows
        ]

    def set_password(self, name: str, password_hash: str) -> None:
        self._db.execute(
            "UPDATE users SET password_hash = :p, stamp = stamp + 1 WHERE name = :name",
            {"p": password_hash, "name": name},
        )

    def set_disabled(self, name: str, disabled: bool) -> None:
        self._db.execute(
            "UPDATE users SET disabled = :d, stamp = stamp + 1 WHERE name = :name",
            {"d": disabled, "name": name},
        )

    def set_totp(self, name: str, secret: str | None) -> None:
        self._db.execute(
            "UPDATE users SET totp_secret = :s, totp_last_step = NULL, stamp = stamp + 1 WHERE name = :name",
            {"s": secret, "name": name},
        )

    def use_totp_step(self, name: str, step: int) -> bool:
        """Record `step` as used; False when it (or a later one) was used already."""
        done = self._db.execute(
            "UPDATE users SET totp_last_step = :step WHERE name = :name "
            "AND (totp_last_step IS NULL OR totp_last_step < :step)",
            {"step": step, "name": name},
        )
        return bool(done.rowcount)

    def stamp(self, name: str) -> int | None:
        """The user's stamp, or None when the user is gone or disabled: one primary-key read."""
        stamp = self._db.scalar("SELECT stamp FROM users WHERE name = :name AND NOT disabled", {"name": name})
        return None if stamp is None else int(stamp)

    # -- API tokens ------------------------------------------------------------------------

    def add_token(self, name: str, token_hash: str, *, at: datetime) -> ApiToken:
        token_id = token_hash[:12]
        self._db.execute(
            "INSERT INTO api_tokens (id, user_name, token_hash, created_at) VALUES (:id, :name, :h, :at)",
            {"id": token_id, "name": name, "h": token_hash, "at": self._db.instant(at)},
        )
        return ApiToken(id=token_id, user=name, created_at=at)

    def by_token_hash(self, token_hash: str) -> User | None:
        """The enabled user holding this unrevoked token."""
        row = self._db.record(
            UserRow,
            f"SELECT {_U_COLUMNS} FROM api_tokens t JOIN users u ON u.name = t.user_name "
            "WHERE t.token_hash = :h AND t.revoked_at IS NULL AND NOT u.disabled",
            {"h": token_hash},
        )
        return _user(row) if row else None

    def tokens(self, name: str) -> list[ApiToken]:
        rows = self._db.records(
            ApiTokenRow,
            f"SELECT {columns(ApiTokenRow)} FROM api_tokens WHERE user_name = :name ORDER BY created_at, id",
            {"name": name},
        )
        return [
            ApiToken(
                id=str(r.id),
                user=str(r.user_name),
                created_at=_instant(r.created_at),
                revoked_at=read_instant(r.revoked_at),
            )
            for r in rows
        ]

    def revoke_tokens(self, name: str, *, at: datetime, token_id: str | None = None) -> int:
        """Revoke one token (by id) or all of the user's; the number revoked."""
        params = {"name": name, "at": self._db.instant(at), "id": token_id}
        done = self._db.execute(
            "UPDATE api_tokens SET revoked_at = :at WHERE user_name = :name "
            "AND revoked_at IS NULL" + (" AND id = :id" if token_id is not None else ""),
            params,
        )
        count = int(done.rowcount)
        if count:
            self._db.execute("UPDATE users SET stamp = stamp + 1 WHERE name = :name", {"name": name})
        return count

    # -- sessions --------------------------------------------------------------------------

    def add_session(
        self, *, id_hash: str, name: str, at: datetime, expires_at: datetime, address: str | None
    ) -> None:
        instant = self._db.instant(at)
        self._db.execute(
            "INSERT INTO sessions (id_hash, user_name, created_at, last_seen_at, expires_at, "
            "address) VALUES (:h, :name, :at, :at, :expires, :address)",
            {
                "h": id_hash,
                "name": name,
                "at": instant,
                "expires": self._db.instant(expires_at),
                "address": address,
            },
        )

    def session(self, id_hash: str, *, now: datetime) -> Session | None:
        """The live session: not revoked, not expired, its user enabled."""
        row = self._db.one(
            f"SELECT {_U_COLUMNS}, {_S_COLUMNS} FROM sessions s JOIN users u ON u.name = s.user_name "
            "WHERE s.id_hash = :h AND s.revoked_at IS NULL AND s.expires_at > :now "
            "AND NOT u.disabled",
            {"h": id_hash, "now": self._db.instant(now)},
        )
        if row is None:
            return None
        # The user's columns, then the session's: each part read by name.
        user, session = UserRow._make(row[:_WIDTH]), SessionRow._make(row[_WIDTH:])
        return Session(
            id_hash=id_hash,
            user=_user(user),
            created_at=_instant(session.created_at),
            last_seen_at=_instant(session.last_seen_at),
            expires_at=_instant(session.expires_at),
        )

    def purge_sessions(self, *, ended_before: datetime) -> int:
        """Forget sessions that expired or were revoked before `ended_before`."""
        cutoff = self._db.instant(ended_before)
        done = self._db.execute(
            "DELETE FROM sessions WHERE expires_at < :cutoff OR revoked_at < :cutoff", {"cutoff": cutoff}
        )
        return int(done.rowcount)

    def touch_session(self, id_hash: str, *, at: datetime) -> None:
        self._db.execute(
            "UPDATE sessions SET last_seen_at = :at WHERE id_hash = :h",
            {"at": self._db.instant(at), "h": id_hash},
        )

    def revoke_session(self, id_hash: str, *, at: datetime) -> bool:
        done = self._db.execute(
            "UPDATE sessions SET revoked_at = :at WHERE id_hash = :h AND revoked_at IS NULL",
            {"at": self._db.instant(at), "h": id_hash},
        )
        return bool(done.rowcount)

    def revoke_sessions(self, name: str, *, at: datetime) -> int:
        """Revoke every live session of the user."""
        done = self._db.execute(
            "UPDATE sessions SET revoked_at = :at WHERE user_name = :name AND revoked_at IS NULL",
            {"at": self._db.instant(at), "name": name},
        )
        return int(done.rowcount)
