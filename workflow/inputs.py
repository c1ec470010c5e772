"""Turning what a user typed into the core's values, with messages that name the problem."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from states import limits
from states.calendar import CalendarRule
from states.errors import Input, InvalidInputError
from states.guidelines import EDITIONS, SUBMITTER_TYPES, THEMES
from states.messages import N_

if TYPE_CHECKING:
    from states.case import Case

E = TypeVar("E", bound=StrEnum)


def choice(enum: type[E], value: str, what: str) -> E:
    try:
        return enum(value)
    except ValueError:
        options = ", ".join(member.value for member in enum)
        raise InvalidInputError(f"unknown {what} '{value}'; one of: {options}") from None


SHOWN_MAX = 80  # characters of a refused value repeated in the message


def one_of(known: Iterable[str], value: str, kind: str, field: str) -> str:
    """`value` if it is among the names `known` (a procedure's states, triggers, outcomes or
    deadlines); else a refusal naming the input `field` and listing the names. `kind` is what the
    value is, marked with `N_` ("trigger")."""
    names = tuple(known)
    if value not in names:
        shown = value if len(value) <= SHOWN_MAX else value[:SHOWN_MAX] + "…"
        raise InvalidInputError(
            N_("{what}: unknown {kind} '{value}'; one of: {choices}"),
            what=Input("", field),
            kind=Input(kind),
            value=shown,
            choices=", ".join(names),
        )
    return str(value)


AT = Input("", "at")  # the effective time of a step: `--at`, the API's `at`
WHEN_MAX = 40  # characters: the longest ISO datetime with microseconds and offset is 32


def parse_when(text: str | None, what: str | Input) -> date | datetime:
    """A local date (YYYY-MM-DD) or an ISO datetime with an offset, within the bounds.

    The one parser of dates and times a user gives, on every entry point (command options,
    API bodies): empty text is refused (leave the option out to mean "now"), and so is any
    date before 1976 or after 2199 (`states.limits`), so every value it returns can be stored,
    read back and computed with."""
    if text is None or not text.strip():
        raise InvalidInputError(
            N_(
                "{what} is empty: give a date (YYYY-MM-DD) or an ISO datetime with offset, or "
                "leave it out to mean now"
            ),
            what=_input(what),
        )
    value = text.strip()
    shown = text if len(text) <= WHEN_MAX else text[:WHEN_MAX] + "…"
    try:
        if len(value) > WHEN_MAX:
            raise ValueError(value)
        if len(value) == 10:
            day = date.fromisoformat(value)
        else:
            day, instant = None, datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(
            N_(
                "{what} '{value}' is not a date (YYYY-MM-DD) or an ISO datetime with offset "
                "(e.g. 2025-03-31T23:30:00+00:00)"
            ),
            what=_input(what),
            value=shown,
        ) from None
    if day is not None:
        return limits.check_day(day, what)
    if instant.tzinfo is None:
        raise InvalidInputError(
            N_("{what} '{value}' has no UTC offset; add one (e.g. +01:00 or Z) or give a date"),
            what=_input(what),
            value=shown,
        )
    return limits.check_instant(instant, what)


def parse_day(text: str | None, what: str) -> date:
    """A date (YYYY-MM-DD) within the bounds, for options that take a day, not a time."""
    parsed = parse_when(text, what)
    if isinstance(parsed, datetime):
        raise InvalidInputError(f"{what} takes a date (YYYY-MM-DD), not a time")
    return parsed


def period(since: date | None, until: date | None) -> None:
    """`--from` and `--to` in order (either may be left out)."""
    if since is not None and until is not None and until < since:
        raise InvalidInputError(f"--to {until.isoformat()} is before --from {since.isoformat()}")


def year(value: int | None, what: str = "--year") -> int | None:
    """A report's year, within the bounds (None: every year)."""
    return None if value is None else limits.check_year(value, what)


def resolve_when(
    value: date | datetime | None,
    *,
    calendar: CalendarRule,
    now: datetime,
    not_before: datetime | None = None,
    what: str | Input,
) -> datetime:
    """The instant a user meant; a bare date is that local day, no earlier than `not_before`."""
    if value is None:
        instant = now
    elif isinstance(value, datetime):
        instant = value
    else:
        instant = calendar.start_of_day(value)
        if not_before is not None and calendar.local_date(not_before) == value:
            # "Today" for a step that follows another one today: keep the steps in order.
            instant = max(instant, not_before)
    if instant > now:
        raise InvalidInputError(
            N_("{what} {value} is in the future"), what=_input(what), value=_show(value, instant)
        )
    if not_before is not None and instant < not_before:
        raise InvalidInputError(
            N_("{what} {value} is before the case's last recorded step ({last})"),
            what=_input(what),
            value=_show(value, instant),
            last=not_before.isoformat(),
        )
    return instant


def step_at(value: date | datetime | None, *, case: Case, now: datetime) -> datetime:
    """When a step on `case` took effect (the input `at`, default now): never in the future,
    never before the case's last step (`Case.last_event_at`, itself an effective time)."""
    return resolve_when(value, calendar=case.calendar, now=now, not_before=case.last_event_at, what=AT)


def _input(what: str | Input) -> Input:
    return what if isinstance(what, Input) else Input(what)


def _show(value: date | datetime | None, instant: datetime) -> str:
    return value.isoformat() if value is not None else instant.isoformat()


def edition(value: str | None) -> str | None:
    """The Guidelines edition that applies (`states.guidelines.EDITIONS`): 1976 to 2023, or both
    (2011 and 2023, harm that continued past 8 June 2023)."""
    if value is None or value == "":
        return None
    if value not in EDITIONS:
        raise InvalidInputError(f"unknown Guidelines edition '{value}'; one of: {', '.join(EDITIONS)}")
    return value


def themes(values: list[str]) -> tuple[str, ...]:
    for value in values:
        if value not in THEMES:
            raise InvalidInputError(f"unknown theme '{value}'; one of: {', '.join(THEMES)}")
    return tuple(dict.fromkeys(values))


NOT_A_COUNTRY = N_("{what} '{value}' is not an ISO 3166 alpha-2 country code (e.g. NO, BR, MM)")


def country(value: str) -> str | None:
    """The ISO 3166 alpha-2 code `value` spells in either case, or None."""
    if len(value) != 2:
        return None
    import pycountry  # reads its package metadata on import: only commands given countries pay

    found = pycountry.countries.get(alpha_2=value.upper())
    return None if found is None else str(found.alpha_2)


def countries(values: list[str]) -> tuple[str, ...]:
    result = []
    for value in values:
        code = country(value)
        if code is None:
            raise InvalidInputError(NOT_A_COUNTRY, what=Input(N_("a country")), value=value)
        result.append(code)
    return tuple(dict.fromkeys(result))


def submitter_type(value: str | None) -> str | None:
    if value is not None and value not in SUBMITTER_TYPES:
        raise InvalidInputError(f"unknown submitter type '{value}'; one of: {', '.join(SUBMITTER_TYPES)}")
    return value


def org_number_pairs(values: list[str]) -> dict[str, str]:
    """`--org-number "NAME=NUMBER"` (repeat) as {NAME: NUMBER}; which party each names is the
    command's check (`workflow.commands.OpenCase`)."""
    found: dict[str, str] = {}
    for value in values:
        name, sep, number = value.rpartition("=")
        if not sep or not name.strip() or not number.strip():
            raise InvalidInputError(
                f"--org-number '{value}' should read NAME=NUMBER (e.g. \"Nordic Metals ASA=923456789\")"
            )
        found[name] = number
    return found
