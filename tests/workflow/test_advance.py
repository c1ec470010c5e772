"""The use cases on both backends: one transaction or nothing, and one log line per step."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from structlog.testing import capture_logs

from states.errors import ConflictError, StorageError, TransitionNotAllowedError
from states.lifecycle import DeadlineName, State
from tests.conftest import refuse_audit_inserts
from tests.helpers import open_one
from workflow.audit import audit_entries, verify_chain
from workflow.bootstrap import Services
from workflow.cases import advance
from workflow.queries import get_case


def step(services: Services, reference: str, trigger: str, at: date, **extra: str):  # type: ignore[no-untyped-def]
    return advance(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference=reference,
        trigger=trigger,
        actor="sek",
        reason="because",
        at=at,
        **extra,
    )


def test_a_transition_meets_the_old_deadlines_and_starts_the_new(services: Services) -> None:
    """accept meets initial_assessment and starts good_offices from the acceptance date."""
    ref = open_one(services)
    step(services, ref, "begin_assessment", date(2025, 2, 3))
    case = step(services, ref, "accept", date(2025, 4, 10))
    assert case.state == State.GOOD_OFFICES
    assessment = case.deadline(DeadlineName.INITIAL_ASSESSMENT)
    offices = case.deadline(DeadlineName.GOOD_OFFICES)
    assert assessment is not None and assessment.met_on == date(2025, 4, 10)
    assert offices is not None and offices.due == date(2025, 10, 10) and offices.is_open
    assert get_case(uow=services.uow, reference=ref) == case


def test_a_transition_whose_audit_write_fails_leaves_the_case_untouched(services: Services) -> None:
    """Case, deadlines and audit commit together: a failing audit insert undoes the rest."""
    ref = open_one(services)
    before = get_case(uow=services.uow, reference=ref)
    refuse_audit_inserts(services, "disk on fire")
    with pytest.raises(StorageError, match="disk on fire"):
        step(services, ref, "begin_assessment", date(2025, 2, 3))
    assert get_case(uow=services.uow, reference=ref) == before
    assert len(list(audit_entries(uow=services.uow))) == 1


def test_a_refused_trigger_writes_nothing(services: Services) -> None:
    """publish in received: refused with the allowed list, version and audit unchanged."""
    ref = open_one(services)
    before = get_case(uow=services.uow, reference=ref)
    with pytest.raises(TransitionNotAllowedError) as caught:
        step(services, ref, "publish", date(2025, 2, 3))
    assert caught.value.allowed == ("begin_assessment", "withdraw", "transfer")
    assert get_case(uow=services.uow, reference=ref) == before
    assert len(list(audit_entries(uow=services.uow))) == 1


def test_a_stale_expected_version_is_a_conflict(services: Services) -> None:
    """Someone advanced the case after we looked: refused, nothing written."""
    ref = open_one(services)
    step(services, ref, "begin_assessment", date(2025, 2, 3))
    with pytest.raises(ConflictError, match="expected version 1, found version 2"):
        advance(
            uow=services.uow,
            clock=services.clock,
            policy=services.policy,
            reference=ref,
            trigger="accept",
            actor="sek",
            reason="r",
            expected_version=1,
        )
    assert get_case(uow=services.uow, reference=ref).state == State.INITIAL_ASSESSMENT
    assert verify_chain(uow=services.uow).entries == 2


def test_each_transition_logs_one_case_transitioned_line(services: Services) -> None:
    """After commit, one structlog event with the case reference bound."""
    ref = open_one(services)
    with capture_logs() as logs:
        step(services, ref, "begin_assessment", date(2025, 2, 3))
    transitioned = [e for e in logs if e["event"] == "case_transitioned"]
    assert len(transitioned) == 1
    assert transitioned[0]["case"] == ref
    assert (transitioned[0]["from_state"], transitioned[0]["to_state"]) == ("received", "initial_assessment")


def test_references_count_per_year_of_receipt(services: Services) -> None:
    """NCP-2024-001, NCP-2025-001, NCP-2025-002: the year is the year of receipt."""
    refs = [
        open_one(services, received=date(2025, 1, 5)),
        open_one(services, received=date(2024, 12, 30)),
        open_one(services, received=date(2025, 2, 1)),
    ]
    assert refs == ["NCP-2025-001", "NCP-2024-001", "NCP-2025-002"]


def test_audit_entries_record_when_it_happened_and_when_it_was_recorded(services: Services) -> None:
    """A backdated step keeps both instants, so auditors see the late entry."""
    ref = open_one(services)
    step(services, ref, "begin_assessment", date(2025, 2, 3))
    last = list(audit_entries(uow=services.uow, case_ref=ref))[-1]
    assert last.at == "2025-02-02T23:00:00.000000Z"  # local midnight in Oslo, in UTC
    assert last.data["recorded_at"] == datetime(2025, 6, 2, 9, 0, tzinfo=UTC).isoformat()
