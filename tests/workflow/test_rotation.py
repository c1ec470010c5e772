"""Lead rotation through the use cases, on SQLite and PostgreSQL: state kept in the database,
decisions audited with their reasons, refusals that write nothing, notices in the outbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import pytest
from sqlalchemy import text
from structlog.testing import capture_logs

from states.errors import InvalidInputError, StepRefusedError
from states.members import Member
from states.members import Role as MemberRole
from states.permissions import Action, PermissionDeniedError
from states.users import User
from tests import helpers
from tests.conftest import make_settings
from workflow.audit import audit_entries, verify_chain
from workflow.bootstrap import Services, bootstrap
from workflow.cases import PartyInput, advance, open_case
from workflow.clock import FixedClock
from workflow.queries import get_case
from workflow.read_models import json_of
from workflow.rotation import (
    Notices,
    advance_duty,
    alert_unavailable_leads,
    check_leads,
    may_change_lead,
    reassign,
    recuse,
    sync_members,
)
from workflow.rotation_views import lead_view, members_view, rotation_report, rotation_view
from workflow.views import case_page, case_view

NORDIC = "Nordic Metals ASA"
SECRETARIAT = "post@ncp.test"
MEMBERS: list[dict[str, Any]] = [
    {"id": "anna", "name": "Anna", "email": "anna@ncp.test", "role": "chair"},
    {"id": "bjorn", "name": "Bjørn", "email": "bjorn@ncp.test", "conflicts": [NORDIC]},
    {"id": "cecilie", "name": "Cecilie", "email": "cecilie@ncp.test", "language": "en"},
    {
        "id": "dag",
        "name": "Dag",
        "email": "dag@ncp.test",
        "leave": [{"from": "2025-06-01", "to": "2025-08-31"}],
    },
]
NOW = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)
open_one = partial(helpers.open_one, received=date(2025, 3, 3), title="Complaint")


def settings_for(url: str, members: list[dict[str, Any]] = MEMBERS, **sections: Any) -> Any:
    return make_settings(
        url, members=members, ncp={"secretariat": [SECRETARIAT], "language": "nb"}, **sections
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def app(database_url: str, clock: FixedClock) -> Iterator[Services]:
    built = bootstrap(settings_for(database_url), clock=clock)
    sync_members(uow=built.uow, clock=clock, settings=built.settings)
    yield built
    built.close()


def lead_of(app: Services, reference: str) -> str | None:
    return get_case(uow=app.uow, reference=reference).lead_member


def entries(app: Services, kind: str, reference: str | None = None) -> list[Any]:
    return [e for e in audit_entries(uow=app.uow, case_ref=reference) if e.kind == kind]


def outbox(app: Services) -> list[tuple[Any, ...]]:
    engine = app.uow.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        return [
            tuple(r)
            for r in conn.execute(text("SELECT case_ref, kind, recipient, language FROM outbox ORDER BY id"))
        ]


def state_of(app: Services, reference: str) -> tuple[Any, ...]:
    """Everything a refused change must leave alone."""
    return (
        get_case(uow=app.uow, reference=reference),
        len(list(audit_entries(uow=app.uow))),
        len(outbox(app)),
        lead_view(uow=app.uow, case=get_case(uow=app.uow, reference=reference)),
    )


def test_the_acceptance_sequence_through_the_use_cases(app: Services) -> None:
    """1-4 → A B C D; 5 → A; 6 (Nordic Metals) → C with B's skip audited; 7 → B; 8 → D."""
    refs = [open_one(app, f"Enterprise {n} AS") for n in range(1, 6)]
    refs.append(open_one(app, NORDIC))
    refs += [open_one(app, "Enterprise 7 AS"), open_one(app, "Enterprise 8 AS")]
    assert [lead_of(app, r) for r in refs] == [
        "anna",
        "bjorn",
        "cecilie",
        "dag",
        "anna",
        "cecilie",
        "bjorn",
        "dag",
    ]
    (decision,) = entries(app, "lead_assigned", refs[5])
    assert decision.data["chosen"] == "cecilie"
    assert [c["member"] for c in decision.data["candidates"]] == ["bjorn", "cecilie", "dag", "anna"]
    assert decision.data["skipped"] == [
        {"member": "bjorn", "reason": "hard_conflict", "detail": 'hard conflict with "Nordic Metals ASA"'}
    ]
    assert 'skipped bjorn: hard conflict with "Nordic Metals ASA"' in decision.reason
    assert verify_chain(uow=app.uow).ok


