"""`ncpflow statement draft|list|edit|circulate|comment|close|publish`: a case's statements, their
comment rounds and their publication."""

from pathlib import Path
from typing import Annotated, Any

import typer

from ncpflow.context import context_of, validated
from ncpflow.output import emit_json, escape, out

statement_app = typer.Typer(
    no_args_is_help=True,
    help="Statements: draft from a template, edit in Word, circulate for comment, publish.",
)

Reference = Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")]
Number = Annotated[int, typer.Argument(help="The statement's number within the case (1, 2, ...).")]
RoundNumber = Annotated[int, typer.Argument(help="The comment round's number within the case (1, 2, ...).")]
Actor = Annotated[str, typer.Option("--actor", help="Who does it.")]
Json = Annotated[bool, typer.Option("--json")]


def _spooled(path: Path, max_size: int) -> Any:
    """FILE read once into the spool the use cases take (size checked while reading); refused
    (exit 2) when it cannot be read."""
    from states.errors import InvalidInputError
    from workflow.documents import Spooler

    spooler = Spooler(filename=path.name, max_size=max_size)
    try:
        if path.is_dir():
            raise InvalidInputError(f"FILE {path}: is a folder; name a file")
        with path.open("rb") as handle:
            while piece := handle.read(1 << 20):
                spooler.write(piece)
    except FileNotFoundError:
        spooler.discard()
        raise InvalidInputError(f"FILE {path}: no such file") from None
    except OSError as exc:
        spooler.discard()
        raise InvalidInputError(f"FILE {path}: cannot be read: {exc.strerror}") from None
    return spooler.done()


def statement_lines(document: dict[str, Any]) -> None:
    """The statements, rounds and comments, one line each."""
    reference = document["reference"]
    if not document["statements"]:
        out.print(f"{escape(reference)}: no statements")
    for s in document["statements"]:
        when = (
            f" {s['published_at'][:10]} (PDF v{s['published_version']}, {s['fired'] or 'nothing fired'})"
            if s["published_at"]
            else ""
        )
        out.print(
            escape(
                f"statement {s['number']}: {s['kind']} in {s['language']}, {s['status']}"
                f"{when} [DOCX document {s['docx_document']}, "
                f"PDF document {s['pdf_document']} v{s['version']}]"
            ),
            soft_wrap=True,
        )
    for r in document["rounds"]:
        state = "open" if r["open"] else "closed"
        out.print(
            escape(
                f"round {r['number']}: statement {r['statement']} (PDF document {r['document']} "
                f"v{r['version']}) to {', '.join(r['parties'])}, {r['opened_on']} to {r['due_on']}, {state}"
            ),
            soft_wrap=True,
        )
    for c in document["comments"]:
        document_ = f" [document {c['document']}]" if c["document"] is not None else ""
        out.print(
            escape(
                f"comment {c['number']} (round {c['round']}) from {c['party']} by {c['via']}: "
                f"{c['text'] or ''}"
            )
            + escape(document_),
            soft_wrap=True,
        )
    out.print(escape(f"the state drafts: {', '.join(document['drafted']) or 'none'}"))
    out.print(escape(f"the state publishes: {', '.join(document['publishable']) or 'none'}"))


def _show(app: Any, reference: str, as_json: bool) -> None:
    from workflow.read_models import json_of

    document = json_of(app.statements.list(reference=reference))
    if as_json:
        emit_json(document)
    else:
        statement_lines(document)


@statement_app.command("draft")
def statement_draft(
    ctx: typer.Context,
    reference: Reference,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="initial_assessment, final_statement or follow_up (`statement list` names those the "
            "case's state offers).",
        ),
    ],
    actor: Actor,
    language: Annotated[str | None, typer.Option("--language", help="en or nb; default: the NCP's.")] = None,
    as_json: Json = False,
) -> None:
    """Draft a statement from its template: its DOCX and PDF are filed as internal documents."""
    from workflow import commands

    command = validated(commands.DraftStatement, kind=kind, language=language)
    app = context_of(ctx).app()
    app.statements.draft(reference=reference, actor=actor, **command.arguments())
    _show(app, reference, as_json)


