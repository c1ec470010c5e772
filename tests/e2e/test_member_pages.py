"""The members' pages through HTTP: each leave period and conflict with where it comes from,
adding and removing values in the browser, refusals that name the field and keep the input,
the sync from config.toml as a diff with a confirmation page, and who may do what."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from tests.conftest import make_settings
from tests.e2e.conftest import PASSWORD, Site
from tests.helpers import sign_in
from workflow import cases, users
from workflow.audit import audit_entries
from workflow.bootstrap import bootstrap
from workflow.rotation import sync_members

BASE: list[dict[str, Any]] = [
    {"id": "chair", "name": "Chair", "email": "chair@ncp.test", "role": "chair"},
    {
        "id": "member-b",
        "name": "Member B",
        "email": "b@ncp.test",
        "conflicts": [{"name": "Nordic Metals ASA", "org_number": "923456789"}],
        "leave": [{"from": "2024-07-01", "to": "2024-07-31"}],
    },
    {"id": "member-c", "name": "Member C", "email": "c@ncp.test"},
]
# config.toml as edited after the last sync: member-b's conflict gone, member-d new.
EDITED = [
    BASE[0],
    {**BASE[1], "conflicts": []},
    BASE[2],
    {"id": "member-d", "name": "Member D", "email": "d@ncp.test"},
]


def _site(url: str, members: list[dict[str, Any]]) -> Iterator[Site]:
    synced = bootstrap(make_settings(url, members=BASE, ncp={"language": "en"}))
    sync_members(uow=synced.uow, clock=synced.clock, settings=synced.settings)
    synced.close()
    services = bootstrap(make_settings(url, members=members, ncp={"language": "en"}))
    with TestClient(create_app(services, secret="test-secret"), raise_server_exceptions=False) as client:
        yield Site(client, services, url)
    services.close()


@pytest.fixture
def site(sqlite_url: str) -> Iterator[Site]:
    """The database synced from BASE, config.toml as BASE still; the handler signed in."""
    yield from _site(sqlite_url, BASE)


@pytest.fixture
def edited(sqlite_url: str) -> Iterator[Site]:
    """The database synced from BASE, config.toml since edited (EDITED)."""
    yield from _site(sqlite_url, EDITED)


def text(answer: Any) -> str:
    return html.unescape(answer.text)


def notice(answer: Any) -> str:
    """What the page's error notice says."""
    return text(answer).split('role="alert">')[1].split("</div>")[0]


def post(
    site: Site, path: str, form: dict[str, str] | None = None, *, page: str = "/members/member-b"
) -> Any:
    return site.client.post(
        path, data={"csrf_token": site.csrf(page), **(form or {})}, follow_redirects=False
    )


def entries(site: Site, kind: str) -> list[Any]:
    return [e for e in audit_entries(uow=site.services.uow) if e.kind == kind]


def as_user(site: Site, role: str) -> None:
    users.add_user(
        uow=site.services.uow,
        clock=site.services.clock,
        name=f"a-{role}",
        role=role,
        actor="test",
        password=PASSWORD,
        member_id="member-c" if role == "member" else None,
    )
    site.client.cookies.clear()
    assert sign_in(site.client, f"a-{role}", PASSWORD).status_code == 303


def test_the_member_page_says_which_values_come_from_config_and_which_from_the_browser(site: Site) -> None:
    """Config's leave and conflict are marked config.toml, with no remove button; a leave added
    through the form is saved (flash), marked as set in the browser by the handler, audited."""
    answer = post(site, "/members/member-b/leave", {"first_day": "2031-03-01", "last_day": "2031-03-31"})
    assert answer.status_code == 303 and answer.headers["location"] == "/members/member-b"
    page = text(site.client.get("/members/member-b"))
    assert "Leave of member-b from 2031-03-01 to 2031-03-31 saved" in page
    rows = {row: re.sub(r"\s+", " ", row) for row in re.findall(r"<tr>.*?</tr>", page, re.S)}
    (config_row,) = [flat for flat in rows.values() if "2024-07-01 to 2024-07-31" in flat]
    (browser_row,) = [flat for flat in rows.values() if "2031-03-01 to 2031-03-31" in flat]
    assert '<span class="tag">config.toml</span>' in config_row and "edit config.toml" in config_row
    assert "set in the browser" in browser_row and "hanna" in browser_row
    assert "Nordic Metals ASA (org. no. 923456789)" in page
    assert page.count(">Remove</button>") == 1
    (added,) = entries(site, "member_leave_added")
    assert added.actor == "hanna" and added.data["from"] == "2031-03-01"