def test_a_differently_written_party_name_is_the_same_party(app: Services) -> None:
    """ "nordic metals  asa" skips bjorn just like "Nordic Metals ASA"."""
    first = open_one(app, "Other AS")
    assert lead_of(app, first) == "anna"
    second = open_one(app, "nordic metals  asa")
    assert lead_of(app, second) == "cecilie"
    assert entries(app, "lead_assigned", second)[0].data["skipped"][0]["member"] == "bjorn"


def test_leave_is_judged_on_the_date_of_receipt(app: Services) -> None:
    """D on leave 1 Jun to 31 Aug 2025: a case received 1 Jul skips D, one received 1 Sep not."""
    for n in range(3):
        open_one(app, f"Enterprise {n} AS")
    july = open_one(app, received=date(2025, 7, 1))
    assert lead_of(app, july) == "anna"
    assert entries(app, "lead_assigned", july)[0].data["skipped"] == [
        {"member": "dag", "reason": "on_leave", "detail": "on leave 2025-06-01 to 2025-08-31"}
    ]
    september = open_one(app, received=date(2025, 9, 1))
    assert lead_of(app, september) == "dag"


def test_a_fresh_process_continues_the_order(app: Services, database_url: str, clock: FixedClock) -> None:
    """All state is in the database: new services on the same database pick up the turn."""
    assert [lead_of(app, open_one(app)) for _ in range(2)] == ["anna", "bjorn"]
    app.close()
    fresh = bootstrap(settings_for(database_url), clock=clock)
    try:
        assert [lead_of(fresh, open_one(fresh)) for _ in range(3)] == ["cecilie", "dag", "anna"]
    finally:
        fresh.close()


def test_a_soft_conflict_takes_part_but_never_leads(database_url: str, clock: FixedClock) -> None:
    members = [{**MEMBERS[0], "soft_conflicts": [{"org_number": "923 456 789"}]}, *MEMBERS[1:]]
    app = bootstrap(settings_for(database_url, members), clock=clock)
    try:
        sync_members(uow=app.uow, clock=clock, settings=app.settings)
        ref = open_one(app, "Havbruk Seafood ASA", numbers={"Havbruk Seafood ASA": "923456789"})
        assert lead_of(app, ref) == "bjorn"
        view = json_of(lead_view(uow=app.uow, case=get_case(uow=app.uow, reference=ref)))
        taking = {p["member"]: p for p in view["taking_part"]}
        assert set(taking) == {"anna", "bjorn", "cecilie", "dag"}
        assert taking["bjorn"]["lead"] is True
        assert taking["anna"]["lead"] is False
        assert "never leads" in taking["anna"]["note"]
        assert "org. no. 923 456 789" in taking["anna"]["note"]
        assert view["not_taking_part"] == []
    finally:
        app.close()


def test_the_new_lead_is_told_in_their_language(app: Services) -> None:
    """case_assigned goes to the lead only; Cecilie reads English, the others Norwegian."""
    first, _, third = open_one(app), open_one(app), open_one(app)
    rows = outbox(app)
    assert rows[0] == (first, "case_assigned", "anna@ncp.test", "nb")
    assert rows[2] == (third, "case_assigned", "cecilie@ncp.test", "en")
    assert len(rows) == 3


