"""Personal calendar subscription URLs and the month and week views of due dates (issue 13):
a URL's token is its only credential, stored hashed, one per user; the feed is in the URL's
language, carries the configured reminders, and shows what its user may see."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar

from states.errors import InvalidInputError
from states.permissions import PermissionDeniedError
from tests.conftest import make_settings
from tests.dbdump import dump
from tests.helpers import open_one
from workflow import due_dates, feeds, users
from workflow.application import Application
from workflow.audit import audit_entries
from workflow.bootstrap import Services, bootstrap
from workflow.cases import PartyInput, open_case
from workflow.clock import FixedClock
from workflow.rotation import Notices, sync_members

SECRET = "Kari Nordmann Fjordvern"
MEMBERS = [
    {"id": "anna", "name": "Anna", "email": "anna@ncp.test", "role": "chair"},
    {"id": "bjorn", "name": "Bjørn", "email": "bjorn@ncp.test"},
]


@dataclass
class World:
    services: Services
    url: str
    clock: FixedClock
    led: str  # a case anna leads, its submitter confidential
    other: str  # a case bjorn leads

    @property
    def app(self) -> Application:
        return self.services

    def feed(self, token: str) -> bytes | None:
        return self.app.calendar.feed(token=token, case_url=lambda ref: f"https://ncp.test/cases/{ref}")


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    """Two cases received 30 May 2025 (anna leads the confidential one), and a user per role."""
    clock = FixedClock(datetime(2025, 6, 2, 9, 0, tzinfo=UTC))
    services = bootstrap(make_settings(database_url, members=MEMBERS), clock=clock)
    sync_members(uow=services.uow, clock=clock, settings=services.settings)
    led = open_case(
        uow=services.uow,
        clock=clock,
        policy=services.policy,
        reference_prefix="NCP",
        title=f"Tailings named by {SECRET}",
        submitters=[PartyInput(SECRET, "ngo", True)],
        enterprises=[PartyInput("Nordic Metals ASA")],
        actor="sek",
        received=date(2025, 5, 30),
        notices=Notices(services.settings, services.render),
    ).reference
    other = open_one(services, received=date(2025, 5, 30), title="Salmon farm wages")
    for name, role, member in [
        ("hanna", "handler", None),
        ("revisor", "auditor", None),
        ("anna", "member", "anna"),
    ]:
        users.add_user(uow=services.uow, clock=clock, name=name, role=role, actor="root", member_id=member)
    yield World(services, database_url, clock, led, other)
    services.close()


def _events(data: bytes | None) -> list[Any]:
    assert data is not None
    calendar = Calendar.from_ical(data)
    return list(calendar.walk("VEVENT"))


def _summaries(data: bytes | None) -> set[str]:
    return {str(e["SUMMARY"]) for e in _events(data)}


def test_a_new_url_gives_the_open_deadlines_with_reminders_at_the_configured_rungs(world: World) -> None:
    """One event per open deadline, all-day on its due date, with a VALARM 30 and 7 days before
    (the 30-day one left out where the deadline started less than 30 days before it is due)."""
    made = world.app.calendar.make_feed(name="hanna", actor="hanna", language="en")
    events = _events(world.feed(made.token))
    assert len(events) == 2 * 3  # acknowledgement, initial assessment, whole procedure
    by_summary = {str(e["SUMMARY"]): e for e in events}
    ack = by_summary[f"{world.led}: acknowledgement due"]
    assert ack.decoded("DTSTART") == date(2025, 6, 13)  # 14 days after 30 May
    assert [str(a["TRIGGER"].to_ical(), "ascii") for a in ack.walk("VALARM")] == ["-P7D"]
    assessment = by_summary[f"{world.led}: initial assessment due"]
    assert assessment.decoded("DTSTART") == date(2025, 8, 30)
    triggers = sorted(a.decoded("TRIGGER") for a in assessment.walk("VALARM"))
    assert triggers == [timedelta(days=-30), timedelta(days=-7)]
    assert all(str(a["ACTION"]) == "DISPLAY" for a in assessment.walk("VALARM"))
    assert str(assessment["URL"]) == f"https://ncp.test/cases/{world.led}"
    assert str(assessment["UID"]) == f"{world.led}-initial_assessment@ncpflow"


def test_a_norwegian_url_words_its_events_in_norwegian(world: World) -> None:
    """SUMMARY, DESCRIPTION and the calendar's name in bokmål for a URL made in nb."""
    made = world.app.calendar.make_feed(name="hanna", actor="hanna", language="nb")
    data = world.feed(made.token)
    assert f"{world.led}: frist for første vurdering" in _summaries(data)
    calendar = Calendar.from_ical(data or b"")
    assert str(calendar["X-WR-CALNAME"]).endswith(": frister")
    description = str(_events(data)[0]["DESCRIPTION"])
    assert "mottatt" in description.lower() or "mottak" in description.lower()


