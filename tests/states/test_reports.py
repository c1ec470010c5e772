"""The pure reports (states/reports.py) on audit entries written out by hand: results kept side
by side, conclusion only in a concluded state, and the Guidelines editions counted."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from states import records
from states.chain import AuditEntry
from states.durations import Duration
from states.lifecycle import DeadlineName
from states.reports import annual_report, histories, oecd_rows
from states.results import CONCLUDED_STATES, is_concluded, result_field

TIMELINES = {name: Duration(months=3) for name in DeadlineName}
AS_OF = date(2026, 6, 30)


class Log:
    """Audit entries for a few cases, at 10:00 UTC (the same date in Oslo)."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []
        self.states: dict[str, str] = {}

    def _add(self, ref: str, kind: str, day: str, data: dict[str, Any], to: str | None = None) -> None:
        at = f"{day}T10:00:00Z"
        before = self.states.get(ref)
        if to is not None:
            self.states[ref] = to
        self.entries.append(
            AuditEntry(len(self.entries) + 1, ref, kind, "chair", at, before, to, "r", data, "", "")
        )

    def open(self, ref: str, day: str, edition: str | None = None) -> Log:
        at = datetime.fromisoformat(f"{day}T10:00:00+00:00")
        party = records.PartyData("submitter", "S", "ngo", False)
        opened = records.Opened("T", (party,), (), (), None, edition, (), (), at)
        self._add(ref, "opened", day, opened.to_data(), "received")
        return self

    def step(self, ref: str, trigger: str, to: str, day: str, outcome: str | None = None, **more: Any) -> Log:
        at = datetime(2000, 1, 1, tzinfo=UTC)
        data = {**records.Transitioned(trigger, outcome, (), (), 2, at).to_data(), **more}
        self._add(ref, "transitioned", day, data, to)
        return self

    def examined(self, ref: str, received: str, mediation: str, examined: str) -> Log:
        self.open(ref, received)
        self.step(ref, "begin_assessment", "initial_assessment", received)
        self.step(ref, "accept", "good_offices", received)
        return self.step(ref, "examine", "examination", examined, mediation)


@pytest.mark.parametrize(
    ("trigger", "source", "sets", "field"),
    [
        ("examine", "good_offices", None, "mediation_result"),
        ("conclude", "good_offices", None, "mediation_result"),
        ("conclude", "examination", None, "determination"),
        ("reject", "initial_assessment", None, "outcome"),
        ("withdraw", "examination", None, "outcome"),
        ("transfer", "received", None, "outcome"),
        ("examine", "good_offices", "declined_by", "declined_by"),
    ],
)
def test_each_recorded_outcome_sets_one_result_field(
    trigger: str, source: str, sets: str | None, field: str
) -> None:
    """Inferred from the trigger and the state left, unless the record names its field."""
    assert result_field(trigger, source, sets) == field


def test_the_concluded_states_are_final_statement_follow_up_and_closed() -> None:
    """Examination and the states before it are open."""
    assert all(is_concluded(s) for s in ("final_statement", "follow_up", "closed"))
    assert len(CONCLUDED_STATES) == 3
    assert not any(is_concluded(s) for s in ("received", "initial_assessment", "good_offices", "examination"))


def _log() -> Log:
    log = Log()
    log.examined("X-1", "2025-01-06", "enterprise_declined", "2025-03-03")
    log.step("X-1", "conclude", "final_statement", "2025-06-02", "determination")
    log.examined("X-2", "2025-02-03", "no_agreement", "2025-11-03")  # open at the end
    log.examined("X-3", "2025-03-03", "partial_agreement", "2025-05-05")
    log.step("X-3", "conclude", "final_statement", "2026-02-02", "determination")
    log.step("X-3", "publish", "follow_up", "2026-03-02")
    return log


def test_an_examined_case_keeps_its_mediation_result_beside_the_determination() -> None:
    """The OECD rows: both results; the final outcome and its date only once concluded."""
    cases = histories(_log().entries, "Europe/Oslo")
    rows = {r["reference"]: r for r in oecd_rows(cases, lead_ncp="NO", chapters={})}
    keys = ("status", "mediation_result", "determination", "outcome", "date_concluded")
    assert {ref: tuple(row[k] for k in keys) for ref, row in rows.items()} == {
        "X-1": ("final_statement", "enterprise_declined", "determination", "determination", "2025-06-02"),
        "X-2": ("examination", "no_agreement", None, None, None),
        "X-3": ("follow_up", "partial_agreement", "determination", "determination", "2026-02-02"),
    }
    assert cases["X-2"].last_outcome == "no_agreement" and cases["X-2"].outcome is None


