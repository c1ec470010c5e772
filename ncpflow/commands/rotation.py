"""`ncpflow members|rotation ...`: the members and who leads."""

from typing import Annotated

import typer

from ncpflow import output
from ncpflow.context import Now, context_of
from ncpflow.output import emit_json, escape, out

members_app = typer.Typer(no_args_is_help=True, help="The NCP's members, from config.toml.")
rotation_app = typer.Typer(no_args_is_help=True, help="Who leads cases: the rotation.")


@members_app.command("list")
def members_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Members in the database (active first, in config order), availability and caseload."""
    from workflow.read_models import json_of

    view = json_of(context_of(ctx).app().members.list())
    if as_json:
        emit_json(view)
    else:
        output.members_table(view)


@members_app.command("sync")
def members_sync(
    ctx: typer.Context,
    actor: Annotated[str, typer.Option("--actor", help="Who brings the change in.")] = "config",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Bring config.toml's [[members]] into the database; removed members are deactivated."""
    changes = context_of(ctx).app().members.sync(actor=actor)
    if as_json:
        emit_json(changes.as_dict())
    else:
        out.print(f"members: {escape(changes.describe())}")


@rotation_app.command("show")
def rotation_show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Who leads the next case, and why not each other member."""
    from workflow.read_models import json_of

    view = json_of(context_of(ctx).app().rotation.show())
    if as_json:
        emit_json(view)
    else:
        output.rotation_panel(view)


@rotation_app.command("check")
def rotation_check(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Open cases whose lead is now conflicted, inactive or away (nothing is moved)."""
    found = [p.as_dict() for p in context_of(ctx).app().rotation.check()]
    if as_json:
        emit_json(found)
        return
    out.print(f"{len(found)} open case(s) whose lead may no longer lead them")
    for row in found:
        problems = "; ".join(p["detail"] for p in row["problems"])
        out.print(f"  {row['reference']} lead {escape(row['lead'])}: {escape(problems)}")


@rotation_app.command("advance")
def rotation_advance(
    ctx: typer.Context,
    now: Now = None,
    force: Annotated[
        bool, typer.Option("--force", help="Hand duty on now, even before the period is over.")
    ] = False,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Who hands duty on; default: the scheduler's name.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Periodic duty: hand duty to the next member when the period is over (the job runs this)."""
    result = context_of(ctx).app().as_of(now).rotation.advance_duty(actor=actor, force=force)
    if as_json:
        emit_json(result.as_dict())
    else:
        verb = "duty rotated" if result.rotated else "duty unchanged"
        out.print(f"{verb}: {escape(result.explanation)}")