def test_the_alarms_follow_the_configured_rungs(database_url: str) -> None:
    """`[alerts] before = ["14d", "2d"]`: those two reminders, not the defaults."""
    clock = FixedClock(datetime(2025, 6, 2, 9, 0, tzinfo=UTC))
    services = bootstrap(make_settings(database_url, alerts={"before": ["14d", "2d"]}), clock=clock)
    try:
        ref = open_one(services, received=date(2025, 5, 30))
        users.add_user(uow=services.uow, clock=clock, name="hanna", role="handler", actor="root")
        made = services.calendar.make_feed(name="hanna", actor="hanna", language="en")
        events = _events(services.calendar.feed(token=made.token))
        assessment = next(e for e in events if str(e["UID"]) == f"{ref}-initial_assessment@ncpflow")
        assert sorted(a.decoded("TRIGGER") for a in assessment.walk("VALARM")) == [
            timedelta(days=-14),
            timedelta(days=-2),
        ]
    finally:
        services.close()


def test_a_second_url_revokes_the_first(world: World) -> None:
    """One URL per user: the old token finds nothing once a new one is made."""
    first = world.app.calendar.make_feed(name="hanna", actor="hanna", language="en")
    second = world.app.calendar.make_feed(name="hanna", actor="hanna", language="nb")
    assert second.replaced == first.listed.id
    assert world.feed(first.token) is None
    assert world.feed(second.token) is not None
    active = world.app.calendar.active_feed(name="hanna")
    assert active is not None and active.id == second.listed.id and active.language == "nb"


def test_a_revoked_url_finds_nothing_and_revoking_twice_is_refused(world: World) -> None:
    """After revocation the feed is gone; a second revocation names that there is none."""
    made = world.app.calendar.make_feed(name="hanna", actor="hanna", language="en")
    assert world.app.calendar.revoke_feed(name="hanna", actor="hanna") == made.listed.id
    assert world.feed(made.token) is None
    assert world.app.calendar.active_feed(name="hanna") is None
    with pytest.raises(InvalidInputError, match="no calendar URL"):
        world.app.calendar.revoke_feed(name="hanna", actor="hanna")


def test_a_disabled_user_s_url_finds_nothing_until_enabled(world: World) -> None:
    """Disabling the user stops the feed at once; enabling it again brings it back."""
    made = world.app.calendar.make_feed(name="hanna", actor="hanna", language="en")
    users.set_disabled(uow=world.services.uow, clock=world.clock, name="hanna", disabled=True, actor="root")
    assert world.feed(made.token) is None
    users.set_disabled(uow=world.services.uow, clock=world.clock, name="hanna", disabled=False, actor="root")
    assert world.feed(made.token) is not None


@pytest.mark.parametrize("token", ["", "short", "x" * 101, "a/b" * 10, "ncp_" + "A" * 39, "é" * 43])
def test_an_unknown_or_malformed_token_finds_nothing(world: World, token: str) -> None:
    """Anything but a token made here answers None (the web: 404)."""
    world.app.calendar.make_feed(name="hanna", actor="hanna", language="en")
    assert world.feed(token) is None


def test_an_auditor_s_feed_holds_pseudonyms_and_a_handler_s_the_names(world: World) -> None:
    """Each token shows its own user's view: the auditor's bytes never hold the protected name."""
    auditor = world.app.calendar.make_feed(name="revisor", actor="revisor", language="en")
    handler = world.app.calendar.make_feed(name="hanna", actor="hanna", language="en")
    audited = world.feed(auditor.token) or b""
    unfolded = audited.replace(b"\r\n ", b"").decode()
    assert "Nordmann" not in unfolded and "Fjordvern" not in unfolded
    assert world.led in unfolded
    shown = (world.feed(handler.token) or b"").replace(b"\r\n ", b"").decode()
    assert SECRET in shown


