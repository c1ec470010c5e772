"""Headers on every answer, no server banner, Secure cookies behind an https proxy believed only
from trusted addresses (issue 10, item 12)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from ncpflow.web.auth import SESSION_COOKIE
from tests.conftest import make_settings
from tests.helpers import free_port, sign_in
from workflow import users
from workflow.bootstrap import bootstrap
from workflow.clock import FixedClock

PASSWORD = "correct horse battery"
SECRET = "test-secret-that-is-long-enough-0123456789"


def _app(sqlite_url: str, clock: FixedClock, **web: Any) -> Any:
    services = bootstrap(make_settings(sqlite_url, web=web), clock=clock)
    if users.by_name(uow=services.uow, name="hanna") is None:
        users.add_user(
            uow=services.uow, clock=clock, name="hanna", role="handler", actor="test", password=PASSWORD
        )
    return services, create_app(services, secret=SECRET)


def _sign_in(client: TestClient, headers: dict[str, str] | None = None) -> httpx.Response:
    return sign_in(client, "hanna", PASSWORD, headers=headers)


def _session_cookie(answer: httpx.Response) -> str:
    cookies = [
        v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith(SESSION_COOKIE + "=")
    ]
    assert len(cookies) == 1, answer.headers
    return cookies[0].lower()


@pytest.fixture
def plain(sqlite_url: str, clock: FixedClock) -> Iterator[TestClient]:
    services, app = _app(sqlite_url, clock)
    with TestClient(app) as client:
        yield client
    services.close()


def test_every_answer_says_nosniff_and_a_referrer_policy(plain: TestClient) -> None:
    """Pages, API answers, errors, static files and redirects all carry both headers."""
    answers = [
        plain.get("/signin"),
        plain.get("/healthz"),
        plain.get("/api/cases"),
        plain.get("/no/such/page"),
        plain.get("/static/style.css"),
        plain.get("/", follow_redirects=False),
        plain.get("/openapi.json"),
        plain.post("/api/cases", json={}),
    ]
    for answer in answers:
        assert answer.headers["x-content-type-options"] == "nosniff", answer.url
        assert answer.headers["referrer-policy"] == "same-origin", answer.url


def test_the_session_cookie_is_not_secure_over_plain_http(plain: TestClient) -> None:
    """Over plain http (no proxy, no https public URL) the cookie cannot be Secure."""
    cookie = _session_cookie(_sign_in(plain))
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


def test_a_https_public_url_makes_the_session_cookie_secure(sqlite_url: str, clock: FixedClock) -> None:
    """`[web] public_url = "https://..."`: the cookie is Secure even though the hop is http."""
    services, app = _app(sqlite_url, clock, public_url="https://ncp.example.org")
    try:
        with TestClient(app) as client:
            assert "secure" in _session_cookie(_sign_in(client))
    finally:
        services.close()


def test_forwarded_https_counts_only_from_a_trusted_proxy(sqlite_url: str, clock: FixedClock) -> None:
    """X-Forwarded-Proto: https makes the cookie Secure from a trusted proxy, not otherwise."""
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    services, app = _app(sqlite_url, clock, trusted_proxies=["10.0.0.1"])
    try:
        with TestClient(app, client=("10.0.0.1", 4000), base_url="http://ncp") as proxy:
            assert "secure" in _session_cookie(_sign_in(proxy, forwarded))
        with TestClient(app, client=("10.0.0.2", 4000), base_url="http://ncp") as stranger:
            assert "secure" not in _session_cookie(_sign_in(stranger, forwarded))
    finally:
        services.close()
    services, app = _app(sqlite_url, clock)  # no trusted proxies at all: loopback included
    try:
        with TestClient(app, client=("127.0.0.1", 4000), base_url="http://ncp") as local:
            assert "secure" not in _session_cookie(_sign_in(local, forwarded))
    finally:
        services.close()


def test_a_trusted_proxy_forwards_the_client_address_that_the_throttle_counts(
    sqlite_url: str, clock: FixedClock
) -> None:
    """Behind a trusted proxy the sessions table records the forwarded client, not the proxy."""
    services, app = _app(sqlite_url, clock, trusted_proxies=["10.0.0.0/8"])
    try:
        with TestClient(app, client=("10.0.0.1", 4000), base_url="http://ncp") as proxy:
            _sign_in(proxy, {"X-Forwarded-For": "203.0.113.9"})
        with services.uow.read() as tx:
            rows = tx.db.all("SELECT address FROM sessions")  # type: ignore[attr-defined]
        assert rows == [("203.0.113.9",)]
    finally:
        services.close()


def test_an_untrusted_proxy_setting_is_refused_by_the_config(tmp_path: Path) -> None:
    """A trusted proxy that is no IP address or range is a config error naming it."""
    from workflow.config import ConfigError, load_settings

    config = tmp_path / "config.toml"
    config.write_text('[web]\ntrusted_proxies = ["proxy.example.org"]\n')
    with pytest.raises(ConfigError, match=r"proxy\.example\.org"):
        load_settings(config)
    config.write_text('[web]\nrequire_totp_for = ["superuser"]\n')
    with pytest.raises(ConfigError, match="superuser"):
        load_settings(config)


@pytest.mark.slow
def test_a_real_serve_sends_no_server_header_and_the_security_headers(
    sqlite_url: str, tmp_path: Path
) -> None:
    """`ncpflow serve` (uvicorn) does not announce itself; the headers arrive over the wire."""
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{sqlite_url}"\n')
    port = free_port()
    env = {**os.environ, "NCPFLOW_CONFIG": str(config), "NCPFLOW_SECRET_KEY": SECRET}
    env.pop("NCPFLOW_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "ncpflow", "serve", "--port", str(port), "--no-scheduler"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                answer = httpx.get(base + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("serve did not come up")
        for seen in [answer, httpx.get(base + "/signin"), httpx.get(base + "/api/cases")]:
            assert "server" not in seen.headers, seen.headers
            assert seen.headers["x-content-type-options"] == "nosniff"
            assert seen.headers["referrer-policy"] == "same-origin"
        # uvicorn's own default would believe X-Forwarded-Proto from 127.0.0.1; serve does not.
        signin = httpx.get(base + "/signin", headers={"X-Forwarded-Proto": "https"})
        assert "secure" not in signin.headers.get("set-cookie", "").lower()
    finally:
        server.terminate()
        server.communicate(timeout=30)
