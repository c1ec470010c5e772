"""The reports count as the procedure says: its concluded states and its `[reports]` section,
each case by the procedure version it follows (the pin on its `opened` entry)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, InProcessCli
from tests.e2e.test_examined_reports import cli_case
from workflow import procedures

AGREED = [
    ("begin_assessment", "2025-05-06", None),
    ("accept", "2025-06-02", None),
    ("conclude", "2025-08-04", "agreement"),
]


def procedure_config(folder: Path, text: str) -> Path:
    """A config.toml in `folder` whose procedure is the definition `text` (ours.toml)."""
    (folder / "ours.toml").write_text(text, encoding="utf-8")
    config = (
        (ROOT / "config.toml")
        .read_text(encoding="utf-8")
        .replace("[procedure]\n", '[procedure]\nfile = "ours.toml"\n')
    )
    (folder / "config.toml").write_text(config, encoding="utf-8")
    return folder / "config.toml"


def _only_closed_concludes(folder: Path) -> Path:
    """oecd-2023 under another id, in which only `closed` counts as concluded."""
    text = (
        procedures.shipped()
        .text.replace('id = "oecd-2023"', 'id = "closed-concludes"')
        .replace(f'version = "{procedures.shipped().version}"', 'version = "1"')
        .replace('nb = "sluttuttalelse" }\nconcluded = true\n', 'nb = "sluttuttalelse" }\n')
        .replace('nb = "oppfølging" }\nconcluded = true\n', 'nb = "oppfølging" }\n')
    )
    return procedure_config(folder, text)


def test_the_shipped_procedure_counts_final_statement_follow_up_and_closed_as_concluded() -> None:
    """oecd-2023 says it in its file, as states/results.py's fallback does."""
    assert procedures.shipped().concluded == {"final_statement", "follow_up", "closed"}


def test_a_procedure_whose_concluded_states_differ_changes_what_report_annual_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    """With only `closed` concluded, an agreement at the final statement is not yet concluded."""
    config = _only_closed_concludes(tmp_path)
    ours = InProcessCli(capsys, monkeypatch, database_url, config)
    ref = cli_case(ours, "2025-05-05", AGREED)[0]
    annual = ours.json("report", "annual", "--year", "2025", "--json")
    assert (annual["concluded"], annual["agreement"]) == (0, 0)
    row = next(r for r in ours.json("report", "oecd", "--json") if r["reference"] == ref)
    assert (row["outcome"], row["date_concluded"]) == (None, None)
    closing = ("case", "advance", ref, "close", "--actor", "chair", "--reason", "r", "--at", "2025-09-01")
    ours.json(*closing, "--json")
    annual = ours.json("report", "annual", "--year", "2025", "--json")
    assert (annual["concluded"], annual["agreement"]) == (1, 1)


def test_each_case_is_counted_by_the_procedure_version_it_follows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    """A case opened under another procedure keeps its rules after config.toml returns to oecd-2023."""
    ours = InProcessCli(capsys, monkeypatch, database_url, _only_closed_concludes(tmp_path))
    pinned = cli_case(ours, "2025-05-05", AGREED)[0]
    shipped = InProcessCli(capsys, monkeypatch, database_url, ROOT / "config.toml")
    fresh = cli_case(shipped, "2025-05-05", AGREED)[0]
    rows = {r["reference"]: r for r in shipped.json("report", "oecd", "--json")}
    assert rows[pinned]["date_concluded"] is None and rows[fresh]["date_concluded"] == "2025-08-04"
    assert shipped.json("report", "annual", "--year", "2025", "--json")["concluded"] == 1
