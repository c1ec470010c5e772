"""Clean stops: SIGTERM to `scheduler` or `serve` while a slow mail server works off a backlog.

The SMTP server (aiosmtpd, tests/smtp.py) takes 0.2 s for each message; over a hundred are
queued before the process starts. After it has sent some, SIGTERM must stop it within the
configured `[smtp] timeout` + 2 s with exit code 0, having finished only the message in hand and
leaving no lease behind; a restart then sends the rest. Across both runs every queued message
arrives exactly once (by Message-ID).
"""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, Cli, InProcessCli
from tests.e2e.test_scheduler import open_overdue_cases, outbox_rows, query
from tests.helpers import free_port, wait_for
from tests.smtp import Inbox, smtp_server

pytestmark = pytest.mark.slow

SMTP_TIMEOUT = 3  # [smtp] timeout in the test's config: the stop bound is this + 2 s
DELAY = 0.2  # seconds the mail server takes per message
CASES = 12  # 9 messages a case (6 alerts to the secretariat, 3 escalations to the chair)


@dataclass
class SlowInbox(Inbox):
    """An inbox whose server takes DELAY seconds over each message (after recording it)."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        await asyncio.sleep(DELAY)
        return answer


@pytest.fixture
def slow_smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server(SlowInbox()) as (inbox, port):
        yield inbox, port


@pytest.fixture
def sink(slow_smtp: tuple[Inbox, int]) -> Inbox:
    return slow_smtp[0]


@pytest.fixture
def backlog(
    tmp_path: Path,
    slow_smtp: tuple[Inbox, int],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sqlite_url: str,
) -> tuple[Cli, str]:
    """Over a hundred e-mails queued (one sweep) for the slow server; the scheduler's config."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    for key, value in (
        ("port", slow_smtp[1]),
        ("timeout", SMTP_TIMEOUT),
        ("sweep_interval", 1),
        ("dispatch_interval", 1),
    ):
        text, count = re.subn(rf"(?m)^{key} = \d+", f"{key} = {value}", text)
        assert count == 1, key
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    ncp = InProcessCli(capsys, monkeypatch, sqlite_url, config)
    open_overdue_cases(ncp, 1, CASES)
    assert ncp("alerts", "sweep").returncode == 0
    assert len(outbox_rows(sqlite_url)) >= 100
    cli = Cli(tmp_path, sqlite_url)
    cli.env["NCPFLOW_CONFIG"] = str(config)
    cli.env.pop("NCPFLOW_LOG_LEVEL", None)
    return cli, sqlite_url


def start(cli: Cli, name: str, *argv: str) -> tuple[subprocess.Popen[str], Path]:
    log = cli.workdir / f"{name}.stderr"
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ncpflow", *argv],
            cwd=cli.workdir,
            env=cli.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            text=True,
        )
    return proc, log


def terminate(proc: subprocess.Popen[str], log: Path) -> float:
    """SIGTERM; the seconds until the process exited, which must be with code 0."""
    stopped = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=SMTP_TIMEOUT + 30)
    finally:
        if proc.poll() is None:  # never leave a stray process behind
            proc.kill()
            proc.wait()
    took = time.monotonic() - stopped
    assert code == 0, log.read_text(encoding="utf-8")
    return took


def statuses(url: str) -> Counter[str]:
    return Counter(status for (status,) in query(url, "SELECT status FROM outbox"))


def stop_restart_and_drain(backlog: tuple[Cli, str], sink: Inbox, *argv: str) -> None:
    """Run, SIGTERM mid-backlog, check the stop; run again until all is sent; check the mail."""
    cli, url = backlog
    rows = outbox_rows(url)
    proc, log = start(cli, "first", *argv)
    try:
        wait_for(lambda: len(sink.snapshot()) >= 10, "some e-mails to be sent", timeout=60)
    finally:
        took = terminate(proc, log)
    assert took <= SMTP_TIMEOUT + 2, f"stopped after {took:.1f} s"
    after_stop = statuses(url)
    assert after_stop["sending"] == 0, after_stop  # no lease left behind
    assert after_stop["pending"] > 0, after_stop  # it stopped; it did not send the backlog
    # Only the message in hand was finished: whatever reached the server is marked sent.
    assert after_stop["sent"] == len(sink.snapshot()), (after_stop, len(sink.snapshot()))

    proc, log = start(cli, "second", *argv)
    try:
        wait_for(
            lambda: statuses(url)["sent"] == len(rows) and len(sink.snapshot()) >= len(rows),
            "the restarted process to send the rest",
            timeout=60,
        )
    finally:
        terminate(proc, log)
    ids = Counter(r.message_id for r in sink.snapshot())
    assert [mid for mid, n in ids.items() if n > 1] == []  # nothing sent twice
    assert set(ids) == {r[0] for r in rows}  # nothing lost
    assert statuses(url) == Counter({"sent": len(rows)})


def test_the_scheduler_stops_promptly_on_sigterm_and_a_restart_sends_the_rest_once(
    backlog: tuple[Cli, str], sink: Inbox
) -> None:
    """`ncpflow scheduler`: SIGTERM mid-backlog exits 0 in time; no duplicate, none lost."""
    stop_restart_and_drain(backlog, sink, "scheduler")


def test_serve_stops_its_scheduler_on_sigterm_and_a_restart_sends_the_rest_once(
    backlog: tuple[Cli, str], sink: Inbox
) -> None:
    """`ncpflow serve` with its scheduler: SIGTERM exits 0 in time; no duplicate, none lost."""
    stop_restart_and_drain(backlog, sink, "serve", "--port", str(free_port()))
