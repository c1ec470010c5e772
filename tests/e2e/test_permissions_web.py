"""Every page and endpoint, walked as each role, answers as the permission table says.

The routes come from the app itself, and each declares its actions where it is declared (the
API's `user` dependency, the pages' `_guard`): a new route without them fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from ncpflow.web.auth import Allow
from states.permissions import Action, allows, allows_on_case
from states.users import Role
from tests.conftest import ROOT
from tests.helpers import csrf_of, open_one, sign_in
from workflow import queries, users
from workflow.bootstrap import bootstrap
from workflow.clock import FixedClock
from workflow.config import load_settings
from workflow.rotation import sync_members

PASSWORD = "correct horse battery"

# Routes anyone may ask for: signing in and out, the stylesheets, health, the API's reference,
# and the calendar feed, whose secret token in the URL is its credential (calendar clients send
# no cookie and no header): an unknown token answers 404 (tests/e2e/test_calendar_pages.py).
PUBLIC = {
    ("GET", "/calendar/feed/{token}.ics"),
    ("GET", "/signin"),
    ("POST", "/signin"),
    ("POST", "/signin/code"),
    ("POST", "/signout"),
    ("GET", "/static/{name}"),
    ("GET", "/healthz"),
    # The public journal (offentlig journal): its public variant only, for anyone.
    ("GET", "/public/journal"),
    ("GET", "/public/journal.csv"),
    ("GET", "/public/journal.json"),
    # The public register of specific instances (issue 15): its pages, feed, export and the
    # published documents, for anyone.
    ("GET", "/register"),
    ("GET", "/register/feed.atom"),
    ("GET", "/register/export.csv"),
    ("GET", "/register/export.json"),
    ("GET", "/register/{ref}"),
    ("GET", "/register/{ref}/documents/{number}"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/{asset}"),
    # A party's own pages: the signed link in the path is the credential (parties have no
    # accounts); a link that does not open answers 404 or 410 (tests/e2e/test_party_link_pages.py).
    ("GET", "/p/{token}"),
    ("POST", "/p/{token}/comment"),
    ("POST", "/p/{token}/document"),
    ("GET", "/p/{token}/drafts/{round}"),
    ("POST", "/p/{token}/rounds/{round}/comment"),
}

# A form every page form accepts (fields it does not know are ignored).
FORM = {"trigger": "no_such_trigger", "reason": "walking the routes"}


def declared(route: RouteContext) -> tuple[Action, ...] | None:
    """The actions a route declares: its page guard's, or its API dependency's; else None."""
    allow = getattr(route.endpoint, "allow", None)
    if isinstance(allow, Allow):
        return allow.actions
    original = route.original_route
    stack = [original.dependant] if isinstance(original, APIRoute) else []
    while stack:
        dependant = stack.pop()
        if isinstance(dependant.call, Allow):
            return dependant.call.actions
        stack.extend(dependant.dependencies)
    return None


def endpoints(app: FastAPI) -> Iterator[tuple[str, str, RouteContext]]:
    """Every method and path the app serves, included routers' too."""
    for route in iter_route_contexts(app.routes):
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                yield method, route.path or "", route


def unguarded(app: FastAPI) -> list[tuple[str, str]]:
    """Routes that are neither public nor declare their actions."""
    return [
        (method, path)
        for method, path, route in endpoints(app)
        if (method, path) not in PUBLIC and declared(route) is None
    ]


@dataclass
class Walk:
    client: TestClient
    ref: str
    tokens: dict[str, str]
    other_ref: str = ""

    def url(self, path: str) -> str:
        return path.replace("{ref}", self.ref)

    def other(self) -> Walk:
        """The same walk on the other case (one the mediator is not assigned to)."""
        return Walk(self.client, self.other_ref, self.tokens, self.other_ref)

    def sign_in(self, name: str) -> None:
        self.client.cookies.clear()
        answer = sign_in(self.client, name, PASSWORD)
        assert answer.status_code == 303, answer.text

    def csrf(self) -> str:
        page = self.client.get("/members").text
        if 'name="csrf_token"' not in page:  # a mediator reads no members: its own case's page
            page = self.client.get(f"/cases/{self.ref}").text
        return csrf_of(page) if 'name="csrf_token"' in page else ""

    def ask(self, method: str, path: str, name: str | None) -> Any:
        """`path` as the user `name` (None: nobody), signed in already: the API with its token
        (which counts before the session cookie), the pages with their session."""
        url = self.url(path)
        if path.startswith("/api/"):
            headers = {"Authorization": f"Bearer {self.tokens[name]}"} if name else {}
            return self.client.request(
                method, url, headers=headers, json={} if method == "POST" else None, follow_redirects=False
            )
        data = {**FORM, "csrf_token": self.csrf()} if method == "POST" else None
        return self.client.request(method, url, data=data, follow_redirects=False)


