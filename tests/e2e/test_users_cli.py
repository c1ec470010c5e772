"""`ncpflow users disable|enable|tokens|new-token|revoke-token|totp`, and passwords that never
travel on the command line (issue 10, item 11)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from tests.conftest import ROOT, InProcessCli, make_settings
from workflow import users
from workflow.bootstrap import bootstrap


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_a_password_on_the_command_line_is_refused(
    ncp: InProcessCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--password VALUE` is gone (argv is visible to every user); stdin or a prompt only."""
    refused = ncp("users", "add", "hanna", "--role", "handler", "--password", "long secret 1")
    assert refused.returncode == 2
    assert ncp.json("users", "list", "--json") == []  # nothing written
    _stdin(monkeypatch, "long enough secret\n")
    made = ncp("users", "add", "hanna", "--role", "handler", "--password-stdin", "--json")
    assert made.returncode == 0, made.stderr
    assert ncp.json("users", "list", "--json")[0]["password"] is True
    assert ncp("users", "passwd", "hanna", "--password", "another secret").returncode == 2
    _stdin(monkeypatch, "")
    empty = ncp("users", "passwd", "hanna", "--password-stdin")
    assert empty.returncode == 2 and "--password-stdin" in empty.stderr


def test_users_passwd_prompts_twice_without_echo(tmp_path: Path, sqlite_url: str) -> None:
    """Without --password-stdin the password is asked for twice, hidden; a mismatch asks again."""
    env = {
        **os.environ,
        "NCPFLOW_DATABASE_URL": sqlite_url,
        "NCPFLOW_CONFIG": str(ROOT / "config.toml"),
        "NCPFLOW_LOG_LEVEL": "warning",
    }
    subprocess.run(
        [sys.executable, "-m", "ncpflow", "users", "add", "hanna", "--role", "handler"],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    done = subprocess.run(
        [sys.executable, "-m", "ncpflow", "users", "passwd", "hanna"],
        input="long enough secret\nlong enough secret\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "long enough secret" not in done.stdout + done.stderr
    services = bootstrap(make_settings(sqlite_url))
    try:
        assert users.check_password(uow=services.uow, name="hanna", password="long enough secret") is not None
    finally:
        services.close()


def test_disable_and_enable_are_audited_and_refuse_the_token(ncp: InProcessCli, database_url: str) -> None:
    """A disabled user's token is refused by a running app at once; enable restores it."""
    token = ncp.json("users", "add", "hanna", "--role", "handler", "--json")["token"]
    services = bootstrap(make_settings(database_url))
    try:
        with TestClient(create_app(services, secret="x" * 32)) as client:
            bearer = {"Authorization": f"Bearer {token}"}
            assert client.get("/api/cases", headers=bearer).status_code == 200
            assert ncp("users", "disable", "hanna", "--actor", "root").returncode == 0
            assert client.get("/api/cases", headers=bearer).status_code == 401
            again = ncp("users", "disable", "hanna", "--actor", "root")
            assert again.returncode == 2 and "already disabled" in again.stderr
            assert ncp.json("users", "list", "--json")[0]["disabled"] is True
            assert ncp("users", "enable", "hanna", "--actor", "root").returncode == 0
            assert client.get("/api/cases", headers=bearer).status_code == 200
    finally:
        services.close()
    unknown = ncp("users", "disable", "nobody", "--actor", "root")
    assert unknown.returncode == 2 and "no user named 'nobody'" in unknown.stderr
    log = ncp("audit", "log").stdout
    assert "user_disabled" in log and "user_enabled" in log


def test_tokens_are_listed_issued_and_revoked_one_by_one(ncp: InProcessCli, database_url: str) -> None:
    """`users tokens` lists ids (never tokens); `new-token` adds one; `revoke-token` ends one."""
    first = ncp.json("users", "add", "hanna", "--role", "handler", "--json")["token"]
    second = ncp.json("users", "new-token", "hanna", "--actor", "root", "--json")
    listed = ncp.json("users", "tokens", "hanna", "--json")
    assert [t["active"] for t in listed] == [True, True]
    assert second["id"] in {t["id"] for t in listed}
    assert first not in ncp("users", "tokens", "hanna").stdout
    first_id = users.token_hash(first)[:12]
    services = bootstrap(make_settings(database_url))
    try:
        with TestClient(create_app(services, secret="x" * 32)) as client:
            one = {"Authorization": f"Bearer {first}"}
            two = {"Authorization": f"Bearer {second['token']}"}
            assert client.get("/api/cases", headers=one).status_code == 200
            done = ncp("users", "revoke-token", "hanna", first_id, "--actor", "root")
            assert done.returncode == 0, done.stderr
            assert client.get("/api/cases", headers=one).status_code == 401
            assert client.get("/api/cases", headers=two).status_code == 200
            assert ncp("users", "revoke-token", "hanna", "--all", "--actor", "root").returncode == 0
            assert client.get("/api/cases", headers=two).status_code == 401
    finally:
        services.close()
    assert [t["active"] for t in ncp.json("users", "tokens", "hanna", "--json")] == [False, False]
    assert ncp("users", "revoke-token", "hanna", "--actor", "root").returncode == 2
    wrong = ncp("users", "revoke-token", "hanna", "nosuchid", "--actor", "root")
    assert wrong.returncode == 2 and "no token 'nosuchid'" in wrong.stderr
    log = ncp("audit", "log").stdout
    assert "token_issued" in log and "token_revoked" in log and first not in log


def test_totp_enrolment_prints_the_secret_once_and_can_be_removed(ncp: InProcessCli) -> None:
    """`users totp NAME` stores a secret and prints its otpauth URI; `--remove` takes it away."""
    ncp.json("users", "add", "root", "--role", "admin", "--json")
    made = ncp.json("users", "totp", "root", "--actor", "root", "--json")
    assert made["uri"].startswith("otpauth://totp/") and len(made["secret"]) >= 16
    assert pyotp.parse_uri(made["uri"]).secret == made["secret"]
    assert ncp.json("users", "list", "--json")[0]["totp"] is True
    assert made["secret"] not in ncp("audit", "log").stdout
    assert ncp("users", "totp", "root", "--remove", "--actor", "root").returncode == 0
    assert ncp.json("users", "list", "--json")[0]["totp"] is False
    again = ncp("users", "totp", "root", "--remove", "--actor", "root")
    assert again.returncode == 2 and "no second factor" in again.stderr


def test_serve_refuses_a_secret_key_shorter_than_32_bytes(sqlite_url: str, tmp_path: Path) -> None:
    """`NCPFLOW_SECRET_KEY=short ncpflow serve` stops at once with exit 2 and says why."""
    env = {
        **os.environ,
        "NCPFLOW_DATABASE_URL": sqlite_url,
        "NCPFLOW_CONFIG": str(ROOT / "config.toml"),
        "NCPFLOW_SECRET_KEY": "too-short-key",
    }
    result = subprocess.run(
        [sys.executable, "-m", "ncpflow", "serve", "--port", "1", "--no-scheduler"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "NCPFLOW_SECRET_KEY holds 13 bytes" in result.stderr and "at least 32" in result.stderr
    assert "Traceback" not in result.stderr