def test_a_member_s_url_for_its_own_cases_holds_only_those(world: World) -> None:
    """scope "mine": the cases the user's member leads; "all": every case, like the dashboard."""
    mine = world.app.calendar.make_feed(name="anna", actor="anna", language="en", scope="mine")
    references = {s.partition(":")[0] for s in _summaries(world.feed(mine.token))}
    assert references == {world.led}
    every = world.app.calendar.make_feed(name="anna", actor="anna", language="en", scope="all")
    assert {s.partition(":")[0] for s in _summaries(world.feed(every.token))} == {world.led, world.other}


def test_only_my_cases_needs_a_member_and_a_language_must_be_known(world: World) -> None:
    """A handler has no cases of its own; a language other than en or nb is refused; nothing
    is written."""
    before = dump(world.url)
    with pytest.raises(InvalidInputError, match="scope"):
        world.app.calendar.make_feed(name="hanna", actor="hanna", language="en", scope="mine")
    with pytest.raises(InvalidInputError, match="language"):
        world.app.calendar.make_feed(name="hanna", actor="hanna", language="de")
    with pytest.raises(InvalidInputError, match="scope"):
        world.app.calendar.make_feed(name="hanna", actor="hanna", language="en", scope="everything")
    assert dump(world.url) == before


def test_a_user_makes_only_its_own_url_unless_it_manages_users(world: World) -> None:
    """A handler may not make or revoke another user's URL; an operator (no user) may."""
    with pytest.raises(PermissionDeniedError):
        world.app.calendar.make_feed(name="anna", actor="hanna", language="en")
    made = world.app.calendar.make_feed(name="anna", actor="cli", language="en")
    with pytest.raises(PermissionDeniedError):
        world.app.calendar.revoke_feed(name="anna", actor="hanna")
    assert world.feed(made.token) is not None


def test_making_and_revoking_are_audited_without_the_token(world: World) -> None:
    """calendar_feed_made and calendar_feed_revoked name the listed id; the token appears in no
    audit entry and no table."""
    first = world.app.calendar.make_feed(name="anna", actor="anna", language="nb", scope="mine")
    second = world.app.calendar.make_feed(name="anna", actor="anna", language="en")
    world.app.calendar.revoke_feed(name="anna", actor="anna")
    entries = [e for e in audit_entries(uow=world.services.uow) if e.kind.startswith("calendar_feed")]
    assert [(e.kind, e.actor, dict(e.data)) for e in entries] == [
        (
            "calendar_feed_made",
            "anna",
            {"user": "anna", "feed": first.listed.id, "language": "nb", "scope": "mine", "replaced": None},
        ),
        (
            "calendar_feed_made",
            "anna",
            {
                "user": "anna",
                "feed": second.listed.id,
                "language": "en",
                "scope": "all",
                "replaced": first.listed.id,
            },
        ),
        ("calendar_feed_revoked", "anna", {"user": "anna", "feed": second.listed.id}),
    ]
    stored = repr(dump(world.url))
    assert first.token not in stored and second.token not in stored


def test_a_feed_made_with_the_token_of_the_scenario_matches_a_stable_uid(world: World) -> None:
    """The same deadline has the same UID in every feed and download, so clients update it."""
    made = world.app.calendar.make_feed(name="hanna", actor="hanna", language="nb")
    feed_uids = {str(e["UID"]) for e in _events(world.feed(made.token))}
    download = {str(e["UID"]) for e in _events(world.app.calendar.ics())}
    assert feed_uids == download
    world.clock.advance(days=3)
    assert {str(e["UID"]) for e in _events(world.feed(made.token))} == feed_uids


# ---- the month and week views ---------------------------------------------------------------------


def _due(view: Any) -> dict[date, set[tuple[str, str, str]]]:
    return {
        day.day: {(d.reference, d.deadline, d.status) for d in day.deadlines}
        for week in view.weeks
        for day in week.days
        if day.deadlines
    }


