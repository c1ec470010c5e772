"""Peak memory while a 40 MB document goes up and comes back down, against a 1 MB one.

    .venv/bin/python benchmarks/document_stream.py [--json] [--size-mb 40] [--baseline-mb 1]
                                                   [--database URL]

A temp SQLite file is migrated (or `--database`, a PostgreSQL URL), one case opened, and in the
same run, for the baseline size and then the large size:

* api: `ncpflow serve --no-scheduler` runs as a subprocess; the client streams a multipart upload
  (POST /api/cases/{ref}/documents; the body is generated chunk by chunk, never whole) and
  streams the download back (GET .../content), hashing both ways: the bytes must match. The
  server's peak resident memory (VmHWM, /proc) is read after each size;
* engine: the use cases in this process (`app.documents.add` from a generator of 1 MiB chunks,
  then `app.documents.open(...).chunks` drained), with tracemalloc's peak of Python allocations
  for each size.

Prints, for each: the peak at the baseline size, at the large size, and `ratio` = large / baseline
(bounded memory: near 1, far below size / baseline). The server's figures include the Python
process itself (its resident memory before any upload); `growth_mib` is what the large document
added to the peak.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from workflow import users  # noqa: E402
from workflow.bootstrap import bootstrap, initialise  # noqa: E402
from workflow.cases import PartyInput  # noqa: E402
from workflow.config import load_settings  # noqa: E402
from workflow.logging import configure  # noqa: E402

MIB = 2**20
BLOCK = os.urandom(MIB)  # content: this block, each MiB made distinct by its index


def content(size: int) -> Iterator[bytes]:
    """`size` bytes, one MiB at a time, generated (never held whole)."""
    for index in range(0, size, MIB):
        piece = index.to_bytes(8, "big") + BLOCK[8:]
        yield piece[: min(MIB, size - index)]


def digest_of(size: int) -> str:
    found = hashlib.sha256()
    for piece in content(size):
        found.update(piece)
    return found.hexdigest()


def multipart(size: int, boundary: str, name: str) -> Iterator[bytes]:
    """A multipart/form-data body with the document's fields and `size` bytes of file."""
    fields = {"title": f"Benchmark {name}", "direction": "in", "access": "public"}
    for key, value in fields.items():
        yield f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    yield from content(size)
    yield f"\r\n--{boundary}--\r\n".encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmHWM in /proc (Linux only)")


def round_trip(http: httpx.Client, ref: str, size: int, name: str) -> tuple[float, float]:
    """Upload and download one document; seconds up, seconds down. The bytes must match."""
    boundary = "ncpflow-benchmark-" + name
    started = time.perf_counter()
    answer = http.post(
        f"/api/cases/{ref}/documents",
        content=multipart(size, boundary, name),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    up = time.perf_counter() - started
    if answer.status_code != 201:
        raise SystemExit(f"upload refused: {answer.status_code} {answer.text[:300]}")
    number = answer.json()["number"]
    started = time.perf_counter()
    found, length = hashlib.sha256(), 0
    with http.stream("GET", f"/api/cases/{ref}/documents/{number}/content") as got:
        for chunk in got.iter_bytes():
            found.update(chunk)
            length += len(chunk)
    down = time.perf_counter() - started
    if (found.hexdigest(), length) != (digest_of(size), size):
        raise SystemExit(f"{name}: the download differs from the upload")
    return up, down


def engine_peak(app: Any, ref: str, size: int, name: str) -> float:
    """tracemalloc's peak (MiB) while the use cases file and read back one document."""
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    document = app.documents.add(
        reference=ref,
        source=content(size),
        filename=f"{name}.bin",
        title=f"Engine {name}",
        direction="in",
        access="public",
        actor="benchmark",
    )
    found = hashlib.sha256()
    for chunk in app.documents.open(reference=ref, number=document.number).chunks:
        found.update(chunk)
    if found.hexdigest() != document.sha256:
        raise SystemExit(f"engine {name}: the content read back differs")
    _, peak = tracemalloc.get_traced_memory()
    return (peak - before) / MIB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--size-mb", type=int, default=40)
    parser.add_argument("--baseline-mb", type=int, default=1)
    parser.add_argument("--database", help="a database URL (default: a temp SQLite file)")
    args = parser.parse_args()
    configure(level="warning")
    large, small = args.size_mb * MIB, args.baseline_mb * MIB
    work = Path(tempfile.mkdtemp(prefix="ncpflow-bench-docs-"))
    url = args.database or f"sqlite:///{work / 'bench.db'}"
    config = work / "config.toml"
    config.write_text(f'[database]\nurl = "{url}"\n\n[documents]\nmax_size = "{args.size_mb + 10}MB"\n')
    app = bootstrap(load_settings(config), require_initialised=False)
    initialise(app)
    token = users.add_user(
        uow=app.uow, clock=app.clock, name="bench", role="handler", actor="benchmark"
    ).token
    ref = app.cases.open(
        title="Documents",
        submitters=[PartyInput("Submitter")],
        enterprises=[PartyInput("Enterprise")],
        actor="b",
    ).reference

    port = free_port()
    env = {**os.environ, "NCPFLOW_LOG_LEVEL": "warning"}
    command = [sys.executable, "-m", "ncpflow", "--config", str(config), "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--no-scheduler"], cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    api: dict[str, Any] = {}
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
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=300) as http:
            http.get(f"/api/cases/{ref}/documents")  # the routes and the app warmed up
            idle = peak_rss_mib(server.pid)
            small_up, small_down = round_trip(http, ref, small, "baseline")
            small_peak = peak_rss_mib(server.pid)
            large_up, large_down = round_trip(http, ref, large, "large")
            large_peak = peak_rss_mib(server.pid)
        api = {
            "server_idle_rss_mib": round(idle, 1),
            "server_peak_rss_mib_baseline": round(small_peak, 1),
            "server_peak_rss_mib_large": round(large_peak, 1),
            "ratio": round(large_peak / small_peak, 3),
            "growth_mib": round(large_peak - small_peak, 1),
            "upload_mib_per_s": round(args.size_mb / large_up, 1),
            "download_mib_per_s": round(args.size_mb / large_down, 1),
            "baseline_seconds": round(small_up + small_down, 2),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)

    tracemalloc.start()
    engine_small = engine_peak(app, ref, small, "baseline")
    engine_large = engine_peak(app, ref, large, "large")
    tracemalloc.stop()
    app.close()
    result = {
        "size_mib": args.size_mb,
        "baseline_mib": args.baseline_mb,
        "database": "postgresql" if url.startswith("postgresql") else "sqlite",
        "api": api,
        "engine": {
            "python_peak_mib_baseline": round(engine_small, 2),
            "python_peak_mib_large": round(engine_large, 2),
            "ratio": round(engine_large / engine_small, 3),
        },
        "python": platform.python_version(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"{args.size_mb} MiB document, against {args.baseline_mb} MiB ({result['database']}):\n"
        f"  api (server process, peak RSS): {api['server_peak_rss_mib_large']} MiB against "
        f"{api['server_peak_rss_mib_baseline']} MiB, ratio {api['ratio']}, "
        f"+{api['growth_mib']} MiB (idle {api['server_idle_rss_mib']} MiB); up "
        f"{api['upload_mib_per_s']} MiB/s, down {api['download_mib_per_s']} MiB/s\n"
        f"  engine (Python allocations, tracemalloc peak): {result['engine']['python_peak_mib_large']} MiB "
        f"against {result['engine']['python_peak_mib_baseline']} MiB, ratio {result['engine']['ratio']}"
    )


if __name__ == "__main__":
    main()
