"""The hostile-input corpus (tests/e2e/hostile_inputs.py) against every entry point.

For each input: the documented exit code or HTTP status, no traceback on stderr or in a body,
no 5xx, and every table of the database exactly as before (tests/dbdump.py). The command line
runs in this process (`ncpflow.cli.main`), except the inputs that only a real process can
carry (bytes that are not UTF-8 in argv or the environment). Everything runs on SQLite; the
inputs that reach the database run on PostgreSQL too.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from fastapi.testclient import TestClient
from sqlalchemy.pool import NullPool

from ncpflow.web.app import create_app
from tests.conftest import ROOT, _fresh_postgres
from tests.dbdump import Dumper
from tests.e2e.hostile_inputs import ENTRIES, ESC, Entry
from tests.helpers import csrf_of, sign_in
from workflow import audit, exports, users
from workflow.bootstrap import bootstrap
from workflow.config import load_settings
from workflow.rotation import sync_members

SECRET = "hostile-corpus-secret-key-of-at-least-32-bytes"
PASSWORD = "correct horse battery staple"
ROLES = {"handler": "hanna", "admin": "ada", "auditor": "audrey"}


class World:
    """One populated database, its config, an app over it, and files the inputs point at.

    The populated database is kept aside (a file copy, or a PostgreSQL template database):
    an input that did change the database (a failing entry) is reported, and the next entry
    starts from the populated state again."""

    def __init__(self, folder: Path, url: str) -> None:
        self.folder, self.url = folder, url
        self.key = folder / "audit.key"
        audit.keygen(self.key)  # the Ed25519 signing key
        audit.keygen(folder / "hmac.key", audit.KeyKind.hmac)
        self.scratch()
        self.log = folder / "checkpoints.jsonl"
        self.config = folder / "config.toml"
        text = (ROOT / "config.toml").read_text(encoding="utf-8")
        self.config.write_text(
            text.replace(
                "\n[audit]\n", f'\n[audit]\nsigning_key_file = "{self.key}"\ncheckpoint_file = "{self.log}"\n'
            ),
            encoding="utf-8",
        )
        self.places = {
            "@DIR@": str(folder),
            "@KEY@": str(self.key),
            "@EMPTY@": str(folder / "empty"),
            "@BINARY@": str(folder / "binary"),
            "@HMAC@": str(folder / "hmac.key"),
        }
        self.tokens: dict[str, str] = {}
        self.cookies: dict[str, str] = {}
        self.export = b""
        self.dumper = Dumper(url)
        self.baseline: dict[str, Any] = {}
        self._open()

    def scratch(self) -> None:
        """The files inputs point at, as they were (an input may have written one)."""
        (self.folder / "empty").write_bytes(b"")
        (self.folder / "binary").write_bytes(bytes(range(256)))

    def _open(self) -> None:
        self.services = bootstrap(load_settings(self.config, database_url=self.url))
        app = create_app(self.services, secret=SECRET)
        self.client = TestClient(app, raise_server_exceptions=False, cookies=self.cookies)
        self.anonymous = TestClient(app, raise_server_exceptions=False)

    def _close(self) -> None:
        self.client.close()
        self.anonymous.close()
        self.services.close()

    def _admin(self, sql: str) -> None:
        engine = sqlalchemy.create_engine(
            "postgresql+psycopg://" + self.url.removeprefix("postgresql://").rsplit("/", 1)[0] + "/postgres",
            isolation_level="AUTOCOMMIT",
            poolclass=NullPool,
        )
        with engine.connect() as conn:
            conn.exec_driver_sql(sql)
        engine.dispose()

    def keep(self) -> None:
        """Set the populated state aside."""
        self.cookies = dict(self.client.cookies)
        self._close()
        shutil.copy(self.log, self.folder / "checkpoints.kept")
        if self.url.startswith("sqlite:///"):
            shutil.copy(self.url.removeprefix("sqlite:///"), self.folder / "kept.db")
        else:
            name = self.url.rsplit("/", 1)[1]
            self._admin(f"CREATE DATABASE {name}_kept TEMPLATE {name}")
        self._open()
        self.baseline = self.dumper.dump()

    def restore(self) -> None:
        """Back to the populated state."""
        self._close()
        shutil.copy(self.folder / "checkpoints.kept", self.log)
        if self.url.startswith("sqlite:///"):
            path = Path(self.url.removeprefix("sqlite:///"))
            for extra in ("-wal", "-shm"):
                path.with_name(path.name + extra).unlink(missing_ok=True)
            shutil.copy(self.folder / "kept.db", path)
        else:
            name = self.url.rsplit("/", 1)[1]
            self._admin(f"DROP DATABASE {name} WITH (FORCE)")
            self._admin(f"CREATE DATABASE {name} TEMPLATE {name}_kept")
        self._open()

    def close(self) -> None:
        self._close()
        self.dumper.close()

    def fill(self, text: str) -> str:
        for name, value in self.places.items():
            text = text.replace(name, value)
        return text

    def fill_bytes(self, data: bytes) -> bytes:
        for name, value in self.places.items():
            data = data.replace(name.encode(), os.fsencode(value))
        return data


def _populate(world: World) -> None:
    services = world.services
    settings = load_settings(world.config, database_url=world.url)
    sync_members(uow=services.uow, clock=services.clock, settings=settings)
    for role, name in ROLES.items():
        made = users.add_user(
            uow=services.uow,
            clock=services.clock,
            name=name,
            role=role,
            member_id=None,
            actor="test",
            password=PASSWORD if role == "handler" else None,
        )
        world.tokens[role] = made.token
    handler = {"Authorization": f"Bearer {world.tokens['handler']}"}

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = world.client.post(path, json=body, headers=handler)
        assert answer.status_code in (200, 201), answer.text
        result: dict[str, Any] = answer.json()
        return result

    parties = {"enterprises": ["Nordic Metals ASA"], "submitters": ["Friends of the Fjord"]}
    ref = post("/api/cases", {"title": "Tailings dam", "received": "2025-01-31", **parties})
    post(
        f"/api/cases/{ref['reference']}/transitions",
        {"trigger": "begin_assessment", "reason": "Receipt acknowledged", "at": "2025-02-03"},
    )
    paused = post("/api/cases", {"title": "Paused case", "received": "2025-02-10", **parties})
    post(
        f"/api/cases/{paused['reference']}/pause",
        {"reason": "Parallel proceedings", "requested_by": "Nordic Metals ASA", "at": "2025-02-20"},
    )
    escaped = post(
        "/api/cases", {"title": ESC, "received": "2025-03-01", "confidential_submitter": True, **parties}
    )
    world.places.update(
        {"@REF@": ref["reference"], "@PAUSED@": paused["reference"], "@ESC@": escaped["reference"]}
    )
    audit.make_checkpoint(uow=services.uow, clock=services.clock, settings=settings)
    rows = exports.export_rows(uow=services.uow, clock=services.clock)
    world.export = b"".join(json.dumps(row, ensure_ascii=False).encode() + b"\n" for row in rows)
    _sign_in(world)
    world.keep()


@pytest.fixture(scope="module")
def sqlite_world(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("hostile-sqlite")
    shutil.copy(sqlite_template, folder / "ncpflow.db")
    world = World(folder, f"sqlite:///{folder / 'ncpflow.db'}")
    _populate(world)
    yield world
    world.close()


@pytest.fixture(scope="module")
def postgres_world(tmp_path_factory: pytest.TempPathFactory, postgres_admin_url: str) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("hostile-postgresql")
    world = World(folder, _fresh_postgres(postgres_admin_url))
    _populate(world)
    yield world
    world.close()


def _csrf(world: World, path: str) -> str:
    page = world.client.get(path)
    assert page.status_code == 200, page.text
    return csrf_of(page.text)


def _sign_in(world: World) -> None:
    answer = sign_in(world.client, ROLES["handler"], PASSWORD)
    assert answer.status_code == 303, answer.text


# ---- how each kind of input is given ---------------------------------------------------------


@dataclass
class Answer:
    code: int  # exit code or HTTP status
    text: str  # stdout and stderr, or the body
    stdout: str = ""


class InProcess:
    def __init__(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, world: World
    ) -> None:
        self.capsys = capsys
        monkeypatch.setenv("NCPFLOW_DATABASE_URL", world.url)
        monkeypatch.setenv("NCPFLOW_CONFIG", str(world.config))
        monkeypatch.setenv("NCPFLOW_LOG_LEVEL", "warning")
        monkeypatch.delenv("NCPFLOW_AUDIT_KEY", raising=False)
        monkeypatch.delenv("NCPFLOW_AUDIT_SIGNING_KEY", raising=False)
        monkeypatch.chdir(world.folder)

    def __call__(self, args: list[str]) -> Answer:
        from ncpflow.cli import main

        self.capsys.readouterr()
        crash = ""
        try:
            main(args)
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        except BaseException:  # what a user would see as a traceback
            crash = traceback.format_exc()
            code = -1
        captured = self.capsys.readouterr()
        return Answer(code, captured.out + captured.err + crash, stdout=captured.out)


def _real_process(world: World, entry: Entry) -> Answer:
    env = {
        **os.environ,
        "NCPFLOW_DATABASE_URL": world.url,
        "NCPFLOW_CONFIG": str(world.config),
        "PYTHONIOENCODING": "utf-8",
    }
    for name, value in entry.env.items():
        env[name] = world.fill(value)
    environ = {os.fsencode(k): os.fsencode(v) for k, v in env.items()}
    args = [a if isinstance(a, bytes) else world.fill(a).encode() for a in entry.args]
    try:
        done = subprocess.run(
            [sys.executable.encode(), b"-m", b"ncpflow", *args],
            env=environ,
            cwd=world.folder,
            capture_output=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired as late:
        output = (late.stdout or b"") + (late.stderr or b"")
        return Answer(-1, "still running after 30 s: " + output.decode("utf-8", "replace"))
    text = (done.stdout + done.stderr).decode("utf-8", "replace")
    return Answer(done.returncode, text)


def _config_file(world: World, entry: Entry, name: str) -> Path:
    if entry.config == "@FOLDER@":
        return world.folder
    if isinstance(entry.config, str) and entry.config.startswith("@PATH:"):
        return Path(entry.config.removeprefix("@PATH:"))
    path = world.folder / f"{name}.toml"
    content = entry.config
    assert content is not None
    path.write_bytes(
        world.fill_bytes(content) if isinstance(content, bytes) else world.fill(content).encode()
    )
    return path


def _http(world: World, entry: Entry) -> Answer:
    headers = {}
    if entry.role in world.tokens:
        headers["Authorization"] = f"Bearer {world.tokens[entry.role]}"
    path = world.fill(entry.path)
    if entry.method == "GET":
        response = world.client.get(path, headers=headers, follow_redirects=False)
    elif isinstance(entry.body, bytes):
        response = world.client.post(
            path,
            content=entry.body,
            follow_redirects=False,
            headers={**headers, "Content-Type": "application/json"},
        )
    else:
        client = world.anonymous if entry.role == "nobody" else world.client
        response = client.post(path, json=entry.body, headers=headers, follow_redirects=False)
    return Answer(response.status_code, response.text)


def _form(world: World, entry: Entry) -> Answer:
    assert entry.form is not None
    form = {k: world.fill(v) for k, v in entry.form.items()}
    if "csrf_token" not in form:
        source = "/signin" if entry.path == "/signin" else world.fill("/cases/@REF@")
        form["csrf_token"] = _csrf(world, source)
    response = world.client.post(world.fill(entry.path), data=form, follow_redirects=False)
    return Answer(response.status_code, response.text)


def _run(entry: Entry, world: World, cli: InProcess) -> Answer:
    for name, content in entry.files:
        (world.folder / name).write_bytes(world.fill_bytes(content))
    if entry.kind == "cli":
        return cli([world.fill(a) for a in entry.args if isinstance(a, str)])
    if entry.kind == "config":
        path = _config_file(world, entry, entry.id)
        return cli(["--config", str(path), *(world.fill(str(a)) for a in entry.args)])
    if entry.kind == "argv":
        return _real_process(world, entry)
    if entry.kind == "api":
        return _http(world, entry)
    if entry.kind == "page":
        return _form(world, entry)
    assert entry.kind == "file"
    content = entry.content or b""
    if content == b"@EXPORT-CUT@":
        content = world.export[: len(world.export) // 2 + 7]
    path = world.folder / f"{entry.id}.jsonl"
    path.write_bytes(content)
    return cli(["audit", "verify", "--file", str(path)])


def _extra_check(entry: Entry, world: World, answer: Answer) -> None:
    if entry.check == "no_raw_escape":
        assert "\x1b" not in answer.stdout and "\x07" not in answer.stdout, answer.stdout[:500]
    elif entry.check == "empty_file_untouched":
        assert (world.folder / "empty").stat().st_size == 0


# ---- the test -----------------------------------------------------------------------------------


def _params(backend: str) -> list[Any]:
    params = []
    for entry in ENTRIES:
        if backend == "postgresql" and not entry.storage:
            continue
        params.append(pytest.param(entry, id=f"{entry.kind}-{entry.id}"))
    return params


def test_the_corpus_has_at_least_150_distinct_inputs_across_every_entry_point() -> None:
    """The acceptance's count: 150 or more, every kind of entry point, no id twice."""
    assert len(ENTRIES) >= 150
    assert len({e.id for e in ENTRIES}) == len(ENTRIES)
    assert {e.kind for e in ENTRIES} == {"cli", "config", "argv", "api", "page", "file"}


