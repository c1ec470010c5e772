"""The rotation rule as pure values: order, eligibility with reasons, duty, panels and sync plans."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from states.errors import InvalidInputError
from states.members import (
    Leave,
    Member,
    PartyMatch,
    Reason,
    Role,
    normalise_name,
    panel,
    plan_sync,
    why_not_lead,
)
from states.rotation import DutyTurn, RotationMode, RotationRule, Turn, choose_duty, choose_lead


@dataclass(frozen=True)
class P:
    name: str
    org_number: str | None = None


A = Member("anna", "Anna", "anna@ncp.test", Role.CHAIR)
B = Member("bjorn", "Bjørn", "bjorn@ncp.test", conflicts=(PartyMatch("Nordic Metals ASA"),))
C = Member("cecilie", "Cecilie", "cecilie@ncp.test")
D = Member("dag", "Dag", "dag@ncp.test", leave=(Leave(date(2025, 6, 1), date(2025, 8, 31)),))
MEMBERS = (A, B, C, D)
DAY = date(2025, 3, 3)


class Replay:
    """Opens cases one by one against the pure rule, keeping the state the database would."""

    def __init__(self, members: tuple[Member, ...] = MEMBERS) -> None:
        self.members = members
        self.last_led: dict[str, Turn] = {}
        self.turn = 0

    def open(self, *enterprises: str, on: date = DAY) -> str | None:
        self.turn += 1
        decision = choose_lead(
            self.members, parties=[P(e) for e in enterprises], on=on, last_led=self.last_led
        )
        if decision.chosen:
            self.last_led[decision.chosen] = Turn(self.turn, f"NCP-2025-{self.turn:03d}")
        return decision.chosen


def test_the_acceptance_sequence_skips_the_conflicted_member_and_keeps_the_order() -> None:
    """1-4 → A B C D; 5 → A; 6 (Nordic Metals) → C, B skipped; 7 → B; 8 → D."""
    replay = Replay()
    leads = [replay.open(f"Enterprise {n} AS") for n in range(1, 6)]
    leads.append(replay.open("Nordic Metals ASA"))
    leads += [replay.open("Enterprise 7 AS"), replay.open("Enterprise 8 AS")]
    assert leads == ["anna", "bjorn", "cecilie", "dag", "anna", "cecilie", "bjorn", "dag"]


def test_the_decision_lists_candidates_skips_with_reasons_and_the_choice() -> None:
    """Case 6: candidates in rotation order, `bjorn: hard conflict with "Nordic Metals ASA"`."""
    last = {
        "anna": Turn(5, "NCP-2025-005"),
        "bjorn": Turn(2, "NCP-2025-002"),
        "cecilie": Turn(3, "NCP-2025-003"),
        "dag": Turn(4, "NCP-2025-004"),
    }
    decision = choose_lead(MEMBERS, parties=[P("Nordic Metals ASA")], on=DAY, last_led=last)
    assert [c.member for c in decision.candidates] == ["bjorn", "cecilie", "dag", "anna"]
    assert [str(s) for s in decision.skipped] == ['bjorn: hard conflict with "Nordic Metals ASA"']
    assert decision.chosen == "cecilie"
    assert decision.explain().startswith("chose cecilie (last led NCP-2025-003; rule: least recently led")
    assert decision.explain().endswith('skipped bjorn: hard conflict with "Nordic Metals ASA"')
    assert decision.as_dict()["skipped"] == [
        {"member": "bjorn", "reason": "hard_conflict", "detail": 'hard conflict with "Nordic Metals ASA"'}
    ]


@pytest.mark.parametrize(
    "spelling", ["nordic metals  asa", "  NORDIC\tMetals ASA ", "Nordic\u00a0Metals ASA"]
)
def test_party_names_compare_case_and_whitespace_insensitively(spelling: str) -> None:
    """ "nordic metals  asa" is the same party as "Nordic Metals ASA"."""
    assert normalise_name(spelling) == normalise_name("Nordic Metals ASA")
    skip = why_not_lead(B, parties=[P(spelling)], on=DAY)
    assert skip is not None and skip.reason is Reason.HARD_CONFLICT


def test_a_conflict_also_matches_by_organisation_number_where_both_give_one() -> None:
    """A renamed enterprise is still caught by its number; a name alone never needs one."""
    member = Member("e", "E", "e@x.no", conflicts=(PartyMatch(org_number="923 456 789"),))
    renamed = P("Nordisk Metall AS", "923456789")
    skip = why_not_lead(member, parties=[renamed], on=DAY)
    assert skip is not None
    assert skip.detail == 'hard conflict with "Nordisk Metall AS" (org. no. 923 456 789)'
    assert why_not_lead(member, parties=[P("Nordisk Metall AS")], on=DAY) is None
    assert why_not_lead(member, parties=[P("Other AS", "111 222 333")], on=DAY) is None
    named = Member("f", "F", "f@x.no", conflicts=(PartyMatch("Nordic Metals ASA", "923456789"),))
    assert why_not_lead(named, parties=[P("nordic metals asa", "999")], on=DAY) is not None


def test_a_member_on_leave_on_the_date_of_receipt_is_skipped_and_not_after() -> None:
    """D on leave 1 Jun to 31 Aug 2025: received 1 Jul skips D; received 1 Sep does not."""
    replay = Replay()
    for n in range(3):
        replay.open(f"Enterprise {n} AS")
    july = Replay()
    july.last_led, july.turn = dict(replay.last_led), replay.turn
    assert july.open("Enterprise X AS", on=date(2025, 7, 1)) == "anna"
    assert replay.open("Enterprise X AS", on=date(2025, 9, 1)) == "dag"
    decision = choose_lead(MEMBERS, on=date(2025, 7, 1), last_led=july.last_led)
    assert [str(s) for s in decision.skipped] == ["dag: on leave 2025-06-01 to 2025-08-31"]


@pytest.mark.parametrize(
    ("day", "away"),
    [
        (date(2025, 5, 31), False),
        (date(2025, 6, 1), True),
        (date(2025, 8, 31), True),
        (date(2025, 9, 1), False),
    ],
)
def test_leave_covers_both_its_first_and_its_last_day(day: date, away: bool) -> None:
    assert (why_not_lead(D, on=day) is not None) is away


def test_a_soft_conflict_never_leads_but_takes_part() -> None:
    """Soft-conflicted: skipped as lead with the reason, listed in the panel with a note."""
    soft = replace(A, soft_conflicts=(PartyMatch("Havbruk Seafood ASA"),))
    parties = [P("Havbruk Seafood ASA")]
    decision = choose_lead((soft, B, C, D), parties=parties, on=DAY, last_led={})
    assert decision.chosen == "bjorn"
    assert decision.skipped[0].reason is Reason.SOFT_CONFLICT
    taking, out = panel((soft, B, C, D), parties=parties, lead="bjorn")
    assert [(p.member.id, p.lead) for p in taking] == [
        ("anna", False),
        ("bjorn", True),
        ("cecilie", False),
        ("dag", False),
    ]
    assert taking[0].note is not None and "takes part, never leads" in taking[0].note
    assert out == ()


def test_a_hard_conflict_keeps_a_member_out_of_the_panel() -> None:
    taking, out = panel(MEMBERS, parties=[P("Nordic Metals ASA")], lead="cecilie")
    assert "bjorn" not in [p.member.id for p in taking]
    assert [str(s) for s in out] == ['bjorn: hard conflict with "Nordic Metals ASA"']


def test_inactive_members_are_out_of_the_rotation() -> None:
    """A member removed from config is neither a candidate nor skipped: just gone."""
    gone = replace(A, active=False)
    decision = choose_lead((gone, B, C, D), on=DAY, last_led={})
    assert decision.chosen == "bjorn"
    assert "anna" not in [c.member for c in decision.candidates]
    skip = why_not_lead(gone, on=DAY)
    assert skip is not None and skip.reason is Reason.INACTIVE


def test_when_nobody_is_eligible_the_decision_says_why_for_each() -> None:
    everyone = tuple(replace(m, conflicts=(PartyMatch("Statkraft SF"),)) for m in MEMBERS)
    decision = choose_lead(everyone, parties=[P("statkraft sf")], on=DAY, last_led={})
    assert decision.chosen is None
    assert len(decision.skipped) == 4
    assert decision.explain().startswith("no eligible member (anna: hard conflict")
    assert choose_lead((), on=DAY, last_led={}).explain() == "no active members to choose from"


def test_a_recused_member_is_not_chosen_again_for_that_case() -> None:
    decision = choose_lead(MEMBERS, on=DAY, last_led={}, recused=frozenset({"anna"}))
    assert decision.chosen == "bjorn"
    assert [str(s) for s in decision.skipped] == ["anna: recused from this case"]


PERIODIC = RotationRule(mode=RotationMode.PERIODIC)


def test_periodic_duty_gives_new_cases_to_the_duty_lead() -> None:
    decision = choose_lead(
        MEMBERS,
        on=DAY,
        last_led={},
        rule=PERIODIC,
        duty="cecilie",
        last_on_duty={"cecilie": DutyTurn(3, DAY)},
    )
    assert decision.chosen == "cecilie"
    assert decision.candidates[0].note == "the duty lead"


def test_a_conflicted_duty_lead_passes_the_case_to_the_next_in_duty_order() -> None:
    """Duty order after the duty lead: least recently on duty, never-on-duty first."""
    on_duty = {
        "anna": DutyTurn(1, date(2025, 1, 1)),
        "bjorn": DutyTurn(2, date(2025, 2, 1)),
        "dag": DutyTurn(3, date(2025, 3, 1)),
    }
    decision = choose_lead(
        MEMBERS,
        parties=[P("Nordic Metals ASA")],
        on=DAY,
        last_led={},
        rule=PERIODIC,
        duty="bjorn",
        last_on_duty=on_duty,
    )
    assert [c.member for c in decision.candidates] == ["bjorn", "cecilie", "anna", "dag"]
    assert decision.chosen == "cecilie"
    assert [s.reason for s in decision.skipped] == [Reason.HARD_CONFLICT]


def test_duty_passes_to_the_least_recently_on_duty_skipping_leave() -> None:
    on_duty = {"anna": DutyTurn(1, date(2025, 5, 1)), "bjorn": DutyTurn(2, date(2025, 6, 1))}
    summer = choose_duty(MEMBERS, current="bjorn", last_on_duty=on_duty, on=date(2025, 7, 1))
    assert [c.member for c in summer.candidates] == ["cecilie", "dag", "anna", "bjorn"]
    assert summer.chosen == "cecilie"
    after = choose_duty(
        MEMBERS,
        current="cecilie",
        last_on_duty={**on_duty, "cecilie": DutyTurn(3, date(2025, 7, 1))},
        on=date(2025, 7, 15),
    )
    assert after.chosen == "anna"
    assert [str(s) for s in after.skipped] == ["dag: on leave 2025-06-01 to 2025-08-31"]


def test_the_member_on_duty_stays_only_when_nobody_else_can_take_it() -> None:
    alone = (A, replace(B, active=False), replace(C, leave=(Leave(DAY, DAY),)))
    decision = choose_duty(alone, current="anna", last_on_duty={}, on=DAY)
    assert decision.chosen == "anna"
    assert "on duty now" in decision.explain()


def test_plan_sync_adds_updates_reactivates_and_deactivates_but_never_deletes() -> None:
    stored = (A, B, replace(C, active=False), D)
    wanted = (A, replace(B, email="b@new.test"), C)
    changes = plan_sync(stored, wanted)
    assert changes.added == ()
    assert dict(changes.changed) == {"bjorn": ("email",)}
    assert changes.reactivated == ("cecilie",)
    assert changes.deactivated == ("dag",)
    assert plan_sync(MEMBERS, MEMBERS).empty
    assert plan_sync((), MEMBERS).added == ("anna", "bjorn", "cecilie", "dag")
    assert plan_sync(MEMBERS, (B, A, C, D)).reordered


def test_bad_values_are_refused_with_a_message() -> None:
    with pytest.raises(InvalidInputError, match=r"ends \(2025-06-01\) before it starts"):
        Leave(date(2025, 8, 31), date(2025, 6, 1))
    with pytest.raises(InvalidInputError, match="a party name or an organisation number"):
        PartyMatch(" ")


@given(
    st.lists(
        st.sampled_from(["Nordic Metals ASA", "Havbruk Seafood ASA", "Other AS"]), min_size=1, max_size=60
    ),
    st.lists(st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31)), min_size=60, max_size=60),
)
def test_every_choice_is_eligible_and_every_skip_comes_before_it(
    enterprises: list[str], days: list[date]
) -> None:
    """Whatever arrives: the chosen member may lead, each one passed over has a reason."""
    replay = Replay()
    for turn, (enterprise, day) in enumerate(zip(enterprises, days, strict=False), start=1):
        decision = choose_lead(MEMBERS, parties=[P(enterprise)], on=day, last_led=replay.last_led)
        order = [c.member for c in decision.candidates]
        if decision.chosen is not None:
            member = next(m for m in MEMBERS if m.id == decision.chosen)
            assert why_not_lead(member, parties=[P(enterprise)], on=day) is None
            assert [s.member for s in decision.skipped] == order[: order.index(decision.chosen)]
            replay.last_led[decision.chosen] = Turn(turn, str(turn))


@given(st.integers(min_value=1, max_value=80))
def test_without_conflicts_or_leave_the_load_is_even(cases: int) -> None:
    """No two members' counts differ by more than one."""
    replay = Replay((A, C, replace(B, conflicts=()), replace(D, leave=())))
    counts = Counter(replay.open("Other AS") for _ in range(cases))
    assert max(counts.values()) - min(counts.get(m, 0) for m in ("anna", "bjorn", "cecilie", "dag")) <= 1
