"""`ncpflow case checklist|tick|untick` (joined to the `case` group in commands/cases.py): the
checklist of a case's current stage, and ticking or unticking one of its items (audited)."""

from typing import Annotated, Any

import typer

from ncpflow.context import context_of, validated
from ncpflow.output import emit_json, escape, out

Reference = Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")]
Item = Annotated[str, typer.Argument(help="The item's id, as `case checklist REF` lists it (ia_material).")]
Actor = Annotated[
    str, typer.Option("--actor", help="Who ticks it; a user must be allowed to tick checklists.")
]
At = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="When it was done: YYYY-MM-DD (NCP local) or ISO datetime with offset; default now. "
        "Not in the future, nor before the case's last step or the item's last mark.",
    ),
]


def checklist_lines(document: dict[str, Any], timezone: str) -> None:
    """The checklist, one line per item: [x] or [ ], its id and label, who marked it last and
    when (local time with its zone); then the items still to tick, and the steps waiting for them."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    reference, state = document["reference"], document["state"]
    if not document["items"]:
        out.print(escape(f"{reference}: no checklist in state {state}"))
        return
    out.print(escape(f"{reference}: checklist of {state}"))
    zone = ZoneInfo(timezone)
    for line in document["items"]:
        box = "[x]" if line["ticked"] else "[ ]"
        marked = ""
        if line["by"] is not None:
            when = datetime.fromisoformat(line["at"]).astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
            marked = f" ({'ticked' if line['ticked'] else 'unticked'} by {line['by']}, {when})"
        out.print(escape(f"{box} {line['item']}: {line['label']}{marked}"), soft_wrap=True)
    if document["complete"]:
        out.print("complete")
    else:
        out.print(escape(f"still to tick: {', '.join(document['missing'])}"), soft_wrap=True)
    if document["required_by"]:
        out.print(escape(f"required by: {', '.join(document['required_by'])}"))


def _show(ctx: typer.Context, reference: str, as_json: bool) -> None:
    from workflow.read_models import json_of

    app = context_of(ctx).app()
    document = json_of(app.checklists.show(reference=reference))
    if as_json:
        emit_json(document)
    else:
        checklist_lines(document, app.settings.ncp.timezone)


def case_checklist(
    ctx: typer.Context, reference: Reference, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """The checklist of the case's current stage: each item ticked or not, by whom and when."""
    _show(ctx, reference, as_json)


def case_tick(
    ctx: typer.Context,
    reference: Reference,
    item: Item,
    actor: Actor,
    at: At = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Tick an item of the checklist of the case's current stage (audited)."""
    from workflow import commands

    command = validated(commands.MarkChecklist, at=at)
    context_of(ctx).app().checklists.tick(reference=reference, item=item, actor=actor, **command.arguments())
    _show(ctx, reference, as_json)


def case_untick(
    ctx: typer.Context,
    reference: Reference,
    item: Item,
    actor: Actor,
    at: At = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Untick a ticked item of the checklist of the case's current stage (audited)."""
    from workflow import commands

    command = validated(commands.MarkChecklist, at=at)
    context_of(ctx).app().checklists.untick(
        reference=reference, item=item, actor=actor, **command.arguments()
    )
    _show(ctx, reference, as_json)
