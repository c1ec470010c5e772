"""A network of NCPs in one PostgreSQL database, against a single-NCP database of the same size.

    .venv/bin/python benchmarks/network.py [--json] [--ncps 50] [--cases 2000] [--rounds 100]
        [--transitions 100] [--database postgresql://ADMIN@HOST:PORT/postgres]

One PostgreSQL server (a private throwaway cluster, as the tests start one, unless `--database`
names a server's admin URL) holds two databases, both migrated to the head by `initialise`:

* `bench_network`: `--ncps` NCPs (N01, N02, ...), each with `--cases` cases;
* `bench_single`: one NCP (the tenant `default`) with `--cases` cases: the baseline, an NCP on
  its own database of the same size as each NCP of the network;
* `bench_whole` (unless `--no-whole`): one NCP with `--ncps` x `--cases` cases, the generator's
  first that many lines imported in chunks of `--cases`: the same-size baseline, a single-NCP
  database as large as the whole network.

Every NCP's cases are the same `--cases` lines of `benchmarks/dashboard_search.py`'s generator
(70 % closed, the rest open at every stage), imported through the import use case
(`workflow.imports.import_cases`, one transaction per NCP, as the NCP itself: the application's
login role, its connection setting the tenant): every table, the audit chain and the search index are written
by the engine, per tenant, so each NCP's chain is its own and consistent. The network's NCPs are
seeded by two processes at once. Then a lead is set on each open case (one UPDATE per NCP, same
role), as dashboard_search.py does. The serving side connects as a login role that is a member
of `ncpflow_app` (row-level security, cannot bypass it), in both databases.

Measured, the network and the baseline interleaved in the same run:

* **dashboard p95** (and a text search's p95): 4 `ncpflow serve --network FOLDER
  --no-scheduler` processes (slice E1: every NCP of the folder, chosen by `Host`) for the
  network, one `ncpflow serve --no-scheduler` for the baseline. Round r asks process r % 4 for
  NCP r % NCPs, and the baseline, for `/` and `/cases?q=nestle+norge`, the side that goes first
  alternating; an NCP's first request to a process (its app built, a handler signed in, its
  pages asked WARM times) is not timed. Times are the client's, over loopback HTTP.
* **transitions per second**: `begin_assessment` on received cases through the application
  (`app.cases.advance`, one durable transaction each, audit entry and search index included),
  on the network's last NCP against the same count on the baseline, in chunks of 10
  alternating, after one untimed step each. Each side's audit chain is verified afterwards.
* **sweep time**: the scheduler's alert sweep (`app.alerts.sweep()`, what `ncpflow scheduler`
  runs at each interval: the due rungs queued in the outbox, once each), at a fixed now
  (SWEPT_AT), in 2 scheduler processes started together after a warm-up sweep that queues
  nothing. Baseline: the two processes sweep one single-NCP database each (`bench_single` and
  `bench_single2`, the same cases), so the baseline shares the 2 cores as the network does; its
  figure is the mean of the two. Network: the two processes sweep the NCPs between them (N01,
  N03, ... and N02, N04, ...): the median sweep per NCP, and the whole network's (first start to
  last end; the ideal ratio is NCPs / 2). The alerts queued per NCP are reported beside the
  baseline's: they take two or three values across identically seeded NCPs, the baseline's among them
  (not tracked down: see benchmarks/README.md).

Each figure is reported with its ratio network / baseline, and beside it the ratio to the
same-size baseline (`whole`): its dashboard and search through a sixth `serve` process, its
transitions interleaved with the other two sides', and its one sweep (a single NCP is swept by
one scheduler at a time, however many run) against the whole network's.

What it does not verify: that the 2 sweeping processes never queue an alert twice when they
sweep the *same* NCP (they split the NCPs; slice E1 tests that); the audit chains are verified
only for the NCP that made the transitions and for the baselines.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.append(str(HERE))

import httpx  # noqa: E402
import sqlalchemy  # noqa: E402
from dashboard_search import MEMBERS, generate  # noqa: E402

from workflow import users  # noqa: E402
from workflow.bootstrap import bootstrap, initialise  # noqa: E402
from workflow.config import load_settings  # noqa: E402
from workflow.imports import import_cases  # noqa: E402
from workflow.logging import configure  # noqa: E402
from workflow.rotation import sync_members  # noqa: E402

CONFIG = ROOT / "config.toml"
APP_LOGIN = "ncpflow_bench_app"
PASSWORD = "bench-" + secrets.token_urlsafe(12)  # throwaway databases; passed to the seeders
SERVED = 4  # serve processes for the network
SCHEDULERS = 2
CHUNK = 10  # transitions per turn
WARM = 3  # untimed rounds of the pages when an NCP's client first signs in to a process
NETWORK, SINGLE = "bench_network", "bench_single"
SINGLES = (SINGLE, "bench_single2")  # the baseline's two schedulers sweep one each, at once
WHOLE = "bench_whole"  # one NCP as large as the whole network
# The sweeps' now: open cases were received 2023-01-01 to 2025-05-30, so rungs fall due here.
SWEPT_AT = "2025-06-02T09:00:00+00:00"


def code(n: int) -> str:
    return f"N{n + 1:02d}"


def database(admin_url: str, name: str, login: str | None = None) -> str:
    server = admin_url.split("@", 1)[1].rsplit("/", 1)[0]
    return f"postgresql://{login or admin_url.split('://', 1)[1].split('@', 1)[0]}@{server}/{name}"


def admin_engine(url: str, ncp: str | None = None) -> sqlalchemy.Engine:
    from storage.tenancy import connect_options

    return sqlalchemy.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"),
        isolation_level="AUTOCOMMIT",
        connect_args={"options": connect_options(ncp)} if ncp else {},
    )


@contextmanager
def postgres(given: str | None) -> Iterator[str]:
    if given:
        yield given
        return
    from tests.postgres import server, unavailable_reason

    reason = unavailable_reason()
    if reason:
        raise SystemExit(reason)
    with server() as url:
        yield url


def _imported(url: str, ncp: str | None, texts: Iterator[str], password: str) -> float:
    """Members, a handler, and each text's cases imported in its own transaction, as the
    application's login role working for the NCP (row-level security: a superuser would see every
    NCP's rows); then leads on the open cases. Seconds of the imports."""
    configure(level="warning")
    settings = load_settings(CONFIG, database_url=url, ncp=ncp)
    app = bootstrap(settings, require_initialised=False)
    took = 0.0
    try:
        sync_members(uow=app.uow, clock=app.clock, settings=settings)
        users.add_user(
            uow=app.uow,
            clock=app.clock,
            name="hanna",
            role="handler",
            member_id=None,
            actor="benchmark",
            password=password,
        )
        for text in texts:
            started = time.perf_counter()
            import_cases(
                uow=app.uow,
                clock=app.clock,
                settings=settings,
                text=text,
                actor="benchmark",
                source="benchmark",
            )
            took += time.perf_counter() - started
    finally:
        app.close()
    set_leads(url, ncp)
    return took


