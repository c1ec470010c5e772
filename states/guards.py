"""Named guards of the lifecycle table. Each returns None when it holds, or why it does not: a
marked message, or an `Input` whose parameters name what is missing (`checklist_complete`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from states.errors import Input, Term, Terms
from states.messages import N_


@dataclass(frozen=True)
class GuardContext:
    examination_enabled: bool
    open_facts: frozenset[str] = frozenset()  # facts recorded and not yet ended (review_requested)
    # `checklist_complete`: whether the NCP requires it ([procedure] checklists_required), the
    # case's state, its checklist's item ids in order and those ticked now (states/checklists.py).
    checklists_required: bool = False
    state: str = ""
    checklist: tuple[str, ...] = ()
    ticked: frozenset[str] = frozenset()


EXAMINATION_OFF = N_("examination is switched off in config ([procedure] examination = false)")


def is_examination_enabled(ctx: GuardContext) -> str | None:
    if ctx.examination_enabled:
        return None
    return EXAMINATION_OFF


REVIEW_OPEN = N_(
    "a procedural review of the final statement is open; record its conclusion before publishing"
)


def no_open_review(ctx: GuardContext) -> str | None:
    """Publication waits while a procedural review of the final statement is open."""
    return REVIEW_OPEN if "review_requested" in ctx.open_facts else None


CHECKLIST_GUARD = "checklist_complete"
CHECKLIST_OPEN = N_("the checklist of '{stage}' is not complete; still to tick: {items}")


def checklist_complete(ctx: GuardContext) -> Input | None:
    """Every item of the state's checklist is ticked, where the NCP requires it; the refusal
    names the items still to tick (worded as terms: ids on the command line and the API, labels
    on the pages)."""
    missing = tuple(item for item in ctx.checklist if item not in ctx.ticked)
    if not ctx.checklists_required or not missing:
        return None
    return Input(CHECKLIST_OPEN, params={"stage": Term(ctx.state), "items": Terms(missing)})


GUARDS: dict[str, Callable[[GuardContext], str | Input | None]] = {
    "is_examination_enabled": is_examination_enabled,
    "no_open_review": no_open_review,
    CHECKLIST_GUARD: checklist_complete,
}

GUARD_FACTS: dict[str, tuple[str, ...]] = {"no_open_review": ("review_requested",)}
"""The facts each guard reads: a procedure using the guard must define them (and one ending each)."""
