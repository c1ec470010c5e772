"""Durations written as in config.toml: "14d", "2w", "3mo", "1y", "1mo15d"; working days "10wd"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from states import wording
from states.errors import InvalidInputError
from states.messages import ENGLISH, Translator

if TYPE_CHECKING:
    from states.calendar import CalendarRule

_WHOLE = re.compile(r"^\s*(?:\d+\s*(?:wd|d|w|mo|y)\s*)+$")
_PART = re.compile(r"(\d+)\s*(wd|d|w|mo|y)")
_MIXED = (
    "'{text}' mixes working days (wd) with calendar days, weeks, months or years; count in one or the other"
)


@dataclass(frozen=True, order=True)
class Duration:
    """Calendar months and days, or working days; never both.

    Months are added first, clamped to month end (31 Jan + 1mo = 28 Feb), then days. Working
    days are counted on a calendar (`CalendarRule.add_working_days`): the start day never counts,
    the first working day after it is day 1, and weekends and the public holidays of the
    calendar's `holiday_country` are skipped, so "10wd" from a Monday is the Monday two weeks on
    and a working-day due date is always a working day."""

    months: int = 0
    days: int = 0
    working_days: int = 0

    def __post_init__(self) -> None:
        if self.working_days and (self.months or self.days):
            text = f"{self.months}mo{self.days}d{self.working_days}wd"
            raise InvalidInputError(_MIXED.format(text=text))

    @classmethod
    @lru_cache(maxsize=256)
    def parse(cls, text: str) -> Duration:
        if not isinstance(text, str) or not _WHOLE.match(text):
            raise InvalidInputError(
                f"'{text}' is not a duration; write a whole number and a unit: d, w, mo, y or "
                'wd (working days), e.g. "14d", "3mo", "10wd"'
            )
        amounts = {"d": 0, "w": 0, "mo": 0, "y": 0, "wd": 0}
        for amount, unit in _PART.findall(text):
            amounts[unit] += int(amount)
        months, days = amounts["mo"] + 12 * amounts["y"], amounts["d"] + 7 * amounts["w"]
        if amounts["wd"] and (months or days):
            raise InvalidInputError(_MIXED.format(text=text.strip()))
        return cls(months=months, days=days, working_days=amounts["wd"])

    @property
    def in_working_days(self) -> bool:
        """Whether this counts working days ("10wd") rather than calendar time."""
        return self.working_days > 0

    def added_to(self, start: date, calendar: CalendarRule | None = None) -> date:
        """`start` plus this duration; working days are counted on `calendar`, which they need."""
        if self.working_days:
            if calendar is None:
                raise ValueError(f"{self} counts working days: say on which calendar")
            return calendar.add_working_days(start, self.working_days)
        if not self.months:
            return start + timedelta(days=self.days)
        return _add_months(start, self.months, self.days)

    def __str__(self) -> str:
        if self.working_days:
            return f"{self.working_days}wd"
        parts = []
        if self.months:
            parts.append(f"{self.months}mo")
        if self.days or not parts:
            parts.append(f"{self.days}d")
        return "".join(parts)

    def describe(self, tr: Translator = ENGLISH) -> str:
        """ "3 months", "14 days", "10 working days"; "3 måneder", "14 dager", "10 virkedager"
        in Norwegian bokmål."""
        if self.working_days:
            return wording.working_days(self.working_days, tr)
        parts = []
        if self.months:
            parts.append(wording.months(self.months, tr))
        if self.days or not parts:
            parts.append(wording.days(self.days, tr))
        return " ".join(parts)

    @property
    def is_positive(self) -> bool:
        return self.months > 0 or self.days > 0 or self.working_days > 0


@lru_cache(maxsize=4096)
def _add_months(start: date, months: int, days: int) -> date:
    # relativedelta costs ~10 µs a call and every view of a case asks for several sums.
    result: date = start + relativedelta(months=months, days=days)
    return result
