"""Reports over cases of a procedure that lacks some of oecd-2023's timed stages."""

from __future__ import annotations

from datetime import date

from states.durations import Duration
from states.procedure import parse_procedure
from states.reports import FALLBACK, CaseHistory, Rules, annual_report, stage_rows
from workflow import procedures


def test_a_stage_the_procedure_has_no_deadline_for_is_left_out_of_the_rows() -> None:
    """Only the stages with a duration are measured; none is made up and none fails."""
    case = CaseHistory("GEN-2025-001", date(2025, 1, 2), stage_starts={"good_offices": date(2025, 2, 3)})
    rows = stage_rows(case, {"procedure": Duration(months=12)}, date(2025, 3, 1))
    assert [r["stage"] for r in rows] == ["procedure"]
    assert rows[0]["indicative_days"] == 365


def test_the_reports_measure_the_stages_and_count_the_outcomes_the_procedure_names() -> None:
    """`[reports] stages` and `outcomes` decide the timed stages and the annual columns."""
    shipped = procedures.shipped()
    assert Rules.of(shipped).stages == FALLBACK.stages
    assert Rules.of(shipped).at_receipt == {"initial_assessment", "procedure"}
    text = shipped.text.replace(
        'stages = ["initial_assessment", "good_offices", "examination", "final_statement", "procedure"]',
        'stages = ["good_offices", "procedure"]',
    ).replace('outcomes = ["not_accepted", "agreement",', 'outcomes = ["not_accepted", "agreement"]\n#')
    rules = Rules.of(parse_procedure(text, source="ours.toml"), {"procedure": Duration(months=12)})
    case = CaseHistory(
        "GEN-2025-001", date(2025, 1, 2), stage_starts={"good_offices": date(2025, 2, 3)}, rules=rules
    )
    rows = stage_rows(case, {}, date(2025, 3, 1))
    assert [r["stage"] for r in rows] == ["procedure"]  # good_offices has no duration here
    report = annual_report({"GEN-2025-001": case}, {}, date(2025, 3, 1), 2025, rules=rules)
    assert "agreement" in report and "determination" not in report
