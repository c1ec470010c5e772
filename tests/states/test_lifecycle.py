"""The lifecycle of DOMAIN.md, checked against tables written here by hand.

The tables below are deliberately not derived from the shipped definition
(states/procedures/oecd-2023.toml, as loaded): if a transition of the definition is wrong,
missing or extra, one of these tests fails.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import pytest

from states.calendar import CalendarRule
from states.case import Case, Party, PartyRole, Policy, advance, allowed_triggers, open_case
from states.durations import Duration
from states.errors import InvalidInputError, OutcomeError, TransitionNotAllowedError
from states.lifecycle import DeadlineName, Outcome, State, Trigger
from states.machine import fire
from states.procedure import Transition
from tests.helpers import OECD

S, T, Oc = State, Trigger, Outcome

REFERENCE = "NCP-2025-007"
RECEIVED_AT = datetime(2025, 1, 31, 9, 0, tzinfo=UTC)

TIMELINES = {
    DeadlineName.ACKNOWLEDGEMENT: "14d",
    DeadlineName.INITIAL_ASSESSMENT: "3mo",
    DeadlineName.GOOD_OFFICES: "6mo",
    DeadlineName.EXAMINATION: "3mo",
    DeadlineName.FINAL_STATEMENT: "3mo",
    DeadlineName.PROCEDURE: "12mo",
    DeadlineName.FOLLOW_UP: "12mo",
}


def make_policy(*, examination: bool = True) -> Policy:
    return Policy(
        timelines={name: Duration.parse(text) for name, text in TIMELINES.items()},
        calendar=CalendarRule("Europe/Oslo"),
        procedure=OECD,
        examination=examination,
    )


POLICY = make_policy()
NO_EXAMINATION = make_policy(examination=False)


class Row(NamedTuple):
    source: State
    trigger: Trigger
    given: Outcome | None
    dest: State
    recorded: Outcome | None


# One row per way through the lifecycle in DOMAIN.md (and one per outcome where it matters).
EXPECTED: tuple[Row, ...] = (
    Row(S.RECEIVED, T.BEGIN_ASSESSMENT, None, S.INITIAL_ASSESSMENT, None),
    Row(S.INITIAL_ASSESSMENT, T.ACCEPT, None, S.GOOD_OFFICES, None),
    Row(S.INITIAL_ASSESSMENT, T.REJECT, None, S.FINAL_STATEMENT, Oc.NOT_ACCEPTED),
    Row(S.GOOD_OFFICES, T.EXAMINE, Oc.NO_AGREEMENT, S.EXAMINATION, Oc.NO_AGREEMENT),
    Row(S.GOOD_OFFICES, T.EXAMINE, Oc.ENTERPRISE_DECLINED, S.EXAMINATION, Oc.ENTERPRISE_DECLINED),
    Row(S.GOOD_OFFICES, T.EXAMINE, Oc.PARTIAL_AGREEMENT, S.EXAMINATION, Oc.PARTIAL_AGREEMENT),
    Row(S.GOOD_OFFICES, T.EXAMINE, Oc.SUBMITTER_DECLINED, S.EXAMINATION, Oc.SUBMITTER_DECLINED),
    Row(S.GOOD_OFFICES, T.EXAMINE, Oc.PARTIES_DECLINED, S.EXAMINATION, Oc.PARTIES_DECLINED),
    Row(S.GOOD_OFFICES, T.CONCLUDE, Oc.AGREEMENT, S.FINAL_STATEMENT, Oc.AGREEMENT),
    Row(S.GOOD_OFFICES, T.CONCLUDE, Oc.PARTIAL_AGREEMENT, S.FINAL_STATEMENT, Oc.PARTIAL_AGREEMENT),
    Row(S.GOOD_OFFICES, T.CONCLUDE, Oc.NO_AGREEMENT, S.FINAL_STATEMENT, Oc.NO_AGREEMENT),
    Row(S.GOOD_OFFICES, T.CONCLUDE, Oc.ENTERPRISE_DECLINED, S.FINAL_STATEMENT, Oc.ENTERPRISE_DECLINED),
    Row(S.GOOD_OFFICES, T.CONCLUDE, Oc.SUBMITTER_DECLINED, S.FINAL_STATEMENT, Oc.SUBMITTER_DECLINED),
    Row(S.GOOD_OFFICES, T.CONCLUDE, Oc.PARTIES_DECLINED, S.FINAL_STATEMENT, Oc.PARTIES_DECLINED),
    Row(S.EXAMINATION, T.CONCLUDE, Oc.DETERMINATION, S.FINAL_STATEMENT, Oc.DETERMINATION),
    Row(S.EXAMINATION, T.CONCLUDE, None, S.FINAL_STATEMENT, Oc.DETERMINATION),
    Row(S.RECEIVED, T.WITHDRAW, None, S.FINAL_STATEMENT, Oc.WITHDRAWN),
    Row(S.INITIAL_ASSESSMENT, T.WITHDRAW, None, S.FINAL_STATEMENT, Oc.WITHDRAWN),
    Row(S.GOOD_OFFICES, T.WITHDRAW, None, S.FINAL_STATEMENT, Oc.WITHDRAWN),
    Row(S.EXAMINATION, T.WITHDRAW, None, S.FINAL_STATEMENT, Oc.WITHDRAWN),
    Row(S.RECEIVED, T.TRANSFER, None, S.CLOSED, Oc.TRANSFERRED),
    Row(S.INITIAL_ASSESSMENT, T.TRANSFER, None, S.CLOSED, Oc.TRANSFERRED),
    Row(S.FINAL_STATEMENT, T.PUBLISH, None, S.FOLLOW_UP, None),
    Row(S.FINAL_STATEMENT, T.CLOSE, None, S.CLOSED, None),
    Row(S.FOLLOW_UP, T.CLOSE, None, S.CLOSED, None),
)


class Edge(NamedTuple):
    trigger: Trigger
    source: State
    dest: State
    outcomes: frozenset[Outcome]
    sets: str | None
    guards: tuple[str, ...]


_DECLINED = frozenset({Oc.ENTERPRISE_DECLINED, Oc.SUBMITTER_DECLINED, Oc.PARTIES_DECLINED})
_MEDIATION = _DECLINED | {Oc.NO_AGREEMENT, Oc.PARTIAL_AGREEMENT}
NOTHING: frozenset[Outcome] = frozenset()

# One row per transition of oecd-2023, written from DOMAIN.md: the loaded definition must have
# exactly these, no more and no fewer.
TRANSITIONS: tuple[Edge, ...] = (
    Edge(T.BEGIN_ASSESSMENT, S.RECEIVED, S.INITIAL_ASSESSMENT, NOTHING, None, ()),
    # Version 6: the initial assessment's checklist complete, where the NCP requires it.
    Edge(T.ACCEPT, S.INITIAL_ASSESSMENT, S.GOOD_OFFICES, NOTHING, None, ("checklist_complete",)),
    Edge(
        T.REJECT,
        S.INITIAL_ASSESSMENT,
        S.FINAL_STATEMENT,
        frozenset({Oc.NOT_ACCEPTED}),
        "outcome",
        ("checklist_complete",),
    ),
    Edge(
        T.EXAMINE, S.GOOD_OFFICES, S.EXAMINATION, _MEDIATION, "mediation_result", ("is_examination_enabled",)
    ),
    Edge(T.CONCLUDE, S.GOOD_OFFICES, S.FINAL_STATEMENT, _MEDIATION | {Oc.AGREEMENT}, "mediation_result", ()),
    Edge(T.CONCLUDE, S.EXAMINATION, S.FINAL_STATEMENT, frozenset({Oc.DETERMINATION}), "determination", ()),
    Edge(T.WITHDRAW, S.RECEIVED, S.FINAL_STATEMENT, frozenset({Oc.WITHDRAWN}), "outcome", ()),
    Edge(T.WITHDRAW, S.INITIAL_ASSESSMENT, S.FINAL_STATEMENT, frozenset({Oc.WITHDRAWN}), "outcome", ()),
    Edge(T.WITHDRAW, S.GOOD_OFFICES, S.FINAL_STATEMENT, frozenset({Oc.WITHDRAWN}), "outcome", ()),
    Edge(T.WITHDRAW, S.EXAMINATION, S.FINAL_STATEMENT, frozenset({Oc.WITHDRAWN}), "outcome", ()),
    Edge(T.TRANSFER, S.RECEIVED, S.CLOSED, frozenset({Oc.TRANSFERRED}), "outcome", ()),
    Edge(T.TRANSFER, S.INITIAL_ASSESSMENT, S.CLOSED, frozenset({Oc.TRANSFERRED}), "outcome", ()),
    Edge(T.PUBLISH, S.FINAL_STATEMENT, S.FOLLOW_UP, NOTHING, None, ("no_open_review",)),
    Edge(T.CLOSE, S.FINAL_STATEMENT, S.CLOSED, NOTHING, None, ("no_open_review",)),
    Edge(T.CLOSE, S.FOLLOW_UP, S.CLOSED, NOTHING, None, ()),
)


def _loaded(row: Transition) -> Edge:
    return Edge(
        Trigger(row.trigger),
        State(row.source),
        State(row.dest),
        frozenset(Outcome(o) for o in row.outcomes),
        row.sets,
        row.guards,
    )


@pytest.mark.parametrize("edge", TRANSITIONS, ids=lambda e: f"{e.trigger}-from-{e.source}")
def test_each_expected_transition_is_in_the_loaded_definition_as_written(edge: Edge) -> None:
    """The shipped oecd-2023 has this transition, with these outcomes, result field and guards."""
    row = OECD.find(edge.source, edge.trigger)
    assert row is not None, f"oecd-2023 has no '{edge.trigger}' from '{edge.source}'"
    assert _loaded(row) == edge


def test_the_loaded_definition_has_no_transition_the_table_lacks() -> None:
    """Both ways: every transition of oecd-2023 is a row of the hand-written table."""
    loaded = [_loaded(row) for row in OECD.transitions]
    assert set(loaded) == set(TRANSITIONS)
    assert len(loaded) == len(TRANSITIONS) == len(set(TRANSITIONS))


EXPECTED_DEST: dict[tuple[State, Trigger], State] = {(r.source, r.trigger): r.dest for r in EXPECTED}

# How a test reaches each state from `received`: (trigger, outcome) steps.
PATHS: dict[State, tuple[tuple[Trigger, Outcome | None], ...]] = {
    S.RECEIVED: (),
    S.INITIAL_ASSESSMENT: ((T.BEGIN_ASSESSMENT, None),),
    S.GOOD_OFFICES: ((T.BEGIN_ASSESSMENT, None), (T.ACCEPT, None)),
    S.EXAMINATION: ((T.BEGIN_ASSESSMENT, None), (T.ACCEPT, None), (T.EXAMINE, Oc.NO_AGREEMENT)),
    S.FINAL_STATEMENT: ((T.BEGIN_ASSESSMENT, None), (T.REJECT, None)),
    S.FOLLOW_UP: ((T.BEGIN_ASSESSMENT, None), (T.REJECT, None), (T.PUBLISH, None)),
    S.CLOSED: ((T.BEGIN_ASSESSMENT, None), (T.REJECT, None), (T.CLOSE, None)),
}


def new_case() -> Case:
    parties = (
        Party(PartyRole.SUBMITTER, "Framtiden i våre hender"),
        Party(PartyRole.ENTERPRISE, "Nordisk Fisk ASA"),
    )
    case, _ = open_case(
        reference=REFERENCE,
        title="Salmon farming and Sámi reindeer herding",
        parties=parties,
        received_at=RECEIVED_AT,
        opened_at=RECEIVED_AT,
        actor="secretariat",
        policy=POLICY,
    )
    return case


def case_in(state: State) -> Case:
    """A case walked from `received` to `state`, one day per step."""
    case = new_case()
    for trigger, outcome in PATHS[state]:
        case, _ = advance(
            case,
            trigger=trigger,
            actor="secretariat",
            reason="next step",
            at=case.last_event_at + timedelta(days=1),
            policy=POLICY,
            outcome=outcome,
        )
    assert case.state == state
    return case


def step(
    case: Case,
    trigger: Trigger,
    outcome: Outcome | None = None,
    *,
    policy: Policy = POLICY,
    actor: str = "member-b",
    reason: str = "because",
) -> Case:
    new, _ = advance(
        case,
        trigger=trigger,
        actor=actor,
        reason=reason,
        at=case.last_event_at + timedelta(days=1),
        policy=policy,
        outcome=outcome,
    )
    return new


def expected_allowed(state: State) -> set[str]:
    return {r.trigger.value for r in EXPECTED if r.source is state}


def allowed_in_message(message: str) -> set[str]:
    match = re.search(r"allowed now: (.*)$", message)
    assert match, message
    text = match.group(1)
    return set() if text.startswith("none") else set(text.split(", "))


NOT_IN_TABLE = [
    (state, trigger) for state in State for trigger in Trigger if (state, trigger) not in EXPECTED_DEST
]


def _row_id(row: Row) -> str:
    return f"{row.source}-{row.trigger}-{row.given or 'no_outcome'}"


@pytest.mark.parametrize("row", EXPECTED, ids=_row_id)
def test_each_transition_moves_the_case_to_its_destination_and_records_its_outcome(row: Row) -> None:
    """Every transition of DOMAIN.md leads to its destination and records the expected outcome."""
    case = case_in(row.source)
    at = case.last_event_at + timedelta(hours=5)
    new, event = advance(
        case,
        trigger=row.trigger,
        actor="member-b",
        reason="the NCP decided",
        at=at,
        policy=POLICY,
        outcome=row.given,
    )
    assert (new.state, event.outcome) == (row.dest, row.recorded)
    assert (event.from_state, event.to_state) == (row.source, row.dest)
    assert (event.actor, event.reason, event.at, new.last_event_at) == ("member-b", "the NCP decided", at, at)
    if row.recorded is not None:
        assert new.outcome == row.recorded
    else:
        assert new.outcome == case.outcome  # a step without an outcome keeps the one recorded


@pytest.mark.parametrize(("state", "trigger"), NOT_IN_TABLE, ids=lambda v: str(v))
def test_a_trigger_outside_the_table_is_refused_naming_reference_state_and_allowed_triggers(
    state: State, trigger: Trigger
) -> None:
    """A trigger with no row for the case's state raises TransitionNotAllowedError with context."""
    case = case_in(state)
    with pytest.raises(TransitionNotAllowedError) as caught:
        step(case, trigger)
    message = str(caught.value)
    assert REFERENCE in message
    assert f"'{state.value}'" in message
    assert f"'{trigger.value}'" in message
    assert allowed_in_message(message) == expected_allowed(state)
    assert set(caught.value.allowed) == expected_allowed(state)


