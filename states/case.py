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
from states.deadlines import Deadline, dated
from states.durations import Duration
from states.errors import (
    ACTOR,
    REASON,
    Input,
    InvalidInputError,
    OutcomeError,
    StepRefusedError,
    Term,
    TransitionNotAllowedError,
    Wording,
    as_is,
)
from states.facts import Fact, latest, open_facts
from states.guards import GUARDS, GuardContext
from states.limits import NAME_MAX, TEXT_MAX, check_day, check_instant, check_optional, check_text
from states.messages import ENGLISH, N_, Translator
from states.pauses import Pause
from states.precision import Precision
from states.procedure import Procedure, Transition
from states.rotation import RotationRule

if TYPE_CHECKING:  # the events and the state machine are imported by the steps that make them
    from states.events import CaseOpened, CaseTransitioned, DeadlineMet, DeadlineStarted


class PartyRole(StrEnum):
    SUBMITTER = "submitter"
    ENTERPRISE = "enterprise"


@dataclass(frozen=True)
class Party:
    role: PartyRole
    name: str
    type: str | None = None
    confidential: bool = False  # identity withheld (from the other party, the public, auditors)
    org_number: str | None = None  # compared with members' declared conflicts
    reprisal_risk: bool = False  # narrows who sees the party further (states.parties.may_see)
    measures: str | None = None  # the measures taken against reprisals (free text)

    @property
    def protected(self) -> bool:
        """Whether its identity is hidden from some readers (withheld, or at risk of reprisal)."""
        return self.confidential or self.reprisal_risk


@dataclass(frozen=True)
class Policy:
    """What the NCP's configuration decides for cases opened and deadlines started now: the
    procedure new cases follow, and the durations config.toml's [timelines] sets for its deadlines
    (a deadline not named there runs for the duration its definition gives)."""

    timelines: Mapping[str, Duration]
    calendar: CalendarRule
    procedure: Procedure
    examination: bool = True
    rotation: RotationRule = field(default_factory=RotationRule)
    checklists_required: bool = False  # [procedure] checklists_required: the guard checklist_complete holds

    @property
    def durations(self) -> dict[str, Duration]:
        """Every deadline of the configured procedure and how long it runs."""
        return {name: duration_of(self.procedure, name, self) for name in self.procedure.deadlines}

    @property
    def guard_context(self) -> GuardContext:
        return GuardContext(
            examination_enabled=self.examination, checklists_required=self.checklists_required
        )


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
    state: str
    received_at: datetime
    calendar: CalendarRule
    parties: tuple[Party, ...]
    deadlines: tuple[Deadline, ...]
    last_event_at: datetime
    procedure: Procedure  # the definition every decision on this case follows
    outcome: str | None = None  # the result recorded last
    results: Mapping[str, str] = field(default_factory=dict)  # result field -> outcome
    details: CaseDetails = field(default_factory=CaseDetails)
    lead_member: str | None = None
    scope: str | None = None
    pauses: tuple[Pause, ...] = ()
    facts: tuple[Fact, ...] = ()  # dated facts recorded beside the steps, in recording order
    version: int = 1
    # "month" for a case received "2007-02" (imported): received_at is then the month's first day.
    received_precision: Precision = Precision.DAY

    @property
    def is_terminal(self) -> bool:
        return self.procedure.is_terminal(self.state)

    @property
    def received_on(self) -> date:
        return self.calendar.local_date(self.received_at)

    def deadline(self, name: str) -> Deadline | None:
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
    trigger: str
    allowed: bool
    dest: str | None
    outcomes: tuple[str, ...]
    why_not: str | Input | None
    meaning: str


def require_text(value: str, what: str | Input, *, limit: int = TEXT_MAX) -> str:
    """`value` if it is not blank, at most `limit` characters and free of NUL (states.limits)."""
    return check_text(value, what, limit=limit)


def require_actor(actor: str) -> str:
    """Who takes a step: every audit entry names an accountable actor."""
    return check_text(actor, ACTOR, limit=NAME_MAX)


def duration_of(procedure: Procedure, name: str, policy: Policy) -> Duration:
    """How long deadline `name` runs: as config.toml's [timelines] says for the configured
    procedure, else as the definition says."""
    configured = policy.timelines.get(name) if procedure.id == policy.procedure.id else None
    return configured if configured is not None else procedure.deadlines[name].duration


