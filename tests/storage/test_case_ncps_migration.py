"""0035_case_ncps, on SQLite and PostgreSQL: each code of an existing case's `supporting_ncps`
becomes a supporting NCP in the role `consulted`, no lead is recorded (so `[ncp] country`
leads), and a downgrade removes the tables again."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from storage.engine import WRITE, make_engine
from storage.migrate import MIGRATIONS
from tests.conftest import make_settings
from tests.helpers import open_one
from workflow.bootstrap import bootstrap
from workflow.clock import FixedClock

BEFORE = "0034_merge_followup_mediators"


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


@pytest.mark.owner  # downgrading needs the tables' owner, not the application role
def test_supporting_ncps_become_consulted_and_no_lead_is_recorded(
    database_url: str, clock: FixedClock
) -> None:
    app = bootstrap(make_settings(database_url), clock=clock)
    try:
        plain = open_one(app)
        supported = open_one(app, title="Three countries")
    finally:
        app.close()
    _migrate(database_url, BEFORE, down=True)
    engine = make_engine(database_url)
    try:
        assert "case_ncps" not in inspect(engine).get_table_names()
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE cases SET supporting_ncps = :codes WHERE reference = :ref"),
                {"codes": '["SE", "CL", "SE"]', "ref": supported},
            )
    finally:
        engine.dispose()
    _migrate(database_url, "head")
    app = bootstrap(make_settings(database_url), clock=clock)
    try:
        shown = app.ncps.show(reference=supported)
        assert [(s.ncp, s.role) for s in shown.supporting] == [("SE", "consulted"), ("CL", "consulted")]
        assert (shown.lead, shown.lead_recorded) == (["NO"], False)
        assert app.ncps.show(reference=plain).supporting == []
    finally:
        app.close()
