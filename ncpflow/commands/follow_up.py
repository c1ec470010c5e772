"""`ncpflow followup ...`: the follow-up of commitments of agreements and recommendations of
statements: record one, set its status (with evidence), list them, ask a party for an update.

Exit codes as every command: 0 done, 2 refused input (nothing written), 4 unknown case.
"""

from pathlib import Path
from typing import Annotated, Any

import typer

from ncpflow.context import context_of, validated
from ncpflow.output import emit_json, escape, out

followup_app = typer.Typer(no_args_is_help=True, help="Follow-up of commitments and recommendations.")

Reference = Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")]
Actor = Annotated[str, typer.Option("--actor", help="Who records it.")]
Json = Annotated[bool, typer.Option("--json")]


def _print(reference: str, document: dict[str, Any]) -> None:
    """Each commitment (number, source, owner, due, current status, text) and its history; then
    the update requests."""
    if not document["commitments"]:
        out.print(f"{escape(reference)}: no commitments")
    for c in document["commitments"]:
        owner = c["owner"] + (f" ({escape(c['party_name'] or c['party'])})" if c["party"] else "")
        due = f", due {c['due']}" if c["due"] else ""
        out.print(
            f"{c['number']}. {escape('[' + c['status'] + ']')} {c['source']} of {c['made_on']}, "
            f"owner {owner}{due}:",
            soft_wrap=True,
        )
        out.print(f"   {escape(c['text'])}", soft_wrap=True)
        for e in c["history"]:
            evidence = f", evidence {', '.join(map(str, e['evidence']))}" if e["evidence"] else ""
            note = f": {escape(e['note'])}" if e["note"] else ""
            out.print(f"   {e['on']} {e['status']} ({escape(e['actor'])}{evidence}){note}", soft_wrap=True)
    for r in document["requests"]:
        asked = ", ".join(map(str, r["commitments"]))
        out.print(
            f"request {r['number']} to {escape(r['party_name'])} ({r['party']}) on commitments {asked}, "
            f"due {r['due']}",
            soft_wrap=True,
        )


def _file(path: Path) -> Any:
    from ncpflow.commands.documents import _file as opened

    return opened(path)


@followup_app.command("add")
def followup_add(
    ctx: typer.Context,
    reference: Reference,
    source: Annotated[
        str, typer.Option("--source", help="agreement (a commitment) or statement (a recommendation).")
    ],
    owner: Annotated[str, typer.Option("--owner", help="Who is to act: enterprise, ncp or submitter.")],
    text: Annotated[str, typer.Option("--text", help="What was committed to or recommended.")],
    actor: Actor,
    party: Annotated[
        str | None, typer.Option("--party", help="The owning party (its key, enterprise-1, or name).")
    ] = None,
    document: Annotated[
        int | None, typer.Option("--document", help="The case's document holding it.", metavar="N")
    ] = None,
    due: Annotated[str | None, typer.Option("--due", help="When it is due, YYYY-MM-DD.")] = None,
    made_on: Annotated[
        str | None, typer.Option("--made-on", help="The agreement's or statement's day; default today.")
    ] = None,
    as_json: Json = False,
) -> None:
    """Record a commitment of an agreement or a recommendation of a statement."""
    from workflow import commands
    from workflow.read_models import json_of

    command = validated(
        commands.AddCommitment,
        source=source,
        owner=owner,
        text=text,
        party=party,
        document=document,
        due=due,
        made_on=made_on,
    )
    app = context_of(ctx).app()
    made = app.follow_up.add(reference=reference, actor=actor, **command.arguments())
    listed = json_of(app.follow_up.list(reference=reference))
    shown = {**listed, "commitments": [c for c in listed["commitments"] if c["number"] == made.number]}
    if as_json:
        emit_json(shown["commitments"][0])
    else:
        _print(reference, {**shown, "requests": []})


@followup_app.command("status")
def followup_status(
    ctx: typer.Context,
    reference: Reference,
    commitment: Annotated[int, typer.Option("--commitment", help="The commitment's number.", metavar="N")],
    status: Annotated[str, typer.Option("--status", help="implemented, partly, not or unknown.")],
    actor: Actor,
    on: Annotated[
        str | None, typer.Option("--on", help="The day it holds from, YYYY-MM-DD; default today.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What to note with it.")] = None,
    evidence: Annotated[
        list[int] | None,
        typer.Option("--evidence", help="A document of the case that is evidence (repeat).", metavar="N"),
    ] = None,
    evidence_file: Annotated[
        Path | None, typer.Option("--evidence-file", help="A file to file as evidence.", metavar="FILE")
    ] = None,
    evidence_title: Annotated[
        str | None, typer.Option("--evidence-title", help="The evidence file's title; default its name.")
    ] = None,
    as_json: Json = False,
) -> None:
    """Add a status to a commitment's history; an evidence file is filed as a document of the case
    in the same transaction."""
    from workflow import commands
    from workflow.follow_up import Evidence
    from workflow.read_models import json_of

    command = validated(
        commands.SetCommitmentStatus, status=status, on=on, note=note, evidence=evidence or []
    )
    app = context_of(ctx).app()
    if evidence_file is None:
        entry = app.follow_up.set_status(
            reference=reference, commitment=commitment, actor=actor, **command.arguments()
        )
    else:
        with _file(evidence_file) as source:
            entry = app.follow_up.set_status(
                reference=reference,
                commitment=commitment,
                actor=actor,
                upload=Evidence(source, evidence_file.name, evidence_title or evidence_file.name),
                **command.arguments(),
            )
    if as_json:
        listed = json_of(app.follow_up.list(reference=reference))
        found = next(c for c in listed["commitments"] if c["number"] == commitment)
        emit_json(next(e for e in found["history"] if e["seq"] == entry.seq))
    else:
        evidence_words = f", evidence {', '.join(map(str, entry.evidence))}" if entry.evidence else ""
        out.print(f"commitment {commitment}: {entry.status} from {entry.on.isoformat()}{evidence_words}")


@followup_app.command("list")
def followup_list(ctx: typer.Context, reference: Reference, as_json: Json = False) -> None:
    """A case's commitments with their status histories, and its update requests."""
    from workflow.read_models import json_of

    document = json_of(context_of(ctx).app().follow_up.list(reference=reference))
    if as_json:
        emit_json(document)
    else:
        _print(reference, document)


@followup_app.command("request")
def followup_request(
    ctx: typer.Context,
    reference: Reference,
    party: Annotated[str, typer.Option("--party", help="The party asked: its key (enterprise-1) or name.")],
    actor: Actor,
    due: Annotated[
        str | None, typer.Option("--due", help="When the answer is due, YYYY-MM-DD; default [follow_up].")
    ] = None,
    commitment: Annotated[
        list[int] | None,
        typer.Option(
            "--commitment",
            help="A commitment to ask about (repeat); default: its not implemented.",
            metavar="N",
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Ask a party for news of its commitments by a due date: an e-mail to its contacts who take
    e-mail, logged in the correspondence; the sweep alerts the lead when it falls due."""
    from workflow import commands
    from workflow.read_models import json_of

    command = validated(commands.RequestUpdate, party=party, due=due, commitments=commitment or [])
    app = context_of(ctx).app()
    request = app.follow_up.request_update(reference=reference, actor=actor, **command.arguments())
    if as_json:
        listed = json_of(app.follow_up.list(reference=reference))
        emit_json(next(r for r in listed["requests"] if r["number"] == request.number))
    else:
        asked = ", ".join(map(str, request.commitments))
        out.print(f"request {request.number} to {request.party} on commitments {asked}, due {request.due}")
