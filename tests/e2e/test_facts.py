"""Faithful records of real cases (issue 12, item 5), through the command line and the API:
good offices declined by the submitter or both parties; acceptance and the publication of the
initial assessment as separate dated facts; interim and later agreements; a procedural review
that holds publication. Each shows on the case, in the audit log and in the reports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import InProcessCli
from tests.e2e.test_api import Api, running_api
from tests.e2e.test_report_rules import procedure_config
from workflow import procedures
from workflow.clock import FixedClock

OPEN = ["case", "open", "--title", "Fish farm", "--submitter", "Naturvernforbundet"]
OPEN += ["--enterprise", "Havbruk Seafood ASA", "--actor", "sek", "--received", "2025-01-31", "--json"]


def step(ncp: InProcessCli, ref: str, trigger: str, at: str, *extra: str) -> dict[str, Any]:
    view: dict[str, Any] = ncp.json(
        "case", "advance", ref, trigger, "--actor", "sek", "--reason", "r", "--at", at, *extra, "--json"
    )
    return view


def record(ncp: InProcessCli, ref: str, fact: str, on: str, *extra: str) -> dict[str, Any]:
    view: dict[str, Any] = ncp.json(
        "case", "record", ref, fact, "--on", on, "--actor", "sek", *extra, "--json"
    )
    return view


def accepted(ncp: InProcessCli) -> str:
    """Received 31 Jan 2025, assessment begun 3 Feb, accepted 10 Mar 2025."""
    ref = str(ncp.json(*OPEN)["reference"])
    step(ncp, ref, "begin_assessment", "2025-02-03")
    step(ncp, ref, "accept", "2025-03-10")
    return ref


def in_final_statement(ncp: InProcessCli) -> str:
    ref = accepted(ncp)
    step(ncp, ref, "conclude", "2025-05-20", "--outcome", "agreement")
    return ref


def oecd_row(ncp: InProcessCli, ref: str) -> dict[str, Any]:
    rows = ncp.json("report", "oecd", "--json")
    return dict(next(row for row in rows if row["reference"] == ref))


def entries(ncp: InProcessCli, ref: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in ncp("audit", "log", ref).stdout.splitlines()]


# ---- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trigger", "outcome", "state"),
    [
        ("examine", "submitter_declined", "examination"),
        ("examine", "parties_declined", "examination"),
        ("conclude", "submitter_declined", "final_statement"),
        ("conclude", "parties_declined", "final_statement"),
    ],
)
def test_good_offices_declined_by_the_submitter_or_both_parties_are_recorded_as_the_mediation_result(
    ncp: InProcessCli, trigger: str, outcome: str, state: str
) -> None:
    """From acceptance the case goes straight on to examination or a statement, and who declined
    is the mediation result of the step, in the case, the audit log and the OECD report."""
    ref = accepted(ncp)
    view = step(ncp, ref, trigger, "2025-03-10", "--outcome", outcome)
    assert (view["state"], view["outcome"]) == (state, outcome)
    good_offices = next(d for d in view["deadlines"] if d["name"] == "good_offices")
    assert good_offices["met_on"] == "2025-03-10"
    last = entries(ncp, ref)[-1]
    assert last["data"]["outcome"] == outcome and last["data"]["sets"] == "mediation_result"
    row = oecd_row(ncp, ref)
    assert row["mediation_result"] == outcome
    assert row["outcome"] == (None if state == "examination" else outcome)  # an open case has none


def test_acceptance_and_the_publication_of_the_initial_assessment_are_separate_dated_facts(
    ncp: InProcessCli,
) -> None:
    """The accept step keeps its date; the publication and the parties' agreement to mediate are
    recorded later with their own (earlier) dates, audited as `fact_recorded`, shown by `case show`
    and `report oecd`; the case stays where it is and later back-dated steps still fit."""
    ref = accepted(ncp)
    record(ncp, ref, "assessment_published", "2025-04-02", "--note", "published on the website")
    view = record(ncp, ref, "mediation_agreed", "2025-05-06")
    assert view["state"] == "good_offices"
    assert [(f["fact"], f["on"], f["note"]) for f in view["facts"]] == [
        ("assessment_published", "2025-04-02", "published on the website"),
        ("mediation_agreed", "2025-05-06", None),
    ]
    assert view["facts"][0]["label"] == "initial assessment published"
    fact = entries(ncp, ref)[-1]
    assert fact["kind"] == "fact_recorded" and fact["data"]["fact"] == "mediation_agreed"
    assert fact["data"]["on"] == "2025-05-06" and fact["from_state"] == fact["to_state"] == "good_offices"
    shown = ncp("case", "show", ref)
    assert "fact: 2025-04-02 initial assessment published: published on the website" in shown.stdout
    row = oecd_row(ncp, ref)
    assert (row["date_assessment_published"], row["date_mediation_agreed"]) == ("2025-04-02", "2025-05-06")
    # A fact is not a step: an examination back-dated before the facts were recorded still fits.
    assert step(ncp, ref, "examine", "2025-05-01", "--outcome", "no_agreement")["state"] == "examination"
    assert ncp("audit", "verify").returncode == 0


def test_a_fact_recorded_badly_is_refused_naming_the_problem_and_writes_nothing(ncp: InProcessCli) -> None:
    """Twice, before receipt, in the future, in the wrong state, unknown, or without who it was by:
    each is refused with the documented exit code, and the log does not grow."""
    ref = accepted(ncp)
    record(ncp, ref, "assessment_published", "2025-04-02")
    before = len(entries(ncp, ref))

    def refused(code: int, fact: str, on: str, *extra: str) -> str:
        answer = ncp("case", "record", ref, fact, "--on", on, "--actor", "sek", *extra)
        assert answer.returncode == code, answer.stderr
        assert "Traceback" not in answer.stderr
        return answer.stderr

    assert "already recorded" in refused(1, "assessment_published", "2025-04-03")
    assert "date of receipt 2025-01-31" in refused(2, "mediation_agreed", "2025-01-30")
    assert "must lie between" in refused(2, "mediation_agreed", "2199-01-01")
    assert "recorded only in final_statement" in refused(
        1, "review_requested", "2025-04-03", "--by", "enterprise"
    )
    assert "known: assessment_published" in refused(2, "published", "2025-04-03")
    assert "FACT" in refused(2, "", "2025-04-03") or "fact" in refused(2, "", "2025-04-03")
    assert "names no one" in refused(2, "mediation_agreed", "2025-04-03", "--by", "enterprise")
    assert len(entries(ncp, ref)) == before


def test_interim_and_later_agreements_are_dated_facts_in_both_reports(ncp: InProcessCli) -> None:
    """An interim agreement during mediation and an agreement reached after the final statement
    (even after the case closed) show in `report oecd`'s row and `report annual`'s counts."""
    ref = accepted(ncp)
    record(ncp, ref, "interim_agreement", "2025-04-15", "--note", "MoU on water sampling")
    step(ncp, ref, "conclude", "2025-05-20", "--outcome", "no_agreement")
    step(ncp, ref, "close", "2025-06-10")
    record(ncp, ref, "later_agreement", "2025-09-01")
    row = oecd_row(ncp, ref)
    assert (row["interim_agreements"], row["later_agreements"]) == (["2025-04-15"], ["2025-09-01"])
    assert row["outcome"] == "no_agreement"
    annual = ncp.json("report", "annual", "--year", "2025", "--json")
    assert (annual["interim_agreements"], annual["later_agreements"]) == (1, 1)


def test_a_procedural_review_holds_publication_until_it_is_concluded(ncp: InProcessCli) -> None:
    """While a review requested by a party is open, `publish` and `close` are refused naming the
    review; once concluded, the statement is published. The case and the reports show the review."""
    ref = in_final_statement(ncp)
    view = record(ncp, ref, "review_requested", "2025-06-01", "--by", "enterprise")
    assert view["review_open"] is True and view["facts"][-1]["by"] == "enterprise"
    assert "a procedural review is open" in ncp("case", "show", ref).stdout
    for trigger in ("publish", "close"):
        refused = ncp("case", "advance", ref, trigger, "--actor", "sek", "--reason", "r")
        assert refused.returncode == 1
        assert "procedural review of the final statement is open" in refused.stderr
    triggers = ncp.json("case", "triggers", ref, "--json")["triggers"]
    assert "procedural review" in next(t for t in triggers if t["trigger"] == "publish")["why_not"]
    record(ncp, ref, "review_concluded", "2025-08-15")
    assert step(ncp, ref, "publish", "2025-08-20")["state"] == "follow_up"
    assert oecd_row(ncp, ref)["procedural_reviews"] == [
        {"requested": "2025-06-01", "by": "enterprise", "concluded": "2025-08-15"}
    ]
    annual = ncp.json("report", "annual", "--year", "2025", "--json")
    assert (annual["reviews_requested"], annual["reviews_concluded"]) == (1, 1)


def test_a_review_needs_who_requested_it_and_cannot_end_before_it_began(ncp: InProcessCli) -> None:
    """`--by` names the oversight body or a party; a conclusion needs an open review dated after it."""
    ref = in_final_statement(ncp)
    missing = ncp("case", "record", ref, "review_requested", "--on", "2025-06-01", "--actor", "sek")
    assert missing.returncode == 2 and "oversight_body, submitter, enterprise" in missing.stderr
    nothing_open = ncp("case", "record", ref, "review_concluded", "--on", "2025-06-01", "--actor", "sek")
    assert nothing_open.returncode == 1 and "no open 'review_requested'" in nothing_open.stderr
    record(ncp, ref, "review_requested", "2025-06-01", "--by", "oversight_body")
    early = ncp("case", "record", ref, "review_concluded", "--on", "2025-05-31", "--actor", "sek")
    assert early.returncode == 2 and "before it began" in early.stderr


def test_a_procedure_may_count_good_offices_from_the_parties_agreement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    """config.toml's procedure file says basis = "fact:mediation_agreed": accepting starts no good
    offices clock, `case record ... mediation_agreed --on` starts it from that day."""
    text = procedures.shipped().text.replace(
        'basis = "entered"\nduration = "6mo"\nopen_in = ["good_offices"]',
        'basis = "fact:mediation_agreed"\nduration = "6mo"\nopen_in = ["good_offices"]',
    )
    ncp = InProcessCli(capsys, monkeypatch, database_url, procedure_config(tmp_path, text))
    ref = accepted(ncp)
    shown = ncp.json("case", "show", ref, "--json")
    assert "good_offices" not in {d["name"] for d in shown["deadlines"]}
    view = record(ncp, ref, "mediation_agreed", "2025-05-06")
    clock = next(d for d in view["deadlines"] if d["name"] == "good_offices")
    assert (clock["started"], clock["due"]) == ("2025-05-06", "2025-11-06")
    assert clock["explanation"].startswith("parties agreed to good offices 6 May 2025 + 6 months")
    assert entries(ncp, ref)[-1]["data"]["deadlines_started"] == [
        {"name": "good_offices", "due": "2025-11-06"}
    ]


# ---- the API ----------------------------------------------------------------------------------


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as made:
        yield made


def _post(api: Api, path: str, body: dict[str, Any], headers: dict[str, str], status: int = 200) -> Any:
    answer = api.client.post(path, json=body, headers=headers)
    assert answer.status_code == status, answer.text
    return answer.json()


def _accepted(api: Api, handler: dict[str, str]) -> str:
    ref = str(api.open(handler, received="2025-01-31")["reference"])
    for trigger, at in (("begin_assessment", "2025-02-03"), ("accept", "2025-03-10")):
        _post(api, f"/api/cases/{ref}/transitions", {"trigger": trigger, "reason": "r", "at": at}, handler)
    return ref


def test_the_api_records_declined_good_offices_and_dated_facts(api: Api) -> None:
    """POST .../transitions takes the new outcomes; POST .../facts records a dated fact and
    answers the case with it; a member may not record facts (403)."""
    handler = api.user("hanna", "handler")
    ref = _accepted(api, handler)
    fact = {"fact": "assessment_published", "on": "2025-04-02"}
    case = _post(api, f"/api/cases/{ref}/facts", fact, handler)
    assert [(f["fact"], f["on"], f["recorded_by"]) for f in case["facts"]] == [
        ("assessment_published", "2025-04-02", "hanna")
    ]
    body = {"trigger": "examine", "reason": "the complainant declined", "outcome": "submitter_declined"}
    case = _post(api, f"/api/cases/{ref}/transitions", body, handler)
    assert (case["state"], case["outcome"]) == ("examination", "submitter_declined")
    member = api.user("maria", "member", member="member-b")
    _post(api, f"/api/cases/{ref}/facts", fact, member, status=403)
    wrong = _post(
        api, f"/api/cases/{ref}/facts", {"fact": "later_agreement", "on": "2025-04-02"}, handler, 409
    )
    assert "recorded only in" in wrong["detail"]
    twice = _post(api, f"/api/cases/{ref}/facts", fact, handler, 409)
    assert "already recorded" in twice["detail"]
    future = _post(api, f"/api/cases/{ref}/facts", {**fact, "on": "2025-06-03"}, handler, 422)
    assert "must lie between" in future["detail"] and "today 2025-06-02" in future["detail"]


def test_the_api_holds_publication_while_a_review_is_open(api: Api) -> None:
    """A review requested through the API refuses publication (409 naming the review) until its
    conclusion is recorded; the case reads `review_open` meanwhile."""
    handler = api.user("hanna", "handler")
    ref = _accepted(api, handler)
    body = {"trigger": "conclude", "reason": "r", "outcome": "parties_declined", "at": "2025-03-10"}
    assert _post(api, f"/api/cases/{ref}/transitions", body, handler)["outcome"] == "parties_declined"
    review = {"fact": "review_requested", "on": "2025-05-02", "by": "submitter", "note": "asked by letter"}
    case = _post(api, f"/api/cases/{ref}/facts", review, handler)
    assert case["review_open"] is True
    held = _post(api, f"/api/cases/{ref}/transitions", {"trigger": "publish", "reason": "r"}, handler, 409)
    assert "procedural review" in held["detail"]
    _post(api, f"/api/cases/{ref}/facts", {"fact": "review_concluded", "on": "2025-05-30"}, handler)
    case = _post(api, f"/api/cases/{ref}/transitions", {"trigger": "publish", "reason": "r"}, handler)
    assert (case["state"], case["review_open"]) == ("follow_up", False)
