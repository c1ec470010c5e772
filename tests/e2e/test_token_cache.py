"""API tokens found in the database are remembered briefly; unknown tokens never are."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from ncpflow.web.auth import TokenCache
from states.users import User
from workflow import users
from workflow.bootstrap import Services


def test_a_remembered_user_is_forgotten_after_the_ttl() -> None:
    cache = TokenCache(ttl=0.2)
    hanna = User(name="hanna", role="handler")
    cache.put("key", hanna)
    assert cache.get("key") == hanna
    assert cache.get("other") is None
    time.sleep(0.25)
    assert cache.get("key") is None


def test_the_cache_stays_bounded_under_a_burst_of_tokens() -> None:
    cache = TokenCache(ttl=60, size=3)
    for n in range(10):
        cache.put(f"k{n}", User(name=f"u{n}", role="auditor"))
    assert cache.get("k9") is not None and cache.get("k0") is None


def test_a_valid_token_is_read_from_the_database_once_within_the_ttl(services: Services) -> None:
    token = users.add_user(uow=services.uow, clock=services.clock, name="hanna", role="handler",
                           actor="test").token
    reads = 0
    real_read = services.uow.read

    def counting_read():  # type: ignore[no-untyped-def]
        nonlocal reads
        reads += 1
        return real_read()

    app = create_app(services, secret="test-secret")
    services.uow.read = counting_read  # type: ignore[method-assign]
    try:
        with TestClient(app) as client:
            good = {"Authorization": f"Bearer {token}"}
            bad = {"Authorization": "Bearer ncp_not-a-real-token"}
            for _ in range(3):
                assert client.get("/api/audit?limit=1", headers=good).status_code == 200
            after_good = reads
            for _ in range(3):
                assert client.get("/api/audit?limit=1", headers=bad).status_code == 401
            unknown_reads = reads - after_good
    finally:
        services.uow.read = real_read  # type: ignore[method-assign]
    # Three audit pages read the log three times, the token once; each bad token is looked up.
    assert after_good == 3 + 1
    assert unknown_reads == 3
