"""`ncpflow report ...`: reports."""

from __future__ import annotations

from typing import Annotated

import typer

from ncpflow import output
from ncpflow.context import context_of, day
from ncpflow.output import emit_json
from workflow import rotation_views

report_app = typer.Typer(no_args_is_help=True, help="Reports.")


@report_app.command("rotation")
def report_rotation(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Leads taken per member, open caseload and skips by reason over a period."""
    services = context_of(ctx).services()
    report = rotation_views.rotation_report(
        uow=services.uow, policy=services.policy,
        since=day(since, "--from"), until=day(until, "--to"))
    if as_json:
        emit_json(report)
    else:
        output.rotation_report_table(report)
