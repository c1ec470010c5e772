"""The command line with a procedure chosen in config.toml: a bad choice is bad input (exit 2),
named by file and key, and nothing is written."""

from __future__ import annotations

from datetime import UTC, datetime
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


def _ours(folder: Path) -> Path:
    """oecd-2023 with its first trigger renamed `start_assessment`, as a file of our own."""
    text = (
        procedures.shipped()
        .text.replace("begin_assessment", "start_assessment")
        .replace('id = "oecd-2023"', 'id = "ours"')
    )
    path = folder / "ours.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_command_line_takes_the_configured_procedure_s_triggers(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`case advance` fires the file's `start_assessment`; oecd-2023's name is refused, exit 2."""
    _ours(tmp_path)
    config = tmp_path / "ncp.toml"
    config.write_text('[procedure]\nfile = "ours.toml"\n', encoding="utf-8")
    ncp = InProcessCli(capsys, monkeypatch, sqlite_url, config)
    case = ["--title", "T", "--enterprise", "E AS", "--submitter", "S", "--received", "2025-03-03"]
    opened = ncp("case", "open", *case, "--actor", "chair")
    assert opened.returncode == 0, opened.stderr
    reference = ncp.json("case", "list", "--json")[0]["reference"]
    refused = ncp("case", "advance", reference, "begin_assessment", "--reason", "r", "--actor", "chair")
    assert refused.returncode == 2
    assert "TRIGGER: unknown trigger 'begin_assessment'; one of: start_assessment, accept" in refused.stderr
    moved = ncp("case", "advance", reference, "start_assessment", "--reason", "r", "--actor", "chair")
    assert moved.returncode == 0, moved.stderr
    assert ncp.json("case", "list", "--json")[0]["state"] == "initial_assessment"


def test_the_api_takes_the_configured_procedure_s_triggers(tmp_path: Path, sqlite_url: str) -> None:
    """POST /transitions fires the file's `start_assessment`; oecd-2023's name is a 422 naming the field."""
    from fastapi.testclient import TestClient

    from ncpflow.web.app import create_app
    from tests.e2e.test_api import Api
    from workflow.bootstrap import bootstrap
    from workflow.clock import FixedClock
    from workflow.config import parse_settings

    _ours(tmp_path)
    settings = parse_settings(
        {"database": {"url": sqlite_url}, "procedure": {"file": "ours.toml"}},
        source="ncp.toml",
        base=tmp_path,
    )
    services = bootstrap(settings, clock=FixedClock(datetime(2025, 6, 2, 9, 0, tzinfo=UTC)))
    try:
        with TestClient(create_app(services, secret="test-secret")) as client:
            api = Api(client, services)
            handler = api.user("hanna", "handler")
            reference = api.open(handler)["reference"]
            path = f"/api/cases/{reference}/transitions"
            refused = client.post(path, json={"trigger": "begin_assessment", "reason": "r"}, headers=handler)
            assert refused.status_code == 422, refused.text
            assert refused.json()["fields"] == ["trigger"]
            assert "unknown trigger 'begin_assessment'; one of: start_assessment" in refused.json()["detail"]
            moved = client.post(path, json={"trigger": "start_assessment", "reason": "r"}, headers=handler)
            assert moved.status_code == 200, moved.text
            assert moved.json()["state"] == "initial_assessment"
    finally:
        services.close()
