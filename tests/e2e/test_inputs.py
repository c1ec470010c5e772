"""Hostile and careless input on the command line: bounded dates, one input contract, a refusing
command that writes nothing (not even a database file), and terminal output that cannot be
hijacked by what a title holds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, Cli, InProcessCli

OPEN = [
    "case",
    "open",
    "--title",
    "Tailings dam",
    "--submitter",
    "Friends of the Fjord",
    "--enterprise",
    "Nordic Metals ASA",
    "--actor",
    "sekretariat",
]
# ESC sequences (clear screen, set the window title, colour), BEL, CSI (C1), DEL and a
# right-to-left override.
HOSTILE = "Evil \x1b[2J\x1b]0;owned\x07 \x1b[31mred\x1b[0m \x9b6n \x7f \u202eexe.pdf"


def state(ncp: InProcessCli) -> tuple[str, str]:
    """What a refused command must leave as it was: every case and the whole audit log."""
    listed = ncp("case", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    return listed.stdout, ncp("audit", "log").stdout


def refused(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture
def opened(ncp: InProcessCli) -> str:
    return str(ncp.json(*OPEN, "--received", "2025-01-31", "--json")["reference"])


# ---- 1. dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "received", ["0999-06-01", "0001-01-01", "1975-12-31", "2200-01-01", "9999-12-31T23:59:59+00:00"]
)
def test_a_receipt_date_out_of_range_is_refused_and_the_database_stays_readable(
    ncp: InProcessCli, opened: str, received: str
) -> None:
    """`case open --received 0999-06-01` no longer commits a case nobody can read back."""
    before = state(ncp)
    refused(ncp(*OPEN, "--received", received), 2, "--received", "out of range")
    assert state(ncp) == before
    for command in (
        ["case", "list"],
        ["case", "show", opened],
        ["report", "timelines"],
        ["report", "annual", "--year", "2025"],
        ["report", "oecd"],
        ["deadlines", "ics"],
    ):
        result = ncp(*command)
        assert result.returncode == 0, (command, result.stderr)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        ([*OPEN, "--received", ""], "--received"),
        ([*OPEN, "--received", "   "], "--received"),
        (
            ["case", "advance", "{ref}", "begin_assessment", "--actor", "a", "--reason", "r", "--at", ""],
            "--at",
        ),
        (["case", "pause", "{ref}", "--actor", "a", "--reason", "r", "--at", ""], "--at"),
        (["audit", "export", "--from", ""], "--from"),
        (["report", "rotation", "--to", ""], "--to"),
        (["alerts", "sweep", "--now", ""], "--now"),
    ],
)
def test_an_empty_date_option_is_refused_naming_it_not_taken_as_now(
    ncp: InProcessCli, opened: str, args: list[str], option: str
) -> None:
    """`--received ""` and `--at ""` meant "now"; an empty option is bad input."""
    before = state(ncp)
    refused(ncp(*[a.replace("{ref}", opened) for a in args]), 2, f"{option} is empty")
    assert state(ncp) == before


@pytest.mark.parametrize(
    "args",
    [
        ["alerts", "sweep", "--now", "9999-12-31"],
        ["alerts", "sweep", "--now", "0001-01-01T00:00:00Z"],
        ["rotation", "advance", "--now", "0001-01-01", "--force"],
        ["rotation", "advance", "--now", "9999-12-31"],
        ["audit", "export", "--from", "0001-01-01"],
        ["report", "rotation", "--to", "9999-12-31"],
    ],
)
def test_now_and_period_options_out_of_range_are_refused_not_a_crash(
    ncp: InProcessCli, opened: str, args: list[str]
) -> None:
    """`alerts sweep --now 9999-12-31` and `rotation advance --now 0001-01-01` exit 2."""
    before = state(ncp)
    refused(ncp(*args), 2, "out of range")
    assert state(ncp) == before


def test_the_last_accepted_day_sweeps_without_error(ncp: InProcessCli, opened: str) -> None:
    """A sweep as of 31 Dec 2199 runs: every date computed from it fits."""
    result = ncp("alerts", "sweep", "--now", "2199-12-31", "--json")
    assert result.returncode == 0, result.stderr


# ---- 2. one input contract ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            [
                "case",
                "extend",
                "{ref}",
                "--deadline",
                "acknowledgement",
                "--days",
                "99999999",
                "--actor",
                "chair",
                "--reason",
                "r",
            ],
            ["at most 3660 days"],
        ),
        (
            [
                "case",
                "extend",
                "{ref}",
                "--deadline",
                "acknowledgement",
                "--months",
                "95000",
                "--actor",
                "chair",
                "--reason",
                "r",
            ],
            ["120 months"],
        ),
        (
            [
                "case",
                "extend",
                "{ref}",
                "--deadline",
                "acknowledgement",
                "--days",
                "-3",
                "--actor",
                "chair",
                "--reason",
                "r",
            ],
            ["positive"],
        ),
        ([*OPEN[:2], "--title", "t" * 120_000, *OPEN[4:]], ["title", "at most 2000"]),
        ([*OPEN[:-1], "a" * 5000], ["actor", "at most 300"]),
        ([*OPEN[:4], "--submitter", "s" * 301, *OPEN[6:]], ["submitter", "at most 300"]),
        ([*OPEN, "--sector", "x" * 301], ["sector", "at most 300"]),
        (
            ["case", "advance", "{ref}", "begin_assessment", "--actor", "a", "--reason", "r" * 2001],
            ["reason", "at most 2000"],
        ),
        (
            ["case", "pause", "{ref}", "--actor", "a", "--reason", "r", "--requested-by", "q" * 301],
            ["requested", "at most 300"],
        ),
        (
            ["audit", "export", "--from", "2025-03-01", "--to", "2025-02-01"],
            ["--to 2025-02-01 is before --from 2025-03-01"],
        ),
        (["report", "annual", "--year", "0"], ["--year 0 is out of range"]),
        (["report", "annual", "--year", "99999"], ["--year 99999 is out of range"]),
        (["report", "timelines", "--year", "-5"], ["out of range"]),
        (["report", "oecd", "--year", "1066"], ["out of range"]),
        (["users", "add", "hanna", "--role", "handler", "--actor", ""], ["actor"]),
        (["users", "add", "hanna", "--role", "handler", "--actor", "  "], ["actor"]),
        (["users", "passwd", "hanna", "--password-stdin", "--actor", " "], ["actor"]),
        (["audit", "export", "--reveal", "--actor", " "], ["--actor"]),
        (["audit", "export", "--reveal", "--actor", ""], ["--actor"]),
    ],
)
def test_the_command_line_keeps_the_same_bounds_as_the_api(
    ncp: InProcessCli, opened: str, args: list[str], words: list[str]
) -> None:
    """Too long, too many days, periods backwards, absurd years, blank actors: exit 2, no write."""
    ncp("users", "add", "hanna", "--role", "handler", "--actor", "admin")
    before = state(ncp)
    refused(ncp(*[a.replace("{ref}", opened) for a in args]), 2, *words)
    assert state(ncp) == before


def test_no_audit_entry_carries_a_blank_actor(ncp: InProcessCli, opened: str) -> None:
    """After a run of refused blank-actor commands, every entry names someone."""
    for args in (
        ["users", "add", "x", "--role", "auditor", "--actor", " "],
        ["audit", "export", "--reveal", "--actor", "\t"],
        ["members", "sync", "--actor", " "],
        ["rotation", "advance", "--actor", " "],
    ):
        assert ncp(*args).returncode != 0
    entries = [json.loads(line) for line in ncp("audit", "log").stdout.splitlines()]
    assert entries and all(e["actor"].strip() for e in entries)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('acknowledgement = "14d"', 'acknowledgement = "0d"', "[timelines] acknowledgement"),
        ('procedure = "12mo"', 'procedure = "100000y"', "[timelines] procedure"),
        (
            'secretariat = ["post@responsiblebusiness.no"]',
            r'secretariat = ["post@responsiblebusiness.no\r\nBcc: everyone@example.org"]',
            "[ncp] secretariat",
        ),
        ('name = "Chair of the NCP"', r'name = "Chair\u0000 of the NCP"', "[[members]] #1 name"),
    ],
)
def test_config_values_that_would_break_later_are_refused_at_load_with_exit_2(
    ncp: InProcessCli, tmp_path: Path, old: str, new: str, key: str
) -> None:
    """ "0d", "100000y", CR/LF in an address, NUL in a name: exit 2 naming the key; no case."""
    shipped = (ROOT / "config.toml").read_text(encoding="utf-8")
    assert old in shipped
    config = tmp_path / "config.toml"
    config.write_text(shipped.replace(old, new, 1), encoding="utf-8")
    before = state(ncp)
    for command in ([*OPEN, "--received", "2025-01-31"], ["members", "sync"]):
        refused(ncp("--config", str(config), *command), 2, str(config), key)
    assert state(ncp) == before


# ---- 3. a refusing command writes nothing -----------------------------------------------------


@pytest.fixture
def plain(tmp_path: Path, sqlite_url: str) -> Cli:
    return Cli(tmp_path, sqlite_url)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", ["is an empty file"]),
        (b"not a database, just notes\n", ["is not a SQLite database"]),
        (b"SQLite format 3\x00" + b"\x00" * 84, ["cannot be read"]),
    ],
)
def test_a_command_leaves_a_file_that_is_not_an_ncpflow_database_as_it_is(
    plain: Cli, tmp_path: Path, content: bytes, words: list[str]
) -> None:
    """`case list --database <an empty file>` used to turn it into a SQLite database."""
    target = tmp_path / "notes.db"
    target.write_bytes(content)
    result = plain("--database", f"sqlite:///{target}", "case", "list")
    refused(result, 5, str(target), *words)
    assert target.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["ncpflow.db", "notes.db"])


def test_a_foreign_sqlite_database_is_neither_initialised_nor_switched_to_wal(
    plain: Cli, tmp_path: Path
) -> None:
    """Another program's SQLite file is refused as not initialised, byte for byte untouched."""
    import sqlite3

    target = tmp_path / "other.sqlite"
    with sqlite3.connect(target) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    conn.close()
    content = target.read_bytes()
    refused(plain("--database", f"sqlite:///{target}", "case", "list"), 5, "not initialised", "ncpflow init")
    assert target.read_bytes() == content


