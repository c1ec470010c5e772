"""Apply the shipped Alembic migrations to a database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect

from storage.engine import WRITE

MIGRATIONS = Path(__file__).parent / "migrations"


def upgrade(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn:
        conn = conn.execution_options(**{WRITE: True})
        config.attributes["connection"] = conn
        # One head: the branches meet in 0006_merge_heads, 0012_merge_heads and 0013_merge_imports.
        command.upgrade(config, "head")
        conn.commit()


def is_initialised(engine: Engine) -> bool:
    return inspect(engine).has_table("alembic_version")
