"""The SQL member store on SQLite and PostgreSQL: members round trip, turns given up stop
counting, duty periods, the once-only lead alert claim, and party organisation numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime

from states.case import PartyRole
from states.members import Leave, Member, PartyMatch, Reason, Role, Skip
from states.rotation import Turn
from workflow.bootstrap import Services
from workflow.cases import PartyInput, open_case

AT = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
ANNA = Member(
    "anna",
    "Anna «Ø»",
    "anna@ncp.test",
    Role.CHAIR,
    "en",
    conflicts=(PartyMatch("Nordic Metals ASA"), PartyMatch(org_number="923 456 789")),
    soft_conflicts=(PartyMatch("Havbruk Seafood ASA", "987654321"),),
    leave=(Leave(date(2025, 6, 1), date(2025, 8, 31)),),
)
BJORN = Member("bjorn", "Bjørn", "bjorn@ncp.test")


def test_members_round_trip_and_deactivated_ones_come_last(services: Services) -> None:
    with services.uow.write() as tx:
        tx.members.put(ANNA, position=0, at=AT)
        tx.members.put(BJORN, position=1, at=AT)
    with services.uow.read() as tx:
        assert tx.members.all() == [ANNA, BJORN]
    with services.uow.write() as tx:
        tx.members.deactivate("anna", position=2, at=AT)
        tx.members.put(BJORN, position=0, at=AT)
    with services.uow.read() as tx:
        assert [(m.id, m.active) for m in tx.members.all()] == [("bjorn", True), ("anna", False)]


def test_a_turn_given_up_stops_counting_and_the_earlier_one_stands(services: Services) -> None:
    skip = Skip("bjorn", Reason.HARD_CONFLICT, 'hard conflict with "Nordic Metals ASA"')
    with services.uow.write() as tx:
        first = tx.members.record(
            case_ref="NCP-2025-001",
            member_id="anna",
            kind="opened",
            at=AT,
            explanation="chose anna",
            skipped=[skip],
        )
        tx.members.record(
            case_ref="NCP-2025-002",
            member_id="anna",
            kind="opened",
            at=AT,
            explanation="chose anna",
            skipped=[],
        )
        tx.members.record(
            case_ref="NCP-2025-003",
            member_id=None,
            kind="opened",
            at=AT,
            explanation="no eligible member",
            skipped=[],
        )
        assert tx.members.last_led()["anna"].case_ref == "NCP-2025-002"
        tx.members.give_up(case_ref="NCP-2025-002", member_id="anna", at=AT, kind="recused")
    with services.uow.read() as tx:
        assert tx.members.last_led() == {"anna": Turn(first, "NCP-2025-001")}
        assert tx.members.recused("NCP-2025-002") == frozenset({"anna"})
        records = tx.members.decisions(case_ref="NCP-2025-001")
        assert [(r.member_id, r.skipped) for r in records] == [("anna", (skip,))]
        assert len(tx.members.decisions(since=AT, until=AT.replace(hour=10))) == 3
        assert tx.members.decisions(since=AT.replace(hour=10)) == []


def test_duty_periods_keep_who_was_on_duty_and_when(services: Services) -> None:
    with services.uow.write() as tx:
        assert tx.members.duty() is None
        tx.members.start_duty(member_id="anna", at=AT, on=date(2025, 3, 3), actor="scheduler")
        tx.members.start_duty(
            member_id="bjorn", at=AT.replace(month=4), on=date(2025, 4, 3), actor="scheduler"
        )
    with services.uow.read() as tx:
        duty = tx.members.duty()
        assert duty is not None and (duty.member, duty.since) == ("bjorn", AT.replace(month=4))
        on_duty = tx.members.last_on_duty()
        assert on_duty["anna"].since == date(2025, 3, 3)
        assert on_duty["anna"].seq < on_duty["bjorn"].seq


def test_the_lead_alert_claim_succeeds_once(services: Services) -> None:
    with services.uow.write() as tx:
        claim = {"case_ref": "NCP-2025-001", "member_id": "anna", "problem": "on_leave", "at": AT}
        assert tx.members.claim_alert(**claim) is True
        assert tx.members.claim_alert(**claim) is False
        assert tx.members.claim_alert(**{**claim, "problem": "hard_conflict"}) is True


def test_a_partys_organisation_number_round_trips(services: Services) -> None:
    case = open_case(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference_prefix="NCP",
        title="T",
        submitters=[PartyInput("S")],
        enterprises=[PartyInput("Nordic Metals ASA", org_number="923 456 789")],
        actor="sek",
        received=date(2025, 3, 3),
    )
    with services.uow.read() as tx:
        loaded = tx.cases.get(case.reference)
    assert loaded == case
    enterprise = next(p for p in loaded.parties if p.role is PartyRole.ENTERPRISE)
    assert enterprise.org_number == "923 456 789"


def test_values_set_in_the_browser_are_kept_beside_configs_and_counted_with_them(services: Services) -> None:
    """A leave period and a conflict set in the browser read back with who set them and why;
    `all()` adds them to config's values, `configured()` does not, and a config sync's `put`
    leaves them alone; removing one leaves the other."""
    from states.members import SettingKind

    august = Leave(date(2025, 8, 1), date(2025, 8, 15))
    fjord = PartyMatch("Fjord Mining AS", "912 345 678")
    with services.uow.write() as tx:
        tx.members.put(ANNA, position=0, at=AT)
        leave = tx.members.add_setting(
            member_id="anna", kind=SettingKind.LEAVE, reason="", actor="hanna", at=AT, leave=august
        )
        conflict = tx.members.add_setting(
            member_id="anna",
            kind=SettingKind.SOFT_CONFLICT,
            reason="Board member «Ø»",
            actor="hanna",
            at=AT,
            party=fjord,
        )
        tx.members.put(ANNA, position=0, at=AT)  # a sync writes config's values again
    with services.uow.read() as tx:
        assert tx.members.settings("anna") == [leave, conflict]
        assert tx.members.settings("bjorn") == []
        assert tx.members.configured() == [ANNA]
        (merged,) = tx.members.all()
    assert merged.leave == (*ANNA.leave, august)
    assert merged.soft_conflicts == (*ANNA.soft_conflicts, fjord)
    assert merged.conflicts == ANNA.conflicts
    assert conflict.set_by == "hanna" and conflict.set_at == AT and conflict.reason == "Board member «Ø»"
    with services.uow.write() as tx:
        tx.members.remove_setting(leave.id)
    with services.uow.read() as tx:
        assert tx.members.settings() == [conflict]
        assert tx.members.all()[0].leave == ANNA.leave
