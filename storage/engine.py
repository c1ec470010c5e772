"""Engines for the two backends, with the settings durability and the audit chain rely on.

SQLite: WAL, synchronous=FULL (a commit survives power loss), foreign keys on, and write
transactions opened with BEGIN IMMEDIATE so that reading the audit chain head and appending to
it cannot interleave with another writer. PostgreSQL: psycopg 3; writers serialise on an
advisory lock taken in storage/sql.py, and readers each see one REPEATABLE READ, READ ONLY
snapshot (set there too).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from states.errors import StorageUnavailableError

WRITE = "ncpflow_write"


def _url_for(url: str) -> str:
    # Plain postgresql:// URLs mean psycopg 3, the driver we ship.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, *, synchronous: str = "FULL") -> Engine:
    try:
        parsed = make_url(_url_for(url))
    except ArgumentError:
        raise StorageUnavailableError(
            f"'{url}' is not a database URL (e.g. sqlite:///ncpflow.db or "
            "postgresql://user@host/dbname)") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if not database or database == ":memory:" or database.startswith("file:"):
            # Each connection would see its own database (or, for URIs, one ncpflow cannot
            # place its writer lock beside): refuse instead of losing every write.
            raise StorageUnavailableError(
                f"'{url}' is an in-memory or URI SQLite database, which ncpflow cannot share "
                "between its connections; give a file, e.g. sqlite:///var/ncpflow.db")
        # LIFO: the connection used last goes out next, its page cache still warm (each SQLite
        # connection keeps its own; another connection's write makes it stale).
        engine = create_engine(parsed, connect_args={"timeout": 30}, pool_use_lifo=True)
        _configure_sqlite(engine, synchronous)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    raise StorageUnavailableError(f"'{url}': only sqlite and postgresql are supported")


def _configure_sqlite(engine: Engine, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (the pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE, False)
        # Straight to the driver: a SQLAlchemy execution here costs ~50 µs per transaction.
        # sqlite3's own errors (locked past busy_timeout) are translated by storage/sql.py.
        connection.connection.driver_connection.execute(
            "BEGIN IMMEDIATE" if immediate else "BEGIN")


_SQLITE_HEADER = b"SQLite format 3\x00"


def check_sqlite_file(engine: Engine, *, must_exist: bool) -> None:
    """Refuse a SQLite database that no command could use, before connecting to it.

    Connecting creates a missing file and turns an empty one into a database (and the
    connection's first PRAGMA puts any SQLite file into WAL mode), so a command that only
    reads or refuses would write. With `must_exist` (every command but `init`), the path
    must be a SQLite file that `ncpflow init` has initialised; it is looked at read-only.
    """
    if not must_exist or not engine.url.database:
        return
    path = Path(engine.url.database)
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        raise StorageUnavailableError(
            f"database {path} does not exist; run `ncpflow init` first") from None
    except OSError as exc:
        raise StorageUnavailableError(
            f"database {path} cannot be opened: {exc.strerror or exc}") from None
    if not header:
        raise StorageUnavailableError(
            f"database {path} is an empty file, not an ncpflow database; left as it is "
            "(`ncpflow init` makes a database there)")
    if header != _SQLITE_HEADER:
        raise StorageUnavailableError(
            f"database {path} is not a SQLite database; left as it is")
    try:
        reader = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True,
                                 timeout=30)
        try:
            found = reader.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                   "name = 'alembic_version'").fetchone()
        finally:
            reader.close()
    except sqlite3.Error as exc:
        raise StorageUnavailableError(f"database {path} cannot be read: {exc}") from None
    if found is None:
        raise StorageUnavailableError(
            f"database {path} is not initialised (no ncpflow schema); run `ncpflow init` first")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
