"""A case's issues (partial acceptance) through the command line and the API, on SQLite and
PostgreSQL: recorded, decided and concluded; shown in `case show` and the case's document;
counted by `report annual` and listed by `report oecd`; bad input refused with the documented
exit code or status; an issue title naming a confidential submitter is a pseudonym for an
auditor."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from states.pseudonyms import pseudonym
from tests.conftest import InProcessCli
from tests.e2e.conftest import Site
from tests.e2e.test_api import Api, running_api
from workflow.clock import FixedClock

NAME = "Kari Nordmann"


def _open(ncp: InProcessCli) -> str:
    opened = ncp.json(
        "case",
        "open",
        "--title",
        "Tailings dam",
        "--submitter",
        NAME,
        "--confidential-submitter",
        "--enterprise",
        "Nordic Metals ASA",
        "--received",
        "2025-03-03",
        "--actor",
        "sek",
        "--json",
    )
    return str(opened["reference"])


def _log(ncp: InProcessCli, ref: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in ncp("audit", "log", ref).stdout.splitlines()]


def test_issues_through_the_command_line_and_in_the_reports(ncp: InProcessCli) -> None:
    """add, decide (accepted, back-dated; not accepted), result and list; `case show` holds
    them; `accept --scope` still records its scope; the case counts as partially accepted."""
    ref = _open(ncp)
    ncp.json(
        "case",
        "advance",
        ref,
        "begin_assessment",
        "--actor",
        "sek",
        "--reason",
        "r",
        "--at",
        "2025-03-04",
        "--json",
    )
    accepted = ncp.json(
        "case", "advance", ref, "accept", "--actor", "sek", "--reason", "r", "--at", "2025-04-01",
        "--scope", "VI only", "--json",
    )  # fmt: skip
    assert accepted["scope"] == "VI only"
    first = ncp.json(
        "case", "issue", "add", ref, "--title", "Drinking water", "--chapter", "vi", "--chapter", "iv",
        "--actor", "sek", "--json",
    )  # fmt: skip
    assert (first["number"], first["chapters"], first["decision"]) == (
        1,
        ["environment", "human_rights"],
        "undecided",
    )
    ncp.json(
        "case", "issue", "add", ref, "--title", "Tax", "--chapter", "taxation", "--actor", "sek", "--json"
    )
    decided = ncp.json(
        "case", "issue", "decide", ref, "1", "--accepted", "--at", "2025-04-01", "--actor", "sek", "--json"
    )
    assert (decided["decision"], decided["decided_on"]) == ("accepted", "2025-04-01")
    ncp.json(
        "case",
        "issue",
        "decide",
        ref,
        "2",
        "--not-accepted",
        "--at",
        "2025-04-01",
        "--actor",
        "sek",
        "--json",
    )
    done = ncp.json(
        "case",
        "issue",
        "result",
        ref,
        "1",
        "--outcome",
        "agreement",
        "--at",
        "2025-09-01",
        "--actor",
        "sek",
        "--json",
    )
    assert (done["outcome"], done["outcome_on"]) == ("agreement", "2025-09-01")
    listed = ncp.json("case", "issue", "list", ref, "--json")
    shown = ncp.json("case", "show", ref, "--json")
    assert listed == {"reference": ref, "issues": shown["issues"]}
    assert [(i["number"], i["decision"], i["outcome"]) for i in shown["issues"]] == [
        (1, "accepted", "agreement"),
        (2, "not_accepted", None),
    ]
    text = ncp("case", "issue", "list", ref).stdout
    assert "issue 1: Drinking water [environment, human_rights]: accepted on 2025-04-01" in text
    assert "issue 2: Tax [taxation]: not_accepted" in ncp("case", "show", ref).stdout
    kinds = [e["kind"] for e in _log(ncp, ref)]
    assert kinds[-5:] == ["issue_added", "issue_added", "issue_decided", "issue_decided", "issue_concluded"]
    assert ncp("audit", "verify").returncode == 0
    annual = ncp.json("report", "annual", "--year", "2025", "--json")
    assert (annual["accepted"], annual["partially_accepted"]) == (1, 1)
    (row,) = ncp.json("report", "oecd", "--json")
    assert row["partially_accepted"] is True
    assert [(i["chapters"], i["decision"], i["outcome"]) for i in row["issues"]] == [
        (["VI. Environment", "IV. Human Rights"], "accepted", "agreement"),
        (["XI. Taxation"], "not_accepted", None),
    ]
    assert NAME not in json.dumps(row)  # titles stay out of the OECD row
    csv = ncp("report", "oecd", "--format", "csv").stdout
    assert "partially_accepted,issues" in csv.splitlines()[0] and "XI. Taxation" in csv


def test_bad_issue_input_on_the_command_line_is_refused_and_writes_nothing(ncp: InProcessCli) -> None:
    """Unknown case 4; unknown issue, chapter, outcome, both or neither decision flag 2; an
    outcome for an issue not accepted 1; each with a message naming the input."""
    ref = _open(ncp)
    ncp.json("case", "issue", "add", ref, "--title", "Tax", "--chapter", "xi", "--actor", "sek", "--json")
    ncp.json("case", "issue", "decide", ref, "1", "--not-accepted", "--actor", "sek", "--json")
    before = _log(ncp, ref)
    add, decide, result = (
        ["case", "issue", "add"],
        ["case", "issue", "decide", ref],
        ["case", "issue", "result", ref],
    )
    cases = [
        (4, "no case with reference", [*add, "NCP-2099-009", "--title", "t", "--chapter", "iv"]),
        (2, f"issue number (N): case {ref} has no issue 9", [*decide, "9", "--accepted"]),
        (2, "--chapter: unknown Guidelines chapter 'xii'", [*add, ref, "--title", "t", "--chapter", "xii"]),
        (2, "--title", [*add, ref, "--title", " ", "--chapter", "iv"]),
        (2, "exactly one of --accepted or --not-accepted", [*decide, "1"]),
        (2, "exactly one of", [*decide, "1", "--accepted", "--not-accepted"]),
        (2, "--outcome: unknown outcome of an issue", [*result, "1", "--outcome", "won"]),
        (2, "--at", [*decide, "1", "--accepted", "--at", "2025-03-01"]),
        (1, "only an accepted issue has an outcome", [*result, "1", "--outcome", "agreement"]),
    ]
    for code, message, args in cases:
        answer = ncp(*args, "--actor", "sek")
        assert (answer.returncode, message in answer.stderr) == (code, True), (args, answer.stderr)
        assert "Traceback" not in answer.stderr
    unknown = ncp("case", "issue", "list", "NCP-2099-009")
    assert unknown.returncode == 4 and "no case with reference 'NCP-2099-009'" in unknown.stderr
    assert _log(ncp, ref) == before


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as made:
        yield made


def test_issues_through_the_api_as_each_role_may(api: Api) -> None:
    """A handler adds, decides and concludes; everyone reads; an auditor may not write; the
    case's document holds the issues; a title naming a confidential submitter is a pseudonym
    for the auditor, as stored for the handler."""
    handler, auditor = api.user("hanna", "handler"), api.user("revisor", "auditor")
    case = api.open(handler, submitters=[NAME], confidential_submitter=True)
    ref = case["reference"]
    base = f"/api/cases/{ref}/issues"
    added = api.client.post(
        base, json={"title": f"Water of {NAME}'s village", "chapters": ["iv", "environment"]}, headers=handler
    )
    assert added.status_code == 201, added.text
    assert added.json()["issues"][0]["chapters"] == ["human_rights", "environment"]
    api.client.post(
        base, json={"title": "Tax", "chapters": ["xi"], "reason": "as submitted"}, headers=handler
    )
    decided = api.client.post(
        f"{base}/1/decision", json={"decision": "accepted", "at": "2025-06-01"}, headers=handler
    )
    assert decided.status_code == 200, decided.text
    api.client.post(f"{base}/2/decision", json={"decision": "not_accepted"}, headers=handler)
    done = api.client.post(f"{base}/1/result", json={"outcome": "partial_agreement"}, headers=handler)
    assert done.status_code == 200, done.text
    issues = done.json()["issues"]
    assert [(i["decision"], i["decided_on"], i["outcome"]) for i in issues] == [
        ("accepted", "2025-06-01", "partial_agreement"),
        ("not_accepted", "2025-06-02", None),
    ]
    assert api.client.get(base, headers=handler).json()["issues"][0]["title"] == f"Water of {NAME}'s village"
    assert api.client.get(f"/api/cases/{ref}", headers=handler).json()["issues"] == issues
    seen = api.client.get(base, headers=auditor).json()["issues"][0]["title"]
    assert NAME not in seen and seen == f"Water of {pseudonym(ref, NAME)}'s village"
    document = api.client.get(f"/api/cases/{ref}", headers=auditor).json()
    assert NAME not in json.dumps(document) and pseudonym(ref, NAME) in document["issues"][0]["title"]
    entries = api.client.get(f"/api/cases/{ref}/audit", headers=auditor).json()["items"]
    assert NAME not in json.dumps(entries) and any(e["kind"] == "issue_added" for e in entries)
    refused = api.client.post(base, json={"title": "t", "chapters": ["iv"]}, headers=auditor)
    assert refused.status_code == 403 and "may not edit cases" in refused.json()["detail"]
    page = api.client.get("/api/cases?limit=10", headers=auditor).json()["items"][0]
    assert NAME not in json.dumps(page) and len(page["issues"]) == 2


def test_bad_issue_input_through_the_api_is_a_4xx_and_writes_nothing(api: Api) -> None:
    """Unknown case 404; unknown issue, chapter, decision, outcome, a missing field 422 naming
    the field; an outcome for an issue not accepted 409."""
    handler = api.user("hanna", "handler")
    ref = api.open(handler)["reference"]
    base = f"/api/cases/{ref}/issues"
    api.client.post(base, json={"title": "Tax", "chapters": ["xi"]}, headers=handler)
    api.client.post(f"{base}/1/decision", json={"decision": "not_accepted"}, headers=handler)
    before = api.client.get(f"/api/cases/{ref}/audit", headers=handler).json()
    cases = [
        (404, "/api/cases/NCP-2099-001/issues", {"title": "t", "chapters": ["iv"]}, None),
        (422, base, {"title": "t", "chapters": ["xii"]}, "chapters"),
        (422, base, {"title": "t", "chapters": []}, "chapters"),
        (422, base, {"chapters": ["iv"]}, "title"),
        (422, f"{base}/7/decision", {"decision": "accepted"}, None),
        (422, f"{base}/0/decision", {"decision": "accepted"}, None),
        (422, f"{base}/1/decision", {"decision": "undecided"}, "decision"),
        (422, f"{base}/1/decision", {"decision": "accepted", "at": "2031-01-01"}, None),
        (422, f"{base}/1/result", {"outcome": "won"}, "outcome"),
        (409, f"{base}/1/result", {"outcome": "agreement"}, None),
    ]
    for status, path, body, field in cases:
        answer = api.client.post(path, json=body, headers=handler)
        assert answer.status_code == status, (path, body, answer.text)
        if field is not None:
            assert field in answer.json()["fields"], answer.text
    assert api.client.get("/api/cases/NCP-2099-001/issues", headers=handler).status_code == 404
    assert api.client.get(f"/api/cases/{ref}/audit", headers=handler).json() == before


def test_the_case_page_shows_the_issues_in_english_and_norwegian(site: Site) -> None:
    """The Issues card lists each issue: its chapters by numeral, decision and outcome, worded
    in the page's language; a case without issues has no such card."""
    assert 'id="issues"' not in site.client.get(f"/cases/{site.reference}?lang=en").text
    cases = site.services.cases
    cases.add_issue(reference=site.reference, actor="test", title="Drinking water", chapters=["vi", "iv"])
    cases.add_issue(reference=site.reference, actor="test", title="Tax planning", chapters=["xi"])
    cases.decide_issue(
        reference=site.reference, number=1, decision="accepted", actor="test", at=date(2025, 3, 1)
    )
    cases.decide_issue(reference=site.reference, number=2, decision="not_accepted", actor="test")
    english = site.client.get(f"/cases/{site.reference}?lang=en").text
    card = re.sub(r"<[^>]+>", "", english[english.index('id="issues"') :])  # words, not markup
    assert "Drinking water" in card and "VI, IV" in card and "accepted (2025-03-01)" in card
    assert "not accepted" in card and "XI" in card
    norwegian = site.client.get(f"/cases/{site.reference}?lang=nb").text
    card = re.sub(r"<[^>]+>", "", norwegian[norwegian.index('id="issues"') :])
    assert "Klagepunkter" in card and "tatt opp til behandling (2025-03-01)" in card
    assert "ikke tatt opp til behandling" in card
