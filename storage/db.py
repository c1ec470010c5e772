"""Plain SQL on the driver connection that SQLAlchemy's pool hands out.

SQLAlchemy owns the engine, the pool, transactions and migrations; the statements of the hot
paths go straight to the DB-API cursor. Measured on a transition (benchmarks/transitions.py):
a cached Core SELECT costs ~54 µs, mostly result processing, against ~5 µs on the driver, and
a transition runs about eight statements. SQL is written once with `:name` parameters (SQLite's
style) and rewritten to `%(name)s` for psycopg; values cross through the small codecs below.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

R = TypeVar("R", bound=NamedTuple)

_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@lru_cache(maxsize=512)
def _pyformat(sql: str) -> str:
    return _NAMED.sub(r"%(\1)s", sql)


@dataclass(frozen=True)
class Db:
    """One driver connection inside an open transaction, with the dialect's value codecs."""

    raw: Any
    sqlite: bool

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        if self.sqlite:
            return self.raw.execute(sql, params or {})
        return self.raw.execute(_pyformat(sql), params or {})

    def many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        if self.sqlite:
            self.raw.executemany(sql, rows)
        else:
            self.raw.cursor().executemany(_pyformat(sql), rows)

    def key(self, columns: str) -> str:
        """An ON CONFLICT target on a natural key (a reference, a member's id): on PostgreSQL
        such keys hold per NCP and name the tenant first (storage/tenancy.py)."""
        return columns if self.sqlite else f"tenant, {columns}"

    def one(self, sql: str, params: Mapping[str, Any] | None = None) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self.execute(sql, params).fetchall()
        return rows

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        """The first column of the first row (a count, a returned id), or None for no row."""
        row = self.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def record(self, record: type[R], sql: str, params: Mapping[str, Any] | None = None) -> R | None:
        """The first row, read by name as `record` (a NamedTuple of storage/rows.py, or of
        the SELECT list's columns in their order)."""
        row = self.execute(sql, params).fetchone()
        return None if row is None else record._make(row)

    def records(self, record: type[R], sql: str, params: Mapping[str, Any] | None = None) -> list[R]:
        """Every row, each read by name as `record`."""
        return list(map(record._make, self.execute(sql, params).fetchall()))

    # Codecs. SQLite keeps instants as naive UTC text, the layout SQLAlchemy's DateTime uses
    # ("2025-01-31 12:00:00.000000"), and dates as ISO text; PostgreSQL's driver adapts both
    # natively. isoformat, not strftime: strftime does not zero-pad years before 1000, and such
    # text cannot be read back; for every other year the two spell an instant alike.
    def instant(self, value: datetime | None) -> Any:
        if value is None or not self.sqlite:
            return value
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")

    def day(self, value: date | None) -> Any:
        return value.isoformat() if self.sqlite and value is not None else value


def columns(record: type[NamedTuple], prefix: str = "") -> str:
    """The SELECT list of a record's columns (storage/rows.py), in its order, each behind
    `prefix` (`"u."`)."""
    return ", ".join(prefix + name for name in record._fields)


def read_instant(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        except ValueError:
            # Written by an earlier version for a year before 1000, without zero padding
            # ("999-05-31 ..."): still readable, so such a database can be repaired.
            year, _, rest = value.partition("-")
            if not year.isascii() or not year.isdigit():
                raise
            return datetime.fromisoformat(f"{int(year):04d}-{rest}").replace(tzinfo=UTC)
    assert isinstance(value, datetime)
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def read_day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value)
    assert isinstance(value, date)
    return value
