"""`ncpflow users ...` and `ncpflow serve` from the command line."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, InProcessCli
from tests.helpers import free_port, sign_in
from workflow.bootstrap import bootstrap
from workflow.config import load_settings


def test_users_add_prints_the_token_once_and_stores_a_hash(
    ncp: InProcessCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = ncp.json("users", "add", "hanna", "--role", "handler", "--json")
    assert made["name"] == "hanna" and made["role"] == "handler"
    assert made["token"].startswith("ncp_") and len(made["token"]) > 40
    again = ncp("users", "add", "hanna", "--role", "handler")
    assert again.returncode == 2 and "already exists" in again.stderr
    missing = ncp("users", "add", "mari", "--role", "member")
    assert missing.returncode == 2 and "--member" in missing.stderr
    unknown = ncp("users", "add", "mari", "--role", "member", "--member", "nobody")
    assert unknown.returncode == 2 and "no member" in unknown.stderr
    assert ncp("members", "sync").returncode == 0
    assert ncp("users", "add", "mari", "--role", "member", "--member", "member-b").returncode == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert ncp("users", "passwd", "hanna", "--password-stdin").returncode == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough secret\n"))
    done = ncp("users", "passwd", "hanna", "--password-stdin")
    assert done.returncode == 0, done.stderr
    listed = ncp.json("users", "list", "--json")
    assert [u["name"] for u in listed] == ["hanna", "mari"]
    assert listed[0]["password"] is True and "token" not in listed[0]
    log = ncp("audit", "log").stdout
    assert "user_added" in log and made["token"] not in log


def _handler_token(env: dict[str, str]) -> str:
    made = subprocess.run(
        [sys.executable, "-m", "ncpflow", "users", "add", "h", "--role", "handler", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return str(json.loads(made.stdout)["token"])


def _serve(env: dict[str, str], cwd: Path, *options: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ncpflow", "serve", "--port", str(port), *options],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    server.communicate(timeout=30)
    pytest.fail("serve did not come up")


@pytest.mark.slow
def test_serve_answers_api_and_health(sqlite_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "NCPFLOW_DATABASE_URL": sqlite_url, "NCPFLOW_CONFIG": str(ROOT / "config.toml")}
    token = _handler_token(env)
    server, base = _serve(env, tmp_path)
    try:
        headers = {"Authorization": f"Bearer {token}"}
        opened = httpx.post(
            base + "/api/cases",
            headers=headers,
            json={"title": "T", "enterprises": ["E"], "submitters": ["S"]},
        )
        assert opened.status_code == 201, opened.text
        assert httpx.get(base + "/api/cases", headers=headers).json()["total"] == 1
        assert httpx.get(base + "/api/cases").status_code == 401
        assert "/api/cases/{ref}/transitions" in httpx.get(base + "/openapi.json").json()["paths"]
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err  # a clean stop, not death by the signal
    assert "with the scheduler" in out


@pytest.mark.slow
def test_a_write_waiting_for_another_writer_does_not_stall_the_server(
    sqlite_url: str, tmp_path: Path
) -> None:
    env = {**os.environ, "NCPFLOW_DATABASE_URL": sqlite_url, "NCPFLOW_CONFIG": str(ROOT / "config.toml")}
    token = _handler_token(env)
    headers = {"Authorization": f"Bearer {token}"}
    server, base = _serve(env, tmp_path, "--no-scheduler")
    other = bootstrap(load_settings(ROOT / "config.toml", database_url=sqlite_url))
    try:
        ref = httpx.post(
            base + "/api/cases",
            headers=headers,
            json={"title": "T", "enterprises": ["E"], "submitters": ["S"]},
        ).json()["reference"]
        answers: list[httpx.Response] = []
        step = threading.Thread(
            target=lambda: answers.append(
                httpx.post(
                    f"{base}/api/cases/{ref}/transitions",
                    headers=headers,
                    timeout=60,
                    json={"trigger": "begin_assessment", "reason": "complete"},
                )
            )
        )
        with other.uow.write():  # another writer (here: this process) holds the turn
            step.start()
            time.sleep(0.5)
            assert step.is_alive() and not answers  # the step waits its turn...
            started = time.perf_counter()
            health = httpx.get(base + "/healthz", timeout=10)
            shown = httpx.get(f"{base}/api/cases/{ref}", headers=headers, timeout=10)
            waited = time.perf_counter() - started
            assert health.status_code == 200 and shown.json()["state"] == "received"
            assert waited < 2, f"the server stalled {waited:.1f}s behind another writer"
        step.join(timeout=60)
        assert answers and answers[0].status_code == 200, answers
        assert answers[0].json()["state"] == "initial_assessment"
    finally:
        other.close()
        server.terminate()
        server.communicate(timeout=30)


@pytest.mark.slow
def test_a_restart_keeps_the_signed_in_sessions(sqlite_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "NCPFLOW_DATABASE_URL": sqlite_url, "NCPFLOW_CONFIG": str(ROOT / "config.toml")}
    env.pop("NCPFLOW_SECRET_KEY", None)
    subprocess.run(
        [sys.executable, "-m", "ncpflow", "users", "add", "hanna", "--role", "handler", "--password-stdin"],
        input="long enough secret\n",
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    server, base = _serve(env, tmp_path, "--no-scheduler")
    with httpx.Client(base_url=base) as browser:
        try:
            signed = sign_in(browser, "hanna", "long enough secret")
            assert signed.status_code == 303, signed.text
            assert browser.get("/").status_code == 200
        finally:
            server.terminate()
            server.communicate(timeout=30)
        server, browser.base_url = _serve(env, tmp_path, "--no-scheduler")
        try:
            assert browser.get("/").status_code == 200  # the same cookie, a new process
        finally:
            server.terminate()
            server.communicate(timeout=30)
