"""How long a duty period lasts: `[rotation] every` as a duration ("1mo") or a cron expression."""

from __future__ import annotations

from datetime import datetime, timedelta

from states import limits
from states.calendar import CalendarRule
from states.durations import Duration
from states.errors import InvalidInputError


def _is_cron(every: str) -> bool:
    return len(every.split()) == 5


def check_every(every: str) -> str:
    """A duration ("1mo", "2w") or a five-field cron expression ("0 0 1 * *"); else a clear error."""
    if not _is_cron(every):
        try:
            amount = Duration.parse(every)
        except InvalidInputError:
            raise InvalidInputError(
                f'\'{every}\' is neither a duration ("1mo", "2w") nor a five-field cron '
                'expression ("0 0 1 * *")'
            ) from None
        if amount.in_working_days:
            raise InvalidInputError(
                f"'{every}' counts working days; a duty period is calendar time "
                '("1mo", "2w") or a five-field cron expression'
            )
        limits.check_duration(days=amount.days, months=amount.months, what=f"'{every}'")
        return every
    from apscheduler.triggers.cron import CronTrigger  # only periodic duty with cron pays

    try:
        CronTrigger.from_crontab(every, timezone="UTC")
    except ValueError as exc:
        raise InvalidInputError(f"'{every}' is not a valid cron expression: {exc}") from None
    return every


def period_end(every: str, *, since: datetime, calendar: CalendarRule) -> datetime:
    """When a duty period that started at `since` is over.

    A duration counts in local calendar days from the day duty started (1 Jun + 1mo = 1 Jul,
    00:00 in the NCP's zone); a cron expression ends it at its next firing after `since`.
    """
    if not _is_cron(every):
        return calendar.start_of_day(Duration.parse(every).added_to(calendar.local_date(since)))
    from apscheduler.triggers.cron import CronTrigger

    trigger = CronTrigger.from_crontab(every, timezone=calendar.timezone)
    fire: datetime | None = trigger.get_next_fire_time(None, since + timedelta(seconds=1))
    assert fire is not None, "a five-field cron expression always fires again"
    return fire