NAMES = {
    Role.HANDLER: "hanna",
    Role.MEMBER: "mari",
    Role.AUDITOR: "aud",
    Role.ADMIN: "root",
    Role.MEDIATOR: "mika",
}


@pytest.fixture
def walk(sqlite_url: str, clock: FixedClock) -> Iterator[Walk]:
    """A case led by the member user `mari`, and a user with a token and password per role; and
    `bo`, a member user who neither leads the case nor is the chair."""
    settings = load_settings(ROOT / "config.toml", database_url=sqlite_url)
    services = bootstrap(settings, clock=clock)
    sync_members(uow=services.uow, clock=clock, settings=settings)
    ref = open_one(services, received=date(2025, 5, 30))
    lead = queries.get_case(uow=services.uow, reference=ref).lead_member
    # The rotation's first lead is config.toml's first member, the chair: so `mari` holds the
    # member role's every action (advance the case it leads; reassign and recuse as the chair,
    # CHANGE_LEAD_AS_CHAIR) and the walk's "allowed" holds for her on every route the table
    # gives the role. Other members are refused reassign and recuse
    # (test_a_member_who_is_not_the_chair_may_not_reassign_or_recuse).
    assert lead == "chair"
    # The mediator user `mika` is the walk's case's mediator; the other case is not its own.
    services.mediators.add(actor="test", mediator_id="mekler", name="Mika Mekler", email="mika@example.org")
    services.mediators.assign(reference=ref, mediator="mekler", actor="test")
    other = open_one(services, "Other Company AS", received=date(2025, 5, 30), title="Not the mediator's")
    tokens = {}
    for role, name in NAMES.items():
        tokens[name] = users.add_user(
            uow=services.uow,
            clock=clock,
            name=name,
            role=role,
            actor="test",
            member_id=lead if role is Role.MEMBER else None,
            mediator_id="mekler" if role is Role.MEDIATOR else None,
            password=PASSWORD,
        ).token
    tokens["bo"] = users.add_user(
        uow=services.uow,
        clock=clock,
        name="bo",
        role=Role.MEMBER,
        actor="test",
        member_id="member-b",
        password=PASSWORD,
    ).token
    with TestClient(create_app(services, secret="test-secret")) as client:
        yield Walk(client, ref, tokens, other)
    services.close()


def test_every_route_is_public_or_declares_its_actions(walk: Walk) -> None:
    """No route of the app lacks its entry in the permission table."""
    app = walk.client.app
    assert isinstance(app, FastAPI)
    assert unguarded(app) == []
    assert {(m, p) for m, p, _ in endpoints(app)} >= PUBLIC  # no stale public entry


def test_a_new_route_without_actions_is_caught(walk: Walk) -> None:
    """A route added without a guard is named by the walk, so it fails the test above."""
    app = walk.client.app
    assert isinstance(app, FastAPI)

    @app.get("/api/forgotten")
    def forgotten() -> dict[str, str]:
        return {}

    assert unguarded(app) == [("GET", "/api/forgotten")]


@pytest.mark.parametrize("role", list(Role))
def test_each_route_answers_each_role_as_the_table_says(walk: Walk, role: Role) -> None:
    """Allowed: neither 401 nor 403; not allowed: 403 naming the role and the action."""
    app = walk.client.app
    assert isinstance(app, FastAPI)
    name = NAMES[role]
    walk.sign_in(name)
    seen = []
    for method, path, route in endpoints(app):
        actions = declared(route)
        if actions is None:
            continue
        answer = walk.ask(method, path, name)
        seen.append((method, path, answer.status_code))
        # On a route naming a case, a mediator reads its own case (the walk's) as cases are read.
        if (allows_on_case if "{ref}" in path else allows)(role, *actions):
            assert answer.status_code not in (401, 403) and answer.status_code < 500, (
                method,
                path,
                answer.text,
            )
        else:
            assert answer.status_code == 403, (method, path, answer.text)
            assert f"role '{role}' may not {actions[0].value}" in answer.json()["detail"]
    assert len(seen) >= 20


