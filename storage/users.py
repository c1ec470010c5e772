"""Users on SQL: name, role, member link, token and password hashes (never the secrets)."""

from __future__ import annotations

from datetime import datetime

from states.errors import InvalidInputError
from states.users import User
from storage.db import Db

_COLUMNS = "name, role, member_id, token_hash, password_hash"


def _user(row: tuple[object, ...]) -> User:
    name, role, member_id, token_hash, password_hash = row
    return User(name=str(name), role=str(role), member_id=_text(member_id),
                token_hash=_text(token_hash), password_hash=_text(password_hash))


def _text(value: object) -> str | None:
    return None if value is None else str(value)


class SqlUserStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, user: User, *, at: datetime) -> None:
        if self.get(user.name) is not None:
            raise InvalidInputError(f"a user named '{user.name}' already exists")
        self._db.execute(
            f"INSERT INTO users ({_COLUMNS}, created_at) VALUES (:name, :role, :member_id, "
            ":token_hash, :password_hash, :at)",
            {"name": user.name, "role": user.role, "member_id": user.member_id,
             "token_hash": user.token_hash, "password_hash": user.password_hash,
             "at": self._db.instant(at)})

    def get(self, name: str) -> User | None:
        row = self._db.one(f"SELECT {_COLUMNS} FROM users WHERE name = :name", {"name": name})
        return _user(row) if row else None

    def by_token_hash(self, token_hash: str) -> User | None:
        row = self._db.one(f"SELECT {_COLUMNS} FROM users WHERE token_hash = :h", {"h": token_hash})
        return _user(row) if row else None

    def set_password(self, name: str, password_hash: str) -> None:
        self._db.execute("UPDATE users SET password_hash = :p WHERE name = :name",
                         {"p": password_hash, "name": name})

    def all(self) -> list[User]:
        return [_user(r) for r in self._db.all(f"SELECT {_COLUMNS} FROM users ORDER BY name")]
