"""Named guards of the lifecycle table. Each returns None when it holds, or why it does not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from states.messages import N_


@dataclass(frozen=True)
class GuardContext:
    examination_enabled: bool


EXAMINATION_OFF = N_("examination is switched off in config ([procedure] examination = false)")


def is_examination_enabled(ctx: GuardContext) -> str | None:
    if ctx.examination_enabled:
        return None
    return EXAMINATION_OFF


GUARDS: dict[str, Callable[[GuardContext], str | None]] = {
    "is_examination_enabled": is_examination_enabled,
}
