"""Signed checkpoints: truncation is caught, a wrong key fails; random tampering is located.

The tamper test drops the append-only triggers (as an intruder with database access could),
then makes 200 random single edits, deletions, insertions and reorderings, each inside a
transaction rolled back afterwards, and checks that verification names the right seq.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from states.chain import AuditEntry, seal, verify
from states.checkpoints import Checkpoint, Keys, check, sign_hmac
from states.signatures import Signer, TrustedKeys
from storage import mapper
from storage.rows import AuditRow
from tests.conftest import ROOT, InProcessCli
from tests.helpers import open_one
from tests.storage.test_audit_log import _drop_append_only_triggers, _seed, _sql
from workflow.audit import _append_line, checkpoint_path, make_checkpoint, verify_all
from workflow.bootstrap import Services, bootstrap
from workflow.cases import advance

SIGNER = Signer.generate()
KEY = SIGNER.private_pem()
HMAC_KEY = "k" * 64


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.chdir(tmp_path)  # PostgreSQL's checkpoint log goes beside config (or here)
    monkeypatch.setenv("NCPFLOW_AUDIT_SIGNING_KEY", KEY)
    return KEY


def _drop_checkpoint_triggers(services: Services) -> None:
    if services.settings.database.url.startswith("sqlite"):
        _sql(services, "DROP TRIGGER audit_checkpoints_no_update", "DROP TRIGGER audit_checkpoints_no_delete")
    else:
        _sql(services, "DROP TRIGGER audit_checkpoints_no_change ON audit_checkpoints")


def test_checkpoint_then_verify_is_clean_and_a_head_is_signed_once(services: Services, keyed: str) -> None:
    _seed(services)
    first = make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)
    assert first.seq == 5
    assert make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings) == first
    logged = checkpoint_path(services.settings).read_text().splitlines()
    assert [json.loads(line)["seq"] for line in logged] == [5]
    assert json.loads(logged[0])["key"] == SIGNER.key_id and json.loads(logged[0])["sig"]
    report = verify_all(uow=services.uow, settings=services.settings)
    assert report.ok and report.checkpoints == 1 and report.chain.entries == 5


@pytest.mark.owner
@pytest.mark.parametrize("drop_checkpoints", [False, True])
def test_deleting_the_newest_entries_is_detected_with_or_without_the_newest_checkpoints(
    services: Services, keyed: str, drop_checkpoints: bool
) -> None:
    _seed(services)
    make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)  # 5
    reference = open_one(services, title="Fourth case", received=date(2025, 5, 20))
    advance(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference=reference,
        trigger="begin_assessment",
        actor="chair",
        reason="complete",
    )
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


def _config_with_log(tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        (ROOT / "config.toml")
        .read_text()
        .replace("\n[audit]\n", f'\n[audit]\ncheckpoint_file = "{tmp_path / "cp.jsonl"}"\n')
    )
    return config


def test_a_checkpoint_by_another_key_fails_and_a_public_key_alone_verifies(
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    tmp_path: Path,
    keyed: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Checkpoints carry an Ed25519 signature: another key is named as unknown (exit 6), no
    key at all is a clear error (exit 2), and the public key alone is enough to verify."""
    ncp = InProcessCli(capsys, monkeypatch, database_url, _config_with_log(tmp_path))
    ncp("case", "open", "--title", "T", "--enterprise", "E AS", "--submitter", "S", "--actor", "secretariat")
    made = ncp.json("audit", "checkpoint", "--json")
    assert made["key"] == SIGNER.key_id and "mac" not in made
    assert ncp("audit", "verify").returncode == 0
    public = tmp_path / "ncp.pub"
    public.write_text(ncp("audit", "public-key").stdout)
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    monkeypatch.setenv("NCPFLOW_AUDIT_SIGNING_KEY", Signer.generate().private_pem())
    result = ncp("audit", "verify", "--json")
    assert result.returncode == 6
    verdict = json.loads(result.stdout)
    assert f"unknown key {SIGNER.key_id}" in verdict["problem"]
    assert verdict["chain_ok"] is not False
    assert ncp("audit", "verify", "--public-key", str(public)).returncode == 0
    monkeypatch.delenv("NCPFLOW_AUDIT_SIGNING_KEY")
    result = ncp("audit", "verify")
    assert result.returncode == 2 and "no public key" in result.stderr
    assert ncp("audit", "verify", "--public-key", str(public)).returncode == 0
    refused = ncp("audit", "checkpoint")
    assert refused.returncode == 2 and "no audit signing key" in refused.stderr
    for text in ("not a key", "-----BEGIN PRIVATE KEY-----\nsecret\udcff\n"):
        monkeypatch.setenv("NCPFLOW_AUDIT_SIGNING_KEY", text)
        refused = ncp("audit", "checkpoint")
        assert refused.returncode == 2 and "NCPFLOW_AUDIT_SIGNING_KEY" in refused.stderr
        assert "secret" not in refused.stderr and "Traceback" not in refused.stderr


