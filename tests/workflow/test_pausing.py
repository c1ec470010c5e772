"""Pause, resume and extend on both backends: one transaction with its audit entry, or nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from states.case import Case
from states.errors import InvalidInputError, NcpflowError, StepRefusedError, StorageError
from states.lifecycle import DeadlineName, State
from tests.conftest import make_settings, refuse_audit_inserts
from tests.helpers import open_one
from workflow.audit import audit_entries, verify_chain
from workflow.bootstrap import Services, bootstrap
from workflow.cases import advance
from workflow.clock import FixedClock
from workflow.pausing import extend_deadline, pause_case, resume_case
from workflow.queries import case_view, get_case, list_cases
from workflow.read_models import json_of

D = DeadlineName
TODAY = date(2025, 6, 2)  # the fixed clock's day


def step(services: Services, reference: str, trigger: str, at: date | None = None) -> Case:
    return advance(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference=reference,
        trigger=trigger,
        actor="sek",
        reason="because",
        at=at,
    )


def pause(
    services: Services,
    reference: str,
    at: date | datetime | None,
    reason: str = "parallel proceedings",
    requested_by: str | None = None,
) -> Case:
    return pause_case(
        uow=services.uow,
        clock=services.clock,
        reference=reference,
        actor="sek",
        reason=reason,
        requested_by=requested_by,
        at=at,
    )


def resume(services: Services, reference: str, at: date | datetime | None, reason: str | None = None) -> Case:
    return resume_case(
        uow=services.uow, clock=services.clock, reference=reference, actor="chair", at=at, reason=reason
    )


def extend(services: Services, reference: str, deadline: str = "initial_assessment", **amount: Any) -> Case:
    return extend_deadline(
        uow=services.uow,
        clock=services.clock,
        reference=reference,
        deadline=deadline,
        actor="chair",
        reason="translation awaited",
        **amount,
    )


def assessing(services: Services) -> str:
    """Received 31 Jan 2025, assessment begun 3 Feb."""
    ref = open_one(services)
    step(services, ref, "begin_assessment", date(2025, 2, 3))
    return ref


def due(case: Case, name: DeadlineName) -> date:
    deadline = case.deadline(name)
    assert deadline is not None
    return deadline.due


def test_the_acceptance_example_pauses_twelve_days_and_extends_ten(services: Services) -> None:
    """Paused 10 Feb, resumed 22 Feb: due 12 May, explained; extended 10 days: due 22 May."""
    ref = assessing(services)
    case = pause(services, ref, date(2025, 2, 10), requested_by="Havbruk Seafood ASA")
    assert case.paused and case.version == 3
    case = resume(services, ref, date(2025, 2, 22))
    assert not case.paused
    assert due(case, D.INITIAL_ASSESSMENT) == date(2025, 5, 12)
    assert due(case, D.PROCEDURE) == date(2026, 2, 12)
    assert due(case, D.ACKNOWLEDGEMENT) == date(2025, 2, 14)  # met on 3 Feb, before the pause
    assert case.deadline(D.INITIAL_ASSESSMENT).explain() == (  # type: ignore[union-attr]
        "received 31 Jan 2025 + 3 months = 30 Apr 2025"
        ", + 12 days paused (parallel proceedings, 10 Feb 2025–22 Feb 2025) = 12 May 2025"
    )
    case = extend(services, ref, days=10)
    assert due(case, D.INITIAL_ASSESSMENT) == date(2025, 5, 22)
    assert (
        case.deadline(D.INITIAL_ASSESSMENT)
        .explain()
        .endswith(  # type: ignore[union-attr]
            ", + 10 days extended (translation awaited; approved by chair) = 22 May 2025"
        )
    )
    assert get_case(uow=services.uow, reference=ref) == case


def test_each_clock_step_is_an_audit_entry_with_its_data(services: Services) -> None:
    """paused, resumed, extended: actor, reason, who asked, paused days and moved due dates."""
    ref = assessing(services)
    pause(services, ref, date(2025, 2, 10), requested_by="Havbruk Seafood ASA")
    resume(services, ref, date(2025, 2, 22))
    extend(services, ref, days=10)
    paused, resumed, extended = list(audit_entries(uow=services.uow, case_ref=ref))[-3:]
    assert (paused.kind, paused.actor, paused.reason) == ("paused", "sek", "parallel proceedings")
    assert paused.data["requested_by"] == "Havbruk Seafood ASA"
    assert paused.at == "2025-02-09T23:00:00.000000Z"  # local midnight in Oslo
    assert (paused.from_state, paused.to_state) == ("initial_assessment", "initial_assessment")
    assert (resumed.kind, resumed.actor, resumed.reason) == ("resumed", "chair", "clock restarted")
    assert resumed.data["paused_days"] == 12
    assert resumed.data["moved"] == [
        {"name": "initial_assessment", "before": "2025-04-30", "after": "2025-05-12"},
        {"name": "procedure", "before": "2026-01-31", "after": "2026-02-12"},
    ]
    assert (extended.kind, extended.actor, extended.reason) == ("extended", "chair", "translation awaited")
    assert extended.data["deadline"] == "initial_assessment"
    assert extended.data["amount"] == "10d"
    assert extended.data["moved"] == [
        {"name": "initial_assessment", "before": "2025-05-12", "after": "2025-05-22"}
    ]
    assert [e.data["version"] for e in (paused, resumed, extended)] == [3, 4, 5]
    verdict = verify_chain(uow=services.uow)
    assert verdict.ok and verdict.entries == 5


def test_a_paused_case_is_open_not_overdue_and_left_out_of_the_overdue_list(services: Services) -> None:
    """Overdue on 2 Jun; paused 20 May: open and unlisted; resumed 1 Jun: overdue again."""
    ref, other = assessing(services), open_one(services)
    assert [c.reference for c in list_cases(uow=services.uow, overdue_on=TODAY)] == [ref, other]
    case = pause(services, ref, date(2025, 5, 20))
    view = json_of(case_view(case, today=TODAY))
    assert view["paused"] is True
    assert {d["name"]: d["status"] for d in view["deadlines"]} == {
        "acknowledgement": "met",
        "initial_assessment": "open",
        "procedure": "open",
    }
    assert [c.reference for c in list_cases(uow=services.uow, overdue_on=TODAY)] == [other]
    case = resume(services, ref, date(2025, 6, 1), reason="court ruled")
    assert due(case, D.INITIAL_ASSESSMENT) == date(2025, 5, 12)
    assert case_view(case, today=TODAY).paused is False
    assert case.deadline(D.INITIAL_ASSESSMENT).status(TODAY).value == "overdue"  # type: ignore[union-attr]
    assert [c.reference for c in list_cases(uow=services.uow, overdue_on=TODAY)] == [ref, other]
    assert list(audit_entries(uow=services.uow, case_ref=ref))[-1].reason == "court ruled"


def test_a_pause_across_the_spring_time_change_counts_local_days(services: Services) -> None:
    """30 Mar 01:30 to 31 Mar 00:30 Oslo is 22 hours but one local day: due dates move by one."""
    ref = assessing(services)
    pause(services, ref, datetime(2025, 3, 30, 0, 30, tzinfo=UTC))  # 01:30 CET
    case = resume(services, ref, datetime(2025, 3, 30, 22, 30, tzinfo=UTC))  # 00:30 CEST
    assert due(case, D.INITIAL_ASSESSMENT) == date(2025, 5, 1)
    assert case.deadline(D.INITIAL_ASSESSMENT).pauses[0].days == 1  # type: ignore[union-attr]
    assert get_case(uow=services.uow, reference=ref) == case


def test_advancing_a_paused_case_is_refused_until_it_is_resumed(services: Services) -> None:
    """The refusal says to resume first; after resuming the same step goes through."""
    ref = assessing(services)
    pause(services, ref, date(2025, 2, 10))
    before = get_case(uow=services.uow, reference=ref)
    with pytest.raises(StepRefusedError, match="resume it before 'accept'"):
        step(services, ref, "accept", date(2025, 2, 11))
    assert get_case(uow=services.uow, reference=ref) == before
    resume(services, ref, date(2025, 2, 12))
    assert step(services, ref, "accept", date(2025, 2, 13)).state == State.GOOD_OFFICES


Attempt = Callable[[Services, str], object]

REFUSALS: list[tuple[str, Attempt, type[NcpflowError], str]] = [
    (
        "pause a paused case",
        lambda s, r: pause(s, r, date(2025, 2, 12)),
        StepRefusedError,
        "already paused since",
    ),
    (
        "extend unknown",
        lambda s, r: extend(s, r, "assessment", days=3),
        InvalidInputError,
        "unknown deadline 'assessment'; one of: acknowledgement, coordination, initial_assessment",
    ),
    (
        "extend not started",
        lambda s, r: extend(s, r, "good_offices", days=3),
        StepRefusedError,
        "deadline 'good_offices' has not started; open now: initial_assessment, procedure",
    ),
    (
        "extend met",
        lambda s, r: extend(s, r, "acknowledgement", days=3),
        StepRefusedError,
        "deadline 'acknowledgement' was met on 2025-02-03; only an open deadline can be extended",
    ),
    (
        "zero days",
        lambda s, r: extend(s, r, days=0),
        InvalidInputError,
        "an extension must be a positive number of days or months",
    ),
    (
        "negative months",
        lambda s, r: extend(s, r, months=-1),
        InvalidInputError,
        "an extension must be a positive number of days or months",
    ),
    (
        "both amounts",
        lambda s, r: extend(s, r, days=3, months=1),
        InvalidInputError,
        "give exactly one of --days N or --months N",
    ),
    ("no amount", lambda s, r: extend(s, r), InvalidInputError, "give exactly one of --days N or --months N"),
    (
        "advance",
        lambda s, r: step(s, r, "accept"),
        StepRefusedError,
        "(parallel proceedings); resume it before 'accept'",
    ),
    (
        "resume before the pause",
        lambda s, r: resume(s, r, date(2025, 2, 9)),
        InvalidInputError,
        "is before the case's last recorded step",
    ),
    (
        "resume in the future",
        lambda s, r: resume(s, r, date(2025, 6, 3)),
        InvalidInputError,
        "--at 2025-06-03 is in the future",
    ),
    (
        "blank actor",
        lambda s, r: resume_case(uow=s.uow, clock=s.clock, reference=r, actor=" ", at=None),
        InvalidInputError,
        "an actor (--actor) is required",
    ),
]


def test_every_refused_clock_step_names_the_problem_and_writes_nothing(services: Services) -> None:
    """On a paused case in assessment: each refusal leaves the case and the audit log alone."""
    ref = assessing(services)
    pause(services, ref, date(2025, 2, 10))
    before = get_case(uow=services.uow, reference=ref)
    entries = list(audit_entries(uow=services.uow))
    for what, attempt, error, message in REFUSALS:
        with pytest.raises(error) as caught:
            attempt(services, ref)
        # Worded as the command line words it (its options), which these messages were written for.
        assert message in caught.value.words(naming=lambda field: f"--{field}"), what
        assert get_case(uow=services.uow, reference=ref) == before, what
        assert list(audit_entries(uow=services.uow)) == entries, what


def test_a_running_or_closed_case_refuses_resume_and_pause(services: Services) -> None:
    """Resume a running case; pause a case transferred (closed): refused, nothing written."""
    ref = assessing(services)
    with pytest.raises(StepRefusedError, match="the case is not paused; there is nothing to resume"):
        resume(services, ref, None)
    step(services, ref, "transfer", date(2025, 2, 5))
    before = get_case(uow=services.uow, reference=ref)
    with pytest.raises(StepRefusedError) as caught:
        pause(services, ref, None)
    assert str(caught.value) == (f"case {ref} in state 'closed': a closed case has no clock to pause")
    assert get_case(uow=services.uow, reference=ref) == before
    assert len(list(audit_entries(uow=services.uow, case_ref=ref))) == 3


def test_a_pause_whose_audit_write_fails_leaves_the_case_running(services: Services) -> None:
    """Case, pause row and audit entry commit together: a failing audit insert undoes all."""
    ref = assessing(services)
    before = get_case(uow=services.uow, reference=ref)
    refuse_audit_inserts(services, "disk on fire")
    with pytest.raises(StorageError, match="disk on fire"):
        pause(services, ref, date(2025, 2, 10))
    after = get_case(uow=services.uow, reference=ref)
    assert after == before and not after.paused


def test_a_case_keeps_the_calendar_it_started_with(database_url: str, clock: FixedClock) -> None:
    """Opened rolling in Oslo; config later turns the roll off and moves zone: the case keeps both."""
    rolling = bootstrap(
        make_settings(database_url, timelines={"roll_to_working_day": True, "holiday_country": "NO"}),
        clock=clock,
    )
    try:
        ref = open_one(rolling, received=date(2025, 2, 1))
        # 1 Feb + 3 months = Thu 1 May, Labour Day: rolled to Fri 2 May.
        assert due(get_case(uow=rolling.uow, reference=ref), D.INITIAL_ASSESSMENT) == date(2025, 5, 2)
    finally:
        rolling.close()
    plain = bootstrap(make_settings(database_url, ncp={"timezone": "America/New_York"}), clock=clock)
    try:
        case = get_case(uow=plain.uow, reference=ref)
        assert due(case, D.INITIAL_ASSESSMENT) == date(2025, 5, 2)
        assert (case.calendar.timezone, case.calendar.roll_to_working_day) == ("Europe/Oslo", True)
        step(plain, ref, "begin_assessment", date(2025, 2, 3))
        pause(plain, ref, date(2025, 2, 10))
        # A bare date is still the case's own (Oslo) day, not the new zone's.
        assert list(audit_entries(uow=plain.uow, case_ref=ref))[-1].at == "2025-02-09T23:00:00.000000Z"
        case = resume(plain, ref, date(2025, 2, 26))  # 1 May + 16 days = Sat 17 May -> Mon 19 May
        assert due(case, D.INITIAL_ASSESSMENT) == date(2025, 5, 19)
        assert (
            case.deadline(D.INITIAL_ASSESSMENT)
            .explain()
            .endswith(  # type: ignore[union-attr]
                "= 17 May 2025, rolled to the next working day = 19 May 2025"
            )
        )
        case = extend(plain, ref, days=12)  # 17 May + 12 days = Thu 29 May, Ascension -> 30 May
        assert due(case, D.INITIAL_ASSESSMENT) == date(2025, 5, 30)
        fresh = get_case(uow=plain.uow, reference=open_one(plain, received=date(2025, 2, 1)))
        assert due(fresh, D.INITIAL_ASSESSMENT) == date(2025, 5, 1)  # a new case takes the new config
    finally:
        plain.close()
