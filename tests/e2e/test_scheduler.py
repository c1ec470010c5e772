"""`ncpflow scheduler` as a real process: it sweeps, sends over real SMTP, and stops on SIGTERM.

The SMTP server is aiosmtpd on 127.0.0.1 (tests/smtp.py: a real server on a free port that
parses what it receives with `email.policy.default`). The scheduler runs with 1-second
intervals from a config file written for the test. Cases are opened through the CLI with
`--received` early in 2025, so every open deadline is long overdue by the time the test runs:
each of a case's three open deadlines (acknowledgement, initial assessment, procedure) fires its
latest overdue rung and its escalation, i.e. six alerts per case under the shipped [alerts]
settings.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from storage.engine import make_engine
from tests.conftest import ROOT, Cli, InProcessCli
from tests.helpers import wait_for
from tests.smtp import Inbox, smtp_server
from workflow.audit import audit_entries
from workflow.bootstrap import Services

pytestmark = pytest.mark.slow

ALERTS_PER_CASE = 6  # 3 open deadlines x (latest overdue rung + escalation)
SWEEP_JOB = "ncpflow-alerts-sweep"
DISPATCH_JOB = "ncpflow-outbox-dispatch"


@dataclass
class SmtpSink:
    """The test's SMTP server (tests/smtp.py): its inbox and port."""

    inbox: Inbox
    port: int

    @property
    def messages(self) -> list[EmailMessage]:
        return [received.message for received in self.inbox.snapshot()]


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    with smtp_server() as (inbox, port):
        yield SmtpSink(inbox, port)


def write_config(folder: Path, smtp_port: int) -> Path:
    """The shipped config with this test's SMTP port and 1-second scheduler intervals."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    for key, value in (("port", smtp_port), ("sweep_interval", 1), ("dispatch_interval", 1)):
        text, count = re.subn(rf"(?m)^{key} = \d+", f"{key} = {value}", text)
        assert count == 1, key
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    parsed = tomllib.loads(text)
    assert parsed["smtp"]["port"] == smtp_port
    assert parsed["scheduler"]["sweep_interval"] == parsed["scheduler"]["dispatch_interval"] == 1
    return path


def open_overdue_cases(ncp: InProcessCli, first: int, count: int) -> list[str]:
    refs = []
    for n in range(first, first + count):
        made = ncp.json(
            "case",
            "open",
            "--title",
            f"Overdue complaint {n}",
            "--enterprise",
            f"Enterprise {n} AS",
            "--submitter",
            f"Submitter {n}",
            "--received",
            f"2025-01-{n + 2:02d}",
            "--actor",
            "secretariat",
            "--json",
        )
        refs.append(made["reference"])
    return refs


@pytest.fixture
def setup(
    tmp_path: Path,
    smtp_sink: SmtpSink,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
) -> tuple[Cli, InProcessCli, str]:
    config = write_config(tmp_path, smtp_sink.port)
    cli = Cli(tmp_path, database_url)
    cli.env["NCPFLOW_CONFIG"] = str(config)
    cli.env.pop("NCPFLOW_LOG_LEVEL", None)
    return cli, InProcessCli(capsys, monkeypatch, database_url, config), database_url


class Scheduler:
    """One `ncpflow scheduler` process, its stderr captured in a file (no pipe to fill up)."""

    def __init__(self, cli: Cli, name: str) -> None:
        self.log_path = cli.workdir / f"{name}.stderr"
        self._log = self.log_path.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ncpflow", "scheduler"],
            cwd=cli.workdir,
            env=cli.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )

    def lines(self) -> list[str]:
        return [line for line in self.log_path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.lines() if line.startswith("{")]

    def runs(self, job: str) -> list[dict[str, Any]]:
        return [e for e in self.events() if e["event"] == "job_ran" and e["job"] == job]

    def stop(self) -> tuple[int, str]:
        """SIGTERM, then wait; returns the exit code and what it printed on stdout."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            out, _ = self.proc.communicate(timeout=15)
        finally:
            if self.proc.poll() is None:  # never leave a stray process behind
                self.proc.kill()
                self.proc.wait()
            self._log.close()
        return self.proc.returncode, out


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def outbox_rows(url: str) -> list[tuple[Any, ...]]:
    return query(url, "SELECT message_id, status, recipient, case_ref FROM outbox ORDER BY id")


