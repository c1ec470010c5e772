"""Each page is read from one database snapshot: one read transaction per request, however
many parts (the case, its lead and panel, its audit trail; the members and the rotation)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from tests.conftest import ROOT
from tests.e2e.test_pages_http import Site
from workflow import users
from workflow.bootstrap import bootstrap
from workflow.clock import FixedClock
from workflow.config import load_settings
from workflow.rotation import sync_members


@pytest.fixture
def site(database_url: str, clock: FixedClock) -> Iterator[Site]:
    settings = load_settings(ROOT / "config.toml", database_url=database_url)
    services = bootstrap(settings, clock=clock)
    sync_members(uow=services.uow, clock=clock, settings=settings)
    with TestClient(create_app(services, secret="test-secret")) as client:
        yield Site(client, services)
    services.close()


def _transactions(
    site: Site, monkeypatch: pytest.MonkeyPatch, path: str, body: dict[str, Any] | None = None
) -> int:
    """How many connections (one transaction each) answering GET `path` (POST `body`) took."""
    source = site.services.uow.source  # type: ignore[attr-defined]
    taken = [0]
    checkout = source.checkout

    def counted(*args: Any, **kwargs: Any) -> Any:
        taken[0] += 1
        return checkout(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(source, "checkout", counted)
        answer = site.client.get(path) if body is None else site.client.post(path, json=body)
    assert answer.status_code == 200, answer.text
    return taken[0]


@pytest.mark.parametrize("path", ["/cases/{ref}", "/audit", "/audit?case={ref}", "/members"])
def test_a_page_reads_everything_it_shows_in_one_transaction(
    site: Site, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """The case, audit and members pages each take one read transaction: one snapshot."""
    site.user("hanna", "admin")
    ref = site.case("Fjord case", date(2025, 5, 1))
    site.sign_in("hanna")
    assert _transactions(site, monkeypatch, path.format(ref=ref)) == 1


def test_the_api_reads_a_case_and_its_lead_in_one_transaction(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GET /api/cases/{ref}: the case and its lead and panel come from one read (besides the
    cached token's check that its user is still enabled and unchanged, a read of its own)."""
    token = users.add_user(
        uow=site.services.uow,
        clock=site.services.clock,
        name="api",
        role="handler",
        member_id=None,
        actor="test",
    ).token
    ref = site.case("Fjord case", date(2025, 5, 1))
    site.client.headers["Authorization"] = f"Bearer {token}"
    site.client.get(f"/api/cases/{ref}")  # the token is looked up once, then cached
    # The cached token's stamp is read afresh (a user disabled or a token revoked in another
    # process is refused at once), on a pooled connection of its own: on SQLite as one
    # autocommit statement outside any transaction, on PostgreSQL as a read. Then one read for
    # the case, its lead and its panel.
    assert _transactions(site, monkeypatch, f"/api/cases/{ref}") == 1 + 1


def test_the_api_answers_a_transition_from_inside_its_write_transaction(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """POST /api/cases/{ref}/transitions: the answer (the case, its lead and panel) is built in
    the write transaction itself, so it shows the state just written and costs no read of its
    own; only the cached token's stamp check comes on top (a pooled connection of its own,
    outside a transaction on SQLite)."""
    token = users.add_user(
        uow=site.services.uow,
        clock=site.services.clock,
        name="api",
        role="handler",
        member_id=None,
        actor="test",
    ).token
    ref = site.case("Fjord case", date(2025, 5, 1))
    site.client.headers["Authorization"] = f"Bearer {token}"
    site.client.get(f"/api/cases/{ref}")  # the token is looked up once, then cached
    taken = _transactions(
        site,
        monkeypatch,
        f"/api/cases/{ref}/transitions",
        {"trigger": "begin_assessment", "reason": "Receipt acknowledged"},
    )
    assert taken == 1 + 1
    # What the answer said is what was committed: the state it reports is the stored one.
    stored = site.client.get(f"/api/cases/{ref}").json()
    assert stored["state"] == "initial_assessment" and stored["version"] == 2
