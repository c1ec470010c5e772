"""External mediators through the application, on SQLite and PostgreSQL: the register (audited),
assignment checked against the case's parties by the rotation's rule (a hard conflict refuses,
writing nothing, unless overridden with an audited reason; a soft conflict is recorded), a
conflict with a party added later, mediation sessions, and a mediator's user that sees only its
own cases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from states import records
from states.errors import CaseNotFoundError, InvalidInputError
from states.permissions import PermissionDeniedError
from states.users import User
from tests.dbdump import dump
from tests.helpers import open_one
from workflow import users
from workflow.bootstrap import Services
from workflow.commands import FindCases

ENTERPRISE = "Nordic Metals ASA"
NUMBER = "923 456 789"


def _mediator(services: Services, mediator_id: str = "kari", **kwargs: object) -> None:
    services.mediators.add(
        actor="sek",
        mediator_id=mediator_id,
        name=kwargs.pop("name", "Kari Nordmann"),  # type: ignore[arg-type]
        email="kari@example.org",
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_mediator_is_added_and_changed_in_the_register_each_audited(services: Services) -> None:
    """`mediator_added` holds the id, name and declared conflicts; `mediator_changed` the fields."""
    _mediator(services, organisation="Mekling AS", languages=("nb", "en"), conflicts=((ENTERPRISE, NUMBER),))
    fields = services.mediators.change(actor="sek", mediator_id="kari", changes={"active": False})
    assert fields == ("active",)
    listed = services.mediators.list()
    assert [(m.id, m.conflicts, m.active) for m in listed] == [("kari", [f"{ENTERPRISE}={NUMBER}"], False)]
    kinds = [(e.kind, dict(e.data)) for e in services.audit.log() if e.kind.startswith("mediator_")]
    assert kinds == [
        (
            "mediator_added",
            {
                "mediator": "kari",
                "name": "Kari Nordmann",
                "organisation": "Mekling AS",
                "languages": ["nb", "en"],
                "conflicts": [f"{ENTERPRISE}={NUMBER}"],
                "soft_conflicts": [],
            },
        ),
        ("mediator_changed", {"mediator": "kari", "fields": ["active"], "active": False}),
    ]
    assert services.audit.verify_chain().ok


def test_a_hard_conflict_refuses_the_assignment_and_writes_nothing(
    services: Services, database_url: str
) -> None:
    """The refusal names the mediator, the party and the conflict (matched by organisation
    number, spelled otherwise); the database is as it was."""
    ref = open_one(services, ENTERPRISE, numbers={ENTERPRISE: "923456789"})
    _mediator(services, conflicts=((None, NUMBER),))
    before = dump(database_url)
    with pytest.raises(InvalidInputError) as refused:
        services.mediators.assign(reference=ref, mediator="kari", actor="sek")
    message = str(refused.value)
    assert "kari" in message and "Kari Nordmann" in message and "enterprise-1" in message
    assert NUMBER in message and "override" in message
    assert dump(database_url) == before


def test_an_override_assigns_despite_a_hard_conflict_and_its_reason_is_audited(services: Services) -> None:
    """`mediator_assigned` holds the override's reason and the conflict found."""
    ref = open_one(services, ENTERPRISE)
    _mediator(services, conflicts=((ENTERPRISE, None),))
    found = services.mediators.assign(
        reference=ref, mediator="kari", actor="sek", override="Both parties agreed in writing"
    )
    assert [(f.party, f.soft) for f in found] == [("enterprise-1", False)]
    (entry,) = [e for e in services.audit.log(case_ref=ref) if e.kind == "mediator_assigned"]
    assert dict(entry.data) == {
        "mediator": "kari",
        "conflicts": [f'enterprise-1: hard conflict with "{ENTERPRISE}"'],
        "override": "Both parties agreed in writing",
    }
    assert entry.reason == "Both parties agreed in writing"
    assert isinstance(records.parse(entry.kind, entry.data), records.MediatorAssigned)
    shown = services.mediators.sessions(reference=ref)
    assert shown.assignments[0].override == "Both parties agreed in writing"


