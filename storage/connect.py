"""Where the unit of work gets its driver connections, without importing SQLAlchemy for SQLite.

The repositories run plain SQL on the driver connection (storage/db.py). For a SQLite file,
SQLAlchemy gave them only a pool, the URL's parsing and the PRAGMAs run on connect; importing
it costs a command line call about a third of its start-up (benchmarks/startup.py). So a
`sqlite:///<file>` URL gets `SqliteSource`: stdlib `sqlite3` connections with the engine's
settings (`configure_sqlite`, which the engine's connections get too: WAL, `synchronous`,
foreign keys, busy timeout; autocommit mode, so that BEGIN is ours), kept in a small
last-in-first-out pool. The SQLAlchemy engine is made only when something asks for it: the
migrations, the tests.

Every other URL (PostgreSQL, or a SQLite URL with options) gets `EngineSource`, the SQLAlchemy
engine and its pool as before.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from states.errors import StorageUnavailableError

if TYPE_CHECKING:
    from sqlalchemy import Engine

_SQLITE_PREFIX = "sqlite:///"
# Idle connections kept, as SQLAlchemy's QueuePool keeps (pool_size).
_IDLE = 5


class Source(Protocol):
    """Driver connections for one database, and the names of its errors."""

    sqlite: bool
    database: str | None  # the SQLite file; None for PostgreSQL

    @property
    def engine(self) -> Engine: ...

    def display(self) -> str: ...

    def checkout(self) -> Any: ...  # a context manager yielding a driver connection

    def errors(self) -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]: ...

    def dispose(self) -> None: ...


def sqlite_file(url: str) -> str | None:
    """The file of a plain `sqlite:///<file>` URL, which `SqliteSource` serves; else None.

    URLs with options, escapes, an in-memory or URI database are left to SQLAlchemy's parser
    (and its refusals, storage/engine.py)."""
    if not url.startswith(_SQLITE_PREFIX):
        return None
    path = url[len(_SQLITE_PREFIX) :]
    if not path or path == ":memory:" or path.startswith("file:") or any(c in path for c in "?%#"):
        return None
    return path


def connect(
    url: str, *, synchronous: str = "FULL", ncp: str | None = None, pool_size: int | None = None
) -> Source:
    """The connection source for `url`: stdlib sqlite3 for a plain SQLite file, else an
    engine (which refuses what no backend serves). `ncp`: the tenant of a PostgreSQL network
    database (storage/tenancy.py); a SQLite database holds one NCP and takes none.
    `pool_size`: PostgreSQL connections kept open (as many again may open under load);
    None: SQLAlchemy's default (5)."""
    path = sqlite_file(url)
    if path is not None:
        if ncp is not None:
            raise StorageUnavailableError(_ONE_NCP.format(url=url))
        return SqliteSource(url, path, synchronous=synchronous)
    source = EngineSource(url, synchronous=synchronous, ncp=ncp, pool_size=pool_size)
    if source.sqlite and ncp is not None:
        source.dispose()
        raise StorageUnavailableError(_ONE_NCP.format(url=url))
    return source


_ONE_NCP = (
    "'{url}' is a SQLite database, which holds one NCP: [database] ncp (--ncp) names an NCP "
    "only in a PostgreSQL database shared by a network; leave it out"
)


def configure_sqlite(connection: sqlite3.Connection, synchronous: str) -> None:
    """The settings every SQLite connection gets, from this pool or the engine's: WAL, the
    `synchronous` level, foreign keys, a 30 s busy timeout."""
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA synchronous={synchronous}")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA busy_timeout=30000")


