"""Dates known to the day or only to the month: parsed, shown and ordered without inventing a day."""

from __future__ import annotations

from datetime import date

import pytest

from states.precision import HistoricalDate, Precision, shown


def test_a_day_and_a_month_are_parsed_with_their_precision_and_shown_as_given() -> None:
    """`2019-03-14` is a day; `2007-02` is February 2007, kept as its first day, shown as a month."""
    day, month = HistoricalDate.parse("2019-03-14"), HistoricalDate.parse("2007-02")
    assert (day.first_day, day.precision, str(day)) == (date(2019, 3, 14), Precision.DAY, "2019-03-14")
    assert (month.first_day, month.precision, str(month)) == (date(2007, 2, 1), Precision.MONTH, "2007-02")
    assert month.approximate and not day.approximate
    assert shown(date(2007, 2, 1), "month") == "2007-02" and shown(date(2007, 2, 1)) == "2007-02-01"


@pytest.mark.parametrize(
    "text", ["2007", "2007-2", "2007-13", "2007-02-30", "07-02", "2007/02", "2007-02-1x"]
)
def test_anything_else_is_refused_naming_the_value(text: str) -> None:
    """Neither a day nor a month of the calendar: a ValueError that quotes it."""
    with pytest.raises(ValueError, match=f"'{text}'"):
        HistoricalDate.parse(text)


@pytest.mark.parametrize(
    ("later", "earlier", "ordered"),
    [
        ("2007-02-20", "2007-02-10", True),
        ("2007-02-10", "2007-02-20", False),
        ("2007-02", "2007-02-20", True),  # some day of February: not known to be earlier
        ("2007-02-01", "2007-02", True),
        ("2007-01", "2007-02-20", False),
        ("2007-01-31", "2007-02", False),
    ],
)
def test_order_is_by_the_day_where_both_are_days_else_by_the_month(
    later: str, earlier: str, ordered: bool
) -> None:
    """A month may follow any day of the same month; a day may not precede a known day."""
    assert HistoricalDate.parse(later).not_before(HistoricalDate.parse(earlier)) is ordered
