"""Local dates in the NCP's zone; working days (weekends and public holidays off); the optional roll."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from states.errors import InvalidInputError

if TYPE_CHECKING:
    import holidays


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(f"'{name}' is not a known time zone (e.g. Europe/Oslo)") from None


@dataclass(frozen=True)
class CalendarRule:
    """The calendar a case keeps for its whole life: zone, and whether due dates avoid days off."""

    timezone: str = "Europe/Oslo"
    roll_to_working_day: bool = False
    holiday_country: str | None = None

    def local_date(self, instant: datetime) -> date:
        return to_local_date(instant, self.timezone)

    def start_of_day(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=zone(self.timezone)).astimezone(UTC)

    def roll(self, day: date) -> date:
        """The first working day on or after `day` when rolling is on; `day` itself otherwise."""
        return self.next_working_day(day) if self.roll_to_working_day else day

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday, and not a public holiday of `holiday_country` (when one is set)."""
        return day.weekday() < 5 and day not in _days_off(self.holiday_country, day.year)

    def next_working_day(self, day: date) -> date:
        """The first working day on or after `day`, whether rolling is on or not."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start`: "within 10 working days" of a Monday letter.

        `start` itself never counts, working day or not; the day after it is day 1 when it is
        a working day, and every weekend day and public holiday is skipped. So the result is
        always a working day (for `count` > 0), and exactly `count` working days lie after
        `start` up to and including it. Cached: every view of a case asks again."""
        return _add_working_days(start, count, self.holiday_country)

    def working_days_in(self, start: date, end: date) -> int:
        """How many working days lie from `start` up to, not including, `end`."""
        return _working_days_in(start, end, self.holiday_country)


def to_local_date(instant: datetime, timezone: str) -> date:
    if instant.tzinfo is None:
        raise InvalidInputError(f"{instant.isoformat()} has no UTC offset; times must be explicit")
    return instant.astimezone(zone(timezone)).date()


@lru_cache(maxsize=4096)
def _add_working_days(start: date, count: int, country: str | None) -> date:
    day = start
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in _days_off(country, day.year):
            count -= 1
    return day


@lru_cache(maxsize=4096)
def _working_days_in(start: date, end: date, country: str | None) -> int:
    count, day = 0, start
    while day < end:
        if day.weekday() < 5 and day not in _days_off(country, day.year):
            count += 1
        day += timedelta(days=1)
    return count


@lru_cache(maxsize=1024)
def _days_off(country: str | None, year: int) -> frozenset[date]:
    """The public holidays of `country` in `year` (none without a country): a set, because a
    lookup in the holidays object costs microseconds and working days are counted one by one."""
    if country is None:
        return frozenset()
    table = _holidays(country)
    _ = date(year, 1, 1) in table  # the lookup fills in the year
    return frozenset(day for day in table if day.year == year)


@lru_cache(maxsize=16)
def _holidays(country: str) -> holidays.HolidayBase:
    # The holidays object fills in further years by itself as dates are looked up. Loading a
    # country loads the package's every country (~100 ms), so it happens only here: the first
    # time a due date is rolled, never at import or when the config is read.
    import holidays

    check_holiday_country(country)
    return holidays.country_holidays(country)


def check_holiday_country(country: str) -> None:
    """Refuse a name the holidays package does not know, from its registry of names alone."""
    if country not in _holiday_names():
        raise InvalidInputError(f"'{country}' is not a country the holidays package knows")


@lru_cache(maxsize=1)
def _holiday_names() -> frozenset[str]:
    # The names `holidays.country_holidays` takes: each country's class name and its codes.
    countries = _registry_literal()
    if countries is None:
        from holidays.registry import COUNTRIES

        countries = COUNTRIES
    return frozenset(name for names in countries.values() for name in names)


def _registry_literal() -> dict[str, tuple[str, ...]] | None:
    """The package's `COUNTRIES` registry read from its source, without importing it.

    Every command checks the configured `holiday_country`, and importing even the registry
    runs the package (its base class, dateutil, its version from the installed metadata):
    about a tenth of a short command's start-up (benchmarks/startup.py). The registry is a
    dict literal of string tuples, read here entry by entry; if anything in it is not such an
    entry (a layout this does not know), the answer is None and the caller imports it."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("holidays")  # a top-level package: found, not run
    folders = (spec.submodule_search_locations or []) if spec else []
    try:
        text = Path(next(iter(folders)), "registry.py").read_text(encoding="utf-8")
    except (OSError, StopIteration, UnicodeError):
        return None
    begin = text.find(_REGISTRY_START)
    end = text.find("\n}\n", begin)
    if begin < 0 or end < 0:
        return None
    body, found, at = text[begin + len(_REGISTRY_START) : end], {}, 0
    entries = re.compile(r'\s*"(?P<key>\w+)":\s*\((?P<names>(?:\s*"\w+",?)+)\s*\),')
    while (entry := entries.match(body, at)) is not None:
        found[entry["key"]] = tuple(re.findall(r'"(\w+)"', entry["names"]))
        at = entry.end()
    return found if found and not body[at:].strip() else None


_REGISTRY_START = "\nCOUNTRIES: RegistryDict = {"
