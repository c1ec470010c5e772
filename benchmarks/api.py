"""Transitions per second over the HTTP API, against `workflow.cases.advance` in-process.

    .venv/bin/python benchmarks/api.py [--json] [--clients 8] [--cases-per-client 25]

A temp SQLite file is migrated, and 2 x clients x cases-per-client cases are opened in it
(received 2025-01-02). `ncpflow serve --no-scheduler` starts as a subprocess on a free
loopback port. Then, in the same run:

* api: `clients` threads, each with its own keep-alive HTTP client and its own cases, take
  every case through begin_assessment, accept, conclude (agreement), publish, close, one
  POST /api/cases/{ref}/transitions each (Bearer token of a handler; the answer is the case);
* engine: the other half of the cases, the same five steps, with `workflow.cases.advance`
  called in this process, one after another (SQLite takes one writer at a time anyway).

Prints requests/s, p50 and p99 latency of the API, the engine's transitions/s and
`ratio` = api rate / engine rate (target >= 0.5; p99 <= 5 x p50).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from workflow import cases, users  # noqa: E402
from workflow.bootstrap import bootstrap, initialise  # noqa: E402
from workflow.config import load_settings  # noqa: E402
from workflow.logging import configure  # noqa: E402

STEPS: list[dict[str, str]] = [
    {"trigger": "begin_assessment", "reason": "complete"},
    {"trigger": "accept", "reason": "merits further examination"},
    {"trigger": "conclude", "reason": "mediation ended", "outcome": "agreement"},
    {"trigger": "publish", "reason": "final statement published"},
    {"trigger": "close", "reason": "follow-up done"},
]


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--cases-per-client", type=int, default=25)
    args = parser.parse_args()
    configure(level="warning")
    work = Path(tempfile.mkdtemp(prefix="ncpflow-bench-api-"))
    url = f"sqlite:///{work / 'bench.db'}"
    config = work / "config.toml"
    config.write_text(f'[database]\nurl = "{url}"\n')
    settings = load_settings(config)
    services = bootstrap(settings, require_initialised=False)
    initialise(services)
    token = users.add_user(
        uow=services.uow, clock=services.clock, name="bench", role="handler", actor="benchmark"
    ).token
    n = args.clients * args.cases_per_client
    refs = [
        cases.open_case(
            uow=services.uow,
            clock=services.clock,
            policy=services.policy,
            reference_prefix="NCP",
            title=f"Case {i}",
            actor="benchmark",
            received=datetime(2025, 1, 2, 9, tzinfo=UTC),
            submitters=[cases.PartyInput("Submitter")],
            enterprises=[cases.PartyInput("Enterprise")],
        ).reference
        for i in range(2 * n)
    ]
    api_refs, engine_refs = refs[:n], refs[n:]

    port = free_port()
    env = {**os.environ, "NCPFLOW_LOG_LEVEL": "warning"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ncpflow",
            "--config",
            str(config),
            "serve",
            "--port",
            str(port),
            "--no-scheduler",
        ],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(
                    "ncpflow serve did not come up: "
                    + (server.stderr.read().decode() if server.stderr else "")
                )
            time.sleep(0.1)

        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()
        barrier = threading.Barrier(args.clients + 1)

        def client(mine: list[str]) -> None:
            own: list[float] = []
            with httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
            ) as http:
                http.get("/healthz")  # open the keep-alive connection before the clock starts
                barrier.wait()
                for ref in mine:
                    for step in STEPS:
                        start = time.perf_counter()
                        response = http.post(f"/api/cases/{ref}/transitions", json=step)
                        own.append(time.perf_counter() - start)
                        if response.status_code != 200:
                            with lock:
                                failures.append(f"{ref} {step['trigger']}: {response.text}")
            with lock:
                latencies.extend(own)

        chunks = [api_refs[i :: args.clients] for i in range(args.clients)]
        threads = [threading.Thread(target=client, args=(c,)) for c in chunks]
        for t in threads:
            t.start()
        barrier.wait()
        started, cpu_started = time.perf_counter(), time.process_time()
        server_cpu_started = process_cpu(server.pid)
        for t in threads:
            t.join()
        api_seconds = time.perf_counter() - started
        client_cpu = time.process_time() - cpu_started
        server_cpu = process_cpu(server.pid) - server_cpu_started
    finally:
        server.terminate()
        server.wait(timeout=30)
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, e.g. {failures[0]}")

    started = time.perf_counter()
    for ref in engine_refs:
        for step in STEPS:
            cases.advance(
                uow=services.uow,
                clock=services.clock,
                policy=services.policy,
                reference=ref,
                actor="bench",
                trigger=step["trigger"],
                reason=step["reason"],
                outcome=step.get("outcome"),
            )
    engine_seconds = time.perf_counter() - started
    services.close()

    requests = len(latencies)
    api_rate = requests / api_seconds
    engine_rate = len(engine_refs) * len(STEPS) / engine_seconds
    p50, p99 = percentile(latencies, 0.50) * 1000, percentile(latencies, 0.99) * 1000
    result: dict[str, Any] = {
        "clients": args.clients,
        "requests": requests,
        "api_requests_per_s": round(api_rate, 1),
        "p50_ms": round(p50, 2),
        "p99_ms": round(p99, 2),
        "p99_over_p50": round(p99 / p50, 2),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2),
        "engine_transitions_per_s": round(engine_rate, 1),
        "ratio": round(api_rate / engine_rate, 2),
        # CPU the 8 client threads (this process) used per second of the API phase: near 1.0
        # means the clients, not the server, set the pace on this machine.
        "client_cpu_share": round(client_cpu / api_seconds, 2),
        # The server's CPU per request (user + system), which load on the machine disturbs
        # far less than requests/s: what to compare between two versions.
        "server_cpu_ms_per_request": round(server_cpu / requests * 1000, 3),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"api: {result['api_requests_per_s']} requests/s over {args.clients} clients "
            f"({requests} transitions); p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms "
            f"(p99/p50 {result['p99_over_p50']})"
        )
        print(f"engine in-process: {result['engine_transitions_per_s']} transitions/s")
        print(f"ratio api / engine: {result['ratio']} (target >= 0.5)")
        print(f"server CPU per request: {result['server_cpu_ms_per_request']} ms")


if __name__ == "__main__":
    main()
