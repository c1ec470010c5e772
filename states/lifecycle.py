"""The specific-instance lifecycle as data: states, triggers, outcomes, transitions, deadlines.

This is the one module a domain expert reviews. Everything else derives from these tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from states.messages import N_


class State(StrEnum):
    RECEIVED = "received"
    INITIAL_ASSESSMENT = "initial_assessment"
    GOOD_OFFICES = "good_offices"
    EXAMINATION = "examination"
    FINAL_STATEMENT = "final_statement"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"


class Trigger(StrEnum):
    BEGIN_ASSESSMENT = "begin_assessment"
    ACCEPT = "accept"
    REJECT = "reject"
    EXAMINE = "examine"
    CONCLUDE = "conclude"
    WITHDRAW = "withdraw"
    TRANSFER = "transfer"
    PUBLISH = "publish"
    CLOSE = "close"


class Outcome(StrEnum):
    NOT_ACCEPTED = "not_accepted"
    AGREEMENT = "agreement"
    PARTIAL_AGREEMENT = "partial_agreement"
    NO_AGREEMENT = "no_agreement"
    ENTERPRISE_DECLINED = "enterprise_declined"
    DETERMINATION = "determination"
    WITHDRAWN = "withdrawn"
    TRANSFERRED = "transferred"


class DeadlineName(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    INITIAL_ASSESSMENT = "initial_assessment"
    GOOD_OFFICES = "good_offices"
    EXAMINATION = "examination"
    FINAL_STATEMENT = "final_statement"
    PROCEDURE = "procedure"
    FOLLOW_UP = "follow_up"


TERMINAL: frozenset[State] = frozenset({State.CLOSED})

# Mediation results that can send a case on to examination instead of straight to a statement.
_MEDIATION_FAILED = (Outcome.NO_AGREEMENT, Outcome.ENTERPRISE_DECLINED, Outcome.PARTIAL_AGREEMENT)
_MEDIATION_RESULTS = (Outcome.AGREEMENT, *_MEDIATION_FAILED)


@dataclass(frozen=True)
class Transition:
    """One row of the lifecycle: `trigger` moves a case from `source` to `dest`.

    `outcomes` lists the outcomes the trigger may record; with exactly one, it is implied and
    need not be given. `guard` names a predicate in `states.guards` that must hold.
    """

    trigger: Trigger
    source: State
    dest: State
    outcomes: tuple[Outcome, ...] = ()
    guard: str | None = None
    meaning: str = ""

    @property
    def implied_outcome(self) -> Outcome | None:
        return self.outcomes[0] if len(self.outcomes) == 1 else None


_OPEN_BEFORE_STATEMENT = (
    State.RECEIVED,
    State.INITIAL_ASSESSMENT,
    State.GOOD_OFFICES,
    State.EXAMINATION,
)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        Trigger.BEGIN_ASSESSMENT,
        State.RECEIVED,
        State.INITIAL_ASSESSMENT,
        meaning=N_("receipt acknowledged; initial assessment begins"),
    ),
    Transition(
        Trigger.ACCEPT,
        State.INITIAL_ASSESSMENT,
        State.GOOD_OFFICES,
        meaning=N_("issues merit further examination (wholly or in part); good offices offered"),
    ),
    Transition(
        Trigger.REJECT,
        State.INITIAL_ASSESSMENT,
        State.FINAL_STATEMENT,
        (Outcome.NOT_ACCEPTED,),
        meaning=N_("not accepted; a statement explains why"),
    ),
    Transition(
        Trigger.EXAMINE,
        State.GOOD_OFFICES,
        State.EXAMINATION,
        _MEDIATION_FAILED,
        guard="is_examination_enabled",
        meaning=N_("mediation refused or failed; the NCP examines the case"),
    ),
    Transition(
        Trigger.CONCLUDE,
        State.GOOD_OFFICES,
        State.FINAL_STATEMENT,
        _MEDIATION_RESULTS,
        meaning=N_("good offices ended with an outcome"),
    ),
    Transition(
        Trigger.CONCLUDE,
        State.EXAMINATION,
        State.FINAL_STATEMENT,
        (Outcome.DETERMINATION,),
        meaning=N_("examination ended with a determination"),
    ),
    *(
        Transition(
            Trigger.WITHDRAW,
            source,
            State.FINAL_STATEMENT,
            (Outcome.WITHDRAWN,),
            meaning=N_("the submitter withdrew"),
        )
        for source in _OPEN_BEFORE_STATEMENT
    ),
    *(
        Transition(
            Trigger.TRANSFER,
            source,
            State.CLOSED,
            (Outcome.TRANSFERRED,),
            meaning=N_("transferred to another NCP that leads"),
        )
        for source in (State.RECEIVED, State.INITIAL_ASSESSMENT)
    ),
    Transition(
        Trigger.PUBLISH,
        State.FINAL_STATEMENT,
        State.FOLLOW_UP,
        meaning=N_("final statement published; follow-up planned"),
    ),
    Transition(
        Trigger.CLOSE,
        State.FINAL_STATEMENT,
        State.CLOSED,
        meaning=N_("final statement published without follow-up"),
    ),
    Transition(Trigger.CLOSE, State.FOLLOW_UP, State.CLOSED, meaning=N_("follow-up complete")),
)


@dataclass(frozen=True)
class DeadlineRule:
    """When a deadline starts, what its basis is, and the stages it stays open through."""

    name: DeadlineName
    open_in: frozenset[State]
    basis: str  # "received": counted from receipt; "entered": from the transition that opens it
    label: str


DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule(
        DeadlineName.ACKNOWLEDGEMENT, frozenset({State.RECEIVED}), "received", "acknowledge receipt"
    ),
    DeadlineRule(
        DeadlineName.INITIAL_ASSESSMENT,
        frozenset({State.RECEIVED, State.INITIAL_ASSESSMENT}),
        "received",
        "conclude the initial assessment",
    ),
    DeadlineRule(
        DeadlineName.GOOD_OFFICES, frozenset({State.GOOD_OFFICES}), "entered", "conclude good offices"
    ),
    DeadlineRule(
        DeadlineName.EXAMINATION, frozenset({State.EXAMINATION}), "entered", "conclude the examination"
    ),
    DeadlineRule(
        DeadlineName.FINAL_STATEMENT,
        frozenset({State.FINAL_STATEMENT}),
        "entered",
        "publish the final statement",
    ),
    DeadlineRule(
        DeadlineName.PROCEDURE,
        frozenset(_OPEN_BEFORE_STATEMENT) | {State.FINAL_STATEMENT},
        "received",
        "publish the final statement (whole procedure)",
    ),
    DeadlineRule(
        DeadlineName.FOLLOW_UP, frozenset({State.FOLLOW_UP}), "entered", "publish the follow-up statement"
    ),
)

RULES_BY_NAME: dict[DeadlineName, DeadlineRule] = {rule.name: rule for rule in DEADLINE_RULES}


# How a deadline counted from a transition names its basis in explanations.
PAST_TENSE: dict[Trigger, str] = {
    Trigger.BEGIN_ASSESSMENT: N_("assessment begun"),
    Trigger.ACCEPT: N_("accepted"),
    Trigger.REJECT: N_("not accepted"),
    Trigger.EXAMINE: N_("examination begun"),
    Trigger.CONCLUDE: N_("concluded"),
    Trigger.WITHDRAW: N_("withdrawn"),
    Trigger.TRANSFER: N_("transferred"),
    Trigger.PUBLISH: N_("published"),
    Trigger.CLOSE: N_("closed"),
}


def open_deadlines(state: State) -> frozenset[DeadlineName]:
    """The deadlines that run while a case is in `state`."""
    return frozenset(rule.name for rule in DEADLINE_RULES if state in rule.open_in)


def transitions_from(state: State) -> tuple[Transition, ...]:
    return tuple(t for t in TRANSITIONS if t.source == state)


def find_transition(state: State, trigger: Trigger) -> Transition | None:
    for row in TRANSITIONS:
        if row.source == state and row.trigger == trigger:
            return row
    return None