def test_a_soft_conflict_is_allowed_recorded_and_shown(services: Services) -> None:
    """No override needed; the conflict is in the audit entry and on the case's mediation."""
    ref = open_one(services)
    _mediator(services, soft_conflicts=(("Naturvernforbundet", None),))
    found = services.mediators.assign(reference=ref, mediator="kari", actor="sek")
    assert [(f.party, f.soft) for f in found] == [("submitter-1", True)]
    (entry,) = [e for e in services.audit.log(case_ref=ref) if e.kind == "mediator_assigned"]
    assert dict(entry.data) == {
        "mediator": "kari",
        "conflicts": ['submitter-1: soft conflict with "Naturvernforbundet"'],
    }
    (assignment,) = services.mediators.sessions(reference=ref).assignments
    assert [(c.party, c.soft) for c in assignment.now] == [("submitter-1", True)]


def test_a_party_added_later_that_conflicts_is_shown_on_the_assignment(services: Services) -> None:
    """The mediation lists the conflict found against today's parties, not only the ones at
    assignment."""
    ref = open_one(services)
    _mediator(services, conflicts=((ENTERPRISE, None),))
    services.mediators.assign(reference=ref, mediator="kari", actor="sek")
    assert services.mediators.sessions(reference=ref).assignments[0].now == []
    services.parties.add_party(reference=ref, actor="sek", role="enterprise", name=ENTERPRISE)
    (found,) = services.mediators.sessions(reference=ref).assignments[0].now
    assert (found.party, found.soft) == ("enterprise-2", False)


def test_an_inactive_or_unknown_mediator_or_a_second_assignment_is_refused(services: Services) -> None:
    """Each refusal names the mediator input."""
    ref = open_one(services)
    _mediator(services)
    with pytest.raises(InvalidInputError, match="no mediator with id 'nobody'"):
        services.mediators.assign(reference=ref, mediator="nobody", actor="sek")
    services.mediators.assign(reference=ref, mediator="kari", actor="sek")
    with pytest.raises(InvalidInputError, match="already assigned"):
        services.mediators.assign(reference=ref, mediator="kari", actor="sek")
    services.mediators.change(actor="sek", mediator_id="kari", changes={"active": False})
    services.mediators.unassign(reference=ref, mediator="kari", actor="sek")
    with pytest.raises(InvalidInputError, match="inactive"):
        services.mediators.assign(reference=ref, mediator="kari", actor="sek")


def test_a_session_in_ncp_local_time_is_stored_utc_and_audited_without_its_notes(services: Services) -> None:
    """10:00 in Oslo in June is 08:00 UTC; the audit entry leaves the notes out."""
    ref = open_one(services)
    session = services.mediators.add_session(
        reference=ref,
        actor="sek",
        starts=datetime(2025, 6, 10, 10, 0),
        format="hybrid",
        place="Oslo",
        interpreters=("fr",),
        attendees=("submitter-1", "enterprise-1", "A. Observer"),
        notes="The company will offer a fund",
    )
    assert session.starts_at == datetime(2025, 6, 10, 8, 0, tzinfo=UTC)
    (entry,) = [e for e in services.audit.log(case_ref=ref) if e.kind == "mediation_session_recorded"]
    assert dict(entry.data) == {
        "number": 1,
        "starts_at": "2025-06-10T08:00:00+00:00",
        "format": "hybrid",
        "place": "Oslo",
        "interpreters": ["fr"],
        "attendees": ["submitter-1", "enterprise-1", "A. Observer"],
    }
    auditor = User(name="aud", role="auditor")
    (shown,) = services.mediators.sessions(reference=ref, viewer=auditor).sessions
    assert shown.notes is None
    assert services.mediators.sessions(reference=ref).sessions[0].notes == "The company will offer a fund"


