"""`ncpflow correspondence add|list`: a case's log of communications with its parties;
`ncpflow letter draft|edit|send|list|get`: its letters."""

from pathlib import Path
from typing import Annotated, Any

import typer

from ncpflow.context import context_of, validated
from ncpflow.output import emit_json, err, escape, out, output_file, output_option

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


letter_app = typer.Typer(
    no_args_is_help=True,
    help="Letters to the parties: draft from a template, edit, send by e-mail or post, download.",
)
Number = Annotated[int, typer.Argument(help="The letter's number within the case (1, 2, ...).")]


def letter_lines(document: dict[str, Any]) -> None:
    """The letters, one line each: number, status, kind, party, subject, documents."""
    letters = document["letters"]
    if not letters:
        out.print(f"{escape(document['reference'])}: no letters")
        return
    for letter in letters:
        how = f" by {letter['channel']} {letter['sent_at'][:10]}" if letter["sent_at"] else ""
        word = " (DOCX edited in Word)" if letter["edited_in_word"] else ""
        out.print(
            escape(
                f"letter {letter['number']}: {letter['status']}{how}, {letter['kind']} to {letter['party']} "
                f"({letter['party_name']}) in {letter['language']}: {letter['subject']} "
                f"[DOCX document {letter['docx']['document']} v{letter['docx']['version']}, "
                f"PDF document {letter['pdf']['document']} v{letter['pdf']['version']}]{word}"
            ),
            soft_wrap=True,
        )


def _print_letter(app: Any, reference: str, number: int, as_json: bool) -> None:
    from workflow.read_models import json_of

    document = json_of(app.letters.list(reference=reference))
    shown = [letter for letter in document["letters"] if letter["number"] == number]
    if as_json:
        emit_json(shown[0])
    else:
        letter_lines({**document, "letters": shown})


@letter_app.command("draft")
def letter_draft(
    ctx: typer.Context,
    reference: Reference,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="acknowledgement, acceptance, rejection, invitation, pause_notice, extension_notice, "
            "draft_for_comment or case_closed (`letter list` names those the case's step offers).",
        ),
    ],
    party: Annotated[
        str, typer.Option("--party", help="The recipient party: its key (submitter-1) or name.")
    ],
    actor: Annotated[str, typer.Option("--actor", help="Who drafts it.")],
    language: Annotated[
        str | None,
        typer.Option("--language", help="en or nb; default: the party's contact's, else the NCP's."),
    ] = None,
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="For a notice: the deadline whose explanation it quotes.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Draft a letter from its template: its DOCX and PDF are filed as documents of the case."""
    from workflow import commands

    command = validated(commands.DraftLetter, kind=kind, party=party, language=language, deadline=deadline)
    app = context_of(ctx).app()
    letter = app.letters.draft(reference=reference, actor=actor, **command.arguments())
    _print_letter(app, reference, letter.number, as_json)


@letter_app.command("edit")
def letter_edit(
    ctx: typer.Context,
    reference: Reference,
    number: Number,
    text: Annotated[
        typer.FileText,
        typer.Option(
            "--text",
            help="A UTF-8 file (- for standard input) with the letter's text: paragraphs separated "
            "by a blank line, the first the subject.",
        ),
    ],
    actor: Annotated[str, typer.Option("--actor", help="Who edits it.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Replace a draft's text: its DOCX and PDF are rendered again as new versions."""
    from workflow import commands

    command = validated(commands.EditLetter, text=text.read(2_000_000))
    app = context_of(ctx).app()
    app.letters.edit(reference=reference, letter=number, actor=actor, **command.arguments())
    _print_letter(app, reference, number, as_json)


@letter_app.command("send")
def letter_send(
    ctx: typer.Context,
    reference: Reference,
    number: Number,
    by: Annotated[
        str,
        typer.Option("--by", help="email: through the outbox to the party's contacts; post: mark it posted."),
    ],
    actor: Annotated[str, typer.Option("--actor", help="Who sends it.")],
    to: Annotated[
        str | None,
        typer.Option("--to", help="With --by email, for a party without an e-mail contact: the address."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Send a draft letter (once): by e-mail with its PDF attached (`outbox dispatch` delivers
    it), or marked sent for posting; it is logged in the correspondence."""
    from workflow import commands

    command = validated(commands.SendLetter, channel=by, to=to)
    app = context_of(ctx).app()
    app.letters.send(reference=reference, letter=number, actor=actor, **command.arguments())
    _print_letter(app, reference, number, as_json)


@letter_app.command("list")
def letter_list(
    ctx: typer.Context,
    reference: Reference,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A case's letters, and the kinds its current step offers."""
    from workflow.read_models import json_of

    app = context_of(ctx).app()
    document = json_of(app.letters.list(reference=reference))
    if as_json:
        emit_json(document)
        return
    letter_lines(document)
    out.print(escape(f"the step offers: {', '.join(document['offered']) or 'none'}"))


@letter_app.command("get")
def letter_get(
    ctx: typer.Context,
    reference: Reference,
    number: Number,
    output: Annotated[Path, output_option("Write the file here.")],
    format: Annotated[str, typer.Option("--format", help="pdf or docx.")] = "pdf",
) -> None:
    """Download a letter's PDF (to print and post) or DOCX (to edit in Word, then `doc add
    --replaces`), its latest version."""
    app = context_of(ctx).app()
    opened = app.letters.get(reference=reference, letter=number, format=format)
    with output_file(output, "wb") as handle:
        for chunk in opened.chunks:
            handle.write(chunk)
    err.print(f"wrote {escape(str(output))} ({opened.document.size} bytes, sha256 {opened.document.sha256})")
