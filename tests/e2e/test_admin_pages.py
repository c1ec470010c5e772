"""The users admin pages through HTTP: the list, a new user, a password reset, disable and
enable with a confirmation page, API tokens revoked, the second factor removed; refusals as
pages in their language that keep the typed input (never the password); only admins get in."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from ncpflow.web import i18n
from tests.e2e.conftest import PASSWORD, Site
from tests.helpers import sign_in
from workflow import feeds, users
from workflow.audit import audit_entries


@pytest.fixture
def admin(site: Site) -> Site:
    """The site with its admin `ada` signed in instead of the handler."""
    site.client.cookies.clear()
    assert sign_in(site.client, "ada", PASSWORD).status_code == 303
    site.client.cookies.set(i18n.COOKIE, "en")  # the NCP's language is nb; these read English
    return site


def text(answer: Any) -> str:
    """A page's text as read: entities (&#39;) unescaped."""
    return html.unescape(answer.text)


def post(site: Site, path: str, form: dict[str, str] | None = None, *, page: str = "/admin/users") -> Any:
    data = {"csrf_token": site.csrf(page), **(form or {})}
    return site.client.post(path, data=data, follow_redirects=False)


def entries(site: Site, kind: str) -> list[Any]:
    return [e for e in audit_entries(uow=site.services.uow) if e.kind == kind]


def make(site: Site, name: str, role: str = "handler", **extra: Any) -> str:
    """A user made as the command line makes it (with a first API token); the token."""
    made = users.add_user(
        uow=site.services.uow, clock=site.services.clock, name=name, role=role, actor="cli", **extra
    )
    return made.token


def test_the_users_page_lists_each_user_without_any_secret(admin: Site) -> None:
    """Name, role, member link, status, second factor, active tokens and last sign-in; the
    token and its hash never appear; the nav offers Users to the admin."""
    token = make(admin, "kari", "member", member_id="member-b")
    page = admin.client.get("/admin/users")
    assert page.status_code == 200
    row = re.search(r"<tr>\s*<td[^>]*><a href=\"/admin/users/kari\">kari</a>.*?</tr>", page.text, re.S)
    assert row is not None
    assert 'href="/members/member-b"' in row.group(0) and ">1</td>" in row.group(0)
    assert "not known" in row.group(0)  # kari never signed in
    assert token not in text(page) and users.token_hash(token) not in text(page)
    hanna = re.search(r"<a href=\"/admin/users/hanna\">hanna</a>.*?</tr>", page.text, re.S)
    assert hanna is not None and "not known" not in hanna.group(0)  # signed in when the site began
    assert 'href="/admin/users"' in text(page) and ">Users</a>" in text(page)


@pytest.mark.parametrize("role", ["handler", "member", "auditor"])
def test_nobody_but_an_admin_reaches_the_users_pages(site: Site, role: str) -> None:
    """A handler, a member and an auditor get 403 naming the action, on pages and forms alike,
    and no Users link; nothing is written."""
    if role != "handler":
        make(site, f"a-{role}", role, password=PASSWORD, member_id="member-b" if role == "member" else None)
        site.client.cookies.clear()
        assert sign_in(site.client, f"a-{role}", PASSWORD).status_code == 303
    assert 'href="/admin/users"' not in site.client.get("/members").text
    for path in ("/admin/users", "/admin/users/ada", "/admin/users/ada/disable"):
        answer = site.client.get(path)
        assert answer.status_code == 403, path
        assert f"role '{role}' may not manage users" in text(answer)
    before = len(audit_entries(uow=site.services.uow))
    answer = post(site, "/admin/users/ada/disable", page="/members")
    assert answer.status_code == 403
    answer = post(
        site, "/admin/users", {"name": "eve", "role": "admin", "password": PASSWORD}, page="/members"
    )
    assert answer.status_code == 403
    assert len(audit_entries(uow=site.services.uow)) == before


def test_a_new_user_with_a_typed_password_signs_in_and_is_audited(admin: Site) -> None:
    """The form makes the user (no API token), says so, and the user signs in with it."""
    answer = post(admin, "/admin/users", {"name": "kari", "role": "handler", "password": "kari's secret"})
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/users/kari"
    page = admin.client.get("/admin/users/kari")
    assert "User kari created" in text(page)
    (added,) = entries(admin, "user_added")[-1:]
    assert added.actor == "ada" and added.data == {
        "user": "kari",
        "role": "handler",
        "member": None,
        "token": None,
    }
    admin.client.cookies.clear()
    assert sign_in(admin.client, "kari", "kari's secret").status_code == 303


