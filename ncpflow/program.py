"""The `ncpflow` program's entry point (console script and `python -m ncpflow`).

Start-up makes a few hundred thousand objects (the modules, Typer's command tree, pydantic's
validators), none of them garbage, and the cyclic collector would walk them again and again
while they load: about a tenth of a short command's CPU time (benchmarks/startup.py). So the
command line is imported with the collector off; then what it made is frozen (kept out of
every later collection) and the collector is back on before any command runs, so a
long-running one (`serve`, `scheduler`, a long `audit verify`) collects as usual.
"""

from __future__ import annotations

import gc


def run() -> None:
    gc.disable()
    try:
        from ncpflow import cli
    finally:
        gc.freeze()
        gc.enable()
    cli.run()