def test_hmac_checkpoints_made_before_ed25519_stay_verifiable_with_their_key(
    services: Services, keyed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An old HMAC checkpoint (row and log line) verifies with the HMAC key, fails with a
    wrong one, and without one verify is a clear error; new checkpoints are Ed25519."""
    from states.chain import ChainHead
    from states.errors import NcpflowError

    _seed(services)
    with services.uow.read() as tx:
        head = tx.audit.head()
    assert isinstance(head, ChainHead)
    old = sign_hmac(HMAC_KEY.encode(), seq=head.seq, hash=head.hash, at="2025-01-01T00:00:00.000000Z")
    with services.uow.write() as tx:
        tx.checkpoints.add(old)
        _append_line(checkpoint_path(services.settings), old)
    monkeypatch.setenv("NCPFLOW_AUDIT_KEY", HMAC_KEY)
    assert (
        make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings) == old
    )  # the head is signed already
    report = verify_all(uow=services.uow, settings=services.settings)
    assert report.ok and report.checkpoints == 1
    monkeypatch.setenv("NCPFLOW_AUDIT_KEY", "another key")
    report = verify_all(uow=services.uow, settings=services.settings)
    assert not report.ok and "wrong key" in report.findings[0].problem
    monkeypatch.delenv("NCPFLOW_AUDIT_KEY")
    with pytest.raises(NcpflowError, match="no audit key"):
        verify_all(uow=services.uow, settings=services.settings)


def _hmac_checkpoint_of_head(services: Services, *, row: bool = True) -> Checkpoint:
    """An HMAC checkpoint of the current head, logged (and stored, unless `row` is false), as
    anyone holding the HMAC key could make one."""
    with services.uow.read() as tx:
        head = tx.audit.head()
    assert head is not None
    made = sign_hmac(HMAC_KEY.encode(), seq=head.seq, hash=head.hash, at="2025-06-01T00:00:00.000000Z")
    with services.uow.write() as tx:
        if row:
            tx.checkpoints.add(made)
        _append_line(checkpoint_path(services.settings), made)
    return made


def test_an_hmac_checkpoint_before_the_first_ed25519_one_still_verifies(
    services: Services, keyed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checkpoints made before the switch to Ed25519 keep verifying with the HMAC key."""
    _seed(services)
    _hmac_checkpoint_of_head(services)  # seq 5
    open_one(services, title="Fourth case", received=date(2025, 5, 20))
    make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)  # 6
    monkeypatch.setenv("NCPFLOW_AUDIT_KEY", HMAC_KEY)
    report = verify_all(uow=services.uow, settings=services.settings)
    assert report.ok and report.checkpoints == 2


def test_an_hmac_checkpoint_after_the_first_ed25519_one_is_refused_whatever_the_key(
    services: Services, keyed: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An HMAC checkpoint above the first Ed25519 checkpoint's seq is refused with its reason
    (exit 6), with the right HMAC key or without one."""
    _seed(services)
    make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)  # 5
    open_one(services, title="Fourth case", received=date(2025, 5, 20))
    _hmac_checkpoint_of_head(services)  # seq 6: after the switch, a forgery
    cli = InProcessCli(capsys, monkeypatch, services.settings.database.url, ROOT / "config.toml")
    for hmac_key in (None, HMAC_KEY):
        if hmac_key is not None:
            monkeypatch.setenv("NCPFLOW_AUDIT_KEY", hmac_key)
        report = verify_all(uow=services.uow, settings=services.settings)
        assert not report.ok and report.first_bad_seq == 6
        assert [f.problem for f in report.findings] == [
            "checkpoint at seq 6: HMAC-signed after the first Ed25519 checkpoint (seq 5); "
            "checkpoints since then must be signed with Ed25519"
        ]
        refused = cli("audit", "verify")
        assert refused.returncode == 6 and "HMAC-signed after the first Ed25519" in refused.stderr


def test_the_next_checkpoint_completes_no_hmac_line_whatever_the_key(
    services: Services, keyed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An HMAC log line without its row is never made a checkpoint: the head is signed anew."""
    _seed(services)
    monkeypatch.setenv("NCPFLOW_AUDIT_KEY", HMAC_KEY)
    forged = _hmac_checkpoint_of_head(services, row=False)
    made = make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)
    assert made != forged and made.seq == forged.seq and made.key == SIGNER.key_id
    with services.uow.read() as tx:
        assert tx.checkpoints.all() == [made]


