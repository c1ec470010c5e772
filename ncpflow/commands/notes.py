"""`ncpflow note ...`: a case's internal notes (never shown to parties, the public or auditors;
the audit log holds each note's sha256 and length)."""

from typing import Annotated, Any

import typer

from ncpflow.context import context_of, validated
from ncpflow.output import emit_json, escape, out

note_app = typer.Typer(no_args_is_help=True, help="A case's internal notes.")

Reference = Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")]


def _print_notes(reference: str, notes: list[dict[str, Any]]) -> None:
    """The notes, each a heading line (number, when, author, what it replaces) and its text."""
    if not notes:
        out.print(f"{escape(reference)}: no notes")
        return
    for note in notes:
        marks = [f"replaces note {note['replaces']}"] if note["replaces"] else []
        marks += [f"replaced by note {note['replaced_by']}"] if note["replaced_by"] else []
        extra = f" ({'; '.join(marks)})" if marks else ""
        out.print(f"note {note['number']}, {note['at']}, {escape(note['author'])}{extra}:", soft_wrap=True)
        out.print(escape(note["text"]), soft_wrap=True)


@note_app.command("add")
def note_add(
    ctx: typer.Context,
    reference: Reference,
    text: Annotated[str, typer.Option("--text", help="The note (at most 20,000 characters).")],
    actor: Annotated[str, typer.Option("--actor", help="Who writes it down.")],
    at: Annotated[
        str | None,
        typer.Option(
            "--at", help="When it was written: YYYY-MM-DD or ISO datetime with offset; default now."
        ),
    ] = None,
    replaces: Annotated[
        int | None, typer.Option("--replaces", help="The number of the earlier note this one corrects.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Write down an internal note on a case; the audit log holds its hash, not its text."""
    from workflow import commands
    from workflow.read_models import json_of

    command = validated(commands.AddNote, text=text, at=at, replaces=replaces)
    app = context_of(ctx).app()
    note = app.notes.add(reference=reference, actor=actor, **command.arguments())
    listed = json_of(app.notes.list(reference=reference, actor=actor))["notes"]
    written = next(n for n in listed if n["number"] == note.number)
    if as_json:
        emit_json(written)
    else:
        _print_notes(reference, [written])


@note_app.command("list")
def note_list(
    ctx: typer.Context,
    reference: Reference,
    actor: Annotated[
        str | None,
        typer.Option("--actor", help="Who reads them: a user must be allowed to read internal notes."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A case's internal notes, in the order written down."""
    from workflow.read_models import json_of

    document = json_of(context_of(ctx).app().notes.list(reference=reference, actor=actor))
    if as_json:
        emit_json(document)
    else:
        _print_notes(reference, document["notes"])
