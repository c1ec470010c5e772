"""The JSON API over create_app, on SQLite and PostgreSQL: every endpoint and error status."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi import Depends, FastAPI, Request, Response
from fastapi.testclient import TestClient

from ncpflow.web import auth
from ncpflow.web.app import create_app
from states.pseudonyms import pseudonym
from states.users import User
from tests.conftest import ROOT
from workflow import users
from workflow.bootstrap import Services, bootstrap
from workflow.clock import FixedClock
from workflow.config import load_settings
from workflow.rotation import sync_members

XSS = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


class Api:
    def __init__(self, client: TestClient, services: Services) -> None:
        self.client, self.services = client, services
        self.tokens: dict[str, str] = {}

    def user(self, name: str, role: str, member: str | None = None) -> dict[str, str]:
        made = users.add_user(
            uow=self.services.uow,
            clock=self.services.clock,
            name=name,
            role=role,
            member_id=member,
            actor="test",
        )
        return {"Authorization": f"Bearer {made.token}"}

    def open(self, headers: dict[str, str], **body: Any) -> dict[str, Any]:
        payload = {
            "title": "Mine tailings",
            "enterprises": ["Nordic Metals ASA"],
            "submitters": ["Friends of the Fjord"],
            "received": "2025-05-30",
            **body,
        }
        response = self.client.post("/api/cases", json=payload, headers=headers)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result


@contextmanager
def running_api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    """The app on a database with the config's members brought in (tests elsewhere share it)."""
    settings = load_settings(ROOT / "config.toml", database_url=database_url)
    services = bootstrap(settings, clock=clock)
    sync_members(uow=services.uow, clock=clock, settings=settings)
    with TestClient(create_app(services, secret="test-secret")) as client:
        yield Api(client, services)
    services.close()


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as made:
        yield made


def _error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code and body["detail"]
    return str(body["detail"])


def test_healthz(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}


def test_open_show_list_and_xss_verbatim(api: Api) -> None:
    handler = api.user("hanna", "handler")
    made = api.open(handler, title=XSS)
    assert made["title"] == XSS and made["state"] == "received"
    shown = api.client.get(f"/api/cases/{made['reference']}", headers=handler).json()
    for key in ("reference", "state", "outcome", "lead_member", "paused", "deadlines", "lead"):
        assert key in shown
    assert shown["title"] == XSS
    assert {"name", "due", "status", "explanation"} <= set(shown["deadlines"][0])
    api.open(handler, title="Second")
    page = api.client.get("/api/cases?limit=1&offset=1", headers=handler).json()
    assert page["total"] == 2 and len(page["items"]) == 1 and page["offset"] == 1
    lead = made["lead_member"]
    by_lead = api.client.get(f"/api/cases?lead={lead}", headers=handler).json()
    assert all(c["lead_member"] == lead for c in by_lead["items"])
    assert api.client.get("/api/cases?state=closed", headers=handler).json()["total"] == 0
    overdue = api.client.get("/api/cases?overdue=true", headers=handler).json()
    assert overdue["total"] == 0


