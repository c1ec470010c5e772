"""API tokens found in the database are remembered briefly; unknown tokens never are."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from ncpflow.web.auth import TokenCache
from states.users import User
from tests.conftest import ROOT
from workflow import audit, users
from workflow.bootstrap import Services, bootstrap
from workflow.config import load_settings


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


def test_a_cached_token_is_looked_up_once_and_then_checked_by_its_users_stamp(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within the TTL a token's full lookup runs once; each later request reads the stamp."""
    token = users.add_user(
        uow=services.uow, clock=services.clock, name="hanna", role="handler", actor="test"
    ).token
    calls = {"by_token": 0, "still_valid": 0}
    for name in calls:
        real = getattr(users, name)

        def counting(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(users, name, counting)
    with TestClient(create_app(services, secret="test-secret")) as client:
        good = {"Authorization": f"Bearer {token}"}
        bad = {"Authorization": "Bearer ncp_not-a-real-token"}
        for _ in range(3):
            assert client.get("/api/audit?limit=1", headers=good).status_code == 200
        assert calls == {"by_token": 1, "still_valid": 2}
        for _ in range(3):
            assert client.get("/api/audit?limit=1", headers=bad).status_code == 401
        assert calls == {"by_token": 4, "still_valid": 2}  # unknown tokens are never kept


@pytest.mark.parametrize("change", ["disable", "revoke_one", "revoke_all"])
def test_a_disabled_user_or_revoked_token_is_refused_at_once_despite_the_cache(
    services: Services, database_url: str, change: str
) -> None:
    """Disabling a user or revoking a token in another process ends a cached token at once."""
    made = users.add_user(uow=services.uow, clock=services.clock, name="hanna", role="handler", actor="test")
    other = users.issue_token(uow=services.uow, clock=services.clock, name="hanna", actor="test")
    # Another process: its own engine and unit of work on the same database.
    elsewhere = bootstrap(load_settings(ROOT / "config.toml", database_url=database_url))
    with TestClient(create_app(services, secret="test-secret")) as client:
        first = {"Authorization": f"Bearer {made.token}"}
        second = {"Authorization": f"Bearer {other.token}"}
        assert client.get("/api/cases", headers=first).status_code == 200  # cached now
        assert client.get("/api/cases", headers=second).status_code == 200
        if change == "disable":
            users.set_disabled(
                uow=elsewhere.uow, clock=elsewhere.clock, name="hanna", disabled=True, actor="root"
            )
        else:
            first_id = users.token_hash(made.token)[:12]
            users.revoke_token(
                uow=elsewhere.uow,
                clock=elsewhere.clock,
                name="hanna",
                token_id=first_id if change == "revoke_one" else None,
                actor="root",
            )
        elsewhere.close()
        answer = client.get("/api/cases", headers=first)
        assert answer.status_code == 401 and answer.json()["error"] == "unauthorized"
        assert client.get("/api/cases", headers=second).status_code == (
            200 if change == "revoke_one" else 401
        )
        if change == "disable":
            users.set_disabled(
                uow=services.uow, clock=services.clock, name="hanna", disabled=False, actor="root"
            )
            assert client.get("/api/cases", headers=first).status_code == 200
    kinds = [e.kind for e in audit.audit_entries(uow=services.uow)]
    assert ("user_disabled" if change == "disable" else "token_revoked") in kinds