def test_a_new_user_without_a_password_gets_one_generated_and_shown_once(admin: Site) -> None:
    """An empty password: one is generated, shown on the answer only, and it signs in."""
    answer = post(admin, "/admin/users", {"name": "ola", "role": "member", "member": "member-c"})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    shown = re.search(r'<code class="secret">([^<]+)</code>', answer.text)
    assert shown is not None and len(shown.group(1)) >= 16
    assert "User ola created" in text(answer)
    assert shown.group(1) not in admin.client.get("/admin/users/ola").text
    admin.client.cookies.clear()
    assert sign_in(admin.client, "ola", shown.group(1)).status_code == 303


@pytest.mark.parametrize(
    ("form", "en", "nb"),
    [
        ({"name": "eve", "role": "member"}, "a user with role member needs Member", "trenger Medlem"),
        (
            {"name": "eve", "role": "handler", "password": "short"},
            "Password: a password needs at least 8",
            "Passord",
        ),
        (
            {"name": "hanna", "role": "handler", "password": PASSWORD},
            "User name: a user named 'hanna' already",
            "Brukernavn",
        ),
        ({"name": "eve", "role": "king"}, "Role: unknown role 'king'", "Rolle"),
    ],
    ids=["member-missing", "short-password", "taken", "role"],
)
def test_a_refused_new_user_names_the_field_keeps_the_input_but_never_the_password(
    admin: Site, form: dict[str, str], en: str, nb: str
) -> None:
    """422, the users page again with the message naming the field by its label, in English
    and in Norwegian; the name and role typed are kept, the password is not; nothing written."""
    before = len(audit_entries(uow=admin.services.uow))
    typed = {"password": "not kept 123", **form}
    answer = post(admin, "/admin/users", typed)
    assert answer.status_code == 422
    assert en in text(answer), answer.text
    assert f'name="name" value="{form["name"]}"' in text(answer)
    assert typed["password"] not in text(answer).replace('name="password"', "")
    norsk = post(admin, "/admin/users?lang=nb", typed)
    assert norsk.status_code == 422 and nb in text(norsk), norsk.text
    assert len(audit_entries(uow=admin.services.uow)) == before


def test_disabling_asks_first_then_ends_the_users_sessions(admin: Site) -> None:
    """The confirmation page works without JavaScript (a form); confirming disables, says so,
    is audited with the admin as actor, and the user's session is refused; enable undoes it."""
    confirm = admin.client.get("/admin/users/hanna/disable")
    assert confirm.status_code == 200
    assert 'action="/admin/users/hanna/disable"' in text(confirm) and "Disable the user hanna?" in text(
        confirm
    )
    answer = post(admin, "/admin/users/hanna/disable", page="/admin/users/hanna/disable")
    assert answer.status_code == 303
    assert "User hanna disabled; their sessions ended" in text(admin.client.get("/admin/users/hanna"))
    (disabled,) = entries(admin, "user_disabled")
    assert disabled.actor == "ada" and disabled.data == {"user": "hanna", "sessions_ended": 1}
    assert (
        "User hanna enabled"
        in admin.client.post(
            "/admin/users/hanna/enable", data={"csrf_token": admin.csrf("/admin/users/hanna")}
        ).text
    )
    assert [e.actor for e in entries(admin, "user_enabled")] == ["ada"]


def test_an_admin_cannot_disable_themselves(admin: Site) -> None:
    """Refused with the reason on the user's page (422), in the page's language; the user page
    does not offer it (the last enabled admin is the use case's rule too: tests/workflow)."""
    assert 'href="/admin/users/ada/disable"' not in admin.client.get("/admin/users/ada").text
    answer = post(admin, "/admin/users/ada/disable")
    assert answer.status_code == 422 and "User name: you cannot disable yourself" in text(answer)
    norsk = post(admin, "/admin/users/ada/disable?lang=nb")
    assert norsk.status_code == 422 and "Brukernavn: " in text(norsk)
    assert "you cannot disable yourself" not in text(norsk)
    assert entries(admin, "user_disabled") == []


def test_a_password_reset_ends_the_sessions_and_says_how_many(admin: Site) -> None:
    """A typed password: the flash says it was set and how many sessions ended; an empty one
    is generated and shown once; hanna's browser is signed out."""
    answer = post(
        admin, "/admin/users/hanna/password", {"password": "a new secret"}, page="/admin/users/hanna"
    )
    assert answer.status_code == 303
    assert "Password of hanna set; 1 session ended" in text(admin.client.get("/admin/users/hanna"))
    generated = post(admin, "/admin/users/hanna/password", page="/admin/users/hanna")
    assert generated.status_code == 200 and '<code class="secret">' in text(generated)
    assert "0 sessions ended" in text(generated)
    refused = post(admin, "/admin/users/hanna/password", {"password": "short"}, page="/admin/users/hanna")
    assert refused.status_code == 422 and "at least 8 characters" in text(refused)
    assert [e.actor for e in entries(admin, "password_set")] == ["ada", "ada"]


