"""Examined cases in `report oecd` and `report annual`, through the command line and the API.

Six cases received in 2025 (local dates, Europe/Oslo), each stepped back-dated with `--at`:

    A  received 2025-01-10, accepted 2025-02-10; enterprise_declined: examined 2025-03-03;
       determination 2025-07-01.                                    edition 2011
    B  received 2025-02-03, accepted 2025-03-14; no_agreement: examined 2025-09-15;
       determination 2026-01-20; published 2026-02-02.              edition 2011
    C  received 2025-03-03, accepted 2025-04-01; enterprise_declined: examined 2025-10-06;
       still under examination.                                     edition 2023
    D  received 2025-04-07, accepted 2025-05-05; no_agreement: examined 2025-11-03;
       still under examination.
    E  received 2025-05-05, accepted 2025-06-02; agreement in good offices 2025-08-04.   both
    F  received 2025-06-02; not accepted 2025-07-07.

The figures below are worked by hand from these dates:
* days to initial assessment: A 31, B 39 (February 2025 has 28 days), C 29, D 28, E 28,
  F 35; median of 28 28 29 31 35 39 = 30.0;
* days to conclusion in 2025 (not_accepted left out): A 172 (to 1 July), E 91 (to 4 August);
  median 131.5; in 2026: B 351 (3 February 2025 to 20 January 2026);
* under examination at the end of 2025: B (left it 20 January 2026), C, D; at the end of
  2026 (or the report's day, when earlier): C, D.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import InProcessCli
from tests.e2e.test_api import Api, running_api
from workflow import read_models
from workflow.clock import FixedClock

Step = tuple[str, str, str | None]  # trigger, local date, outcome

CASES: dict[str, dict[str, Any]] = {
    "A": {
        "received": "2025-01-10",
        "edition": "2011",
        "steps": [
            ("begin_assessment", "2025-01-12", None),
            ("accept", "2025-02-10", None),
            ("examine", "2025-03-03", "enterprise_declined"),
            ("conclude", "2025-07-01", "determination"),
        ],
    },
    "B": {
        "received": "2025-02-03",
        "edition": "2011",
        "steps": [
            ("begin_assessment", "2025-02-04", None),
            ("accept", "2025-03-14", None),
            ("examine", "2025-09-15", "no_agreement"),
            ("conclude", "2026-01-20", "determination"),
            ("publish", "2026-02-02", None),
        ],
    },
    "C": {
        "received": "2025-03-03",
        "edition": "2023",
        "steps": [
            ("begin_assessment", "2025-03-04", None),
            ("accept", "2025-04-01", None),
            ("examine", "2025-10-06", "enterprise_declined"),
        ],
    },
    "D": {
        "received": "2025-04-07",
        "edition": None,
        "steps": [
            ("begin_assessment", "2025-04-08", None),
            ("accept", "2025-05-05", None),
            ("examine", "2025-11-03", "no_agreement"),
        ],
    },
    "E": {
        "received": "2025-05-05",
        "edition": "both",
        "steps": [
            ("begin_assessment", "2025-05-06", None),
            ("accept", "2025-06-02", None),
            ("conclude", "2025-08-04", "agreement"),
        ],
    },
    "F": {
        "received": "2025-06-02",
        "edition": None,
        "steps": [("begin_assessment", "2025-06-03", None), ("reject", "2025-07-07", None)],
    },
}

# status, mediation_result, determination, outcome, date_concluded
OECD: dict[str, tuple[str, str | None, str | None, str | None, str | None]] = {
    "A": ("final_statement", "enterprise_declined", "determination", "determination", "2025-07-01"),
    "B": ("follow_up", "no_agreement", "determination", "determination", "2026-01-20"),
    "C": ("examination", "enterprise_declined", None, None, None),
    "D": ("examination", "no_agreement", None, None, None),
    "E": ("final_statement", "agreement", None, "agreement", "2025-08-04"),
    "F": ("final_statement", None, None, "not_accepted", "2025-07-07"),
}
BOTH = {"mediation_result": "enterprise_declined", "determination": "determination"}
OECD_KEYS = ("status", "mediation_result", "determination", "outcome", "date_concluded")

NONE_OF_THE_OTHERS = {"partial_agreement": 0, "no_agreement": 0, "enterprise_declined": 0, "withdrawn": 0}
ANNUAL = {
    2025: {
        "received": 6,
        "accepted": 5,
        "not_accepted": 1,  # F
        "concluded": 2,  # A, E; B concludes in 2026, C and D are open
        "agreement": 1,
        "determination": 1,
        **NONE_OF_THE_OTHERS,
        "transferred": 0,
        "examinations_begun": 4,
        "mediation_results_of_examined": {"enterprise_declined": 2, "no_agreement": 2},
        "under_examination": 3,
        "median_days_to_initial_assessment": 30.0,
        "median_days_to_conclusion": 131.5,
        "guidelines_editions": {"2011": 2, "2023": 1, "both": 1},
    },
    2026: {
        "received": 0,
        "accepted": 0,
        "not_accepted": 0,
        "concluded": 1,  # B
        "agreement": 0,
        "determination": 1,
        **NONE_OF_THE_OTHERS,
        "transferred": 0,
        "examinations_begun": 0,
        "mediation_results_of_examined": {},
        "under_examination": 2,
        "median_days_to_initial_assessment": None,
        "median_days_to_conclusion": 351.0,
        "guidelines_editions": {},
    },
}


def check_reports(
    refs: dict[str, str],
    oecd: list[dict[str, Any]],
    annual: Callable[[int], dict[str, Any]],
) -> None:
    """The OECD rows and the two years' figures are those worked out above."""
    by_ref = {row["reference"]: row for row in oecd}
    assert set(by_ref) == set(refs.values())
    for name, ref in refs.items():
        assert tuple(by_ref[ref][k] for k in OECD_KEYS) == OECD[name], name
    open_cases = [row for row in oecd if row["status"] == "examination"]
    assert open_cases and all(row["date_concluded"] is None for row in open_cases)
    for year, expected in ANNUAL.items():
        got = annual(year)
        assert {k: got[k] for k in expected} == expected, year


