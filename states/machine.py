"""The one place `transitions` is used: a shared machine per procedure, built from its transitions.

A shared `Machine(model=None)` driven through a throwaway token keeps the cost near 10 µs
and never attaches methods to our own objects (see STACK.md). One machine is built per
procedure version (id, version and the text's sha256), the first time a case of it steps, and
kept. The machines are not thread-safe, so firing is serialised with a lock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from transitions import Machine, MachineError

from states.procedure import Procedure

_MACHINES: dict[tuple[str, str, str], Machine] = {}
_LOCK = threading.Lock()
_KEEP = 64  # versions kept; more (generated definitions in tests) start the cache afresh


def _build(procedure: Procedure) -> Machine:
    return Machine(
        model=None,
        states=list(procedure.states),
        transitions=[
            {"trigger": t.trigger, "source": t.source, "dest": t.dest} for t in procedure.transitions
        ],
        initial=procedure.initial,
        auto_transitions=False,
        ignore_invalid_triggers=False,
    )


def machine(procedure: Procedure) -> Machine:
    """The procedure's machine, built once per version."""
    key = procedure.key
    found = _MACHINES.get(key)
    if found is None:
        with _LOCK:
            found = _MACHINES.get(key)
            if found is None:
                if len(_MACHINES) >= _KEEP:
                    _MACHINES.clear()
                found = _MACHINES[key] = _build(procedure)
    return found


@dataclass
class _Token:
    state: str


def fire(procedure: Procedure, state: str, trigger: str) -> str | None:
    """The state `trigger` leads to from `state` in `procedure`, or None when it has no such edge."""
    built = machine(procedure)
    # Plain strings: `transitions` reads an Enum member (oecd-2023's StrEnums) by its name.
    event = built.events.get(str(trigger))
    if event is None:
        return None
    token = _Token(str(state))
    with _LOCK:
        try:
            event.trigger(token)
        except (MachineError, ValueError):
            return None
    return token.state
