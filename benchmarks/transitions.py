"""Transitions per second through `workflow.cases.advance`, against raw sqlite3 doing the same writes.

    .venv/bin/python benchmarks/transitions.py [--json] [--cases N]

N cases are opened with `workflow.cases.open_case` (received 2025-01-02) in a freshly migrated
SQLite file; the file is then copied, so that the engine and the baseline start from identical
tables, indexes, triggers and rows. Each case is then taken through begin_assessment, accept,
conclude (agreement), publish and close, one durable transaction per transition:

* engine: `workflow.cases.advance` with a FixedClock, exactly as the CLI calls it;
* baseline: stdlib `sqlite3` with the same PRAGMAs (WAL, synchronous=FULL), one
  BEGIN IMMEDIATE ... COMMIT per transition that reads the case row and its deadlines, updates
  the case under a version check, updates and inserts the deadline rows, reads the audit chain
  head, hashes prev_hash + canonical JSON with sha256 and inserts the audit row.

Both runs must end with the same rows, audit chain included: the script checks that, so the
baseline cannot be cheaper by doing less.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Run as a script, this file's folder comes first on sys.path, and its name would shadow the
# `transitions` library that states/machine.py imports: put the project root there instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from workflow import cases  # noqa: E402
from workflow.bootstrap import Services, bootstrap, initialise  # noqa: E402
from workflow.clock import FixedClock  # noqa: E402
from workflow.config import parse_settings  # noqa: E402
from workflow.logging import configure  # noqa: E402

RECEIVED = date(2025, 1, 2)
OPENED_AT = datetime(2025, 1, 3, 9, 0, tzinfo=UTC)
FIRST_STEP_AT = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)
ACTOR = "benchmark"
REASON = "benchmark step"
TIMEZONE = "Europe/Oslo"  # the default [ncp] timezone the cases are opened with
SYNC_NAMES = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
CHUNK = 50  # transitions timed in one go before switching to the other side

# The five steps, and what each does to the deadlines (the lifecycle tables in
# states/lifecycle.py, spelled out by hand for the baseline): which open deadlines are met,
# which start (name, months from the step's local date).
STEPS: tuple[tuple[str, str | None, str, str, tuple[str, ...], tuple[tuple[str, int], ...]], ...] = (
    # trigger, outcome, from, to, met, started
    ("begin_assessment", None, "received", "initial_assessment", ("acknowledgement",), ()),
    ("accept", None, "initial_assessment", "good_offices", ("initial_assessment",), (("good_offices", 6),)),
    (
        "conclude",
        "agreement",
        "good_offices",
        "final_statement",
        ("good_offices",),
        (("final_statement", 3),),
    ),
    ("publish", None, "final_statement", "follow_up", ("final_statement", "procedure"), (("follow_up", 12),)),
    ("close", None, "follow_up", "closed", ("follow_up",), ()),
)
STARTED_LABEL = {"good_offices": "accepted", "final_statement": "concluded", "follow_up": "published"}
DURATION_TEXT = {6: "6mo", 3: "3mo", 12: "12mo"}


def step_time(step: int, index: int) -> datetime:
    # A month between steps, a second between cases: every step is after the case's last one.
    return FIRST_STEP_AT + timedelta(days=30 * step, seconds=index)


def schedule(references: list[str]) -> list[tuple[int, str, datetime]]:
    """Every case through step 1, then every case through step 2, and so on."""
    return [
        (step, reference, step_time(step, index))
        for step in range(len(STEPS))
        for index, reference in enumerate(references)
    ]


def settings_for(path: Path) -> Any:
    return parse_settings({"database": {"url": f"sqlite:///{path}"}}, source="(benchmark)")


# ---------------------------------------------------------------- preparation


def prepare(template: Path, n: int) -> list[str]:
    """A migrated database with `n` cases just opened; their references."""
    clock = FixedClock(OPENED_AT)
    services = bootstrap(settings_for(template), clock=clock, require_initialised=False)
    initialise(services)
    references = []
    for i in range(n):
        case = cases.open_case(
            uow=services.uow,
            clock=clock,
            policy=services.policy,
            reference_prefix="NCP",
            title=f"Benchmark case {i}",
            submitters=[cases.PartyInput(f"Submitter {i}", "ngo")],
            enterprises=[cases.PartyInput(f"Enterprise {i} ASA")],
            actor=ACTOR,
            received=RECEIVED,
            themes=["environment"],
            host_countries=["NO"],
        )
        references.append(case.reference)
    services.close()
    with sqlite3.connect(template) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return references


# ---------------------------------------------------------------- engine


class EngineRunner:
    """`workflow.cases.advance` on its own copy of the database, as the CLI calls it."""

    def __init__(self, path: Path) -> None:
        self.clock = FixedClock(FIRST_STEP_AT)
        self.services: Services = bootstrap(settings_for(path), clock=self.clock)
        with self.services.uow.read() as tx:  # open the pooled connection before timing
            self.synchronous = SYNC_NAMES[tx.db.scalar("PRAGMA synchronous")]
            assert tx.db.scalar("PRAGMA journal_mode") == "wal"

    def run(self, chunk: list[tuple[int, str, datetime]]) -> None:
        uow, clock, policy = self.services.uow, self.clock, self.services.policy
        for step, reference, at in chunk:
            clock.current = at
            cases.advance(
                uow=uow,
                clock=clock,
                policy=policy,
                reference=reference,
                trigger=STEPS[step][0],
                actor=ACTOR,
                reason=REASON,
                outcome=STEPS[step][1],
            )

    def close(self) -> None:
        self.services.close()


# ---------------------------------------------------------------- baseline


def _ts(value: datetime) -> str:
    # How SQLAlchemy stores a (UTC) datetime in SQLite.
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _instant(value: datetime) -> str:
    # states.chain.format_instant: the hashed spelling.
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def baseline_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def baseline_transition(
    conn: sqlite3.Connection, reference: str, step: int, now: datetime, zone: ZoneInfo
) -> None:
    trigger, outcome, from_state, to_state, met_names, started = STEPS[step]
    at_local = now.astimezone(zone).date()
    conn.execute("BEGIN IMMEDIATE")
    try:
        case = conn.execute(
            "SELECT id, title, state, outcome, scope, received_at, received_on, timezone, "
            "roll_to_working_day, holiday_country, themes, host_countries, sector, "
            "lead_member, version, results FROM cases WHERE reference = ?",
            (reference,),
        ).fetchone()
        (
            case_id,
            title,
            state,
            kept_outcome,
            scope,
            received_at,
            received_on,
            timezone,
            roll,
            holiday_country,
            themes,
            host_countries,
            sector,
            lead_member,
            version,
            results,
        ) = case
        assert state == from_state, (reference, state, from_state)
        deadlines = conn.execute(
            "SELECT name, basis_on, basis_label, duration, started_at, met_at, due_on "
            "FROM deadlines WHERE case_id = ? ORDER BY id",
            (case_id,),
        ).fetchall()
        cur = conn.execute(
            "UPDATE cases SET title = ?, state = ?, outcome = ?, scope = ?, received_at = ?, "
            "received_on = ?, last_event_at = ?, timezone = ?, roll_to_working_day = ?, "
            "holiday_country = ?, themes = ?, host_countries = ?, sector = ?, lead_member = ?, "
            "version = ?, results = ? WHERE reference = ? AND version = ?",
            (
                title,
                to_state,
                outcome or kept_outcome,
                scope,
                received_at,
                received_on,
                _ts(now),
                timezone,
                roll,
                holiday_country,
                themes,
                host_countries,
                sector,
                lead_member,
                version + 1,
                # Each outcome is kept under the result field its transition sets.
                json.dumps({**json.loads(results), "mediation_result": outcome}, sort_keys=True)
                if outcome
                else results,
                reference,
                version,
            ),
        )
        if cur.rowcount != 1:
            raise RuntimeError(f"{reference}: version conflict")
        met = []
        for name, basis_on, basis_label, duration, started_at, met_at, due_on in deadlines:
            if met_at is None and name in met_names:
                conn.execute(
                    "UPDATE deadlines SET case_id = ?, name = ?, basis_on = ?, basis_label = ?, "
                    "duration = ?, started_at = ?, met_at = ?, met_on = ?, due_on = ? "
                    "WHERE case_id = ? AND name = ?",
                    (
                        case_id,
                        name,
                        basis_on,
                        basis_label,
                        duration,
                        started_at,
                        _ts(now),
                        at_local.isoformat(),
                        due_on,
                        case_id,
                        name,
                    ),
                )
                late = max(0, (at_local - date.fromisoformat(due_on)).days)
                met.append({"name": name, "on": at_local.isoformat(), "due": due_on, "late_days": late})
        begun = []
        for name, months in started:
            due = (at_local + relativedelta(months=months)).isoformat()
            conn.execute(
                "INSERT INTO deadlines (case_id, name, basis_on, basis_label, duration, "
                "started_at, met_at, met_on, due_on) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?)",
                (
                    case_id,
                    name,
                    at_local.isoformat(),
                    STARTED_LABEL[name],
                    DURATION_TEXT[months],
                    _ts(now),
                    due,
                ),
            )
            begun.append({"name": name, "due": due})
        head = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, "0" * 64)
        data = {
            "trigger": trigger,
            "outcome": outcome,
            "deadlines_met": met,
            "deadlines_started": begun,
            "version": version + 1,
            "recorded_at": now.isoformat(),
        }
        if outcome is not None:  # the result field oecd-2023 records good offices' outcome in
            data["sets"] = "mediation_result"
        body = {
            "seq": seq,
            "case_ref": reference,
            "kind": "transitioned",
            "actor": ACTOR,
            "at": _instant(now),
            "from_state": from_state,
            "to_state": to_state,
            "reason": REASON,
            "data": data,
        }
        digest = hashlib.sha256((prev_hash + _canonical(body)).encode("utf-8")).hexdigest()
        conn.execute(
            "INSERT INTO audit_log (seq, case_ref, kind, actor, at, from_state, to_state, "
            "reason, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                seq,
                reference,
                "transitioned",
                ACTOR,
                body["at"],
                from_state,
                to_state,
                REASON,
                _canonical(data),
                prev_hash,
                digest,
            ),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


class BaselineRunner:
    """Stdlib sqlite3 on the other copy: the same rows written, nothing else."""

    def __init__(self, path: Path) -> None:
        self.conn = baseline_connect(path)
        self.synchronous = SYNC_NAMES[self.conn.execute("PRAGMA synchronous").fetchone()[0]]
        assert self.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        self.zone = ZoneInfo(TIMEZONE)

    def run(self, chunk: list[tuple[int, str, datetime]]) -> None:
        for step, reference, at in chunk:
            baseline_transition(self.conn, reference, step, at, self.zone)

    def close(self) -> None:
        self.conn.close()


# ---------------------------------------------------------------- check and report


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("cases", "parties", "deadlines", "audit_log", "reference_counters")
        }
    finally:
        conn.close()


def measure(n: int, chunk_size: int = CHUNK) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ncpflow-bench-") as tmp:
        workdir = Path(tmp)
        template = workdir / "template.db"
        references = prepare(template, n)
        engine_db, baseline_db = workdir / "engine.db", workdir / "baseline.db"
        shutil.copy(template, engine_db)
        shutil.copy(template, baseline_db)
        engine, baseline = EngineRunner(engine_db), BaselineRunner(baseline_db)
        elapsed = {"engine": 0.0, "baseline": 0.0}
        cpu = {"engine": 0.0, "baseline": 0.0}
        plan = schedule(references)
        # Interleave the two in chunks, alternating which goes first, so that a slow patch on
        # a shared machine (or a warming disk cache) falls on both alike.
        for number, first in enumerate(range(0, len(plan), chunk_size)):
            chunk = plan[first : first + chunk_size]
            runners = [("baseline", baseline), ("engine", engine)]
            for name, runner in runners if number % 2 == 0 else runners[::-1]:
                started, started_cpu = time.perf_counter(), time.process_time()
                runner.run(chunk)
                elapsed[name] += time.perf_counter() - started
                cpu[name] += time.process_time() - started_cpu
        engine.close()
        baseline.close()
        identical = dump(engine_db) == dump(baseline_db)
    if not identical:
        raise SystemExit(
            "the engine and the baseline ended with different rows; the baseline is not doing the same work"
        )
    assert engine.synchronous == baseline.synchronous == "FULL", engine.synchronous
    transitions = len(plan)
    engine_per_s = transitions / elapsed["engine"]
    baseline_per_s = transitions / elapsed["baseline"]
    return {
        "engine_per_s": round(engine_per_s, 1),
        "baseline_per_s": round(baseline_per_s, 1),
        "ratio": round(engine_per_s / baseline_per_s, 3),
        "transitions": transitions,
        "cases": n,
        "engine_ms_per_transition": round(1000 * elapsed["engine"] / transitions, 3),
        "baseline_ms_per_transition": round(1000 * elapsed["baseline"] / transitions, 3),
        # CPU time of this process alone: what the wall time is, minus waiting on fsync.
        "engine_cpu_ms_per_transition": round(1000 * cpu["engine"] / transitions, 3),
        "baseline_cpu_ms_per_transition": round(1000 * cpu["baseline"] / transitions, 3),
        "identical_rows": identical,
        "synchronous": engine.synchronous,
        "journal_mode": "wal",
        "python": platform.python_version(),
        "sqlite_version": sqlite3.sqlite_version,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--cases", type=int, default=400, help="cases to advance (default 400)")
    args = parser.parse_args(argv)
    if args.cases < 1:
        parser.error("--cases must be at least 1")
    configure(level="warning")  # as the CLI does by default: info logs are filtered out
    result = measure(args.cases)
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"transitions      {result['transitions']} ({result['cases']} cases x {len(STEPS)} "
        f"steps), one durable transaction each"
    )
    print(
        f"settings         journal_mode=WAL synchronous={result['synchronous']}, "
        f"Python {result['python']}, SQLite {result['sqlite_version']}"
    )
    for side, what in (("engine", "workflow.cases.advance"), ("baseline", "raw sqlite3, same writes")):
        print(
            f"{side:<16} {result[side + '_per_s']:>7.1f} transitions/s  "
            f"{result[side + '_ms_per_transition']:.3f} ms each, "
            f"{result[side + '_cpu_ms_per_transition']:.3f} ms of it CPU  ({what})"
        )
    verdict = "meets" if result["ratio"] >= 0.5 else "BELOW"
    print(f"ratio            {result['ratio']:.3f} engine/baseline ({verdict} the 0.5 target)")
    print("rows             identical after both runs (cases, deadlines, audit chain)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