def cli_case(ncp: InProcessCli, received: str, steps: list[Step], *options: str) -> tuple[str, Any]:
    """A case opened and stepped on the command line: its reference and the last step's answer."""
    opening = ("case", "open", "--title", "T", "--enterprise", "Nordisk Gruve AS", "--submitter", "S")
    ref = ncp.json(*opening, "--actor", "secretariat", "--received", received, *options, "--json")[
        "reference"
    ]
    answer = None
    for trigger, on, outcome in steps:
        chosen = ["--outcome", outcome] if outcome else []
        step = ("case", "advance", ref, trigger, "--actor", "chair", "--reason", trigger, "--at", on)
        answer = ncp.json(*step, *chosen, "--json")
    return ref, answer


def api_steps(api: Api, headers: dict[str, str], ref: str, steps: list[Step]) -> Any:
    """The case stepped through POST /api/cases/{ref}/transitions; the last answer."""
    answer = None
    for trigger, on, outcome in steps:
        body = {"trigger": trigger, "reason": trigger, "at": on, "outcome": outcome}
        answered = api.client.post(f"/api/cases/{ref}/transitions", json=body, headers=headers)
        assert answered.status_code == 200, answered.text
        answer = answered.json()
    return answer


def test_examined_cases_keep_both_results_and_open_ones_are_not_concluded_on_the_command_line(
    ncp: InProcessCli,
) -> None:
    """`report oecd` and `report annual` (JSON, CSV, HTML) as worked out by hand."""
    refs = {}
    for name, case in CASES.items():
        edition = ["--guidelines-edition", case["edition"]] if case["edition"] else []
        refs[name] = cli_case(ncp, case["received"], case["steps"], *edition)[0]
    check_reports(
        refs,
        ncp.json("report", "oecd", "--json"),
        lambda year: dict(ncp.json("report", "annual", "--year", str(year), "--json")),
    )
    csv = ncp("report", "oecd", "--format", "csv").stdout.splitlines()
    assert "mediation_result,determination,outcome,date_concluded" in csv[0]
    assert any(",examination,enterprise_declined,,,," in line for line in csv)
    html = ncp("report", "annual", "--year", "2025", "--format", "html", "--language", "en").stdout
    assert "Examined cases by mediation result" in html and "enterprise declined" in html
    assert "Mediation result" in ncp("report", "oecd", "--format", "html", "--language", "en").stdout
    norsk = ncp("report", "annual", "--year", "2025", "--format", "html").stdout  # [ncp] language
    assert "Undersøkte saker etter resultat av dialog og mekling" in norsk and "virksomheten avslo" in norsk


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    clock.current = datetime(2026, 6, 30, 10, tzinfo=UTC)
    with running_api(database_url, clock) as made:
        yield made