def seed(url: str, ncp: str | None, count: int, password: str) -> float:
    """One NCP with `count` imported cases, in one transaction. Seconds of the import."""
    return _imported(url, ncp, iter([generate(count)]), password)


def seed_whole(url: str, total: int, chunk: int, password: str) -> float:
    """The same-size baseline: one NCP holding `total` cases, the generator's first `total`
    lines imported `chunk` at a time (one transaction each, as an NCP importing its history in
    parts would). Seconds of the imports."""
    lines = generate(total).splitlines(keepends=True)
    return _imported(url, None, ("".join(lines[s : s + chunk]) for s in range(0, total, chunk)), password)


def set_leads(url: str, ncp: str | None) -> None:
    """A lead on each open case (one UPDATE per NCP, as dashboard_search.py does)."""
    engine = admin_engine(url, ncp)
    with engine.connect() as conn:
        rows = conn.execute(
            sqlalchemy.text("SELECT id FROM cases WHERE state NOT IN ('closed', 'follow_up') ORDER BY id")
        ).all()
        if rows:
            conn.execute(
                sqlalchemy.text("UPDATE cases SET lead_member = :m WHERE id = :i"),
                [{"m": MEMBERS[n % len(MEMBERS)], "i": case_id} for n, (case_id,) in enumerate(rows)],
            )
    engine.dispose()


