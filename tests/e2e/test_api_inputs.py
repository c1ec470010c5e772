"""The API under the same input contract as the command line: bounded dates, nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from tests.conftest import ROOT
from workflow import users
from workflow.bootstrap import Services, bootstrap
from workflow.clock import FixedClock
from workflow.config import load_settings
from workflow.rotation import sync_members

CASE = {
    "title": "Mine tailings",
    "enterprises": ["Nordic Metals ASA"],
    "submitters": ["Friends of the Fjord"],
}


@pytest.fixture
def app(database_url: str, clock: FixedClock) -> Iterator[tuple[TestClient, Services, dict[str, str]]]:
    settings = load_settings(ROOT / "config.toml", database_url=database_url)
    services = bootstrap(settings, clock=clock)
    sync_members(uow=services.uow, clock=clock, settings=settings)
    made = users.add_user(uow=services.uow, clock=clock, name="hanna", role="handler", actor="test")
    with TestClient(create_app(services, secret="test-secret")) as client:
        yield client, services, {"Authorization": f"Bearer {made.token}"}
    services.close()


def _everything(client: TestClient, headers: dict[str, str]) -> tuple[Any, Any]:
    cases = client.get("/api/cases", headers=headers)
    audit = client.get("/api/audit", headers=headers)
    assert cases.status_code == 200 and audit.status_code == 200, (cases.text, audit.text)
    return cases.json(), audit.json()


@pytest.mark.parametrize(
    "received",
    [
        "0999-06-01",
        "0001-01-01",
        "1975-12-31",
        "2200-01-01",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59Z",
        "",
    ],
)
def test_a_receipt_date_out_of_range_answers_422_and_writes_nothing(
    app: tuple[TestClient, Services, dict[str, str]], received: str
) -> None:
    """POST /api/cases with received 0999-06-01 or 0001-01-01: 422, not a poisoned database."""
    client, _, headers = app
    client.post("/api/cases", json={**CASE, "received": "2025-05-30"}, headers=headers)
    before = _everything(client, headers)
    response = client.post("/api/cases", json={**CASE, "received": received}, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_input"
    assert _everything(client, headers) == before
    assert client.get("/api/deadlines.ics", headers=headers).status_code == 200
    assert client.get("/", headers=headers, follow_redirects=False).status_code in {200, 303}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("transitions", {"trigger": "begin_assessment", "reason": "r", "at": "0999-06-01"}),
        ("pause", {"reason": "r", "at": "0001-01-01"}),
        ("extend", {"deadline": "acknowledgement", "reason": "r", "days": 99_999_999}),
        ("extend", {"deadline": "acknowledgement", "reason": "r", "months": 95_000}),
    ],
)
def test_steps_out_of_range_answer_422_and_write_nothing(
    app: tuple[TestClient, Services, dict[str, str]], path: str, body: dict[str, Any]
) -> None:
    """The same bounds hold for every write the API offers."""
    client, _, headers = app
    made = client.post("/api/cases", json={**CASE, "received": "2025-05-30"}, headers=headers)
    reference = made.json()["reference"]
    before = _everything(client, headers)
    response = client.post(f"/api/cases/{reference}/{path}", json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert _everything(client, headers) == before
