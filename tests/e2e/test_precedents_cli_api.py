"""Precedents through the command line and the API, on SQLite and PostgreSQL: `case similar
[--json] [--limit N]` and `GET /api/cases/{ref}/similar`; a case with no precedent says so; bad
input refused with the documented exit code or status, writing nothing; an auditor reads a
precedent whose title names a confidential submitter without the name."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.conftest import InProcessCli
from tests.e2e.test_api import Api, running_api
from tests.e2e.test_case_issues import _log
from workflow.clock import FixedClock

NAME = "Kari Nordmann"


def _case(ncp: InProcessCli, title: str, *extra: str) -> str:
    opened = ncp.json(
        "case", "open", "--title", title, "--submitter", "Open NGO", "--enterprise", "Nordic Metals ASA",
        "--theme", "environment", "--host-country", "NO", "--sector", "mining",
        "--received", "2025-03-04", "--actor", "sek", "--json", *extra,
    )  # fmt: skip
    return str(opened["reference"])


def _conclude(ncp: InProcessCli, ref: str) -> None:
    for trigger, reason in (("begin_assessment", "begin"), ("reject", "not material")):
        ncp("case", "advance", ref, trigger, "--actor", "sek", "--reason", reason)


def test_similar_cases_through_the_command_line(ncp: InProcessCli) -> None:
    """The concluded twin scores 12 (all four dimensions); human lines and --json agree, the
    lines with dates as English writes them, --json with ISO dates."""
    case, twin = _case(ncp, "Tailings dam"), _case(ncp, "Tailings dam, earlier")
    assert "no similar past cases" in ncp("case", "similar", case).stdout
    _conclude(ncp, twin)
    found = ncp.json("case", "similar", case, "--json")
    assert found["reference"] == case and found["threshold"] == 3
    (shown,) = found["precedents"]
    assert (shown["reference"], shown["score"], shown["source"], shown["outcome"]) == (
        twin,
        12.0,
        "own",
        "not_accepted",
    )
    line = ncp("case", "similar", case).stdout
    assert f"{twin} 12.00 [own] Tailings dam, earlier -- final statement, not accepted" in line
    assert "shares chapters (environment), host countries (NO), sector, enterprise" in line
    # Dates as English writes them (Babel, en_GB); --json keeps them as ISO.
    assert "; received 4 Mar 2025, concluded " in line and "2025-03-04" not in line
    assert re.search(r"concluded \d{1,2} [A-Z][a-z]{2,3} \d{4};", line), line
    assert shown["received"] == "2025-03-04" and re.fullmatch(r"\d{4}-\d\d-\d\d", shown["concluded"])


def test_bad_similar_input_on_the_command_line_is_refused_and_writes_nothing(ncp: InProcessCli) -> None:
    """Exit 2 naming --limit out of bounds, exit 4 for an unknown case; nothing written."""
    case = _case(ncp, "Tailings dam")
    before = _log(ncp, case)
    for limit in ("0", "101", "many"):
        refused = ncp("case", "similar", case, "--limit", limit)
        assert refused.returncode == 2 and "--limit" in refused.stderr
    assert ncp("case", "similar", "NCP-2099-001").returncode == 4
    assert _log(ncp, case) == before


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as made:
        yield made


def test_similar_cases_through_the_api_as_each_role_may(api: Api) -> None:
    """A handler reads the precedent's title with the confidential submitter's name, an auditor
    without it; a bad limit is a 422 naming it; an unknown case a 404."""
    handler, auditor = api.user("hanna", "handler"), api.user("revisor", "auditor")
    hidden = api.open(
        handler,
        title=f"{NAME} v. Nordic Metals",
        submitters=[NAME],
        confidential_submitter=True,
        themes=["environment"],
    )["reference"]
    for trigger in ("begin_assessment", "reject"):
        moved = api.client.post(
            f"/api/cases/{hidden}/transitions", json={"trigger": trigger, "reason": "r"}, headers=handler
        )
        assert moved.status_code == 200, moved.text
    ref = api.open(handler, themes=["environment"])["reference"]
    mine = api.client.get(f"/api/cases/{ref}/similar", headers=handler)
    assert mine.status_code == 200 and mine.json()["precedents"][0]["title"] == f"{NAME} v. Nordic Metals"
    seen = api.client.get(f"/api/cases/{ref}/similar", headers=auditor)
    assert seen.status_code == 200 and seen.json()["precedents"][0]["reference"] == hidden
    assert NAME not in seen.text
    bad = api.client.get(f"/api/cases/{ref}/similar?limit=0", headers=handler)
    assert bad.status_code == 422 and "limit" in bad.text
    assert api.client.get("/api/cases/NCP-2099-001/similar", headers=handler).status_code == 404
