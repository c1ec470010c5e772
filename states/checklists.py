"""A case's stage checklists: the items a procedure defines per state (`[[states.NAME.checklist]]`,
states/procedure.py), ticked and unticked on the case; the ledger of ticks is append-only, and
the checklist's state now is derived from it (the last mark of each item wins).

The decisions `tick` and `untick` check a mark against the case and the ledger and return the new
mark, or refuse with a named error and nothing to write: an item no checklist of the procedure
has, an item of another stage's checklist, an item already ticked (or not ticked), a closed case.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from states.errors import Input, InvalidInputError, StepRefusedError, Term, Terms
from states.messages import N_
from states.procedure import ChecklistItem, Procedure

ITEM = Input(N_("the checklist item"), "item")


@dataclass(frozen=True)
class Mark:
    """One tick or untick of an item, as the ledger holds it: the stage it was made in, who made
    it and when."""

    item: str
    stage: str
    ticked: bool
    actor: str
    at: datetime


@dataclass(frozen=True)
class Line:
    """One item of a checklist now: ticked or not, and by whom and when (the last mark)."""

    item: ChecklistItem
    mark: Mark | None

    @property
    def ticked(self) -> bool:
        return self.mark is not None and self.mark.ticked


class ChecklistItemUnknownError(InvalidInputError):
    """No checklist of the case's procedure has the item."""

    code = "checklist_item_unknown"


class ChecklistItemElsewhereError(InvalidInputError):
    """The item is on another stage's checklist than the case's current stage."""

    code = "checklist_item_elsewhere"


class ChecklistRefusedError(StepRefusedError):
    """A mark that does not fit the checklist as it stands (409, exit 1)."""

    code = "checklist_refused"


class AlreadyTickedError(ChecklistRefusedError):
    code = "checklist_already_ticked"


class NotTickedError(ChecklistRefusedError):
    code = "checklist_not_ticked"


class ChecklistClosedError(ChecklistRefusedError):
    code = "checklist_case_closed"


def latest(marks: Iterable[Mark], stage: str) -> dict[str, Mark]:
    """Each item's last mark made in `stage`, by item id (marks in the order made)."""
    found: dict[str, Mark] = {}
    for mark in marks:
        if mark.stage == stage:
            found[mark.item] = mark
    return found


def ticked(marks: Iterable[Mark], stage: str) -> frozenset[str]:
    """The items of `stage` ticked now."""
    return frozenset(item for item, mark in latest(marks, stage).items() if mark.ticked)


def lines(procedure: Procedure, stage: str, marks: Iterable[Mark]) -> tuple[Line, ...]:
    """The checklist of `stage` in the definition's order, each item with its last mark."""
    last = latest(marks, stage)
    return tuple(Line(item, last.get(item.id)) for item in procedure.checklist(stage))


def _item(procedure: Procedure, *, reference: str, state: str, item: str) -> None:
    stage = procedure.checklist_stage(item)
    if stage is None:
        here = tuple(i.id for i in procedure.checklist(state))
        raise ChecklistItemUnknownError(
            N_("case {reference}: {what} '{value}' is on no checklist; the checklist of '{state}': {items}"),
            reference=reference,
            what=ITEM,
            value=item[:60],
            state=Term(state),
            items=Terms(here) if here else Input(N_("none")),
        )
    if stage != state:
        raise ChecklistItemElsewhereError(
            N_(
                "case {reference}: {what} '{value}' is on the checklist of '{stage}'; "
                "the case is in '{state}'"
            ),
            reference=reference,
            what=ITEM,
            value=item,
            stage=Term(stage),
            state=Term(state),
        )


def mark(
    procedure: Procedure,
    marks: Iterable[Mark],
    *,
    reference: str,
    state: str,
    closed: bool,
    item: str,
    tick: bool,
    actor: str,
    at: datetime,
) -> Mark:
    """The mark ticking (`tick`) or unticking `item` on a case in `state`; a named error when it
    does not fit: a closed case, an unknown item, an item of another stage, a tick on a ticked
    item or an untick on one not ticked."""
    if closed:
        raise ChecklistClosedError(
            reference=reference,
            state=state,
            problem=Input(N_("the case is closed; its checklists are kept as they were")),
        )
    _item(procedure, reference=reference, state=state, item=item)
    now = item in ticked(marks, state)
    if tick and now:
        raise AlreadyTickedError(
            reference=reference,
            state=state,
            problem=Input(N_("'{item}' is ticked already"), params={"item": Term(item)}),
        )
    if not tick and not now:
        raise NotTickedError(
            reference=reference,
            state=state,
            problem=Input(N_("'{item}' is not ticked"), params={"item": Term(item)}),
        )
    return Mark(item=item, stage=state, ticked=tick, actor=actor, at=at)
