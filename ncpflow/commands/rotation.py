"""`ncpflow members|rotation ...`: the members and who leads."""

from __future__ import annotations

from typing import Annotated

import typer

from ncpflow import output
from ncpflow.context import as_of, context_of
from ncpflow.output import emit_json, escape, out

members_app = typer.Typer(no_args_is_help=True, help="The NCP's members, from config.toml.")
rotation_app = typer.Typer(no_args_is_help=True, help="Who leads cases: the rotation.")


@members_app.command("list")
def members_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Members in the database (active first, in config order), availability and caseload."""
    from workflow import read_models, rotation_views

    services = context_of(ctx).services()
    view = read_models.json_of(rotation_views.members_view(
        uow=services.uow, clock=services.clock, settings=services.settings))
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
    from workflow import rotation

    services = context_of(ctx).services()
    changes = rotation.sync_members(uow=services.uow, clock=services.clock,
                                    settings=services.settings, actor=actor)
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
    from workflow import read_models, rotation_views

    services = context_of(ctx).services()
    view = read_models.json_of(rotation_views.rotation_view(
        uow=services.uow, clock=services.clock, settings=services.settings))
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
    from workflow import rotation

    services = context_of(ctx).services()
    found = [p.as_dict() for p in rotation.check_leads(uow=services.uow, clock=services.clock)]
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
    now: Annotated[str | None, typer.Option(
        "--now", help="As of this ISO datetime (with offset) or date; default now.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Hand duty on now, even before the period is over.")] = False,
    actor: Annotated[str | None, typer.Option(
        "--actor", help="Who hands duty on; default: the scheduler's name.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Periodic duty: hand duty to the next member when the period is over (the job runs this)."""
    from workflow import alerts, rotation

    services = context_of(ctx).services()
    as_of(services, now)
    result = rotation.advance_duty(uow=services.uow, clock=services.clock,
                                   policy=services.policy, force=force,
                                   actor=alerts.SCHEDULER_ACTOR if actor is None else actor)
    if as_json:
        emit_json(result.as_dict())
    else:
        verb = "duty rotated" if result.rotated else "duty unchanged"
        out.print(f"{verb}: {escape(result.explanation)}")