def test_when_nobody_is_eligible_the_case_opens_without_a_lead_and_the_chair_hears(
    database_url: str, clock: FixedClock
) -> None:
    """No lead, a lead_unassigned entry, mail to the chair and the secretariat, and why."""
    members = [{**m, "conflicts": [NORDIC]} for m in MEMBERS]
    app = bootstrap(settings_for(database_url, members), clock=clock)
    try:
        sync_members(uow=app.uow, clock=clock, settings=app.settings)
        ref = open_one(app, NORDIC)
        case = get_case(uow=app.uow, reference=ref)
        assert case.lead_member is None
        (entry,) = entries(app, "lead_unassigned", ref)
        assert entry.data["chosen"] is None and len(entry.data["skipped"]) == 4
        assert {(r[1], r[2]) for r in outbox(app)} == {
            ("lead_unassigned", "anna@ncp.test"),
            ("lead_unassigned", SECRETARIAT),
        }
        view = json_of(lead_view(uow=app.uow, case=case))
        assert view["lead"]["member"] is None
        assert view["lead"]["why"].startswith("no eligible member (anna: hard conflict")
    finally:
        app.close()


def test_without_members_in_the_database_no_rotation_runs(services: Services) -> None:
    """Before `init` or `members sync` brings members in, cases open as before: no lead."""
    case = open_case(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference_prefix="NCP",
        title="T",
        submitters=[PartyInput("S")],
        enterprises=[PartyInput("E")],
        actor="sek",
        received=date(2025, 3, 3),
    )
    assert case.lead_member is None
    assert [e.kind for e in audit_entries(uow=services.uow)] == ["opened"]


# -- reassign and recuse ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("bjorn", 'hard conflict with "Nordic Metals ASA"'),
        ("dag", "on leave 2025-06-01 to 2025-08-31"),
    ],
)
def test_reassigning_to_a_member_who_may_not_lead_is_refused_and_writes_nothing(
    app: Services, clock: FixedClock, target: str, why: str
) -> None:
    ref = open_one(app, NORDIC)
    clock.current = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)
    before = state_of(app, ref)
    with pytest.raises(StepRefusedError, match="add override") as caught:
        reassign(
            uow=app.uow,
            clock=clock,
            reference=ref,
            to=target,
            actor="anna",
            reason="workload",
            notices=Notices(app.settings, app.render),
        )
    assert why in str(caught.value)
    assert "add --override to assign" in caught.value.words(naming=lambda field: f"--{field}")
    assert state_of(app, ref) == before


def test_reassigning_to_an_inactive_member_is_refused(
    database_url: str, app: Services, clock: FixedClock
) -> None:
    ref = open_one(app)
    sync_members(uow=app.uow, clock=clock, settings=settings_for(database_url, MEMBERS[:3]))
    before = state_of(app, ref)
    with pytest.raises(StepRefusedError, match="inactive"):
        reassign(uow=app.uow, clock=clock, reference=ref, to="dag", actor="anna", reason="r")
    assert state_of(app, ref) == before


def test_an_unknown_member_is_bad_input(app: Services, clock: FixedClock) -> None:
    ref = open_one(app)
    before = state_of(app, ref)
    with pytest.raises(InvalidInputError, match="unknown member 'zed'; members: anna, bjorn"):
        reassign(uow=app.uow, clock=clock, reference=ref, to="zed", actor="anna", reason="r")
    with pytest.raises(InvalidInputError, match="unknown member 'zed'"):
        recuse(
            uow=app.uow, clock=clock, policy=app.policy, reference=ref, member="zed", actor="anna", reason="r"
        )
    assert state_of(app, ref) == before


def test_an_override_reassigns_and_is_audited(app: Services, clock: FixedClock) -> None:
    ref = open_one(app, NORDIC)
    case = reassign(
        uow=app.uow,
        clock=clock,
        reference=ref,
        to="bjorn",
        actor="anna",
        reason="only one with the language",
        override=True,
        notices=Notices(app.settings, app.render),
    )
    assert case.lead_member == "bjorn" and case.version == 2
    (entry,) = entries(app, "lead_reassigned", ref)
    assert (entry.actor, entry.reason) == ("anna", "only one with the language")
    assert entry.data["override"] is True
    assert entry.data["overridden"][0]["reason"] == "hard_conflict"
    assert (entry.data["from"], entry.data["to"]) == ("anna", "bjorn")
    assert outbox(app)[-1][1:3] == ("case_assigned", "bjorn@ncp.test")


