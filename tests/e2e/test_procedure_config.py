"""The command line with a procedure chosen in config.toml: a bad choice is bad input (exit 2),
named by file and key, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import InProcessCli
from workflow import procedures


@pytest.mark.parametrize(
    ("procedure", "definition", "expected"),
    [
        (
            'file = "ours.toml"',
            'to = "examinaton"',
            "ours.toml: transitions[4].to: unknown state 'examinaton'",
        ),
        (
            'definition = "oecd-1999"',
            None,
            "ncp.toml: [procedure] definition: no shipped procedure 'oecd-1999'",
        ),
    ],
    ids=["invalid-file", "unknown-id"],
)
def test_a_bad_procedure_choice_exits_2_naming_the_file_and_the_key(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    procedure: str,
    definition: str | None,
    expected: str,
) -> None:
    """`case list` with a broken definition or an unknown id: exit 2, the message, no database."""
    if definition is not None:
        text = procedures.shipped().text.replace('to = "examination"', definition)
        (tmp_path / "ours.toml").write_text(text, encoding="utf-8")
    config = tmp_path / "ncp.toml"
    config.write_text(f'[procedure]\n{procedure}\n[database]\nurl = "sqlite:///site.db"\n', encoding="utf-8")
    monkeypatch.delenv("NCPFLOW_DATABASE_URL", raising=False)
    ncp = InProcessCli(capsys, monkeypatch, "", config)
    monkeypatch.delenv("NCPFLOW_DATABASE_URL", raising=False)
    result = ncp("case", "list")
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site.db").exists()