def test_publish_during_good_offices_is_refused_and_lists_what_is_allowed() -> None:
    """Publishing while good offices run is refused; the message lists the triggers allowed."""
    with pytest.raises(TransitionNotAllowedError) as caught:
        step(case_in(S.GOOD_OFFICES), T.PUBLISH)
    message = str(caught.value)
    assert REFERENCE in message
    assert "'good_offices'" in message
    assert "'publish'" in message
    assert allowed_in_message(message) == {"examine", "conclude", "withdraw"}


@pytest.mark.parametrize("trigger", list(Trigger))
def test_every_trigger_on_a_closed_case_is_refused(trigger: Trigger) -> None:
    """Nothing moves a closed case, with or without an outcome; the message says none is allowed."""
    closed = case_in(S.CLOSED)
    assert allowed_triggers(closed, POLICY) == ()
    for outcome in (None, *Outcome):
        with pytest.raises(TransitionNotAllowedError) as caught:
            step(closed, trigger, outcome)
        assert "closed" in str(caught.value)
        assert allowed_in_message(str(caught.value)) == set()


@pytest.mark.parametrize("state", list(State))
def test_the_allowed_triggers_of_each_state_match_the_table(state: State) -> None:
    """allowed_triggers lists exactly the triggers the hand-written table has for the state."""
    assert set(allowed_triggers(case_in(state), POLICY)) == expected_allowed(state)


