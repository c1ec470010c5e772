"""Signed checkpoints: truncation is caught, a wrong key fails; random tampering is located.

The tamper test drops the append-only triggers (as an intruder with database access could),
then makes 200 random single edits, deletions, insertions and reorderings, each inside a
transaction rolled back afterwards, and checks that verification names the right seq.
"""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from states.chain import AuditEntry, seal, verify
from states.checkpoints import Checkpoint, check
from storage import mapper
from tests.conftest import ROOT, InProcessCli
from tests.helpers import open_one
from tests.storage.test_audit_log import _drop_append_only_triggers, _seed, _sql
from workflow.audit import checkpoint_path, make_checkpoint, verify_all
from workflow.bootstrap import Services
from workflow.cases import advance

KEY = "k" * 64


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.chdir(tmp_path)  # PostgreSQL's checkpoint log goes beside config (or here)
    monkeypatch.setenv("NCPFLOW_AUDIT_KEY", KEY)
    return KEY


def _drop_checkpoint_triggers(services: Services) -> None:
    if services.settings.database.url.startswith("sqlite"):
        _sql(services, "DROP TRIGGER audit_checkpoints_no_update",
             "DROP TRIGGER audit_checkpoints_no_delete")
    else:
        _sql(services, "DROP TRIGGER audit_checkpoints_no_change ON audit_checkpoints")


def test_checkpoint_then_verify_is_clean_and_a_head_is_signed_once(
        services: Services, keyed: str) -> None:
    _seed(services)
    first = make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)
    assert first.seq == 5
    assert make_checkpoint(uow=services.uow, clock=services.clock,
                           settings=services.settings) == first
    logged = checkpoint_path(services.settings).read_text().splitlines()
    assert [json.loads(line)["seq"] for line in logged] == [5]
    report = verify_all(uow=services.uow, settings=services.settings)
    assert report.ok and report.checkpoints == 1 and report.chain.entries == 5


@pytest.mark.parametrize("drop_checkpoints", [False, True])
def test_deleting_the_newest_entries_is_detected_with_or_without_the_newest_checkpoints(
        services: Services, keyed: str, drop_checkpoints: bool) -> None:
    _seed(services)
    make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)  # 5
    reference = open_one(services, title="Fourth case", received=date(2025, 5, 20))
    advance(uow=services.uow, clock=services.clock, policy=services.policy,
            reference=reference, trigger="begin_assessment", actor="chair", reason="complete")
    make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)  # 7
    _drop_append_only_triggers(services)
    _sql(services, "DELETE FROM audit_log WHERE seq > 4")
    if drop_checkpoints:
        _drop_checkpoint_triggers(services)
        _sql(services, "DELETE FROM audit_checkpoints WHERE seq > 0")
    report = verify_all(uow=services.uow, settings=services.settings)
    assert not report.ok
    assert report.chain.ok  # the chain alone cannot see it
    assert report.truncated is not None
    assert report.truncated.startswith("truncated: 1 entries after seq 4 are missing")
    assert report.first_bad_seq == 5
    problems = [f.problem for f in report.findings]
    assert any("truncated: 3 entries after seq 4" in p for p in problems)
    if drop_checkpoints:
        assert any("missing from the database" in p for p in problems)


