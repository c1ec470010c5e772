"""Files that hold the NCP's data or secrets are readable by their owner only (issue 10,
item 12): the SQLite database with its -wal and -shm files, the key files, the checkpoint log."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, InProcessCli
from workflow.files import create_private


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """The usual 022 umask, under which files would be readable by everyone."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_init_makes_the_database_and_its_wal_and_shm_files_owner_only(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    permissive_umask: None,
) -> None:
    """`ncpflow init` creates the SQLite file 0600; SQLite gives -wal and -shm the same mode."""
    db = tmp_path / "var" / "ncpflow.db"
    ncp = InProcessCli(capsys, monkeypatch, f"sqlite:///{db}", ROOT / "config.toml")
    assert ncp("init").returncode == 0
    made = ncp.json("users", "add", "hanna", "--role", "handler", "--json")  # a write: WAL
    assert made["token"]
    from states.signatures import Signer

    monkeypatch.setenv("NCPFLOW_AUDIT_SIGNING_KEY", Signer.generate().private_pem())
    checkpoint = ncp("audit", "checkpoint")
    assert checkpoint.returncode == 0, checkpoint.stderr
    # The -wal and -shm files live while a connection is open (the last one to close removes
    # them): hold one open, with a write, while looking.
    with contextlib.closing(sqlite3.connect(db)) as open_connection:
        open_connection.execute("CREATE TEMP TABLE t (x)")
        open_connection.execute("SELECT count(*) FROM users").fetchone()
        files = [
            db,
            db.with_name("ncpflow.db-wal"),
            db.with_name("ncpflow.db-shm"),
            db.with_name("ncpflow.db.checkpoints.jsonl"),
        ]
        for path in files:
            assert path.exists(), path
            assert _mode(path) == 0o600, f"{path.name}: {oct(_mode(path))}"


def test_create_private_makes_a_file_0600_once_and_leaves_an_existing_one_alone(
    tmp_path: Path, permissive_umask: None
) -> None:
    """The one helper for 'a new file only its owner reads'."""
    path = tmp_path / "secret"
    assert create_private(path) is True and _mode(path) == 0o600
    path.write_text("kept")
    assert create_private(path) is False and path.read_text() == "kept"
