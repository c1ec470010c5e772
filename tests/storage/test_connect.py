"""SQLite through the stdlib driver (storage/connect.py): the engine's settings, its pool."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from states.errors import StorageUnavailableError
from storage.connect import EngineSource, SqliteSource, connect, sqlite_file
from tests.conftest import make_settings
from workflow.bootstrap import bootstrap


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///ncpflow.db",
        "sqlite:////var/lib/ncpflow/x.db",
        "sqlite:///../data/ncp flow.db",
        "sqlite:///./a/b.sqlite3",
    ],
)
def test_a_plain_sqlite_url_names_the_file_sqlalchemy_would_open(url: str) -> None:
    """The stdlib path reads the same file out of the URL as SQLAlchemy's parser."""
    assert sqlite_file(url) == make_url(url).database


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///file:x.db",
        "sqlite:///x.db?timeout=5",
        "sqlite:///caf%C3%A9.db",
        "sqlite+pysqlite:///x.db",
        "postgresql://u@h/db",
        "nonsense",
    ],
)
def test_any_other_url_is_left_to_sqlalchemy(url: str) -> None:
    """Options, escapes, in-memory and URI databases and other backends go to the engine."""
    assert sqlite_file(url) is None


def test_an_in_memory_database_is_still_refused() -> None:
    """The engine's refusal of a database each connection would see apart still holds."""
    with pytest.raises(StorageUnavailableError, match="in-memory"):
        connect("sqlite:///:memory:")


def test_a_sqlite_url_with_options_gets_the_engine(tmp_path: Path) -> None:
    """A URL SQLAlchemy must parse keeps SQLAlchemy's pool."""
    source = connect(f"sqlite:///{tmp_path / 'x.db'}?timeout=5")
    try:
        assert isinstance(source, EngineSource) and source.sqlite
        assert source.database == str(tmp_path / "x.db")
    finally:
        source.dispose()


def test_connections_get_the_engines_pragmas(sqlite_url: str) -> None:
    """WAL, synchronous=FULL, foreign keys and the busy timeout, as storage/engine.py sets."""
    source = connect(sqlite_url)
    assert isinstance(source, SqliteSource)
    try:
        with source.checkout() as connection:
            pragmas = [
                connection.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            ]
            assert connection.isolation_level is None  # BEGIN is sent by the unit of work
    finally:
        source.dispose()
    assert pragmas == ["wal", 2, 1, 30000]


def test_the_pool_hands_out_the_connection_used_last_and_rolls_back_what_was_left_open(
    sqlite_url: str,
) -> None:
    """A connection comes back to the pool; a transaction left open is rolled back first."""
    source = connect(sqlite_url)
    assert isinstance(source, SqliteSource)
    try:
        with source.checkout() as first:
            first.execute("BEGIN IMMEDIATE")
            first.execute("INSERT INTO reference_counters (prefix, year, last) VALUES ('X', 2025, 7)")
        with source.checkout() as again:
            assert again is first and not again.in_transaction
            assert again.execute("SELECT COUNT(*) FROM reference_counters").fetchone() == (0,)
    finally:
        source.dispose()


def test_dispose_closes_the_idle_connections(sqlite_url: str) -> None:
    """After dispose, the pooled connection is closed and the next checkout opens another."""
    source = connect(sqlite_url)
    assert isinstance(source, SqliteSource)
    with source.checkout() as first:
        pass
    source.dispose()
    with pytest.raises(sqlite3.ProgrammingError):
        first.execute("SELECT 1")
    with source.checkout() as second:
        assert second is not first
    source.dispose()


def test_a_database_that_vanished_is_unavailable_not_a_traceback(tmp_path: Path, sqlite_url: str) -> None:
    """A file that cannot be opened any more is reported as the database being unavailable."""
    services = bootstrap(make_settings(sqlite_url))
    try:
        services.uow.source.database = str(tmp_path / "gone" / "x.db")  # type: ignore[attr-defined]
        with pytest.raises(StorageUnavailableError, match="unavailable"), services.uow.read():
            pass
    finally:
        services.close()