def test_transitions_and_clock_steps_are_audited_with_the_user(api: Api) -> None:
    handler = api.user("hanna", "handler")
    ref = api.open(handler)["reference"]
    post = api.client.post
    moved = post(
        f"/api/cases/{ref}/transitions",
        headers=handler,
        json={"trigger": "begin_assessment", "reason": "complete", "expected_version": 1},
    )
    assert moved.status_code == 200 and moved.json()["state"] == "initial_assessment"
    paused = post(f"/api/cases/{ref}/pause", headers=handler, json={"reason": "court case"})
    assert paused.status_code == 200 and paused.json()["paused"] is True
    resumed = post(f"/api/cases/{ref}/resume", headers=handler, json={})
    assert resumed.status_code == 200 and resumed.json()["paused"] is False
    extended = post(
        f"/api/cases/{ref}/extend",
        headers=handler,
        json={"deadline": "initial_assessment", "days": 10, "reason": "holidays"},
    )
    assert extended.status_code == 200
    lead = extended.json()["lead_member"]
    other = next(m for m in ("member-b", "member-c", "member-d", "chair") if m != lead)
    reassigned = post(
        f"/api/cases/{ref}/reassign",
        headers=handler,
        json={"to": other, "reason": "workload", "override": True},
    )
    assert reassigned.status_code == 200 and reassigned.json()["lead_member"] == other
    entries = api.client.get(f"/api/cases/{ref}/audit", headers=handler).json()["items"]
    kinds = [e["kind"] for e in entries]
    assert kinds[0] == "opened" and {
        "transitioned",
        "paused",
        "resumed",
        "extended",
        "lead_reassigned",
    } <= set(kinds)
    assert all(e["actor"] == "hanna" for e in entries if e["kind"] != "lead_assigned")
    whole = api.client.get("/api/audit?limit=2", headers=handler).json()
    assert len(whole["items"]) == 2
    ics = api.client.get("/api/deadlines.ics", headers=handler)
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in ics.content


def test_401_without_or_with_bad_credentials(api: Api) -> None:
    assert "Bearer" in _error(api.client.get("/api/cases"), 401, "unauthorized")
    _error(api.client.get("/api/cases", headers={"Authorization": "Bearer nope"}), 401, "unauthorized")
    _error(api.client.get("/api/audit", headers={"Authorization": "Basic eDp5"}), 401, "unauthorized")


def test_403_roles(api: Api) -> None:
    handler = api.user("hanna", "handler")
    auditor = api.user("aud", "auditor")
    admin = api.user("root", "admin")
    ref = api.open(handler)["reference"]
    _error(
        api.client.post(
            "/api/cases", headers=auditor, json={"title": "t", "enterprises": ["e"], "submitters": ["s"]}
        ),
        403,
        "forbidden",
    )
    _error(
        api.client.post(
            f"/api/cases/{ref}/transitions",
            headers=auditor,
            json={"trigger": "begin_assessment", "reason": "r"},
        ),
        403,
        "forbidden",
    )
    _error(api.client.post(f"/api/cases/{ref}/pause", headers=admin, json={"reason": "r"}), 403, "forbidden")
    assert api.client.get(f"/api/cases/{ref}", headers=auditor).status_code == 200


def test_member_advances_only_the_cases_it_leads(api: Api) -> None:
    handler = api.user("hanna", "handler")
    case = api.open(handler)
    lead = case["lead_member"]
    assert lead is not None
    other = next(m for m in ("member-b", "member-c", "member-d", "chair") if m != lead)
    leader = api.user("leader", "member", lead)
    outsider = api.user("outsider", "member", other)
    body = {"trigger": "begin_assessment", "reason": "complete"}
    url = f"/api/cases/{case['reference']}/transitions"
    assert "does not lead" in _error(api.client.post(url, headers=outsider, json=body), 403, "forbidden")
    assert (
        api.client.get(f"/api/cases/{case['reference']}", headers=outsider).json()["version"]
        == case["version"]
    )  # nothing changed
    done = api.client.post(url, headers=leader, json=body)
    assert done.status_code == 200 and done.json()["state"] == "initial_assessment"
    _error(
        api.client.post(f"/api/cases/{case['reference']}/pause", headers=leader, json={"reason": "r"}),
        403,
        "forbidden",
    )


