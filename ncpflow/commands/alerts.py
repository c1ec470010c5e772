"""`ncpflow alerts|outbox|deadlines ...` and `ncpflow scheduler`: timelines enforced."""

from pathlib import Path
from typing import Annotated

import typer

from ncpflow.context import Now, context_of
from ncpflow.output import emit_json, escape, out, output_option, write_output
from states.errors import InvalidInputError

alerts_app = typer.Typer(no_args_is_help=True, help="Deadline alerts.")
outbox_app = typer.Typer(no_args_is_help=True, help="The e-mail outbox.")
deadlines_app = typer.Typer(no_args_is_help=True, help="Deadlines across cases.")


@alerts_app.command("sweep")
def alerts_sweep(
    ctx: typer.Context,
    now: Now = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Fire the alert rungs that are due, once each, into the outbox; with [parties]
    update_every, remind the leads of parties who have had no word (once per silent period)."""
    queued = context_of(ctx).app().as_of(now).alerts.sweep()
    if as_json:
        emit_json(queued)
        return
    alerts = [a for a in queued if "rung" in a]
    out.print(f"{len(alerts)} alert(s) queued")
    for alert in alerts:
        out.print(
            f"  {alert['case']} {alert['deadline']} {alert['rung']} (due {alert['due']}) "
            f"→ {escape(', '.join(alert['recipients']) or 'nobody')}"
        )
    for reminder in (a for a in queued if "party" in a):
        out.print(
            f"  {reminder['case']} {reminder['party']}: no word since {reminder['since'][:10]} "
            f"→ {escape(', '.join(reminder['recipients']) or 'nobody')}"
        )


@outbox_app.command("dispatch")
def outbox_dispatch(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Send pending e-mails over SMTP; failures stay queued and are retried with backoff."""
    result = context_of(ctx).app().outbox.dispatch()
    if as_json:
        emit_json(result.as_dict())
    else:
        out.print(f"sent {result.sent}, failed {result.failed}, pending {result.pending}")


@deadlines_app.command("ics")
def deadlines_ics(
    ctx: typer.Context,
    member: Annotated[str | None, typer.Option("--member", help="Only cases this member leads.")] = None,
    language: Annotated[str, typer.Option("--language", help="en or nb: the events' words.")] = "en",
    output_file: Annotated[Path | None, output_option()] = None,
) -> None:
    """Open deadlines as an iCalendar (.ics) file, with a reminder at each `[alerts] before`."""
    from translations import LANGUAGES

    if language not in LANGUAGES:
        raise InvalidInputError(f"--language: '{language[:40]}' is not one of {', '.join(LANGUAGES)}")
    app = context_of(ctx).app()
    if member is not None and member not in {m.id for m in app.settings.members}:
        raise InvalidInputError(f"unknown member '{member}'")
    write_output(app.calendar.ics(member=member, language=language), output_file)


def scheduler(
    ctx: typer.Context,
    network: Annotated[
        Path | None,
        typer.Option(
            "--network",
            help="Run the jobs of every NCP of this folder (one <CODE>.toml each, "
            "docs/network.md); several such schedulers split the NCPs between them.",
        ),
    ] = None,
) -> None:
    """Run the alert sweep and the outbox dispatch on their intervals until stopped."""
    from workflow import scheduler as heartbeat  # APScheduler only for this command
    from workflow.logging import configure

    context = context_of(ctx)
    if network is not None:
        from ncpflow.commands.web import network_folder
        from workflow.bootstrap import Network

        ncps = Network.load(network_folder(ctx, network))
        configure(level="info", json=True)
        try:
            heartbeat.run_network(ncps)
        finally:
            ncps.close()
        return
    configure(level="info", json=True)
    heartbeat.run(context.app())
