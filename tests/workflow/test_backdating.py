"""Back-dating pause, resume, extend and edit (issue 12): the effective time is the entry's `at`,
the clock's time its `recorded_at`; only transitions, pauses and resumes set where the case
stands in time, so an extension or an edit recorded now never blocks a step back-dated later."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from states.errors import InvalidInputError
from states.lifecycle import DeadlineName, State
from tests.dbdump import dump
from tests.helpers import open_one
from workflow.audit import audit_entries, verify_chain
from workflow.bootstrap import Services

NOW = "2025-06-02T09:00:00+00:00"  # the fixed clock, as `recorded_at` spells it


def assessing(services: Services) -> str:
    """Received 31 Jan 2025, assessment begun 3 Feb 2025 (Oslo)."""
    ref = open_one(services)
    services.cases.advance(
        reference=ref, trigger="begin_assessment", actor="sek", reason="complete", at=date(2025, 2, 3)
    )
    return ref


def last_entry(services: Services, ref: str) -> tuple[str, str, str]:
    entry = list(audit_entries(uow=services.uow, case_ref=ref))[-1]
    return entry.kind, entry.at, entry.data["recorded_at"]


def test_each_clock_step_and_an_edit_take_effect_when_given_and_are_recorded_now(services: Services) -> None:
    """pause, resume, extend, edit with `at`: the entry's `at` is that time, `recorded_at` the clock."""
    ref = assessing(services)
    cases = services.cases
    cases.pause(reference=ref, actor="sek", reason="court case", at=date(2025, 2, 10))
    assert last_entry(services, ref) == ("paused", "2025-02-09T23:00:00.000000Z", NOW)
    cases.resume(reference=ref, actor="sek", at=date(2025, 2, 22))
    assert last_entry(services, ref) == ("resumed", "2025-02-21T23:00:00.000000Z", NOW)
    case = cases.extend(
        reference=ref,
        deadline="initial_assessment",
        actor="chair",
        reason="annexes",
        days=10,
        at=date(2025, 3, 1),
    )
    assert last_entry(services, ref) == ("extended", "2025-02-28T23:00:00.000000Z", NOW)
    extension = case.deadline(DeadlineName.INITIAL_ASSESSMENT).extensions[-1]  # type: ignore[union-attr]
    assert extension.at == datetime(2025, 2, 28, 23, tzinfo=UTC)
    cases.edit(reference=ref, actor="chair", reason="scope", sector="mining", at=date(2025, 3, 2))
    assert last_entry(services, ref) == ("edited", "2025-03-01T23:00:00.000000Z", NOW)
    assert verify_chain(uow=services.uow).ok


def test_an_extension_recorded_now_does_not_block_a_step_back_dated_before_it(services: Services) -> None:
    """The regression: extend today, then accept as of a month ago: accepted, the extension kept."""
    ref = assessing(services)
    extended = services.cases.extend(
        reference=ref, deadline="initial_assessment", actor="chair", reason="annexes", days=10
    )
    assert extended.last_event_at == datetime(2025, 2, 2, 23, tzinfo=UTC)  # still the assessment
    accepted = services.cases.advance(
        reference=ref, trigger="accept", actor="sek", reason="material", at=date(2025, 5, 2)
    )
    assert accepted.state == State.GOOD_OFFICES
    assessment = accepted.deadline(DeadlineName.INITIAL_ASSESSMENT)
    assert assessment is not None and assessment.met_on == date(2025, 5, 2)
    assert assessment.due == date(2025, 5, 10)  # 30 Apr + 10 days extended
    kinds = [(e.kind, e.at) for e in audit_entries(uow=services.uow, case_ref=ref)][-2:]
    assert kinds == [
        ("extended", "2025-06-02T09:00:00.000000Z"),
        ("transitioned", "2025-05-01T22:00:00.000000Z"),
    ]