def test_examined_cases_keep_both_results_and_open_ones_are_not_concluded_in_the_api(api: Api) -> None:
    """GET /api/reports/oecd and /api/reports/annual answer what the command line prints."""
    handler = api.user("hanna", "handler")
    auditor = api.user("aud", "auditor")
    refs = {}
    for name, case in CASES.items():
        edition = {"guidelines_edition": case["edition"]} if case["edition"] else {}
        refs[name] = api.open(handler, title=f"Case {name}", received=case["received"], **edition)[
            "reference"
        ]
        api_steps(api, handler, refs[name], case["steps"])

    def get(path: str) -> Any:
        answer = api.client.get(path, headers=auditor)
        assert answer.status_code == 200, answer.text
        return answer.json()

    check_reports(refs, get("/api/reports/oecd"), lambda year: dict(get(f"/api/reports/annual?year={year}")))
    assert get("/api/reports/annual?year=2026")["as_of"] == "2026-06-30"
    assert [row["reference"] for row in get("/api/reports/oecd?year=2025")] == sorted(refs.values())
    assert get("/api/reports/oecd?year=2024") == []
    timelines = get("/api/reports/timelines?year=2025")
    assert timelines["cases"] == 6 and timelines["totals"]["examination"]["open"] == 2
    # The answers are what the OpenAPI says they are (the models forbid keys they do not name).
    read_models.TimelinesReport.model_validate(timelines)
    read_models.AnnualReport.model_validate(get("/api/reports/annual?year=2025"))
    for row in get("/api/reports/oecd"):
        read_models.OecdRow.model_validate(row)


def test_a_report_without_its_year_or_out_of_range_answers_422_naming_it(api: Api) -> None:
    """`year` is required by the annual report and bounded like dates (1976-2199) in all three."""
    auditor = api.user("aud", "auditor")
    for path in ("annual", "annual?year=1975", "oecd?year=2200", "timelines?year=last"):
        answer = api.client.get(f"/api/reports/{path}", headers=auditor)
        assert answer.status_code == 422 and answer.json()["fields"] == ["year"], (path, answer.text)


# ---- the case itself ----------------------------------------------------------------------------


def test_case_show_names_the_mediation_result_of_a_case_under_examination(ncp: InProcessCli) -> None:
    """`case show`: the result by field, not a bare outcome; the step that concludes answers both."""
    ref = cli_case(ncp, "2025-01-10", CASES["A"]["steps"][:3])[0]
    shown = ncp.json("case", "show", ref, "--json")
    assert (shown["state"], shown["results"]) == ("examination", {"mediation_result": "enterprise_declined"})
    assert "mediation result: enterprise_declined" in ncp("case", "show", ref).stdout
    conclude = ("case", "advance", ref, "conclude", "--outcome", "determination", "--at", "2025-07-01")
    concluded = ncp.json(*conclude, "--actor", "chair", "--reason", "r", "--json")
    assert concluded["results"] == BOTH


def test_the_api_and_the_case_page_name_the_mediation_result_of_a_case_under_examination(api: Api) -> None:
    """GET /api/cases/{ref} has `results`; the page labels it, in Norwegian too."""
    handler = api.user("hanna", "handler")
    ref = api.open(handler, received="2025-01-10")["reference"]
    api_steps(api, handler, ref, CASES["A"]["steps"][:3])
    shown = api.client.get(f"/api/cases/{ref}", headers=handler).json()
    assert shown["results"] == {"mediation_result": "enterprise_declined"}
    english = api.client.get(f"/cases/{ref}?lang=en", headers=handler).text
    assert "Mediation result: enterprise declined" in english  # worded (look12)
    assert "Outcome:" not in english  # an open case has no final outcome to show
    norwegian = api.client.get(f"/cases/{ref}?lang=nb", headers=handler).text
    assert "Resultat av dialog og mekling: " in norwegian
    assert api_steps(api, handler, ref, CASES["A"]["steps"][3:])["results"] == BOTH
