"""The schema has one source: the migrations build exactly what storage/tables.py declares."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import ForeignKeyConstraint, text
from sqlmodel import SQLModel

from storage import tenancy
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
    if engine.dialect.name == "postgresql":
        differences = _beyond_the_tenancy(differences)
    assert differences == []


def _shape(obj: Any) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A key, index or foreign key by table and columns (and what a foreign key refers to)."""
    if isinstance(obj, ForeignKeyConstraint):
        referred = tuple(fk.target_fullname.rsplit(".", 1)[-1] for fk in obj.elements)
        return obj.table.name, tuple(obj.column_keys), (obj.referred_table.name, *referred)
    return obj.table.name, tuple(c.name for c in obj.columns), ()


def _beyond_the_tenancy(differences: list[Any]) -> list[Any]:
    """What differs besides 0038_tenancy's work on PostgreSQL (storage/tenancy.py): the tenant
    column, the network's figures, and each natural key, unique index and foreign key widened
    to (tenant, ...) where the tables declare (...)."""
    declared: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Any] = {}
    widened: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Any] = {}
    left = []
    for diff in differences:
        action = diff[0] if isinstance(diff, tuple) else None
        if action == "remove_column" and diff[3].name == tenancy.COLUMN:
            continue
        if action == "remove_table" and diff[1].name in {tenancy.FIGURES, tenancy.PINNED}:
            continue
        if action in {"add_constraint", "add_index", "add_fk"}:
            declared[_shape(diff[1])] = diff
            continue
        if action == "remove_constraint" and diff[1].name.endswith(tenancy.TENANT_KEY):
            continue  # the unique (tenant, id) a same-NCP foreign key refers to
        if action in {"remove_constraint", "remove_index", "remove_fk"}:
            table, cols, referred = _shape(diff[1])
            if cols[:1] == (tenancy.COLUMN,) and referred[1:2] in {(), (tenancy.COLUMN,)}:
                widened[(table, cols[1:], referred[:1] + referred[2:])] = diff
                continue
        left.append(diff)
    unmatched = set(declared) ^ set(widened)
    return left + [declared.get(k) or widened[k] for k in sorted(unmatched)]


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
