"""The `ncpflow` program's entry point (console script and `python -m ncpflow`).

Start-up makes a few hundred thousand objects (the modules, Typer's command tree, pydantic's
validators), none of them garbage, and the cyclic collector would walk them again and again
while they load: about a tenth of a short command's CPU time (benchmarks/startup.py). So each
step of start-up runs in `starting()`: the command line's import, the root's options (Typer
imports pydantic for them), the invoked group, the settings, the application's wiring, the
read models, Rich's console. The collector is off during the step; then what it made is
frozen (kept out of every later collection) and the collector is back on, so the command
itself, and a long-running one (`serve`, `scheduler`, a long `audit verify`) above all,
collects as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_freeze = False
"""Set by run(): only the program's own process freezes its heap; in-process callers (the
tests) keep every object collectable."""


@contextmanager
def starting() -> Iterator[None]:
    """A step of start-up (the command line's import, a command group's, the application's
    wiring, Rich's console) with the collector off; what it made is then frozen when run()
    started the process, and the collector is back on if it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def run() -> None:
    """The program: its heap is frozen after each start-up step, then the command runs."""
    global _freeze
    _freeze = True
    with starting():
        from ncpflow import cli
    cli.run()