def test_a_missing_database_file_is_not_created_by_a_command_other_than_init(
    plain: Cli, tmp_path: Path
) -> None:
    """Only `init` creates a database; `case list` on a missing path says so and exits 5."""
    target = tmp_path / "missing" / "ncpflow.db"
    refused(plain("--database", f"sqlite:///{target}", "case", "list"), 5, "does not exist", "ncpflow init")
    refused(plain("--database", f"sqlite:///{tmp_path}", "case", "list"), 5, str(tmp_path))
    assert not target.parent.exists()
    assert plain("--database", f"sqlite:///{target}", "init").returncode == 0
    assert plain("--database", f"sqlite:///{target}", "case", "list").returncode == 0


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file:x?mode=memory&uri=true"])
@pytest.mark.parametrize("command", [["case", "list"], ["init"]])
def test_in_memory_databases_are_refused_with_a_message(
    plain: Cli, tmp_path: Path, url: str, command: list[str]
) -> None:
    """`--database sqlite://` gave a traceback; now exit 5 and what to give instead."""
    refused(plain("--database", url, *command), 5, "in-memory", "sqlite:///")


# ---- 4. terminal injection ------------------------------------------------------------------


def opening(title: str = "Tailings dam", submitter: str = "Friends of the Fjord") -> list[str]:
    return [
        "case",
        "open",
        "--title",
        title,
        "--submitter",
        submitter,
        "--enterprise",
        "Nordic Metals ASA",
        "--actor",
        "sekretariat",
    ]


