"""The two definitions shipped beside oecd-2023, each deadline rule through the real use cases
on SQLite: the EU Whistleblowing Directive's external channel (calendar days and months, a capped
extension) and a development bank's complaints mechanism (working days, across Norwegian
holidays). Expected dates are worked out by hand from the calendar, noted beside each."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from states.errors import StepRefusedError
from tests.conftest import make_settings
from tests.dbdump import dump
from tests.helpers import open_one
from workflow import procedures
from workflow.application import Application
from workflow.bootstrap import bootstrap
from workflow.clock import FixedClock

NOW = datetime(2026, 6, 30, 10, 0, tzinfo=UTC)
APRIL_10 = date(2025, 4, 10)  # a Thursday, a week before Easter 2025


def _app(url: str, definition: str) -> Application:
    settings = make_settings(
        url, ncp={"timezone": "Europe/Oslo", "country": "NO"}, procedure={"definition": definition}
    )
    return bootstrap(settings, clock=FixedClock(NOW))


@pytest.fixture
def eu(sqlite_url: str) -> Iterator[Application]:
    built = _app(sqlite_url, "eu-whistleblowing-2019")
    yield built
    built.close()


@pytest.fixture
def bank(sqlite_url: str) -> Iterator[Application]:
    built = _app(sqlite_url, "bank-complaints")
    yield built
    built.close()


def _step(app: Application, reference: str, trigger: str, on: date, outcome: str | None = None) -> None:
    app.cases.advance(reference=reference, trigger=trigger, actor="sek", reason="r", outcome=outcome, at=on)


def state_and_met_on(app: Application, reference: str, name: str) -> tuple[str, date | None]:
    """The case's state, and the day its deadline `name` was met (None while it runs)."""
    case = app.cases.get(reference=reference)
    deadline = case.deadline(name)
    assert deadline is not None, name
    return case.state, deadline.met_on


def due_on(app: Application, reference: str, name: str) -> date:
    """The due date of the case's deadline `name`, as the use case reads it back."""
    deadline = app.cases.get(reference=reference).deadline(name)
    assert deadline is not None, name
    return deadline.due


def test_three_definitions_are_shipped_and_each_reads_cleanly() -> None:
    """oecd-2023 and the two more that prove the engine general are in the package and valid."""
    assert procedures.shipped_ids() == ("bank-complaints", "eu-whistleblowing-2019", "oecd-2023")
    for ident in procedures.shipped_ids():
        assert procedures.shipped(ident).id == ident


# ---------------------------------------------------------------- eu-whistleblowing-2019


def test_a_whistleblowing_report_is_acknowledged_within_seven_calendar_days(eu: Application) -> None:
    """Art. 11(2)(b): received Thu 10 Apr 2025 + 7 days = Thu 17 Apr (Maundy Thursday: calendar
    days, no roll); acknowledging on 14 Apr meets it, and follow-up begins."""
    reference = open_one(eu, received=APRIL_10)
    assert due_on(eu, reference, "acknowledgement") == date(2025, 4, 17)
    _step(eu, reference, "acknowledge", date(2025, 4, 14))
    assert state_and_met_on(eu, reference, "acknowledgement") == ("follow_up", date(2025, 4, 14))


def test_whistleblowing_feedback_is_due_three_months_after_receipt(eu: Application) -> None:
    """Art. 11(2)(d): 10 Apr 2025 + 3 months = 10 Jul 2025, open through follow-up, met by feedback."""
    reference = open_one(eu, received=APRIL_10)
    assert due_on(eu, reference, "feedback") == date(2025, 7, 10)
    _step(eu, reference, "acknowledge", date(2025, 4, 14))
    assert due_on(eu, reference, "feedback") == date(2025, 7, 10)
    _step(eu, reference, "give_feedback", date(2025, 7, 1))
    assert state_and_met_on(eu, reference, "feedback") == ("investigation", date(2025, 7, 1))
    _step(eu, reference, "conclude", date(2025, 9, 1), outcome="action_taken")
    assert eu.cases.get(reference=reference).outcome == "action_taken"


def test_whistleblowing_feedback_may_be_extended_to_six_months_and_no_further(
    eu: Application, sqlite_url: str
) -> None:
    """Duly justified cases: 2 months, then 1 more, move 10 Jul 2025 to 10 Oct (six months from
    receipt); one more day is refused naming the cap, and nothing is written."""
    reference = open_one(eu, received=APRIL_10)
    eu.cases.extend(reference=reference, deadline="feedback", actor="chair", reason="complex", months=2)
    assert due_on(eu, reference, "feedback") == date(2025, 9, 10)
    eu.cases.extend(reference=reference, deadline="feedback", actor="chair", reason="complex", months=1)
    assert due_on(eu, reference, "feedback") == date(2025, 10, 10)
    before = dump(sqlite_url)
    with pytest.raises(StepRefusedError) as refused:
        eu.cases.extend(reference=reference, deadline="feedback", actor="chair", reason="more", days=1)
    assert "may be extended by 3 months at most in all under procedure 'eu-whistleblowing-2019'" in str(
        refused.value
    )
    assert "to 2025-10-10; this extension would move it to 2025-10-11" in str(refused.value)
    assert dump(sqlite_url) == before


