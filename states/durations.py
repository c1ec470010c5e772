"""Durations written as in config.toml: "14d", "2w", "3mo", "1y"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from states import wording
from states.errors import InvalidInputError
from states.messages import ENGLISH, Translator

_PATTERN = re.compile(r"^\s*(\d+)\s*(d|w|mo|y)\s*$")


@dataclass(frozen=True, order=True)
class Duration:
    """Calendar months and days. Months are added first, clamped to month end (31 Jan + 1mo = 28 Feb)."""

    months: int = 0
    days: int = 0

    @classmethod
    @lru_cache(maxsize=256)
    def parse(cls, text: str) -> Duration:
        match = _PATTERN.match(text) if isinstance(text, str) else None
        if not match:
            raise InvalidInputError(
                f"'{text}' is not a duration; write a whole number and a unit: d, w, mo or y "
                '(e.g. "14d", "3mo")'
            )
        amount, unit = int(match.group(1)), match.group(2)
        if unit == "d":
            return cls(days=amount)
        if unit == "w":
            return cls(days=7 * amount)
        if unit == "mo":
            return cls(months=amount)
        return cls(months=12 * amount)

    def added_to(self, start: date) -> date:
        if not self.months:
            return start + timedelta(days=self.days)
        return _add_months(start, self.months, self.days)

    def __str__(self) -> str:
        parts = []
        if self.months:
            parts.append(f"{self.months}mo")
        if self.days or not parts:
            parts.append(f"{self.days}d")
        return "".join(parts)

    def describe(self, tr: Translator = ENGLISH) -> str:
        """ "3 months", "14 days"; "3 måneder", "14 dager" in Norwegian bokmål."""
        parts = []
        if self.months:
            parts.append(wording.months(self.months, tr))
        if self.days or not parts:
            parts.append(wording.days(self.days, tr))
        return " ".join(parts)

    @property
    def is_positive(self) -> bool:
        return self.months > 0 or self.days > 0


@lru_cache(maxsize=4096)
def _add_months(start: date, months: int, days: int) -> date:
    # relativedelta costs ~10 µs a call and every view of a case asks for several sums.
    result: date = start + relativedelta(months=months, days=days)
    return result