def test_control_characters_in_stored_text_never_reach_the_terminal_raw(ncp: InProcessCli) -> None:
    """ESC, BEL, C1, DEL and bidi overrides in a title are shown escaped; JSON keeps them."""
    made = ncp.json(*opening(HOSTILE, "Sub\x1b[8m"), "--json")
    reference = made["reference"]
    assert made["title"] == HOSTILE
    for args in (
        ["case", "show", reference],
        ["case", "list"],
        opening(HOSTILE),
        ["case", "advance", reference, "begin_assessment", "--actor", "a\x1b[2J", "--reason", "r"],
        ["case", "triggers", reference],
        [*opening(), "--theme", "\x1b[2Jx"],
        ["--log-level", "info", *opening()[:-1], "sek\x1b]0;owned\x07"],
    ):
        result = ncp(*args)
        shown = result.stdout + result.stderr
        assert shown.strip(), args
        for raw in ("\x1b", "\x07", "\x9b", "\x7f", "\u202e"):
            assert raw not in shown, (args, raw, shown)
    assert "\\x1b[2J" in ncp("case", "show", reference).stdout
    assert ncp.json("case", "show", reference, "--json")["title"] == HOSTILE
    entries = [json.loads(line) for line in ncp("audit", "log").stdout.splitlines()]
    assert entries[0]["data"]["title"] == HOSTILE
    assert "Sub\x1b[8m" in [p["name"] for p in entries[0]["data"]["parties"]]


def test_a_real_process_prints_no_escape_sequences_from_stored_text(cli: Cli, database_url: str) -> None:
    """The installed command, as a terminal would run it, prints the title neutralised."""
    made = cli(*opening(HOSTILE), "--json", check=True)
    reference = json.loads(made.stdout)["reference"]
    for args in (["case", "show", reference], ["case", "list"]):
        result = subprocess.run(
            [sys.executable, "-m", "ncpflow", *args],
            cwd=cli.workdir,
            env={**cli.env, "COLUMNS": "200"},
            capture_output=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert b"\x1b" not in result.stdout and b"\x07" not in result.stdout
        assert b"\xe2\x80\xae" not in result.stdout  # U+202E
