"""Company engagement through the command line and the API, on SQLite and PostgreSQL:
`engagement invite|respond|concern|list|reasons`, `report engagement`, and their API routes; bad
input refused with the documented exit code or status, naming the input and writing nothing; an
auditor reads that a concern was raised, never its text."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.conftest import InProcessCli
from tests.e2e.test_api import Api, running_api
from tests.e2e.test_case_issues import NAME, _log, _open  # a case with a confidential submitter
from workflow.clock import FixedClock

CONCERN = f"The enterprise told {NAME} to withdraw the complaint"


def test_engagement_through_the_command_line(ncp: InProcessCli) -> None:
    """invite, respond (a decline with two reasons), concern, list as JSON and as lines, and the
    report as JSON, CSV and a table; the audit log holds the concern's hash, not its text."""
    ref = _open(ncp)
    invited = ncp.json(
        "engagement", "invite", ref, "--party", "enterprise-1", "--to", "good_offices",
        "--channel", "email", "--at", "2025-03-10", "--actor", "sek", "--json",
    )  # fmt: skip
    assert (invited["number"], invited["party"], invited["respond_by"]) == (1, "enterprise-1", "2025-04-09")
    answered = ncp.json(
        "engagement", "respond", ref, "--invitation", "1", "--response", "declined",
        "--reason", "parallel_proceedings", "--reason", "confidentiality", "--at", "2025-03-20",
        "--actor", "sek", "--json",
    )  # fmt: skip
    assert answered["standing"] == "declined"
    assert answered["responses"][0]["reasons"] == ["parallel_proceedings", "confidentiality"]
    raised = ncp.json(
        "engagement", "concern", ref, "--side", "submitter", "--text", CONCERN, "--actor", "sek", "--json"
    )
    assert (raised["side"], raised["text"]) == ("submitter", CONCERN)
    lines = ncp("engagement", "list", ref).stdout
    assert "invitation 1" in lines and "declined" in lines and CONCERN in lines
    assert CONCERN not in json.dumps(_log(ncp, ref))
    report = ncp.json("report", "engagement", "--json")
    assert report["totals"]["declined"] == 1
    assert report["totals"]["reasons"] == {"confidentiality": 1, "parallel_proceedings": 1}
    assert report["totals"]["participation_rate"] == 0.0
    csv = ncp("report", "engagement", "--format", "csv", "--language", "nb").stdout
    assert csv.startswith("\ufeff") and "Deltakelsesgrad (%)" in csv
    table = ncp("report", "engagement").stdout
    assert "Company engagement by year" in table and "parallel_proceedings 1" in table
    codes = [row["code"] for row in ncp.json("engagement", "reasons", "--json")]
    assert "parallel_proceedings" in codes and "other" in codes


