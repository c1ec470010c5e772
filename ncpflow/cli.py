"""The `ncpflow` command line. Thin: parse, call a workflow function, print.

Each command group lives in ncpflow/commands/; this module is the root and registers them.
"""

import gc
import os
import sys
from collections.abc import Iterator, MutableMapping
from enum import StrEnum
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.main
from typer.core import TyperGroup

from ncpflow import output
from ncpflow.commands.alerts import scheduler
from ncpflow.commands.handbook import handbook
from ncpflow.commands.web import serve
from ncpflow.context import Context, context_of
from ncpflow.output import out
from ncpflow.program import starting
from states.errors import InvalidInputError, NcpflowError

# The command groups, in the order `--help` lists them: name, module, Typer instance.
GROUPS = (
    ("case", "cases", "case_app"),
    ("audit", "audit", "audit_app"),
    ("alerts", "alerts", "alerts_app"),
    ("outbox", "alerts", "outbox_app"),
    ("deadlines", "alerts", "deadlines_app"),
    ("members", "rotation", "members_app"),
    ("rotation", "rotation", "rotation_app"),
    ("report", "reports", "report_app"),
    ("procedure", "procedures", "procedure_app"),
    ("users", "web", "users_app"),
    ("note", "notes", "note_app"),
    ("journal", "journal", "journal_app"),
    ("doc", "documents", "doc_app"),
    ("party", "parties", "party_app"),
    ("correspondence", "correspondence", "correspondence_app"),
    ("letter", "correspondence", "letter_app"),
    ("mediator", "mediators", "mediator_app"),
    ("link", "links", "link_app"),
    ("register", "register", "register_app"),
    ("statement", "statements", "statement_app"),
    ("followup", "follow_up", "followup_app"),
    ("engagement", "engagement", "engagement_app"),
    ("network", "network", "network_app"),
)


class _Groups(MutableMapping[str, Any]):
    """The root's commands, each group imported and built the first time it is asked for.

    Typer builds every command's parameters to run one (each through a pydantic adapter), and
    the command modules import what their options need: about a sixth of `case show`'s
    start-up (benchmarks/startup.py). Running a command asks for its group alone; `--help`
    and a mistyped name ask for all, and get the same as before."""

    def __init__(self, commands: MutableMapping[str, Any]) -> None:
        self._built = dict(commands)
        self._order = [*commands, *(name for name, _, _ in GROUPS)]
        self._lazy = {name: (module, attribute) for name, module, attribute in GROUPS}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in self._lazy:
                raise KeyError(name)
            module, attribute = self._lazy[name]
            with starting():
                sub: typer.Typer = getattr(import_module(f"ncpflow.commands.{module}"), attribute)
                sub.rich_markup_mode = app.rich_markup_mode  # as add_typer would pass it down
                group = typer.main.get_group(sub)
                group.name = name
                self._built[name] = group
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        if name not in self._order:
            self._order.append(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        self._order.remove(name)
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


class _Root(TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Groups(self.commands)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """A start-up step: the root's options are the first Typer coerces, and it imports
        pydantic to build their adapters (and `--help` prints from here)."""
        with starting():
            return super().parse_args(ctx, args)


# Plain help and usage errors (click's): Rich's help renderer imports its Markdown parser, which
# would cost every `--help` about a third of its start-up.
app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    cls=_Root,
    help="Workflow engine for National Contact Points' specific instances.",
)


class LogLevel(StrEnum):
    debug = "debug"
    info = "info"
    warning = "warning"
    error = "error"


@app.callback()
def _root(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Config file (default: $NCPFLOW_CONFIG, else ./config.toml)."),
    ] = None,
    database: Annotated[
        str | None,
        typer.Option("--database", help="Database URL (default: $NCPFLOW_DATABASE_URL, else the config's)."),
    ] = None,
    ncp: Annotated[
        str | None,
        typer.Option(
            "--ncp",
            help="The NCP to work for in a PostgreSQL database shared by a network "
            "(default: $NCPFLOW_NCP, else the config's [database] ncp).",
        ),
    ] = None,
    log_level: Annotated[
        LogLevel,
        typer.Option(
            "--log-level",
            envvar="NCPFLOW_LOG_LEVEL",
            case_sensitive=False,
            help="debug, info, warning or error.",
        ),
    ] = LogLevel.warning,
) -> None:
    from workflow.logging import configure_on_first_use

    configure_on_first_use(level=log_level.value)
    context = Context(config=config, database=database, ncp=ncp)
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
        out.print(output.cases_table(listed, application.today(), "Demo cases and their next due dates"))


app.command()(scheduler)
app.command()(serve)
app.command()(handbook)


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


ENVIRONMENT = (
    "NCPFLOW_CONFIG",
    "NCPFLOW_DATABASE_URL",
    "NCPFLOW_LOG_LEVEL",
    "NCPFLOW_AUDIT_KEY",
    "NCPFLOW_AUDIT_SIGNING_KEY",
    "NCPFLOW_SECRET_KEY",
)
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
        elif (
            index > 0
            and args[index - 1].startswith("-")
            and _valid(args[index - 1])
            and "=" not in args[index - 1]
        ):
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