def test_a_mediator_user_sees_only_the_cases_it_is_assigned_to(services: Services) -> None:
    """Case list, search, calendar and ICS hold case A only; case B is unknown to it (the error
    an unknown reference gets), for reading and for recording a session; unassigned, A too."""
    mine = open_one(services, title="Mine")
    other = open_one(services, "Other Company AS", title="Not mine", submitter="Other Union")
    _mediator(services)
    services.mediators.assign(reference=mine, mediator="kari", actor="sek")
    users.add_user(
        uow=services.uow,
        clock=services.clock,
        name="kari-user",
        role="mediator",
        mediator_id="kari",
        actor="root",
    )
    viewer = User(name="kari-user", role="mediator", mediator_id="kari")
    assert [c.reference for c in services.cases.page(viewer=viewer).items] == [mine]
    assert [c.reference for c in services.cases.find(viewer=viewer, find=FindCases()).items] == [mine]
    assert services.cases.find(viewer=viewer, find=FindCases(q="Other")).total == 0
    month = services.cases.get(reference=other).open_deadlines[0].due.strftime("%Y-%m")
    handler = User(name="sek", role="handler")
    assert other in str(services.calendar.view(viewer=handler, month=month).model_dump())
    assert other not in str(services.calendar.view(viewer=viewer, month=month).model_dump())
    assert other in services.calendar.ics(viewer=handler).decode()
    ics = services.calendar.ics(viewer=viewer).decode()
    assert other not in ics
    assert services.mediators.visible(viewer=viewer, reference=mine)
    assert not services.mediators.visible(viewer=viewer, reference=other)
    with pytest.raises(CaseNotFoundError):
        services.mediators.sessions(reference=other, viewer=viewer)
    with pytest.raises(CaseNotFoundError):
        services.mediators.add_session(
            reference=other, actor="kari-user", starts=datetime(2025, 6, 10, 10, 0), format="video"
        )
    services.mediators.add_session(
        reference=mine, actor="kari-user", starts=datetime(2025, 6, 10, 10, 0), format="video"
    )
    services.mediators.unassign(reference=mine, mediator="kari", actor="sek")
    assert services.cases.page(viewer=viewer).items == []
    assert not services.mediators.visible(viewer=viewer, reference=mine)


def test_a_mediator_made_inactive_no_longer_sees_the_cases_it_was_assigned_to(services: Services) -> None:
    """Leaving the register ends what its user sees, though the assignment stays on record."""
    mine = open_one(services, title="Mine")
    _mediator(services)
    services.mediators.assign(reference=mine, mediator="kari", actor="sek")
    viewer = User(name="kari-user", role="mediator", mediator_id="kari")
    assert services.mediators.visible(viewer=viewer, reference=mine)
    services.mediators.change(actor="sek", mediator_id="kari", changes={"active": False})
    assert not services.mediators.visible(viewer=viewer, reference=mine)
    assert services.cases.page(viewer=viewer).items == []


def test_a_mediator_user_needs_a_known_mediator_and_may_not_manage_the_register(services: Services) -> None:
    """`users add --role mediator` names a mediator in the register; a mediator may not add one."""
    with pytest.raises(InvalidInputError, match="no mediator with id 'ghost'"):
        users.add_user(
            uow=services.uow,
            clock=services.clock,
            name="m",
            role="mediator",
            mediator_id="ghost",
            actor="root",
        )
    with pytest.raises(InvalidInputError, match="needs --mediator"):
        users.add_user(uow=services.uow, clock=services.clock, name="m", role="mediator", actor="root")
    _mediator(services)
    users.add_user(
        uow=services.uow, clock=services.clock, name="m", role="mediator", mediator_id="kari", actor="root"
    )
    with pytest.raises(PermissionDeniedError):
        services.mediators.add(actor="m", mediator_id="x", name="X", email="x@example.org")


def test_the_case_story_tells_assignments_and_sessions_once_with_notes_for_those_who_may(
    services: Services,
) -> None:
    """The mediation source tells the assignment (its override), the unassignment and each
    session at its start; the steps do not tell them again; an auditor's story withholds the
    session's notes."""
    ref = open_one(services, ENTERPRISE)
    _mediator(services, conflicts=((ENTERPRISE, None),))
    services.mediators.assign(reference=ref, mediator="kari", actor="sek", override="Agreed")
    services.mediators.add_session(
        reference=ref,
        actor="sek",
        starts=datetime(2025, 5, 10, 10, 0),
        format="phone",
        attendees=("enterprise-1",),
        notes="Internal remark",
    )
    services.mediators.unassign(reference=ref, mediator="kari", actor="sek")
    handler = User(name="sek", role="handler")
    story = services.cases.timeline(reference=ref, viewer=handler, kinds=["mediation"])
    assert [e.what for e in story.items] == ["unassigned", "assigned", "session"]
    assigned = story.items[1]
    assert assigned.title == "Mediator assigned: Kari Nordmann" and "Override: Agreed" in (
        assigned.text or ""
    )
    assert "Internal remark" in (story.items[2].text or "") and ENTERPRISE in (story.items[2].text or "")
    everything = services.cases.timeline(reference=ref, viewer=handler)
    assert not any(e.what.startswith("mediat") for e in everything.items if e.kind == "step")
    auditor = User(name="aud", role="auditor")
    (session,) = [
        e for e in services.cases.timeline(reference=ref, viewer=auditor).items if e.what == "session"
    ]
    assert "Internal remark" not in (session.text or "") and session.withheld