def test_bad_engagement_input_on_the_command_line_is_refused_and_writes_nothing(ncp: InProcessCli) -> None:
    """A submitter invited, an unknown kind, an unknown reason code, a response to no
    invitation, a date in the future: exit 2 naming the option; an unknown case: exit 4; an
    auditor as actor: exit 1."""
    ref = _open(ncp)
    ncp("users", "add", "aud", "--role", "auditor", "--actor", "root")
    ncp(
        "engagement",
        "invite",
        ref,
        "--party",
        "enterprise-1",
        "--to",
        "meeting",
        "--channel",
        "post",
        "--actor",
        "sek",
    )
    before = _log(ncp, ref)
    base = ("--to", "meeting", "--channel", "post", "--actor", "sek")
    submitter = ncp("engagement", "invite", ref, "--party", "submitter-1", *base)
    assert submitter.returncode == 2 and "(--party): submitter-1 is not an enterprise" in submitter.stderr
    assert NAME not in submitter.stderr
    kind = ncp(
        "engagement",
        "invite",
        ref,
        "--party",
        "enterprise-1",
        "--to",
        "dinner",
        "--channel",
        "post",
        "--actor",
        "sek",
    )
    assert kind.returncode == 2 and "--to" in kind.stderr
    reason = ncp(
        "engagement",
        "respond",
        ref,
        "--invitation",
        "1",
        "--response",
        "declined",
        "--reason",
        "bored",
        "--actor",
        "sek",
    )
    assert reason.returncode == 2 and "(--reason): unknown reason 'bored'" in reason.stderr
    none = ncp("engagement", "respond", ref, "--invitation", "7", "--response", "accepted", "--actor", "sek")
    assert none.returncode == 2 and f"(--invitation): case {ref} has no invitation 7" in none.stderr
    future = ncp(
        "engagement",
        "concern",
        ref,
        "--side",
        "enterprise",
        "--text",
        "x",
        "--at",
        "2199-01-01",
        "--actor",
        "sek",
    )
    assert future.returncode == 2 and "--at 2199-01-01 is in the future" in future.stderr
    late = ncp("engagement", "invite", ref, "--party", "enterprise-1", "--respond-by", "2300-01-01", *base)
    assert late.returncode == 2 and "--respond-by" in late.stderr
    early = ncp("engagement", "invite", ref, "--party", "enterprise-1", "--at", "1900-01-01", *base)
    assert early.returncode == 2 and "--at" in early.stderr
    year = ncp("report", "engagement", "--year", "1900")
    assert year.returncode == 2 and "--year" in year.stderr
    missing = ncp("engagement", "invite", "NCP-2099-001", "--party", "enterprise-1", *base)
    assert missing.returncode == 4
    auditor = ncp("engagement", "concern", ref, "--side", "enterprise", "--text", "x", "--actor", "aud")
    assert auditor.returncode == 1 and "may not log company engagement" in auditor.stderr
    assert _log(ncp, ref) == before


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as made:
        yield made


def test_engagement_through_the_api_as_each_role_may(api: Api) -> None:
    """A handler invites, records the answer and a concern; an auditor reads the invitation with
    the concern's text withheld and no protected name; a member may not log; bad input is a 422
    naming the field; the report answers the same figures."""
    handler, auditor = api.user("hanna", "handler"), api.user("revisor", "auditor")
    member = api.user("mari", "member", "member-b")
    ref = api.open(handler, submitters=[NAME], confidential_submitter=True)["reference"]
    base = f"/api/cases/{ref}/engagement"
    invited = api.client.post(
        f"{base}/invitations",
        json={"party": "enterprise-1", "to": "meeting", "channel": "email"},
        headers=handler,
    )
    assert invited.status_code == 201, invited.text
    answered = api.client.post(
        f"{base}/responses", json={"invitation": 1, "response": "accepted"}, headers=handler
    )
    assert answered.status_code == 201 and answered.json()["standing"] == "accepted"
    raised = api.client.post(
        f"{base}/concerns", json={"side": "enterprise", "text": CONCERN}, headers=handler
    )
    assert raised.status_code == 201 and raised.json()["text"] == CONCERN
    seen = api.client.get(base, headers=auditor)
    assert seen.status_code == 200
    assert (
        seen.json()["concerns"][0]["withheld"] is True and CONCERN not in seen.text and NAME not in seen.text
    )
    refused = api.client.post(f"{base}/concerns", json={"side": "enterprise", "text": "x"}, headers=member)
    assert refused.status_code == 403
    bad = api.client.post(
        f"{base}/responses",
        json={"invitation": 1, "response": "declined", "reasons": ["bored"]},
        headers=handler,
    )
    assert bad.status_code == 422 and "reasons" in bad.text
    submitter = api.client.post(
        f"{base}/invitations",
        json={"party": "submitter-1", "to": "meeting", "channel": "email"},
        headers=handler,
    )
    assert submitter.status_code == 422 and NAME not in submitter.text
    assert len(api.client.get(base, headers=handler).json()["invitations"]) == 1
    report = api.client.get("/api/reports/engagement", headers=auditor).json()
    assert (report["totals"]["accepted"], report["totals"]["participation_rate"]) == (1, 1.0)
