"""`ncpflow doc ...`: a case's documents: file one, list them, get one (streamed).

Exit codes as every command: 0 done, 2 refused input (a file over `[documents] max_size`, a type
that contradicts the file's name, an unknown party, access level or exemption; nothing written),
4 unknown case, 5 the database (or a document's stored content that no longer matches its hash).
"""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ncpflow import output
from ncpflow.context import context_of, validated
from ncpflow.output import emit_json, escape, out

doc_app = typer.Typer(no_args_is_help=True, help="A case's documents: add, list, get.")

Reference = Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")]


def _file(path: Path) -> Any:
    """FILE opened for reading in binary; refused (exit 2) when it cannot be."""
    from states.errors import InvalidInputError

    try:
        if path.is_dir():
            raise InvalidInputError(f"FILE {path}: is a folder; name a file")
        return path.open("rb")
    except FileNotFoundError:
        raise InvalidInputError(f"FILE {path}: no such file") from None
    except OSError as exc:
        raise InvalidInputError(f"FILE {path}: cannot be read: {exc.strerror}") from None


@doc_app.command("add")
def doc_add(
    ctx: typer.Context,
    reference: Reference,
    file: Annotated[Path, typer.Argument(help="The file to file; its name is kept.", metavar="FILE")],
    title: Annotated[str, typer.Option("--title", help="The document's title.")],
    direction: Annotated[str, typer.Option("--direction", help="in (received), out (sent) or internal.")],
    access: Annotated[
        str, typer.Option("--access", help="Who may see it: public, parties or ncp ([documents] access).")
    ],
    actor: Annotated[str, typer.Option("--actor", help="Who files it.")],
    party: Annotated[
        str | None, typer.Option("--party", help="The party: its key (submitter-1) or name.")
    ] = None,
    exempt: Annotated[
        str | None,
        typer.Option(
            "--exempt", help='The exemption ground, e.g. "offentleglova § 13" ([documents] exemptions).'
        ),
    ] = None,
    replaces: Annotated[
        int | None, typer.Option("--replaces", help="File it as a new version of document N.", metavar="N")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """File a document on a case (or a new version of one), stored in the database with its
    SHA-256 in the audit chain. Refused, writing nothing, when it is too large, its content is
    not what its name says, or the party, access level or exemption is unknown."""
    from workflow import commands

    command = validated(
        commands.AddDocument,
        title=title,
        direction=direction,
        access=access,
        party=party,
        exemption=exempt,
        replaces=replaces,
    )
    app = context_of(ctx).app()
    with _file(file) as source:
        document = app.documents.add(
            reference=reference, source=source, filename=file.name, actor=actor, **command.arguments()
        )
    if as_json:
        from workflow.read_models import json_of

        emit_json(json_of(app.documents.get(reference=reference, number=document.number)))
        return
    from states.documents import size_text

    out.print(
        escape(
            f"{reference}: document {document.number} version {document.version} filed: "
            f"{document.filename} ({document.media_type}, {size_text(document.size)}), "
            f"sha256 {document.sha256}"
        ),
        soft_wrap=True,
    )


@doc_app.command("list")
def doc_list(
    ctx: typer.Context,
    reference: Reference,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List a case's documents with their versions."""
    from workflow.read_models import json_of

    listed = json_of(context_of(ctx).app().documents.list(reference=reference))
    if as_json:
        emit_json(listed)
        return
    from rich.table import Table

    from states.documents import size_text

    table = Table(title=f"Documents of {reference}")
    for column in ("No.", "Title", "Versions", "Direction", "Party", "Access", "Exemption", "Added", "Size"):
        table.add_column(column)
    for document in listed["documents"]:
        table.add_row(
            str(document["number"]),
            document["title"],
            str(len(document["versions"])),
            document["direction"],
            document["party"] or "",
            document["access"],
            document["exemption"] or "",
            f"{document['added_at'][:16]} {document['added_by']}",
            size_text(document["size"]),
        )
    out.print(table)


@doc_app.command("get")
def doc_get(
    ctx: typer.Context,
    reference: Reference,
    number: Annotated[int, typer.Argument(help="The document's number within the case.", metavar="N")],
    version: Annotated[
        int | None, typer.Option("--version", help="Which version (default: the latest).")
    ] = None,
    output_file: Annotated[Path | None, output.output_option("Write the content here, not stdout.")] = None,
) -> None:
    """Write a document's content (streamed, checked against its SHA-256 as it is read)."""
    opened = context_of(ctx).app().documents.open(reference=reference, number=number, version=version)
    if output_file is None:
        sys.stdout.flush()
        for chunk in opened.chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return
    partial = output_file.with_name(output_file.name + ".part")
    try:
        with output.output_file(partial, "wb") as handle:
            for chunk in opened.chunks:
                handle.write(chunk)
        partial.replace(output_file)
    finally:
        partial.unlink(missing_ok=True)
