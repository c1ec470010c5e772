"""Open deadlines as an iCalendar file: the download (`deadlines ics`, `/api/deadlines.ics`) and
each user's subscription feed (`/calendar/feed/TOKEN.ics`, workflow/feeds.py).

One all-day event per open deadline of a running case, on its due date, with a UID per case and
deadline that never changes, so a calendar that reads the file again updates its events instead
of adding new ones. Each event carries a reminder (VALARM) at every `[alerts] before` rung that
falls on or after the day the deadline started, as the alert sweep reminds by e-mail. The words
(summary, description, the calendar's name) are in the feed's language; free text (titles,
explanations) is redacted for a reader who may not see confidential submitters' identities.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from icalendar import Alarm, Calendar, Event
from icalendar.prop import vDuration

from states import wording
from states.alerts import AlertPolicy, RungKind, ladder
from states.case import Case
from states.deadlines import Deadline
from states.messages import N_, Translator
from states.procedure import Procedure
from states.redaction import NOTHING, Redaction
from states.users import User
from translations import translator
from workflow import procedures
from workflow import redaction as redactions
from workflow.ports import UnitOfWork

SUMMARY = N_("{reference}: {deadline} due")
PAUSED = N_("The case is paused: the date will move.")
CALENDAR_NAME = N_("{name}: deadlines")
REFRESH = timedelta(hours=1)  # how often a subscribed calendar should read the feed again


def deadlines_calendar(
    *,
    uow: UnitOfWork,
    now: datetime,
    member: str | None = None,
    ncp_name: str = "ncpflow",
    viewer: User | None = None,
    language: str = "en",
    alerts: AlertPolicy | None = None,
    case_url: Callable[[str], str] | None = None,
) -> bytes:
    """All-day events on each open deadline's due date; stable UIDs so re-imports update.

    `viewer` is the web user asking (their redaction applies); None is the operator at the
    command line, who holds the database itself. `member`: only the cases it leads. `alerts`:
    a reminder at each of its `before` rungs. `case_url(reference)`: the case page's address."""
    with uow.read() as tx:
        cases = [
            c
            for c in tx.cases.with_open_deadlines(lead=member, mediated_by=redactions.mediated_by(viewer))
            if not c.is_terminal
        ]
        redaction = NOTHING if viewer is None else redactions.for_viewer(tx, viewer)
    return calendar_of(
        cases,
        now=now,
        ncp_name=ncp_name,
        language=language,
        redaction=redaction,
        alerts=alerts,
        case_url=case_url,
    )


def calendar_of(
    cases: Sequence[Case],
    *,
    now: datetime,
    ncp_name: str,
    language: str,
    redaction: Redaction,
    alerts: AlertPolicy | None = None,
    case_url: Callable[[str], str] | None = None,
) -> bytes:
    """The iCalendar file of `cases`' open deadlines, worded in `language`."""
    words = _Words(language)
    calendar = Calendar()
    calendar.add("prodid", f"-//{ncp_name}//ncpflow//{language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = words.catalogue.gettext(CALENDAR_NAME).format(name=ncp_name)
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for case in cases:
        tr = words.of(case.procedure)
        for deadline in case.open_deadlines:
            event = _event(case, deadline, now, tr, redaction, alerts)
            if case_url is not None:
                event.add("url", case_url(case.reference))
            calendar.add_component(event)
    return bytes(calendar.to_ical())


class _Words:
    """The catalogue of `language`, and each procedure's words in it, made once per file."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.catalogue = translator(language)
        self._of: dict[int, Translator] = {}

    def of(self, procedure: Procedure) -> Translator:
        found = self._of.get(id(procedure))
        if found is None:
            found = self._of[id(procedure)] = procedures.words(procedure, self.language)
        return found


def uid(reference: str, deadline: str) -> str:
    """The event's UID: one per case and deadline, the same in every file and feed."""
    return f"{reference}-{deadline}@ncpflow"


def _event(
    case: Case,
    deadline: Deadline,
    now: datetime,
    tr: Translator,
    redaction: Redaction,
    alerts: AlertPolicy | None,
) -> Event:
    due = deadline.due
    summary = tr.gettext(SUMMARY).format(reference=case.reference, deadline=wording.term(deadline.name, tr))
    description = f"{case.title}\n{deadline.explain(tr=tr)}"
    if case.paused:
        description += "\n" + tr.gettext(PAUSED)
    event = Event()
    event.add("uid", uid(case.reference, deadline.name))
    event.add("dtstamp", now)
    event.add("dtstart", due)
    event.add("dtend", due + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", redaction.text(description, case.reference))
    event.add("categories", ["ncpflow", case.state])
    event.add("transp", "TRANSPARENT")  # a due date, not a meeting: the day stays free
    for before in _reminders(deadline, due, alerts):
        alarm = Alarm()
        alarm.add("uid", uid(case.reference, f"{deadline.name}-{before.days}d"))
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", -before)
        event.add_component(alarm)
    return event


def _reminders(deadline: Deadline, due: date, alerts: AlertPolicy | None) -> list[timedelta]:
    """How long before the due date each reminder rings: the `before` rungs of the alert
    ladder (states/alerts.py) that fall on or after the day the deadline started."""
    if alerts is None:
        return []
    rungs = ladder(due, alerts, until=due, started=deadline.basis_on)
    return [due - rung.on for rung in rungs if rung.kind is RungKind.REMINDER]