def test_a_reassigned_case_gives_its_turn_back(app: Services, clock: FixedClock) -> None:
    """Anna's case went to Cecilie: Anna has led nothing that stands, so she is next again."""
    ref = open_one(app)
    reassign(uow=app.uow, clock=clock, reference=ref, to="cecilie", actor="anna", reason="r")
    assert rotation_view(uow=app.uow, clock=clock, settings=app.settings).next == "anna"
    assert lead_of(app, open_one(app)) == "anna"


def test_recusal_lets_the_rule_pick_the_next_and_never_the_same_member(
    app: Services, clock: FixedClock
) -> None:
    ref = open_one(app)
    assert lead_of(app, ref) == "anna"
    case = recuse(
        uow=app.uow,
        clock=clock,
        policy=app.policy,
        reference=ref,
        member="anna",
        actor="anna",
        reason="former employer",
        notices=Notices(app.settings, app.render),
    )
    assert case.lead_member == "bjorn"
    case = recuse(
        uow=app.uow,
        clock=clock,
        policy=app.policy,
        reference=ref,
        member="bjorn",
        actor="bjorn",
        reason="workload",
    )
    assert case.lead_member == "cecilie"
    last = entries(app, "lead_recused", ref)[-1]
    assert [(s["member"], s["reason"]) for s in last.data["skipped"]] == [
        ("anna", "recused"),
        ("bjorn", "recused"),
    ]
    assert last.data["member"] == "bjorn"
    view = json_of(lead_view(uow=app.uow, case=case))
    assert view["lead"]["how"] == "recused"
    assert {s["member"] for s in view["not_taking_part"]} == {"anna", "bjorn"}


def test_only_the_lead_can_recuse_and_a_closed_case_keeps_its_lead(app: Services, clock: FixedClock) -> None:
    ref = open_one(app)
    with pytest.raises(StepRefusedError, match="bjorn does not lead the case"):
        recuse(
            uow=app.uow,
            clock=clock,
            policy=app.policy,
            reference=ref,
            member="bjorn",
            actor="bjorn",
            reason="r",
        )
    advance(
        uow=app.uow,
        clock=clock,
        policy=app.policy,
        reference=ref,
        trigger="transfer",
        actor="sek",
        reason="Swedish NCP leads",
        at=date(2025, 3, 4),
    )
    with pytest.raises(StepRefusedError, match="closed"):
        reassign(uow=app.uow, clock=clock, reference=ref, to="bjorn", actor="anna", reason="r")


# -- members ------------------------------------------------------------------------------------


def test_a_member_removed_from_config_is_deactivated_not_deleted(
    app: Services, database_url: str, clock: FixedClock
) -> None:
    """History stays readable; the rotation passes them by; adding them back reactivates."""
    refs = [open_one(app) for _ in range(4)]
    changes = sync_members(
        uow=app.uow, clock=clock, settings=settings_for(database_url, MEMBERS[1:]), actor="anna"
    )
    assert changes.deactivated == ("anna",)
    (synced,) = [e for e in entries(app, "members_synced") if e.data["deactivated"]]
    assert synced.actor == "anna"
    listed = json_of(members_view(uow=app.uow, clock=clock, settings=app.settings))["members"]
    assert [(m["id"], m["active"]) for m in listed] == [
        ("bjorn", True),
        ("cecilie", True),
        ("dag", True),
        ("anna", False),
    ]
    old = json_of(lead_view(uow=app.uow, case=get_case(uow=app.uow, reference=refs[0])))
    assert old["lead"]["name"] == "Anna"
    assert lead_of(app, open_one(app)) == "bjorn"
    again = sync_members(uow=app.uow, clock=clock, settings=app.settings)
    assert again.reactivated == ("anna",)


