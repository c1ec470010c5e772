"""Killed and concurrent checkpoints never make `audit verify` cry wolf (issue 10, item 7).

Real processes on SQLite and PostgreSQL. The kill test runs `ncpflow audit checkpoint` (the
CLI's `main`) in processes forked from a helper that has already imported ncpflow, so that
each checkpoint starts in milliseconds and a random kill lands inside the checkpoint itself
rather than in Python's start-up. Every other kill waits until the checkpoint has written and
fsynced its log line (the helper's `os.fsync` then announces itself and sleeps), which puts it
exactly between the log line and the commit. After each kill, verify must pass. The second test
loops verify in this process while another process makes checkpoints as fast as it can.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from states.records import GenericRecord
from states.signatures import Signer
from tests.conftest import ROOT
from workflow.audit import AuditReport, verify_all
from workflow.bootstrap import Services, bootstrap
from workflow.config import load_settings

SIGNER = Signer.generate()

# Reads commands "run <marker or -> <kill delay in s or ->" and answers "<status>": the child's
# exit code, or "killed". A marker makes the child's first fsync (the checkpoint log line) touch
# the marker and sleep, and the helper kills the child once the marker appears.
FORK_HELPER = r"""
import os, signal, sys, time
from ncpflow.cli import main

real_fsync = os.fsync

def child(marker):
    out = os.open(os.devnull, os.O_WRONLY)
    os.dup2(out, 1)
    os.dup2(out, 2)
    if marker != "-":
        def fsync(fd):
            real_fsync(fd)
            open(marker, "w").close()
            time.sleep(60)
        os.fsync = fsync
    try:
        main(["audit", "checkpoint"])
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    os._exit(code)

for line in sys.stdin:
    marker, delay = line.split()
    pid = os.fork()
    if pid == 0:
        child(marker)
    if marker != "-":
        until = time.monotonic() + 30
        while not os.path.exists(marker) and time.monotonic() < until:
            time.sleep(0.002)
        os.kill(pid, signal.SIGKILL)
    elif delay != "-":
        time.sleep(float(delay))
        os.kill(pid, signal.SIGKILL)  # not yet reaped: the pid is still this child's
    _, status = os.waitpid(pid, 0)
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    print("killed" if killed else os.waitstatus_to_exitcode(status), flush=True)
"""

# Appends an entry and checkpoints it, again and again until told to stop; each fsync of the
# checkpoint log sleeps a little, widening the window between the log line and the commit.
WRITER = r"""
import os, sys, time
from datetime import UTC, datetime
from pathlib import Path

real_fsync = os.fsync

def fsync(fd):
    real_fsync(fd)
    time.sleep(0.003)

os.fsync = fsync
from states.records import GenericRecord
from workflow.audit import make_checkpoint
from workflow.bootstrap import bootstrap
from workflow.config import load_settings

services = bootstrap(load_settings())
stop, ready = Path(sys.argv[1]), Path(sys.argv[2])
made = 0
while not stop.exists():
    with services.uow.write() as tx:
        tx.audit.append(case_ref=None, actor="writer", at=datetime.now(UTC),
                        from_state=None, to_state=None, reason=None,
                        record=GenericRecord("tick", {"n": made}))
    make_checkpoint(uow=services.uow, clock=services.clock, settings=services.settings)
    made += 1
    ready.touch()
    time.sleep(0.02)