@pytest.mark.parametrize("entry", _params("sqlite"))
def test_a_hostile_input_is_refused_cleanly_on_sqlite(
    sqlite_world: World, entry: Entry, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The documented exit code or 4xx, no traceback, no 5xx, and every table as before."""
    _check(entry, sqlite_world, InProcess(capsys, monkeypatch, sqlite_world), monkeypatch)


@pytest.mark.parametrize("entry", _params("postgresql"))
def test_a_hostile_input_is_refused_cleanly_on_postgresql(
    postgres_world: World, entry: Entry, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same for every input that reaches the database, on PostgreSQL."""
    _check(entry, postgres_world, InProcess(capsys, monkeypatch, postgres_world), monkeypatch)


def _judge(
    entry: Entry, world: World, cli: InProcess, monkeypatch: pytest.MonkeyPatch, before: dict[str, Any]
) -> None:
    if entry.kind == "cli":
        for name, value in entry.env.items():
            monkeypatch.setenv(name, world.fill(value))
        if entry.stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(entry.stdin))
    answer = _run(entry, world, cli)
    assert "Traceback" not in answer.text, answer.text[-3000:]
    assert answer.code < 500, answer.text[-2000:]
    assert answer.code in entry.expect, f"got {answer.code}: {answer.text[-2000:]}"
    for word in entry.words:
        assert word in answer.text, f"the message does not name {word!r}: {answer.text[-2000:]}"
    if entry.kind == "page" and answer.code in (409, 422):
        assert 'role="alert"' in answer.text, "a refused form comes back with a message"
    _extra_check(entry, world, answer)
    assert world.dumper.dump() == before, "the input changed the database"


def _check(entry: Entry, world: World, cli: InProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    world.scratch()
    before = world.baseline  # every input starts from the populated state
    try:
        _judge(entry, world, cli, monkeypatch, before)
    finally:
        kept = (world.folder / "checkpoints.kept").read_bytes()
        if world.dumper.dump() != before or world.log.read_bytes() != kept:
            world.restore()  # the next input starts from the populated state


def test_dump_sees_a_change_in_any_table(sqlite_url: str) -> None:
    """The dump the corpus compares is sensitive: one new row anywhere shows."""
    dumper = Dumper(sqlite_url)
    before = dumper.dump()
    assert "audit_log" in before and "cases" in before and "users" in before
    services = bootstrap(load_settings(ROOT / "config.toml", database_url=sqlite_url))
    users.add_user(
        uow=services.uow, clock=services.clock, name="someone", role="handler", member_id=None, actor="test"
    )
    services.close()
    assert dumper.dump() != before
    dumper.close()
