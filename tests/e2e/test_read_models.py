"""The typed read models: the OpenAPI describes what the API answers, and the command line's
`--json` and the API give one document for a case."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.datastructures import DefaultPlaceholder
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from ncpflow.web import api
from ncpflow.web.app import create_app
from tests.conftest import ROOT, InProcessCli
from workflow import read_models, users
from workflow.bootstrap import Services, bootstrap
from workflow.config import load_settings


@pytest.fixture
def services(database_url: str) -> Iterator[Services]:
    """The API's services on the command line's database, both on the system clock."""
    built = bootstrap(load_settings(ROOT / "config.toml", database_url=database_url))
    yield built
    built.close()


@pytest.fixture
def app(services: Services) -> FastAPI:
    return create_app(services, secret="test-secret")


def _schema(openapi: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = openapi["components"]["schemas"][name]
    return found


def test_the_openapi_names_the_fields_of_a_case_a_deadline_and_an_audit_entry(app: FastAPI) -> None:
    """A case's schema names each field, with a description; so do a deadline's and an entry's."""
    openapi = app.openapi()
    case = _schema(openapi, "Case")["properties"]
    assert {
        "reference",
        "title",
        "state",
        "outcome",
        "lead_member",
        "paused",
        "pauses",
        "received",
        "version",
        "parties",
        "next_due",
        "deadlines",
        "lead",
        "taking_part",
        "not_taking_part",
    } <= set(case)
    deadline = _schema(openapi, "Deadline")["properties"]
    assert {
        "name",
        "due",
        "status",
        "explanation",
        "started",
        "duration",
        "met_on",
        "days_left",
        "paused_days",
        "extensions",
    } == set(deadline)
    assert deadline["due"]["format"] == "date"
    assert deadline["status"] == {
        "$ref": "#/components/schemas/DeadlineStatus",
        "description": deadline["status"]["description"],
    }
    entry = _schema(openapi, "AuditEntry")["properties"]
    assert {
        "seq",
        "case_ref",
        "kind",
        "actor",
        "at",
        "from_state",
        "to_state",
        "reason",
        "data",
        "prev_hash",
        "hash",
    } == set(entry)
    for name in ("Case", "Deadline", "AuditEntry", "Party", "Pause", "Lead", "CasePage", "AuditPage"):
        properties = _schema(openapi, name)["properties"]
        assert all(field.get("description") for field in properties.values()), name
    answers = openapi["paths"]["/api/cases/{ref}"]["get"]["responses"]["200"]
    assert answers["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Case"}


def test_the_openapi_keys_are_the_json_keys_of_the_models() -> None:
    """Keys a Python name cannot hold keep their JSON spelling in the schema: leave from/to."""
    leave = read_models.Leave.model_json_schema(mode="serialization", by_alias=True)
    assert set(leave["properties"]) == {"from", "to"}


def test_every_api_route_declares_what_it_answers(app: FastAPI) -> None:
    """Each /api route answers a named model (a schema of its own in the OpenAPI, not a bare
    object), or something other than JSON."""
    routes = [r for r in api.router.routes if isinstance(r, APIRoute)]
    assert len(routes) >= 14
    paths = app.openapi()["paths"]
    untyped = []
    for route in routes:
        if not isinstance(route.response_class, DefaultPlaceholder):
            continue  # iCalendar, not JSON
        for method in route.methods:
            answers = paths[route.path][method.lower()]["responses"]
            schema = answers[str(route.status_code or 200)]["content"]["application/json"]
            named = schema["schema"].get("items", schema["schema"])
            if "$ref" not in named:
                untyped.append(f"{method} {route.path}")
    assert untyped == []


def test_case_show_json_and_the_api_give_the_same_document(
    ncp: InProcessCli, app: FastAPI, services: Services
) -> None:
    """One case, paused and extended, read by `case show --json` and GET /api/cases/{ref}."""
    ncp("members", "sync")
    reference = ncp.json(
        "case",
        "open",
        "--title",
        "Tailings «Ørsta»",
        "--submitter",
        "NGO",
        "--enterprise",
        "Nordic Metals ASA",
        "--received",
        "2025-01-31",
        "--actor",
        "sek",
        "--json",
    )["reference"]
    for step in (
        ["case", "pause", reference, "--actor", "sek", "--reason", "court case"],
        ["case", "resume", reference, "--actor", "sek"],
        [
            "case",
            "extend",
            reference,
            "--deadline",
            "acknowledgement",
            "--days",
            "5",
            "--actor",
            "chair",
            "--reason",
            "more time",
        ],
    ):
        done = ncp(*step)
        assert done.returncode == 0, done.stderr
    shown = ncp.json("case", "show", reference, "--json")
    token = users.add_user(
        uow=services.uow, clock=services.clock, name="hanna", role="handler", actor="test"
    ).token
    with TestClient(app) as client:
        answered = client.get(f"/api/cases/{reference}", headers={"Authorization": f"Bearer {token}"}).json()
    assert answered == shown
    assert list(answered) == list(shown)  # the same keys in the same order
    assert shown["pauses"] and shown["deadlines"][0]["extensions"]
    assert read_models.json_of(read_models.Case.model_validate(shown)) == shown