def test_examine_is_refused_when_examination_is_switched_off() -> None:
    """With Policy(examination=False) examine is refused, with the reason, and not offered."""
    case = case_in(S.GOOD_OFFICES)
    with pytest.raises(TransitionNotAllowedError) as caught:
        step(case, T.EXAMINE, Oc.NO_AGREEMENT, policy=NO_EXAMINATION)
    assert "examination is switched off" in str(caught.value)
    assert allowed_in_message(str(caught.value)) == {"conclude", "withdraw"}
    assert T.EXAMINE not in allowed_triggers(case, NO_EXAMINATION)
    assert step(case, T.CONCLUDE, Oc.NO_AGREEMENT, policy=NO_EXAMINATION).state == S.FINAL_STATEMENT


@pytest.mark.parametrize(
    ("state", "trigger", "choices"),
    [
        (
            S.GOOD_OFFICES,
            T.CONCLUDE,
            {
                "agreement",
                "partial_agreement",
                "no_agreement",
                "enterprise_declined",
                "submitter_declined",
                "parties_declined",
            },
        ),
        (
            S.GOOD_OFFICES,
            T.EXAMINE,
            {
                "partial_agreement",
                "no_agreement",
                "enterprise_declined",
                "submitter_declined",
                "parties_declined",
            },
        ),
    ],
)
def test_a_trigger_that_needs_an_outcome_is_refused_without_one(
    state: State, trigger: Trigger, choices: set[str]
) -> None:
    """conclude and examine from good offices raise OutcomeError listing the outcomes to choose."""
    with pytest.raises(OutcomeError) as caught:
        step(case_in(state), trigger)
    assert set(caught.value.allowed) == choices
    assert REFERENCE in str(caught.value)
    assert "needs outcome, one of" in str(caught.value)
    assert "needs --outcome, one of" in caught.value.words(naming=lambda field: f"--{field}")


