"""Dates known to the day or only to the month (historical cases: "2007-02").

A date with month precision keeps it: it is stored as the first day of its month with the
precision beside it, shown as `2007-02`, never with an invented day, and a day count from it is
approximate. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"


_SHAPE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?", re.ASCII)  # ASCII digits only, not other scripts' digits


@dataclass(frozen=True, order=True)
class HistoricalDate:
    """A day (`2019-03-14`) or a month (`2007-02`, kept as its first day)."""

    first_day: date
    precision: Precision = Precision.DAY

    @classmethod
    def parse(cls, text: str) -> HistoricalDate:
        """`YYYY-MM-DD` or `YYYY-MM`; ValueError naming the value otherwise."""
        found = _SHAPE.fullmatch(text)
        if found is None:
            raise ValueError(f"'{text}' is not a date (YYYY-MM-DD) or a month (YYYY-MM)")
        year, month, day = found.groups()
        try:
            first = date(int(year), int(month), int(day or 1))
        except ValueError:
            raise ValueError(f"'{text}' is not a date of the calendar") from None
        return cls(first, Precision.DAY if day else Precision.MONTH)

    @property
    def approximate(self) -> bool:
        return self.precision is Precision.MONTH

    @property
    def month(self) -> tuple[int, int]:
        return self.first_day.year, self.first_day.month

    def __str__(self) -> str:
        return shown(self.first_day, self.precision)

    def not_before(self, earlier: HistoricalDate) -> bool:
        """Whether this date may follow `earlier`: by the day when both are days, else by month."""
        if self.approximate or earlier.approximate:
            return self.month >= earlier.month
        return self.first_day >= earlier.first_day


def shown(day: date, precision: Precision | str = Precision.DAY) -> str:
    """`day` as ISO, or only its month (`2007-02`) when that is all that is known."""
    return day.isoformat()[:7] if precision == Precision.MONTH else day.isoformat()