def test_a_mediator_gets_404_on_every_route_of_a_case_not_its_own(walk: Walk) -> None:
    """Every route naming the other case, whatever its action (reads, writes, the API and the
    pages), answers as a case that does not exist; no answer names the case's title; and no
    route without a case names the other case at all."""
    app = walk.client.app
    assert isinstance(app, FastAPI)
    walk.sign_in(NAMES[Role.MEDIATOR])
    other, seen = walk.other(), 0
    for method, path, route in endpoints(app):
        if declared(route) is None:
            continue
        if "{ref}" in path:
            answer = other.ask(method, path, NAMES[Role.MEDIATOR])
            assert answer.status_code == 404, (method, path, answer.text)
            assert "Not the mediator" not in answer.text and "Other Company" not in answer.text
            seen += 1
        elif method == "GET":
            answer = walk.ask(method, path, NAMES[Role.MEDIATOR])
            assert walk.other_ref not in answer.text and "Other Company" not in answer.text, path
    assert seen >= 40


# Valid bodies for the chair's routes, so that only the permission can refuse them.
CHAIRS_BODIES = {
    "reassign": {"to": "member-c", "reason": "walking the routes"},
    "recuse": {"member": "chair", "reason": "walking the routes"},
}


def test_a_member_who_is_not_the_chair_may_not_reassign_or_recuse(walk: Walk) -> None:
    """The member role holds CHANGE_LEAD_AS_CHAIR, but only the chair's user may use it: every
    route declaring it answers another member 403 naming the route's own action, even with a
    valid form or body, and nothing changes."""
    app = walk.client.app
    assert isinstance(app, FastAPI)
    walk.sign_in("bo")
    chairs = [
        (method, path, declared(route))
        for method, path, route in endpoints(app)
        if Action.CHANGE_LEAD_AS_CHAIR in (declared(route) or ())
    ]
    assert len(chairs) == 4  # reassign and recuse, in the API and on the case page
    for method, path, actions in chairs:
        assert actions is not None
        body = CHAIRS_BODIES[path.rsplit("/", 1)[-1]]
        url = walk.url(path)
        if path.startswith("/api/"):
            headers = {"Authorization": f"Bearer {walk.tokens['bo']}"}
            answer = walk.client.request(method, url, headers=headers, json=body)
        else:  # a page words its refusal in its language: here English
            data = {**body, "csrf_token": walk.csrf()}
            answer = walk.client.request(method, f"{url}?lang=en", data=data, follow_redirects=False)
        assert answer.status_code == 403, (method, path, answer.text)
        assert f"role 'member' may not {actions[0].value}" in answer.json()["detail"]
        assert "is not the NCP's chair" in answer.json()["detail"]
    headers = {"Authorization": f"Bearer {walk.tokens['bo']}"}
    assert walk.client.get(walk.url("/api/cases/{ref}"), headers=headers).json()["lead_member"] == "chair"


def test_nobody_signed_in_is_sent_to_sign_in_or_answered_401(walk: Walk) -> None:
    """A page asked for by nobody goes to /signin?next=...; a form or the API answers 401."""
    app = walk.client.app
    assert isinstance(app, FastAPI)
    walk.client.cookies.clear()
    for method, path, route in endpoints(app):
        if declared(route) is None:
            continue
        answer = walk.ask(method, path, None)
        if method == "GET" and not path.startswith("/api/"):
            assert answer.status_code == 303, (method, path)
            assert answer.headers["location"].startswith("/signin?next=%2F")
        else:
            assert answer.status_code == 401, (method, path, answer.text)