def test_the_month_shows_each_open_deadline_on_its_due_day(world: World) -> None:
    """June 2025 holds the two acknowledgements on 13 June; the grid runs Monday to Sunday."""
    hanna = users.by_name(uow=world.services.uow, name="hanna")
    assert hanna is not None
    view = world.app.calendar.view(viewer=hanna, month="2025-06")
    assert _due(view) == {
        date(2025, 6, 13): {(world.led, "acknowledgement", "open"), (world.other, "acknowledgement", "open")}
    }
    assert view.weeks[0].days[0].day == date(2025, 5, 26) and view.weeks[-1].days[-1].day == date(2025, 7, 6)
    assert (view.previous, view.next, view.count) == ("2025-05", "2025-07", 2)
    assert (view.current, view.other) == ("2025-06", "2025-W23")  # today's week: in the month
    assert [d.day for w in view.weeks for d in w.days if d.today] == [date(2025, 6, 2)]
    later = world.app.calendar.view(viewer=hanna, week="2025-W35")  # 25-31 Aug
    assert _due(later) == {
        date(2025, 8, 30): {
            (world.led, "initial_assessment", "open"),
            (world.other, "initial_assessment", "open"),
        }
    }
    assert (later.start, later.end, later.previous, later.next) == (
        date(2025, 8, 25),
        date(2025, 8, 31),
        "2025-W34",
        "2025-W36",
    )
    assert (later.current, later.other) == ("2025-W23", "2025-08")


def test_an_overdue_deadline_is_marked_and_the_default_is_today_s_month(world: World) -> None:
    """Weeks later the acknowledgements are overdue on their day; no month: the current one."""
    hanna = users.by_name(uow=world.services.uow, name="hanna")
    assert hanna is not None
    world.clock.advance(days=20)  # 22 June
    view = world.app.calendar.view(viewer=hanna)
    assert view.key == "2025-06"
    assert {status for found in _due(view).values() for _, _, status in found} == {"overdue"}


def test_the_auditor_s_month_has_pseudonymised_titles_and_a_member_may_see_only_its_cases(
    world: World,
) -> None:
    """Titles are free text: redacted for auditors; "only mine" keeps a member's own cases."""
    revisor = users.by_name(uow=world.services.uow, name="revisor")
    anna = users.by_name(uow=world.services.uow, name="anna")
    assert revisor is not None and anna is not None
    titles = {
        d.title
        for w in world.app.calendar.view(viewer=revisor, month="2025-06").weeks
        for day in w.days
        for d in day.deadlines
    }
    assert not any("Nordmann" in t for t in titles) and len(titles) == 2
    mine = world.app.calendar.view(viewer=anna, month="2025-06", only_mine=True)
    assert {r for found in _due(mine).values() for r, _, _ in found} == {world.led}


@pytest.mark.parametrize(
    ("month", "week"),
    [
        ("2025-13", None),
        ("2025-6", None),
        ("1975-12", None),
        ("2200-01", None),
        ("juni", None),
        ("2025-06-01", None),
        ("٢٠٢٥-06", None),  # digits of another script
        ("", None),
        (None, "2025-W54"),
        (None, "2025-W53"),  # 2025 has 52 ISO weeks
        (None, "2025-W00"),
        (None, "2025W10"),
        (None, "x" * 500),
    ],
)
def test_a_bad_month_or_week_is_refused_naming_it(month: str | None, week: str | None) -> None:
    """The refusal names the parameter (`month` or `week`) and how to write it."""
    with pytest.raises(InvalidInputError) as refused:
        due_dates.period(month_value=month, week_value=week, today=date(2025, 6, 2))
    said = refused.value.words()
    assert (
        ("(month)" in said and "YYYY-MM" in said)
        if week is None
        else ("(week)" in said and "YYYY-Www" in said)
    )
    assert len(said) < 300


def test_the_first_and_last_periods_have_no_neighbour_beyond_the_bounds() -> None:
    """1976-01 has no month before it, 2199-12 none after; the same for their ISO weeks."""
    today = date(2025, 6, 2)
    assert due_dates.month("1976-01", today).previous is None
    assert due_dates.month("2199-12", today).next is None
    assert due_dates.week("1976-W01", today).previous is None
    assert due_dates.week("2199-W52", today).next is None
    assert due_dates.month("2024-02", today).end == date(2024, 2, 29)
    assert due_dates.week("2020-W53", today).start == date(2020, 12, 28)


def test_feeds_module_never_logs_the_token(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    """The log lines of making and revoking name the listed id only."""
    made = feeds.make_feed(
        uow=world.services.uow, clock=world.clock, name="hanna", actor="hanna", language="en"
    )
    feeds.revoke_feed(uow=world.services.uow, clock=world.clock, name="hanna", actor="hanna")
    logged = capsys.readouterr()
    assert made.token not in logged.out + logged.err
    assert made.listed.id in logged.out + logged.err
