"""Reports over cases of a procedure that lacks some of oecd-2023's timed stages."""

from __future__ import annotations

from datetime import date

from states.durations import Duration
from states.reports import CaseHistory, stage_rows


def test_a_stage_the_procedure_has_no_deadline_for_is_left_out_of_the_rows() -> None:
    """Only the stages with a duration are measured; none is made up and none fails."""
    case = CaseHistory("GEN-2025-001", date(2025, 1, 2), stage_starts={"good_offices": date(2025, 2, 3)})
    rows = stage_rows(case, {"procedure": Duration(months=12)}, date(2025, 3, 1))
    assert [r["stage"] for r in rows] == ["procedure"]
    assert rows[0]["indicative_days"] == 365
