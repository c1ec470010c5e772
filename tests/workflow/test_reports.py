"""`report timelines` and `report annual` from the audit log, against figures worked by hand.

Thirty cases received weekly from Monday 6 January 2025 follow five patterns (i % 5):
0 rejected after 60 days; 1 accepted after 80, paused 30 days in good offices, agreement 150
days after acceptance; 2 accepted after 100 (late), partial agreement 200 days later (late),
published 20 days after; 3 accepted after 50, good offices extended by 60 days, no agreement
220 days after acceptance; 4 withdrawn after 30 days. Every event runs at 10:00 UTC (the same
Oslo date), in date order; the report is taken on 30 June 2026.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta

from tests.conftest import make_settings
from workflow import reports
from workflow.bootstrap import Services, bootstrap
from workflow.cases import PartyInput, advance, open_case
from workflow.clock import FixedClock
from workflow.pausing import extend_deadline, pause_case, resume_case
from workflow.queries import get_case
from workflow.rotation import sync_members

FIRST = date(2025, 1, 6)
AS_OF = date(2026, 6, 30)
MEMBERS = [
    {"id": m, "name": m.title(), "email": f"{m}@ncp.example"} for m in ("anna", "bjorn", "carl", "dina")
]


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def plan(i: int) -> dict[str, Any]:
    r = FIRST + timedelta(days=7 * i)
    d = lambda n: r + timedelta(days=n)  # noqa: E731
    kind = i % 5
    return {
        0: {"r": r, "decided": d(60), "outcome": "not_accepted", "outcome_on": d(60)},
        1: {
            "r": r,
            "decided": d(80),
            "accepted": d(80),
            "pause": (d(90), d(120)),
            "outcome": "agreement",
            "outcome_on": d(230),
        },
        2: {
            "r": r,
            "decided": d(100),
            "accepted": d(100),
            "outcome": "partial_agreement",
            "outcome_on": d(300),
            "published": d(320),
        },
        3: {
            "r": r,
            "decided": d(50),
            "accepted": d(50),
            "extend": d(60),
            "outcome": "no_agreement",
            "outcome_on": d(270),
        },
        4: {"r": r, "withdrawn": d(30), "outcome": "withdrawn", "outcome_on": d(30)},
    }[kind] | {"i": i, "kind": kind}


@pytest.fixture
def built(database_url: str) -> Iterator[tuple[Services, list[str]]]:
    clock = FixedClock(at(FIRST))
    services = bootstrap(make_settings(database_url, members=MEMBERS), clock=clock)
    sync_members(uow=services.uow, clock=clock, settings=services.settings)
    events: list[tuple[date, int, Callable[[], Any]]] = []
    refs: dict[int, str] = {}

    def step(trigger: str, i: int, outcome: str | None = None) -> Callable[[], Any]:
        return lambda: advance(
            uow=services.uow,
            clock=clock,
            policy=services.policy,
            reference=refs[i],
            trigger=trigger,
            actor="chair",
            reason=trigger,
            outcome=outcome,
        )

    def opener(i: int, received: date) -> Callable[[], Any]:
        def run() -> None:
            refs[i] = open_case(
                uow=services.uow,
                clock=clock,
                policy=services.policy,
                reference_prefix="NCP",
                title=f"Case {i}",
                submitters=[PartyInput("Fagforbundet", "trade_union")],
                enterprises=[PartyInput("Nordisk Gruve AS")],
                actor="secretariat",
                received=received,
            ).reference

        return run

    kw = {"uow": services.uow, "clock": clock, "actor": "chair"}
    for i in range(30):
        p = plan(i)
        r = p["r"]
        events.append((r, 0, opener(i, r)))
        events.append((r + timedelta(days=2), 1, step("begin_assessment", i)))
        if p["kind"] == 0:
            events.append((p["decided"], 2, step("reject", i)))
        if "accepted" in p:
            events.append((p["accepted"], 2, step("accept", i)))
            events.append((p["outcome_on"], 5, step("conclude", i, p["outcome"])))
        if "pause" in p:
            events.append(
                (
                    p["pause"][0],
                    3,
                    lambda i=i: pause_case(**kw, reference=refs[i], reason="parallel proceedings"),
                )
            )
            events.append((p["pause"][1], 4, lambda i=i: resume_case(**kw, reference=refs[i])))
        if "extend" in p:
            events.append(
                (
                    p["extend"],
                    3,
                    lambda i=i: extend_deadline(
                        **kw, reference=refs[i], deadline="good_offices", days=60, reason="parties ask"
                    ),
                )
            )
        if "published" in p:
            events.append((p["published"], 6, step("publish", i)))
        if "withdrawn" in p:
            events.append((p["withdrawn"], 2, step("withdraw", i)))
    for day, _, run in sorted(events, key=lambda e: (e[0], e[1])):
        clock.current = at(day)
        run()
    clock.current = at(AS_OF)
    yield services, [refs[i] for i in range(30)]
    services.close()


def months(start: date, n: int) -> int:
    return (start + relativedelta(months=n) - start).days


def expected_rows(p: dict[str, Any]) -> list[dict[str, Any]]:
    """The stages of one case, worked out from its plan."""
    r, kind = p["r"], p["kind"]
    rows = []

    def row(stage: str, start: date, end: date | None, limit: int, paused: int = 0, ext: int = 0) -> None:
        stop = end or AS_OF
        used = (stop - start).days - paused
        status = "exceeded" if used > limit + ext else ("met" if end else "open")
        rows.append(
            {
                "stage": stage,
                "start": start.isoformat(),
                "end": end.isoformat() if end else None,
                "days_used": used,
                "paused_days": paused,
                "indicative_days": limit,
                "extension_days": ext,
                "extensions": 1 if ext else 0,
                "status": status,
            }
        )

    ia_end = p.get("decided") or p.get("withdrawn")
    row("initial_assessment", r, ia_end, months(r, 3))
    if "accepted" in p:
        a = p["accepted"]
        paused = 30 if kind == 1 else 0
        row("good_offices", a, p["outcome_on"], months(a, 6), paused, 60 if kind == 3 else 0)
    fs_start = p["outcome_on"]
    row("final_statement", fs_start, p.get("published"), months(fs_start, 3))
    row("procedure", r, p.get("published"), months(r, 12), 30 if kind == 1 else 0)
    return rows


def test_report_timelines_matches_every_figure_worked_by_hand(built: tuple[Services, list[str]]) -> None:
    services, refs = built
    report = reports.timelines(uow=services.uow, clock=services.clock, settings=services.settings, year=2025)
    assert report["cases"] == 30 and report["as_of"] == AS_OF.isoformat()
    expected = [{"reference": refs[i], **row} for i in range(30) for row in expected_rows(plan(i))]
    keys = [
        "reference",
        "stage",
        "start",
        "end",
        "days_used",
        "paused_days",
        "indicative_days",
        "extension_days",
        "extensions",
        "status",
    ]
    got = [{k: row[k] for k in keys} for row in report["stages"]]
    order = ["initial_assessment", "good_offices", "examination", "final_statement", "procedure"]
    expected.sort(key=lambda e: (e["reference"], order.index(e["stage"])))
    assert got == expected
    for stage in order:
        done = [e for e in expected if e["stage"] == stage and e["end"] is not None]
        used = sorted(e["days_used"] for e in done)
        totals = report["totals"][stage]
        assert totals["finished"] == len(done)
        if not done:
            assert totals["median_days"] is None and totals["share_met"] is None
            continue
        met = sum(1 for e in done if e["status"] == "met")
        assert totals["share_met"] == round(met / len(done), 4)
        assert totals["median_days"] == statistics.median(used)
        assert totals["p90_days"] == used[math.ceil(0.9 * len(used)) - 1]
    # Spot checks of the hand-worked pattern: every late assessment is pattern 2 (100 days).
    ia = report["totals"]["initial_assessment"]
    assert (ia["finished"], ia["exceeded"], ia["median_days"]) == (30, 6, 60.0)
    assert report["totals"]["good_offices"]["exceeded"] == 6
    assert report["totals"]["procedure"]["finished"] == 6
    assert (
        reports.timelines(uow=services.uow, clock=services.clock, settings=services.settings, year=2024)[
            "cases"
        ]
        == 0
    )


def test_report_annual_matches_every_figure_worked_by_hand(built: tuple[Services, list[str]]) -> None:
    services, refs = built
    plans = [plan(i) for i in range(30)]
    for year in (2025, 2026):
        got = reports.annual(uow=services.uow, clock=services.clock, settings=services.settings, year=year)
        in_year = [p for p in plans if p["outcome_on"].year == year]
        concluded = [p for p in in_year if p["outcome"] != "not_accepted"]
        assessed = [
            (p["decided"] - p["r"]).days for p in plans if "decided" in p and p["decided"].year == year
        ]
        to_conclusion = [(p["outcome_on"] - p["r"]).days - (30 if p["kind"] == 1 else 0) for p in concluded]
        leads: dict[str, int] = {}
        for i, p in enumerate(plans):
            if p["r"].year == year:
                lead = get_case(uow=services.uow, reference=refs[i]).lead_member
                assert lead is not None
                leads[lead] = leads.get(lead, 0) + 1
        expected = {
            "year": year,
            "as_of": AS_OF.isoformat(),
            "received": sum(1 for p in plans if p["r"].year == year),
            "accepted": sum(1 for p in plans if "accepted" in p and p["accepted"].year == year),
            "partially_accepted": 0,  # no case here has issues
            "not_accepted": sum(1 for p in in_year if p["outcome"] == "not_accepted"),
            "concluded": len(concluded),
            **{
                o: sum(1 for p in in_year if p["outcome"] == o)
                for o in (
                    "agreement",
                    "partial_agreement",
                    "no_agreement",
                    "enterprise_declined",
                    "submitter_declined",
                    "parties_declined",
                    "determination",
                    "withdrawn",
                    "transferred",
                )
            },
            # None of these cases went to examination or names a Guidelines edition.
            "examinations_begun": 0,
            "mediation_results_of_examined": {},
            "under_examination": 0,
            "median_days_to_initial_assessment": float(statistics.median(assessed)) if assessed else None,
            "median_days_to_conclusion": float(statistics.median(to_conclusion)) if to_conclusion else None,
            # No facts are recorded in these cases (tests/e2e/test_facts.py counts them).
            "interim_agreements": 0,
            "later_agreements": 0,
            "reviews_requested": 0,
            "reviews_concluded": 0,
            "reprisal_risk_cases": 0,  # tests/workflow/test_parties.py counts them
            "guidelines_editions": {},
            "leads": dict(sorted(leads.items())),
            # This NCP leads every case here (none records a lead: [ncp] country leads);
            # tests/workflow/test_ncp_roles.py counts the cases it supports.
            "received_led": sum(1 for p in plans if p["r"].year == year),
            "received_led_jointly": 0,
            "received_supported": 0,
            "concluded_led": len(concluded),
            "concluded_supported": 0,
        }
        assert got == expected, year
    first = reports.annual(uow=services.uow, clock=services.clock, settings=services.settings, year=2025)
    assert (first["received"], first["not_accepted"], first["withdrawn"]) == (30, 6, 6)
    assert sum(first["leads"].values()) == 30
