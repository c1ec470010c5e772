"""Start-up: a command imports what it runs and nothing else (benchmarks/startup.py times it).

Each probe runs `ncpflow.cli.main` in a fresh interpreter and lists the modules loaded by the
end, so the guard is exact and does not depend on the machine's speed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import ROOT, make_settings
from workflow import cases
from workflow.bootstrap import bootstrap

PROBE = """
import json, sys
from ncpflow.cli import main
try:
    main(sys.argv[2:])
except SystemExit as stop:
    code = stop.code
else:
    code = 0
with open(sys.argv[1], "w") as listing:
    json.dump({"code": code, "modules": sorted(sys.modules)}, listing)
"""

# Never needed to print help or to read a case from SQLite.
HEAVY = (
    "fastapi",
    "starlette",
    "uvicorn",
    "psycopg",
    "argon2",
    "pyotp",
    "icalendar",
    "apscheduler",
    "alembic",
    "jinja2",
    "smtplib",
    "pycountry",
    "sqlalchemy.dialects.postgresql",
    "holidays.countries",
    "ncpflow.web",
    "typer.rich_utils",
    "markdown_it",
)


def loaded(tmp_path: Path, url: str, *args: str, code: int = 0) -> set[str]:
    listing = tmp_path / "modules.json"
    env = {**os.environ, "NCPFLOW_CONFIG": str(ROOT / "config.toml"), "NCPFLOW_DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(listing), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(listing.read_text(encoding="utf-8"))
    assert found["code"] == code, done.stderr
    return set(found["modules"])


def heavy(modules: set[str], *extra: str) -> list[str]:
    return sorted(m for m in modules if any(m == name or m.startswith(name + ".") for name in HEAVY + extra))


def test_help_imports_neither_the_workflow_nor_a_database_nor_the_web_stack(
    tmp_path: Path, sqlite_url: str
) -> None:
    """`ncpflow --help` builds the command tree from typer and small modules alone, and prints
    plain help: not even Rich is loaded."""
    modules = loaded(tmp_path, sqlite_url, "--help")
    assert "ncpflow.commands.cases" in modules  # the whole tree was built
    assert (
        heavy(modules, "sqlalchemy", "storage", "workflow", "pydantic", "structlog", "holidays", "rich") == []
    )


def test_help_imports_neither_the_audit_chain_nor_the_html_reports(tmp_path: Path, sqlite_url: str) -> None:
    """`audit log` imports the chain's hashed fields and the reports their HTML module when they
    run: `--help` loads no hashlib, html or ncpflow.report_html."""
    assert (
        heavy(
            loaded(tmp_path, sqlite_url, "--help"), "hashlib", "html", "states.chain", "ncpflow.report_html"
        )
        == []
    )


def test_the_command_line_annotations_are_objects_not_strings_to_evaluate() -> None:
    """Typer reads every command's signature at start; string annotations (`from __future__
    import annotations`) would be compiled and evaluated three times each on every start."""
    import inspect

    from ncpflow import cli
    from ncpflow.commands import alerts, audit, cases, reports, rotation, web

    functions = [
        f
        for module in (cli, alerts, audit, cases, reports, rotation, web)
        for f in vars(module).values()
        if inspect.isfunction(f) and f.__module__ == module.__name__
    ]
    strings = {
        f"{f.__module__}.{f.__name__}": name
        for f in functions
        for name, hint in inspect.get_annotations(f).items()
        if isinstance(hint, str)
    }
    assert len(functions) > 50 and strings == {}


def test_a_group_help_imports_no_more_than_the_root_help(tmp_path: Path, sqlite_url: str) -> None:
    """`ncpflow case open --help` does not reach the use cases it describes."""
    modules = loaded(tmp_path, sqlite_url, "case", "open", "--help")
    assert heavy(modules, "sqlalchemy", "storage", "workflow.cases", "workflow.bootstrap") == []


@pytest.fixture
def reference(sqlite_url: str) -> str:
    services = bootstrap(make_settings(sqlite_url))
    try:
        return cases.open_case(
            uow=services.uow,
            clock=services.clock,
            policy=services.policy,
            reference_prefix="NCP",
            title="Start-up",
            actor="test",
            received=datetime(2025, 1, 2, 9, tzinfo=UTC),
            submitters=[cases.PartyInput("Submitter")],
            enterprises=[cases.PartyInput("Enterprise")],
        ).reference
    finally:
        services.close()


def test_case_show_on_sqlite_imports_no_web_stack_postgres_driver_or_hasher(
    tmp_path: Path, sqlite_url: str, reference: str
) -> None:
    """Reading a case loads the config, SQLite and the views; not FastAPI, psycopg, argon2,
    Jinja2 or the holiday calendars (the shipped config does not roll due dates)."""
    modules = loaded(tmp_path, sqlite_url, "case", "show", reference)
    assert {"workflow.queries", "storage.sql", "storage.connect", "sqlite3"} <= modules
    assert heavy(modules) == []


def test_a_read_on_sqlite_imports_neither_sqlalchemy_nor_the_signing_code(
    tmp_path: Path, sqlite_url: str, reference: str
) -> None:
    """`case show` and `case list` read SQLite through the stdlib driver (storage/connect.py):
    no SQLAlchemy, no SQLModel tables, no cryptography for the audit checkpoints, and no
    holidays package (the config's `holiday_country` is checked against its registry's source)."""
    for args in (("case", "show", reference), ("case", "list")):
        assert (
            heavy(
                loaded(tmp_path, sqlite_url, *args),
                "sqlalchemy",
                "sqlmodel",
                "storage.tables",
                "cryptography",
                "states.checkpoints",
                "holidays",
            )
            == []
        )


def test_a_command_builds_its_own_group_and_help_builds_them_all(
    tmp_path: Path, sqlite_url: str, reference: str
) -> None:
    """`case show` imports no other group's module (ncpflow/cli.py builds groups on demand);
    `--help` lists every group, so it still imports them all."""
    others = ("ncpflow.commands.audit", "ncpflow.commands.reports", "ncpflow.commands.rotation")
    shown = loaded(tmp_path, sqlite_url, "case", "show", reference)
    assert "ncpflow.commands.cases" in shown and not shown & set(others)
    assert set(others) <= loaded(tmp_path, sqlite_url, "--help")


def test_a_write_on_sqlite_needs_no_sqlalchemy_either(
    tmp_path: Path, sqlite_url: str, reference: str
) -> None:
    """A transition goes through the same stdlib connections; only `init` (the migrations)
    makes the SQLAlchemy engine."""
    modules = loaded(
        tmp_path,
        sqlite_url,
        "case",
        "advance",
        reference,
        "begin_assessment",
        "--actor",
        "me",
        "--reason",
        "complete",
    )
    assert heavy(modules, "sqlalchemy") == []


def test_a_read_renders_no_message_so_loads_no_templates_or_babel_dates(
    tmp_path: Path, sqlite_url: str, reference: str
) -> None:
    """The application's renderer imports notifications.render on the first message: `case
    show` and `case list` load neither the templates' labels nor Babel's date formatting."""
    for args in (("case", "show", reference), ("case", "list")):
        assert (
            heavy(
                loaded(tmp_path, sqlite_url, *args),
                "notifications.render",
                "notifications.labels",
                "babel.dates",
            )
            == []
        )


def test_a_read_makes_no_event_so_loads_neither_the_events_nor_the_state_machine(
    tmp_path: Path, sqlite_url: str, reference: str
) -> None:
    """states.case imports the event dataclasses and the `transitions` machine in the steps
    that make them (open, advance): `case show` and `case list` generate neither's code."""
    for args in (("case", "show", reference), ("case", "list")):
        assert (
            heavy(loaded(tmp_path, sqlite_url, *args), "states.events", "states.machine", "transitions") == []
        )


def test_a_read_configures_no_logging_so_loads_no_structlog(
    tmp_path: Path, sqlite_url: str, reference: str
) -> None:
    """Nothing on the read path logs: structlog (asyncio, Rich's tracebacks) is not loaded."""
    assert heavy(loaded(tmp_path, sqlite_url, "case", "show", reference), "structlog") == []


def test_a_command_that_logs_is_configured_when_it_asks_for_its_logger(
    tmp_path: Path, sqlite_url: str
) -> None:
    """--log-level still holds for the events of a write run as a real process."""
    opening = ["case", "open", "--title", "T", "--enterprise", "E", "--submitter", "S", "--actor", "me"]
    env = {**os.environ, "NCPFLOW_CONFIG": str(ROOT / "config.toml"), "NCPFLOW_DATABASE_URL": sqlite_url}
    for level, shown in (("info", True), ("warning", False)):
        done = subprocess.run(
            [sys.executable, "-m", "ncpflow", "--log-level", level, *opening],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        assert ("[info     ] case_opened" in done.stderr) is shown, done.stderr


def test_case_list_on_sqlite_imports_no_web_stack_or_postgres_driver(
    tmp_path: Path, sqlite_url: str, reference: str
) -> None:
    """Listing cases stays as light as showing one."""
    assert heavy(loaded(tmp_path, sqlite_url, "case", "list")) == []


def test_importing_the_users_module_computes_no_password_hash() -> None:
    """argon2 (a 64 MB hash) is loaded by the first password set or checked, not on import."""
    code = "import sys, workflow.users; print(sorted(m for m in sys.modules if 'argon2' in m))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def test_the_program_imports_without_the_collector_and_runs_the_command_with_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ncpflow.program freezes what start-up made and turns collection back on before the
    command runs, so a long-running command collects as usual."""
    import gc

    from ncpflow import cli, program

    seen: list[tuple[bool, int]] = []
    monkeypatch.setattr(cli, "run", lambda: seen.append((gc.isenabled(), gc.get_freeze_count())))
    monkeypatch.setattr(program, "_freeze", False)  # run() sets it; restored after the test
    try:
        program.run()
    finally:
        gc.unfreeze()
    assert seen and seen[0][0] and seen[0][1] > 0


def test_a_start_up_step_runs_without_the_collector_and_freezes_only_in_the_program(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`starting()` turns the collector off for the step and back on after it; it freezes what
    the step made only once `run()` started the process, so in-process callers keep a
    collectable heap."""
    import gc

    from ncpflow import program

    seen: list[bool] = []
    gc.unfreeze()
    with program.starting():
        seen.append(gc.isenabled())
    assert seen == [False] and gc.isenabled() and gc.get_freeze_count() == 0
    monkeypatch.setattr(program, "_freeze", True)
    try:
        with program.starting():
            pass
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    gc.disable()
    try:
        with program.starting():
            pass
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()
