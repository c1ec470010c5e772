"""`ncpflow case import` and `POST /api/cases/import`: the historical cases come in whole or not
at all, a second import changes nothing, a bad line is named, month-only dates stay months in
the reports, and only an admin may import through the API."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, InProcessCli
from tests.dbdump import dump
from tests.e2e.test_api import Api, running_api
from tests.workflow.test_imports import with_bad_line_17 as bad_text
from workflow.clock import FixedClock

FIXTURE = ROOT / "tests" / "data" / "historical_cases.jsonl"
TEXT = FIXTURE.read_text(encoding="utf-8")


def with_bad_line_17(folder: Path) -> Path:
    """The fixture with line 17's case concluded before it was accepted, as a file."""
    path = folder / "bad.jsonl"
    path.write_text(bad_text(), encoding="utf-8")
    return path


@pytest.fixture
def ncp(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> InProcessCli:
    return InProcessCli(capsys, monkeypatch, database_url, ROOT / "config.toml")


def test_the_command_imports_once_then_finds_everything_unchanged(
    ncp: InProcessCli, database_url: str
) -> None:
    """30 created; again 0 created, 30 unchanged and the audit head is where it was; it verifies."""
    dry = ncp("case", "import", str(FIXTURE), "--actor", "importer", "--dry-run")
    assert dry.returncode == 0 and "30 would be created, 0 unchanged (dry run" in dry.stdout
    assert (
        "closed"
        in ncp.json("case", "import", str(FIXTURE), "--actor", "importer", "--json")["cases"][0]["state"]
    )
    head = ncp.json("audit", "verify", "--json")
    before = dump(database_url)
    again = ncp("case", "import", str(FIXTURE), "--actor", "importer")
    assert again.returncode == 0 and "0 created, 30 unchanged" in again.stdout
    assert dump(database_url) == before
    assert ncp.json("audit", "verify", "--json") == head
    issues = ncp.json("case", "issue", "list", "NCP-2011-001", "--json")["issues"]
    assert [(i["decision"], i["outcome"]) for i in issues] == [
        ("accepted", "agreement"),
        ("not_accepted", None),
    ]
    log = ncp("audit", "log", "NCP-1999-001", "--format", "jsonl").stdout.splitlines()
    imported = [json.loads(line)["data"]["imported"] for line in log]
    assert [(i["date"], i["precision"]) for i in imported[:2]] == [("1999-05", "month"), ("1999-06", "month")]


def test_a_bad_line_17_imports_nothing_and_the_command_names_it(
    ncp: InProcessCli, database_url: str, tmp_path: Path
) -> None:
    """Exit 2, the message names line 17 and its milestone, no row written."""
    before = dump(database_url)
    refused = ncp("case", "import", str(with_bad_line_17(tmp_path)), "--actor", "importer")
    assert refused.returncode == 2
    assert "line 17: milestones[1] (conclude)" in refused.stderr and "nothing imported" in refused.stderr
    assert dump(database_url) == before


def test_other_content_under_an_imported_id_exits_3_and_a_missing_file_2(
    ncp: InProcessCli, tmp_path: Path
) -> None:
    """A conflict is exit 3 naming the line; a file that is not there is bad input."""
    assert ncp("case", "import", str(FIXTURE), "--actor", "importer").returncode == 0
    changed = tmp_path / "changed.jsonl"
    changed.write_text(TEXT.replace("Forced relocation", "Relocation"), encoding="utf-8")
    conflict = ncp("case", "import", str(changed), "--actor", "importer")
    assert (
        conflict.returncode == 3 and "line 1: external_id 'NO-1999-01' was imported before" in conflict.stderr
    )
    missing = ncp("case", "import", str(tmp_path / "none.jsonl"), "--actor", "importer")
    assert missing.returncode == 2 and "none.jsonl cannot be read" in missing.stderr


def test_an_actor_who_is_a_user_without_the_right_may_not_import(
    ncp: InProcessCli, database_url: str
) -> None:
    """`--actor hanna`, a handler: exit 1 naming the role and the action; an admin may."""
    for name, role in [("hanna", "handler"), ("root", "admin")]:
        assert ncp("users", "add", name, "--role", role).returncode == 0
    before = dump(database_url)
    refused = ncp("case", "import", str(FIXTURE), "--actor", "hanna")
    assert refused.returncode == 1 and "role 'handler' may not import past cases" in refused.stderr
    assert dump(database_url) == before
    assert ncp("case", "import", str(FIXTURE), "--actor", "root").returncode == 0


def test_reports_show_months_and_count_approximate_days_only_when_asked(ncp: InProcessCli) -> None:
    """`report timelines` marks month-only rows approximate and leaves them out of the medians
    unless `--include-approximate`; `report oecd` shows `1999-05`, never an invented day."""
    assert ncp("case", "import", str(FIXTURE), "--actor", "importer").returncode == 0
    plain = ncp.json("report", "timelines", "--json")
    counted = ncp.json("report", "timelines", "--json", "--include-approximate")
    first = [row for row in plain["stages"] if row["reference"] == "NCP-1999-001"]
    assert first[0]["start"] == "1999-05" and first[0]["approximate"] is True
    assert plain["totals"]["initial_assessment"]["approximate"] > 0
    medians = [r["totals"]["initial_assessment"]["median_days"] for r in (plain, counted)]
    assert medians[0] != medians[1]
    html = ncp("report", "timelines", "--format", "html", "--language", "en").stdout
    assert "left out of the medians" in html and '<th scope="col">Approximate</th>' in html
    assert "Jan 2007" in html or "May 1999" in html  # a month-only date, worded as a month
    oecd = {row["reference"]: row for row in ncp.json("report", "oecd", "--json")}
    assert oecd["NCP-1999-001"]["date_received"] == "1999-05"
    annual = ncp.json("report", "annual", "--year", "2000", "--json")
    assert annual["median_days_to_initial_assessment"] is None
    annual = ncp.json("report", "annual", "--year", "2000", "--json", "--include-approximate")
    assert annual["median_days_to_initial_assessment"] == 276


# ---- the API ------------------------------------------------------------------------------------


@pytest.fixture
def admin_api(database_url: str, clock: FixedClock) -> Iterator[tuple[Api, dict[str, str]]]:
    with running_api(database_url, clock) as made:
        yield made, made.user("root", "admin")


def post(api: Api, headers: dict[str, str], body: str, **params: Any) -> Any:
    return api.client.post(
        "/api/cases/import",
        content=body.encode(),
        params=params,
        headers={**headers, "Content-Type": "application/x-ndjson"},
    )


def test_an_admin_imports_through_the_api_once_and_again_nothing_changes(
    admin_api: tuple[Api, dict[str, str]], database_url: str
) -> None:
    """POST the file: 30 created; again: 30 unchanged and no row written; months stay months."""
    api, admin = admin_api
    dry = post(api, admin, TEXT, dry_run="true")
    assert dry.status_code == 200 and dry.json()["dry_run"] and dry.json()["created"] == 30
    made = post(api, admin, TEXT, source="NCP archive 2024")
    assert made.status_code == 200, made.text
    assert (made.json()["created"], made.json()["unchanged"]) == (30, 0)
    before = dump(database_url)
    again = post(api, admin, TEXT)
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 30)
    assert dump(database_url) == before
    issues = api.client.get("/api/cases/NCP-2011-001/issues", headers=admin).json()["issues"]
    assert [(i["decision"], i["decided_on"]) for i in issues] == [
        ("accepted", "2012-03-19"),
        ("not_accepted", "2012-03-19"),
    ]
    oecd = {row["reference"]: row for row in api.client.get("/api/reports/oecd", headers=admin).json()}
    assert (oecd["NCP-1999-001"]["date_received"], oecd["NCP-1999-001"]["date_concluded"]) == (
        "1999-05",
        "2000-02",
    )
    plain = api.client.get("/api/reports/timelines", headers=admin).json()
    counted = api.client.get("/api/reports/timelines?include_approximate=true", headers=admin).json()
    assert (plain["approximate_included"], counted["approximate_included"]) == (False, True)
    medians = [r["totals"]["initial_assessment"]["median_days"] for r in (plain, counted)]
    assert medians[0] != medians[1]
    annual = api.client.get("/api/reports/annual?year=2000&include_approximate=true", headers=admin).json()
    assert annual["median_days_to_initial_assessment"] == 276
    entries = api.client.get("/api/cases/NCP-1999-001/audit", headers=admin).json()["items"]
    imported = entries[0]["data"]["imported"]
    assert (imported["date"], imported["precision"], imported["source"]) == (
        "1999-05",
        "month",
        "NCP archive 2024",
    )