@pytest.mark.parametrize(
    ("state", "trigger", "outcome"),
    [
        (S.GOOD_OFFICES, T.CONCLUDE, Oc.DETERMINATION),
        (S.GOOD_OFFICES, T.CONCLUDE, Oc.WITHDRAWN),
        (S.GOOD_OFFICES, T.EXAMINE, Oc.AGREEMENT),
        (S.EXAMINATION, T.CONCLUDE, Oc.AGREEMENT),
        (S.INITIAL_ASSESSMENT, T.REJECT, Oc.AGREEMENT),
        (S.INITIAL_ASSESSMENT, T.ACCEPT, Oc.AGREEMENT),
        (S.RECEIVED, T.BEGIN_ASSESSMENT, Oc.NOT_ACCEPTED),
        (S.RECEIVED, T.WITHDRAW, Oc.TRANSFERRED),
        (S.RECEIVED, T.TRANSFER, Oc.WITHDRAWN),
        (S.FINAL_STATEMENT, T.PUBLISH, Oc.AGREEMENT),
        (S.FOLLOW_UP, T.CLOSE, Oc.DETERMINATION),
    ],
)
def test_an_outcome_that_does_not_fit_the_trigger_is_refused(
    state: State, trigger: Trigger, outcome: Outcome
) -> None:
    """A wrong outcome, or one given to a trigger that takes none, raises OutcomeError."""
    with pytest.raises(OutcomeError) as caught:
        step(case_in(state), trigger, outcome)
    assert caught.value.outcome == outcome.value
    assert outcome.value in str(caught.value)
    assert REFERENCE in str(caught.value)