def test_syncing_an_unchanged_config_writes_nothing(app: Services, clock: FixedClock) -> None:
    before = len(list(audit_entries(uow=app.uow)))
    assert sync_members(uow=app.uow, clock=clock, settings=app.settings).empty
    assert len(list(audit_entries(uow=app.uow))) == before


# -- rotation check and the chair's alert -------------------------------------------------------


def test_a_new_conflict_or_leave_is_listed_not_acted_on(
    app: Services, database_url: str, clock: FixedClock
) -> None:
    """After sync, check lists the cases whose lead is now conflicted or away; leads stay."""
    first, second = open_one(app, "Statkraft SF"), open_one(app)
    members = [
        {**MEMBERS[0], "conflicts": ["statkraft  sf"]},
        {**MEMBERS[1], "leave": [{"from": "2025-09-15", "to": "2025-10-15"}]},
        *MEMBERS[2:],
    ]
    sync_members(uow=app.uow, clock=clock, settings=settings_for(database_url, members))
    found = {p.case.reference: [str(s) for s in p.problems] for p in check_leads(uow=app.uow, clock=clock)}
    assert found == {
        first: ['anna: hard conflict with "statkraft  sf"'],
        second: ["bjorn: on leave 2025-09-15 to 2025-10-15"],
    }
    assert (lead_of(app, first), lead_of(app, second)) == ("anna", "bjorn")


def test_the_chair_is_alerted_once_per_problem(app: Services, database_url: str, clock: FixedClock) -> None:
    ref = open_one(app, "Statkraft SF")
    members = [{**MEMBERS[0], "conflicts": ["Statkraft SF"]}, *MEMBERS[1:]]
    sync_members(uow=app.uow, clock=clock, settings=settings_for(database_url, members))
    notices = Notices(app.settings, app.render)
    alerted = alert_unavailable_leads(uow=app.uow, clock=clock, notices=notices)
    assert [(a["case"], a["lead"]) for a in alerted] == [(ref, "anna")]
    assert alert_unavailable_leads(uow=app.uow, clock=clock, notices=notices) == []
    assert [r[1:3] for r in outbox(app)][-1] == ("lead_unavailable", "anna@ncp.test")
    assert len(entries(app, "lead_alert", ref)) == 1


# -- periodic duty ------------------------------------------------------------------------------


def test_duty_rotates_once_per_period_and_new_cases_follow_it(database_url: str, clock: FixedClock) -> None:
    app = bootstrap(settings_for(database_url, rotation={"mode": "periodic", "every": "1mo"}), clock=clock)
    try:
        sync_members(uow=app.uow, clock=clock, settings=app.settings)
        clock.current = datetime(2025, 4, 1, 6, 0, tzinfo=UTC)
        first = advance_duty(uow=app.uow, clock=clock, policy=app.policy)
        assert (first.rotated, first.duty) == (True, "anna")
        assert first.until == datetime(2025, 4, 30, 22, 0, tzinfo=UTC)  # 1 May, Oslo midnight
        clock.current = datetime(2025, 4, 20, 6, 0, tzinfo=UTC)
        assert advance_duty(uow=app.uow, clock=clock, policy=app.policy).rotated is False
        assert lead_of(app, open_one(app, received=date(2025, 4, 20))) == "anna"
        assert lead_of(app, open_one(app, received=date(2025, 4, 20))) == "anna"
        clock.current = datetime(2025, 5, 1, 0, 5, tzinfo=UTC)
        assert advance_duty(uow=app.uow, clock=clock, policy=app.policy).duty == "bjorn"
        conflicted = open_one(app, NORDIC, received=date(2025, 5, 1))
        assert lead_of(app, conflicted) == "cecilie"
        assert len(entries(app, "duty_rotated")) == 2
    finally:
        app.close()


