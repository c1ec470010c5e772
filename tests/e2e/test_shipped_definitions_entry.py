"""The shipped eu-whistleblowing-2019 definition through the command line and the API: its own
deadline names, and the feedback extension refused past six months from receipt (exit 1, HTTP
409) with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import InProcessCli
from tests.dbdump import dump

REFUSAL = "may be extended by 3 months at most in all under procedure 'eu-whistleblowing-2019'"


def test_the_command_line_extends_whistleblowing_feedback_to_six_months_and_no_further(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Received 10 Apr 2025, feedback due 10 Jul; 3 months more reach 10 Oct; a day more exits 1."""
    config = tmp_path / "ncp.toml"
    config.write_text('[procedure]\ndefinition = "eu-whistleblowing-2019"\n', encoding="utf-8")
    ncp = InProcessCli(capsys, monkeypatch, sqlite_url, config)
    case = ["--title", "T", "--enterprise", "E AS", "--submitter", "S", "--received", "2025-04-10"]
    reference = ncp.json("case", "open", *case, "--actor", "sek", "--json")["reference"]
    extend = [
        "case",
        "extend",
        reference,
        "--deadline",
        "feedback",
        "--reason",
        "duly justified",
        "--actor",
        "chair",
    ]
    assert ncp(*extend, "--months", "3").returncode == 0
    deadlines = ncp.json("case", "show", reference, "--json")["deadlines"]
    assert {d["name"]: d["due"] for d in deadlines} == {
        "acknowledgement": "2025-04-17",
        "feedback": "2025-10-10",
    }
    before = dump(sqlite_url)
    refused = ncp(*extend, "--days", "1")
    assert refused.returncode == 1, refused.stderr
    assert REFUSAL in refused.stderr
    assert "Traceback" not in refused.stderr
    assert dump(sqlite_url) == before


def test_the_api_extends_whistleblowing_feedback_to_six_months_and_no_further(sqlite_url: str) -> None:
    """POST /extend: 3 months more is 200 with the due date 10 Oct 2025; one day more is a 409."""
    from fastapi.testclient import TestClient

    from ncpflow.web.app import create_app
    from tests.e2e.test_api import Api
    from workflow.bootstrap import bootstrap
    from workflow.clock import FixedClock
    from workflow.config import parse_settings

    settings = parse_settings(
        {"database": {"url": sqlite_url}, "procedure": {"definition": "eu-whistleblowing-2019"}},
        source="ncp.toml",
    )
    services = bootstrap(settings, clock=FixedClock(datetime(2025, 6, 2, 9, 0, tzinfo=UTC)))
    try:
        with TestClient(create_app(services, secret="test-secret")) as client:
            api = Api(client, services)
            handler = api.user("hanna", "handler")
            reference = api.open(handler, received="2025-04-10")["reference"]
            path = f"/api/cases/{reference}/extend"
            body = {"deadline": "feedback", "reason": "duly justified"}
            extended = client.post(path, json={**body, "months": 3}, headers=handler)
            assert extended.status_code == 200, extended.text
            due = {d["name"]: d["due"] for d in extended.json()["deadlines"]}
            assert due["feedback"] == "2025-10-10"
            before = dump(sqlite_url)
            refused = client.post(path, json={**body, "days": 1}, headers=handler)
            assert refused.status_code == 409, refused.text
            assert REFUSAL in refused.json()["detail"]
            assert dump(sqlite_url) == before
    finally:
        services.close()