@statement_app.command("list")
def statement_list(ctx: typer.Context, reference: Reference, as_json: Json = False) -> None:
    """A case's statements, comment rounds and comments, and the kinds its state offers."""
    _show(context_of(ctx).app(), reference, as_json)


@statement_app.command("edit")
def statement_edit(
    ctx: typer.Context,
    reference: Reference,
    number: Number,
    docx: Annotated[
        Path, typer.Option("--docx", help="The statement's DOCX as edited in Word.", metavar="FILE")
    ],
    actor: Actor,
    as_json: Json = False,
) -> None:
    """File a DOCX edited in Word as the draft's new version (and its PDF, made from it)."""
    app = context_of(ctx).app()
    with _spooled(docx, app.settings.documents.rules.max_size) as upload:
        app.statements.edit(reference=reference, statement=number, upload=upload, actor=actor)
    _show(app, reference, as_json)


@statement_app.command("circulate")
def statement_circulate(
    ctx: typer.Context,
    reference: Reference,
    number: Number,
    party: Annotated[list[str], typer.Option("--party", help="A party to send it to: key or name (repeat).")],
    actor: Actor,
    days: Annotated[
        int | None,
        typer.Option("--days", help="The comment window in days; default [statements] comment_days."),
    ] = None,
    as_json: Json = False,
) -> None:
    """Send the draft's PDF to parties for comment (e-mail through the outbox, a correspondence
    entry each); the window is a deadline the alert sweep keeps."""
    from workflow import commands

    command = validated(commands.CirculateStatement, parties=party, days=days)
    app = context_of(ctx).app()
    app.statements.circulate(reference=reference, statement=number, actor=actor, **command.arguments())
    _show(app, reference, as_json)


@statement_app.command("comment")
def statement_comment(
    ctx: typer.Context,
    reference: Reference,
    round: RoundNumber,
    party: Annotated[str, typer.Option("--party", help="The party who commented: key or name.")],
    via: Annotated[str, typer.Option("--via", help="How it came: email, post or link.")],
    actor: Actor,
    text: Annotated[str | None, typer.Option("--text", help="The comment's text.")] = None,
    document: Annotated[
        Path | None, typer.Option("--document", help="A document that came with it.", metavar="FILE")
    ] = None,
    as_json: Json = False,
) -> None:
    """Log a comment received in an open round (its document filed `in` from the party)."""
    from workflow import commands

    command = validated(commands.LogComment, party=party, via=via, text=text)
    app = context_of(ctx).app()
    if document is None:
        app.statements.comment(reference=reference, round=round, actor=actor, **command.arguments())
    else:
        with _spooled(document, app.settings.documents.rules.max_size) as upload:
            app.statements.comment(
                reference=reference, round=round, actor=actor, upload=upload, **command.arguments()
            )
    _show(app, reference, as_json)


@statement_app.command("close")
def statement_close(
    ctx: typer.Context, reference: Reference, round: RoundNumber, actor: Actor, as_json: Json = False
) -> None:
    """Close an open comment round (early, or at its end)."""
    app = context_of(ctx).app()
    app.statements.close(reference=reference, round=round, actor=actor)
    _show(app, reference, as_json)


@statement_app.command("publish")
def statement_publish(
    ctx: typer.Context,
    reference: Reference,
    number: Number,
    actor: Actor,
    trigger: Annotated[
        str | None,
        typer.Option("--trigger", help="Where publishing the kind may fire more than one step: which one."),
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="The step's reason.")] = None,
    as_json: Json = False,
) -> None:
    """Publish a draft: its PDF becomes a public document and the procedure's step or fact for
    its kind is fired, in one transaction (nothing is written when the step is refused)."""
    from workflow import commands

    command = validated(commands.PublishStatement, trigger=trigger, reason=reason)
    app = context_of(ctx).app()
    app.statements.publish(reference=reference, statement=number, actor=actor, **command.arguments())
    _show(app, reference, as_json)
