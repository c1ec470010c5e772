"""Arguments the command line refuses before any work: bytes that are not UTF-8, an --output
that cannot be a file, an unknown log level. Exit 2, a message naming the input, nothing
written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, InProcessCli
from tests.dbdump import dump

OPEN = [
    "case",
    "open",
    "--title",
    "Mine tailings",
    "--submitter",
    "Friends of the Fjord",
    "--enterprise",
    "Nordic Metals ASA",
    "--received",
    "2025-01-31",
    "--actor",
    "sek",
]


@pytest.fixture
def ncp_sqlite(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sqlite_url: str
) -> InProcessCli:
    return InProcessCli(capsys, monkeypatch, sqlite_url, ROOT / "config.toml")


def test_a_byte_that_is_not_utf8_in_argv_is_refused_naming_the_argument(
    tmp_path: Path, sqlite_url: str
) -> None:
    """`ncpflow case open --title $'Mine \\xff'`: exit 2 naming --title, no traceback."""
    before = dump(sqlite_url)
    env = {**os.environ, "NCPFLOW_DATABASE_URL": sqlite_url, "NCPFLOW_CONFIG": str(ROOT / "config.toml")}
    args = [a.encode() for a in OPEN]
    args[args.index(b"Mine tailings")] = b"Mine \xff tailings"
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"ncpflow", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
    )
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, stderr
    assert "Traceback" not in stderr
    assert "the value of --title (argument 4) is not valid UTF-8: 'Mine \\xff tailings'" in stderr
    assert dump(sqlite_url) == before


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["case", "show", "\udcff"], "argument 3 is not valid UTF-8: '\\xff'"),
        (["case", "list", "--state=\ud800"], "the value of --state is not valid UTF-8"),
        (["\udcfe"], "argument 1 is not valid UTF-8: '\\xfe'"),
    ],
)
def test_undecodable_or_lone_surrogate_arguments_are_refused_in_process(
    ncp_sqlite: InProcessCli, args: list[str], named: str
) -> None:
    """Whatever reaches `main` holding surrogates is refused before a command runs."""
    result = ncp_sqlite(*args)
    assert result.returncode == 2
    assert named in result.stderr


OUTPUT_COMMANDS = [
    ["audit", "export"],
    ["audit", "export", "--format", "csv"],
    ["report", "timelines"],
    ["report", "annual", "--year", "2025", "--format", "html"],
    ["report", "oecd", "--format", "csv"],
    ["deadlines", "ics"],
    ["audit", "keygen"],
    ["handbook"],
    ["handbook", "--format", "pdf"],
]


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=lambda c: "-".join(c))
@pytest.mark.parametrize("where", ["folder", "missing-folder", "under-a-file", "empty"])
def test_every_output_option_refuses_what_cannot_be_a_file(
    ncp_sqlite: InProcessCli, tmp_path: Path, command: list[str], where: str
) -> None:
    """A folder, a missing folder, a path under a file or '': exit 2 naming it; nothing made."""
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    target = {
        "folder": str(tmp_path),
        "missing-folder": str(tmp_path / "no" / "out.txt"),
        "under-a-file": str(tmp_path / "plain" / "out.txt"),
        "empty": "",
    }[where]
    before = sorted(p.name for p in tmp_path.iterdir())
    result = ncp_sqlite(*command, "--output", target)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: --output '{target or '.'}'")
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_output_that_fails_while_writing_is_bad_input(ncp_sqlite: InProcessCli) -> None:
    """A full disk (/dev/full) is reported as exit 2 naming the file, not as an OSError."""
    result = ncp_sqlite("report", "oecd", "--output", "/dev/full")
    assert result.returncode == 2
    assert "--output '/dev/full' cannot be written: No space left on device" in result.stderr


def test_a_revealing_export_to_a_bad_output_writes_no_audit_entry(
    ncp_sqlite: InProcessCli, sqlite_url: str, tmp_path: Path
) -> None:
    """`--reveal` is audited; refused for its --output, it leaves the log as it was."""
    assert ncp_sqlite(*OPEN).returncode == 0
    before = dump(sqlite_url)
    result = ncp_sqlite("audit", "export", "--reveal", "--actor", "admin", "--output", str(tmp_path))
    assert result.returncode == 2
    assert dump(sqlite_url) == before


def test_an_unknown_log_level_is_bad_input(ncp_sqlite: InProcessCli) -> None:
    """--log-level (or $NCPFLOW_LOG_LEVEL) outside debug/info/warning/error: exit 2."""
    result = ncp_sqlite("--log-level", "verbose", "case", "list")
    assert result.returncode == 2
    assert "--log-level" in result.stderr and "verbose" in result.stderr


def test_an_environment_variable_not_utf8_is_refused_and_a_key_is_never_echoed(
    ncp_sqlite: InProcessCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$NCPFLOW_CONFIG is shown with its bad byte; $NCPFLOW_AUDIT_KEY is named, not shown."""
    monkeypatch.setenv("NCPFLOW_CONFIG", "/etc/\udcffconfig.toml")
    result = ncp_sqlite("case", "list")
    assert result.returncode == 2
    assert "$NCPFLOW_CONFIG is not valid UTF-8: '/etc/\\xffconfig.toml'" in result.stderr
    monkeypatch.setenv("NCPFLOW_CONFIG", str(ROOT / "config.toml"))
    monkeypatch.setenv("NCPFLOW_AUDIT_KEY", "secret-\udcff-key")
    result = ncp_sqlite("audit", "checkpoint")
    assert result.returncode == 2
    assert "$NCPFLOW_AUDIT_KEY is not valid UTF-8" in result.stderr
    assert "secret" not in result.stderr
