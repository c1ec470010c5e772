"""Shared fixtures: a migrated database on every backend, settings, a fixed clock, the CLI.

`database_url` is parametrized over SQLite and PostgreSQL, so every test that asks for it runs
on both; without PostgreSQL the second variant is skipped with the reason shown by `-ra`.
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import argon2
import pytest
import sqlalchemy

from tests import postgres
from workflow import users
from workflow.bootstrap import Services, bootstrap, initialise
from workflow.clock import FixedClock
from workflow.config import Settings, parse_settings

ROOT = Path(__file__).resolve().parent.parent
_counter = itertools.count()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    built = bootstrap(make_settings(f"sqlite:///{path}"), require_initialised=False)
    initialise(built)
    # Closing the last connection checkpoints the WAL into the file, so a plain copy is whole.
    built.close()
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    reason = postgres.unavailable_reason()
    if reason and os.environ.get("NCPFLOW_REQUIRE_POSTGRES"):
        pytest.fail(f"NCPFLOW_REQUIRE_POSTGRES is set but {reason}")
    if reason:
        pytest.skip(reason)
    with postgres.server() as url:
        template = url.rsplit("/", 1)[0] + "/ncpflow_template"
        engine = sqlalchemy.create_engine(
            url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
        )
        with engine.connect() as conn:
            conn.exec_driver_sql("DROP DATABASE IF EXISTS ncpflow_template")
            conn.exec_driver_sql("CREATE DATABASE ncpflow_template")
        built = bootstrap(make_settings(template), require_initialised=False)
        initialise(built)
        built.close()  # a template database must have no open connections to be copied
        yield url
        engine.dispose()


def _fresh_postgres(admin_url: str) -> str:
    name = f"ncpflow_t{os.getpid()}_{next(_counter)}"
    engine = sqlalchemy.create_engine(
        admin_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE ncpflow_template")
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name


# The login role the network tests connect as: a member of ncpflow_app (storage/tenancy.py),
# not the tables' owner, without BYPASSRLS.
APP_LOGIN = "ncpflow_test_app"
# The NCP whose demo cases fill a network template: every tenant test runs beside its rows.
NEIGHBOUR = "ZZ"


def admin_engine(admin_url: str, database: str | None = None) -> sqlalchemy.Engine:
    url = admin_url if database is None else admin_url.rsplit("/", 1)[0] + "/" + database
    return sqlalchemy.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )


@pytest.fixture(scope="session")
def network_admin_url(postgres_admin_url: str) -> str:
    """The admin URL of a server holding `ncpflow_network_template`: migrated, with the demo
    cases of NCP `NEIGHBOUR`, and the application's login role."""
    from workflow.demo import load_demo

    engine = admin_engine(postgres_admin_url)
    with engine.connect() as conn:
        conn.exec_driver_sql("DROP DATABASE IF EXISTS ncpflow_network_template")
        conn.exec_driver_sql("CREATE DATABASE ncpflow_network_template TEMPLATE ncpflow_template")
        conn.exec_driver_sql(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_LOGIN}') THEN "
            f"CREATE ROLE {APP_LOGIN} LOGIN NOBYPASSRLS IN ROLE ncpflow_app; END IF; END $$"
        )
    engine.dispose()
    template = postgres_admin_url.rsplit("/", 1)[0] + "/ncpflow_network_template"
    neighbour = bootstrap(
        make_settings(template, database={"url": template, "ncp": NEIGHBOUR}),
        clock=FixedClock(datetime(2025, 6, 2, 9, 0, tzinfo=UTC)),
    )
    try:
        load_demo(neighbour)
    finally:
        neighbour.close()
    return postgres_admin_url


def tenant_url(admin_url: str, ncp: str) -> str:
    """A fresh copy of the network template, as the application role working for `ncp`
    (the tenant set by the URL's connection options)."""
    name = f"ncpflow_n{os.getpid()}_{next(_counter)}"
    engine = admin_engine(admin_url)
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE ncpflow_network_template")
    engine.dispose()
    server = admin_url.split("@", 1)[1].rsplit("/", 1)[0]
    return f"postgresql://{APP_LOGIN}@{server}/{name}?options=-c%20ncpflow.ncp%3D{ncp}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A freshly migrated, empty database: SQLite file or PostgreSQL database."""
    if request.param == "sqlite":
        path = tmp_path / "ncpflow.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    admin = request.getfixturevalue("postgres_admin_url")
    return _fresh_postgres(admin)