def test_a_conflict_is_declared_with_a_reason_and_removed_again(site: Site) -> None:
    """A soft conflict by name: saved and shown with its reason; removed with its button."""
    form = {"party_name": "Fjord Mining AS", "kind": "soft_conflict", "reason": "Former board member"}
    assert post(site, "/members/member-c/conflicts", form, page="/members/member-c").status_code == 303
    page = text(site.client.get("/members/member-c"))
    assert "Conflict of member-c saved" in page and "Former board member" in page
    assert "Soft conflict (takes part, never leads)" in page
    (added,) = entries(site, "member_conflict_added")
    remove = f"/members/member-c/values/{added.data['setting']}/remove"
    assert f'action="{remove}"' in page
    assert post(site, remove, page="/members/member-c").status_code == 303
    page = text(site.client.get("/members/member-c"))
    assert "Conflict of member-c removed" in page and "Fjord Mining AS" not in page
    assert [e.actor for e in entries(site, "member_conflict_removed")] == ["hanna"]


@pytest.mark.parametrize(
    ("path", "form", "en", "nb", "kept"),
    [
        (
            "leave",
            {"first_day": "2031-03-31", "last_day": "2031-03-01", "reason": "Parental leave"},
            "Last day away 2031-03-01 is before the first day away (2031-03-31)",
            "Siste fraværsdag 2031-03-01 er før første fraværsdag",
            ['value="2031-03-31"', 'value="Parental leave"'],
        ),
        (
            "leave",
            {"first_day": "2300-01-01", "last_day": "2300-01-02"},
            "First day away 2300-01-01 is out of range",
            "Første fraværsdag",
            ['value="2300-01-02"'],
        ),
        (
            "conflicts",
            {"party_name": " ", "org_number": "", "reason": "Shareholder"},
            "give Party name or Organisation number (or both)",
            "oppgi Partens navn eller Organisasjonsnummer",
            ['value="Shareholder"'],
        ),
        (
            "conflicts",
            {"party_name": "Nordic Metals ASA", "reason": ""},
            "Reason is required",
            "Begrunnelse",
            ['value="Nordic Metals ASA"'],
        ),
    ],
    ids=["reversed", "out-of-range", "no-party", "no-reason"],
)
def test_a_refused_value_names_the_field_in_the_pages_language_and_keeps_the_input(
    site: Site, path: str, form: dict[str, str], en: str, nb: str, kept: list[str]
) -> None:
    """422, the member page again: the message names the field by its label (English, then
    Norwegian), what was typed is still in the form, and nothing was written."""
    before = len(audit_entries(uow=site.services.uow))
    answer = post(site, f"/members/member-b/{path}", form)
    assert answer.status_code == 422
    assert en in notice(answer), notice(answer)
    assert all(value in answer.text for value in kept)
    norsk = post(site, f"/members/member-b/{path}?lang=nb", form)
    assert norsk.status_code == 422 and nb in notice(norsk), notice(norsk)
    assert len(audit_entries(uow=site.services.uow)) == before


def test_leave_set_in_the_browser_shows_in_the_rotation_at_once(site: Site) -> None:
    """The member next in turn gets leave covering today: the members page's rotation shows
    them on leave, with the period, and names another member next."""
    today = site.services.policy.calendar.local_date(site.services.clock.now())
    found = re.search(r"Next case goes to: <strong>([^<]+)</strong>", text(site.client.get("/members")))
    assert found is not None
    first, last = today - timedelta(days=1), today + timedelta(days=6)
    form = {"first_day": first.isoformat(), "last_day": last.isoformat()}
    away = found.group(1)
    assert post(site, f"/members/{away}/leave", form, page=f"/members/{away}").status_code == 303
    after = text(site.client.get("/members"))
    now_next = re.search(r"Next case goes to: <strong>([^<]+)</strong>", after)
    assert now_next is not None and now_next.group(1) not in (away, "—")
    assert f"on leave {first.isoformat()} to {last.isoformat()}" in after