def all_sent(url: str, sink: SmtpSink, alerts: int) -> bool:
    """Every expected alert fired, and every queued e-mail reached the server."""
    if query(url, "SELECT COUNT(*) FROM alerts")[0][0] < alerts:
        return False
    rows = outbox_rows(url)
    return bool(rows) and all(r[1] == "sent" for r in rows) and len(sink.messages) >= len(rows)


def assert_clean_json_log(scheduler: Scheduler) -> list[dict[str, Any]]:
    """stderr is structlog JSON, one object a line, every job run logged as `job_ran`."""
    # APScheduler's own lines (a run skipped while the last one still runs) are JSON too.
    plain = [line for line in scheduler.lines() if not line.startswith("{")]
    assert plain == [], "\n".join(plain)
    events = scheduler.events()
    assert all(e["level"] in {"info", "warning"} for e in events), events
    events = [e for e in events if not e.get("logger", "").startswith("apscheduler")]
    assert not [e for e in events if e["event"] == "job_failed"], events
    names = [e["event"] for e in events]
    assert names[0] == "scheduler_started"
    assert names[-1] == "scheduler_stopped"
    assert names.count("scheduler_stopping") == 1
    stopping = names.index("scheduler_stopping")
    assert events[stopping]["signal"] == "SIGTERM"
    # A job in hand when the signal came finishes before the scheduler stops, so its lines may
    # follow `scheduler_stopping`; nothing starts afterwards, so at most one run of each job.
    finished = [e["job"] for e in events[stopping + 1 : -1] if e["event"] == "job_ran"]
    assert len(finished) == len(set(finished)), names[stopping:]
    # One `job_ran` per run of each job: as many as the runs' own summary lines.
    assert names.count("alerts_swept") == len(scheduler.runs(SWEEP_JOB)) >= 2
    assert names.count("outbox_dispatched") == len(scheduler.runs(DISPATCH_JOB)) >= 2
    for event in events:
        if event["event"] == "job_ran":
            assert set(event) >= {"job", "level", "timestamp"}
    return events


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_scheduler_sends_the_alert_emails_and_stops_cleanly_on_sigterm(
    setup: tuple[Cli, InProcessCli, str], smtp_sink: SmtpSink, services: Services
) -> None:
    cli, ncp, url = setup
    refs = open_overdue_cases(ncp, 1, 2)
    started = time.monotonic()
    scheduler = Scheduler(cli, "scheduler")
    try:
        wait_for(
            lambda: all_sent(url, smtp_sink, ALERTS_PER_CASE * len(refs)),
            "the scheduler to send every alert e-mail",
        )
        sent_after = time.monotonic() - started
        # Keep it beating for a second run of each job: nothing more may be sent.
        wait_for(
            lambda: len(scheduler.runs(SWEEP_JOB)) >= 2 and len(scheduler.runs(DISPATCH_JOB)) >= 2,
            "a second run of each job",
        )
    finally:
        code, stdout = scheduler.stop()

    assert code == 0, scheduler.log_path.read_text()
    assert stdout == ""
    assert sent_after < 15
    events = assert_clean_json_log(scheduler)
    assert sum(e["queued"] for e in scheduler.runs(SWEEP_JOB)) == ALERTS_PER_CASE * len(refs)
    assert scheduler.runs(SWEEP_JOB)[-1]["queued"] == 0  # idempotent once caught up

    rows = outbox_rows(url)
    messages = smtp_sink.messages
    assert len(messages) == len(rows) == sum(e["sent"] for e in scheduler.runs(DISPATCH_JOB))
    assert sorted(m["Message-ID"] for m in messages) == sorted(r[0] for r in rows)
    assert len([e for e in events if e["event"] == "outbox_sent"]) == len(rows)
    for message in messages:
        assert message["From"] == "ncpflow@responsiblebusiness.no"
        reference = next(r for r in refs if r in str(message["Subject"]))
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        assert text is not None and html is not None
        assert reference in text.get_content()
    # The secretariat gets every alert; the chair (at least) every escalation.
    by_recipient = Counter(str(m["To"]) for m in messages)
    assert by_recipient["post@responsiblebusiness.no"] == ALERTS_PER_CASE * len(refs)
    assert by_recipient["chair@responsiblebusiness.no"] >= 3 * len(refs)
    assert sorted(by_recipient.elements()) == sorted(r[2] for r in rows)
    # The audit log records each alert and each e-mail sent, and still verifies.
    kinds = Counter(e.kind for e in audit_entries(uow=services.uow))
    assert kinds["opened"] == len(refs)
    assert kinds["alert"] == ALERTS_PER_CASE * len(refs)
    assert kinds["notified"] == len(rows)
    verdict = cli("audit", "verify", "--json")
    assert verdict.returncode == 0 and json.loads(verdict.stdout)["ok"] is True


