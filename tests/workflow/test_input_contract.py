"""One parser for dates, one set of bounds, config values refused at load, storage round trips."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from states.errors import InvalidInputError
from storage.db import Db, read_instant
from tests.conftest import make_settings
from tests.helpers import open_one
from workflow import exports, pausing, queries, reports
from workflow.bootstrap import Services, bootstrap
from workflow.clock import FixedClock
from workflow.config import ConfigError, parse_settings
from workflow.inputs import parse_day, parse_when


@pytest.mark.parametrize(
    "text",
    [
        "0999-06-01",
        "0001-01-01",
        "9999-12-31",
        "1975-12-31",
        "2200-01-01",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "1975-12-30T23:59:59Z",
    ],
)
def test_dates_before_1976_or_after_2199_are_refused_as_out_of_range(text: str) -> None:
    """Year 0999 poisoned the database and year 0001 overflowed; both are now plain bad input."""
    with pytest.raises(InvalidInputError, match=r"--received .* is out of range"):
        parse_when(text, "--received")


@pytest.mark.parametrize("text", ["", " ", "\t"])
def test_an_empty_date_is_refused_naming_the_option_not_taken_as_now(text: str) -> None:
    """`--at ""` used to mean now; now it says the option is empty."""
    with pytest.raises(InvalidInputError, match="--at is empty"):
        parse_when(text, "--at")


def test_the_bounds_themselves_are_accepted() -> None:
    """1 January 1976 and 31 December 2199 (as dates or instants) parse."""
    assert parse_when("1976-01-01", "d") == date(1976, 1, 1)
    assert parse_when("2199-12-31", "d") == date(2199, 12, 31)
    assert parse_when("2199-12-31T23:59:59Z", "d") == datetime(2199, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_a_very_long_date_is_refused_without_echoing_it_whole() -> None:
    """A 10,000-character --from is refused with a short message."""
    with pytest.raises(InvalidInputError) as raised:
        parse_day("2025-01-01" * 1000, "--from")
    assert len(str(raised.value)) < 300


@pytest.mark.parametrize(
    ("year", "first", "last"), [(1, 1, 1), (999, 6, 1), (1976, 1, 1), (2299, 12, 31), (9999, 12, 31)]
)
def test_the_sqlite_instant_codec_round_trips_every_year(year: int, first: int, last: int) -> None:
    """Instants are stored zero-padded, so whatever is written can be read back."""
    db = Db(raw=None, sqlite=True)
    instant = datetime(year, first, last, 12, 30, 15, 123, tzinfo=UTC)
    stored = db.instant(instant)
    assert stored[:4] == f"{year:04d}"
    assert read_instant(stored) == instant


def test_instants_stored_unpadded_by_earlier_versions_are_still_read() -> None:
    """A database an earlier version poisoned with year 999 can be read, and so repaired."""
    assert read_instant("999-05-31 23:17:00.000000") == datetime(999, 5, 31, 23, 17, tzinfo=UTC)
    with pytest.raises(ValueError, match="isoformat"):
        read_instant("not a time")


def test_the_sqlite_instant_codec_spells_todays_instants_as_before() -> None:
    """Databases written by earlier versions read and compare the same."""
    stored = Db(raw=None, sqlite=True).instant(datetime(2025, 1, 31, 8, 5, 1, tzinfo=UTC))
    assert stored == "2025-01-31 08:05:01.000000"


@pytest.fixture
def late(database_url: str) -> Any:
    """Services whose clock reads the last day the parser accepts."""
    built = bootstrap(make_settings(database_url), clock=FixedClock(datetime(2199, 12, 31, 22, tzinfo=UTC)))
    yield built
    built.close()


def test_cases_at_both_bounds_are_stored_and_read_back(late: Services) -> None:
    """A case received on 1 Jan 1976 and one on 31 Dec 2199, extended far, list and show."""
    early = open_one(late, received=date(1976, 1, 1))
    last = open_one(late, received=date(2199, 12, 31))
    for _ in range(9):
        pausing.extend_deadline(
            uow=late.uow,
            clock=late.clock,
            reference=last,
            deadline="procedure",
            actor="chair",
            reason="r",
            months=120,
        )
    listed = {c.reference: c for c in queries.list_cases(uow=late.uow)}
    assert listed[early].received_on == date(1976, 1, 1)
    assert listed[last].received_on == date(2199, 12, 31)
    procedure = next(d for d in listed[last].deadlines if d.name == "procedure")
    assert procedure.due.year == 2290
    assert reports.annual(uow=late.uow, clock=late.clock, settings=late.settings, year=1976)


def test_an_export_period_that_ends_before_it_starts_is_refused(services: Services) -> None:
    """`audit export --from` later than `--to` is bad input, not an empty export."""
    with pytest.raises(InvalidInputError, match="--to 2025-01-01 is before --from 2025-02-01"):
        list(
            exports.export_rows(
                uow=services.uow, clock=services.clock, since=date(2025, 2, 1), until=date(2025, 1, 1)
            )
        )


@pytest.mark.parametrize("actor", [None, "", "   "])
def test_revealing_an_export_needs_a_real_actor(services: Services, actor: str | None) -> None:
    """`audit export --reveal` with a blank actor is refused and audits nothing."""
    with pytest.raises(InvalidInputError, match="actor"):
        list(exports.export_rows(uow=services.uow, clock=services.clock, reveal=True, actor=actor))
    with services.uow.read() as tx:
        assert tx.audit.count() == 0


@pytest.mark.parametrize("year", [0, -1, 1975, 2200, 10**9])
def test_report_years_outside_the_bounds_are_refused(services: Services, year: int) -> None:
    """`report annual --year 0` is bad input, as are absurd years in the other reports."""
    with pytest.raises(InvalidInputError, match=r"--year .* is out of range"):
        reports.annual(uow=services.uow, clock=services.clock, settings=services.settings, year=year)
    with pytest.raises(InvalidInputError, match="out of range"):
        reports.timelines(uow=services.uow, clock=services.clock, settings=services.settings, year=year)
    with pytest.raises(InvalidInputError, match="out of range"):
        reports.oecd(uow=services.uow, settings=services.settings, year=year)


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"timelines": {"acknowledgement": "0d"}}, "[timelines] acknowledgement: '0d' must be longer"),
        ({"timelines": {"procedure": "100000y"}}, "[timelines] procedure: '100000y' is too long"),
        ({"timelines": {"examination": "3661d"}}, "[timelines] examination"),
        ({"alerts": {"before": ["30d", "0d"]}}, "[alerts] before"),
        ({"alerts": {"overdue_every": "0w"}}, "[alerts] overdue_every"),
        ({"alerts": {"escalate_after": "999y"}}, "[alerts] escalate_after"),
        ({"rotation": {"every": "0mo"}}, "[rotation] every"),
        ({"ncp": {"secretariat": ["post@ncp.no\r\nBcc: all@example.org"]}}, "[ncp] secretariat"),
        ({"ncp": {"secretariat": ["post@ncp.no\n"]}}, "[ncp] secretariat"),
        ({"smtp": {"sender": "ncp@ncp.no\r\nSubject: hi"}}, "[smtp] sender"),
        (
            {"members": [{"id": "a", "name": "Chair", "email": "a@ncp.no\r\nBcc: x@y.no"}]},
            "[[members]] #1 email",
        ),
        ({"members": [{"id": "a", "name": "Ch\x00air", "email": "a@ncp.no"}]}, "[[members]] #1 name"),
        ({"members": [{"id": "a", "name": "Ch\x1b[2Jair", "email": "a@ncp.no"}]}, "[[members]] #1 name"),
        (
            {
                "members": [
                    {"id": "a", "name": "Chair", "email": "a@ncp.no", "conflicts": ["Nordic\x00Metals"]}
                ]
            },
            "[[members]] #1 conflicts",
        ),
        ({"ncp": {"name": "NCP\x07"}}, "[ncp] name"),
        (
            {
                "members": [
                    {
                        "id": "a",
                        "name": "Chair",
                        "email": "a@ncp.no",
                        "leave": [{"from": date(1, 1, 1), "to": date(2025, 1, 1)}],
                    }
                ]
            },
            "[[members]] #1 leave.0: leave from 0001-01-01 is out of range",
        ),
    ],
)
def test_config_values_that_would_fail_later_are_refused_at_load(data: dict[str, Any], where: str) -> None:
    """Zero or absurd durations, CR/LF in addresses and control characters in names: named."""
    with pytest.raises(ConfigError) as raised:
        parse_settings(data, source="config.toml")
    assert where in str(raised.value)


def test_the_longest_configured_durations_still_open_cases(database_url: str) -> None:
    """Ten-year timelines are accepted and a case opens with them."""
    settings = make_settings(database_url, timelines={"procedure": "10y", "acknowledgement": "3660d"})
    built = bootstrap(settings, clock=FixedClock(datetime(2025, 6, 2, tzinfo=UTC)))
    try:
        reference = open_one(built, received=date(2025, 6, 1))
        case = queries.get_case(uow=built.uow, reference=reference)
        due = {d.name: d.due for d in case.deadlines}
        assert due["procedure"] == date(2035, 6, 1)
        assert due["acknowledgement"] == date(2025, 6, 1) + timedelta(days=3660)
    finally:
        built.close()