@pytest.mark.parametrize(
    ("state", "trigger", "outcome"),
    [
        (S.INITIAL_ASSESSMENT, T.REJECT, Oc.NOT_ACCEPTED),
        (S.GOOD_OFFICES, T.WITHDRAW, Oc.WITHDRAWN),
        (S.RECEIVED, T.TRANSFER, Oc.TRANSFERRED),
    ],
)
def test_an_implied_outcome_may_also_be_given_explicitly(
    state: State, trigger: Trigger, outcome: Outcome
) -> None:
    """Stating the one outcome a trigger implies is accepted and recorded."""
    assert step(case_in(state), trigger, outcome).outcome == outcome


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
@pytest.mark.parametrize("field", ["actor", "reason"])
def test_a_blank_actor_or_reason_is_refused(field: str, blank: str) -> None:
    """Every step needs an actor and a reason; a blank one raises InvalidInputError."""
    texts = {"actor": "member-b", "reason": "because", field: blank}
    with pytest.raises(InvalidInputError, match=field):
        step(case_in(S.RECEIVED), T.BEGIN_ASSESSMENT, actor=texts["actor"], reason=texts["reason"])


def test_a_step_dated_before_the_last_recorded_step_is_refused() -> None:
    """`at` earlier than last_event_at raises InvalidInputError; the same instant is accepted."""
    case = case_in(S.INITIAL_ASSESSMENT)
    with pytest.raises(InvalidInputError, match="before its last recorded step"):
        advance(
            case,
            trigger=T.ACCEPT,
            actor="member-b",
            reason="merits examination",
            at=case.last_event_at - timedelta(seconds=1),
            policy=POLICY,
        )
    same, _ = advance(
        case,
        trigger=T.ACCEPT,
        actor="member-b",
        reason="merits examination",
        at=case.last_event_at,
        policy=POLICY,
    )
    assert same.state == S.GOOD_OFFICES


def test_accept_records_the_scope_of_a_partial_acceptance() -> None:
    """Accepting in part keeps the scope given with the accept step."""
    case = case_in(S.INITIAL_ASSESSMENT)
    accepted, event = advance(
        case,
        trigger=T.ACCEPT,
        actor="member-b",
        reason="in part",
        at=case.last_event_at + timedelta(days=1),
        policy=POLICY,
        scope="chapter IV only",
    )
    assert accepted.scope == event.scope == "chapter IV only"
    assert step(accepted, T.CONCLUDE, Oc.AGREEMENT).scope == "chapter IV only"


@pytest.mark.parametrize(("state", "trigger"), [(s, t) for s in State for t in Trigger], ids=lambda v: str(v))
def test_the_transitions_machine_agrees_with_the_table(state: State, trigger: Trigger) -> None:
    """states.machine.fire leads where the hand-written table says, and nowhere else."""
    assert fire(OECD, state, trigger) == EXPECTED_DEST.get((state, trigger))