# Written out, not read from the routes: a route that declares the wrong action (a pause form
# guarded only by READ_CASES, say) would still pass the walk above, which trusts the route.
EXPECTED_ACTIONS: dict[tuple[str, str], tuple[Action, ...]] = {
    ("GET", "/api/session"): (Action.READ_SESSION,),
    ("GET", "/api/cases/{ref}/parties"): (Action.READ_CASES,),
    ("POST", "/api/cases/{ref}/parties"): (Action.MANAGE_PARTIES,),
    ("PATCH", "/api/cases/{ref}/parties/{party}"): (Action.MANAGE_PARTIES,),
    ("POST", "/api/cases/{ref}/parties/{party}/contacts"): (Action.MANAGE_PARTIES,),
    ("PATCH", "/api/cases/{ref}/parties/{party}/contacts/{number}"): (Action.MANAGE_PARTIES,),
    ("DELETE", "/api/cases/{ref}/parties/{party}/contacts/{number}"): (Action.MANAGE_PARTIES,),
    ("POST", "/api/cases"): (Action.OPEN_CASE,),
    ("GET", "/api/cases"): (Action.READ_CASES, Action.READ_ASSIGNED_CASES),
    ("GET", "/api/cases/search"): (Action.READ_CASES, Action.READ_ASSIGNED_CASES),
    ("GET", "/api/cases/{ref}"): (Action.READ_CASES,),
    ("PATCH", "/api/cases/{ref}"): (Action.EDIT_CASE,),
    ("POST", "/api/cases/{ref}/transitions"): (Action.ADVANCE_ANY_CASE, Action.ADVANCE_LED_CASE),
    ("POST", "/api/cases/{ref}/pause"): (Action.PAUSE_CASE,),
    ("POST", "/api/cases/{ref}/resume"): (Action.RESUME_CASE,),
    ("POST", "/api/cases/{ref}/extend"): (Action.EXTEND_DEADLINE,),
    ("POST", "/api/cases/{ref}/facts"): (Action.RECORD_FACT,),
    ("POST", "/api/cases/{ref}/reassign"): (Action.REASSIGN_CASE, Action.CHANGE_LEAD_AS_CHAIR),
    ("POST", "/api/cases/{ref}/recuse"): (Action.RECUSE_MEMBER, Action.CHANGE_LEAD_AS_CHAIR),
    ("POST", "/api/cases/{ref}/migrate"): (Action.MIGRATE_CASE,),
    ("GET", "/api/cases/{ref}/audit"): (Action.READ_AUDIT,),
    ("GET", "/api/cases/{ref}/timeline"): (Action.READ_CASES,),
    ("GET", "/api/cases/{ref}/notes"): (Action.READ_INTERNAL,),
    ("POST", "/api/cases/{ref}/notes"): (Action.WRITE_NOTE,),
    ("POST", "/cases/{ref}/notes"): (Action.WRITE_NOTE,),
    ("GET", "/journal"): (Action.READ_CASES,),
    ("GET", "/journal.csv"): (Action.READ_CASES,),
    ("GET", "/journal.json"): (Action.READ_CASES,),
    ("GET", "/api/cases/{ref}/issues"): (Action.READ_CASES,),
    ("POST", "/api/cases/{ref}/issues"): (Action.EDIT_CASE,),
    ("POST", "/api/cases/{ref}/issues/{number}/decision"): (Action.EDIT_CASE,),
    ("POST", "/api/cases/{ref}/issues/{number}/result"): (Action.EDIT_CASE,),
    ("GET", "/api/cases/{ref}/documents"): (Action.READ_CASES,),
    ("POST", "/api/cases/{ref}/documents"): (Action.ADD_DOCUMENT,),
    ("GET", "/api/cases/{ref}/documents/{number}"): (Action.READ_CASES,),
    ("GET", "/api/cases/{ref}/documents/{number}/content"): (Action.READ_CASES,),
    ("GET", "/api/audit"): (Action.READ_AUDIT,),
    ("GET", "/api/cases/{ref}/correspondence"): (Action.READ_CASES,),
    ("POST", "/api/cases/{ref}/correspondence"): (Action.LOG_CORRESPONDENCE,),
    ("GET", "/api/cases/{ref}/engagement"): (Action.READ_CASES,),
    ("POST", "/api/cases/{ref}/engagement/invitations"): (Action.LOG_ENGAGEMENT,),
    ("POST", "/api/cases/{ref}/engagement/responses"): (Action.LOG_ENGAGEMENT,),
    ("POST", "/api/cases/{ref}/engagement/concerns"): (Action.LOG_ENGAGEMENT,),
    ("GET", "/api/reports/engagement"): (Action.READ_REPORTS,),
    ("GET", "/api/cases/{ref}/related"): (Action.READ_CASES,),
    ("GET", "/api/cases/{ref}/similar"): (Action.READ_CASES,),
    ("POST", "/api/cases/{ref}/related"): (Action.LINK_CASES,),
    ("POST", "/api/cases/{ref}/related/{number}/remove"): (Action.LINK_CASES,),
    # Stage checklists (as `case checklist|tick|untick`).
    ("GET", "/api/cases/{ref}/checklist"): (Action.READ_CASES,),
    ("POST", "/api/cases/{ref}/checklist/{item}/tick"): (Action.TICK_CHECKLIST,),
    ("POST", "/api/cases/{ref}/checklist/{item}/untick"): (Action.TICK_CHECKLIST,),
    # Sharing with other NCPs (as `case share|receive`).
    ("GET", "/api/cases/{ref}/bundles"): (Action.READ_CASES,),
    ("POST", "/api/cases/{ref}/bundles"): (Action.EDIT_CASE,),
    ("POST", "/api/bundles"): (Action.OPEN_CASE,),
    ("GET", "/api/cases/{ref}/letters"): (Action.READ_CASES,),
    ("POST", "/api/cases/{ref}/letters"): (Action.SEND_LETTER,),
    ("POST", "/api/cases/{ref}/letters/{number}/text"): (Action.SEND_LETTER,),
    ("POST", "/api/cases/{ref}/letters/{number}/send"): (Action.SEND_LETTER,),
    ("GET", "/api/cases/{ref}/statements"): (Action.READ_INTERNAL,),
    ("POST", "/api/cases/{ref}/statements"): (Action.MANAGE_STATEMENTS,),
    ("POST", "/api/cases/{ref}/statements/{number}/docx"): (Action.MANAGE_STATEMENTS,),
    ("POST", "/api/cases/{ref}/statements/{number}/circulate"): (Action.MANAGE_STATEMENTS,),
    ("POST", "/api/cases/{ref}/rounds/{number}/comments"): (Action.MANAGE_STATEMENTS,),
    ("POST", "/api/cases/{ref}/rounds/{number}/close"): (Action.MANAGE_STATEMENTS,),
    ("POST", "/api/cases/{ref}/statements/{number}/publish"): (Action.PUBLISH_STATEMENT,),
    ("GET", "/api/cases/{ref}/letters/{number}/pdf"): (Action.READ_CASES,),
    ("GET", "/api/cases/{ref}/letters/{number}/docx"): (Action.READ_CASES,),
    ("GET", "/api/deadlines.ics"): (Action.READ_CASES, Action.READ_ASSIGNED_CASES),
    ("GET", "/api/users"): (Action.MANAGE_USERS,),
    ("POST", "/api/users"): (Action.MANAGE_USERS,),
    ("POST", "/api/cases/import"): (Action.IMPORT_CASES,),
    ("GET", "/api/reports/timelines"): (Action.READ_REPORTS,),
    ("GET", "/api/reports/annual"): (Action.READ_REPORTS,),
    ("GET", "/api/reports/oecd"): (Action.READ_REPORTS,),
    ("GET", "/"): (Action.READ_CASES, Action.READ_ASSIGNED_CASES),
    ("GET", "/cases"): (Action.READ_CASES, Action.READ_ASSIGNED_CASES),
    ("GET", "/api/cases/{ref}/follow-up"): (Action.READ_CASES,),
    ("POST", "/api/cases/{ref}/follow-up"): (Action.TRACK_FOLLOW_UP,),
    ("POST", "/api/cases/{ref}/follow-up/{number}/status"): (Action.TRACK_FOLLOW_UP,),
    ("POST", "/api/cases/{ref}/follow-up/requests"): (Action.TRACK_FOLLOW_UP,),
    ("GET", "/api/reports/follow-up"): (Action.READ_REPORTS,),
    ("GET", "/cases/{ref}/follow-up"): (Action.READ_CASES,),
    ("POST", "/cases/{ref}/follow-up"): (Action.TRACK_FOLLOW_UP,),
    ("POST", "/cases/{ref}/follow-up/{number}/status"): (Action.TRACK_FOLLOW_UP,),
    ("POST", "/cases/{ref}/follow-up/requests"): (Action.TRACK_FOLLOW_UP,),
    ("GET", "/reports/follow-up"): (Action.READ_REPORTS,),
    ("GET", "/reports/follow-up.html"): (Action.READ_REPORTS,),
    ("GET", "/reports/follow-up.csv"): (Action.READ_REPORTS,),
    ("GET", "/cases/new"): (Action.OPEN_CASE,),
    ("POST", "/cases/new"): (Action.OPEN_CASE,),
    ("GET", "/cases/{ref}"): (Action.READ_CASES,),
    ("GET", "/cases/{ref}/documents"): (Action.READ_CASES,),
    ("POST", "/cases/{ref}/documents"): (Action.ADD_DOCUMENT,),
    ("GET", "/cases/{ref}/documents/{number}/content"): (Action.READ_CASES,),
    ("GET", "/cases/{ref}/parties"): (Action.READ_CASES,),
    ("POST", "/cases/{ref}/parties/add"): (Action.MANAGE_PARTIES,),
    ("POST", "/cases/{ref}/parties/{party}/edit"): (Action.MANAGE_PARTIES,),
    ("POST", "/cases/{ref}/parties/{party}/contacts"): (Action.MANAGE_PARTIES,),
    ("POST", "/cases/{ref}/parties/{party}/contacts/{number}/edit"): (Action.MANAGE_PARTIES,),
    ("POST", "/cases/{ref}/parties/{party}/contacts/{number}/remove"): (Action.MANAGE_PARTIES,),
    ("GET", "/cases/{ref}/letters"): (Action.READ_CASES,),
    ("POST", "/cases/{ref}/letters"): (Action.SEND_LETTER,),
    ("GET", "/cases/{ref}/statements"): (Action.READ_INTERNAL,),
    ("POST", "/cases/{ref}/statements"): (Action.MANAGE_STATEMENTS,),
    ("POST", "/cases/{ref}/statements/{number}/docx"): (Action.MANAGE_STATEMENTS,),
    ("POST", "/cases/{ref}/statements/{number}/circulate"): (Action.MANAGE_STATEMENTS,),
    ("POST", "/cases/{ref}/statements/{number}/publish"): (Action.PUBLISH_STATEMENT,),
    ("POST", "/cases/{ref}/rounds/{number}/comments"): (Action.MANAGE_STATEMENTS,),
    ("POST", "/cases/{ref}/rounds/{number}/close"): (Action.MANAGE_STATEMENTS,),
    ("POST", "/cases/{ref}/letters/{number}/text"): (Action.SEND_LETTER,),
    ("POST", "/cases/{ref}/letters/{number}/send"): (Action.SEND_LETTER,),
    ("GET", "/cases/{ref}/letters/{number}/pdf"): (Action.READ_CASES,),
    ("GET", "/cases/{ref}/letters/{number}/docx"): (Action.READ_CASES,),
    ("GET", "/cases/{ref}/correspondence"): (Action.READ_CASES,),
    ("POST", "/cases/{ref}/correspondence"): (Action.LOG_CORRESPONDENCE,),
    ("GET", "/cases/{ref}/engagement"): (Action.READ_CASES,),
    ("POST", "/cases/{ref}/engagement/invite"): (Action.LOG_ENGAGEMENT,),
    ("POST", "/cases/{ref}/engagement/respond"): (Action.LOG_ENGAGEMENT,),
    ("POST", "/cases/{ref}/engagement/concern"): (Action.LOG_ENGAGEMENT,),
    ("POST", "/cases/{ref}/related"): (Action.LINK_CASES,),
    ("GET", "/cases/{ref}/sharing"): (Action.READ_CASES,),
    ("POST", "/cases/{ref}/sharing"): (Action.EDIT_CASE,),
    ("GET", "/sharing"): (Action.READ_CASES,),
    ("POST", "/sharing/receive"): (Action.OPEN_CASE,),
    ("POST", "/cases/{ref}/related/{number}/remove"): (Action.LINK_CASES,),
    ("POST", "/cases/{ref}/checklist/{item}/tick"): (Action.TICK_CHECKLIST,),
    ("POST", "/cases/{ref}/checklist/{item}/untick"): (Action.TICK_CHECKLIST,),
    ("POST", "/cases/{ref}/advance"): (Action.ADVANCE_ANY_CASE, Action.ADVANCE_LED_CASE),
    ("POST", "/cases/{ref}/pause"): (Action.PAUSE_CASE,),
    ("POST", "/cases/{ref}/resume"): (Action.RESUME_CASE,),
    ("POST", "/cases/{ref}/extend"): (Action.EXTEND_DEADLINE,),
    ("POST", "/cases/{ref}/edit"): (Action.EDIT_CASE,),
    ("POST", "/cases/{ref}/record"): (Action.RECORD_FACT,),
    ("POST", "/cases/{ref}/reassign"): (Action.REASSIGN_CASE, Action.CHANGE_LEAD_AS_CHAIR),
    ("POST", "/cases/{ref}/recuse"): (Action.RECUSE_MEMBER, Action.CHANGE_LEAD_AS_CHAIR),
    ("GET", "/audit"): (Action.READ_AUDIT,),
    ("GET", "/audit/export.jsonl"): (Action.EXPORT_AUDIT,),
    ("GET", "/members"): (Action.READ_MEMBERS,),
    ("GET", "/members/sync"): (Action.MANAGE_MEMBERS,),
    ("POST", "/members/sync"): (Action.MANAGE_MEMBERS,),
    ("GET", "/members/{member}"): (Action.READ_MEMBERS,),
    ("POST", "/members/{member}/leave"): (Action.MANAGE_MEMBERS,),
    ("POST", "/members/{member}/conflicts"): (Action.MANAGE_MEMBERS,),
    ("POST", "/members/{member}/values/{setting}/remove"): (Action.MANAGE_MEMBERS,),
    ("GET", "/admin/users"): (Action.MANAGE_USERS,),
    ("POST", "/admin/users"): (Action.MANAGE_USERS,),
    ("GET", "/admin/users/{name}"): (Action.MANAGE_USERS,),
    ("POST", "/admin/users/{name}/password"): (Action.MANAGE_USERS,),
    ("GET", "/admin/users/{name}/disable"): (Action.MANAGE_USERS,),
    ("POST", "/admin/users/{name}/disable"): (Action.MANAGE_USERS,),
    ("POST", "/admin/users/{name}/enable"): (Action.MANAGE_USERS,),
    ("POST", "/admin/users/{name}/tokens/{token}/revoke"): (Action.MANAGE_USERS,),
    ("GET", "/admin/users/{name}/tokens/revoke"): (Action.MANAGE_USERS,),
    ("POST", "/admin/users/{name}/tokens/revoke"): (Action.MANAGE_USERS,),
    ("GET", "/admin/users/{name}/totp/remove"): (Action.MANAGE_USERS,),
    ("POST", "/admin/users/{name}/totp/remove"): (Action.MANAGE_USERS,),
    ("GET", "/admin/users/{name}/calendar/revoke"): (Action.MANAGE_USERS,),
    ("POST", "/admin/users/{name}/calendar/revoke"): (Action.MANAGE_USERS,),
    ("GET", "/reports"): (Action.READ_REPORTS,),
    ("GET", "/start"): (Action.READ_SESSION,),
    ("GET", "/handbook"): (Action.READ_HANDBOOK,),
    ("GET", "/handbook.pdf"): (Action.READ_HANDBOOK,),
    ("GET", "/reports/timelines"): (Action.READ_REPORTS,),
    ("GET", "/reports/timelines.html"): (Action.READ_REPORTS,),
    ("GET", "/reports/timelines.csv"): (Action.READ_REPORTS,),
    ("GET", "/reports/annual"): (Action.READ_REPORTS,),
    ("GET", "/reports/annual.html"): (Action.READ_REPORTS,),
    ("GET", "/reports/annual.csv"): (Action.READ_REPORTS,),
    ("GET", "/reports/rotation"): (Action.READ_REPORTS,),
    ("GET", "/reports/rotation.html"): (Action.READ_REPORTS,),
    ("GET", "/reports/rotation.csv"): (Action.READ_REPORTS,),
    ("GET", "/calendar"): (Action.READ_CASES, Action.READ_ASSIGNED_CASES),
    ("GET", "/reports/engagement"): (Action.READ_REPORTS,),
    ("GET", "/reports/engagement.html"): (Action.READ_REPORTS,),
    ("GET", "/reports/engagement.csv"): (Action.READ_REPORTS,),
    ("GET", "/calendar/feed"): (Action.SUBSCRIBE_CALENDAR,),
    ("POST", "/calendar/feed"): (Action.SUBSCRIBE_CALENDAR,),
    ("POST", "/calendar/feed/revoke"): (Action.SUBSCRIBE_CALENDAR,),
    ("GET", "/api/me/calendar-feed"): (Action.SUBSCRIBE_CALENDAR,),
    ("POST", "/api/me/calendar-feed"): (Action.SUBSCRIBE_CALENDAR,),
    ("DELETE", "/api/me/calendar-feed"): (Action.SUBSCRIBE_CALENDAR,),
    ("GET", "/api/mediators"): (Action.MANAGE_MEDIATORS,),
    ("POST", "/api/mediators"): (Action.MANAGE_MEDIATORS,),
    ("PATCH", "/api/mediators/{mediator}"): (Action.MANAGE_MEDIATORS,),
    ("GET", "/api/cases/{ref}/mediation"): (Action.READ_CASES,),
    ("POST", "/api/cases/{ref}/mediators"): (Action.MANAGE_MEDIATORS,),
    ("POST", "/api/cases/{ref}/mediators/{mediator}/unassign"): (Action.MANAGE_MEDIATORS,),
    ("POST", "/api/cases/{ref}/sessions"): (Action.RECORD_MEDIATION,),
    ("GET", "/mediators"): (Action.MANAGE_MEDIATORS,),
    ("POST", "/mediators"): (Action.MANAGE_MEDIATORS,),
    ("GET", "/mediators/{mediator}"): (Action.MANAGE_MEDIATORS,),
    ("POST", "/mediators/{mediator}"): (Action.MANAGE_MEDIATORS,),
    ("GET", "/cases/{ref}/mediation"): (Action.READ_CASES,),
    ("POST", "/cases/{ref}/mediation/assign"): (Action.MANAGE_MEDIATORS,),
    ("POST", "/cases/{ref}/mediation/{mediator}/unassign"): (Action.MANAGE_MEDIATORS,),
    ("POST", "/cases/{ref}/mediation/sessions"): (Action.RECORD_MEDIATION,),
    ("GET", "/api/cases/{ref}/links"): (Action.READ_CASES,),
    ("POST", "/api/cases/{ref}/links"): (Action.MANAGE_PARTY_LINKS,),
    ("POST", "/api/cases/{ref}/links/{link}/revoke"): (Action.MANAGE_PARTY_LINKS,),
    ("POST", "/cases/{ref}/parties/links"): (Action.MANAGE_PARTY_LINKS,),
    ("POST", "/cases/{ref}/parties/links/{link}/revoke"): (Action.MANAGE_PARTY_LINKS,),
    # The NCPs of a case (issue 16).
    ("GET", "/api/cases/{ref}/ncps"): (Action.READ_CASES,),
    ("POST", "/api/cases/{ref}/ncps/lead"): (Action.EDIT_CASE,),
    ("POST", "/api/cases/{ref}/ncps/transfer"): (Action.EDIT_CASE,),
    ("POST", "/api/cases/{ref}/ncps/supporting"): (Action.EDIT_CASE,),
    ("POST", "/api/cases/{ref}/ncps/role"): (Action.EDIT_CASE,),
    ("POST", "/api/cases/{ref}/ncps/remove"): (Action.EDIT_CASE,),
    ("POST", "/api/cases/{ref}/ncps/preference"): (Action.EDIT_CASE,),
    ("POST", "/api/cases/{ref}/ncps/coordination"): (Action.EDIT_CASE,),
    ("POST", "/api/cases/{ref}/ncps/reviews"): (Action.MANAGE_STATEMENTS,),
    ("POST", "/api/cases/{ref}/ncps/reviews/answer"): (Action.MANAGE_STATEMENTS,),
    ("GET", "/cases/{ref}/ncps"): (Action.READ_CASES,),
    ("POST", "/cases/{ref}/ncps/lead"): (Action.EDIT_CASE,),
    ("POST", "/cases/{ref}/ncps/supporting"): (Action.EDIT_CASE,),
    ("POST", "/cases/{ref}/ncps/role"): (Action.EDIT_CASE,),
    ("POST", "/cases/{ref}/ncps/remove"): (Action.EDIT_CASE,),
    ("POST", "/cases/{ref}/ncps/transfer"): (Action.EDIT_CASE,),
    ("POST", "/cases/{ref}/ncps/preference"): (Action.EDIT_CASE,),
    ("POST", "/cases/{ref}/ncps/coordination"): (Action.EDIT_CASE,),
    ("POST", "/cases/{ref}/ncps/reviews"): (Action.MANAGE_STATEMENTS,),
    ("POST", "/cases/{ref}/ncps/reviews/answer"): (Action.MANAGE_STATEMENTS,),
}


def test_each_route_declares_the_action_written_here(walk: Walk) -> None:
    """Every guarded route, and only those, with the action this table names for it."""
    app = walk.client.app
    assert isinstance(app, FastAPI)
    found = {(method, path): declared(route) for method, path, route in endpoints(app)}
    assert {key: actions for key, actions in found.items() if actions is not None} == EXPECTED_ACTIONS