def test_a_wrong_key_fails_and_a_missing_key_is_a_clear_error(
        capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path, keyed: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text((ROOT / "config.toml").read_text().replace(
        "\n[audit]\n", f'\n[audit]\ncheckpoint_file = "{tmp_path / "cp.jsonl"}"\n'))
    ncp = InProcessCli(capsys, monkeypatch, database_url, config)
    ncp("case", "open", "--title", "T", "--enterprise", "E AS", "--submitter", "S",
        "--actor", "secretariat")
    assert ncp("audit", "checkpoint").returncode == 0
    assert ncp("audit", "verify").returncode == 0
    monkeypatch.setenv("NCPFLOW_AUDIT_KEY", "another key")
    result = ncp("audit", "verify", "--json")
    assert result.returncode == 6
    verdict = json.loads(result.stdout)
    assert "wrong key" in verdict["problem"] and verdict["chain_ok"] is not False
    monkeypatch.delenv("NCPFLOW_AUDIT_KEY")
    result = ncp("audit", "verify")
    assert result.returncode == 2 and "no audit key" in result.stderr


def test_keygen_writes_a_private_key_file(ncp: InProcessCli, tmp_path: Path) -> None:
    target = tmp_path / "audit.key"
    assert ncp("audit", "keygen", "--output", str(target)).returncode == 0
    assert target.stat().st_mode & 0o777 == 0o600
    assert len(target.read_text().strip()) == 64
    assert ncp("audit", "keygen", "--output", str(target)).returncode != 0  # never overwritten


# -- 200 random tamperings on one SQLite database, each rolled back --------------------------

def _rows(conn: sqlite3.Connection) -> list[AuditEntry]:
    return [mapper.to_entry(r) for r in
            conn.execute(f"SELECT {mapper.AUDIT_COLUMNS} FROM audit_log ORDER BY seq")]


def _judge(conn: sqlite3.Connection, key: bytes, logged: list[Checkpoint]) -> int | None:
    stored = [Checkpoint(*r) for r in conn.execute("SELECT seq, hash, at, mac "
                                                   "FROM audit_checkpoints")]
    entries = _rows(conn)
    verdict = verify(entries)
    hashes = {e.seq: e.hash for e in entries}
    findings = check(key, stored=stored, logged=logged, hashes=hashes,
                     head_seq=verdict.head_seq, chain_ok=verdict.ok)
    seqs = [f.seq for f in findings] + ([verdict.first_bad_seq] if not verdict.ok else [])
    return min(seqs) if seqs else None


FIELDS = ("case_ref", "kind", "actor", "at", "from_state", "to_state", "reason", "data",
          "prev_hash", "hash")


def _tamper(conn: sqlite3.Connection, rng: random.Random, n: int) -> tuple[str, int]:
    """One random tampering; returns what was done and the seq verification must name.

    Checkpoints sit at every fifth seq (5, 10, 15, 20)."""
    action = rng.choice(["edit", "delete", "insert", "reorder"])
    k = rng.randint(1, n)
    if action == "edit":
        column = rng.choice(FIELDS)
        value = (json.dumps({"forged": rng.random()}) if column == "data"
                 else "0" * 63 + "1" if column in {"hash", "prev_hash"}
                 else f"forged-{rng.random()}")
        conn.execute(f"UPDATE audit_log SET {column} = ? WHERE seq = ?", (value, k))
        return f"edit {column} of {k}", k
    if action == "delete":
        conn.execute("DELETE FROM audit_log WHERE seq = ?", (k,))
        return f"delete {k}", k  # the newest: caught by the checkpoint at the head
    if action == "insert":
        entries = _rows(conn)
        prev = entries[k - 2] if k > 1 else None
        forged = seal(prev=prev, case_ref=None, kind="forged", actor="intruder",
                      at=__import__("datetime").datetime(2025, 1, 1, tzinfo=__import__(
                          "datetime").UTC), from_state=None, to_state=None, reason=None,
                      data={})
        conn.execute("UPDATE audit_log SET seq = -seq WHERE seq >= ?", (k,))
        conn.execute("UPDATE audit_log SET seq = 1 - seq WHERE seq < 0")
        conn.execute(f"INSERT INTO audit_log ({mapper.AUDIT_COLUMNS}) VALUES "
                     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (forged.seq, forged.case_ref, forged.kind, forged.actor, forged.at,
                      forged.from_state, forged.to_state, forged.reason, "{}",
                      forged.prev_hash, forged.hash))
        # The forged entry fits the chain, but not a checkpoint signed at its seq; else its
        # successor no longer links.
        return f"insert at {k}", k if k % 5 == 0 else k + 1
    other = rng.choice([s for s in range(1, n + 1) if s != k])
    a, b = sorted((k, other))
    conn.execute("UPDATE audit_log SET seq = -1 WHERE seq = ?", (a,))
    conn.execute("UPDATE audit_log SET seq = ? WHERE seq = ?", (a, b))
    conn.execute("UPDATE audit_log SET seq = ? WHERE seq = -1", (b,))
    return f"swap {a} and {b}", a


def test_200_random_tamperings_are_each_named_at_the_right_seq(
        sqlite_url: str, clock: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import make_settings
    from workflow.bootstrap import bootstrap

    monkeypatch.setenv("NCPFLOW_AUDIT_KEY", KEY)
    services = bootstrap(make_settings(sqlite_url), clock=clock)
    try:
        for _ in range(4):
            _seed(services)
            make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)
        logged = [Checkpoint.from_dict(json.loads(line)) for line in
                  checkpoint_path(services.settings).read_text().splitlines()]
    finally:
        services.close()
    assert [c.seq for c in logged] == [5, 10, 15, 20]
    conn = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    key = KEY.encode()
    assert _judge(conn, key, logged) is None
    rng = random.Random(20251122)
    done = set()
    for _ in range(200):
        conn.execute("BEGIN")
        what, expected = _tamper(conn, rng, 20)
        done.add(what.split()[0])
        assert _judge(conn, key, logged) == expected, what
        conn.execute("ROLLBACK")
    assert done == {"edit", "delete", "insert", "swap"}
    assert _judge(conn, key, logged) is None
    conn.close()


def test_the_scheduler_checkpoints_nightly_only_when_a_key_is_configured(
        services: Services, keyed: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from workflow import scheduler

    _seed(services)
    assert scheduler.CHECKPOINT_JOB in scheduler.jobs(services)
    job = scheduler.build(services).get_job(scheduler.CHECKPOINT_JOB)
    assert str(job.trigger).startswith("cron[") and "hour='2'" in str(job.trigger)
    scheduler.run_checkpoint(services)
    assert verify_all(uow=services.uow, settings=services.settings).checkpoints == 1
    monkeypatch.delenv("NCPFLOW_AUDIT_KEY")
    assert scheduler.CHECKPOINT_JOB not in scheduler.jobs(services)