def test_the_api_takes_the_file_as_an_upload_and_names_a_bad_line(
    admin_api: tuple[Api, dict[str, str]], database_url: str, tmp_path: Path
) -> None:
    """A multipart upload with line 17 broken: 422 naming line 17, nothing written."""
    api, admin = admin_api
    before = dump(database_url)
    bad = with_bad_line_17(tmp_path).read_bytes()
    answer = api.client.post("/api/cases/import", files={"file": ("old.jsonl", bad)}, headers=admin)
    assert answer.status_code == 422 and "old.jsonl: nothing imported" in answer.json()["detail"]
    assert "line 17: milestones[1] (conclude)" in answer.json()["detail"]
    assert dump(database_url) == before
    good = api.client.post("/api/cases/import", files={"file": ("old.jsonl", TEXT.encode())}, headers=admin)
    assert good.status_code == 200 and good.json()["source"] == "old.jsonl"


def test_only_an_admin_may_import_and_a_conflict_is_409(admin_api: tuple[Api, dict[str, str]]) -> None:
    """A handler gets 403 naming the action; other content under an imported id is 409."""
    api, admin = admin_api
    handler = api.user("hanna", "handler")
    refused = post(api, handler, TEXT)
    assert refused.status_code == 403 and "may not import past cases" in refused.json()["detail"]
    assert post(api, admin, TEXT).status_code == 200
    conflict = post(api, admin, TEXT.replace("Forced relocation", "Relocation"))
    assert conflict.status_code == 409 and conflict.json()["error"] == "conflict"


