"""0014_case_results fills in `cases.results` and `cases.received_precision` of existing rows from
the audit log."""

from __future__ import annotations

import json

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from storage.engine import WRITE, make_engine
from storage.migrate import MIGRATIONS
from tests.conftest import InProcessCli
from tests.e2e.test_examined_reports import BOTH, CASES, cli_case

pytestmark = pytest.mark.owner


def _migrate(url: str, to: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            config.attributes["connection"] = conn.execution_options(**{WRITE: True})
            (command.downgrade if down else command.upgrade)(config, to)
            conn.commit()
    finally:
        engine.dispose()


def test_the_migration_fills_in_every_result_of_existing_cases_from_the_audit_log(
    ncp: InProcessCli, database_url: str
) -> None:
    """A concluded examined case migrated from 0013 holds both its results again."""
    examined = cli_case(ncp, "2025-01-10", CASES["A"]["steps"])[0]
    rejected = cli_case(ncp, "2025-06-02", CASES["F"]["steps"])[0]
    _migrate(database_url, "0013_merge_imports", down=True)
    _migrate(database_url, "head")
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT reference, results FROM cases")).all())
            precision = set(conn.execute(text("SELECT received_precision FROM cases")).scalars())
    finally:
        engine.dispose()
    assert json.loads(rows[examined]) == BOTH
    assert json.loads(rows[rejected]) == {"outcome": "not_accepted"}
    assert precision == {"day"}
    assert ncp.json("case", "show", examined, "--json")["results"] == BOTH
