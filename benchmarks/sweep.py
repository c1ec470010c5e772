"""The alert sweep over 100k and 1M cases, against the raw indexed query for the same rows.

    .venv/bin/python benchmarks/sweep.py [--json] [--sizes 100000,1000000] [--repeat N]

For each size a SQLite file is copied from a template migrated by `workflow.bootstrap.initialise`
and filled with raw `sqlite3.executemany` (one transaction, rows as the engine writes them):

* 10% of the cases are open, in initial assessment: acknowledgement met, initial assessment and
  procedure open, a lead member each. Exactly DUE_RUNGS of them have their initial assessment
  due within [today - 29 days, today + 30 days], so each has exactly one rung to fire at the
  sweep's `now` (a reminder, the due-day rung or one overdue rung; nothing old enough for an
  escalation). The other open cases are due well beyond the reminder horizon.
* PAUSED more open cases are due in the same window but paused: the sweep must skip them.
* 90% are closed (rejected, statement published, closed), with their five deadlines all met.
* Two parties a case. The audit log starts empty (the sweep reads only its head).

Then, in a fresh child process per size (so that RSS belongs to the sweep, not the build):

* `store_query_s`: `SqlAlertStore.candidates()` (the sweep's read part, fired rungs included) in a
  read transaction, and `raw_query_s`: the same candidates SELECT (the exact text and
  parameters the store sends, caught on their way to the driver) on a plain `sqlite3`
  connection with the engine's PRAGMAs, `fetchall()`. Both return the same deadline ids
  (checked). Median of N runs each, interleaved, the side that goes first alternating.
  `ratio` = store / raw.
* `sweep_s`: one `workflow.alerts.sweep` at `now` (FixedClock), which must queue exactly
  DUE_RUNGS alerts. It is split into `sweep_query_s` (the store's candidates(), timed
  inside that very sweep) and `insert_s` (everything else: claims, loading the cases, rendering
  the e-mails, outbox rows, audit entries, commit). `resweep_s`: a second sweep, which must
  queue nothing.
* `peak_rss_mb`: the child's peak RSS (VmHWM), and `sweep_rss_growth_mb`: the sweep's own peak
  above the RSS it started with (the high-water mark is reset just before the sweep).

Targets: ratio <= 2; memory that does not grow with the number of closed cases.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from states.durations import Duration  # noqa: E402
from workflow.procedures import DEFAULT, shipped  # noqa: E402

NOW = datetime(2026, 6, 15, 7, 0, tzinfo=UTC)  # 09:00 in Oslo
TODAY = date(2026, 6, 15)
OPEN_SHARE = 0.10
DUE_RUNGS = 1_000
PAUSED = 100
MEMBERS = ("member-b", "member-c", "member-d")
TIMEZONE = "Europe/Oslo"
D14, M3, M12 = Duration.parse("14d"), Duration.parse("3mo"), Duration.parse("12mo")


# ---------------------------------------------------------------- building the databases


def make_template(folder: Path) -> Path:
    from workflow.bootstrap import bootstrap, initialise
    from workflow.config import parse_settings

    path = folder / "template.db"
    built = bootstrap(
        parse_settings({"database": {"url": f"sqlite:///{path}"}}, source="(benchmark)"),
        require_initialised=False,
    )
    initialise(built)
    built.close()
    assert not path.with_name(path.name + "-wal").exists()
    return path


class Plan:
    """Which case id is what: closed first, then due, paused-in-window, and the other open."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.open = int(total * OPEN_SHARE)
        self.closed = total - self.open
        assert self.open >= DUE_RUNGS + PAUSED
        self.due_window = [TODAY + timedelta(days=k) for k in range(-29, 31)]
        # Received dates whose 3-month initial assessment falls in the window, and received
        # dates in the last 50 days, whose deadlines are all beyond the 30-day horizon.
        self.due_received = [
            r for r in _days(TODAY - timedelta(days=130), TODAY) if M3.added_to(r) in self.due_window
        ]
        self.late_received = list(_days(TODAY - timedelta(days=50), TODAY))
        assert all(M3.added_to(r) > TODAY + timedelta(days=30) for r in self.late_received)
        self.closed_received = list(_days(date(2000, 1, 1), date(2024, 12, 31)))

    def received(self, case_id: int) -> date:
        n = case_id - 1
        if n < self.closed:
            return self.closed_received[n % len(self.closed_received)]
        n -= self.closed
        if n < DUE_RUNGS + PAUSED:
            return self.due_received[n % len(self.due_received)]
        return self.late_received[n % len(self.late_received)]

    def kind(self, case_id: int) -> str:
        n = case_id - 1 - self.closed
        if n < 0:
            return "closed"
        return "due" if n < DUE_RUNGS else "paused" if n < DUE_RUNGS + PAUSED else "open"


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