def test_keygen_writes_a_private_key_file(ncp: InProcessCli, tmp_path: Path) -> None:
    """`audit keygen` writes an Ed25519 PEM key (or, with --kind hmac, an HMAC key), mode
    0600, never over an existing file, and names a folder that cannot take it."""
    target = tmp_path / "audit.pem"
    made = ncp("audit", "keygen", "--output", str(target))
    assert made.returncode == 0 and "[audit] signing_key_file" in made.stdout
    assert target.stat().st_mode & 0o777 == 0o600
    assert Signer.from_pem(target.read_text()).key_id in made.stdout
    assert ncp("audit", "keygen", "--output", str(target)).returncode == 2  # never overwritten
    hmac_file = tmp_path / "audit.key"
    assert ncp("audit", "keygen", "--kind", "hmac", "--output", str(hmac_file)).returncode == 0
    assert len(hmac_file.read_text().strip()) == 64
    missing = ncp("audit", "keygen", "--output", str(tmp_path / "no" / "such" / "k.pem"))
    assert missing.returncode == 2 and str(tmp_path / "no" / "such") in missing.stderr
    folder = ncp("audit", "keygen", "--output", str(tmp_path))
    assert folder.returncode == 2 and "is a folder" in folder.stderr
    assert "BEGIN PRIVATE KEY" in ncp("audit", "keygen").stdout


class _Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, the transaction does not commit."""


def _interrupted_checkpoint(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkpoint whose process died after its log line was fsynced, before the commit."""
    import workflow.audit

    real = workflow.audit._append_line

    def then_die(path: Path, checkpoint: Checkpoint) -> None:
        real(path, checkpoint)
        raise _Killed

    monkeypatch.setattr(workflow.audit, "_append_line", then_die)
    with pytest.raises(_Killed):
        make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)
    monkeypatch.setattr(workflow.audit, "_append_line", real)


def test_an_interrupted_checkpoint_is_unfinished_not_tampering_and_the_next_completes_it(
    services: Services, keyed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A signed log line without its row is reported unfinished (verify passes); the next
    checkpoint inserts the row, from the line, and signs the new head."""
    _seed(services)
    _interrupted_checkpoint(services, monkeypatch)
    with services.uow.read() as tx:
        assert tx.checkpoints.all() == []
    report = verify_all(uow=services.uow, settings=services.settings)
    assert report.ok and report.unfinished == [5] and report.checkpoints == 1
    assert report.as_dict()["unfinished_checkpoints"] == [5]
    open_one(services, title="Fourth case", received=date(2025, 5, 20))
    made = make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)
    assert made.seq == 6
    logged = [
        Checkpoint.from_dict(json.loads(line))
        for line in checkpoint_path(services.settings).read_text().splitlines()
    ]
    with services.uow.read() as tx:
        assert tx.checkpoints.all() == logged  # the row of seq 5 is the logged line itself
    report = verify_all(uow=services.uow, settings=services.settings)
    assert report.ok and report.unfinished == [] and report.checkpoints == 2


def test_an_interrupted_checkpoint_of_the_head_is_completed_not_signed_again(
    services: Services, keyed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no entry since, the next checkpoint completes the unfinished one and returns it."""
    _seed(services)
    _interrupted_checkpoint(services, monkeypatch)
    (line,) = checkpoint_path(services.settings).read_text().splitlines()
    made = make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)
    assert made == Checkpoint.from_dict(json.loads(line))
    assert len(checkpoint_path(services.settings).read_text().splitlines()) == 1