def seeded(admin_url: str, name: str, ncp: str | None, count: int) -> bool:
    """Whether an earlier run (`--reuse`) left `count` cases for this NCP; a partial one stops."""
    engine = admin_engine(database(admin_url, name))
    try:
        with engine.connect() as conn:
            held = conn.execute(
                sqlalchemy.text("SELECT count(*) FROM cases WHERE tenant = :t"), {"t": ncp or "default"}
            ).scalar_one()
    finally:
        engine.dispose()
    if held not in (0, count):
        raise SystemExit(
            f"{name} holds {held} cases for {ncp or 'its NCP'}, not 0 or {count}: run without --reuse"
        )
    return bool(held)


def reset_password(url: str, ncp: str | None) -> None:
    """A reused database's handler gets this run's password (the earlier one was never kept)."""
    configure(level="warning")
    app = bootstrap(load_settings(CONFIG, database_url=url, ncp=ncp))
    try:
        users.set_password(uow=app.uow, clock=app.clock, name="hanna", password=PASSWORD, actor="benchmark")
    finally:
        app.close()


def build(admin_url: str, ncps: int, count: int, whole: bool, reuse: bool = False) -> dict[str, Any]:
    engine = admin_engine(admin_url)
    names = (NETWORK, *SINGLES, *([WHOLE] if whole else []))
    with engine.connect() as conn:
        present = {row[0] for row in conn.exec_driver_sql("SELECT datname FROM pg_database").all()}
    kept = {name for name in names if reuse and name in present}
    with engine.connect() as conn:
        for name in names:
            if name in kept:
                continue
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
    for name in [n for n in names if n not in kept]:
        app = bootstrap(
            load_settings(CONFIG, database_url=database(admin_url, name)), require_initialised=False
        )
        try:
            initialise(app)
        finally:
            app.close()
    with engine.connect() as conn:  # the migration made ncpflow_app
        conn.exec_driver_sql(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_LOGIN}') THEN "
            f"CREATE ROLE {APP_LOGIN} LOGIN NOBYPASSRLS IN ROLE ncpflow_app; END IF; END $$"
        )
    engine.dispose()
    # --reuse: what an earlier run over the same server seeded in full is kept (its handler's
    # password set anew); the rest is seeded as usual.
    singles = [(app_url(admin_url, name), None) for name in SINGLES]
    members = [(app_url(admin_url, NETWORK), code(n)) for n in range(ncps)]
    done = {
        job
        for job, name in [*zip(singles, SINGLES, strict=True), *((m, NETWORK) for m in members)]
        if name in kept and seeded(admin_url, name, job[1], count)
    }
    for url, ncp in done:
        reset_password(url, ncp)
    if whole and WHOLE in kept and seeded(admin_url, WHOLE, None, ncps * count):
        reset_password(app_url(admin_url, WHOLE), None)
        whole = False  # nothing left to seed there
    todo = [job for job in [*singles, *members] if job not in done]
    started = time.perf_counter()
    # The same-size baseline is one chain, so one process; it runs beside the other two.
    with ProcessPoolExecutor(3 if whole else 2) as pool:
        whole_import = (
            pool.submit(seed_whole, app_url(admin_url, WHOLE), ncps * count, count, PASSWORD)
            if whole
            else None
        )
        took = dict(
            zip(
                todo,
                pool.map(seed, *zip(*[(url, ncp, count, PASSWORD) for url, ncp in todo], strict=True))
                if todo
                else [],
                strict=True,
            )
        )
        whole_s = whole_import.result() if whole_import else None
    seeding_s = time.perf_counter() - started
    engine = admin_engine(database(admin_url, NETWORK))
    with engine.connect() as conn:
        held = dict(conn.exec_driver_sql("SELECT tenant, count(*) FROM cases GROUP BY tenant").all())
        size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one()
    engine.dispose()
    if held != {code(n): count for n in range(ncps)}:
        raise SystemExit(f"the network holds {held}, not {count} cases for each of {ncps} NCPs")
    return {
        "seeding_s": round(seeding_s, 1),
        "import_s_single": round(took[singles[0]], 1) if singles[0] in took else None,
        "import_s_network_median": (
            round(statistics.median(t for (_, ncp), t in took.items() if ncp), 1)
            if any(ncp for _, ncp in took)
            else None
        ),
        "reused": sorted(ncp or "single" for _, ncp in done),
        "network_db_mb": round(size / 2**20),
        **({"import_s_whole": round(whole_s, 1)} if whole_s is not None else {}),
    }