@cache
def instant(day: date, hour: int = 9) -> str:
    """Naive UTC text, the layout the engine stores on SQLite."""
    return datetime(day.year, day.month, day.day, hour).strftime("%Y-%m-%d %H:%M:%S.%f")


@cache
def _deadlines(closed: bool, r: date) -> tuple[tuple[Any, ...], ...]:
    """(name, basis_on, basis_label, duration, started_at, met_at, met_on, due_on) rows.

    Closed: rejected after 60 days, statement published after 120, closed after 400, all met.
    Open: acknowledged on receipt; initial assessment and procedure open.
    """
    start = instant(r, 8)
    rows: list[tuple[str, date, str, str, str, date | None, date]]
    if closed:
        rejected, published = r + timedelta(days=60), r + timedelta(days=120)
        rows = [
            ("acknowledgement", r, "received", "14d", start, r + timedelta(days=3), D14.added_to(r)),
            ("initial_assessment", r, "received", "3mo", start, rejected, M3.added_to(r)),
            ("procedure", r, "received", "12mo", start, published, M12.added_to(r)),
            (
                "final_statement",
                rejected,
                "not accepted",
                "3mo",
                instant(rejected),
                published,
                M3.added_to(rejected),
            ),
            (
                "follow_up",
                published,
                "published",
                "12mo",
                instant(published),
                r + timedelta(days=400),
                M12.added_to(published),
            ),
        ]
    else:
        rows = [
            ("acknowledgement", r, "received", "14d", start, r, D14.added_to(r)),
            ("initial_assessment", r, "received", "3mo", start, None, M3.added_to(r)),
            ("procedure", r, "received", "12mo", start, None, M12.added_to(r)),
        ]
    return tuple(
        (
            name,
            basis.isoformat(),
            label,
            duration,
            started,
            None if met is None else instant(met),
            None if met is None else met.isoformat(),
            due.isoformat(),
        )
        for name, basis, label, duration, started, met, due in rows
    )


def populate(path: Path, total: int) -> dict[str, Any]:
    plan = Plan(total)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-200000")
    conn.execute("BEGIN")
    ids = range(1, total + 1)
    procedure = shipped(DEFAULT)

    def case_rows() -> Iterator[tuple[Any, ...]]:
        for i in ids:
            r, kind = plan.received(i), plan.kind(i)
            closed = kind == "closed"
            yield (
                i,
                f"NCP-{r.year}-{i:07d}",
                f"Complaint {i}",
                "closed" if closed else "initial_assessment",
                "not_accepted" if closed else None,
                None,
                instant(r, 8),
                r.isoformat(),
                instant(r + timedelta(days=400 if closed else 1)),
                TIMEZONE,
                0,
                "NO",
                '["environment"]',
                '["NO"]',
                None,
                None if closed else MEMBERS[i % len(MEMBERS)],
                5 if closed else 2,
                procedure.id,
                procedure.version,
            )

    conn.executemany(
        "INSERT INTO cases (id, reference, title, state, outcome, scope, received_at, "
        "received_on, last_event_at, timezone, roll_to_working_day, holiday_country, themes, "
        "host_countries, sector, lead_member, version, procedure_id, procedure_version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        case_rows(),
    )
    # Every case pins the shipped procedure version, stored as the first opened case stores it.
    conn.execute(
        "INSERT INTO procedure_versions (id, version, sha256, content, stored_at) VALUES (?, ?, ?, ?, ?)",
        (procedure.id, procedure.version, procedure.sha256, procedure.text, instant(TODAY)),
    )

    def party_rows() -> Iterator[tuple[Any, ...]]:
        for i in ids:
            yield (i, 0, "submitter", f"Submitter {i}", "ngo", 0)
            yield (i, 1, "enterprise", f"Enterprise {i} ASA", None, 0)

    conn.executemany(
        "INSERT INTO parties (case_id, position, role, name, type, confidential) VALUES (?, ?, ?, ?, ?, ?)",
        party_rows(),
    )

    def deadline_rows() -> Iterator[tuple[Any, ...]]:
        for i in ids:
            for row in _deadlines(plan.kind(i) == "closed", plan.received(i)):
                yield (i, *row)

    conn.executemany(
        "INSERT INTO deadlines (case_id, name, basis_on, basis_label, duration, started_at, "
        "met_at, met_on, due_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        deadline_rows(),
    )

    paused = [i for i in range(plan.closed + 1, total + 1) if plan.kind(i) == "paused"]
    conn.executemany(
        "INSERT INTO pauses (case_id, started_at, ended_at, reason, actor, requested_by, "
        "ended_by) VALUES (?, ?, NULL, 'parallel proceedings', 'chair', NULL, NULL)",
        [(i, instant(TODAY - timedelta(days=40))) for i in paused],
    )
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode=WAL")  # as the engine leaves it
    counts = {
        table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("cases", "parties", "deadlines", "pauses")
    }
    conn.close()
    return {"total": total, "open": plan.open, "closed": plan.closed, "rows": counts}


