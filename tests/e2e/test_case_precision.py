"""A case keeps the precision of its date of receipt (`cases.received_precision`), and shows the
procedure version it follows: `case show` (text and JSON), `GET /api/cases/{ref}` and the case
page say "Feb 2007" (nb "februar 2007"), never an invented first of the month."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import ROOT, InProcessCli
from tests.e2e.test_api import Api, running_api
from workflow import procedures
from workflow.clock import FixedClock

LINE = {
    "external_id": "NO-2007-01",
    "reference": "NCP-2007-001",
    "title": "Fishing licences",
    "parties": [
        {"role": "submitter", "name": "Forum", "type": "ngo"},
        {"role": "enterprise", "name": "Aker AS"},
    ],
    "received": "2007-02",
    "milestones": [{"trigger": "begin_assessment", "date": "2007-03"}],
}


def test_case_show_says_only_the_month_of_a_case_received_in_a_month(
    ncp: InProcessCli, tmp_path: Path
) -> None:
    """JSON: `received` "2007-02" with `received_precision` "month"; the text: "Feb 2007"; and the
    procedure the case follows, in both."""
    path = tmp_path / "old.jsonl"
    path.write_text(json.dumps(LINE) + "\n", encoding="utf-8")
    assert ncp("case", "import", str(path), "--actor", "importer").returncode == 0
    shown = ncp.json("case", "show", "NCP-2007-001", "--json")
    assert (shown["received"], shown["received_precision"]) == ("2007-02", "month")
    shipped = procedures.shipped()
    assert (shown["procedure_id"], shown["procedure_version"]) == (shipped.id, shipped.version)
    text = ncp("case", "show", "NCP-2007-001").stdout
    assert "received: Feb 2007" in text and "2007-02-01" not in text
    assert f"procedure: {shipped.id} version {shipped.version}" in text


def test_a_case_received_on_a_day_keeps_its_day(ncp: InProcessCli) -> None:
    """An ordinary case: `received` is its day and `received_precision` "day"."""
    opening = ("case", "open", "--title", "T", "--enterprise", "E AS", "--submitter", "S", "--actor", "a")
    ref = ncp.json(*opening, "--received", "2025-01-10", "--json")["reference"]
    shown = ncp.json("case", "show", ref, "--json")
    assert (shown["received"], shown["received_precision"]) == ("2025-01-10", "day")
    assert "received: 2025-01-10" in ncp("case", "show", ref).stdout


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    clock.current = datetime(2026, 6, 30, 10, tzinfo=UTC)
    with running_api(database_url, clock) as made:
        yield made


def test_the_api_and_the_case_page_say_only_the_month(api: Api) -> None:
    """GET /api/cases/{ref}: "2007-02", month; the page: "Feb 2007" / "februar 2007", and the procedure."""
    admin = api.user("root", "admin")
    body = (json.dumps(LINE) + "\n").encode()
    answer = api.client.post("/api/cases/import", files={"file": ("old.jsonl", body)}, headers=admin)
    assert answer.status_code == 200, answer.text
    shown = api.client.get("/api/cases/NCP-2007-001", headers=admin).json()
    assert (shown["received"], shown["received_precision"]) == ("2007-02", "month")
    assert shown["procedure_id"] == "oecd-2023"
    english = api.client.get("/cases/NCP-2007-001?lang=en", headers=admin).text
    assert "Received: Feb 2007" in english and "2007-02-01" not in english
    assert "(oecd-2023, version 2)" in english
    norwegian = api.client.get("/cases/NCP-2007-001?lang=nb", headers=admin).text
    assert "februar 2007" in norwegian and "Prosedyre: Klagesak etter OECDs retningslinjer" in norwegian


def test_the_case_page_follows_the_procedure_the_case_is_pinned_to(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    api: Api,
) -> None:
    """A case opened under another procedure shows that one's state labels and stages after
    config.toml moved on to oecd-2023."""
    text = (
        procedures.shipped()
        .text.replace('id = "oecd-2023"', 'id = "ours"')
        .replace('version = "2"', 'version = "7"')
        .replace('label = { en = "received", nb = "mottatt" }', 'label = { en = "lodged", nb = "innlevert" }')
    )
    (tmp_path / "ours.toml").write_text(text, encoding="utf-8")
    config = (
        (ROOT / "config.toml")
        .read_text(encoding="utf-8")
        .replace("[procedure]\n", '[procedure]\nfile = "ours.toml"\n')
    )
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    ours = InProcessCli(capsys, monkeypatch, database_url, tmp_path / "config.toml")
    opening = ("case", "open", "--title", "T", "--enterprise", "E AS", "--submitter", "S", "--actor", "a")
    ref = ours.json(*opening, "--received", "2025-01-10", "--json")["reference"]
    handler = api.user("hanna", "handler")
    shown = api.client.get(f"/api/cases/{ref}", headers=handler).json()
    assert (shown["procedure_id"], shown["procedure_version"]) == ("ours", "7")
    page = api.client.get(f"/cases/{ref}?lang=en", headers=handler).text
    assert "Lodged" in page and "(ours, version 7)" in page
    assert "Lodged" not in api.client.get(f"/cases/{ref}?lang=nb", headers=handler).text
    assert "Innlevert" in api.client.get(f"/cases/{ref}?lang=nb", headers=handler).text
