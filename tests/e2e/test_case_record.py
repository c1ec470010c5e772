"""What a case itself holds, shown by `case show` (text and JSON), `GET /api/cases/{ref}` and the
case page: every result it recorded (`cases.results`: a concluded examined case keeps its
mediation result beside the determination); the precision of its date of receipt
(`cases.received_precision`: "Feb 2007", nb "februar 2007", never an invented first of the
month); the procedure version it follows, whose labels and stages the page uses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import InProcessCli
from tests.e2e.test_api import Api, running_api
from tests.e2e.test_examined_reports import BOTH, Step, api_steps, cli_case
from tests.e2e.test_report_rules import procedure_config
from workflow import procedures
from workflow.clock import FixedClock

# Declined good offices, then examined and determined, before the tests' clock (2 June 2025).
EXAMINED: list[Step] = [
    ("begin_assessment", "2025-01-12", None),
    ("accept", "2025-02-10", None),
    ("examine", "2025-03-03", "enterprise_declined"),
    ("conclude", "2025-05-20", "determination"),
]
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
    assert f"(oecd-2023, version {procedures.shipped().version})" in english
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
        .replace(f'version = "{procedures.shipped().version}"', 'version = "7"')
        .replace('label = { en = "received", nb = "mottatt" }', 'label = { en = "lodged", nb = "innlevert" }')
    )
    ours = InProcessCli(capsys, monkeypatch, database_url, procedure_config(tmp_path, text))
    opening = ("case", "open", "--title", "T", "--enterprise", "E AS", "--submitter", "S", "--actor", "a")
    ref = ours.json(*opening, "--received", "2025-01-10", "--json")["reference"]
    handler = api.user("hanna", "handler")
    shown = api.client.get(f"/api/cases/{ref}", headers=handler).json()
    assert (shown["procedure_id"], shown["procedure_version"]) == ("ours", "7")
    page = api.client.get(f"/cases/{ref}?lang=en", headers=handler).text
    assert "Lodged" in page and "(ours, version 7)" in page
    assert "Lodged" not in api.client.get(f"/cases/{ref}?lang=nb", headers=handler).text
    assert "Innlevert" in api.client.get(f"/cases/{ref}?lang=nb", headers=handler).text


def test_case_show_keeps_both_results_of_a_concluded_examined_case(ncp: InProcessCli) -> None:
    """Read back from the database after the determination: the mediation result is still there."""
    ref = cli_case(ncp, "2025-01-10", EXAMINED)[0]
    shown = ncp.json("case", "show", ref, "--json")
    assert (shown["state"], shown["results"]) == ("final_statement", BOTH)
    text = ncp("case", "show", ref).stdout
    assert "mediation result: enterprise_declined" in text and "determination: determination" in text


def test_the_api_and_the_case_page_keep_both_results_of_a_concluded_examined_case(api: Api) -> None:
    """GET /api/cases/{ref} and the page (en and nb) show the mediation result beside the determination."""
    handler = api.user("hanna", "handler")
    ref = api.open(handler, received="2025-01-10")["reference"]
    api_steps(api, handler, ref, EXAMINED)
    assert api.client.get(f"/api/cases/{ref}", headers=handler).json()["results"] == BOTH
    english = api.client.get(f"/cases/{ref}?lang=en", headers=handler).text
    assert "Mediation result: enterprise declined" in english and "Determination: determination" in english
    norwegian = api.client.get(f"/cases/{ref}?lang=nb", headers=handler).text
    assert "Resultat av dialog og mekling: virksomheten avslo dialog" in norwegian
    assert "Kontaktpunktets konklusjon" in norwegian