# ---------------------------------------------------------------- the measurement (child)


def status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, from /proc (Linux), in MiB.

    Not `getrusage`: its ru_maxrss survives exec, so a child started by a parent that holds a
    big page cache would report the parent's size as its own peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def reset_peak() -> None:
    """Start VmHWM again from the current RSS (proc(5): clear_refs, value 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def measure(path: Path, repeat: int) -> dict[str, Any]:
    from states.alerts import horizon
    from storage.alerts import SqlAlertStore
    from storage.db import Db
    from workflow.alerts import sweep
    from workflow.bootstrap import bootstrap
    from workflow.clock import FixedClock
    from workflow.config import load_settings
    from workflow.logging import configure

    configure(level="warning")
    settings = load_settings(ROOT / "config.toml", database_url=f"sqlite:///{path}")
    services = bootstrap(settings, clock=FixedClock(NOW))
    until = TODAY + timedelta(days=horizon(settings.alert_policy))
    raw = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=30000"):
        raw.execute(f"PRAGMA {pragma}")

    def store_side() -> tuple[float, list[int]]:
        with services.uow.read() as tx:
            started = time.perf_counter()
            found = tx.alerts.candidates(due_until=until)
            elapsed = time.perf_counter() - started
        return elapsed, [c.deadline_id for c in found]

    # The raw side runs the very SELECT the store sends: caught on its way to the driver.
    caught: list[tuple[str, dict[str, Any]]] = []
    driver_all = Db.all

    def spy(self: Db, sql: str, params: Any = None) -> Any:
        caught.append((sql, dict(params or {})))
        return driver_all(self, sql, params)

    Db.all = spy  # type: ignore[method-assign]
    store_side()
    Db.all = driver_all  # type: ignore[method-assign]
    assert len(caught) == 1 and "FROM deadlines" in caught[0][0], caught
    sql, params = caught[0]

    def raw_side() -> tuple[float, list[int]]:
        raw.execute("BEGIN")
        started = time.perf_counter()
        rows = raw.execute(sql, params).fetchall()
        elapsed = time.perf_counter() - started
        raw.execute("COMMIT")
        return elapsed, list(dict.fromkeys(row[0] for row in rows))

    # Warm both sides (pool connection, statement caches, pages in the OS cache).
    assert store_side()[1] == raw_side()[1]
    rss_start = status_mb("VmRSS")
    store: list[float] = []
    plain: list[float] = []
    for n in range(repeat):
        sides: list[tuple[list[float], Callable[[], tuple[float, list[int]]]]] = [
            (store, store_side),
            (plain, raw_side),
        ]
        for times, side in sides if n % 2 == 0 else sides[::-1]:
            elapsed, ids = side()
            assert len(ids) == DUE_RUNGS, len(ids)
            times.append(elapsed)
    peak_before = status_mb("VmHWM")
    reset_peak()
    rss_before = status_mb("VmRSS")

    # The sweep, with its store reads timed inside it.
    spent = {"query": 0.0}

    def timed(method: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                spent["query"] += time.perf_counter() - started

        return wrapper

    SqlAlertStore.candidates = timed(SqlAlertStore.candidates)  # type: ignore[method-assign]
    started = time.perf_counter()
    queued = sweep(uow=services.uow, clock=services.clock, settings=settings, render=services.render)
    sweep_s = time.perf_counter() - started
    sweep_query_s = spent["query"]
    sweep_peak = status_mb("VmHWM")
    assert len(queued) == DUE_RUNGS, len(queued)
    assert all(q["rung"] != "escalation" for q in queued)
    started = time.perf_counter()
    again = sweep(uow=services.uow, clock=services.clock, settings=settings, render=services.render)
    resweep_s = time.perf_counter() - started
    assert again == []
    with services.uow.read() as tx:
        outbox = tx.outbox.counts()["pending"]
    raw.close()
    services.close()
    store_s, raw_s = statistics.median(store), statistics.median(plain)
    return {
        "due_rungs": len(queued),
        "emails_queued": outbox,
        "sweep_s": round(sweep_s, 4),
        "sweep_query_s": round(sweep_query_s, 4),
        "insert_s": round(sweep_s - sweep_query_s, 4),
        "resweep_s": round(resweep_s, 4),
        "resweep_query_s": round(spent["query"] - sweep_query_s, 4),
        "store_query_s": round(store_s, 5),
        "raw_query_s": round(raw_s, 5),
        "ratio": round(store_s / raw_s, 2),
        "repeat": repeat,
        "rss_start_mb": round(rss_start, 1),
        "rss_before_sweep_mb": round(rss_before, 1),
        "peak_rss_mb": round(max(peak_before, sweep_peak), 1),
        "sweep_rss_growth_mb": round(sweep_peak - rss_before, 1),
    }


# ---------------------------------------------------------------- driver


def run_size(template: Path, folder: Path, total: int, repeat: int) -> dict[str, Any]:
    path = folder / f"sweep-{total}.db"
    shutil.copy(template, path)
    started = time.perf_counter()
    built = populate(path, total)
    build_s = time.perf_counter() - started
    size_mb = path.stat().st_size / 2**20
    child = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--repeat", str(repeat)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if child.returncode != 0:
        raise SystemExit(f"measuring {total} cases failed:\n{child.stderr}")
    result = {**built, "build_s": round(build_s, 1), "db_mb": round(size_mb), **json.loads(child.stdout)}
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--sizes", default="100000,1000000", help="total cases, comma-separated")
    parser.add_argument("--repeat", type=int, default=25, help="timed runs of each query")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, args.repeat)))
        return 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ncpflow-sweep-") as tmp:
        folder = Path(tmp)
        template = make_template(folder)
        sizes = [run_size(template, folder, int(s), args.repeat) for s in args.sizes.split(",")]
    result = {
        "now": NOW.isoformat(),
        "sizes": sizes,
        "wall_s": round(time.perf_counter() - started, 1),
        "python": platform.python_version(),
        "sqlite_version": sqlite3.sqlite_version,
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"sweep at {NOW.isoformat()}; {DUE_RUNGS} due rungs; medians of {args.repeat} runs")
    for s in sizes:
        print(
            f"{s['total']:>9,} cases ({s['open']:,} open, {s['closed']:,} closed), "
            f"{s['db_mb']} MB, built in {s['build_s']} s"
        )
        print(
            f"    sweep {s['sweep_s'] * 1000:.0f} ms = query {s['sweep_query_s'] * 1000:.1f} ms "
            f"+ inserts {s['insert_s'] * 1000:.0f} ms; again {s['resweep_s'] * 1000:.1f} ms"
        )
        print(
            f"    store query {s['store_query_s'] * 1000:.2f} ms vs raw "
            f"{s['raw_query_s'] * 1000:.2f} ms: ratio {s['ratio']}"
        )
        print(f"    peak RSS {s['peak_rss_mb']} MB, of which the sweep added {s['sweep_rss_growth_mb']} MB")
    print(f"total {result['wall_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