def test_the_members_page_shows_what_a_sync_would_change_and_the_sync_keeps_browser_values(
    edited: Site,
) -> None:
    """config.toml was edited since the last sync: the members page lists each change with the
    value now and after; the sync page asks first; syncing says what changed, is audited with
    the handler as actor, and a leave set in the browser stays."""
    assert post(
        edited, "/members/member-b/leave", {"first_day": "2031-03-01", "last_day": "2031-03-31"}
    ).is_redirect
    page = text(edited.client.get("/members"))
    assert "Nordic Metals ASA (org. no. 923456789)" in page.split("Conflicts</td>")[1].split("</tr>")[0]
    assert "member-d" in page and "A sync keeps the 1 value set in the browser." in page
    assert 'href="/members/sync"' in page
    confirm = text(edited.client.get("/members/sync"))
    assert 'action="/members/sync"' in confirm and "Sync now" in confirm
    answer = post(edited, "/members/sync", page="/members/sync")
    assert answer.status_code == 303
    done = text(edited.client.get("/members"))
    assert "Members synced from config.toml: added member-d; member-b: conflicts changed" in done
    assert "a sync would change nothing" in done
    assert [e.actor for e in entries(edited, "members_synced")][-1] == "hanna"
    assert "2031-03-01 to 2031-03-31" in text(edited.client.get("/members/member-b"))
    again = post(edited, "/members/sync", page="/members")
    assert "Nothing to sync" in text(edited.client.get(again.headers["location"]))


@pytest.mark.parametrize("role", ["member", "auditor"])
def test_members_and_auditors_read_but_cannot_change_leave_conflicts_or_sync(edited: Site, role: str) -> None:
    """They see the member page and the diff, without forms or the sync link; each form and
    the sync page answer 403 naming the action; nothing is written."""
    as_user(edited, role)
    page = edited.client.get("/members/member-b")
    assert page.status_code == 200 and '<form method="post" action="/members/member-b/leave"' not in page.text
    assert 'href="/members/sync"' not in edited.client.get("/members").text
    before = len(audit_entries(uow=edited.services.uow))
    for path, form in (
        ("/members/member-b/leave", {"first_day": "2031-03-01", "last_day": "2031-03-02"}),
        ("/members/member-b/conflicts", {"party_name": "X AS", "reason": "r"}),
        ("/members/member-b/values/1/remove", {}),
        ("/members/sync", {}),
    ):
        answer = post(edited, path, form)
        assert answer.status_code == 403, path
        assert f"role '{role}' may not manage members' leave and conflicts" in text(answer)
    assert edited.client.get("/members/sync").status_code == 403
    assert len(audit_entries(uow=edited.services.uow)) == before


def test_an_auditor_sees_a_conflict_naming_a_confidential_submitter_as_its_pseudonym(site: Site) -> None:
    """The member page is redacted like the members page: the name becomes the pseudonym."""
    cases.open_case(
        uow=site.services.uow,
        clock=site.services.clock,
        policy=site.services.policy,
        reference_prefix="NCP",
        title="Whistle",
        submitters=[cases.PartyInput("Kari Nordmann", "individual", True)],
        enterprises=[cases.PartyInput("Fjord Mining AS")],
        actor="test",
    )
    form = {"party_name": "Kari Nordmann", "reason": "Neighbour of the submitter"}
    assert post(site, "/members/member-c/conflicts", form, page="/members/member-c").status_code == 303
    assert "Kari Nordmann" in site.client.get("/members/member-c").text
    as_user(site, "auditor")
    page = site.client.get("/members/member-c").text
    assert "Kari Nordmann" not in page and "Neighbour of the submitter" in page


def test_an_unknown_member_is_a_404_page(site: Site) -> None:
    """No such member: 404 naming it; a form for it is refused as a page (422)."""
    answer = site.client.get("/members/nobody")
    assert answer.status_code == 404 and "no member with id 'nobody'" in text(answer)
    refused = post(site, "/members/nobody/leave", {"first_day": "2031-03-01", "last_day": "2031-03-02"})
    assert refused.status_code in (404, 422)
