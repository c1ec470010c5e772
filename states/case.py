"""The case aggregate and the two decisions on it: opening, and firing a trigger.

Pure functions from values to values: they return the new case and what happened, and the
workflow layer persists both in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from states.calendar import CalendarRule
from states.deadlines import Deadline, human_date
from states.durations import Duration
from states.errors import (
    ACTOR,
    REASON,
    Input,
    InvalidInputError,
    OutcomeError,
    StepRefusedError,
    TransitionNotAllowedError,
)
from states.guards import GUARDS, GuardContext
from states.lifecycle import (
    PAST_TENSE,
    RULES_BY_NAME,
    TERMINAL,
    TRANSITIONS,
    DeadlineName,
    Outcome,
    State,
    Transition,
    Trigger,
    find_transition,
    open_deadlines,
    transitions_from,
)
from states.limits import NAME_MAX, TEXT_MAX, check_day, check_instant, check_optional, check_text
from states.messages import N_
from states.pauses import Pause
from states.rotation import RotationRule

if TYPE_CHECKING:  # the events and the state machine are imported by the steps that make them
    from states.events import CaseOpened, CaseTransitioned


class PartyRole(StrEnum):
    SUBMITTER = "submitter"
    ENTERPRISE = "enterprise"


@dataclass(frozen=True)
class Party:
    role: PartyRole
    name: str
    type: str | None = None
    confidential: bool = False
    org_number: str | None = None  # compared with members' declared conflicts


@dataclass(frozen=True)
class Policy:
    """What the NCP's configuration decides for deadlines started now."""

    timelines: Mapping[DeadlineName, Duration]
    calendar: CalendarRule
    examination: bool = True
    rotation: RotationRule = field(default_factory=RotationRule)

    @property
    def guard_context(self) -> GuardContext:
        return GuardContext(examination_enabled=self.examination)


@dataclass(frozen=True)
class CaseDetails:
    """Descriptive fields the OECD database and reports use."""

    themes: tuple[str, ...] = ()
    host_countries: tuple[str, ...] = ()
    sector: str | None = None
    guidelines_edition: str | None = None  # states.guidelines.EDITIONS: "1976" ... "2023", "both"
    supporting_ncps: tuple[str, ...] = ()  # ISO 3166 codes of the NCPs supporting the lead


@dataclass(frozen=True)
class Case:
    reference: str
    title: str
    state: State
    received_at: datetime
    calendar: CalendarRule
    parties: tuple[Party, ...]
    deadlines: tuple[Deadline, ...]
    last_event_at: datetime
    outcome: Outcome | None = None
    details: CaseDetails = field(default_factory=CaseDetails)
    lead_member: str | None = None
    scope: str | None = None
    pauses: tuple[Pause, ...] = ()
    version: int = 1

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL

    @property
    def received_on(self) -> date:
        return self.calendar.local_date(self.received_at)

    def deadline(self, name: DeadlineName) -> Deadline | None:
        return next((d for d in self.deadlines if d.name == name), None)

    @property
    def open_deadlines(self) -> tuple[Deadline, ...]:
        return tuple(d for d in self.deadlines if d.is_open)

    @property
    def open_pause(self) -> Pause | None:
        return next((p for p in self.pauses if p.is_open), None)

    @property
    def paused(self) -> bool:
        return self.open_pause is not None


@dataclass(frozen=True)
class TriggerOption:
    trigger: Trigger
    allowed: bool
    dest: State | None
    outcomes: tuple[Outcome, ...]
    why_not: str | None
    meaning: str


def require_text(value: str, what: str | Input, *, limit: int = TEXT_MAX) -> str:
    """`value` if it is not blank, at most `limit` characters and free of NUL (states.limits)."""
    return check_text(value, what, limit=limit)


def require_actor(actor: str) -> str:
    """Who takes a step: every audit entry names an accountable actor."""
    return check_text(actor, ACTOR, limit=NAME_MAX)


def _start(
    name: DeadlineName,
    *,
    case_received: datetime,
    at: datetime,
    label: str,
    policy: Policy,
    calendar: CalendarRule,
) -> Deadline:
    rule = RULES_BY_NAME[name]
    basis_at = case_received if rule.basis == "received" else at
    return Deadline(
        name=name,
        basis_on=calendar.local_date(basis_at),
        basis_label="received" if rule.basis == "received" else label,
        duration=policy.timelines[name],
        calendar=calendar,
        started_at=at,
    )


def open_case(
    *,
    reference: str,
    title: str,
    parties: tuple[Party, ...],
    received_at: datetime,
    opened_at: datetime,
    actor: str,
    policy: Policy,
    details: CaseDetails = CaseDetails(),
) -> tuple[Case, CaseOpened]:
    from states.events import CaseOpened, DeadlineStarted  # a read never makes an event

    require_text(title, Input(N_("a title")))
    require_actor(actor)
    check_day(
        policy.calendar.local_date(check_instant(received_at, "the date of receipt")), "the date of receipt"
    )
    if not any(p.role is PartyRole.SUBMITTER for p in parties):
        raise InvalidInputError("a case needs at least one submitter")
    if not any(p.role is PartyRole.ENTERPRISE for p in parties):
        raise InvalidInputError("a case needs at least one enterprise")
    for party in parties:
        require_text(party.name, f"the {party.role.value}'s name", limit=NAME_MAX)
        check_optional(party.org_number, f"the organisation number of {party.name}", limit=NAME_MAX)
    check_optional(details.sector, Input(N_("the sector"), "sector"), limit=NAME_MAX)
    if received_at > opened_at:
        raise InvalidInputError(
            f"the date of receipt {received_at.isoformat()} is in the future (now {opened_at.isoformat()})"
        )
    calendar = policy.calendar
    deadlines = tuple(
        _start(
            name,
            case_received=received_at,
            at=received_at,
            label="received",
            policy=policy,
            calendar=calendar,
        )
        for name in DeadlineName
        if name in open_deadlines(State.RECEIVED)
    )
    case = Case(
        reference=reference,
        title=title,
        state=State.RECEIVED,
        received_at=received_at,
        calendar=calendar,
        parties=parties,
        deadlines=deadlines,
        last_event_at=received_at,
        details=details,
    )
    event = CaseOpened(
        reference=reference,
        actor=actor,
        at=received_at,
        started=tuple(DeadlineStarted(d.name, d.due) for d in deadlines),
    )
    return case, event


