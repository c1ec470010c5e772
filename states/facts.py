"""Dated facts of a case, recorded beside its steps: the publication of the initial assessment,
the parties' agreement to mediate, an interim or a later agreement, a procedural review requested
and concluded. A fact does not move the case; the procedure declares which facts exist, where each
may be recorded, and which deadlines are counted from one (docs/procedure-schema.md, `[facts]`).

Pure: `record_fact` decides, like `states.case.advance`, and returns the new case and the event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from states.deadlines import Deadline, dated
from states.errors import Input, InvalidInputError, StepRefusedError, Term, Terms
from states.limits import NAME_MAX, check_day, check_optional
from states.messages import N_
from states.pauses import with_pauses
from states.procedure import Procedure

if TYPE_CHECKING:  # a read never makes an event; the case imports this module
    from states.case import Case, Policy
    from states.events import FactRecorded

NOTE = Input(N_("the note"), "note")
BY = Input(N_("who it was by"), "by")


@dataclass(frozen=True)
class Fact:
    """`name` happened `on` that local day; recorded by `actor` at `recorded_at`."""

    name: str
    on: date
    actor: str
    recorded_at: datetime
    by: str | None = None  # who requested it, where the fact names someone (review_requested)
    note: str | None = None


def open_facts(facts: Iterable[Fact], procedure: Procedure) -> frozenset[str]:
    """The facts recorded and not yet ended by the fact that ends them (an open review)."""
    count: dict[str, int] = {}
    for fact in facts:
        ends = procedure.opened_by(fact.name)
        if ends is not None:
            count[ends] = count.get(ends, 0) - 1
        elif any(f.ends == fact.name for f in procedure.facts.values()):
            count[fact.name] = count.get(fact.name, 0) + 1
    return frozenset(name for name, n in count.items() if n > 0)


def latest(facts: Iterable[Fact], name: str) -> Fact | None:
    """The fact `name` recorded last, or None."""
    return next((f for f in reversed(tuple(facts)) if f.name == name), None)


def _refuse(case: Case, problem: str, **params: object) -> StepRefusedError:
    return StepRefusedError(reference=case.reference, state=case.state, problem=Input(problem, params=params))


def record_fact(
    case: Case,
    *,
    fact: str,
    on: date,
    actor: str,
    at: datetime,
    policy: Policy,
    by: str | None = None,
    note: str | None = None,
) -> tuple[Case, FactRecorded]:
    """Record that `fact` happened `on` a day (not before receipt, not after today): the new case,
    with any deadline counted from the fact started, and the event; a named error otherwise."""
    from states.case import require_actor, start_deadline
    from states.events import DeadlineMet, DeadlineStarted, FactRecorded

    require_actor(actor)
    check_optional(note, NOTE)
    check_optional(by, BY, limit=NAME_MAX)
    procedure = case.procedure
    definition = procedure.facts.get(fact)
    if definition is None:
        raise InvalidInputError(
            N_("'{fact}' is not a fact of procedure {procedure}; known: {known}"),
            fact=Term(fact),
            procedure=procedure.id,
            known=Terms(tuple(procedure.facts)) if procedure.facts else Input(N_("none")),
        )
    if case.state not in definition.recorded_in:
        raise _refuse(
            case,
            N_("'{fact}' is recorded only in {states}"),
            fact=Term(fact),
            states=Terms(tuple(s for s in procedure.states if s in definition.recorded_in)),
        )
    if definition.by and by not in definition.by:
        raise InvalidInputError(
            N_("'{fact}' needs who it was by ({by}): one of {known}"),
            fact=Term(fact),
            by=BY,
            known=Terms(tuple(definition.by)),
        )
    if not definition.by and by is not None:
        raise InvalidInputError(N_("'{fact}' names no one it was by; leave out {by}"), fact=Term(fact), by=BY)
    check_day(on, Input(N_("the date of the fact"), "on"))
    today = case.calendar.local_date(at)
    if on < case.received_on or on > today:
        raise InvalidInputError(
            N_("the date of the fact {on} must lie between the date of receipt {received} and today {today}"),
            on=on.isoformat(),
            received=case.received_on.isoformat(),
            today=today.isoformat(),
        )
    before = latest(case.facts, fact)
    if before is not None and not definition.repeat:
        raise _refuse(case, N_("'{fact}' is already recorded, on {on}"), fact=Term(fact), on=dated(before.on))
    still_open = open_facts(case.facts, procedure)
    if definition.ends is not None:
        opened = latest(case.facts, definition.ends)
        if definition.ends not in still_open or opened is None:
            raise _refuse(
                case,
                N_("there is no open '{opened}' for '{fact}' to end"),
                opened=Term(definition.ends),
                fact=Term(fact),
            )
        if on < opened.on:
            raise InvalidInputError(
                N_("'{fact}' on {on} would end '{opened}' before it began ({began})"),
                fact=Term(fact),
                on=on.isoformat(),
                opened=Term(definition.ends),
                began=opened.on.isoformat(),
            )
    elif fact in still_open:
        raise _refuse(case, N_("'{fact}' is still open; record its end first"), fact=Term(fact))
    recorded = Fact(name=fact, on=on, actor=actor, recorded_at=at, by=by, note=note or None)
    known, running = {d.name for d in case.deadlines}, procedure.open_deadlines(case.state)
    started: list[Deadline] = [
        start_deadline(case, name, basis_on=on, basis_label=definition.label.en, at=at, policy=policy)
        for name, rule in procedure.deadlines.items()
        if name in running and name not in known and rule.fact == fact
    ]
    met: list[DeadlineMet] = []
    kept: list[Deadline] = []
    for deadline in case.deadlines:
        rule = procedure.deadlines.get(deadline.name)
        if rule is not None and rule.met_by == fact and deadline.met_at is None:
            deadline = replace(deadline.met(at=at), met_on=on)
            met.append(DeadlineMet(deadline.name, on, deadline.due))
        kept.append(deadline)
    deadlines = (*kept, *started)
    if started and case.pauses:
        deadlines = with_pauses(deadlines, case.pauses, case.calendar)
    new_case = replace(case, facts=(*case.facts, recorded), deadlines=tuple(deadlines))
    event = FactRecorded(
        reference=case.reference,
        fact=fact,
        on=on,
        by=recorded.by,
        note=recorded.note,
        actor=actor,
        at=at,
        started=tuple(DeadlineStarted(d.name, d.due) for d in started),
        met=tuple(met),
    )
    return new_case, event