def test_tokens_are_listed_by_id_and_revoked_one_or_all_after_a_confirmation(admin: Site) -> None:
    """The user page lists token ids, never tokens; one is revoked by its button; "revoke
    every token" asks first, then says how many."""
    first = make(admin, "kari")
    second = users.issue_token(uow=admin.services.uow, clock=admin.services.clock, name="kari", actor="cli")
    users.issue_token(uow=admin.services.uow, clock=admin.services.clock, name="kari", actor="cli")
    page = admin.client.get("/admin/users/kari").text
    assert second.listed.id in page and first not in page and second.token not in page
    answer = post(admin, f"/admin/users/kari/tokens/{second.listed.id}/revoke", page="/admin/users/kari")
    assert answer.status_code == 303
    assert "1 token revoked" in text(admin.client.get("/admin/users/kari"))
    confirm = admin.client.get("/admin/users/kari/tokens/revoke")
    assert "Revoke every API token of kari?" in text(confirm)
    answer = post(admin, "/admin/users/kari/tokens/revoke", page="/admin/users/kari/tokens/revoke")
    assert "2 tokens revoked" in text(admin.client.get(answer.headers["location"]))
    again = post(admin, "/admin/users/kari/tokens/revoke")
    assert again.status_code == 422 and "has no active token" in text(again)
    assert [e.data["revoked"] for e in entries(admin, "token_revoked")] == [1, 2]


def test_the_second_factor_is_removed_after_a_confirmation(admin: Site) -> None:
    """An enrolled user's page offers removal; the confirmation page's form removes it."""
    users.enrol_totp(
        uow=admin.services.uow, clock=admin.services.clock, name="hanna", actor="cli", issuer="t"
    )
    assert 'href="/admin/users/hanna/totp/remove"' in text(admin.client.get("/admin/users/hanna"))
    answer = post(admin, "/admin/users/hanna/totp/remove", page="/admin/users/hanna/totp/remove")
    assert answer.status_code == 303
    assert "Second factor of hanna removed" in text(admin.client.get("/admin/users/hanna"))
    assert [e.actor for e in entries(admin, "totp_removed")] == ["ada"]


def test_the_calendar_url_is_shown_as_listed_and_revoked_after_a_confirmation(admin: Site) -> None:
    """The user page says when the URL was made, its language and cases, never its token or
    hash; "revoke" asks first, then the URL answers 404, the page says so, and the entry is
    `calendar_feed_revoked` with the admin as actor; once more, 422 saying there is none."""
    assert "No calendar URL." in text(admin.client.get("/admin/users/hanna"))
    assert 'href="/admin/users/hanna/calendar/revoke"' not in admin.client.get("/admin/users/hanna").text
    made = feeds.make_feed(
        uow=admin.services.uow, clock=admin.services.clock, name="hanna", actor="hanna", language="nb"
    )
    assert admin.client.get(f"/calendar/feed/{made.token}.ics").status_code == 200
    page = text(admin.client.get("/admin/users/hanna"))
    assert made.listed.id in page and 'lang="nb">Norsk (bokmål)' in page
    assert "all cases they may read" in page
    assert made.token not in page and users.token_hash(made.token) not in page
    assert "Kalenderadresse" in text(admin.client.get("/admin/users/hanna?lang=nb"))
    confirm = admin.client.get("/admin/users/hanna/calendar/revoke")
    assert confirm.status_code == 200 and "Revoke the calendar URL of hanna?" in text(confirm)
    assert 'action="/admin/users/hanna/calendar/revoke"' in confirm.text
    assert entries(admin, "calendar_feed_revoked") == []  # asking wrote nothing
    answer = post(admin, "/admin/users/hanna/calendar/revoke", page="/admin/users/hanna/calendar/revoke")
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/users/hanna"
    after = text(admin.client.get("/admin/users/hanna"))
    assert "Calendar URL of hanna revoked; it no longer works" in after and "No calendar URL." in after
    assert admin.client.get(f"/calendar/feed/{made.token}.ics").status_code == 404
    (revoked,) = entries(admin, "calendar_feed_revoked")
    assert revoked.actor == "ada" and revoked.data == {"user": "hanna", "feed": made.listed.id}
    again = post(admin, "/admin/users/hanna/calendar/revoke")
    assert again.status_code == 422 and "has no calendar URL to revoke" in text(again)


def test_an_unknown_user_is_a_404_page_and_a_stale_form_is_refused(admin: Site) -> None:
    """No such user: 404 saying so; a form without this browser's token: 403, nothing done."""
    answer = admin.client.get("/admin/users/nobody")
    assert answer.status_code == 404 and "There is no user named 'nobody'." in text(answer)
    stale = admin.client.post("/admin/users/hanna/disable", data={"csrf_token": "forged"})
    assert stale.status_code == 403
    assert entries(admin, "user_disabled") == []