def _guard_failure(row: Transition, policy: Policy) -> str | None:
    return GUARDS[row.guard](policy.guard_context) if row.guard else None


def trigger_options(case: Case, policy: Policy) -> tuple[TriggerOption, ...]:
    """Every trigger, whether it may fire now, and if not, why."""
    options = []
    for trigger in Trigger:
        row = next((t for t in transitions_from(case.state) if t.trigger == trigger), None)
        if row is None:
            sources = sorted({t.source.value for t in TRANSITIONS if t.trigger == trigger})
            why = f"the case is {case.state.value}; '{trigger.value}' applies only in {', '.join(sources)}"
            options.append(TriggerOption(trigger, False, None, (), why, ""))
            continue
        why_not = _guard_failure(row, policy)
        options.append(TriggerOption(trigger, why_not is None, row.dest, row.outcomes, why_not, row.meaning))
    return tuple(options)


def allowed_triggers(case: Case, policy: Policy) -> tuple[Trigger, ...]:
    return tuple(o.trigger for o in trigger_options(case, policy) if o.allowed)


def advance(
    case: Case,
    *,
    trigger: Trigger,
    actor: str,
    reason: str,
    at: datetime,
    policy: Policy,
    outcome: Outcome | None = None,
    scope: str | None = None,
) -> tuple[Case, CaseTransitioned]:
    """Fire `trigger` on `case`: the new case and the event, or a named error and no change."""
    from states.events import CaseTransitioned, DeadlineMet, DeadlineStarted
    from states.machine import fire  # the `transitions` library: only a step needs it

    require_actor(actor)
    require_text(reason, REASON)
    check_optional(scope, Input(N_("the scope"), "scope"))
    if case.open_pause is not None:
        raise StepRefusedError(
            reference=case.reference,
            state=case.state.value,
            problem=f"the case is paused since "
            f"{human_date(case.calendar.local_date(case.open_pause.started_at))} "
            f"({case.open_pause.reason}); resume it before '{trigger.value}'",
        )
    row = find_transition(case.state, trigger)
    why = _guard_failure(row, policy) if row is not None else None
    if row is None or why is not None:
        # Only a refusal pays for working out everything that is allowed instead.
        allowed = [t.value for t in allowed_triggers(case, policy)]
        raise TransitionNotAllowedError(
            reference=case.reference,
            state=case.state.value,
            trigger=trigger.value,
            allowed=allowed,
            why=why or "",
        )
    recorded = _outcome_for(case, row, outcome)
    if at < case.last_event_at:
        raise InvalidInputError(
            f"case {case.reference}: {at.isoformat()} is before its last recorded step "
            f"({case.last_event_at.isoformat()}); steps are recorded in order"
        )
    dest = fire(case.state, trigger)
    assert dest == row.dest, "the machine and the lifecycle table disagree"
    still_open = open_deadlines(dest)
    label = PAST_TENSE[trigger]
    met: list[DeadlineMet] = []
    deadlines: list[Deadline] = []
    for deadline in case.deadlines:
        if deadline.is_open and deadline.name not in still_open:
            deadline = deadline.met(at=at)
            assert deadline.met_on is not None
            met.append(DeadlineMet(deadline.name, deadline.met_on, deadline.due))
        deadlines.append(deadline)
    known = {d.name for d in case.deadlines}
    started: list[DeadlineStarted] = []
    for name in DeadlineName:
        if name in still_open and name not in known:
            new = _start(
                name,
                case_received=case.received_at,
                at=at,
                label=label,
                policy=policy,
                calendar=case.calendar,
            )
            deadlines.append(new)
            started.append(DeadlineStarted(new.name, new.due))
    new_case = replace(
        case,
        state=dest,
        outcome=recorded if recorded is not None else case.outcome,
        deadlines=tuple(deadlines),
        last_event_at=at,
        scope=scope if scope is not None else case.scope,
    )
    event = CaseTransitioned(
        reference=case.reference,
        trigger=trigger,
        from_state=case.state,
        to_state=dest,
        outcome=recorded,
        actor=actor,
        reason=reason,
        at=at,
        met=tuple(met),
        started=tuple(started),
        scope=scope,
    )
    return new_case, event


def _outcome_for(case: Case, row: Transition, given: Outcome | None) -> Outcome | None:
    if given is None:
        if row.outcomes and row.implied_outcome is None:
            raise OutcomeError(
                reference=case.reference,
                state=case.state.value,
                trigger=row.trigger.value,
                outcome=None,
                allowed=[o.value for o in row.outcomes],
            )
        return row.implied_outcome
    if given not in row.outcomes:
        raise OutcomeError(
            reference=case.reference,
            state=case.state.value,
            trigger=row.trigger.value,
            outcome=given.value,
            allowed=[o.value for o in row.outcomes],
        )
    return given