def test_the_chairs_member_user_reassigns_and_recuses_and_other_members_may_not(api: Api) -> None:
    """The member user linked to the chair changes the lead of a case it does not lead; another
    member gets 403 naming the action, and nothing changes."""
    handler = api.user("hanna", "handler")
    chair = api.user("clara", "member", "chair")
    outsider = api.user("bo", "member", "member-d")
    ref = api.open(handler)["reference"]
    post = api.client.post
    moved = post(f"/api/cases/{ref}/reassign", headers=handler, json={"to": "member-b", "reason": "r"})
    assert moved.json()["lead_member"] == "member-b"  # the chair no longer leads it
    for step, body in [
        ("reassign", {"to": "member-c", "reason": "not mine"}),
        ("recuse", {"member": "member-b", "reason": "not mine"}),
    ]:
        detail = _error(post(f"/api/cases/{ref}/{step}", headers=outsider, json=body), 403, "forbidden")
        assert detail.startswith(f"role 'member' may not {step}") and "not the NCP's chair" in detail
    assert api.client.get(f"/api/cases/{ref}", headers=handler).json()["version"] == moved.json()["version"]
    reassigned = post(
        f"/api/cases/{ref}/reassign", headers=chair, json={"to": "member-c", "reason": "workload"}
    )
    assert reassigned.status_code == 200 and reassigned.json()["lead_member"] == "member-c"
    recused = post(f"/api/cases/{ref}/recuse", headers=chair, json={"member": "member-c", "reason": "ties"})
    assert recused.status_code == 200 and recused.json()["lead_member"] not in (None, "member-c")
    entries = api.client.get(f"/api/cases/{ref}/audit", headers=handler).json()["items"]
    assert [(e["kind"], e["actor"]) for e in entries[-2:]] == [
        ("lead_reassigned", "clara"),
        ("lead_recused", "clara"),
    ]


def test_404_unknown_case(api: Api) -> None:
    handler = api.user("hanna", "handler")
    for response in (
        api.client.get("/api/cases/NCP-1999-001", headers=handler),
        api.client.get("/api/cases/NCP-1999-001/audit", headers=handler),
        api.client.post(
            "/api/cases/NCP-1999-001/transitions", headers=handler, json={"trigger": "accept", "reason": "r"}
        ),
        api.client.post("/api/cases/NCP-1999-001/pause", headers=handler, json={"reason": "r"}),
    ):
        assert "NCP-1999-001" in _error(response, 404, "not_found")


def test_409_trigger_not_allowed_and_stale_version(api: Api) -> None:
    handler = api.user("hanna", "handler")
    ref = api.open(handler)["reference"]
    url = f"/api/cases/{ref}/transitions"
    detail = _error(
        api.client.post(url, headers=handler, json={"trigger": "publish", "reason": "r"}), 409, "not_allowed"
    )
    assert "allowed now" in detail
    stale = api.client.post(
        url, headers=handler, json={"trigger": "begin_assessment", "reason": "r", "expected_version": 7}
    )
    assert "expected version 7" in _error(stale, 409, "conflict")
    _error(api.client.post(f"/api/cases/{ref}/resume", headers=handler, json={}), 409, "not_allowed")


def test_422_bad_input(api: Api) -> None:
    handler = api.user("hanna", "handler")
    ref = api.open(handler)["reference"]
    url = f"/api/cases/{ref}/transitions"
    assert "unknown trigger" in _error(
        api.client.post(url, headers=handler, json={"trigger": "fly", "reason": "r"}), 422, "invalid_input"
    )
    assert "reason" in _error(
        api.client.post(url, headers=handler, json={"trigger": "accept"}), 422, "invalid_input"
    )
    _error(
        api.client.post(
            url, headers=handler, json={"trigger": "begin_assessment", "reason": "r", "at": "yesterday"}
        ),
        422,
        "invalid_input",
    )
    _error(
        api.client.post(
            "/api/cases", headers=handler, json={"title": "t", "enterprises": [], "submitters": ["s"]}
        ),
        422,
        "invalid_input",
    )
    _error(api.client.get("/api/cases?state=flying", headers=handler), 422, "invalid_input")
    _error(api.client.get("/api/cases?limit=0", headers=handler), 422, "invalid_input")
    _error(
        api.client.post(
            f"/api/cases/{ref}/extend",
            headers=handler,
            json={"deadline": "initial_assessment", "reason": "r"},
        ),
        422,
        "invalid_input",
    )


