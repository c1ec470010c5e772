"""The dashboard and the cases page (search) over 10,000 cases: p95 server time per request.

    .venv/bin/python benchmarks/dashboard_search.py [--json] [--cases 10000] [--rounds 40]

Two SQLite files are migrated (`workflow.bootstrap.initialise`, members from config.toml) and
filled through the import use case (`workflow.imports.import_cases`, one file, one transaction):
`--cases` generated past cases in the big one and BASELINE_CASES in the small one, from the
same generator. Importing writes every table as the engine does, the search index included:
the cases, parties, deadlines, pauses, audit entries with their reasons, and `case_search`.
About 70% are closed (the whole lifecycle, 1998-2022), the rest open at every stage (received
2023-2025, so some deadlines are overdue); titles, parties and reasons mix Norwegian letters,
diacritics and organisation numbers; one submitter in twenty is confidential. The import gives
imported cases no lead, so the script then sets one of three members on each open case with one
UPDATE (the dashboard shows the lead's name).

Then, per database, the app (`ncpflow.web.app.create_app`) is driven in-process through
Starlette's TestClient, signed in as a handler (and an auditor for one search): each request
below `rounds` times, interleaved (every URL once per round, the two databases alternating),
each timed from the call to the full answer (routing, the guard's session check, the read
transaction, the page's template). `p95_ms` per URL; targets: the dashboard (`/`) at most
150 ms, every search (`/cases?...`) at most 200 ms, on the big database.

The baseline is the same request on the small database in the same run, and `ratio` the big
p95 over the small: the dashboard and the cases page read one page of cases in SQL, so the
ratio stays near 1 however many cases there are (the work that grows with the count is the
count itself and the index's matches).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
import warnings
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
from fastapi.testclient import TestClient  # noqa: E402

from ncpflow.web.app import create_app  # noqa: E402
from workflow import users  # noqa: E402
from workflow.bootstrap import Services, bootstrap, initialise  # noqa: E402
from workflow.config import load_settings  # noqa: E402
from workflow.imports import import_cases  # noqa: E402
from workflow.logging import configure  # noqa: E402
from workflow.rotation import sync_members  # noqa: E402

BASELINE_CASES = 100
PASSWORD = secrets.token_urlsafe(16)  # the benchmark's users, in a throwaway database
TARGETS = {"dashboard": 150.0, "search": 200.0}
MEMBERS = ("member-b", "member-c", "member-d")

TOPICS = [
    "Tailings dam",
    "Fish farm discharges",
    "Forced relocation",
    "Working conditions",
    "Seismic surveys",
    "Supply chain audit",
    "Land rights",
    "Mine waste",
    "Wage theft",
    "Shipyard safety",
    "Palm oil plantation",
    "Hydropower dam",
    "Reindeer pasture",
]
PLACES = [
    "Bodø",
    "Bærum",
    "Tromsø",
    "Ålesund",
    "Kirkenes",
    "Lima",
    "Accra",
    "Hanoi",
    "Jakarta",
    "Santiago",
    "Nairobi",
    "Dhaka",
    "Göteborg",
    "São Paulo",
]
SUBMITTERS = [
    "Naturvernforbundet",
    "Miljøvernforbundet",
    "Fagforbundet",
    "Industri Energi",
    "Framtiden i våre hender",
    "Amnesty Norge",
    "Kirkens Nødhjelp",
    "Sámi Council",
    "Forum for Utvikling og Miljø",
    "LO Stat",
    "Friends of the Fjord",
]
FIRST = ["Kari", "Ola", "Ingrid", "Nils", "Åse", "Bjørn", "Siri", "Håkon"]
LAST = ["Nordmann", "Hansen", "Dahl", "Søreide", "Lie", "Bakke", "Østby", "Ræder"]
ENTERPRISES = [
    "Nordic Metals",
    "Havbruk Seafood",
    "Nestlé Norge",
    "Åsen Havbruk",
    "Vestvik Yards",
    "Agrinor",
    "Fjord Energi",
    "Polar Mining",
    "Bergen Shipping",
    "Citroën Nordic",
]
LIFECYCLE = [
    ("begin_assessment", None, "Receipt acknowledged"),
    ("accept", None, "Issues merit further examination"),
    ("conclude", "agreement", "Mediation ended with an agreement"),
    ("publish", None, "Final statement published"),
    ("close", None, "Follow-up completed"),
]
DETAILS = ["after a meeting in Oslo", "translation awaited", "site visit", "parallel proceedings", ""]


def generate(count: int, seed: int = 13) -> str:
    """`count` import lines (docs/import-format.md): deterministic for a seed."""
    rng = random.Random(seed)
    lines = []
    for n in range(count):
        closed = rng.random() < 0.7
        if closed:
            received = date(1998, 1, 1) + timedelta(days=rng.randrange(25 * 365))
            steps = LIFECYCLE
        else:
            received = date(2023, 1, 1) + timedelta(days=rng.randrange(880))
            steps = LIFECYCLE[: rng.randrange(0, 3)]
        day = received
        milestones = []
        for trigger, outcome, reason in steps:
            day += timedelta(days=rng.randrange(10, 60))
            detail = rng.choice(DETAILS)
            milestone: dict[str, Any] = {"trigger": trigger, "date": day.isoformat()}
            milestone["reason"] = f"{reason}, {detail}" if detail else reason
            if outcome:
                milestone["outcome"] = outcome
            milestones.append(milestone)
        confidential = rng.random() < 0.05
        submitter: dict[str, Any] = (
            {
                "role": "submitter",
                "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "type": "individual",
                "confidential": True,
            }
            if confidential
            else {"role": "submitter", "name": rng.choice(SUBMITTERS), "type": "ngo"}
        )
        number = f"{rng.randrange(800, 1000)} {rng.randrange(1000):03d} {rng.randrange(1000):03d}"
        enterprise = {
            "role": "enterprise",
            "name": f"{rng.choice(ENTERPRISES)} {rng.choice(['AS', 'ASA'])}",
            "org_number": number,
        }
        lines.append(
            json.dumps(
                {
                    "external_id": f"BENCH-{n:05d}",
                    "title": f"{rng.choice(TOPICS)} near {rng.choice(PLACES)}",
                    "parties": [submitter, enterprise],
                    "received": received.isoformat(),
                    "milestones": milestones,
                    "themes": rng.sample(["human_rights", "environment", "employment", "disclosure"], 2),
                    "host_countries": [rng.choice(["NO", "PE", "GH", "VN", "ID", "CL", "KE", "BD"])],
                },
                ensure_ascii=False,
            )
        )
    return "\n".join(lines) + "\n"


def build(folder: Path, count: int) -> tuple[Path, float]:
    """A migrated SQLite file holding `count` imported cases; the seconds the import took."""
    path = folder / f"cases-{count}.db"
    settings = load_settings(ROOT / "config.toml", database_url=f"sqlite:///{path}")
    services = bootstrap(settings, require_initialised=False)
    try:
        initialise(services)
        sync_members(uow=services.uow, clock=services.clock, settings=settings)
        for name, role in (("hanna", "handler"), ("revisor", "auditor")):
            users.add_user(
                uow=services.uow,
                clock=services.clock,
                name=name,
                role=role,
                member_id=None,
                actor="benchmark",
                password=PASSWORD,
            )
        started = time.perf_counter()
        import_cases(
            uow=services.uow,
            clock=services.clock,
            settings=settings,
            text=generate(count),
            actor="benchmark",
            source="benchmark",
        )
        took = time.perf_counter() - started
    finally:
        services.close()
    conn = sqlite3.connect(path)
    with conn:
        terminal = ("closed", "follow_up")
        rows = conn.execute("SELECT id FROM cases WHERE state NOT IN (?, ?) ORDER BY id", terminal).fetchall()
        conn.executemany(
            "UPDATE cases SET lead_member = ? WHERE id = ?",
            [(MEMBERS[n % len(MEMBERS)], case_id) for n, (case_id,) in enumerate(rows)],
        )
    conn.close()
    return path, took


class Site:
    """The app on one database, a handler and an auditor signed in."""

    def __init__(self, path: Path) -> None:
        settings = load_settings(ROOT / "config.toml", database_url=f"sqlite:///{path}")
        self.services: Services = bootstrap(settings)
        app = create_app(self.services, secret=secrets.token_hex(16))
        self.clients = {name: TestClient(app) for name in ("hanna", "revisor")}
        for name, client in self.clients.items():
            client.__enter__()
            page = client.get("/signin").text
            token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            answer = client.post(
                "/signin",
                data={"username": name, "password": PASSWORD, "csrf_token": token},
                follow_redirects=False,
            )
            assert answer.status_code == 303, answer.text
        with sqlite3.connect(path) as conn:
            self.reference = conn.execute(
                "SELECT reference FROM cases ORDER BY id LIMIT 1 OFFSET ?",
                (conn.execute("SELECT COUNT(*) / 2 FROM cases").fetchone()[0],),
            ).fetchone()[0]

    def get(self, who: str, url: str) -> float:
        started = time.perf_counter()
        answer = self.clients[who].get(url)
        took = (time.perf_counter() - started) * 1000
        assert answer.status_code == 200, (url, answer.status_code, answer.text[-500:])
        return took

    def close(self) -> None:
        for client in self.clients.values():
            client.__exit__(None, None, None)
        self.services.close()


def requests(reference: str) -> list[tuple[str, str, str, str]]:
    """(name, kind, user, URL): the dashboard, its third page, and searches of every sort."""
    return [
        ("dashboard", "dashboard", "hanna", "/?lang=en"),
        ("dashboard, page 3", "dashboard", "hanna", "/?page=3&lang=en"),
        ("dashboard, my cases", "dashboard", "hanna", "/?mine=1&lang=en"),
        ("all cases, newest first", "search", "hanna", "/cases?lang=en"),
        ("a reference", "search", "hanna", f"/cases?q={reference}&lang=en"),
        ("one title word", "search", "hanna", "/cases?q=tailings&lang=en"),
        ("one letter (every case)", "search", "hanna", "/cases?q=n&lang=en"),
        ("bodø (æøå)", "search", "hanna", "/cases?q=bod%C3%B8&lang=en"),
        ("nestle norge (diacritics)", "search", "hanna", "/cases?q=nestle+norge&lang=en"),
        ("an org number", "search", "hanna", "/cases?q=923+4&lang=en"),
        ("a reason, closed, 2015", "search", "hanna", "/cases?q=mediation&closed=1&year=2015&lang=en"),
        ("stage + overdue", "search", "hanna", "/cases?state=initial_assessment&overdue=1&lang=en"),
        ("theme IV, page 5", "search", "hanna", "/cases?theme=IV&page=5&lang=en"),
        ("a name, as an auditor", "search", "revisor", "/cases?q=kari+nordmann&lang=en"),
        ("a word, as an auditor", "search", "revisor", "/cases?q=fjord&lang=en"),
    ]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(count: int, rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ncpflow-bench-") as tmp:
        big_path, import_s = build(Path(tmp), count)
        small_path, _ = build(Path(tmp), BASELINE_CASES)
        big, small = Site(big_path), Site(small_path)
        try:
            plans = {site: requests(site.reference) for site in (big, small)}
            for site, plan in plans.items():  # warm up: templates compiled, caches filled
                for _, _, who, url in plan:
                    site.get(who, url)
            times: dict[tuple[int, int], list[float]] = {}
            cpu_started = time.process_time()
            for r in range(rounds):
                order = (big, small) if r % 2 == 0 else (small, big)
                for n in range(len(plans[big])):
                    for site in order:
                        _, _, who, url = plans[site][n]
                        times.setdefault((id(site), n), []).append(site.get(who, url))
            cpu_s = time.process_time() - cpu_started
        finally:
            big.close()
            small.close()
    rows = []
    for n, (name, kind, who, url) in enumerate(plans[big]):
        big_p95, small_p95 = p95(times[(id(big), n)]), p95(times[(id(small), n)])
        rows.append(
            {
                "request": name,
                "url": url if n != 4 else "/cases?q=REFERENCE&lang=en",
                "user": who,
                "kind": kind,
                "p95_ms": round(big_p95, 1),
                "median_ms": round(statistics.median(times[(id(big), n)]), 1),
                "baseline_p95_ms": round(small_p95, 1),
                "ratio": round(big_p95 / small_p95, 2),
                "target_ms": TARGETS[kind],
                "met": big_p95 <= TARGETS[kind],
            }
        )
    return {
        "cases": count,
        "baseline_cases": BASELINE_CASES,
        "rounds": rounds,
        "import_s": round(import_s, 1),
        "cpu_s": round(cpu_s, 1),
        "requests": rows,
        "all_met": all(row["met"] for row in rows),
        "python": platform.python_version(),
        "sqlite_version": sqlite3.sqlite_version,
        "load": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    configure(level="warning")
    result = measure(args.cases, args.rounds)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"{result['cases']} cases (imported in {result['import_s']} s), baseline {BASELINE_CASES}; "
        f"{result['rounds']} rounds; load {', '.join(f'{x:.1f}' for x in result['load'])}"
    )
    print(f"{'request':32} {'p95 ms':>8} {'median':>8} {'base p95':>9} {'ratio':>6} {'target':>7}")
    for row in result["requests"]:
        mark = "met" if row["met"] else "NOT MET"
        print(
            f"{row['request']:32} {row['p95_ms']:8.1f} {row['median_ms']:8.1f} "
            f"{row['baseline_p95_ms']:9.1f} {row['ratio']:6.2f} {row['target_ms']:5.0f}  {mark}"
        )


if __name__ == "__main__":
    main()
