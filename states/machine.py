"""The one place `transitions` is used: a shared machine built from the lifecycle table.

A shared `Machine(model=None)` driven through a throwaway token keeps the cost near 10 µs
and never attaches methods to our own objects (see STACK.md). The machine is not
thread-safe, so firing is serialised with a lock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from transitions import Machine, MachineError

from states.lifecycle import TRANSITIONS, State, Trigger

_MACHINE = Machine(
    model=None,
    states=[s.value for s in State],
    transitions=[
        {"trigger": t.trigger.value, "source": t.source.value, "dest": t.dest.value} for t in TRANSITIONS
    ],
    initial=State.RECEIVED.value,
    auto_transitions=False,
    ignore_invalid_triggers=False,
)
_LOCK = threading.Lock()


@dataclass
class _Token:
    state: str


def fire(state: State, trigger: Trigger) -> State | None:
    """The state `trigger` leads to from `state`, or None when the machine has no such edge."""
    token = _Token(state.value)
    with _LOCK:
        try:
            _MACHINE.events[trigger.value].trigger(token)
        except MachineError:
            return None
    return State(token.state)