def test_the_rotation_view_names_the_period_only_in_periodic_mode(
    app: Services, database_url: str, clock: FixedClock
) -> None:
    """`rotation show --json` holds `every` and a duty in periodic mode; per case, no `every`."""
    per_case = json_of(rotation_view(uow=app.uow, clock=clock, settings=app.settings))
    assert "every" not in per_case and per_case["duty"] is None
    periodic = bootstrap(
        settings_for(database_url, rotation={"mode": "periodic", "every": "1mo"}), clock=clock
    )
    try:
        advance_duty(uow=periodic.uow, clock=clock, policy=periodic.policy)
        view = json_of(rotation_view(uow=periodic.uow, clock=clock, settings=periodic.settings))
        assert list(view)[-2:] == ["config_changes", "every"] and view["every"] == "1mo"
        assert view["duty"]["member"] == "anna" and view["duty"]["since"].startswith("2025-")
    finally:
        periodic.close()


def test_rotation_advance_refuses_in_per_case_mode(app: Services, clock: FixedClock) -> None:
    with pytest.raises(InvalidInputError, match="per_case"):
        advance_duty(uow=app.uow, clock=clock, policy=app.policy)


# -- views --------------------------------------------------------------------------------------


def test_show_names_who_is_next_and_why_not_each_other_member(app: Services, clock: FixedClock) -> None:
    clock.current = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)
    open_one(app)
    view = json_of(rotation_view(uow=app.uow, clock=clock, settings=app.settings))
    assert view["next"] == "bjorn"
    why = {row["member"]: (row["status"], row["why"]) for row in view["members"]}
    assert why["bjorn"][0] == "next"
    assert why["dag"] == ("on_leave", "on leave 2025-06-01 to 2025-08-31")
    assert why["anna"] == ("later", "last led NCP-2025-001; after bjorn in rotation order")
    assert view["config_changes"] is None


def test_the_report_counts_leads_caseload_and_skips_over_a_period(app: Services, clock: FixedClock) -> None:
    refs = [open_one(app, NORDIC, received=date(2025, 7, d)) for d in (1, 2, 3)]
    open_one(app, received=date(2025, 9, 1))
    advance(
        uow=app.uow,
        clock=clock,
        policy=app.policy,
        reference=refs[0],
        trigger="transfer",
        actor="sek",
        reason="r",
        at=date(2025, 7, 5),
    )
    report = json_of(
        rotation_report(uow=app.uow, policy=app.policy, since=date(2025, 7, 1), until=date(2025, 7, 31))
    )
    rows = {r["member"]: r for r in report["members"]}
    assert report["decisions"] == 3
    # 1 Jul: anna (never led); 2 Jul: bjorn skipped, cecilie; 3 Jul: bjorn and dag skipped, anna.
    assert {m: r["led"] for m, r in rows.items()} == {"anna": 2, "bjorn": 0, "cecilie": 1, "dag": 0}
    assert report["skips_by_reason"] == {"hard_conflict": 2, "on_leave": 1}
    assert rows["bjorn"]["skipped"] == {"hard_conflict": 2}
    assert rows["anna"]["open_caseload"] == 1  # her first case was transferred (closed)
    everything = json_of(rotation_report(uow=app.uow, policy=app.policy))
    assert everything["decisions"] == 4
    with pytest.raises(InvalidInputError, match="before --from"):
        rotation_report(uow=app.uow, policy=app.policy, since=date(2025, 8, 1), until=date(2025, 7, 1))


