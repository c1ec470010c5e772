"""The NCPs of a case through the command line and the API, on SQLite and PostgreSQL: each
change audited; refusals exit 2 (422) naming the input, with nothing written; review comments
withheld from readers who may not read NCP-internal material."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import InProcessCli
from tests.e2e.test_api import Api, running_api
from workflow.clock import FixedClock


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as made:
        yield made


def _log(ncp: InProcessCli, ref: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in ncp("audit", "log", ref).stdout.splitlines()]


def test_the_ncps_of_a_case_through_the_command_line(ncp: InProcessCli) -> None:
    """coordinate, add, role, prefer, lead (agreeing the coordination), transfer, show."""
    ref = ncp.json(
        "case", "open", "--title", "Mine tailings", "--enterprise", "Nordic Metals ASA",
        "--submitter", "Friends of the Fjord", "--received", "2025-05-30", "--actor", "sek", "--json",
    )["reference"]  # fmt: skip
    shown = ncp.json("case", "ncp", "coordinate", ref, "--on", "2025-06-01", "--actor", "sek", "--json")
    assert (shown["coordination"], shown["coordination_due"]) == ("open", "2025-07-01")
    ncp("case", "ncp", "add", ref, "se", "--role", "consulted", "--actor", "sek")
    ncp("case", "ncp", "role", ref, "SE", "--role", "reviews_drafts", "--actor", "sek", "--reason", "drafts")
    ncp("case", "ncp", "prefer", ref, "DK", "--note", "Danish parent", "--actor", "sek")
    before = _log(ncp, ref)
    bad = ncp("case", "ncp", "lead", ref, "NO", "SE", "DK", "--actor", "sek")
    assert bad.returncode == 2 and "NCP" in bad.stderr
    wrong = ncp("case", "ncp", "add", ref, "FI", "--role", "judges", "--actor", "sek")
    assert wrong.returncode == 2 and "--role: unknown role 'judges'" in wrong.stderr
    assert _log(ncp, ref) == before
    agreed = ncp.json("case", "ncp", "lead", ref, "NO", "DK", "--actor", "sek", "--json")
    assert (agreed["lead"], agreed["coordination"], agreed["position"]) == (
        ["NO", "DK"],
        "agreed",
        "joint_lead",
    )
    handed = ncp.json(
        "case", "ncp", "transfer", ref, "--to", "SE", "--keep-as", "none", "--reason", "handover",
        "--actor", "sek", "--json",
    )  # fmt: skip
    assert (handed["lead"], handed["supporting"]) == (["SE"], [])
    text = ncp("case", "ncp", "show", ref).stdout
    assert "lead SE" in text and "complainant prefers DK (Danish parent)" in text
    kinds = [e["kind"] for e in _log(ncp, ref)][len(before) :]
    assert kinds == ["fact_recorded", "ncp_lead_set", "ncp_lead_transferred"]
    assert ncp("audit", "verify").returncode == 0


def test_the_ncps_of_a_case_through_the_api(api: Api) -> None:
    handler = api.user("sek", "handler")
    auditor = api.user("revisor", "auditor")
    ref = api.open(handler)["reference"]
    added = api.client.post(
        f"/api/cases/{ref}/ncps/supporting", json={"ncp": "se", "role": "reviews_drafts"}, headers=handler
    )
    assert added.status_code == 201, added.text
    assert added.json()["supporting"] == [{"ncp": "SE", "role": "reviews_drafts"}]
    refused = api.client.post(f"/api/cases/{ref}/ncps/lead", json={"lead": ["XX"]}, headers=handler)
    assert refused.status_code == 422 and "lead" in refused.text
    assert (
        api.client.post(f"/api/cases/{ref}/ncps/lead", json={"lead": ["SE"]}, headers=auditor).status_code
        == 403
    )
    api.client.post(
        f"/api/cases/{ref}/transitions", json={"trigger": "begin_assessment", "reason": "ok"}, headers=handler
    )
    drafted = api.client.post(
        f"/api/cases/{ref}/statements", json={"kind": "initial_assessment"}, headers=handler
    )
    assert drafted.status_code == 201, drafted.text
    asked = api.client.post(f"/api/cases/{ref}/ncps/reviews", json={"statement": 1}, headers=handler)
    assert asked.status_code == 201 and asked.json()["reviews"][0]["status"] == "open"
    answered = api.client.post(
        f"/api/cases/{ref}/ncps/reviews/answer",
        json={"ncp": "SE", "comment": "Internal view."},
        headers=handler,
    )
    assert answered.status_code == 200 and answered.json()["reviews"][0]["comment"] == "Internal view."
    seen = api.client.get(f"/api/cases/{ref}/ncps", headers=auditor).json()
    assert seen["reviews"][0]["status"] == "answered" and seen["reviews"][0]["comment"] is None
    handed = api.client.post(
        f"/api/cases/{ref}/ncps/transfer", json={"to": "SE", "reason": "handover"}, headers=handler
    )
    assert handed.status_code == 200 and handed.json()["lead"] == ["SE"]
