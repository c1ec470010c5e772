"""`ncpflow handbook`: the procedure handbook, rendered from the procedure definition in force."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ncpflow.context import Language, context_of
from ncpflow.output import output_option, write_output


class Format(StrEnum):
    """The handbook's file format (`--format`)."""

    html = "html"
    pdf = "pdf"


def handbook(
    ctx: typer.Context,
    lang: Annotated[
        Language | None, typer.Option("--lang", help="en or nb; default: [ncp] language.")
    ] = None,
    format: Annotated[Format, typer.Option("--format", help="html (one file) or pdf.")] = Format.html,
    version: Annotated[
        str | None,
        typer.Option("--version", help="An older version of the procedure; default: the one in force."),
    ] = None,
    output: Annotated[Path | None, output_option("Write the handbook here, not to stdout.")] = None,
) -> None:
    """The procedure handbook: each stage, its timelines, steps, letters, what it rests on and
    what the parties are told; the facts, coordination and the procedure's history."""
    app = context_of(ctx).app()
    language = lang.value if lang is not None else app.settings.ncp.language
    data = app.handbook.document(language=language, format=format.value, version=version)
    write_output(data, output)
