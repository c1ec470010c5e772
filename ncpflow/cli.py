"""The `ncpflow` command line. Thin: parse, call a workflow function, print.

Each command group lives in ncpflow/commands/; this module is the root and registers them.
"""

from __future__ import annotations

import gc
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ncpflow import output
from ncpflow.commands.alerts import alerts_app, deadlines_app, outbox_app, scheduler
from ncpflow.commands.audit import audit_app
from ncpflow.commands.cases import case_app
from ncpflow.commands.reports import report_app
from ncpflow.commands.rotation import members_app, rotation_app
from ncpflow.commands.web import serve, users_app
from ncpflow.context import Context, context_of
from ncpflow.output import out
from states.errors import InvalidInputError, NcpflowError

# Plain help and usage errors (click's): Rich's help renderer imports its Markdown parser, which
# would cost every `--help` about a third of its start-up.
app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                  rich_markup_mode=None,
                  help="Workflow engine for National Contact Points' specific instances.")
for group, name in ((case_app, "case"), (audit_app, "audit"), (alerts_app, "alerts"),
                    (outbox_app, "outbox"), (deadlines_app, "deadlines"),
                    (members_app, "members"), (rotation_app, "rotation"), (report_app, "report"),
                    (users_app, "users")):
    app.add_typer(group, name=name)


class LogLevel(StrEnum):
    debug = "debug"
    info = "info"
    warning = "warning"
    error = "error"


@app.callback()
def _root(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option(
        "--config", help="Config file (default: $NCPFLOW_CONFIG, else ./config.toml).")] = None,
    database: Annotated[str | None, typer.Option(
        "--database", help="Database URL (default: $NCPFLOW_DATABASE_URL, else the config's).")] = None,
    log_level: Annotated[LogLevel, typer.Option(
        "--log-level", envvar="NCPFLOW_LOG_LEVEL", case_sensitive=False,
        help="debug, info, warning or error.")] = LogLevel.warning,
) -> None:
    from workflow.logging import configure_on_first_use

    configure_on_first_use(level=log_level.value)
    context = Context(config=config, database=database)
    ctx.obj = context
    ctx.call_on_close(context.close)


@app.command()
def init(
    ctx: typer.Context,
    demo: Annotated[bool, typer.Option("--demo", help="Add demo cases if there are none.")] = False,
) -> None:
    """Create or upgrade the database schema (safe to run again)."""
    from workflow.bootstrap import initialise

    application = context_of(ctx).app(require_initialised=False)
    initialise(application)
    out.print(f"database ready: {application.settings.database.url}")
    changes = application.members.sync(actor="init")
    out.print(f"members: {changes.describe()}")
    if demo:
        from workflow.demo import load_demo  # only `init --demo` pays for the demo module

        made = load_demo(application)
        out.print(f"demo cases added: {len(made)}" if made else "demo: cases exist, none added")
        listed = application.cases.list()
        out.print(output.cases_table(listed, application.today(),
                                     "Demo cases and their next due dates"))


app.command()(scheduler)
app.command()(serve)


def main(argv: list[str] | None = None) -> None:
    """Run the command line; a refused or failed command exits non-zero with a message."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        check_text(args)
        app(args=args, prog_name="ncpflow")
    except NcpflowError as error:
        sys.exit(output.report_error(error))


def run() -> None:
    """The `ncpflow` program (console script and `python -m ncpflow`): main(), then exit.

    The objects start-up made (modules, classes, SQLAlchemy's and pydantic's tables) live until
    the process ends, and the interpreter's shutdown would collect them all once more: about a
    quarter of a short command's CPU time. Frozen, they are left to the operating system. The
    command itself has run and closed its connections by then; in-process callers (the tests)
    call main() and keep a collected heap."""
    try:
        main()
    finally:
        gc.freeze()


ENVIRONMENT = ("NCPFLOW_CONFIG", "NCPFLOW_DATABASE_URL", "NCPFLOW_LOG_LEVEL", "NCPFLOW_AUDIT_KEY",
               "NCPFLOW_AUDIT_SIGNING_KEY", "NCPFLOW_SECRET_KEY")
SECRETS = ("NCPFLOW_AUDIT_KEY", "NCPFLOW_AUDIT_SIGNING_KEY", "NCPFLOW_SECRET_KEY")


def check_text(args: list[str]) -> None:
    """Refuse arguments (and ncpflow's environment variables) that are not valid UTF-8.

    Python hands undecodable bytes over as lone surrogates, which no database, file or
    terminal accepts; they are refused here, once, naming the argument, before any command
    runs."""
    for index, arg in enumerate(args):
        if _valid(arg):
            continue
        option, _, _ = arg.partition("=")
        if arg.startswith("--") and _valid(option):
            what = f"the value of {option}"
        elif index > 0 and args[index - 1].startswith("-") and _valid(args[index - 1]) \
                and "=" not in args[index - 1]:
            what = f"the value of {args[index - 1]} (argument {index + 1})"
        else:
            what = f"argument {index + 1}"
        raise InvalidInputError(f"{what} is not valid UTF-8: '{_shown(arg)}'")
    for name in ENVIRONMENT:
        value = os.environ.get(name)
        if value is not None and not _valid(value):
            shown = "" if name in SECRETS else f": '{_shown(value)}'"  # a key is never echoed
            raise InvalidInputError(f"${name} is not valid UTF-8{shown}")


def _valid(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(text: str) -> str:
    """The text with its undecodable bytes written as \\xNN, printable anywhere."""
    raw = text.encode("utf-8", "surrogateescape" if _escapable(text) else "backslashreplace")
    shown = raw.decode("utf-8", "backslashreplace")
    return shown if len(shown) <= 200 else shown[:200] + "…"


def _escapable(text: str) -> bool:
    try:
        text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return False
    return True