def test_an_edit_recorded_now_does_not_block_a_step_back_dated_before_it(services: Services) -> None:
    """An edit changes what the case is about, not where it stands in time."""
    ref = assessing(services)
    services.cases.edit(reference=ref, actor="chair", reason="scope", sector="aquaculture")
    accepted = services.cases.advance(
        reference=ref, trigger="accept", actor="sek", reason="material", at=date(2025, 4, 1)
    )
    assert accepted.state == State.GOOD_OFFICES and accepted.details.sector == "aquaculture"


def test_a_back_dated_pause_does_set_where_the_case_stands_in_time(services: Services) -> None:
    """Pausing moves the case's time: a step back-dated before a pause is refused, after it is not."""
    ref = assessing(services)
    services.cases.pause(reference=ref, actor="sek", reason="court case", at=date(2025, 3, 10))
    with pytest.raises(InvalidInputError, match="before the case's last recorded step"):
        services.cases.resume(reference=ref, actor="sek", at=date(2025, 3, 9))
    resumed = services.cases.resume(reference=ref, actor="sek", at=date(2025, 3, 20))
    assert resumed.deadline(DeadlineName.INITIAL_ASSESSMENT).due == date(2025, 5, 10)  # type: ignore[union-attr]
    with pytest.raises(InvalidInputError, match="before the case's last recorded step"):
        services.cases.advance(
            reference=ref, trigger="accept", actor="sek", reason="material", at=date(2025, 3, 15)
        )


@pytest.mark.parametrize("when", [date(2025, 2, 2), date(2025, 6, 3)], ids=["before-last-step", "future"])
@pytest.mark.parametrize("command", ["pause", "resume", "extend", "edit"])
def test_a_time_before_the_last_step_or_in_the_future_is_refused_and_writes_nothing(
    services: Services, database_url: str, command: str, when: date
) -> None:
    """The same not-before rule as advance, and never later than the clock; nothing is written."""
    ref = assessing(services)
    if command == "resume":
        services.cases.pause(reference=ref, actor="sek", reason="court case", at=date(2025, 2, 3))
    calls = {
        "pause": lambda: services.cases.pause(reference=ref, actor="sek", reason="r", at=when),
        "resume": lambda: services.cases.resume(reference=ref, actor="sek", at=when),
        "extend": lambda: services.cases.extend(
            reference=ref, deadline="procedure", actor="chair", reason="r", days=5, at=when
        ),
        "edit": lambda: services.cases.edit(reference=ref, actor="chair", reason="r", sector="x", at=when),
    }
    before = dump(database_url)
    words = "is before the case's last recorded step" if when < date(2025, 6, 2) else "is in the future"
    with pytest.raises(InvalidInputError, match=f"at {when.isoformat()} {words}"):
        calls[command]()
    assert dump(database_url) == before


def test_extensions_may_come_in_any_effective_order_after_the_last_step(services: Services) -> None:
    """Two extensions: the second back-dated before the first, both after the last step."""
    ref = assessing(services)
    first = services.cases.extend(
        reference=ref, deadline="procedure", actor="chair", reason="r", days=5, at=date(2025, 4, 1)
    )
    second = services.cases.extend(
        reference=ref, deadline="procedure", actor="chair", reason="r", days=5, at=date(2025, 3, 1)
    )
    assert (
        first.deadline(DeadlineName.PROCEDURE).due + timedelta(days=5)
        == second.deadline(  # type: ignore[union-attr]
            DeadlineName.PROCEDURE
        ).due
    )


def test_a_back_dated_pause_counts_its_effective_days_in_the_timelines_report(services: Services) -> None:
    """The report reads the entries' effective times: 10 Mar to 20 Mar is 10 paused days."""
    ref = assessing(services)
    services.cases.pause(reference=ref, actor="sek", reason="court case", at=date(2025, 3, 10))
    services.cases.resume(reference=ref, actor="sek", at=date(2025, 3, 20))
    services.cases.advance(
        reference=ref, trigger="accept", actor="sek", reason="material", at=date(2025, 4, 1)
    )
    report = services.reports.timelines()
    row = next(r for r in report["stages"] if r["reference"] == ref and r["stage"] == "initial_assessment")
    assert (row["elapsed_days"], row["paused_days"], row["days_used"]) == (60, 10, 50)
