"""The whole content of a database as plain values: every table, rows ordered by primary key.

For tests that must show a refused input changed nothing. The tables come from the database's
own metadata (SQLAlchemy reflection), not from a list kept here, so a table added by a later
migration is compared too. Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy
from sqlalchemy.pool import NullPool


def engine_for(url: str) -> sqlalchemy.Engine:
    """An engine that holds no connection between dumps (NullPool): it never blocks a writer."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return sqlalchemy.create_engine(url, poolclass=NullPool)


class Dumper:
    """`dump()` reads every table in one transaction; the table list is reflected once.

    Values come as the driver gives them (no type conversion), so a row that the application
    could not read back (a malformed timestamp, say) still shows, and compares."""

    def __init__(self, url: str) -> None:
        self.engine = engine_for(url)
        metadata = sqlalchemy.MetaData()
        metadata.reflect(self.engine)
        quote = self.engine.dialect.identifier_preparer.quote
        self.queries: dict[str, str] = {}
        for name, table in sorted(metadata.tables.items()):
            # PostgreSQL's tenant column (storage/tenancy.py) is left out: each table reads as
            # the application stores it, the same on both backends.
            shown = [c for c in table.columns if c.name != "tenant"]
            key = [c for c in table.primary_key.columns if c.name != "tenant"] or shown
            order = ", ".join(quote(column.name) for column in key)
            listed = ", ".join(quote(column.name) for column in shown)
            self.queries[name] = f"SELECT {listed} FROM {quote(name)} ORDER BY {order}"

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            return {
                name: [tuple(row) for row in conn.exec_driver_sql(query)]
                for name, query in self.queries.items()
            }

    def close(self) -> None:
        self.engine.dispose()


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the database at `url`, each as its rows ordered by primary key."""
    dumper = Dumper(url)
    try:
        return dumper.dump()
    finally:
        dumper.close()