@pytest.fixture
def other_database_url(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path, sqlite_template: Path
) -> str:
    """A second freshly migrated, empty database on the same backend as `database_url` (two
    NCPs' instances sharing a case)."""
    if database_url.startswith("sqlite"):
        path = tmp_path / "other.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    return _fresh_postgres(request.getfixturevalue("postgres_admin_url"))


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "ncpflow.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def make_settings(url: str, **sections: Any) -> Settings:
    data: dict[str, Any] = {"database": {"url": url}}
    data.update(sections)
    return parse_settings(data, source="(test settings)")


def refuse_audit_inserts(services: Services, message: str) -> None:
    """Make the database refuse every new audit entry, as a full disk or a fault would."""
    engine = services.uow.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(
                sqlalchemy.text(
                    "CREATE TRIGGER sabotage BEFORE INSERT ON audit_log "
                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                )
            )
        else:
            conn.execute(
                sqlalchemy.text(
                    "CREATE FUNCTION sabotage() RETURNS trigger LANGUAGE plpgsql AS "
                    f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$"
                )
            )
            conn.execute(
                sqlalchemy.text(
                    "CREATE TRIGGER sabotage BEFORE INSERT ON audit_log "
                    "FOR EACH ROW EXECUTE FUNCTION sabotage()"
                )
            )


# What `workflow.users` hashes passwords with in this process: argon2id at the library's default
# cost (RFC 9106's second profile: 64 MiB, 3 passes), which tests/workflow/test_password_cost.py pins.
PRODUCTION_HASHER = users._hasher


@functools.cache
def _cheap_hasher() -> argon2.PasswordHasher:
    return argon2.PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes() -> Iterator[None]:
    """Passwords set in this process hash with argon2id at a test cost (8 MiB, one pass), as
    Django advises for test suites: 0.2 s a hash and 0.16 s a check were a fifth of the web tests'
    time. Hashes still verify at whatever cost they carry; `ncpflow` processes started by the
    tests (`serve`, the command line) hash at the full cost."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "_hasher", _cheap_hasher)
        users._dummy_hash.cache_clear()
        yield
    users._dummy_hash.cache_clear()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 6, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def services(database_url: str, clock: FixedClock) -> Iterator[Services]:
    built = bootstrap(make_settings(database_url), clock=clock)
    yield built
    built.close()


class Cli:
    """Runs the real `ncpflow` command in a subprocess, as a user or a script would."""

    def __init__(self, workdir: Path, database_url: str) -> None:
        self.workdir = workdir
        self.env = {
            **os.environ,
            "NCPFLOW_DATABASE_URL": database_url,
            "NCPFLOW_CONFIG": str(ROOT / "config.toml"),
            "PYTHONIOENCODING": "utf-8",
        }

    def __call__(self, *args: str, check: bool | None = None) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "ncpflow", *args],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check is True:
            assert result.returncode == 0, result.stderr
        return result

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "ncpflow", *args],
            cwd=self.workdir,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


@pytest.fixture
def cli(tmp_path: Path, database_url: str) -> Cli:
    return Cli(tmp_path, database_url)


class InProcessCli:
    """Runs `ncpflow.cli.main` in this process (fast); same code path as the installed command."""

    def __init__(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        database_url: str,
        config: Path,
    ) -> None:
        self.capsys = capsys
        monkeypatch.setenv("NCPFLOW_DATABASE_URL", database_url)
        monkeypatch.setenv("NCPFLOW_CONFIG", str(config))
        monkeypatch.setenv("NCPFLOW_LOG_LEVEL", "warning")

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        from ncpflow.cli import main

        self.capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        captured = self.capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, captured.out, captured.err)

    def json(self, *args: str) -> Any:
        import json

        result = self(*args)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def ncp(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> InProcessCli:
    return InProcessCli(capsys, monkeypatch, database_url, ROOT / "config.toml")


@pytest.fixture(autouse=True)
def _fresh_structlog() -> Iterator[None]:
    """The in-process CLI configures structlog; no test sees another's configuration."""
    import logging

    import structlog

    yield
    structlog.reset_defaults()
    root = logging.getLogger()  # nor its stdlib handler, bound to this test's stderr
    for handler in [h for h in root.handlers if h.get_name() == "ncpflow-structlog"]:
        root.removeHandler(handler)
