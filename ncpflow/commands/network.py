"""`ncpflow network ...`: a network of NCPs in one PostgreSQL database (docs/network.md)."""

import json
from typing import Annotated

import typer

from ncpflow.context import context_of

network_app = typer.Typer(no_args_is_help=True, help="A network of NCPs sharing one PostgreSQL database.")


@network_app.command("publish")
def network_publish(
    ctx: typer.Context,
    year: Annotated[int, typer.Option(help="The year whose figures to publish.")],
    actor: Annotated[str, typer.Option("--actor", help="Who publishes (audited).")] = "cli",
) -> None:
    """Publish this NCP's figures of a year to the network (counts only, no case or name)."""
    figures = context_of(ctx).app().network.publish(year=year, actor=actor)
    typer.echo(
        json.dumps(
            {
                "year": figures.year,
                "received": figures.received,
                "accepted": figures.accepted,
                "not_accepted": figures.not_accepted,
                "concluded": figures.concluded,
                "agreement": figures.agreement,
            },
            indent=2,
        )
    )


@network_app.command("statistics")
def network_statistics(
    ctx: typer.Context,
    year: Annotated[int, typer.Option(help="The year.")],
) -> None:
    """The year's figures of every NCP of the network, and the network's (run as the network
    role; an NCP's own role sees its own figures only). JSON."""
    report = context_of(ctx).app().network.statistics(year=year)
    typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