def test_an_open_case_is_not_concluded_in_the_annual_figures() -> None:
    """2025: X-1 concluded; three examinations begun, two still running on 31 December."""
    cases = histories(_log().entries, "Europe/Oslo")
    first = annual_report(cases, TIMELINES, AS_OF, 2025)
    assert (first["concluded"], first["determination"], first["no_agreement"]) == (1, 1, 0)
    assert first["enterprise_declined"] == first["partial_agreement"] == 0
    assert first["examinations_begun"] == 3
    assert first["mediation_results_of_examined"] == {
        "partial_agreement": 1,
        "no_agreement": 1,
        "enterprise_declined": 1,
    }
    assert first["under_examination"] == 2
    assert first["median_days_to_conclusion"] == 147.0  # 6 January to 2 June 2025
    second = annual_report(cases, TIMELINES, AS_OF, 2026)
    assert (second["concluded"], second["determination"], second["under_examination"]) == (1, 1, 1)
    assert second["examinations_begun"] == 0 and second["mediation_results_of_examined"] == {}
    as_of_earlier = annual_report(cases, TIMELINES, date(2025, 10, 1), 2025)
    assert as_of_earlier["under_examination"] == 1  # on 1 October: X-1 done, X-2 not begun


def test_a_record_naming_its_result_field_is_read_by_that_name() -> None:
    """A `sets` key on the record wins over the inference."""
    log = Log().open("Y-1", "2025-01-06")
    log.step("Y-1", "begin_assessment", "initial_assessment", "2025-01-07")
    log.step("Y-1", "accept", "good_offices", "2025-02-03")
    log.step("Y-1", "conclude", "final_statement", "2025-05-05", "no_agreement", sets="mediation_result")
    cases = histories(log.entries, "Europe/Oslo")
    assert cases["Y-1"].results == {"mediation_result": "no_agreement"}


def test_rejected_withdrawn_and_transferred_cases_conclude_with_their_outcome() -> None:
    """Their outcome is the final one, dated by the step into a concluded state."""
    log = Log()
    log.open("R-1", "2025-01-06").step("R-1", "begin_assessment", "initial_assessment", "2025-01-07")
    log.step("R-1", "reject", "final_statement", "2025-02-03", "not_accepted")
    log.open("W-1", "2025-01-06").step("W-1", "withdraw", "final_statement", "2025-01-20", "withdrawn")
    log.open("T-1", "2025-01-06").step("T-1", "transfer", "closed", "2025-01-13", "transferred")
    rows = oecd_rows(histories(log.entries, "Europe/Oslo"), lead_ncp="NO", chapters={})
    assert [(r["outcome"], r["date_concluded"], r["mediation_result"]) for r in rows] == [
        ("not_accepted", "2025-02-03", None),
        ("transferred", "2025-01-13", None),
        ("withdrawn", "2025-01-20", None),
    ]
    annual = annual_report(histories(log.entries, "Europe/Oslo"), TIMELINES, AS_OF, 2025)
    assert (annual["not_accepted"], annual["concluded"], annual["withdrawn"], annual["transferred"]) == (
        1,
        2,
        1,
        1,
    )


def test_historical_guidelines_editions_are_shown_and_counted() -> None:
    """OECD rows carry each case's edition; the year's figures count cases received per edition."""
    log = Log().open("H-1", "1985-03-01", "1984").open("H-2", "1985-09-02", "1984")
    log.open("H-3", "1985-10-01", "1979").open("H-4", "1985-11-01").open("H-5", "2001-05-02", "2000")
    cases = histories(log.entries, "Europe/Oslo")
    editions = {r["reference"]: r["guidelines_edition"] for r in oecd_rows(cases, lead_ncp="NO", chapters={})}
    assert editions == {"H-1": "1984", "H-2": "1984", "H-3": "1979", "H-4": None, "H-5": "2000"}
    assert annual_report(cases, TIMELINES, AS_OF, 1985)["guidelines_editions"] == {"1979": 1, "1984": 2}
    assert annual_report(cases, TIMELINES, AS_OF, 2001)["guidelines_editions"] == {"2000": 1}
