"""The command line as handlers and scripts use it: contract keys, refusals, nothing half-written."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, InProcessCli

OPEN = [
    "case",
    "open",
    "--title",
    "Tailings dam «Ørsta» <script>alert(1)</script>",
    "--submitter",
    "Miljøvernforbundet",
    "--submitter-type",
    "ngo",
    "--enterprise",
    "Nordic Metals ASA",
    "--received",
    "2025-01-31",
    "--theme",
    "environment",
    "--host-country",
    "BR",
    "--actor",
    "sekretariat",
]


def snapshot(ncp: InProcessCli, reference: str | None = None) -> tuple[str, str]:
    """Everything a refused command must leave alone: the case and the whole audit log."""
    shown = ncp("case", "show", reference, "--json").stdout if reference else ""
    return shown, ncp("audit", "log").stdout


@pytest.fixture
def opened(ncp: InProcessCli) -> str:
    return str(ncp.json(*OPEN, "--json")["reference"])


def test_open_prints_reference_state_and_lead_as_json(ncp: InProcessCli) -> None:
    """`case open --json` gives the contract keys and a readable reference."""
    view = ncp.json(*OPEN, "--json")
    assert view["reference"] == "NCP-2025-001"
    assert view["state"] == "received"
    assert "lead_member" in view


def test_show_json_carries_the_contract_keys_and_deadlines(ncp: InProcessCli, opened: str) -> None:
    """`case show --json` lists each deadline with due date, status and explanation."""
    view = ncp.json("case", "show", opened, "--json")
    for key in (
        "reference",
        "state",
        "outcome",
        "lead_member",
        "paused",
        "deadlines",
        "title",
        "parties",
        "received",
    ):
        assert key in view
    due = {d["name"]: d for d in view["deadlines"]}
    assert due["acknowledgement"]["due"] == "2025-02-14"
    assert due["initial_assessment"]["due"] == "2025-04-30"
    assert due["procedure"]["due"] == "2026-01-31"
    assert due["initial_assessment"]["explanation"] == ("received 31 Jan 2025 + 3 months = 30 Apr 2025")
    assert {d["status"] for d in view["deadlines"]} <= {"open", "met", "overdue"}
    assert view["received"] == "2025-01-31"


def test_text_keeps_unicode_and_markup_verbatim(ncp: InProcessCli, opened: str) -> None:
    """Norwegian letters, quotes and <script> survive storage, JSON and the audit log."""
    view = ncp.json("case", "show", opened, "--json")
    assert view["title"] == "Tailings dam «Ørsta» <script>alert(1)</script>"
    assert view["parties"][0]["name"] == "Miljøvernforbundet"
    ncp.json(
        "case",
        "advance",
        opened,
        "begin_assessment",
        "--actor",
        "Åse Ødegård",
        "--reason",
        'Mottak bekreftet – "svar" sendt',
        "--at",
        "2025-02-03",
        "--json",
    )
    last = ncp("audit", "log", opened).stdout.strip().splitlines()[-1]
    entry = json.loads(last)
    assert entry["actor"] == "Åse Ødegård"
    assert entry["reason"] == 'Mottak bekreftet – "svar" sendt'
    people = ncp("case", "show", opened)
    assert "<script>alert(1)</script>" in people.stdout


def test_a_full_lifecycle_leaves_a_verifiable_trail(ncp: InProcessCli, opened: str) -> None:
    """Each step is one audit entry linking from the last state to the next."""
    steps = [
        ("begin_assessment", "2025-02-03", []),
        ("accept", "2025-04-01", []),
        ("conclude", "2025-09-01", ["--outcome", "partial_agreement"]),
        ("publish", "2025-11-20", []),
        ("close", "2026-10-01", []),
    ]
    for trigger, at, extra in steps:
        ncp.json(
            "case",
            "advance",
            opened,
            trigger,
            "--actor",
            "sek",
            "--reason",
            "step",
            "--at",
            at,
            *extra,
            "--json",
        )
    view = ncp.json("case", "show", opened, "--json")
    assert (view["state"], view["outcome"]) == ("closed", "partial_agreement")
    entries = [json.loads(x) for x in ncp("audit", "log", opened).stdout.splitlines()]
    assert len(entries) == len(steps) + 1
    for before, after in itertools.pairwise(entries):
        assert after["from_state"] == before["to_state"]
    verdict = ncp.json("audit", "verify", "--json")
    assert verdict["ok"] is True
    assert verdict["entries"] == len(steps) + 1


def test_csv_audit_log_has_a_header_and_one_row_per_entry(ncp: InProcessCli, opened: str) -> None:
    """`audit log --format csv` carries the hashed fields and the hashes."""
    lines = ncp("audit", "log", "--format", "csv").stdout.splitlines()
    assert lines[0].split(",")[:3] == ["seq", "case_ref", "kind"]
    assert lines[0].endswith("prev_hash,hash")
    assert len(lines) == 2


@pytest.mark.parametrize(
    ("state_steps", "trigger"),
    [
        ([("begin_assessment", []), ("accept", [])], "publish"),
        ([("begin_assessment", []), ("transfer", [])], "begin_assessment"),
        ([("begin_assessment", []), ("transfer", [])], "close"),
    ],
)
def test_a_trigger_not_allowed_now_is_refused_and_writes_nothing(
    ncp: InProcessCli, opened: str, state_steps: list[tuple[str, list[str]]], trigger: str
) -> None:
    """The message names the case, its state and the triggers allowed; nothing changes."""
    for step, extra in state_steps:
        ncp.json("case", "advance", opened, step, "--actor", "a", "--reason", "r", *extra, "--json")
    before = snapshot(ncp, opened)
    state = json.loads(before[0])["state"]
    result = ncp("case", "advance", opened, trigger, "--actor", "a", "--reason", "r")
    assert result.returncode == 1
    assert opened in result.stderr
    assert f"'{state}'" in result.stderr
    assert "allowed now:" in result.stderr
    assert snapshot(ncp, opened) == before


def test_triggers_lists_what_may_happen_next_and_why_not_the_rest(ncp: InProcessCli, opened: str) -> None:
    """`case triggers` separates the allowed triggers from the refused ones with a reason."""
    ncp.json("case", "advance", opened, "begin_assessment", "--actor", "a", "--reason", "r", "--json")
    report = ncp.json("case", "triggers", opened, "--json")
    allowed = {t["trigger"] for t in report["triggers"] if t["allowed"]}
    assert allowed == {"accept", "reject", "withdraw", "transfer"}
    refused = {t["trigger"]: t["why_not"] for t in report["triggers"] if not t["allowed"]}
    assert "good_offices" in refused["examine"]


BAD_ADVANCES = [
    (
        ["case", "advance", "{ref}", "fly_away", "--actor", "a", "--reason", "r"],
        2,
        "unknown trigger 'fly_away'",
    ),
    (["case", "advance", "{ref}", "begin_assessment", "--actor", "a"], 2, "--reason"),
    (["case", "advance", "{ref}", "begin_assessment", "--reason", "r"], 2, "--actor"),
    (["case", "advance", "{ref}", "begin_assessment", "--actor", "a", "--reason", " "], 2, "reason"),
    (
        [
            "case",
            "advance",
            "{ref}",
            "begin_assessment",
            "--actor",
            "a",
            "--reason",
            "r",
            "--at",
            "31/01/2025",
        ],
        2,
        "is not a date",
    ),
    (
        [
            "case",
            "advance",
            "{ref}",
            "begin_assessment",
            "--actor",
            "a",
            "--reason",
            "r",
            "--at",
            "2025-01-15",
        ],
        2,
        "before the case's last recorded step",
    ),
    (
        [
            "case",
            "advance",
            "{ref}",
            "begin_assessment",
            "--actor",
            "a",
            "--reason",
            "r",
            "--at",
            "2025-02-03T10:00:00",
        ],
        2,
        "no UTC offset",
    ),
    (
        [
            "case",
            "advance",
            "{ref}",
            "begin_assessment",
            "--actor",
            "a",
            "--reason",
            "r",
            "--at",
            "2099-01-01",
        ],
        2,
        "in the future",
    ),
    (
        ["case", "advance", "NCP-1999-999", "begin_assessment", "--actor", "a", "--reason", "r"],
        4,
        "no case with reference 'NCP-1999-999'",
    ),
    (
        [
            "case",
            "advance",
            "{ref}",
            "begin_assessment",
            "--actor",
            "a",
            "--reason",
            "r",
            "--outcome",
            "victory",
        ],
        2,
        "unknown outcome 'victory'",
    ),
    (
        [
            "case",
            "advance",
            "{ref}",
            "begin_assessment",
            "--actor",
            "a",
            "--reason",
            "r",
            "--outcome",
            "agreement",
        ],
        1,
        "takes no outcome",
    ),
    (
        [
            "case",
            "advance",
            "{ref}",
            "begin_assessment",
            "--actor",
            "a",
            "--reason",
            "r",
            "--expect-version",
            "7",
        ],
        3,
        "conflict",
    ),
]


@pytest.mark.parametrize(("args", "code", "message"), BAD_ADVANCES, ids=[m for _, _, m in BAD_ADVANCES])
def test_bad_input_is_refused_with_a_clear_message_and_writes_nothing(
    ncp: InProcessCli, opened: str, args: list[str], code: int, message: str
) -> None:
    """Bad input: named on stderr, a distinct non-zero exit, case and audit log unchanged."""
    before = snapshot(ncp, opened)
    result = ncp(*[a.replace("{ref}", opened) for a in args])
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert result.stdout == ""
    assert snapshot(ncp, opened) == before


BAD_OPENS = [
    (["--received", "2025-02-30"], "is not a date"),
    (["--received", "2099-01-01"], "in the future"),
    (["--theme", "gardening"], "unknown theme 'gardening'"),
    (["--host-country", "XX"], "'XX' is not an ISO 3166"),
    (["--submitter", "Anne", "--submitter-type", "robot"], "unknown submitter type 'robot'"),
    (["--title", "  "], "--title is required"),
]


@pytest.mark.parametrize(("extra", "message"), BAD_OPENS, ids=[m for _, m in BAD_OPENS])
def test_a_bad_case_opening_burns_no_reference_and_writes_nothing(
    ncp: InProcessCli, extra: list[str], message: str
) -> None:
    """A refused `case open` leaves no case, no audit entry and no used-up number."""
    result = ncp(*OPEN, *extra)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert ncp.json("case", "list", "--json") == []
    assert ncp("audit", "log").stdout == ""
    assert ncp.json(*OPEN, "--json")["reference"] == "NCP-2025-001"


def test_a_receipt_late_at_night_utc_counts_on_the_oslo_date(ncp: InProcessCli) -> None:
    """23:30 UTC on 31 Mar 2025 is 1 Apr in Oslo: the reference year and basis follow it."""
    args = [a if a != "2025-01-31" else "2025-03-31T23:30:00Z" for a in OPEN]
    view = ncp.json(*args, "--json")
    assert view["received"] == "2025-04-01"
    acknowledgement = next(d for d in view["deadlines"] if d["name"] == "acknowledgement")
    assert acknowledgement["due"] == "2025-04-15"


def test_list_filters_by_state_and_overdue(ncp: InProcessCli, opened: str) -> None:
    """`case list --state` and `--overdue` select the right cases."""
    fresh = ncp.json(*[a if a != "2025-01-31" else "2025-01-02" for a in OPEN], "--json")
    ncp.json(
        "case", "advance", fresh["reference"], "begin_assessment", "--actor", "a", "--reason", "r", "--json"
    )
    in_assessment = ncp.json("case", "list", "--state", "initial_assessment", "--json")
    assert [c["reference"] for c in in_assessment] == [fresh["reference"]]
    overdue = ncp.json("case", "list", "--overdue", "--json")
    assert {c["reference"] for c in overdue} == {opened, fresh["reference"]}
    bad = ncp("case", "list", "--state", "limbo")
    assert bad.returncode == 2
    assert "unknown state 'limbo'" in bad.stderr


def test_a_malformed_config_names_the_file_the_key_and_the_problem(
    ncp: InProcessCli, opened: str, tmp_path: Path
) -> None:
    """A config error stops every command before anything is written."""
    config = tmp_path / "broken.toml"
    config.write_text('[timelines]\ninitial_assessment = "three months"\n', encoding="utf-8")
    before = snapshot(ncp, opened)
    result = ncp(
        "--config",
        str(config),
        "case",
        "advance",
        opened,
        "begin_assessment",
        "--actor",
        "a",
        "--reason",
        "r",
    )
    assert result.returncode == 2
    assert str(config) in result.stderr
    assert "[timelines] initial_assessment" in result.stderr
    assert "'three months' is not a duration" in result.stderr
    assert snapshot(ncp, opened) == before


def test_config_that_is_not_toml_is_named(ncp: InProcessCli, tmp_path: Path) -> None:
    """A TOML syntax error names the file and the line."""
    config = tmp_path / "bad.toml"
    config.write_text("[ncp\ntimezone = 'Europe/Oslo'\n", encoding="utf-8")
    result = ncp("--config", str(config), "case", "list")
    assert result.returncode == 2
    assert f"{config}: not valid TOML" in result.stderr


def test_an_unknown_config_key_is_refused(ncp: InProcessCli, tmp_path: Path) -> None:
    """A typo in a key is an error, not a silent default."""
    config = tmp_path / "typo.toml"
    config.write_text("[procedure]\nexamnation = false\n", encoding="utf-8")
    result = ncp("--config", str(config), "case", "list")
    assert result.returncode == 2
    assert "[procedure] examnation: unknown key" in result.stderr


def test_an_unreachable_database_is_a_clear_error(ncp: InProcessCli) -> None:
    """Nothing listens on the port: exit 5 with the URL (password hidden) and the cause."""
    result = ncp("--database", "postgresql://ncp:secret@127.0.0.1:9/ncpflow", "case", "list")
    assert result.returncode == 5
    assert "unavailable" in result.stderr
    assert "secret" not in result.stderr


def test_a_missing_sqlite_file_asks_for_init(ncp: InProcessCli, tmp_path: Path) -> None:
    """Commands other than init never create an empty database by accident."""
    path = tmp_path / "nothing.db"
    result = ncp("--database", f"sqlite:///{path}", "case", "list")
    assert result.returncode == 5
    assert "ncpflow init" in result.stderr
    assert not path.exists()


def test_init_with_demo_data_is_idempotent(ncp: InProcessCli) -> None:
    """`init --demo` twice: the same demo cases, once, and an intact chain."""
    assert ncp("init", "--demo").returncode == 0
    first = ncp.json("case", "list", "--json")
    assert len(first) >= 4
    assert ncp("init", "--demo").returncode == 0
    assert ncp.json("case", "list", "--json") == first
    assert ncp.json("audit", "verify", "--json")["ok"] is True


def test_the_installed_entry_points_run(tmp_path: Path, sqlite_url: str) -> None:
    """`python -m ncpflow` and the `ncpflow` script both answer."""
    env = {
        "NCPFLOW_DATABASE_URL": sqlite_url,
        "NCPFLOW_CONFIG": str(ROOT / "config.toml"),
        "PATH": str(Path(sys.executable).parent),
    }
    module = subprocess.run(
        [sys.executable, "-m", "ncpflow", "case", "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert module.returncode == 0, module.stderr
    assert json.loads(module.stdout) == []
    script = Path(sys.executable).parent / "ncpflow"
    helped = subprocess.run(
        [str(script), "--help"], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert helped.returncode == 0
    assert "case" in helped.stdout


def test_a_database_from_an_older_ncpflow_asks_for_init_and_init_upgrades_it(
    ncp: InProcessCli, tmp_path: Path
) -> None:
    """An older schema is named as such; `ncpflow init` applies the missing migrations."""
    from alembic import command
    from alembic.config import Config

    from storage.engine import WRITE, make_engine
    from storage.migrate import MIGRATIONS

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn:
        config.attributes["connection"] = conn.execution_options(**{WRITE: True})
        command.upgrade(config, "0003")
        conn.commit()
    engine.dispose()
    old = ncp("--database", url, "case", "list")
    assert old.returncode == 5
    assert "older schema" in old.stderr
    assert "run `ncpflow init` to upgrade it" in old.stderr
    assert ncp("--database", url, "init").returncode == 0
    assert ncp.json("--database", url, "case", "list", "--json") == []
