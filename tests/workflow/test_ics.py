"""`ncpflow deadlines ics`: an iCalendar file of the open deadlines of cases still running."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from icalendar import Calendar

from states import wording
from storage.engine import make_engine
from tests.conftest import InProcessCli
from workflow.procedures import shipped, words


def _open(ncp: InProcessCli, title: str, received: str) -> str:
    made = ncp.json(
        "case",
        "open",
        "--title",
        title,
        "--enterprise",
        "Nordisk Gruve AS",
        "--submitter",
        "Naturvernforbundet",
        "--received",
        received,
        "--actor",
        "secretariat",
        "--json",
    )
    return str(made["reference"])


def _advance(ncp: InProcessCli, reference: str, *triggers: str) -> None:
    for trigger in triggers:
        done = ncp("case", "advance", reference, trigger, "--actor", "chair", "--reason", "test")
        assert done.returncode == 0, done.stderr


def _sql(url: str, sql: str, **params: Any) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text(sql), params)
    finally:
        engine.dispose()


def _open_deadlines(ncp: InProcessCli, reference: str) -> set[tuple[str, str, date]]:
    """(reference, the deadline's name in the procedure's words, due date) of each open one."""
    shown = ncp.json("case", "show", reference, "--json")
    english = words(shipped(), "en")
    return {
        (reference, wording.term(d["name"], english), date.fromisoformat(d["due"]))
        for d in shown["deadlines"]
        if d["status"] != "met"
    }


def _events(data: bytes | str) -> list[Any]:
    calendar = Calendar.from_ical(data)
    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0"
    return list(calendar.walk("VEVENT"))


def _ics(ncp: InProcessCli, *args: str) -> bytes:
    result = ncp("deadlines", "ics", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout.encode("utf-8")


def _summary(event: Any) -> tuple[str, str, date]:
    """(reference, deadline in words, due date) from an event's summary and all-day start."""
    reference, _, rest = str(event["SUMMARY"]).partition(": ")
    assert rest.endswith(" due")
    start = event.decoded("DTSTART")
    return reference, rest.removesuffix(" due"), start


@pytest.fixture
def cases(ncp: InProcessCli, database_url: str) -> dict[str, str]:
    """received: three open deadlines; assessing: ack met; closed; forced closed by SQL."""
    refs = {
        "received": _open(ncp, "Tailings in the fjord", "2025-03-03"),
        "assessing": _open(ncp, "Salmon farm wages", "2025-02-10"),
        "closed": _open(ncp, "Shipyard dismantling", "2025-01-15"),
        "forced": _open(ncp, "Closed with loose ends", "2025-01-20"),
    }
    _advance(ncp, refs["assessing"], "begin_assessment")
    # Leads set here, whatever rotation chose: member-b leads all but the received case (but
    # only the assessing one is running); member-d leads nothing.
    for key, lead in (
        ("received", "member-c"),
        ("assessing", "member-b"),
        ("closed", "member-b"),
        ("forced", "member-b"),
    ):
        _sql(
            database_url,
            "UPDATE cases SET lead_member = :lead WHERE reference = :ref",
            ref=refs[key],
            lead=lead,
        )
    _advance(ncp, refs["closed"], "begin_assessment", "reject", "publish", "close")
    # A closed case whose deadlines were never met (data from before a fix, say) stays out too.
    _sql(database_url, "UPDATE cases SET state = 'closed' WHERE reference = :ref", ref=refs["forced"])
    return refs