def test_auditor_sees_pseudonyms_for_confidential_submitters(api: Api) -> None:
    handler = api.user("hanna", "handler")
    auditor = api.user("aud", "auditor")
    ref = api.open(handler, submitters=["Ola Nordmann"], confidential_submitter=True)["reference"]
    seen = api.client.get(f"/api/cases/{ref}", headers=auditor).json()
    submitter = next(p for p in seen["parties"] if p["role"] == "submitter")
    assert submitter["name"] == pseudonym(ref, "Ola Nordmann") != "Ola Nordmann"
    log = api.client.get(f"/api/cases/{ref}/audit", headers=auditor).text
    assert "Ola Nordmann" not in log and pseudonym(ref, "Ola Nordmann") in log
    as_handler = api.client.get(f"/api/cases/{ref}", headers=handler).json()
    assert any(p["name"] == "Ola Nordmann" for p in as_handler["parties"])


def test_session_cookie_and_csrf(api: Api) -> None:
    users.add_user(
        uow=api.services.uow,
        clock=api.services.clock,
        name="pat",
        role="handler",
        actor="test",
        password="correct horse",
    )
    app: FastAPI = api.client.app  # type: ignore[assignment]

    @app.post("/_test/signin")
    def signin(request: Request, response: Response, name: str, password: str) -> dict[str, str]:
        user = users.check_password(uow=api.services.uow, name=name, password=password)
        if user is None:
            raise auth.ApiError(401, "unauthorized", "wrong name or password")
        auth.sign_in(request, response, user)
        return {"ok": "yes"}

    @app.get("/_test/csrf")
    def token(request: Request, user: User = Depends(auth.current_user)) -> dict[str, str]:  # noqa: B008
        return {"token": auth.csrf_token(request)}

    @app.post("/_test/form")
    def form(
        request: Request,
        token: str,
        user: User = Depends(auth.current_user),  # noqa: B008
    ) -> dict[str, str]:
        auth.check_csrf(request, token)
        return {"user": user.name}

    client = api.client
    assert client.post("/_test/signin?name=pat&password=wrong").status_code == 401
    signed = client.post("/_test/signin", params={"name": "pat", "password": "correct horse"})
    cookie = signed.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    csrf = client.get("/_test/csrf").json()["token"]
    assert client.post("/_test/form", params={"token": csrf}).json() == {"user": "pat"}
    _error(client.post("/_test/form", params={"token": csrf + "x"}), 403, "csrf")
    assert client.get("/api/cases").status_code == 200  # the session works for the API too
    client.cookies.clear()
    _error(client.post("/_test/form", params={"token": csrf}), 401, "unauthorized")


def test_admin_adds_users_over_the_api(api: Api) -> None:
    admin = api.user("root", "admin")
    handler = api.user("hanna", "handler")
    made = api.client.post("/api/users", headers=admin, json={"name": "aud", "role": "auditor"})
    assert made.status_code == 201 and made.json()["token"]
    seen = api.client.get("/api/cases", headers={"Authorization": f"Bearer {made.json()['token']}"})
    assert seen.status_code == 200
    assert [u["name"] for u in api.client.get("/api/users", headers=admin).json()] == ["aud", "hanna", "root"]
    _error(api.client.get("/api/users", headers=handler), 403, "forbidden")
    _error(
        api.client.post("/api/users", headers=admin, json={"name": "aud", "role": "auditor"}),
        422,
        "invalid_input",
    )
    entry = api.client.get("/api/audit", headers=admin).json()["items"][-1]
    assert entry["kind"] == "user_added" and entry["actor"] == "root"


def test_a_domain_error_names_the_api_field_not_the_command_line_option(api: Api) -> None:
    """A step in the future is refused by the core (the body's model cannot know "now"); the
    API words it with its field, `at`."""
    handler = api.user("hanna", "handler")
    ref = api.open(handler)["reference"]
    refused = api.client.post(
        f"/api/cases/{ref}/transitions",
        headers=handler,
        json={"trigger": "begin_assessment", "reason": "r", "at": "2099-01-01", "expected_version": 1},
    )
    detail = _error(refused, 422, "invalid_input")
    assert detail == "at 2099-01-01 is in the future"
    assert "--" not in detail
