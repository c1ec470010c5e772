"""Working-day durations ("10wd"): counted on the case's holiday calendar, paused and extended.

The convention: the start day never counts; the first working day after it is day 1. Expected
dates are worked out by hand from the Norwegian calendar (noted beside each), not copied from
the output.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from states.calendar import CalendarRule
from states.deadlines import Deadline, DeadlineStatus, Extension, PausedSpan
from states.durations import Duration
from states.errors import InvalidInputError
from tests.states import test_deadlines as deadlines
from translations import translator

NB = translator("nb")
NORWAY = CalendarRule("Europe/Oslo", holiday_country="NO")
WEEKDAYS = CalendarRule("Europe/Oslo")  # no holiday country: Monday to Friday


def make_deadline(basis: date, duration: str, **adjustments: Any) -> Deadline:
    """A deadline on Norway's calendar unless told; pauses and extensions as test_deadlines takes them."""
    paused_since = adjustments.pop("paused_since", None)
    adjustments.setdefault("calendar", NORWAY)
    return replace(deadlines.make_deadline(basis, duration, **adjustments), paused_since=paused_since)


def test_wd_parses_as_working_days_and_reads_back_the_same() -> None:
    """ "10wd" is ten working days; str() gives "10wd" back, as the deadlines table stores it."""
    ten = Duration.parse("10wd")
    assert ten == Duration(working_days=10)
    assert (ten.in_working_days, ten.is_positive, str(ten)) == (True, True, "10wd")
    assert Duration.parse(str(ten)) == ten
    assert Duration.parse(" 21 wd ") == Duration(working_days=21)
    assert not Duration.parse("14d").in_working_days


def test_calendar_parts_may_be_combined_and_read_back() -> None:
    """ "1mo15d" and "1y2w" are calendar durations; str() of one parses back to it."""
    assert Duration.parse("1mo15d") == Duration(months=1, days=15)
    assert Duration.parse("1y2w") == Duration(months=12, days=14)
    assert Duration.parse(str(Duration(months=1, days=15))) == Duration(months=1, days=15)


@pytest.mark.parametrize(
    ("count", "english", "norwegian"),
    [(10, "10 working days", "10 virkedager"), (1, "1 working day", "1 virkedag")],
)
def test_working_days_are_described_in_either_language(count: int, english: str, norwegian: str) -> None:
    """describe() says "working days" in English and "virkedager" in Norwegian bokmål."""
    assert Duration(working_days=count).describe() == english
    assert Duration(working_days=count).describe(NB) == norwegian


@pytest.mark.parametrize("text", ["1mo10wd", "10wd1y", "2w3wd", "5d5wd"])
def test_working_days_mixed_with_calendar_units_are_refused(text: str) -> None:
    """Working days and calendar time cannot be added into one duration: the message says so."""
    with pytest.raises(InvalidInputError, match="mixes working days") as caught:
        Duration.parse(text)
    assert f"'{text}'" in str(caught.value)
    with pytest.raises(InvalidInputError, match="mixes working days"):
        Duration(months=1, working_days=10)


@pytest.mark.parametrize("text", ["10w d", "wd", "10 working days", "1.5wd", "-2wd", "10dw"])
def test_other_spellings_of_working_days_are_not_durations(text: str) -> None:
    """Anything but a whole number followed by wd is refused, naming the wd unit."""
    with pytest.raises(InvalidInputError, match=r"is not a duration.*wd \(working days\)"):
        Duration.parse(text)


def test_a_working_day_duration_needs_a_calendar() -> None:
    """Without a calendar there is no saying which days are working days."""
    with pytest.raises(ValueError, match="working days"):
        Duration.parse("10wd").added_to(date(2025, 4, 10))


@pytest.mark.parametrize(
    ("start", "count", "due", "why"),
    [
        (date(2025, 1, 6), 1, date(2025, 1, 7), "Monday: the next day, Tuesday, is day 1"),
        (date(2025, 1, 6), 5, date(2025, 1, 13), "Monday + 5: Tue, Wed, Thu, Fri, Mon"),
        (date(2025, 1, 10), 1, date(2025, 1, 13), "Friday: the weekend does not count"),
        (date(2025, 1, 11), 1, date(2025, 1, 13), "Saturday: Sunday is no working day"),
        (date(2025, 4, 16), 1, date(2025, 4, 22), "Easter: Maundy Thu 17, Good Fri 18, Easter Mon 21"),
        (date(2025, 4, 11), 5, date(2025, 4, 23), "Fri 11 Apr: Mon 14, Tue 15, Wed 16, Tue 22, Wed 23"),
        (date(2025, 4, 30), 1, date(2025, 5, 2), "1 May (Thursday) is a public holiday"),
        (date(2024, 5, 16), 1, date(2024, 5, 21), "17 May 2024 (Fri), weekend, Whit Monday 20 May"),
        (date(2025, 12, 23), 1, date(2025, 12, 24), "Christmas Eve is a working day in the calendar"),
        (date(2025, 12, 23), 2, date(2025, 12, 29), "25 and 26 Dec (Thu, Fri) and the weekend"),
        (date(2025, 12, 31), 1, date(2026, 1, 2), "New Year's Day, across the year"),
    ],
)
def test_working_days_skip_weekends_and_norwegian_public_holidays(
    start: date, count: int, due: date, why: str
) -> None:
    """The count-th working day after the start, on Norway's holiday calendar."""
    assert Duration(working_days=count).added_to(start, NORWAY) == due, why


def test_without_a_holiday_country_only_weekends_are_days_off() -> None:
    """A calendar without a holiday country counts Maundy Thursday as a working day."""
    assert Duration.parse("1wd").added_to(date(2025, 4, 16), WEEKDAYS) == date(2025, 4, 17)


