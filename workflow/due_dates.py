"""The calendar of due dates: a month (`2026-12`) or an ISO week (`2026-W49`) of open deadlines,
each on the day it falls due, as a reader may see them (titles redacted for auditors).

A period's key is what the URL carries; a malformed or out-of-range key is refused naming its
parameter (`month`, `week`). Months and weeks run within the dates ncpflow takes (1976-2199);
the first and the last have no period before or after them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from states.errors import Input, InvalidInputError
from states.limits import EARLIEST_DAY, LATEST_DAY
from states.messages import N_
from states.users import User
from workflow import read_models
from workflow import redaction as redactions
from workflow.ports import UnitOfWork

MONTH = Input(N_("month"), "month")
WEEK = Input(N_("week"), "week")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")  # ASCII digits: \d takes any script's
_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
_SHOWN = 40  # characters of a refused value repeated in the refusal


@dataclass(frozen=True)
class Period:
    """A month or an ISO week: its key, first and last day, and the keys before and after."""

    kind: Literal["month", "week"]
    key: str
    start: date
    end: date
    previous: str | None
    next: str | None


NOT_A_MONTH = N_(
    "{what}: '{value}' is not a month from {earliest} to {latest}; write it as YYYY-MM, e.g. {example}"
)
NOT_A_WEEK = N_(
    "{what}: '{value}' is not an ISO week from {earliest} to {latest}; write it as YYYY-Www, e.g. {example}"
)


def _refused(
    message: str, what: Input, value: str, earliest: str, latest: str, example: str
) -> InvalidInputError:
    """The refusal of a malformed or out-of-range `month` or `week`, naming it."""
    return InvalidInputError(
        message,
        what=what,
        value=value[:_SHOWN],
        earliest=earliest,
        latest=latest,
        example=example,
    )


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _within(year: int) -> bool:
    return EARLIEST_DAY.year <= year <= LATEST_DAY.year


def month(value: str | None, today: date) -> Period:
    """The month `value` (YYYY-MM); None: today's."""
    if value is None:
        year, number = today.year, today.month
    else:
        found = _MONTH.fullmatch(value)
        if found is None or not 1 <= int(found[2]) <= 12 or not _within(int(found[1])):
            raise _refused(
                NOT_A_MONTH, MONTH, value, month_key(EARLIEST_DAY), month_key(LATEST_DAY), month_key(today)
            )
        year, number = int(found[1]), int(found[2])
    start = date(year, number, 1)
    end = (start + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    before, after = start - timedelta(days=1), end + timedelta(days=1)
    return Period(
        "month",
        month_key(start),
        start,
        end,
        month_key(before) if _within(before.year) else None,
        month_key(after) if _within(after.year) else None,
    )


def week(value: str, today: date) -> Period:
    """The ISO week `value` (YYYY-Www)."""
    found = _WEEK.fullmatch(value)
    start: date | None = None
    if found is not None and _within(int(found[1])):
        try:
            start = date.fromisocalendar(int(found[1]), int(found[2]), 1)
        except ValueError:  # week 0, or 53 in a year of 52 weeks
            start = None
    if start is None:
        first, last = date(EARLIEST_DAY.year, 1, 4), date(LATEST_DAY.year, 12, 28)  # in the years' weeks
        raise _refused(NOT_A_WEEK, WEEK, value, week_key(first), week_key(last), week_key(today))
    end = start + timedelta(days=6)
    before, after = start - timedelta(days=7), start + timedelta(days=7)
    return Period(
        "week",
        week_key(start),
        start,
        end,
        week_key(before) if _within(before.isocalendar()[0]) else None,
        week_key(after) if _within(after.isocalendar()[0]) else None,
    )


def period(*, month_value: str | None, week_value: str | None, today: date) -> Period:
    """The period a calendar URL asks for: its `week`, else its `month`, else today's month."""
    if week_value is not None:
        return week(week_value, today)
    return month(month_value, today)


def calendar_view(
    *, uow: UnitOfWork, viewer: User, shown: Period, today: date, only_mine: bool = False
) -> read_models.CalendarView:
    """The open deadlines falling due in `shown` (a month grid runs Monday to Sunday around it),
    each on its day; `only_mine`: only the cases the viewer's member leads (none when the
    viewer is no member)."""
    first = shown.start - timedelta(days=shown.start.weekday())
    last = shown.end + timedelta(days=6 - shown.end.weekday())
    due: dict[date, list[read_models.DueDeadline]] = defaultdict(list)
    if not only_mine or viewer.member_id is not None:
        with uow.read() as tx:
            cases = tx.cases.with_open_deadlines(
                due_from=first,
                due_to=last,
                lead=viewer.member_id if only_mine else None,
                mediated_by=redactions.mediated_by(viewer),
            )
            redaction = redactions.for_viewer(tx, viewer)
        for case in cases:
            if case.is_terminal:
                continue
            for deadline in case.open_deadlines:
                if first <= deadline.due <= last:
                    status = deadline.status(today)
                    due[deadline.due].append(
                        read_models.DueDeadline(
                            reference=case.reference,
                            title=redaction.text(case.title, case.reference),
                            deadline=deadline.name,
                            due=deadline.due,
                            status=status,
                            paused=case.paused,
                            lead=case.lead_member,
                        )
                    )
    weeks = []
    for monday in (first + timedelta(days=7 * n) for n in range(((last - first).days + 1) // 7)):
        days = [monday + timedelta(days=n) for n in range(7)]
        weeks.append(
            read_models.CalendarWeek(
                number=monday.isocalendar()[1],
                days=[
                    read_models.CalendarDay(
                        day=day,
                        today=day == today,
                        outside=not shown.start <= day <= shown.end,
                        deadlines=sorted(due.get(day, []), key=lambda d: (d.reference, d.deadline)),
                    )
                    for day in days
                ],
            )
        )
    if shown.kind == "month":
        current = month_key(today)
        other = week_key(today if shown.start <= today <= shown.end else shown.start)
    else:
        current, other = week_key(today), month_key(shown.start + timedelta(days=3))  # its Thursday
    return read_models.CalendarView(
        period=shown.kind,
        key=shown.key,
        start=shown.start,
        end=shown.end,
        previous=shown.previous,
        next=shown.next,
        today=today,
        current=current,
        other=other,
        only_mine=only_mine,
        weeks=weeks,
        count=sum(len(found) for day, found in due.items() if shown.start <= day <= shown.end),
    )