def _start(
    name: str,
    *,
    procedure: Procedure,
    case_received: datetime,
    at: datetime,
    label: str,
    policy: Policy,
    calendar: CalendarRule,
    facts: tuple[Fact, ...] = (),
) -> Deadline | None:
    """Deadline `name` started at `at`; None while the fact it is counted from is unrecorded (it
    starts when the fact is: states/facts.py)."""
    rule = procedure.deadlines[name]
    if rule.fact is not None:
        fact = latest(facts, rule.fact)
        if fact is None:
            return None
        return Deadline(
            name=name,
            basis_on=fact.on,
            basis_label=procedure.facts[rule.fact].label.en,
            duration=duration_of(procedure, name, policy),
            calendar=calendar,
            started_at=at,
        )
    basis_at = case_received if rule.basis == "received" else at
    return Deadline(
        name=name,
        basis_on=calendar.local_date(basis_at),
        basis_label="received" if rule.basis == "received" else label,
        duration=duration_of(procedure, name, policy),
        calendar=calendar,
        started_at=at,
    )


def start_deadline(
    case: Case, name: str, *, basis_on: date, basis_label: str, at: datetime, policy: Policy
) -> Deadline:
    """Deadline `name` of `case`, counted from `basis_on` (a recorded fact's day), started at `at`."""
    return Deadline(
        name=name,
        basis_on=basis_on,
        basis_label=basis_label,
        duration=duration_of(case.procedure, name, policy),
        calendar=case.calendar,
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
    procedure: Procedure | None = None,
) -> tuple[Case, CaseOpened]:
    """A new case in `procedure`'s initial state (the policy's procedure when not given), its
    deadlines started, and the event; a named error and nothing else when an input is wrong."""
    from states.events import CaseOpened, DeadlineStarted  # a read never makes an event

    require_text(title, Input(N_("a title")))
    require_actor(actor)
    check_day(
        policy.calendar.local_date(check_instant(received_at, "the date of receipt")), "the date of receipt"
    )
    if not any(p.role is PartyRole.SUBMITTER for p in parties):
        raise InvalidInputError(N_("a case needs at least one submitter"))
    if not any(p.role is PartyRole.ENTERPRISE for p in parties):
        raise InvalidInputError(N_("a case needs at least one enterprise"))
    for party in parties:
        named = (
            N_("the submitter's name") if party.role is PartyRole.SUBMITTER else N_("the enterprise's name")
        )
        require_text(party.name, Input(named), limit=NAME_MAX)
        check_optional(
            party.org_number,
            Input(N_("the organisation number of {name}"), params={"name": party.name}),
            limit=NAME_MAX,
        )
    check_optional(details.sector, Input(N_("the sector"), "sector"), limit=NAME_MAX)
    if received_at > opened_at:
        raise InvalidInputError(
            N_("the date of receipt {received} is in the future (now {now})"),
            received=received_at.isoformat(),
            now=opened_at.isoformat(),
        )
    calendar = policy.calendar
    procedure = procedure or policy.procedure
    opening = procedure.open_deadlines(procedure.initial)
    started = (
        _start(
            name,
            procedure=procedure,
            case_received=received_at,
            at=received_at,
            label="received",
            policy=policy,
            calendar=calendar,
        )
        for name in procedure.deadlines
        if name in opening
    )
    deadlines = tuple(d for d in started if d is not None)
    case = Case(
        reference=reference,
        title=title,
        state=procedure.initial,
        procedure=procedure,
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


def _guard_failure(
    row: Transition, policy: Policy, case: Case, ticked: frozenset[str] = frozenset()
) -> str | Input | None:
    if not row.guards:
        return None
    context = policy.guard_context
    if case.facts:
        context = replace(context, open_facts=open_facts(case.facts, case.procedure))
    checklist = case.procedure.checklist(case.state)
    if checklist:
        context = replace(context, state=case.state, checklist=tuple(i.id for i in checklist), ticked=ticked)
    for guard in row.guards:
        why = GUARDS[guard](context)
        if why is not None:
            return why
    return None


def out_of_order(case: Case, at: datetime) -> InvalidInputError:
    """A step dated before the case's last one: refused, steps are recorded in order."""
    return InvalidInputError(
        N_("case {reference}: {at} is before its last recorded step ({last}); steps are recorded in order"),
        reference=case.reference,
        at=at.isoformat(),
        last=case.last_event_at.isoformat(),
    )


NOT_HERE = N_("the case is {state}; '{trigger}' applies only in {states}")


def not_here(case: Case, trigger: str, tr: Translator = ENGLISH, terms: Wording = as_is) -> str:
    """Why `trigger` cannot fire in the case's state at all, each name worded by `terms`."""
    sources = sorted({t.source for t in case.procedure.transitions if t.trigger == trigger})
    return tr.gettext(NOT_HERE).format(
        state=terms(case.state), trigger=terms(trigger), states=", ".join(map(terms, sources))
    )


def trigger_options(
    case: Case, policy: Policy, *, ticked: frozenset[str] = frozenset()
) -> tuple[TriggerOption, ...]:
    """Every trigger of the case's procedure, whether it may fire now, and if not, why;
    `ticked`: the items of the case's current checklist ticked now (states/checklists.py)."""
    procedure = case.procedure
    options = []
    for trigger in procedure.triggers:
        row = procedure.find(case.state, trigger)
        if row is None:
            options.append(TriggerOption(trigger, False, None, (), not_here(case, trigger), ""))
            continue
        why_not = _guard_failure(row, policy, case, ticked)
        options.append(
            TriggerOption(trigger, why_not is None, row.dest, row.outcomes, why_not, row.meaning.en)
        )
    return tuple(options)


def allowed_triggers(case: Case, policy: Policy, *, ticked: frozenset[str] = frozenset()) -> tuple[str, ...]:
    return tuple(o.trigger for o in trigger_options(case, policy, ticked=ticked) if o.allowed)


def advance(
    case: Case,
    *,
    trigger: str,
    actor: str,
    reason: str,
    at: datetime,
    policy: Policy,
    outcome: str | None = None,
    scope: str | None = None,
    ticked: frozenset[str] = frozenset(),
) -> tuple[Case, CaseTransitioned]:
    """Fire `trigger` on `case`: the new case and the event, or a named error and no change.
    `ticked`: the items of the case's current checklist ticked now (the guard
    `checklist_complete` reads them)."""
    from states.events import CaseTransitioned
    from states.machine import fire  # the `transitions` library: only a step needs it

    require_actor(actor)
    require_text(reason, REASON)
    check_optional(scope, Input(N_("the scope"), "scope"))
    if case.open_pause is not None:
        raise StepRefusedError(
            reference=case.reference,
            state=case.state,
            problem=Input(
                N_("the case is paused since {since} ({reason}); resume it before '{trigger}'"),
                params={
                    "since": dated(case.calendar.local_date(case.open_pause.started_at)),
                    "reason": case.open_pause.reason,
                    "trigger": Term(trigger),
                },
            ),
        )
    procedure = case.procedure
    row = procedure.find(case.state, trigger)
    why = _guard_failure(row, policy, case, ticked) if row is not None else None
    if row is None or why is not None:
        # Only a refusal pays for working out everything that is allowed instead.
        allowed = list(allowed_triggers(case, policy, ticked=ticked))
        raise TransitionNotAllowedError(
            reference=case.reference,
            state=case.state,
            trigger=trigger,
            allowed=allowed,
            why=why or "",
        )
    recorded = _outcome_for(case, row, outcome)
    if at < case.last_event_at:
        raise out_of_order(case, at)
    dest = fire(procedure, case.state, trigger)
    assert dest == row.dest, "the machine and the procedure's transitions disagree"
    label = procedure.triggers[trigger].past.en
    deadlines, met, started = entering(case, procedure, dest, at=at, label=label, policy=policy)
    new_case = replace(
        case,
        state=dest,
        outcome=recorded if recorded is not None else case.outcome,
        results={**case.results, row.sets: recorded} if recorded is not None and row.sets else case.results,
        deadlines=deadlines,
        last_event_at=at,
        scope=scope if scope is not None else case.scope,
    )
    event = CaseTransitioned(
        reference=case.reference,
        trigger=trigger,
        from_state=case.state,
        to_state=dest,
        outcome=recorded,
        sets=row.sets if recorded is not None else None,
        actor=actor,
        reason=reason,
        at=at,
        met=met,
        started=started,
        scope=scope,
    )
    return new_case, event


def entering(
    case: Case, procedure: Procedure, dest: str, *, at: datetime, label: str, policy: Policy
) -> tuple[tuple[Deadline, ...], tuple[DeadlineMet, ...], tuple[DeadlineStarted, ...]]:
    """The case's deadlines once it enters `dest` of `procedure` at `at`: each open one that
    `dest` does not keep open is met; each `dest` opens that the case never had starts (counted
    from `label`, the basis' words, when it counts from entry). Also what was met and started."""
    from states.events import DeadlineMet, DeadlineStarted

    still_open = procedure.open_deadlines(dest)
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
    for name in procedure.deadlines:
        if name in still_open and name not in known:
            new = _start(
                name,
                procedure=procedure,
                case_received=case.received_at,
                at=at,
                label=label,
                policy=policy,
                calendar=case.calendar,
                facts=case.facts,
            )
            if new is None:
                continue  # counted from a fact not yet recorded: it starts when the fact is
            deadlines.append(new)
            started.append(DeadlineStarted(new.name, new.due))
    return tuple(deadlines), tuple(met), tuple(started)


def _outcome_for(case: Case, row: Transition, given: str | None) -> str | None:
    if given is None:
        if row.outcomes and row.implied_outcome is None:
            raise OutcomeError(
                reference=case.reference,
                state=case.state,
                trigger=row.trigger,
                outcome=None,
                allowed=list(row.outcomes),
            )
        return row.implied_outcome
    if given not in row.outcomes:
        raise OutcomeError(
            reference=case.reference,
            state=case.state,
            trigger=row.trigger,
            outcome=given,
            allowed=list(row.outcomes),
        )
    return str(given)