def test_the_scheduler_checks_leads_always_and_rotates_duty_only_in_periodic_mode(
    app: Services, database_url: str, clock: FixedClock
) -> None:
    """Fixed job ids; each job is a thin call that logs `job_ran` and reloads all state."""
    from workflow import scheduler

    assert scheduler.jobs(app) == [scheduler.SWEEP_JOB, scheduler.DISPATCH_JOB, scheduler.LEADS_JOB]
    periodic = bootstrap(settings_for(database_url, rotation={"mode": "periodic"}), clock=clock)
    try:
        built = scheduler.build(periodic)
        assert {job.id for job in built.get_jobs()} == {
            scheduler.SWEEP_JOB,
            scheduler.DISPATCH_JOB,
            scheduler.DUTY_JOB,
            scheduler.LEADS_JOB,
        }
        with capture_logs() as logs:
            scheduler.run_duty(periodic)
            scheduler.run_duty(periodic)
            scheduler.run_leads_check(periodic)
        ran = [(e["job"], e.get("rotated"), e.get("alerted")) for e in logs if e["event"] == "job_ran"]
        assert ran == [
            (scheduler.DUTY_JOB, True, None),
            (scheduler.DUTY_JOB, False, None),
            (scheduler.LEADS_JOB, None, 0),
        ]
    finally:
        periodic.close()


def test_a_page_of_cases_reads_the_leads_of_all_of_them_at_once_and_as_one_by_one(
    database_url: str, clock: FixedClock
) -> None:
    app = bootstrap(settings_for(database_url), clock=clock)
    try:
        sync_members(uow=app.uow, clock=clock, settings=app.settings)
        refs = [open_one(app, f"Enterprise {n} AS") for n in range(4)]
        reassign(
            uow=app.uow,
            clock=clock,
            reference=refs[1],
            to="dag",
            actor="sek",
            reason="workload",
            notices=Notices(app.settings, app.render),
        )
        viewer = User(name="sek", role="handler")
        reads = 0
        real_read = app.uow.read

        def counting_read():  # type: ignore[no-untyped-def]
            nonlocal reads
            reads += 1
            return real_read()

        app.uow.read = counting_read  # type: ignore[method-assign]
        try:
            page = case_page(uow=app.uow, today=NOW.date(), viewer=viewer, limit=10)
        finally:
            app.uow.read = real_read  # type: ignore[method-assign]
        assert reads == 2  # the page of cases, then every lead and panel
        one_by_one = [
            case_view(uow=app.uow, case=get_case(uow=app.uow, reference=ref), today=NOW.date(), viewer=viewer)
            for ref in refs
        ]
        assert page.items == one_by_one
        assert page.items[1].lead.member == "dag"
        assert page.items[1].lead.how == "reassigned"
    finally:
        app.close()


CHAIR_AND_MEMBERS = (
    Member("anna", "Anna", "anna@ncp.test", role=MemberRole.CHAIR),
    Member("bjorn", "Bjørn", "bjorn@ncp.test"),
    Member("old", "Old chair", "old@ncp.test", role=MemberRole.CHAIR, active=False),
)


@pytest.mark.parametrize(
    ("user", "why"),
    [
        (User(name="hanna", role="handler"), None),
        (User(name="clara", role="member", member_id="anna"), None),
        (
            User(name="bo", role="member", member_id="bjorn"),
            "member bjorn is not the NCP's chair (chair: anna)",
        ),
        (User(name="ole", role="member", member_id="old"), "member old is not the NCP's chair"),
        (User(name="mo", role="member"), "member (none) is not the NCP's chair"),
        (User(name="aud", role="auditor"), ""),
        (User(name="root", role="admin"), ""),
    ],
    ids=["handler", "chair", "member", "inactive-chair", "unlinked", "auditor", "admin"],
)
@pytest.mark.parametrize("action", [Action.REASSIGN_CASE, Action.RECUSE_MEMBER])
def test_only_handlers_and_the_active_chairs_member_user_may_change_a_lead(
    user: User, why: str | None, action: Action
) -> None:
    """`may_change_lead`: handlers hold the action; a member user only when linked to the active
    chair; every refusal names the role and the action, a member's also why."""
    if why is None:
        may_change_lead(user, CHAIR_AND_MEMBERS, action)
        return
    with pytest.raises(PermissionDeniedError, match=f"role '{user.role}' may not {action.value}") as err:
        may_change_lead(user, CHAIR_AND_MEMBERS, action)
    assert why in str(err.value)
