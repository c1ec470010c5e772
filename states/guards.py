"""Named guards of the lifecycle table. Each returns None when it holds, or why it does not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from states.messages import N_


@dataclass(frozen=True)
class GuardContext:
    examination_enabled: bool
    open_facts: frozenset[str] = frozenset()  # facts recorded and not yet ended (review_requested)


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


GUARDS: dict[str, Callable[[GuardContext], str | None]] = {
    "is_examination_enabled": is_examination_enabled,
    "no_open_review": no_open_review,
}

GUARD_FACTS: dict[str, tuple[str, ...]] = {"no_open_review": ("review_requested",)}
"""The facts each guard reads: a procedure using the guard must define them (and one ending each)."""