def app_url(admin_url: str, name: str) -> str:
    return database(admin_url, name, APP_LOGIN)


# -- serving -----------------------------------------------------------------------------------


class Site:
    """One `ncpflow serve --no-scheduler` process, and a signed-in handler per NCP it serves:
    `ncps` None for a single-NCP process, else the NCPs of a `--network` folder, asked for by
    their host names (`Host`)."""

    def __init__(self, args: list[str], work: Path, ncps: list[str] | None = None) -> None:
        from tests.helpers import free_port

        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ncpflow", *args, "--port", str(self.port), "--no-scheduler"],
            cwd=work,
            env={**os.environ, "NCPFLOW_LOG_LEVEL": "warning"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        self.ncps = ncps
        self.clients: dict[str | None, httpx.Client] = {}

    def wait(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.base + "/healthz", timeout=5).status_code in (200, 404):
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise SystemExit(
                    "ncpflow serve did not come up: "
                    + (self.process.stderr.read().decode() if self.process.stderr else "")
                )
            time.sleep(0.2)

    def client(self, ncp: str | None) -> httpx.Client:
        """The NCP's signed-in client (its app built, its pages warmed, untimed)."""
        if ncp not in self.clients:
            headers = {"Host": host(ncp)} if ncp else {}
            http = httpx.Client(base_url=self.base, headers=headers, timeout=60)
            page = http.get("/signin").text
            token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            answer = http.post(
                "/signin",
                data={"username": "hanna", "password": PASSWORD, "csrf_token": token},
                follow_redirects=False,
            )
            assert answer.status_code == 303, answer.text[-500:]
            self.clients[ncp] = http
            for _ in range(WARM):
                for page in PAGES.values():
                    self.get(page, ncp)
        return self.clients[ncp]

    def get(self, url: str, ncp: str | None = None) -> float:
        http = self.client(ncp)
        started = time.perf_counter()
        answer = http.get(url)
        took = (time.perf_counter() - started) * 1000
        assert answer.status_code == 200, (url, answer.status_code, answer.text[-500:])
        return took

    def close(self) -> None:
        for http in self.clients.values():
            http.close()
        self.process.terminate()
        self.process.wait(timeout=30)


def host(ncp: str) -> str:
    return f"{ncp.lower()}.bench.test"


def network_folder(admin_url: str, ncps: int, work: Path) -> Path:
    """slice E1's network folder: one config per NCP, the shipped config.toml on the application's
    login role, its NCP and its host name (http: the benchmark's client speaks plain HTTP)."""
    folder = work / "network"
    folder.mkdir(exist_ok=True)
    shipped = CONFIG.read_text(encoding="utf-8")
    for n in range(ncps):
        ncp = code(n)
        text = shipped.replace(
            'url = "sqlite:///var/ncpflow.db"', f'url = "{app_url(admin_url, NETWORK)}"\nncp = "{ncp}"', 1
        ).replace('# public_url = "https://ncp.example.org"', f'public_url = "http://{host(ncp)}"', 1)
        assert text.count(f'ncp = "{ncp}"') == 1 and text.count(host(ncp)) == 1
        (folder / f"{ncp}.toml").write_text(text, encoding="utf-8")
    return folder


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


PAGES = {"dashboard": "/?lang=en", "search": "/cases?q=nestle+norge&lang=en"}


def serving(admin_url: str, ncps: int, rounds: int, work: Path, whole: bool) -> dict[str, Any]:
    folder = network_folder(admin_url, ncps, work)
    network = [
        Site(["serve", "--network", str(folder)], work, [code(n) for n in range(ncps)]) for _ in range(SERVED)
    ]
    single = Site(["--config", str(CONFIG), "--database", app_url(admin_url, SINGLE), "serve"], work)
    whole_args = ["--config", str(CONFIG), "--database", app_url(admin_url, WHOLE), "serve"]
    large = Site(whole_args, work) if whole else None
    sites = [*network, single, *([large] if large else [])]
    try:
        for site in sites:
            site.wait()
        times: dict[tuple[str, str], list[float]] = {}
        for r in range(rounds):
            # Round r: the network's process r % 4 for NCP r % NCPs (each NCP's app built and
            # warmed untimed on its first request to a process), and the baselines.
            asks = [(network[r % len(network)], code(r % ncps)), (single, None)]
            asks += [(large, None)] if large else []
            for kind, page in PAGES.items():
                for site, ncp in asks if r % 2 == 0 else asks[::-1]:
                    side = "single" if site is single else "whole" if site is large else "network"
                    site.client(ncp)
                    times.setdefault((side, kind), []).append(site.get(page, ncp))
    finally:
        for site in sites:
            site.close()
    out: dict[str, Any] = {"serve_processes_network": len(network), "serve_processes_single": 1}
    for kind in PAGES:
        net, one = p95(times[("network", kind)]), p95(times[("single", kind)])
        out[kind] = {
            "p95_ms": round(net, 1),
            "median_ms": round(statistics.median(times[("network", kind)]), 1),
            "baseline_p95_ms": round(one, 1),
            "ratio": round(net / one, 2),
        }
        if large:
            big = p95(times[("whole", kind)])
            out[kind] |= {"whole_p95_ms": round(big, 1), "whole_ratio": round(net / big, 2)}
    return out


# -- transitions ---------------------------------------------------------------------------------


def transitions(admin_url: str, ncps: int, wanted: int, whole: bool) -> dict[str, Any]:
    """`begin_assessment` on the received cases of the network's last NCP and of the baselines,
    one application each (one pool, its statements prepared alike), a warm-up step each first."""
    ncp = code(ncps - 1)
    network = bootstrap(load_settings(CONFIG, database_url=app_url(admin_url, NETWORK), ncp=ncp))
    single = bootstrap(load_settings(CONFIG, database_url=app_url(admin_url, SINGLE)))
    large = bootstrap(load_settings(CONFIG, database_url=app_url(admin_url, WHOLE))) if whole else None
    sides = [("network", network), ("single", single), *([("whole", large)] if large else [])]

    def received(app: Any) -> list[str]:
        with app.uow.read() as tx:
            return sorted(c.reference for c in tx.cases.list() if c.state == "received")

    def step(app: Any, reference: str) -> None:
        app.cases.advance(
            reference=reference, trigger="begin_assessment", actor="benchmark", reason="Receipt acknowledged"
        )

    try:
        todo = {side: received(app) for side, app in sides}
        if not all(todo.values()):
            raise SystemExit("no received case left to step on one side: seed more cases, or anew")
        for side, app in sides:
            step(app, todo[side].pop())
        count = min(wanted, *(len(t) for t in todo.values()))
        if count == 0:
            raise SystemExit("no received case left to step on one side: seed more cases (--cases)")
        seconds = {side: 0.0 for side, _ in sides}
        for turn, start in enumerate(range(0, count, CHUNK)):
            for side, app in sides if turn % 2 == 0 else sides[::-1]:
                started = time.perf_counter()
                for reference in todo[side][start : min(start + CHUNK, count)]:
                    step(app, reference)
                seconds[side] += time.perf_counter() - started
        verified = {ncp if side == "network" else side: app.audit.verify().ok for side, app in sides}
    finally:
        for _, app in sides:
            app.close()
    net_rate, one_rate = count / seconds["network"], count / seconds["single"]
    out = {
        "transitions": count,
        "per_s": round(net_rate, 1),
        "baseline_per_s": round(one_rate, 1),
        "ratio": round(net_rate / one_rate, 2),
        "audit_verified": verified,
    }
    if large:
        big_rate = count / seconds["whole"]
        out |= {"whole_per_s": round(big_rate, 1), "whole_ratio": round(net_rate / big_rate, 2)}
    return out


# -- sweeps --------------------------------------------------------------------------------------


def sweep_worker(url: str, ncps: list[str]) -> None:
    """A scheduler process: the applications built, "ready", then on a line from stdin one sweep
    per NCP; prints JSON {ncp: [seconds, queued], "start": t, "end": t}."""
    configure(level="warning")
    from datetime import UTC, datetime

    from workflow.clock import FixedClock

    apps = {
        ncp: bootstrap(
            load_settings(CONFIG, database_url=url, ncp=ncp or None),
            clock=FixedClock(datetime.fromisoformat(SWEPT_AT)),
        )
        for ncp in ncps
    }
    # Warm up (modules, statements, the procedure): a sweep long before any open case was
    # received, which finds nothing to queue.
    first = ncps[0]
    early = bootstrap(
        load_settings(CONFIG, database_url=url, ncp=first or None),
        clock=FixedClock(datetime(2000, 1, 3, 9, tzinfo=UTC)),
    )
    assert early.alerts.sweep() == []
    early.close()
    print("ready", flush=True)
    sys.stdin.readline()
    out: dict[str, Any] = {"start": time.time()}
    for ncp, app in apps.items():
        started = time.perf_counter()
        queued = app.alerts.sweep()
        out[ncp or "default"] = [time.perf_counter() - started, len(queued)]
    out["end"] = time.time()
    for app in apps.values():
        app.close()
    print(json.dumps(out), flush=True)


def schedulers(groups: list[tuple[str, list[str]]], work: Path) -> list[dict[str, Any]]:
    """The worker processes, one per group (a database URL and its NCPs; "" for a single-NCP
    database), started together once all are ready."""
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--sweep-worker", url, *ncps],
            cwd=work,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for url, ncps in groups
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=3600)
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def sweeps(admin_url: str, ncps: int, work: Path, whole: bool) -> dict[str, Any]:
    alone = schedulers([(app_url(admin_url, name), [""]) for name in SINGLES], work)
    single_s = statistics.mean(r["default"][0] for r in alone)
    single_queued = sorted({r["default"][1] for r in alone})
    codes = [code(n) for n in range(ncps)]
    groups = [(app_url(admin_url, NETWORK), codes[i::SCHEDULERS]) for i in range(SCHEDULERS)]
    results = schedulers(groups, work)
    per = {ncp: r[ncp] for r in results for ncp in r if ncp not in ("start", "end")}
    span = max(r["end"] for r in results) - min(r["start"] for r in results)
    per_s = [s for s, _ in per.values()]
    queued = sorted({q for _, q in per.values()})
    big: dict[str, Any] = {}
    if whole:
        # One scheduler holds a single NCP's turn (Application.turn), so the whole database is
        # one sweep in one process, however many schedulers run.
        (alone_whole,) = schedulers([(app_url(admin_url, WHOLE), [""])], work)
        big_s, big_q = alone_whole["default"]
        big = {
            "whole_s": round(big_s, 2),
            "whole_queued": big_q,
            "network_queued": sum(q for _, q in per.values()),
            "whole_network_to_whole_ratio": round(span / big_s, 2),
        }
    return {
        "schedulers": SCHEDULERS,
        "per_ncp_median_s": round(statistics.median(per_s), 3),
        "per_ncp_max_s": round(max(per_s), 3),
        "baseline_s": round(single_s, 3),
        "per_ncp_ratio": round(statistics.median(per_s) / single_s, 2),
        "whole_network_s": round(span, 2),
        "whole_network_ratio": round(span / single_s, 2),
        "ideal_whole_ratio": round(ncps / SCHEDULERS, 1),
        "queued_per_ncp": [min(queued), statistics.median(queued), max(queued)],
        "baseline_queued": single_queued,
        **big,
    }