@given(
    start=st.dates(min_value=date(1976, 1, 1), max_value=date(2199, 12, 31)),
    count=st.integers(min_value=1, max_value=260),
)
def test_a_working_day_due_date_is_a_working_day_n_working_days_after_the_start(
    start: date, count: int
) -> None:
    """Due is a working day, and exactly N working days lie after the start up to and including it."""
    due = Duration(working_days=count).added_to(start, NORWAY)
    assert NORWAY.is_working_day(due)
    assert NORWAY.working_days_in(start + timedelta(days=1), due + timedelta(days=1)) == count


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_a_working_day_deadline_is_due_on_the_tenth_working_day_across_easter() -> None:
    """Received Thu 10 Apr 2025 + 10wd: 11, 14, 15, 16, (Easter 17-21), 22, 23, 24, 25, 28, 29 Apr."""
    deadline = make_deadline(date(2025, 4, 10), "10wd")
    assert deadline.due == date(2025, 4, 29)
    assert deadline.explain() == "received 10 Apr 2025 + 10 working days = 29 Apr 2025"
    assert deadline.explain(tr=NB) == "mottatt 10. apr. 2025 + 10 virkedager = 29. apr. 2025"
    assert deadline.status(date(2025, 4, 29)) is DeadlineStatus.OPEN
    assert deadline.status(date(2025, 4, 30)) is DeadlineStatus.OVERDUE


def test_a_pause_moves_a_working_day_deadline_by_the_working_days_it_took() -> None:
    """Paused Mon 14 to Tue 22 Apr 2025 (8 days, 3 working: 14, 15, 16): 29 Apr + 3wd = 5 May."""
    pause = PausedSpan(date(2025, 4, 14), date(2025, 4, 22), "parallel proceedings")
    deadline = make_deadline(date(2025, 4, 10), "10wd", pauses=(pause,))
    # 29 Apr + 3 working days: Wed 30 Apr, (1 May a holiday), Fri 2 May, Mon 5 May.
    assert deadline.due == date(2025, 5, 5)
    assert deadline.explain() == (
        "received 10 Apr 2025 + 10 working days = 29 Apr 2025"
        ", + 3 working days paused (parallel proceedings, 14 Apr 2025–22 Apr 2025) = 5 May 2025"
    )
    assert deadline.explain(tr=NB) == (
        "mottatt 10. apr. 2025 + 10 virkedager = 29. apr. 2025"
        ", + 3 virkedager på vent (parallel proceedings, 14. apr. 2025–22. apr. 2025) = 5. mai 2025"
    )


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    count=st.integers(min_value=1, max_value=60),
    offset=st.integers(min_value=1, max_value=80),
    length=st.integers(min_value=1, max_value=30),
)
def test_a_paused_working_day_deadline_counts_working_days_outside_the_pause(
    start: date, count: int, offset: int, length: int
) -> None:
    """With a pause from after the start to past or before the due date, due is the N-th working
    day after the start that is not paused: the paused working days simply do not count."""
    pause = PausedSpan(start + timedelta(days=offset), start + timedelta(days=offset + length), "pause")
    deadline = make_deadline(start, f"{count}wd", pauses=(pause,))
    unpaused = Duration(working_days=count).added_to(start, NORWAY)
    counted = [
        day
        for day in _days(start + timedelta(days=1), deadline.due)
        if NORWAY.is_working_day(day) and not pause.start <= day < pause.end
    ]
    if pause.start <= unpaused:
        assert len(counted) == count and counted[-1] == deadline.due
    assert NORWAY.is_working_day(deadline.due)


def test_a_pause_over_a_weekend_alone_does_not_move_a_working_day_deadline() -> None:
    """Paused Sat 12 to Mon 14 Apr 2025: no working day stood still, the due date stays 29 Apr."""
    pause = PausedSpan(date(2025, 4, 12), date(2025, 4, 14), "weekend")
    assert make_deadline(date(2025, 4, 10), "10wd", pauses=(pause,)).due == date(2025, 4, 29)


def test_a_calendar_extension_landing_on_a_day_off_rolls_to_the_next_working_day() -> None:
    """29 Apr 2025 + 4 days = Sat 3 May; a working-day deadline falls due on Mon 5 May."""
    extension = Extension(Duration.parse("4d"), "translation awaited", "chair")
    deadline = make_deadline(date(2025, 4, 10), "10wd", extensions=(extension,))
    assert deadline.unrolled_due == date(2025, 5, 3)
    assert deadline.due == date(2025, 5, 5)
    assert deadline.explain().endswith(
        ", + 4 days extended (translation awaited; approved by chair) = 3 May 2025"
        ", rolled to the next working day = 5 May 2025"
    )


def test_a_calendar_deadline_still_rolls_only_when_the_calendar_says_so() -> None:
    """14 days from Sat 19 Apr 2025 is Sat 3 May: it stays there unless the calendar rolls."""
    assert make_deadline(date(2025, 4, 19), "14d").due == date(2025, 5, 3)
    rolling = CalendarRule("Europe/Oslo", roll_to_working_day=True, holiday_country="NO")
    assert make_deadline(date(2025, 4, 19), "14d", calendar=rolling).due == date(2025, 5, 5)


def test_a_paused_working_day_deadline_says_working_days_move_it() -> None:
    """While paused, the explanation says the paused working days move the due date, in en and nb."""
    deadline = make_deadline(date(2025, 4, 10), "10wd", paused_since=date(2025, 4, 14))
    assert deadline.explain().endswith(
        "; paused since 14 Apr 2025: the due date moves on by the working days paused when the case resumes"
    )
    assert deadline.explain(tr=NB).endswith(
        "; på vent siden 14. apr. 2025: fristen flyttes med antallet virkedager på vent når saken gjenopptas"
    )
