"""Working-day timelines through config.toml and the real use cases: opened, stored, read back,
paused, extended and reported on the NCP's holiday calendar (Norway, Easter 2025)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from states.durations import Duration
from states.lifecycle import DeadlineName
from tests.conftest import make_settings
from tests.helpers import open_one
from tests.workflow.test_shipped_definitions import APRIL_10, due_on
from workflow.application import Application
from workflow.bootstrap import bootstrap
from workflow.clock import FixedClock
from workflow.config import parse_settings

D = DeadlineName


@pytest.fixture
def app(sqlite_url: str) -> Iterator[Application]:
    settings = make_settings(
        sqlite_url,
        ncp={"timezone": "Europe/Oslo", "country": "NO"},
        timelines={"acknowledgement": "10wd", "initial_assessment": "21wd"},
    )
    built = bootstrap(settings, clock=FixedClock(datetime(2025, 6, 2, 10, 0, tzinfo=UTC)))
    yield built
    built.close()


def test_working_day_timelines_are_read_from_config() -> None:
    """[timelines] takes "10wd"; the policy holds ten working days on the NCP's holiday calendar.
    (Working days where they do not belong: tests/workflow/test_config.py.)"""
    settings = parse_settings({"timelines": {"acknowledgement": "10wd"}}, source="site.toml")
    assert settings.policy.timelines[D.ACKNOWLEDGEMENT] == Duration(working_days=10)
    assert settings.policy.calendar.holiday_country == "NO"


def test_an_opened_case_keeps_working_day_deadlines_across_easter(app: Application) -> None:
    """Received Thu 10 Apr 2025: 10wd skips Easter (17, 18, 21 Apr) to Tue 29 Apr; 21wd skips
    1 May too: 30 Apr, 2, 5-9, 12-15 May are days 11-21, so Thu 15 May."""
    reference = open_one(app, received=APRIL_10)
    assert due_on(app, reference, D.ACKNOWLEDGEMENT) == date(2025, 4, 29)
    assert due_on(app, reference, D.INITIAL_ASSESSMENT) == date(2025, 5, 15)
    _, view = app.cases.show(reference=reference)
    shown = {d.name: d for d in view.deadlines}
    assert shown[D.ACKNOWLEDGEMENT].duration == "10wd"
    assert shown[D.ACKNOWLEDGEMENT].explanation == "received 10 Apr 2025 + 10 working days = 29 Apr 2025"
    _, norwegian = app.cases.show(reference=reference, language="nb")
    explained = {d.name: d.explanation for d in norwegian.deadlines}
    assert explained[D.ACKNOWLEDGEMENT] == "mottatt 10. apr. 2025 + 10 virkedager = 29. apr. 2025"


def test_a_pause_over_easter_moves_working_day_deadlines_by_the_working_days_paused(
    app: Application,
) -> None:
    """Paused Mon 14 to Tue 22 Apr 2025: three working days (14, 15, 16) stood still, so 29 Apr
    moves to Mon 5 May (1 May a holiday) and 15 May to Tue 20 May (16, then 19 and 20 May)."""
    reference = open_one(app, received=APRIL_10)
    app.cases.pause(reference=reference, actor="sek", reason="parallel proceedings", at=date(2025, 4, 14))
    app.cases.resume(reference=reference, actor="sek", at=date(2025, 4, 22))
    assert due_on(app, reference, D.ACKNOWLEDGEMENT) == date(2025, 5, 5)
    assert due_on(app, reference, D.INITIAL_ASSESSMENT) == date(2025, 5, 20)
    _, view = app.cases.show(reference=reference)
    explanation = next(d.explanation for d in view.deadlines if d.name == D.ACKNOWLEDGEMENT)
    assert ", + 3 working days paused (parallel proceedings, 14 Apr 2025–22 Apr 2025) = 5 May 2025" in (
        explanation
    )


def test_a_calendar_extension_of_a_working_day_deadline_ends_on_a_working_day(app: Application) -> None:
    """29 Apr 2025 + 4 days extended = Sat 3 May, which a working-day deadline rolls to Mon 5 May."""
    reference = open_one(app, received=APRIL_10)
    app.cases.extend(reference=reference, deadline="acknowledgement", actor="chair", reason="late", days=4)
    assert due_on(app, reference, D.ACKNOWLEDGEMENT) == date(2025, 5, 5)


def test_the_timelines_report_counts_a_working_day_timeline_in_calendar_days(app: Application) -> None:
    """Initial assessment 21wd from 10 Apr 2025 ends 15 May: 35 calendar days indicative."""
    open_one(app, received=APRIL_10)
    report = app.reports.timelines()
    row = next(r for r in report["stages"] if r["stage"] == "initial_assessment")
    assert row["indicative_days"] == (date(2025, 5, 15) - date(2025, 4, 10)).days == 35