def measure(args: argparse.Namespace) -> dict[str, Any]:
    with (
        postgres(args.database) as admin_url,
        tempfile.TemporaryDirectory(prefix="ncpflow-bench-net-") as tmp,
    ):
        work = Path(tmp)
        started = time.perf_counter()
        result: dict[str, Any] = {
            "ncps": args.ncps,
            "cases_per_ncp": args.cases,
            "cases": args.ncps * args.cases,
        }
        result["seed"] = build(admin_url, args.ncps, args.cases, args.whole, args.reuse)
        result["serving"] = serving(admin_url, args.ncps, args.rounds, work, args.whole)
        result["transitions"] = transitions(admin_url, args.ncps, args.transitions, args.whole)
        result["sweep"] = sweeps(admin_url, args.ncps, work, args.whole)
        with admin_engine(admin_url).connect() as conn:
            result["postgresql"] = conn.exec_driver_sql("SHOW server_version").scalar_one()
        result["total_s"] = round(time.perf_counter() - started, 1)
    result["python"] = platform.python_version()
    result["cpus"] = os.cpu_count()
    result["load"] = [round(x, 1) for x in os.getloadavg()]
    return result


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--sweep-worker":
        sweep_worker(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--ncps", type=int, default=50)
    parser.add_argument("--cases", type=int, default=2000, help="cases per NCP (and in the baseline)")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--transitions", type=int, default=100)
    parser.add_argument(
        "--whole",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure a single NCP holding as many cases as the whole network",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --database: keep what an earlier run seeded in full on that server",
    )
    parser.add_argument("--database", help="an admin URL of a PostgreSQL server (default: a private one)")
    args = parser.parse_args()
    configure(level="warning")
    result = measure(args)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    s, t, w = result["serving"], result["transitions"], result["sweep"]
    print(
        f"{result['ncps']} NCPs x {result['cases_per_ncp']} cases = {result['cases']} (seeded in "
        f"{result['seed']['seeding_s']} s); baseline: one NCP, {result['cases_per_ncp']} cases; "
        f"load {result['load']}"
    )
    for kind in PAGES:
        k = s[kind]
        print(
            f"{kind:10} p95 {k['p95_ms']:7.1f} ms  baseline {k['baseline_p95_ms']:7.1f} ms  "
            f"ratio {k['ratio']}"
            + (
                f"  same-size {k['whole_p95_ms']:.1f} ms ratio {k['whole_ratio']}"
                if "whole_ratio" in k
                else ""
            ),
        )
    print(
        f"transitions {t['per_s']}/s  baseline {t['baseline_per_s']}/s  ratio {t['ratio']} "
        f"({t['transitions']} each)"
        + (f"; same-size {t['whole_per_s']}/s ratio {t['whole_ratio']}" if "whole_ratio" in t else "")
    )
    print(
        f"sweep per NCP {w['per_ncp_median_s']} s (max {w['per_ncp_max_s']})  baseline {w['baseline_s']} s  "
        f"ratio {w['per_ncp_ratio']}; whole network {w['whole_network_s']} s with {w['schedulers']} "
        f"schedulers, ratio {w['whole_network_ratio']} (ideal {w['ideal_whole_ratio']}); "
        f"alerts queued per NCP (min, median, max) {w['queued_per_ncp']}, baseline {w['baseline_queued']}"
    )
    if "whole_s" in w:
        print(
            f"same-size single NCP: one sweep {w['whole_s']} s ({w['whole_queued']} alerts; the network "
            f"{w['network_queued']}); whole network / same-size ratio {w['whole_network_to_whole_ratio']}"
        )


if __name__ == "__main__":
    main()
