"""The correspondence log through the command line and the API on SQLite and PostgreSQL: added,
listed in the NCP's time, audited; bad input refused naming the input and writing nothing; an
auditor reads pseudonyms and may not log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from states.pseudonyms import pseudonym
from tests.conftest import ROOT, InProcessCli
from tests.e2e.test_api import Api, running_api
from workflow.bootstrap import bootstrap
from workflow.clock import FixedClock
from workflow.config import load_settings

NAME = "Kari Nordmann"


def _open(ncp: InProcessCli) -> str:
    opened = ncp.json(
        "case", "open", "--title", "Tailings dam", "--submitter", NAME, "--enterprise", "Nordic Metals ASA",
        "--received", "2025-03-03", "--actor", "sek", "--json",
    )  # fmt: skip
    return str(opened["reference"])


def _log(ncp: InProcessCli, ref: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in ncp("audit", "log", ref).stdout.splitlines()]


def test_correspondence_add_and_list_on_the_command_line(ncp: InProcessCli, database_url: str) -> None:
    """`add` prints the entry (party by key, documents by number); `list` shows local times;
    each entry is one `correspondence_logged` audit entry."""
    ref = _open(ncp)
    app = bootstrap(load_settings(ROOT / "config.toml", database_url=database_url))
    try:
        for title in ("Letter", "Annex 1", "Annex 2"):
            app.documents.add(
                reference=ref, source=[b"%PDF-1.4\n"], filename="a.pdf", title=title, direction="in",
                access="parties", actor="sek",
            )  # fmt: skip
    finally:
        app.close()
    added = ncp.json(
        "correspondence", "add", ref, "--direction", "in", "--party", NAME, "--channel", "post",
        "--subject", "Letter with annexes", "--at", "2025-03-10T09:30:00+00:00", "--document", "3",
        "--document", "1", "--actor", "sek", "--json",
    )  # fmt: skip
    assert added["number"] == 1 and added["party"] == "submitter-1" and added["documents"] == [3, 1]
    assert added["at"] == "2025-03-10T09:30:00+00:00" and added["party_name"] == NAME
    ncp.json(
        "correspondence", "add", ref, "--direction", "out", "--party", "enterprise-1", "--channel",
        "phone", "--subject", "Asked for a reply", "--actor", "sek", "--json",
    )  # fmt: skip
    listed = ncp("correspondence", "list", ref)
    assert listed.returncode == 0, listed.stderr
    assert (
        "1. 2025-03-10 10:30 CET post from submitter-1 (Kari Nordmann): Letter with annexes" in listed.stdout
    )
    assert "[documents 3, 1]" in listed.stdout and "phone to enterprise-1" in listed.stdout
    document = ncp.json("correspondence", "list", ref, "--json")
    assert [e["number"] for e in document["entries"]] == [1, 2]
    logged = [e for e in _log(ncp, ref) if e["kind"] == "correspondence_logged"]
    assert [e["data"]["channel"] for e in logged] == ["post", "phone"]


def test_bad_correspondence_on_the_command_line_is_refused_and_writes_nothing(ncp: InProcessCli) -> None:
    """Each refusal names the option; exit 2 (4 for an unknown case); the log is unchanged."""
    ref = _open(ncp)
    before = _log(ncp, ref)
    base = ["--direction", "in", "--party", "submitter-1", "--channel", "email", "--subject", "s"]
    cases = [
        (4, "no case with reference", ["NCP-2099-001", *base]),
        (2, "--channel: unknown channel 'fax'", [ref, *base[:5], "fax", *base[6:]]),
        (2, "--direction: unknown direction 'up'", [ref, "--direction", "up", *base[2:]]),
        (
            2,
            f"case {ref} has no party 'enterprise-3'",
            [ref, *base[:2], "--party", "enterprise-3", *base[4:]],
        ),
        (2, "--subject", [ref, *base[:7], " "]),
        (2, "--at", [ref, *base, "--at", "2099-01-01"]),
        (2, "--document", [ref, *base, "--document", "0"]),
        (2, f"case {ref} has no document 7", [ref, *base, "--document", "7"]),
    ]
    for code, message, args in cases:
        answer = ncp("correspondence", "add", *args, "--actor", "sek")
        assert (answer.returncode, message in answer.stderr) == (code, True), (args, answer.stderr)
        assert "Traceback" not in answer.stderr
    assert _log(ncp, ref) == before


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as made:
        yield made


def test_correspondence_through_the_api_as_each_role_may(api: Api) -> None:
    """A handler logs (201, the entry); everyone reads; an auditor sees a pseudonym and may not
    log (403); bad input is a 422 naming the field and writes nothing."""
    handler, auditor = api.user("hanna", "handler"), api.user("revisor", "auditor")
    ref = api.open(handler, submitters=[NAME], confidential_submitter=True)["reference"]
    base = f"/api/cases/{ref}/correspondence"
    body = {"direction": "in", "party": "submitter-1", "channel": "meeting", "subject": f"Met {NAME}"}
    made = api.client.post(base, json=body, headers=handler)
    assert made.status_code == 201, made.text
    assert made.json()["number"] == 1 and made.json()["subject"] == f"Met {NAME}"
    seen = api.client.get(base, headers=auditor).json()["entries"][0]
    assert NAME not in json.dumps(seen) and seen["subject"] == f"Met {pseudonym(ref, NAME)}"
    refused = api.client.post(base, json=body, headers=auditor)
    assert refused.status_code == 403 and "may not log correspondence" in refused.json()["detail"]
    before = api.client.get(f"/api/cases/{ref}/audit", headers=handler).json()
    for change, field in [
        ({"channel": "fax"}, "channel"),
        ({"subject": ""}, "subject"),
        ({"documents": [0]}, "documents"),
    ]:
        answer = api.client.post(base, json={**body, **change}, headers=handler)
        assert answer.status_code == 422 and field in answer.json()["fields"], answer.text
    unknown = api.client.post(base, json={**body, "party": "enterprise-9"}, headers=handler)
    assert unknown.status_code == 422 and "has no party 'enterprise-9'" in unknown.json()["detail"]
    assert (
        api.client.post("/api/cases/NCP-2099-001/correspondence", json=body, headers=handler).status_code
        == 404
    )
    assert api.client.get(f"/api/cases/{ref}/audit", headers=handler).json() == before


def test_letters_through_the_api_as_each_role_may(api: Api) -> None:
    """A handler drafts, edits and sends; the others read; an auditor sees a pseudonym in the
    letter's text, may not download the PDF of a letter to the withheld submitter (it names it:
    403) where a member does, and may not draft (403); bad input is a 422 naming the field."""
    handler, auditor, member = (
        api.user("hanna", "handler"),
        api.user("revisor", "auditor"),
        api.user("mari", "member", "member-b"),
    )
    ref = api.open(handler, submitters=[NAME], confidential_submitter=True)["reference"]
    base = f"/api/cases/{ref}/letters"
    listed = api.client.get(base, headers=auditor).json()
    assert listed["letters"] == [] and "acknowledgement" in listed["offered"]
    drafted = api.client.post(base, json={"kind": "acknowledgement", "party": "submitter-1"}, headers=handler)
    assert drafted.status_code == 201, drafted.text
    assert drafted.json()["number"] == 1 and drafted.json()["status"] == "draft"
    edited = api.client.post(
        f"{base}/1/text", json={"text": f"To {NAME}\n\nWe have your complaint."}, headers=handler
    )
    assert edited.status_code == 200 and edited.json()["subject"] == f"To {NAME}"
    seen = api.client.get(base, headers=auditor).json()["letters"][0]
    assert NAME not in json.dumps(seen) and seen["subject"] == f"To {pseudonym(ref, NAME)}"
    pdf = api.client.get(f"{base}/1/pdf", headers=member)
    assert (
        pdf.status_code == 200
        and pdf.content.startswith(b"%PDF")
        and "attachment" in pdf.headers["content-disposition"]
    )
    refused = api.client.get(f"{base}/1/pdf", headers=auditor)
    assert refused.status_code == 403 and "confidential submitters' identities" in refused.json()["detail"]
    for user in (auditor, member):
        refused = api.client.post(
            base, json={"kind": "acknowledgement", "party": "submitter-1"}, headers=user
        )
        assert refused.status_code == 403 and "may not write and send letters" in refused.json()["detail"]
    before = api.client.get(f"/api/cases/{ref}/audit", headers=handler).json()
    for path, body, field in [
        (base, {"kind": "birthday", "party": "submitter-1"}, "kind"),
        (f"{base}/1/text", {"text": ""}, "text"),
        (f"{base}/1/send", {"channel": "fax"}, "channel"),
        (f"{base}/1/send", {"channel": "email", "to": "no address"}, "to"),
    ]:
        answer = api.client.post(path, json=body, headers=handler)
        assert answer.status_code == 422 and field in answer.json()["fields"], answer.text
    assert api.client.post(f"{base}/9/send", json={"channel": "post"}, headers=handler).status_code == 422
    assert api.client.get(f"{base}/1/odt", headers=handler).status_code in (404, 405)
    assert api.client.get(f"/api/cases/{ref}/audit", headers=handler).json() == before
    sent = api.client.post(
        f"{base}/1/send", json={"channel": "email", "to": "kari@example.org"}, headers=handler
    )
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    again = api.client.post(f"{base}/1/send", json={"channel": "post"}, headers=handler)
    assert again.status_code == 409 and "letter 1 was already sent" in again.json()["detail"]
