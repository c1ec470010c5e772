"""External mediators through the command line and the API, on SQLite and PostgreSQL: the
register, assignment refused on a hard conflict (nothing written) and allowed with an audited
override, sessions; a mediator's API token reaches only its own cases (any other is 404)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import InProcessCli
from tests.e2e.test_api import Api, running_api
from workflow import users
from workflow.clock import FixedClock


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as made:
        yield made


def _log(ncp: InProcessCli, ref: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in ncp("audit", "log", ref).stdout.splitlines()]


def test_mediators_through_the_command_line(ncp: InProcessCli) -> None:
    """add, list, change, assign (refused, then overridden), session, sessions, unassign; a
    mediator user added with --mediator."""
    ref = ncp.json(
        "case", "open", "--title", "Mine tailings", "--enterprise", "Nordic Metals ASA",
        "--submitter", "Friends of the Fjord", "--received", "2025-05-30", "--actor", "sek", "--json",
    )["reference"]  # fmt: skip
    made = ncp.json(
        "mediator", "add", "kari", "Kari Nordmann", "--email", "kari@example.org", "--language", "nb",
        "--language", "EN", "--conflict", "Nordic Metals ASA", "--soft-conflict", "=123456789",
        "--actor", "sek", "--json",
    )  # fmt: skip
    assert made["languages"] == ["nb", "en"] and made["conflicts"] == ["Nordic Metals ASA"]
    assert "kari: Kari Nordmann" in ncp("mediator", "list").stdout
    bad = ncp("mediator", "add", "x y", "X", "--email", "nope", "--actor", "sek")
    assert bad.returncode == 2 and "ID 'x y' is not an id" in bad.stderr
    before = _log(ncp, ref)
    refused = ncp("mediator", "assign", ref, "--mediator", "kari", "--actor", "sek")
    assert refused.returncode == 2
    assert "mediator 'kari' (Kari Nordmann) has a hard conflict with party enterprise-1" in refused.stderr
    assert "--override" in refused.stderr
    assert _log(ncp, ref) == before
    assigned = ncp.json(
        "mediator",
        "assign",
        ref,
        "--mediator",
        "kari",
        "--override",
        "Agreed by both",
        "--actor",
        "sek",
        "--json",
    )
    assert [c["party"] for c in assigned["conflicts"]] == ["enterprise-1"]
    (entry,) = [e for e in _log(ncp, ref) if e["kind"] == "mediator_assigned"]
    assert entry["data"]["override"] == "Agreed by both"
    changed = ncp.json("mediator", "change", "kari", "--competence", "Mining", "--actor", "sek", "--json")
    assert changed == {"mediator": "kari", "changed": ["competence"]}
    session = ncp.json(
        "mediator", "session", ref, "--starts", "2025-06-10T10:00", "--format", "video",
        "--attendee", "submitter-1", "--interpreter", "fr", "--notes", "Internal", "--actor", "sek", "--json",
    )  # fmt: skip
    assert session["starts_at"] == "2025-06-10T08:00:00+00:00" and session["notes"] == "Internal"
    wrong = ncp("mediator", "session", ref, "--starts", "soon", "--format", "fax", "--actor", "sek")
    assert wrong.returncode == 2 and "--format" in wrong.stderr
    lines = ncp("mediator", "sessions", ref).stdout
    assert "session 1" in lines and "hard conflict" in lines and "override: Agreed by both" in lines
    user = ncp("users", "add", "kari-user", "--role", "mediator", "--mediator", "kari", "--actor", "root")
    assert user.returncode == 0, user.stderr
    ncp("mediator", "unassign", ref, "--mediator", "kari", "--actor", "sek")
    assert ncp.json("mediator", "list", "--json")[0]["cases"] == []


def test_a_mediator_token_reaches_only_its_own_cases_through_the_api(api: Api) -> None:
    """The handler keeps the register and assigns (a hard conflict refused with 422 naming
    `override`); the mediator's token lists, finds and reads its case, records a session on it,
    and gets 404 for the other case on every route, as for a case that does not exist."""
    handler = api.user("sek", "handler")
    mine = api.open(handler)["reference"]
    other = api.open(handler, title="Other matter", enterprises=["Other Company AS"])["reference"]
    added = api.client.post(
        "/api/mediators",
        json={
            "id": "kari",
            "name": "Kari Nordmann",
            "email": "kari@example.org",
            "conflicts": ["=923456789"],
        },
        headers=handler,
    )
    assert added.status_code == 201, added.text
    assign = api.client.post(f"/api/cases/{mine}/mediators", json={"mediator": "kari"}, headers=handler)
    assert assign.status_code == 201, assign.text
    made = users.add_user(
        uow=api.services.uow,
        clock=api.services.clock,
        name="kari-user",
        role="mediator",
        mediator_id="kari",
        actor="test",
    )
    mediator = {"Authorization": f"Bearer {made.token}"}
    listed = api.client.get("/api/cases", headers=mediator).json()
    assert [c["reference"] for c in listed["items"]] == [mine]
    found = api.client.get("/api/cases/search", headers=mediator).json()
    assert [c["reference"] for c in found["items"]] == [mine]
    assert other not in api.client.get("/api/deadlines.ics", headers=mediator).text
    assert api.client.get(f"/api/cases/{mine}", headers=mediator).status_code == 200
    session = api.client.post(
        f"/api/cases/{mine}/sessions",
        json={"starts": "2025-06-10T10:00", "format": "phone", "attendees": ["submitter-1"]},
        headers=mediator,
    )
    assert session.status_code == 201, session.text
    for path in (
        f"/api/cases/{other}",
        f"/api/cases/{other}/timeline",
        f"/api/cases/{other}/documents",
        f"/api/cases/{other}/parties",
        f"/api/cases/{other}/mediation",
        f"/api/cases/{other}/issues",
        "/api/cases/NCP-2099-999",
    ):
        answer = api.client.get(path, headers=mediator)
        assert answer.status_code == 404, (path, answer.text)
        assert "Other Company" not in answer.text
    write = api.client.post(
        f"/api/cases/{other}/sessions",
        json={"starts": "2025-06-10T10:00", "format": "phone"},
        headers=mediator,
    )
    assert write.status_code == 404
    assert api.client.get("/api/mediators", headers=mediator).status_code == 403
    assert api.client.get(f"/api/cases/{mine}/audit", headers=mediator).status_code == 403
    assert api.client.get("/api/reports/annual", headers=mediator).status_code == 403
