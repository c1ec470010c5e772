"""Engines for the two backends, with the settings durability and the audit chain rely on.

SQLite: WAL, synchronous=FULL (a commit survives power loss), foreign keys on, and write
transactions opened with BEGIN IMMEDIATE so that reading the audit chain head and appending to
it cannot interleave with another writer. PostgreSQL: psycopg 3; writers serialise on an
advisory lock taken in storage/sql.py, and readers each see one REPEATABLE READ, READ ONLY
snapshot (set there too).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from states.errors import StorageUnavailableError
from storage.connect import configure_sqlite
from storage.tenancy import connect_options

WRITE = "ncpflow_write"


def _url_for(url: str) -> str:
    # Plain postgresql:// URLs mean psycopg 3, the driver we ship.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(
    url: str, *, synchronous: str = "FULL", ncp: str | None = None, pool_size: int | None = None
) -> Engine:
    """`ncp`: on PostgreSQL, the tenant every connection sets (storage/tenancy.py); without it
    a connection works in the `default` tenant, a single NCP's database. `pool_size`: on
    PostgreSQL, the connections kept open, with as many again opened under load and closed
    after (None: SQLAlchemy's 5 and 10); one process serving a network keeps each NCP's
    small (docs/network.md)."""
    try:
        parsed = make_url(_url_for(url))
    except ArgumentError:
        raise StorageUnavailableError(
            f"'{url}' is not a database URL (e.g. sqlite:///ncpflow.db or postgresql://user@host/dbname)"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if not database or database == ":memory:" or database.startswith("file:"):
            # Each connection would see its own database (or, for URIs, one ncpflow cannot
            # place its writer lock beside): refuse instead of losing every write.
            raise StorageUnavailableError(
                f"'{url}' is an in-memory or URI SQLite database, which ncpflow cannot share "
                "between its connections; give a file, e.g. sqlite:///var/ncpflow.db"
            )
        # LIFO: the connection used last goes out next, its page cache still warm (each SQLite
        # connection keeps its own; another connection's write makes it stale).
        engine = create_engine(parsed, connect_args={"timeout": 30}, pool_use_lifo=True)
        _configure_sqlite(engine, synchronous)
        return engine
    if parsed.get_backend_name() == "postgresql":
        connect_args: dict[str, Any] = {"connect_timeout": 5}
        if ncp is not None:
            connect_args["options"] = connect_options(ncp)
        pool: dict[str, Any] = {}
        if pool_size is not None:
            pool = {"pool_size": pool_size, "max_overflow": pool_size}
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args, **pool)
    raise StorageUnavailableError(f"'{url}': only sqlite and postgresql are supported")


def _configure_sqlite(engine: Engine, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (the pysqlite recipe).
        dbapi_connection.isolation_level = None
        configure_sqlite(dbapi_connection, synchronous)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE, False)
        # Straight to the driver: a SQLAlchemy execution here costs ~50 µs per transaction.
        # sqlite3's own errors (locked past busy_timeout) are translated by storage/sql.py.
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