def test_two_schedulers_on_one_database_send_each_alert_once(
    setup: tuple[Cli, InProcessCli, str], smtp_sink: SmtpSink, services: Services
) -> None:
    """Two heartbeats on one database: alerts, audit entries and e-mails all single."""
    cli, ncp, url = setup
    refs = open_overdue_cases(ncp, 1, 6)
    schedulers = [Scheduler(cli, "first"), Scheduler(cli, "second")]
    try:
        # Both beating, then more cases arrive: later sweeps of the two race over them too.
        wait_for(lambda: all(s.runs(SWEEP_JOB) for s in schedulers), "both schedulers to sweep")
        refs += open_overdue_cases(ncp, 7, 4)
        wait_for(
            lambda: all_sent(url, smtp_sink, ALERTS_PER_CASE * len(refs)), "every alert e-mail to be sent"
        )
        # One more full beat of both, to give a duplicate every chance to show up.
        seen = [len(s.runs(SWEEP_JOB)) for s in schedulers]
        wait_for(
            lambda: all(
                len(s.runs(SWEEP_JOB)) > n and len(s.runs(DISPATCH_JOB)) >= 2
                for s, n in zip(schedulers, seen, strict=True)
            ),
            "another sweep by each scheduler",
        )
    finally:
        stopped = [s.stop() for s in schedulers]

    assert [code for code, _ in stopped] == [0, 0], [s.log_path.read_text() for s in schedulers]
    for scheduler in schedulers:
        assert_clean_json_log(scheduler)

    # Alerts: one row per (deadline, rung, due date), and the expected number in all.
    dupes = query(
        url,
        "SELECT deadline_id, rung, due_on, COUNT(*) FROM alerts "
        "GROUP BY deadline_id, rung, due_on HAVING COUNT(*) > 1",
    )
    assert dupes == []
    alerts = query(url, "SELECT deadline_id, rung FROM alerts")
    assert len(alerts) == len(set(alerts)) == ALERTS_PER_CASE * len(refs)
    queued = [sum(e["queued"] for e in s.runs(SWEEP_JOB)) for s in schedulers]
    assert sum(queued) == len(alerts), queued

    # Audit: one "alert" entry per (deadline, rung), one "notified" entry per e-mail.
    entries = [e.as_dict() for e in audit_entries(uow=services.uow)]
    fired = Counter(
        (e["case_ref"], e["data"]["deadline"], e["data"]["rung"], e["data"]["due"])
        for e in entries
        if e["kind"] == "alert"
    )
    assert len(fired) == len(alerts)
    assert set(fired.values()) == {1}
    assert {ref for ref, *_ in fired} == set(refs)

    # E-mail: every outbox row sent once; every Message-ID arrived exactly once.
    rows = outbox_rows(url)
    messages = smtp_sink.messages
    ids = Counter(str(m["Message-ID"]) for m in messages)
    assert [mid for mid, n in ids.items() if n > 1] == []
    assert set(ids) == {r[0] for r in rows}
    assert len(messages) == len(rows) >= 9 * len(refs)  # secretariat 6 + chair 3 a case
    sent = [sum(e["sent"] for e in s.runs(DISPATCH_JOB)) for s in schedulers]
    assert sum(sent) == len(rows), sent
    notified = Counter(e["data"]["message_id"] for e in entries if e["kind"] == "notified")
    assert set(notified.values()) == {1} and set(notified) == set(ids)

    verdict = cli("audit", "verify", "--json")
    assert verdict.returncode == 0, verdict.stdout + verdict.stderr
    assert json.loads(verdict.stdout)["entries"] == len(entries)