def test_a_log_line_badly_signed_or_naming_another_hash_is_reported_never_completed(
    services: Services, keyed: str
) -> None:
    """Only a validly signed line whose (seq, hash) the chain holds counts as unfinished."""
    from states.checkpoints import sign

    _seed(services)
    path = checkpoint_path(services.settings)
    with services.uow.read() as tx:
        head_hash = tx.audit.hash_at(5)
    assert head_hash is not None
    at = "2025-06-01T00:00:00.000000Z"
    _append_line(path, sign(Signer.generate(), seq=5, hash=head_hash, at=at))  # another key
    _append_line(path, sign(SIGNER, seq=3, hash="0" * 64, at=at))  # not the chain's entry 3
    report = verify_all(uow=services.uow, settings=services.settings)
    problems = [f.problem for f in report.findings]
    assert not report.ok and report.unfinished == [] and report.first_bad_seq == 3
    assert any("unknown key" in p for p in problems)
    assert any("entry 3 differs" in p for p in problems)
    make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)
    with services.uow.read() as tx:
        stored = tx.checkpoints.all()
    assert [(c.seq, c.key) for c in stored] == [(5, SIGNER.key_id)]  # its own, not the forgery
    assert not verify_all(uow=services.uow, settings=services.settings).ok


def test_a_log_line_cut_short_is_not_read_and_the_next_checkpoint_removes_it(
    services: Services, keyed: str
) -> None:
    """A last line without its newline is one still being written (or torn by a crash)."""
    _seed(services)
    path = checkpoint_path(services.settings)
    path.write_text('{"at": "2025-06-01T00:00:00.000000Z", "hash": "ab')
    assert verify_all(uow=services.uow, settings=services.settings).ok
    make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)
    assert [json.loads(line)["seq"] for line in path.read_text().splitlines()] == [5]
    assert verify_all(uow=services.uow, settings=services.settings).ok


def test_a_whole_line_that_lost_only_its_line_end_is_kept_and_completed(
    services: Services, keyed: str
) -> None:
    """A signed checkpoint line missing just its newline is kept (and its row completed)."""
    _seed(services)
    path = checkpoint_path(services.settings)
    make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)
    first = path.read_bytes()
    path.write_bytes(first.rstrip(b"\n"))
    open_one(services, title="Fourth case", received=date(2025, 5, 20))
    make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)
    lines = path.read_bytes().splitlines()
    assert lines[0] == first.rstrip(b"\n") and len(lines) == 2
    assert verify_all(uow=services.uow, settings=services.settings).ok


def test_a_file_that_is_no_checkpoint_log_is_left_as_it_is(services: Services, keyed: str) -> None:
    """Over 4 KiB without a line end: not a log we wrote; refused, nothing cut."""
    _seed(services)
    path = checkpoint_path(services.settings)
    path.write_bytes(b"x" * 10_000)
    from states.errors import NcpflowError

    with pytest.raises(NcpflowError, match="no line end"):
        make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)
    assert path.read_bytes() == b"x" * 10_000


# -- 200 random tamperings on one SQLite database, each rolled back --------------------------


def _rows(conn: sqlite3.Connection) -> list[AuditEntry]:
    return [
        mapper.to_entry(AuditRow._make(r))
        for r in conn.execute(f"SELECT {mapper.AUDIT_COLUMNS} FROM audit_log ORDER BY seq")
    ]


def _judge(conn: sqlite3.Connection, keys: Keys, logged: list[Checkpoint]) -> int | None:
    stored = [
        Checkpoint(r[0], r[1], r[2], r[3] or "", r[4] or "", r[5] or "")
        for r in conn.execute("SELECT seq, hash, at, mac, sig, key_id FROM audit_checkpoints")
    ]
    entries = _rows(conn)
    verdict = verify(entries)
    hashes = {e.seq: e.hash for e in entries}
    findings = check(
        keys, stored=stored, logged=logged, hashes=hashes, head_seq=verdict.head_seq, chain_ok=verdict.ok
    ).findings
    seqs = [f.seq for f in findings] + ([verdict.first_bad_seq] if not verdict.ok else [])
    return min(seqs) if seqs else None


FIELDS = ("case_ref", "kind", "actor", "at", "from_state", "to_state", "reason", "data", "prev_hash", "hash")


