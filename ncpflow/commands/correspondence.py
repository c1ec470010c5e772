"""`ncpflow correspondence add|list`: a case's log of communications with its parties."""

from typing import Annotated, Any

import typer

from ncpflow.context import context_of, validated
from ncpflow.output import emit_json, escape, out

correspondence_app = typer.Typer(
    no_args_is_help=True, help="A case's correspondence log: what went in and out, with whom, how."
)

Reference = Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")]


def entry_lines(document: dict[str, Any], timezone: str) -> None:
    """The log, one line each: number, local time, direction, party, channel, subject, documents."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    entries = document["entries"]
    if not entries:
        out.print(f"{escape(document['reference'])}: no correspondence logged")
        return
    zone = ZoneInfo(timezone)
    for entry in entries:
        when = datetime.fromisoformat(entry["at"]).astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        arrow = "from" if entry["direction"] == "in" else "to"
        documents = f" [documents {', '.join(map(str, entry['documents']))}]" if entry["documents"] else ""
        letter = f" (letter {entry['letter']})" if entry["letter"] is not None else ""
        out.print(
            escape(
                f"{entry['number']}. {when} {entry['channel']} {arrow} {entry['party']} "
                f"({entry['party_name']}): {entry['subject']}{documents}{letter}"
            ),
            soft_wrap=True,
        )


@correspondence_app.command("add")
def correspondence_add(
    ctx: typer.Context,
    reference: Reference,
    direction: Annotated[str, typer.Option("--direction", help="in (from the party) or out (to it).")],
    party: Annotated[str, typer.Option("--party", help="The party: its key (submitter-1) or its name.")],
    channel: Annotated[str, typer.Option("--channel", help="email, post, phone, meeting, video or hand.")],
    subject: Annotated[str, typer.Option("--subject", help="What it was about.")],
    actor: Annotated[str, typer.Option("--actor", help="Who logs it.")],
    at: Annotated[
        str | None,
        typer.Option("--at", help="When it happened: YYYY-MM-DD (NCP local) or ISO datetime; default now."),
    ] = None,
    document: Annotated[
        list[int] | None,
        typer.Option("--document", help="Number of a document of the case it carried (repeat)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Log a communication with a party of a case (audited)."""
    from workflow import commands
    from workflow.read_models import json_of

    command = validated(
        commands.LogCorrespondence,
        direction=direction,
        party=party,
        channel=channel,
        subject=subject,
        at=at,
        documents=document,
    )
    app = context_of(ctx).app()
    entry = app.correspondence.log(reference=reference, actor=actor, **command.arguments())
    document_ = json_of(app.correspondence.list(reference=reference))
    shown = [e for e in document_["entries"] if e["number"] == entry.number]
    if as_json:
        emit_json(shown[0])
    else:
        entry_lines({**document_, "entries": shown}, app.settings.ncp.timezone)


@correspondence_app.command("list")
def correspondence_list(
    ctx: typer.Context,
    reference: Reference,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A case's correspondence log, oldest first (times in the NCP's zone)."""
    from workflow.read_models import json_of

    app = context_of(ctx).app()
    document = json_of(app.correspondence.list(reference=reference))
    if as_json:
        emit_json(document)
    else:
        entry_lines(document, app.settings.ncp.timezone)
