"""Calendar subscription URLs on SQL: the sha256 of each URL's token (never the token), its
language and scope; a user has at most one unrevoked URL."""

from __future__ import annotations

from datetime import datetime

from states.users import CalendarFeed, User
from storage.db import Db, columns, read_instant
from storage.rows import CalendarFeedRow, UserRow
from storage.users import _user as user_of  # the one row → User mapping

_COLUMNS = columns(CalendarFeedRow)
_F_COLUMNS = columns(CalendarFeedRow, "f.")
_U_COLUMNS = columns(UserRow, "u.")
_WIDTH = len(UserRow._fields)


def _feed(row: CalendarFeedRow) -> CalendarFeed:
    created = read_instant(row.created_at)
    assert created is not None
    return CalendarFeed(
        id=str(row.id),
        user=str(row.user_name),
        language=str(row.language),
        scope=str(row.scope),
        created_at=created,
        revoked_at=read_instant(row.revoked_at),
    )


class SqlFeedStore:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, name: str, token_hash: str, *, language: str, scope: str, at: datetime) -> CalendarFeed:
        feed_id = token_hash[:12]
        self._db.execute(
            "INSERT INTO calendar_feeds (id, user_name, token_hash, language, scope, created_at) "
            "VALUES (:id, :name, :h, :language, :scope, :at)",
            {
                "id": feed_id,
                "name": name,
                "h": token_hash,
                "language": language,
                "scope": scope,
                "at": self._db.instant(at),
            },
        )
        return CalendarFeed(id=feed_id, user=name, language=language, scope=scope, created_at=at)

    def active(self, name: str) -> CalendarFeed | None:
        """The user's unrevoked URL, if any."""
        row = self._db.record(
            CalendarFeedRow,
            f"SELECT {_COLUMNS} FROM calendar_feeds WHERE user_name = :name AND revoked_at IS NULL "
            "ORDER BY created_at DESC, id",
            {"name": name},
        )
        return _feed(row) if row else None

    def by_token_hash(self, token_hash: str) -> tuple[User, CalendarFeed] | None:
        """The enabled user holding this unrevoked URL, and the URL."""
        row = self._db.one(
            f"SELECT {_U_COLUMNS}, {_F_COLUMNS} FROM calendar_feeds f JOIN users u ON u.name = f.user_name "
            "WHERE f.token_hash = :h AND f.revoked_at IS NULL AND NOT u.disabled",
            {"h": token_hash},
        )
        if row is None:
            return None
        return user_of(UserRow._make(row[:_WIDTH])), _feed(CalendarFeedRow._make(row[_WIDTH:]))

    def revoke(self, name: str, *, at: datetime) -> list[str]:
        """Revoke the user's unrevoked URLs; their listed ids."""
        ids = [
            str(found)
            for (found,) in self._db.all(
                "SELECT id FROM calendar_feeds WHERE user_name = :name AND revoked_at IS NULL ORDER BY id",
                {"name": name},
            )
        ]
        if ids:
            self._db.execute(
                "UPDATE calendar_feeds SET revoked_at = :at WHERE user_name = :name AND revoked_at IS NULL",
                {"name": name, "at": self._db.instant(at)},
            )
        return ids