services.close()
print(made)
"""


@pytest.fixture
def setup(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Services, dict[str, str]]]:
    config = tmp_path / "config.toml"
    config.write_text(
        (ROOT / "config.toml")
        .read_text()
        .replace("\n[audit]\n", f'\n[audit]\ncheckpoint_file = "{tmp_path / "checkpoints.jsonl"}"\n')
    )
    env = {
        "NCPFLOW_DATABASE_URL": database_url,
        "NCPFLOW_CONFIG": str(config),
        "NCPFLOW_AUDIT_SIGNING_KEY": SIGNER.private_pem(),
        "NCPFLOW_LOG_LEVEL": "warning",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    services = bootstrap(load_settings(config, database_url=database_url))
    _tick(services, 0)
    yield services, {**os.environ, **env}
    services.close()


def _tick(services: Services, n: int) -> None:
    with services.uow.write() as tx:
        tx.audit.append(
            case_ref=None,
            actor="test",
            at=datetime.now(UTC),
            from_state=None,
            to_state=None,
            reason=None,
            record=GenericRecord("tick", {"n": n}),
        )


def _verify(services: Services) -> AuditReport:
    report = verify_all(uow=services.uow, settings=services.settings)
    assert report.ok, report.as_dict()
    return report


def test_sigkills_during_audit_checkpoint_never_leave_verify_failing(
    setup: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    """20+ SIGKILLs, half between the log line and the commit, half at random moments: verify
    passes after each, reports interrupted ones as unfinished, and the next checkpoint heals
    them."""
    import random

    services, env = setup
    helper = subprocess.Popen(
        [sys.executable, "-c", FORK_HELPER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert helper.stdin is not None and helper.stdout is not None

    def checkpoint(marker: str, delay: str) -> str:
        helper.stdin.write(f"{marker} {delay}\n")  # type: ignore[union-attr]
        helper.stdin.flush()  # type: ignore[union-attr]
        return helper.stdout.readline().strip()  # type: ignore[union-attr]

    rng = random.Random(20261201)
    kills = gap_kills = unfinished_seen = rounds = 0
    try:
        began = time.monotonic()
        assert checkpoint("-", "-") == "0"
        span = (time.monotonic() - began) * 1.2  # random kills: anywhere in a checkpoint's life
        while (kills < 20 or gap_kills < 10) and rounds < 120:
            rounds += 1
            _tick(services, rounds)  # a new head each time
            in_gap = rounds % 2 == 1
            marker = str(tmp_path / f"gap-{rounds}") if in_gap else "-"
            status = checkpoint(marker, "-" if in_gap else f"{rng.uniform(0.0, span):.4f}")
            assert status in {"killed", "0"}, status
            if status == "killed":
                kills += 1
                gap_kills += in_gap
            report = _verify(services)
            unfinished_seen += bool(report.unfinished)
            if in_gap:
                assert report.unfinished, report.as_dict()  # the line is there, the row not
            if rounds == 1:  # the command says so, and passes
                result = _cli_verify(env, tmp_path)
                assert result.returncode == 0, result.stderr
                assert f"unfinished checkpoint at seq {report.unfinished[0]}" in result.stderr
        assert checkpoint("-", "-") == "0"  # one that runs to the end completes the others
    finally:
        helper.stdin.close()
        helper.wait(timeout=30)
        helper.stdout.close()
    assert kills >= 20 and gap_kills >= 10 and unfinished_seen >= 10, (kills, rounds)
    print(f"{rounds} checkpoints, {kills} killed ({gap_kills} in the gap), span {span:.3f} s")
    final = _verify(services)
    assert final.unfinished == [] and final.checkpoints >= gap_kills
    result = _cli_verify(env, tmp_path)
    assert result.returncode == 0 and "unfinished" not in result.stderr, result.stderr


def _cli_verify(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ncpflow", "audit", "verify"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_verify_looping_during_concurrent_checkpoints_gives_no_false_alarm(
    setup: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    """500+ verifies while another process appends and checkpoints all along: 0 alarms."""
    services, env = setup
    stop, ready = tmp_path / "stop", tmp_path / "ready"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop), str(ready)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    alarms: list[dict[str, object]] = []
    try:
        until = time.monotonic() + 60
        while not ready.exists() and writer.poll() is None and time.monotonic() < until:
            time.sleep(0.01)
        assert ready.exists(), writer.communicate(timeout=10)
        seen: set[int] = set()
        runs, until = 0, time.monotonic() + 90
        # At least 500 runs, and on until 20 checkpoints were made meanwhile (a busy machine
        # slows the writer's fsyncs down).
        while runs < 500 or (len(seen) < 20 and time.monotonic() < until):
            report = verify_all(uow=services.uow, settings=services.settings)
            if not report.ok:
                alarms.append(report.as_dict())
            seen.add(report.checkpoints)
            runs += 1
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert alarms == []
    assert len(seen) >= 20, (runs, out)  # checkpoints really were made meanwhile
    assert _verify(services).unfinished == []
