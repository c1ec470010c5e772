"""`case pause|resume|extend` as handlers use them: due dates, explanations, audit, refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, InProcessCli

OPEN = [
    "case",
    "open",
    "--title",
    "Fish farm discharges",
    "--submitter",
    "Naturvernforbundet",
    "--submitter-type",
    "ngo",
    "--enterprise",
    "Havbruk Seafood ASA",
    "--actor",
    "sek",
]
# The real CLI runs on the system clock: every 2025 due date below is long past.


def open_case(ncp: InProcessCli, received: str = "2025-01-31") -> str:
    return str(ncp.json(*OPEN, "--received", received, "--json")["reference"])


def assessing(ncp: InProcessCli) -> str:
    """Received 31 Jan 2025, assessment begun 3 Feb 2025."""
    ref = open_case(ncp)
    ncp.json(
        "case",
        "advance",
        ref,
        "begin_assessment",
        "--actor",
        "sek",
        "--reason",
        "acknowledged",
        "--at",
        "2025-02-03",
        "--json",
    )
    return ref


def pause(ncp: InProcessCli, ref: str, at: str = "2025-02-10") -> dict[str, Any]:
    return dict(
        ncp.json(
            "case",
            "pause",
            ref,
            "--actor",
            "sek",
            "--reason",
            "parallel proceedings",
            "--requested-by",
            "Havbruk Seafood ASA",
            "--at",
            at,
            "--json",
        )
    )


def deadlines(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["name"]: d for d in view["deadlines"]}


def log(ncp: InProcessCli, ref: str | None = None) -> list[dict[str, Any]]:
    args = ["audit", "log", ref] if ref else ["audit", "log"]
    return [json.loads(line) for line in ncp(*args).stdout.splitlines()]


def overdue(ncp: InProcessCli) -> list[str]:
    return [c["reference"] for c in ncp.json("case", "list", "--overdue", "--json")]


def test_the_acceptance_example_through_the_command_line(ncp: InProcessCli) -> None:
    """Paused 10-22 Feb: due 12 May with 12 days and the reason; then, overdue, + 10 days: 22 May."""
    ref = assessing(ncp)
    view = pause(ncp, ref)
    assert view["paused"] is True
    assert view["pauses"] == [
        {
            "started": "2025-02-09T23:00:00+00:00",
            "ended": None,
            "reason": "parallel proceedings",
            "requested_by": "Havbruk Seafood ASA",
            "recorded_by": "sek",
            "ended_by": None,
        }
    ]
    view = ncp.json("case", "resume", ref, "--actor", "chair", "--at", "2025-02-22", "--json")
    assert view["paused"] is False
    assessment = deadlines(view)["initial_assessment"]
    assert (assessment["due"], assessment["paused_days"]) == ("2025-05-12", 12)
    assert assessment["explanation"] == (
        "received 31 Jan 2025 + 3 months = 30 Apr 2025"
        ", + 12 days paused (parallel proceedings, 10 Feb 2025–22 Feb 2025) = 12 May 2025"
    )
    assert deadlines(view)["procedure"]["due"] == "2026-02-12"
    view = ncp.json(
        "case",
        "extend",
        ref,
        "--deadline",
        "initial_assessment",
        "--days",
        "10",
        "--actor",
        "chair",
        "--reason",
        "translation awaited",
        "--json",
    )
    assessment = deadlines(view)["initial_assessment"]
    assert assessment["due"] == "2025-05-22"
    assert assessment["explanation"].endswith(
        ", + 10 days extended (translation awaited; approved by chair) = 22 May 2025"
    )
    assert assessment["extensions"] == [
        {"amount": "10d", "reason": "translation awaited", "approved_by": "chair"}
    ]
    assert ncp.json("case", "show", ref, "--json") == view


def test_pause_resume_and_extend_are_audit_entries_and_the_chain_verifies(ncp: InProcessCli) -> None:
    """Kinds paused, resumed, extended, with actor, reason and data; `audit verify` passes."""
    ref = assessing(ncp)
    pause(ncp, ref)
    ncp.json(
        "case",
        "resume",
        ref,
        "--actor",
        "chair",
        "--at",
        "2025-02-22",
        "--reason",
        "proceedings ended",
        "--json",
    )
    ncp.json(
        "case",
        "extend",
        ref,
        "--deadline",
        "procedure",
        "--months",
        "2",
        "--actor",
        "chair",
        "--reason",
        "non-adhering country",
        "--json",
    )
    paused, resumed, extended = log(ncp, ref)[-3:]
    assert (paused["kind"], paused["actor"], paused["reason"]) == ("paused", "sek", "parallel proceedings")
    assert paused["data"]["requested_by"] == "Havbruk Seafood ASA"
    assert (resumed["kind"], resumed["actor"], resumed["reason"]) == ("resumed", "chair", "proceedings ended")
    assert resumed["data"]["paused_days"] == 12
    assert resumed["data"]["moved"] == [
        {"after": "2025-05-12", "before": "2025-04-30", "name": "initial_assessment"},
        {"after": "2026-02-12", "before": "2026-01-31", "name": "procedure"},
    ]
    assert (extended["kind"], extended["actor"], extended["reason"]) == (
        "extended",
        "chair",
        "non-adhering country",
    )
    assert (extended["data"]["deadline"], extended["data"]["amount"]) == ("procedure", "2mo")
    assert extended["data"]["moved"] == [{"after": "2026-04-12", "before": "2026-02-12", "name": "procedure"}]
    verdict = ncp.json("audit", "verify", "--json")
    assert verdict["ok"] is True and verdict["entries"] == 5


def test_a_paused_case_is_not_overdue_and_cannot_be_advanced_until_resumed(ncp: InProcessCli) -> None:
    """Paused: every open deadline is open, `list --overdue` skips it, advance says resume first."""
    ref, other = assessing(ncp), open_case(ncp)
    assert overdue(ncp) == [ref, other]
    view = pause(ncp, ref)
    assert {n: d["status"] for n, d in deadlines(view).items()} == {
        "acknowledgement": "met",
        "initial_assessment": "open",
        "procedure": "open",
    }
    assert overdue(ncp) == [other]
    before = (ncp("case", "show", ref, "--json").stdout, ncp("audit", "log").stdout)
    refused = ncp("case", "advance", ref, "accept", "--actor", "sek", "--reason", "r")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        f"error: case {ref} in state 'initial_assessment': the case is paused since "
        "10 Feb 2025 (parallel proceedings); resume it before 'accept'"
    )
    assert (ncp("case", "show", ref, "--json").stdout, ncp("audit", "log").stdout) == before
    ncp.json("case", "resume", ref, "--actor", "chair", "--at", "2025-02-22", "--json")
    assert overdue(ncp) == [ref, other]
    assert deadlines(ncp.json("case", "show", ref, "--json"))["initial_assessment"]["status"] == ("overdue")
    view = ncp.json(
        "case", "advance", ref, "accept", "--actor", "sek", "--reason", "r", "--at", "2025-02-24", "--json"
    )
    assert view["state"] == "good_offices"


EXTEND = ["--actor", "chair", "--reason", "more time"]


def test_bad_clock_steps_say_what_is_wrong_exit_non_zero_and_write_nothing(ncp: InProcessCli) -> None:
    """Each refusal: its message on stderr, its exit code, the same cases and audit log after."""
    paused, running, closed = assessing(ncp), assessing(ncp), open_case(ncp)
    pause(ncp, paused)
    ncp.json(
        "case",
        "advance",
        closed,
        "transfer",
        "--actor",
        "sek",
        "--reason",
        "Danish NCP leads",
        "--at",
        "2025-02-05",
        "--json",
    )
    refs = (paused, running, closed)
    attempts: list[tuple[list[str], int, str]] = [
        (
            ["case", "pause", paused, "--actor", "sek", "--reason", "again"],
            1,
            f"case {paused} in state 'initial_assessment': already paused since "
            "10 Feb 2025 (parallel proceedings)",
        ),
        (
            ["case", "pause", closed, "--actor", "sek", "--reason", "r"],
            1,
            f"case {closed} in state 'closed': a closed case has no clock to pause",
        ),
        (
            ["case", "resume", running, "--actor", "chair"],
            1,
            f"case {running} in state 'initial_assessment': the case is not paused; there is "
            "nothing to resume",
        ),
        (
            ["case", "advance", paused, "accept", "--actor", "sek", "--reason", "r"],
            1,
            "resume it before 'accept'",
        ),
        (
            ["case", "extend", running, "--deadline", "assessment", "--days", "5", *EXTEND],
            2,
            "unknown deadline 'assessment'; one of: acknowledgement, coordination, initial_assessment, "
            "good_offices, examination, final_statement, procedure, follow_up",
        ),
        (
            ["case", "extend", running, "--deadline", "good_offices", "--days", "5", *EXTEND],
            1,
            "deadline 'good_offices' has not started; open now: initial_assessment, procedure",
        ),
        (
            ["case", "extend", running, "--deadline", "acknowledgement", "--days", "5", *EXTEND],
            1,
            "deadline 'acknowledgement' was met on 2025-02-03; only an open deadline can be extended",
        ),
        (
            ["case", "extend", closed, "--deadline", "procedure", "--months", "1", *EXTEND],
            1,
            "deadline 'procedure' was met on 2025-02-05",
        ),
        (
            ["case", "extend", running, "--deadline", "procedure", "--days", "0", *EXTEND],
            2,
            "an extension must be a positive number of days or months",
        ),
        (
            ["case", "extend", running, "--deadline", "procedure", "--days", "-5", *EXTEND],
            2,
            "an extension must be a positive number of days or months",
        ),
        (
            ["case", "extend", running, "--deadline", "procedure", "--months", "0", *EXTEND],
            2,
            "an extension must be a positive number of days or months",
        ),
        (
            ["case", "extend", running, "--deadline", "procedure", "--days", "5", "--months", "1", *EXTEND],
            2,
            "give exactly one of --days N or --months N",
        ),
        (
            ["case", "extend", running, "--deadline", "procedure", *EXTEND],
            2,
            "give exactly one of --days N or --months N",
        ),
        (
            ["case", "pause", running, "--actor", "sek", "--reason", "r", "--at", "2099-01-01"],
            2,
            "--at 2099-01-01 is in the future",
        ),
        (
            ["case", "pause", running, "--actor", "sek", "--reason", "r", "--at", "2025-02-01"],
            2,
            "--at 2025-02-01 is before the case's last recorded step",
        ),
        (
            ["case", "pause", running, "--actor", "sek", "--reason", " "],
            2,
            "--reason is required and must not be blank",
        ),
        (
            ["case", "pause", "NCP-2025-099", "--actor", "sek", "--reason", "r"],
            4,
            "no case with reference 'NCP-2025-099'",
        ),
    ]

    def snapshot() -> tuple[str, ...]:
        return (*(ncp("case", "show", r, "--json").stdout for r in refs), ncp("audit", "log").stdout)

    before = snapshot()
    for args, code, message in attempts:
        result = ncp(*args)
        assert (result.returncode, result.stdout) == (code, ""), args
        assert result.stderr.startswith("error: ") and message in result.stderr, args
        assert snapshot() == before, args
    assert ncp.json("audit", "verify", "--json")["ok"] is True


@pytest.fixture
def rolling_config(tmp_path: Path) -> Path:
    """The shipped config with due dates rolled off weekends and Norwegian holidays."""
    shipped = (ROOT / "config.toml").read_text(encoding="utf-8")
    assert "roll_to_working_day = false" in shipped
    path = tmp_path / "rolling.toml"
    path.write_text(
        shipped.replace("roll_to_working_day = false", "roll_to_working_day = true"), encoding="utf-8"
    )
    return path


def test_a_case_keeps_its_working_day_roll_when_the_config_changes(
    rolling_config: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
) -> None:
    """Opened rolling (1 May, Labour Day -> 2 May); with the roll off later it still rolls."""
    rolling = InProcessCli(capsys, monkeypatch, database_url, rolling_config)
    ref = str(rolling.json(*OPEN, "--received", "2025-02-01", "--json")["reference"])
    assessment = deadlines(rolling.json("case", "show", ref, "--json"))["initial_assessment"]
    assert assessment["due"] == "2025-05-02"
    assert assessment["explanation"] == (
        "received 1 Feb 2025 + 3 months = 1 May 2025, rolled to the next working day = 2 May 2025"
    )
    plain = InProcessCli(capsys, monkeypatch, database_url, ROOT / "config.toml")
    assert deadlines(plain.json("case", "show", ref, "--json"))["initial_assessment"] == assessment
    view = plain.json(
        "case",
        "extend",
        ref,
        "--deadline",
        "initial_assessment",
        "--months",
        "1",
        "--actor",
        "chair",
        "--reason",
        "complex case",
        "--json",
    )
    # 1 May + 1 month = Sun 1 Jun 2025: rolled to Mon 2 Jun.
    assert deadlines(view)["initial_assessment"]["due"] == "2025-06-02"
    fresh = str(plain.json(*OPEN, "--received", "2025-02-01", "--json")["reference"])
    assert deadlines(plain.json("case", "show", fresh, "--json"))["initial_assessment"]["due"] == (
        "2025-05-01"
    )
