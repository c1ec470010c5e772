"""Shared by the page tests: a site with one handler signed in and one case (`site`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from tests.conftest import ROOT
from tests.helpers import csrf_of, sign_in
from workflow import cases, users
from workflow.bootstrap import Services, bootstrap
from workflow.config import load_settings
from workflow.rotation import sync_members

PASSWORD = "correct horse battery"


class Site:
    def __init__(self, client: TestClient, services: Services, url: str) -> None:
        self.client, self.services, self.url = client, services, url
        users.add_user(
            uow=services.uow,
            clock=services.clock,
            name="hanna",
            role="handler",
            member_id=None,
            actor="test",
            password=PASSWORD,
        )
        users.add_user(  # the admin pages' user (tests/e2e/page_walk.py's sample)
            uow=services.uow,
            clock=services.clock,
            name="ada",
            role="admin",
            actor="test",
            password=PASSWORD,
        )
        self.reference = cases.open_case(
            uow=services.uow,
            clock=services.clock,
            policy=services.policy,
            reference_prefix="NCP",
            title="Mine tailings",
            submitters=[cases.PartyInput("Friends of the Fjord")],
            enterprises=[cases.PartyInput("Nordic Metals ASA")],
            actor="test",
            received=date(2025, 1, 31),
        ).reference
        assert sign_in(client, "hanna", PASSWORD).status_code == 303

    def csrf(self, path: str) -> str:
        return csrf_of(self.client.get(path).text)

    def sign_in_as(self, name: str, role: str, member: str | None = None) -> None:
        """A new user with `role` (linked to `member`), signed in instead of the handler."""
        users.add_user(
            uow=self.services.uow,
            clock=self.services.clock,
            name=name,
            role=role,
            member_id=member,
            actor="test",
            password=PASSWORD,
        )
        self.client.cookies.clear()
        assert sign_in(self.client, name, PASSWORD).status_code == 303


@pytest.fixture
def site(sqlite_url: str) -> Iterator[Site]:
    settings = load_settings(ROOT / "config.toml", database_url=sqlite_url)
    services = bootstrap(settings)
    sync_members(uow=services.uow, clock=services.clock, settings=settings)
    app = create_app(services, secret="test-secret")
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Site(client, services, sqlite_url)
    services.close()
