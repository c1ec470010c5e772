"""Migration 0005_sessions keeps the API tokens of users made before it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from storage.engine import WRITE, make_engine
from storage.migrate import MIGRATIONS
from tests.conftest import make_settings
from workflow import users
from workflow.bootstrap import bootstrap, initialise


def test_tokens_made_before_the_migration_still_sign_in_after_it(tmp_path: Path) -> None:
    """A token hash in the old users column moves to api_tokens and keeps working."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    token = users.new_token()
    with engine.connect() as conn:
        config.attributes["connection"] = conn.execution_options(**{WRITE: True})
        command.upgrade(config, "0004_users")
        conn.execute(
            text(
                "INSERT INTO users (name, role, token_hash, created_at) VALUES ('hanna', 'handler', :h, :at)"
            ),
            {"h": users.token_hash(token), "at": datetime(2025, 1, 2, tzinfo=UTC)},
        )
        conn.commit()
    engine.dispose()
    services = bootstrap(make_settings(url), require_initialised=False)
    try:
        initialise(services)
        found = users.by_token(uow=services.uow, token=token)
        assert found is not None and found.name == "hanna" and not found.disabled
        listed = users.list_tokens(uow=services.uow, name="hanna")
        assert [t.id for t in listed] == [users.token_hash(token)[:12]]
    finally:
        services.close()
