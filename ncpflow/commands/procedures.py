"""`ncpflow procedure ...`: the procedure versions shipped, configured and stored; one shown;
a definition file validated; two compared."""

from pathlib import Path
from typing import Annotated, Any

import typer

from ncpflow.context import Language, context_of
from ncpflow.output import emit_json, escape, out

procedure_app = typer.Typer(no_args_is_help=True, help="Procedure definitions and their versions.")

JsonOpt = Annotated[bool, typer.Option("--json")]


@procedure_app.command("list")
def procedure_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every version shipped, configured or stored; which new cases follow; how many cases follow each."""
    from rich.table import Table

    from workflow.read_models import json_of

    rows = context_of(ctx).app().procedures.list()
    if as_json:
        emit_json([json_of(row) for row in rows])
        return
    table = Table(title="Procedure versions", title_justify="left")
    for column in ("id", "version", "sha256", "from", "cases"):
        table.add_column(column)
    for row in rows:
        where = [name for name in ("shipped", "configured", "stored") if getattr(row, name)]
        if row.differs:
            where.append("CHANGED without a new version")
        table.add_row(escape(row.id), escape(row.version), row.sha256[:12], ", ".join(where), str(row.cases))
    out.print(table)


@procedure_app.command("show")
def procedure_show(
    ctx: typer.Context,
    ref: Annotated[
        str | None,
        typer.Argument(
            help="ID[@VERSION] (e.g. oecd-2023@1) or a definition file; default: the configured one."
        ),
    ] = None,
    language: Annotated[
        Language | None, typer.Option("--language", help="Labels in en or nb; default: [ncp] language.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """One version's states (each with its checklist), transitions and deadlines, in en or nb."""
    from workflow.read_models import json_of

    shown = context_of(ctx).app().procedures.show(ref=ref, language=language.value if language else None)
    if as_json:
        emit_json(json_of(shown))
        return
    out.print(f"[bold]{escape(shown.title)}[/bold]  {escape(shown.id)} version {escape(shown.version)}")
    out.print(f"sha256 {shown.sha256}  ({escape(shown.source)})")
    out.print(f"starts in: {escape(shown.initial)}")
    out.print("states:")
    for state in shown.states:
        marks = [m for m, on in (("terminal", state.terminal), ("concluded", state.concluded)) if on]
        extra = f" [{', '.join(marks)}]" if marks else ""
        opened = f"; open: {', '.join(state.deadlines)}" if state.deadlines else ""
        out.print(f"  {escape(state.name)} ({escape(state.label)}){escape(extra)}{escape(opened)}")
        if state.checklist:
            out.print("    checklist:")
        for item in state.checklist:
            out.print(f"      {escape(item.id)}: {escape(item.label)}", soft_wrap=True)
            if item.help:
                out.print(f"        {escape(item.help)}", soft_wrap=True)
    out.print("transitions:")
    for row in shown.transitions:
        details = []
        if row.outcomes:
            details.append("outcomes " + ", ".join(row.outcomes))
        if row.sets:
            details.append(f"sets {row.sets}")
        if row.guards:
            details.append("if " + ", ".join(row.guards))
        tail = f"  ({'; '.join(details)})" if details else ""
        out.print(f"  {escape(row.source)} --{escape(row.trigger)}--> {escape(row.dest)}{escape(tail)}")
    out.print("deadlines:")
    for deadline in shown.deadlines:
        out.print(
            f"  {escape(deadline.name)} ({escape(deadline.label)}): {escape(deadline.duration)} from "
            f"{deadline.basis}; open in {escape(', '.join(deadline.open_in))}"
        )


@procedure_app.command("validate")
def procedure_validate(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A procedure definition (docs/procedure-schema.md).")],
    as_json: JsonOpt = False,
) -> None:
    """Check a definition file as a whole, and against the stored version of its id and version."""
    from states.errors import StorageUnavailableError
    from workflow.read_models import json_of
    from workflow.versions import check_file

    context = context_of(ctx)
    try:
        app = context.app()
    except StorageUnavailableError:
        app = None  # no database yet: the file is checked on its own
    check = app.procedures.validate(path=file) if app is not None else check_file(file)
    if as_json:
        emit_json(json_of(check))
        return
    stored = {True: "stored with this content", False: "not stored yet", None: "no database to compare with"}
    out.print(
        f"{escape(check.file)}: valid; {escape(check.id)} version {escape(check.version)}, "
        f"{check.states} states, {check.transitions} transitions, {check.deadlines} deadlines; "
        f"sha256 {check.sha256[:12]}; {stored[check.stored]}",
        soft_wrap=True,
    )


@procedure_app.command("diff")
def procedure_diff(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="A definition file or ID@VERSION.")],
    b: Annotated[str, typer.Argument(help="A definition file or ID@VERSION.")],
    as_json: JsonOpt = False,
) -> None:
    """What differs from A to B: stages, checklist items, handbook texts, steps, deadlines, facts, letters
    and statements added, removed or changed."""
    from workflow.read_models import json_of

    found = context_of(ctx).app().procedures.diff(a=a, b=b)
    if as_json:
        emit_json(json_of(found))
        return
    out.print(f"--- {escape(found.a)}")
    out.print(f"+++ {escape(found.b)}")
    if not found.changes:
        out.print("no differences")
    sign = {"added": "+", "removed": "-", "changed": "~"}
    for change in found.changes:
        out.print(f"{sign[change.change]} {change.part} {escape(change.name)}", soft_wrap=True)
        for each in change.fields:
            value: Any
            if change.change == "changed":
                value = f"{_spell(each.before)} -> {_spell(each.after)}"
            else:
                value = _spell(each.after if change.change == "added" else each.before)
            out.print(f"    {each.field}: {escape(value)}", soft_wrap=True)


def _spell(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)