def test_one_all_day_event_per_open_deadline_of_running_cases(
    ncp: InProcessCli, cases: dict[str, str]
) -> None:
    events = _events(_ics(ncp))

    expected = _open_deadlines(ncp, cases["received"]) | _open_deadlines(ncp, cases["assessing"])
    assert len(expected) == 5  # 3 for the received case; the acknowledged one has 2 left
    assert sorted(_summary(e) for e in events) == sorted(expected)
    for event in events:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        # All-day: a DATE value (not a date-time), one day long.
        assert type(start) is date and type(end) is date
        assert event["DTSTART"].params.get("VALUE") == "DATE"
        assert end - start == timedelta(days=1)
        assert "DTSTAMP" in event
        assert str(event["UID"]).startswith(_summary(event)[0])
    assert not {cases["closed"], cases["forced"]} & {_summary(e)[0] for e in events}
    # The acknowledgement of the case in assessment was met: no event for it.
    assert (cases["assessing"], "acknowledgement") not in {_summary(e)[:2] for e in events}


def test_uids_are_unique_and_stable_across_exports(ncp: InProcessCli, cases: dict[str, str]) -> None:
    first = {str(e["UID"]): _summary(e) for e in _events(_ics(ncp))}
    assert len(first) == 5
    _advance(ncp, _open(ncp, "A later case", "2025-05-05"), "begin_assessment")
    second = {str(e["UID"]): _summary(e) for e in _events(_ics(ncp))}
    # Re-importing updates the same events: the same UIDs for the same deadlines.
    assert {uid: second[uid] for uid in first} == first
    assert len(second) == 7


def test_member_filters_by_lead_member(ncp: InProcessCli, cases: dict[str, str]) -> None:
    led = _events(_ics(ncp, "--member", "member-b"))
    assert sorted(_summary(e) for e in led) == sorted(_open_deadlines(ncp, cases["assessing"]))

    other = _events(_ics(ncp, "--member", "member-c"))
    assert sorted(_summary(e) for e in other) == sorted(_open_deadlines(ncp, cases["received"]))

    nobody = _ics(ncp, "--member", "member-d")  # a member who leads no case
    assert _events(nobody) == []


def test_unknown_member_is_an_error(ncp: InProcessCli, cases: dict[str, str]) -> None:
    result = ncp("deadlines", "ics", "--member", "no-such-member")
    assert result.returncode == 2
    assert "unknown member 'no-such-member'" in result.stderr
    assert result.stdout == ""


def test_output_writes_the_file(ncp: InProcessCli, cases: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "deadlines.ics"
    result = ncp("deadlines", "ics", "--member", "member-b", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    data = target.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    written = sorted(_summary(e) for e in _events(data))
    assert written == sorted(_summary(e) for e in _events(_ics(ncp, "--member", "member-b")))
    assert len(written) == 2


def test_a_paused_case_keeps_its_events_and_says_the_date_will_move(
    ncp: InProcessCli, cases: dict[str, str]
) -> None:
    reference = cases["received"]
    paused = ncp("case", "pause", reference, "--actor", "chair", "--reason", "parallel court case")
    assert paused.returncode == 0, paused.stderr
    events = [e for e in _events(_ics(ncp)) if _summary(e)[0] == reference]
    assert sorted(_summary(e) for e in events) == sorted(_open_deadlines(ncp, reference))
    assert all("paused" in str(e["DESCRIPTION"]) for e in events)


def test_a_norwegian_file_with_reminders_at_the_configured_rungs(
    ncp: InProcessCli, cases: dict[str, str]
) -> None:
    """`--language nb`: the summaries in bokmål; each event reminds 30 and 7 days before (config.toml)
    where the deadline ran that long; an unknown language is refused."""
    events = _events(_ics(ncp, "--language", "nb"))
    summaries = {str(e["SUMMARY"]) for e in events}
    assert f"{cases['received']}: frist for første vurdering" in summaries
    assessment = next(e for e in events if str(e["UID"]) == f"{cases['received']}-initial_assessment@ncpflow")
    assert sorted(a.decoded("TRIGGER") for a in assessment.walk("VALARM")) == [
        timedelta(days=-30),
        timedelta(days=-7),
    ]
    refused = ncp("deadlines", "ics", "--language", "de")
    assert refused.returncode == 2 and "--language" in refused.stderr