class SqliteSource:
    """Stdlib sqlite3 connections to one file, pooled last used first (its page cache warm)."""

    sqlite = True

    def __init__(self, url: str, database: str, *, synchronous: str = "FULL") -> None:
        self.url = url
        self.database: str | None = database
        self._synchronous = synchronous
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        """A SQLAlchemy engine on the same file, made on first use (migrations, tests)."""
        if self._engine is None:
            from storage.engine import make_engine

            self._engine = make_engine(self.url, synchronous=self._synchronous)
        return self._engine

    def display(self) -> str:
        return self.url

    def errors(self) -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
        return (sqlite3.OperationalError,), (sqlite3.DatabaseError,)

    def _open(self) -> sqlite3.Connection:
        assert self.database is not None
        connection = sqlite3.connect(self.database, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            configure_sqlite(connection, self._synchronous)
        except BaseException:
            connection.close()
            raise
        return connection

    @contextmanager
    def checkout(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            connection = self._idle.pop() if self._idle else None
        if connection is None:
            connection = self._open()
        try:
            yield connection
        finally:
            self._checkin(connection)

    def _checkin(self, connection: sqlite3.Connection) -> None:
        try:
            if connection.in_transaction:  # what a failed transaction left open
                connection.rollback()
        except sqlite3.Error:
            connection.close()
            return
        with self._lock:
            kept = len(self._idle) < _IDLE
            if kept:
                self._idle.append(connection)
        if not kept:
            connection.close()

    def dispose(self) -> None:
        """Close the idle connections (the last to close checkpoints the WAL into the file)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()
        if self._engine is not None:
            self._engine.dispose()


class EngineSource:
    """The pooled connections of a SQLAlchemy engine: PostgreSQL, or SQLite with options."""

    def __init__(
        self, url: str, *, synchronous: str = "FULL", ncp: str | None = None, pool_size: int | None = None
    ) -> None:
        from storage.engine import is_sqlite, make_engine

        self._engine = make_engine(url, synchronous=synchronous, ncp=ncp, pool_size=pool_size)
        self.sqlite = is_sqlite(self._engine)
        self.database = self._engine.url.database if self.sqlite else None

    @property
    def engine(self) -> Engine:
        return self._engine

    def display(self) -> str:
        return self._engine.url.render_as_string(hide_password=True)

    def errors(self) -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
        from sqlalchemy.exc import DBAPIError, OperationalError

        unavailable: tuple[type[Exception], ...] = (OperationalError, sqlite3.OperationalError)
        refused: tuple[type[Exception], ...] = (DBAPIError, sqlite3.DatabaseError)
        if not self.sqlite:
            import psycopg  # imported only once the URL says PostgreSQL

            unavailable += (psycopg.OperationalError,)
            refused += (psycopg.DatabaseError,)
        return unavailable, refused

    @contextmanager
    def checkout(self) -> Iterator[Any]:
        pooled = self._engine.raw_connection()
        try:
            driver = pooled.driver_connection
            assert driver is not None
            yield driver
        finally:
            pooled.close()

    def dispose(self) -> None:
        self._engine.dispose()


_SQLITE_HEADER = b"SQLite format 3\x00"


def check_sqlite_file(database: str | None, *, must_exist: bool) -> None:
    """Refuse a SQLite database that no command could use, before connecting to it.

    Connecting creates a missing file and turns an empty one into a database (and the
    connection's first PRAGMA puts any SQLite file into WAL mode), so a command that only
    reads or refuses would write. With `must_exist` (every command but `init`), the path
    must be a SQLite file that `ncpflow init` has initialised; it is looked at read-only.
    """
    if not must_exist or not database:
        return
    path = Path(database)
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        raise StorageUnavailableError(f"database {path} does not exist; run `ncpflow init` first") from None
    except OSError as exc:
        raise StorageUnavailableError(f"database {path} cannot be opened: {exc.strerror or exc}") from None
    if not header:
        raise StorageUnavailableError(
            f"database {path} is an empty file, not an ncpflow database; left as it is "
            "(`ncpflow init` makes a database there)"
        )
    if header != _SQLITE_HEADER:
        raise StorageUnavailableError(f"database {path} is not a SQLite database; left as it is")
    try:
        reader = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, timeout=30)
        try:
            found = reader.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
        finally:
            reader.close()
    except sqlite3.Error as exc:
        raise StorageUnavailableError(f"database {path} cannot be read: {exc}") from None
    if found is None:
        raise StorageUnavailableError(
            f"database {path} is not initialised (no ncpflow schema); run `ncpflow init` first"
        )