def _tamper(conn: sqlite3.Connection, rng: random.Random, n: int) -> tuple[str, int]:
    """One random tampering; returns what was done and the seq verification must name.

    Checkpoints sit at every fifth seq (5, 10, 15, 20)."""
    action = rng.choice(["edit", "delete", "insert", "reorder"])
    k = rng.randint(1, n)
    if action == "edit":
        column = rng.choice(FIELDS)
        value = (
            json.dumps({"forged": rng.random()})
            if column == "data"
            else "0" * 63 + "1"
            if column in {"hash", "prev_hash"}
            else f"forged-{rng.random()}"
        )
        conn.execute(f"UPDATE audit_log SET {column} = ? WHERE seq = ?", (value, k))
        return f"edit {column} of {k}", k
    if action == "delete":
        conn.execute("DELETE FROM audit_log WHERE seq = ?", (k,))
        return f"delete {k}", k  # the newest: caught by the checkpoint at the head
    if action == "insert":
        entries = _rows(conn)
        prev = entries[k - 2] if k > 1 else None
        forged = seal(
            prev=prev,
            case_ref=None,
            kind="forged",
            actor="intruder",
            at=__import__("datetime").datetime(2025, 1, 1, tzinfo=__import__("datetime").UTC),
            from_state=None,
            to_state=None,
            reason=None,
            data={},
        )
        conn.execute("UPDATE audit_log SET seq = -seq WHERE seq >= ?", (k,))
        conn.execute("UPDATE audit_log SET seq = 1 - seq WHERE seq < 0")
        conn.execute(
            f"INSERT INTO audit_log ({mapper.AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                forged.seq,
                forged.case_ref,
                forged.kind,
                forged.actor,
                forged.at,
                forged.from_state,
                forged.to_state,
                forged.reason,
                "{}",
                forged.prev_hash,
                forged.hash,
            ),
        )
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
    sqlite_url: str, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import make_settings
    from workflow.bootstrap import bootstrap

    monkeypatch.setenv("NCPFLOW_AUDIT_SIGNING_KEY", KEY)
    services = bootstrap(make_settings(sqlite_url), clock=clock)
    try:
        for _ in range(4):
            _seed(services)
            make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)
        logged = [
            Checkpoint.from_dict(json.loads(line))
            for line in checkpoint_path(services.settings).read_text().splitlines()
        ]
    finally:
        services.close()
    assert [c.seq for c in logged] == [5, 10, 15, 20]
    conn = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    key = Keys(trusted=TrustedKeys([SIGNER.public]))
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
    services: Services, keyed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workflow import scheduler

    _seed(services)
    assert scheduler.CHECKPOINT_JOB in scheduler.jobs(services)
    job = scheduler.build(services).get_job(scheduler.CHECKPOINT_JOB)
    assert str(job.trigger).startswith("cron[") and "hour='2'" in str(job.trigger)
    scheduler.run_checkpoint(services)
    assert verify_all(uow=services.uow, settings=services.settings).checkpoints == 1
    monkeypatch.delenv("NCPFLOW_AUDIT_SIGNING_KEY")
    # The key is read once onto the application: a process started without one has no job.
    assert scheduler.CHECKPOINT_JOB in scheduler.jobs(services)
    unkeyed = bootstrap(services.settings, clock=services.clock)
    try:
        assert scheduler.CHECKPOINT_JOB not in scheduler.jobs(unkeyed)
    finally:
        unkeyed.close()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"k" * (65 * 1024), "too large to be a key"),
        (b"\xff\xfe key", "not a text (PEM) file"),
        (None, "not a file"),
    ],
)
def test_the_hmac_key_file_is_read_with_the_same_checks_as_the_signing_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes | None, problem: str
) -> None:
    """`[audit] key_file`: too large, not text, or a folder, each named as a config error."""
    from workflow.audit import load_key
    from workflow.config import ConfigError, load_settings

    monkeypatch.delenv("NCPFLOW_AUDIT_KEY", raising=False)
    key = tmp_path / "audit.key"
    if content is None:
        key.mkdir()
    else:
        key.write_bytes(content)
    config = tmp_path / "config.toml"
    config.write_text('[audit]\nkey_file = "audit.key"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(f"[audit] key_file {key}: {problem}")):
        load_key(load_settings(config))
    key.rmdir() if content is None else key.write_text(HMAC_KEY + "\n")
    if content is not None:
        assert load_key(load_settings(config)) == HMAC_KEY.encode()
