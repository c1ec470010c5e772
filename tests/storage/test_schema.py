"""The schema has one source: the migrations build exactly what storage/tables.py declares."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import SQLModel

from storage.engine import WRITE, make_engine
from storage.migrate import MIGRATIONS
from storage.search import beside_metadata
from storage.tables import ROWS, render_rows
from tests.conftest import make_settings
from workflow.bootstrap import bootstrap, initialise


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def test_a_migrated_database_matches_the_table_metadata(database_url: str) -> None:
    """After `upgrade`, Alembic's autogenerate finds nothing to add, drop or alter."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "compare_server_default": False,
                    # The search index's FTS5 table (SQLite) and GIN indexes (PostgreSQL).
                    "include_name": lambda name, kind, _: not beside_metadata(name, kind),
                },
            )
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_the_migrations_have_one_head() -> None:
    """The branches meet (0006_merge_heads, and a merge after it), so `upgrade head` reaches
    every revision."""
    assert len(ScriptDirectory.from_config(_config()).get_heads()) == 1


@pytest.mark.parametrize("reached", ["0005_sessions", "0005_signed_checkpoints", "0004_users", "0004_audit"])
def test_a_database_on_either_branch_upgrades_to_the_one_head(tmp_path: Path, reached: str) -> None:
    """A database migrated by an older ncpflow to one branch's head upgrades to the one head."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    config = _config()
    with engine.connect() as conn:
        config.attributes["connection"] = conn.execution_options(**{WRITE: True})
        command.upgrade(config, reached)
        conn.commit()
    engine.dispose()
    services = bootstrap(make_settings(url), require_initialised=False)
    try:
        initialise(services)
    finally:
        services.close()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    finally:
        engine.dispose()
    assert versions == [tuple(ScriptDirectory.from_config(_config()).get_heads())]


def test_the_row_records_are_generated_from_the_current_tables() -> None:
    """storage/rows.py (the repositories' column lists) is what storage/tables.py makes it;
    after a change to the tables, `python -m storage.tables` writes it again."""
    assert ROWS.read_text(encoding="utf-8") == render_rows()
