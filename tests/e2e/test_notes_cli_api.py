"""Internal notes and the case's timeline through the command line and the API, on SQLite and
PostgreSQL: `note add|list`, `POST|GET /api/cases/{ref}/notes`, `GET /api/cases/{ref}/timeline`;
bad input refused with the documented exit code or status, writing nothing; an auditor never
reads a note's text and sees pseudonyms."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest

from states.pseudonyms import pseudonym
from tests.conftest import InProcessCli
from tests.e2e.test_api import Api, running_api
from tests.e2e.test_case_issues import NAME, _log, _open  # a case with a confidential submitter
from workflow.clock import FixedClock

SECRET = f"{NAME} fears reprisals at the plant"


def test_notes_through_the_command_line(ncp: InProcessCli) -> None:
    """add (one back-dated, one replacing it), list as JSON and as lines; the audit log holds
    each note's hash and length, never its text."""
    ref = _open(ncp)
    first = ncp.json("note", "add", ref, "--text", SECRET, "--actor", "sek", "--at", "2025-03-04", "--json")
    assert (first["number"], first["text"], first["author"]) == (1, SECRET, "sek")
    assert first["at"] == "2025-03-03T23:00:00+00:00"
    assert first["sha256"] == hashlib.sha256(SECRET.encode()).hexdigest()
    second = ncp.json("note", "add", ref, "--text", "Fixed", "--replaces", "1", "--actor", "sek", "--json")
    assert second["replaces"] == 1
    listed = ncp.json("note", "list", ref, "--json")
    assert [(n["number"], n["replaced_by"]) for n in listed["notes"]] == [(1, 2), (2, None)]
    lines = ncp("note", "list", ref).stdout
    assert "note 1" in lines and "(replaced by note 2)" in lines and SECRET in lines
    log = _log(ncp, ref)
    assert [e["data"]["length"] for e in log if e["kind"] == "note_added"] == [len(SECRET), len("Fixed")]
    assert SECRET not in json.dumps(log)


def test_bad_note_input_on_the_command_line_is_refused_and_writes_nothing(ncp: InProcessCli) -> None:
    """Blank text, a future date, an unknown note to replace: exit 2 naming the option; an
    unknown case: exit 4; an auditor as actor: exit 1, and may not list them either."""
    ref = _open(ncp)
    ncp("users", "add", "aud", "--role", "auditor", "--actor", "root")
    before = _log(ncp, ref)
    blank = ncp("note", "add", ref, "--text", " ", "--actor", "sek")
    assert blank.returncode == 2 and "--text is required and must not be blank" in blank.stderr
    future = ncp("note", "add", ref, "--text", "x", "--at", "2199-01-01", "--actor", "sek")
    assert future.returncode == 2 and "--at 2199-01-01 is in the future" in future.stderr
    unknown = ncp("note", "add", ref, "--text", "x", "--replaces", "3", "--actor", "sek")
    assert unknown.returncode == 2 and f"(--replaces): case {ref} has no note 3" in unknown.stderr
    zero = ncp("note", "add", ref, "--text", "x", "--replaces", "0", "--actor", "sek")
    assert zero.returncode == 2 and "--replaces" in zero.stderr
    missing = ncp("note", "add", "NCP-2099-001", "--text", "x", "--actor", "sek")
    assert missing.returncode == 4
    auditor = ncp("note", "add", ref, "--text", "x", "--actor", "aud")
    assert auditor.returncode == 1 and "may not write internal notes" in auditor.stderr
    assert _log(ncp, ref) == before
    ncp("note", "add", ref, "--text", SECRET, "--actor", "sek")
    reading = ncp("note", "list", ref, "--json", "--actor", "aud")
    assert reading.returncode == 1 and SECRET not in reading.stdout + reading.stderr


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as made:
        yield made


def test_notes_and_the_timeline_through_the_api_as_each_role_may(api: Api) -> None:
    """A handler and a member write notes; the handler, member and admin read them; an auditor
    may neither, and its timeline holds the note's entry without text, with pseudonyms."""
    handler, auditor = api.user("hanna", "handler"), api.user("revisor", "auditor")
    member, admin = api.user("mari", "member", "member-b"), api.user("ada", "admin")
    ref = api.open(handler, submitters=[NAME], confidential_submitter=True)["reference"]
    base = f"/api/cases/{ref}/notes"
    written = api.client.post(base, json={"text": SECRET}, headers=handler)
    assert written.status_code == 201, written.text
    assert written.json()["number"] == 1 and written.json()["text"] == SECRET
    corrected = api.client.post(base, json={"text": "Member's view", "replaces": 1}, headers=member)
    assert corrected.status_code == 201, corrected.text
    for reader in (handler, member, admin):
        assert [n["number"] for n in api.client.get(base, headers=reader).json()["notes"]] == [1, 2]
    refused = api.client.get(base, headers=auditor)
    assert refused.status_code == 403 and SECRET not in refused.text
    assert api.client.post(base, json={"text": "x"}, headers=auditor).status_code == 403
    assert api.client.post(base, json={"text": "x"}, headers=admin).status_code == 403
    story = api.client.get(f"/api/cases/{ref}/timeline", headers=handler).json()
    assert [e["id"] for e in story["items"][:2]] == ["note-2", "note-1"]
    assert story["items"][1]["text"] == SECRET
    seen = api.client.get(f"/api/cases/{ref}/timeline?kind=note", headers=auditor)
    assert seen.status_code == 200
    body = seen.json()
    assert [(e["id"], e["withheld"], e["text"]) for e in body["items"]] == [
        ("note-2", True, None),
        ("note-1", True, None),
    ]
    assert NAME not in seen.text and "fears reprisals" not in seen.text
    opened = api.client.get(f"/api/cases/{ref}/timeline?kind=step", headers=auditor).json()["items"][-1]
    assert opened["what"] == "opened" and pseudonym(ref, NAME) not in json.dumps(story)


def test_bad_note_and_timeline_input_through_the_api_is_a_4xx_and_writes_nothing(api: Api) -> None:
    """Unknown case 404; blank or overlong text, a note it does not have, an unknown field or
    kind, a page of 0: 422 naming the field; nothing written."""
    handler = api.user("hanna", "handler")
    ref = api.open(handler)["reference"]
    base = f"/api/cases/{ref}/notes"
    before = api.client.get(f"/api/cases/{ref}/audit", headers=handler).json()
    for status, path, body, field in [
        (404, "/api/cases/NCP-2099-001/notes", {"text": "t"}, None),
        (422, base, {"text": "  "}, "text"),
        (422, base, {"text": "x" * 20_001}, "text"),
        (422, base, {}, "text"),
        (422, base, {"text": "t", "replaces": 4}, None),
        (422, base, {"text": "t", "colour": "red"}, "colour"),
        (422, base, {"text": "t", "at": "2199-01-01"}, None),
    ]:
        answer = api.client.post(path, json=body, headers=handler)
        assert answer.status_code == status, (body, answer.text)
        if field is not None:
            assert field in answer.json()["fields"], answer.text
    assert api.client.get(f"/api/cases/{ref}/audit", headers=handler).json() == before
    timeline = f"/api/cases/{ref}/timeline"
    assert api.client.get(f"{timeline}?kind=gossip", headers=handler).status_code == 422
    assert api.client.get(f"{timeline}?page=0", headers=handler).status_code == 422
    assert api.client.get("/api/cases/NCP-2099-001/timeline", headers=handler).status_code == 404
    paged = api.client.get(f"{timeline}?per_page=1&page=1", headers=handler).json()
    assert paged["per_page"] == 1 and len(paged["items"]) == 1 and paged["total"] >= 1