# ---- an issue known to the month only -------------------------------------------------------------


def with_month_issue(folder: Path) -> Path:
    """Line 6 of the fixture (accepted 2008-09, concluded 2009-10) with one accepted issue."""
    case = json.loads(TEXT.splitlines()[5])
    case["issues"] = [
        {"title": "Child labour", "chapters": ["human_rights"], "accepted": True, "result": "agreement"}
    ]
    path = folder / "month.jsonl"
    path.write_text(json.dumps(case) + "\n", encoding="utf-8")
    return path


def test_an_issue_decided_in_a_month_is_listed_as_that_month_on_the_command_line(
    ncp: InProcessCli, tmp_path: Path
) -> None:
    """`case issue list --json` gives `2008-09` with `month` precision, the text "Sep 2008",
    never the invented `2008-09-01`."""
    made = ncp.json("case", "import", str(with_month_issue(tmp_path)), "--actor", "importer", "--json")
    ref = made["cases"][0]["reference"]
    (issue,) = ncp.json("case", "issue", "list", ref, "--json")["issues"]
    assert (issue["decided_on"], issue["decided_precision"]) == ("2008-09", "month")
    assert (issue["outcome_on"], issue["outcome_precision"]) == ("2009-10", "month")
    assert ncp.json("case", "show", ref, "--json")["issues"] == [issue]
    for words in (ncp("case", "issue", "list", ref).stdout, ncp("case", "show", ref).stdout):
        assert "accepted on Sep 2008; outcome: agreement on Oct 2009" in words
        assert "2008-09-01" not in words and "2009-10-01" not in words


def test_an_issue_decided_in_a_month_is_that_month_through_the_api_and_on_the_page(
    admin_api: tuple[Api, dict[str, str]], tmp_path: Path
) -> None:
    """`GET /api/cases/{ref}/issues` gives `2008-09`; the case page says "Sep 2008" and, in
    Norwegian, "september 2008"; a day-precise issue keeps its day."""
    api, admin = admin_api
    made = post(api, admin, with_month_issue(tmp_path).read_text(encoding="utf-8"))
    assert made.status_code == 200, made.text
    ref = made.json()["cases"][0]["reference"]
    (issue,) = api.client.get(f"/api/cases/{ref}/issues", headers=admin).json()["issues"]
    assert (issue["decided_on"], issue["decided_precision"], issue["outcome_on"]) == (
        "2008-09",
        "month",
        "2009-10",
    )
    assert api.client.get(f"/api/cases/{ref}", headers=admin).json()["issues"] == [issue]
    pages = {lang: api.client.get(f"/cases/{ref}?lang={lang}", headers=admin).text for lang in ("en", "nb")}
    cards = {  # the words of the Issues card, without its markup (a date is kept on one line)
        lang: re.sub(r"<[^>]+>", "", text[text.index('id="issues"') :].split("</section>")[0])
        for lang, text in pages.items()
    }
    assert "(Sep 2008)" in cards["en"] and "(Oct 2009)" in cards["en"]
    assert "(september 2008)" in cards["nb"] and "2008-09-01" not in cards["nb"]
    day = post(api, admin, TEXT.splitlines()[8])  # NO-2011-09: its issues decided on a day
    assert day.status_code == 200, day.text
    other = day.json()["cases"][0]["reference"]
    issues = api.client.get(f"/api/cases/{other}/issues", headers=admin).json()["issues"]
    assert [(i["decided_on"], i["decided_precision"]) for i in issues] == [("2012-03-19", "day")] * 2


def test_a_deadline_counted_from_a_month_of_receipt_says_it_is_about_that(
    ncp: InProcessCli, admin_api: tuple[Api, dict[str, str]]
) -> None:
    """A case received `1999-05`: its deadline from receipt is explained as "about: ..." on the
    command line and through the API, "omtrent: ..." on the Norwegian page; a case received on
    a day is not."""
    assert ncp("case", "import", str(FIXTURE), "--actor", "importer").returncode == 0
    month = ncp.json("case", "show", "NCP-1999-001", "--json")["deadlines"]
    assert month[0]["explanation"].startswith("about: received 1 May 1999")
    day = ncp.json("case", "show", "NCP-2011-001", "--json")["deadlines"]
    assert not any(d["explanation"].startswith("about") for d in day)
    api, admin = admin_api
    assert post(api, admin, TEXT).status_code == 200
    shown = api.client.get("/api/cases/NCP-1999-001", headers=admin).json()["deadlines"]
    assert shown[0]["explanation"] == month[0]["explanation"]
    assert "omtrent: mottatt 1. mai 1999" in api.client.get("/cases/NCP-1999-001?lang=nb", headers=admin).text
