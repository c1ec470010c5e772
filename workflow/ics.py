"""Open deadlines as an iCalendar file a handler can import into Outlook or Google Calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from states.case import Case
from states.redaction import NOTHING, Redaction
from states.users import User
from workflow import redaction as redactions
from workflow.ports import UnitOfWork


def deadlines_calendar(
    *,
    uow: UnitOfWork,
    now: datetime,
    member: str | None = None,
    ncp_name: str = "ncpflow",
    viewer: User | None = None,
) -> bytes:
    """All-day events on each open deadline's due date; stable UIDs so re-imports update.

    `viewer` is the web user asking (their redaction applies); None is the operator at the
    command line, who holds the database itself."""
    with uow.read() as tx:
        cases = [c for c in tx.cases.list() if not c.is_terminal]
        redaction = NOTHING if viewer is None else redactions.for_viewer(tx, viewer)
    if member is not None:
        cases = [c for c in cases if c.lead_member == member]
    calendar = Calendar()
    calendar.add("prodid", f"-//{ncp_name}//ncpflow//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{ncp_name}: deadlines")
    for case in cases:
        for deadline in case.open_deadlines:
            calendar.add_component(
                _event(case, deadline.name, deadline.due, deadline.explain(), now, redaction)
            )
    return bytes(calendar.to_ical())


def _event(case: Case, name: str, due: date, explanation: str, now: datetime, redaction: Redaction) -> Event:
    event = Event()
    event.add("uid", f"{case.reference}-{name}@ncpflow")
    event.add("dtstamp", now)
    event.add("dtstart", due)
    event.add("dtend", due + timedelta(days=1))
    event.add("summary", f"{case.reference}: {name.replace('_', ' ')} due")
    paused = " (case paused: the date will move)" if case.paused else ""
    event.add("description", redaction.text(f"{case.title}\n{explanation}{paused}", case.reference))
    event.add("categories", ["ncpflow", case.state])
    return event
