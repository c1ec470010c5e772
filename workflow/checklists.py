"""Use cases of stage checklists: tick an item, untick it, show the checklist of a case's current
stage (rules in states/checklists.py; the items are procedure data).

Each mark is one write transaction: its `checklist_marks` row and its `checklist_ticked` (or
`checklist_unticked`) audit entry, or nothing at all. An actor who is a user must hold
`Action.TICK_CHECKLIST`. `ticked_now` gives a step the items ticked in the case's stage, for the
guard `checklist_complete`.
"""

from __future__ import annotations

from datetime import date, datetime

from states import checklists as rules
from states import records
from states.case import Case, Policy
from states.errors import ACTOR, InvalidInputError
from states.guards import CHECKLIST_GUARD
from states.limits import NAME_MAX, check_text
from states.messages import N_
from states.permissions import Action
from states.redaction import NOTHING
from states.users import User
from workflow import inputs, read_models
from workflow import redaction as redactions
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork
from workflow.users import authorise

log = get_logger("ncpflow.checklists")

# A checklist's keys that hold ids and flags, not free text: never redacted.
_IDS = frozenset({"complete", "missing", "required_by"})


def ticked_now(tx: Transaction, case: Case) -> frozenset[str]:
    """The items of the case's current stage ticked now (nothing read when it has no checklist)."""
    if not case.procedure.checklist(case.state):
        return frozenset()
    return rules.ticked(tx.checklists.of_case(case.reference), case.state)


def _mark(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    item: str,
    actor: str,
    tick: bool,
    at: date | datetime | None,
) -> rules.Mark:
    check_text(actor, ACTOR, limit=NAME_MAX)
    check_text(item, rules.ITEM, limit=NAME_MAX)
    with uow.write() as tx:
        authorise(tx, actor, Action.TICK_CHECKLIST)
        now = clock.now()
        case = tx.cases.get(reference)
        marks = tx.checklists.of_case(reference)
        when = inputs.resolve_when(
            at, calendar=case.calendar, now=now, not_before=case.last_event_at, what=inputs.AT
        )
        previous = rules.latest(marks, case.state).get(item)
        if previous is not None and when < previous.at:
            raise InvalidInputError(
                N_("{what} {value} is before the item's last mark ({last})"),
                what=inputs.AT,
                value=when.isoformat(),
                last=previous.at.isoformat(),
            )
        made = rules.mark(
            case.procedure,
            marks,
            reference=reference,
            state=case.state,
            closed=case.is_terminal,
            item=item,
            tick=tick,
            actor=actor,
            at=when,
        )
        tx.checklists.add(reference, made)
        kind = records.ChecklistTicked if tick else records.ChecklistUnticked
        tx.audit.append(
            case_ref=reference,
            actor=actor,
            at=when,
            from_state=case.state,
            to_state=case.state,
            reason=None,
            record=kind(item=made.item, stage=made.stage, recorded_at=now if when != now else None),
        )
    log.info("checklist_ticked" if tick else "checklist_unticked", case=reference, item=item, actor=actor)
    return made


def tick(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    item: str,
    actor: str,
    at: date | datetime | None = None,
) -> rules.Mark:
    """Tick `item` of the checklist of the case's current stage at `at` (default now; not in the
    future, not before the case's last step nor the item's last mark: a bare date today is no
    earlier than those)."""
    return _mark(uow=uow, clock=clock, reference=reference, item=item, actor=actor, tick=True, at=at)


def untick(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reference: str,
    item: str,
    actor: str,
    at: date | datetime | None = None,
) -> rules.Mark:
    """Untick a ticked `item` of the checklist of the case's current stage at `at` (as `tick`)."""
    return _mark(uow=uow, clock=clock, reference=reference, item=item, actor=actor, tick=False, at=at)


def checklist_view(
    case: Case, marks: list[rules.Mark], policy: Policy, language: str = "en"
) -> read_models.CaseChecklist:
    """The checklist of the case's current stage as the read side shows it, in `language`."""
    shown = rules.lines(case.procedure, case.state, marks)
    guarded = (
        [t.trigger for t in case.procedure.transitions_from(case.state) if CHECKLIST_GUARD in t.guards]
        if policy.checklists_required
        else []
    )
    return read_models.CaseChecklist(
        reference=case.reference,
        state=case.state,
        items=[
            read_models.ChecklistLine(
                item=line.item.id,
                label=line.item.label.get(language),
                help=line.item.help.get(language) if line.item.help is not None else None,
                ticked=line.ticked,
                by=line.mark.actor if line.mark is not None else None,
                at=line.mark.at.isoformat() if line.mark is not None else None,
            )
            for line in shown
        ],
        complete=all(line.ticked for line in shown),
        missing=[line.item.id for line in shown if not line.ticked],
        required_by=guarded,
    )


def show(
    *,
    uow: UnitOfWork,
    policy: Policy,
    reference: str,
    viewer: User | None = None,
    language: str = "en",
) -> read_models.CaseChecklist:
    """The checklist of case `reference`'s current stage, in `language`, as `viewer` may see it
    (None: the operator, everything as stored): who marked an item is free text, like every
    audit entry's actor, so a protected name in it reads as the viewer's redaction has it."""
    from workflow.views import redacted

    with uow.read() as tx:
        case = tx.cases.get(reference)
        marks = tx.checklists.of_case(reference) if case.procedure.checklist(case.state) else []
        redaction = redactions.for_viewer(tx, viewer, language) if viewer is not None else NOTHING
    return redacted(checklist_view(case, marks, policy, language), redaction, reference, keep=_IDS)