def test_a_whistleblowing_extension_beyond_the_cap_in_one_step_is_refused(eu: Application) -> None:
    """93 days from 10 Jul 2025 is 11 Oct, a day past 10 Jul + 3 months; 92 days is allowed."""
    reference = open_one(eu, received=APRIL_10)
    with pytest.raises(StepRefusedError, match="3 months at most"):
        eu.cases.extend(reference=reference, deadline="feedback", actor="chair", reason="r", days=93)
    eu.cases.extend(reference=reference, deadline="feedback", actor="chair", reason="r", days=92)
    assert due_on(eu, reference, "feedback") == date(2025, 10, 10)


def test_a_pause_does_not_use_up_the_whistleblowing_extension(eu: Application) -> None:
    """Paused 14 to 24 Apr 2025 (10 days): feedback falls due 20 Jul; three months more, 20 Oct,
    are still allowed, and a day beyond is refused."""
    reference = open_one(eu, received=APRIL_10)
    eu.cases.pause(reference=reference, actor="sek", reason="evidence awaited", at=date(2025, 4, 14))
    eu.cases.resume(reference=reference, actor="sek", at=date(2025, 4, 24))
    assert due_on(eu, reference, "feedback") == date(2025, 7, 20)
    eu.cases.extend(reference=reference, deadline="feedback", actor="chair", reason="complex", months=3)
    assert due_on(eu, reference, "feedback") == date(2025, 10, 20)
    with pytest.raises(StepRefusedError, match="to 2025-10-20; this extension would move it to 2025-10-21"):
        eu.cases.extend(reference=reference, deadline="feedback", actor="chair", reason="more", days=1)


# ---------------------------------------------------------------- bank-complaints


def test_a_bank_complaint_is_registered_within_ten_working_days_across_easter(bank: Application) -> None:
    """Received Thu 10 Apr 2025: 11, 14, 15, 16 Apr are days 1-4; Maundy Thursday 17, Good Friday
    18, the weekend and Easter Monday 21 do not count; 22-25, 28 and 29 Apr are days 5-10."""
    reference = open_one(bank, received=APRIL_10)
    assert due_on(bank, reference, "registration") == date(2025, 4, 29)
    _, view = bank.cases.show(reference=reference)
    registration = next(d for d in view.deadlines if d.name == "registration")
    assert (registration.duration, registration.due) == ("10wd", date(2025, 4, 29))
    assert registration.explanation == "received 10 Apr 2025 + 10 working days = 29 Apr 2025"


def test_a_registered_bank_complaint_is_processed_within_forty_working_days(bank: Application) -> None:
    """Registered Wed 16 Apr 2025, counted from that step: Easter (17, 18, 21 Apr), 1 May,
    Ascension (29 May) and Whit Monday (9 Jun) do not count; 17 May 2025 is a Saturday anyway.
    Days 1-7: 22-25, 28-30 Apr; 8-18: 2, 5-9, 12-16 May; 19-27: 19-23, 26-28, 30 May;
    28-32: 2-6 Jun; 33-40: 10-13, 16-19 Jun. Due Thu 19 Jun 2025."""
    reference = open_one(bank, received=APRIL_10)
    _step(bank, reference, "register", date(2025, 4, 16))
    assert state_and_met_on(bank, reference, "registration") == ("processing", date(2025, 4, 16))
    assert due_on(bank, reference, "processing") == date(2025, 6, 19)


def test_the_draft_report_consultation_runs_ten_working_days_over_christmas(bank: Application) -> None:
    """Draft issued Tue 23 Dec 2025: 24 Dec (a working day in the calendar) is day 1; 25 and 26
    Dec, the weekend and 1 Jan do not; 29-31 Dec, 2 Jan, 5-9 Jan are days 2-10: Fri 9 Jan 2026."""
    reference = open_one(bank, received=APRIL_10)
    _step(bank, reference, "register", date(2025, 4, 16))
    _step(bank, reference, "issue_draft", date(2025, 12, 23))
    assert due_on(bank, reference, "consultation") == date(2026, 1, 9)


def test_the_final_reply_is_due_twenty_working_days_after_the_report_is_final(bank: Application) -> None:
    """Finalised Tue 12 May 2026: Ascension (14 May) and Whit Monday (25 May) do not count, and
    17 May 2026 is a Sunday. Days 1-7: 13, 15, 18-22 May; 8-16: 26-29 May, 1-5 Jun; 17-20:
    8-11 Jun. Due Thu 11 Jun 2026; the reply closes the case with its outcome."""
    reference = open_one(bank, received=APRIL_10)
    _step(bank, reference, "register", date(2025, 4, 16))
    _step(bank, reference, "issue_draft", date(2025, 12, 23))
    _step(bank, reference, "finalise", date(2026, 5, 12))
    assert due_on(bank, reference, "final_reply") == date(2026, 6, 11)
    _step(bank, reference, "reply", date(2026, 6, 5), outcome="recommendations")
    assert state_and_met_on(bank, reference, "final_reply") == ("closed", date(2026, 6, 5))
    assert bank.cases.get(reference=reference).outcome == "recommendations"


def test_a_pause_over_easter_moves_the_bank_registration_by_the_working_days_paused(
    bank: Application,
) -> None:
    """Paused Mon 14 to Tue 22 Apr 2025 (14, 15, 16 Apr: three working days): 29 Apr moves on to
    Wed 30 Apr, Fri 2 May (1 May a holiday) and Mon 5 May."""
    reference = open_one(bank, received=APRIL_10)
    bank.cases.pause(reference=reference, actor="sek", reason="information awaited", at=date(2025, 4, 14))
    bank.cases.resume(reference=reference, actor="sek", at=date(2025, 4, 22))
    assert due_on(bank, reference, "registration") == date(2025, 5, 5)
