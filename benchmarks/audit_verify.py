"""Audit entries verified per second by `ncpflow audit verify`, against raw sqlite3 + sha256.

    .venv/bin/python benchmarks/audit_verify.py [--json] [--entries N]

N entries (default 1,000,000) are sealed with `states.chain.seal` and written with one
executemany into a freshly migrated SQLite file; one checkpoint (Ed25519) signs the head. Then, in the
same run, on the same file:

* engine: `workflow.audit.verify_all` (the chain and every checkpoint), exactly as the CLI
  calls it;
* baseline: stdlib `sqlite3` reads the same rows in seq order, rebuilds each entry's canonical
  JSON, recomputes sha256(prev_hash + canonical JSON) and checks the hash and the link.

Both must say the chain is intact; `ratio` = engine rate / baseline rate (target >= 0.5).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from states.chain import GENESIS, HASHED_FIELDS, ChainHead, seal  # noqa: E402
from states.signatures import Signer  # noqa: E402
from workflow.audit import make_checkpoint, verify_all  # noqa: E402
from workflow.bootstrap import bootstrap, initialise  # noqa: E402
from workflow.clock import FixedClock  # noqa: E402
from workflow.config import parse_settings  # noqa: E402
from workflow.logging import configure  # noqa: E402

START = datetime(2025, 1, 2, 9, 0, tzinfo=UTC)
KINDS = ("case_transitioned", "case_paused", "case_resumed", "alert_queued")


def build(path: Path, n: int) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    head: ChainHead | None = None
    batch: list[tuple[Any, ...]] = []
    for i in range(n):
        entry = seal(
            prev=head,
            case_ref=f"NCP-2025-{i % 5000:04d}",
            kind=KINDS[i % 4],
            actor="benchmark",
            at=START + timedelta(seconds=i),
            from_state="received",
            to_state="initial_assessment",
            reason="benchmark step",
            data={"trigger": "begin_assessment", "i": i},
        )
        batch.append(
            (
                entry.seq,
                entry.case_ref,
                entry.kind,
                entry.actor,
                entry.at,
                entry.from_state,
                entry.to_state,
                entry.reason,
                entry.data_json,
                entry.prev_hash,
                entry.hash,
            )
        )
        head = ChainHead(entry.seq, entry.hash)
        if len(batch) == 50_000:
            _insert(conn, batch)
            batch = []
    _insert(conn, batch)
    conn.execute("COMMIT")
    conn.close()


def _insert(conn: sqlite3.Connection, batch: list[tuple[Any, ...]]) -> None:
    conn.executemany(
        "INSERT INTO audit_log (seq, case_ref, kind, actor, at, from_state, "
        "to_state, reason, data, prev_hash, hash) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        batch,
    )


def baseline(path: Path) -> tuple[bool, int]:
    conn = sqlite3.connect(path)
    cursor = conn.execute(
        "SELECT seq, case_ref, kind, actor, at, from_state, to_state, reason, "
        "data, prev_hash, hash FROM audit_log ORDER BY seq"
    )
    prev, expected, count = GENESIS, 1, 0
    ok = True
    while rows := cursor.fetchmany(2000):
        for row in rows:
            body = dict(zip(HASHED_FIELDS, row[:9], strict=True))
            body["data"] = json.loads(row[8])
            payload = prev + json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            if (
                row[0] != expected
                or row[9] != prev
                or hashlib.sha256(payload.encode("utf-8")).hexdigest() != row[10]
            ):
                ok = False
                break
            prev, expected, count = row[10], expected + 1, count + 1
        if not ok:
            break
    conn.close()
    return ok, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    configure(level="warning")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        os.environ["NCPFLOW_AUDIT_SIGNING_KEY"] = Signer.generate().private_pem()
        settings = parse_settings({"database": {"url": f"sqlite:///{path}"}}, source="(bench)")
        services = bootstrap(settings, clock=FixedClock(START), require_initialised=False)
        initialise(services)
        services.close()
        began = time.perf_counter()
        build(path, args.entries)
        built_in = time.perf_counter() - began
        services = bootstrap(settings, clock=FixedClock(START + timedelta(days=400)))
        make_checkpoint(uow=services.uow, clock=services.clock, settings=settings)

        began = time.perf_counter()
        report = verify_all(uow=services.uow, settings=settings)
        engine_s = time.perf_counter() - began
        services.close()
        began = time.perf_counter()
        base_ok, base_count = baseline(path)
        baseline_s = time.perf_counter() - began
    assert report.ok and report.chain.entries == args.entries, report.as_dict()
    assert base_ok and base_count == args.entries
    result = {
        "entries": args.entries,
        "build_seconds": round(built_in, 1),
        "engine_seconds": round(engine_s, 2),
        "baseline_seconds": round(baseline_s, 2),
        "engine_per_second": round(args.entries / engine_s),
        "baseline_per_second": round(args.entries / baseline_s),
        "ratio": round(baseline_s / engine_s, 3),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "machine": platform.machine(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>20}: {value}")


if __name__ == "__main__":
    main()
