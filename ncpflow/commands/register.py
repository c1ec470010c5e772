"""`ncpflow register export`: the public register of specific instances, one row per listed case
with the OECD database's fields (the same file as `/register/export.csv|.json`)."""

from pathlib import Path
from typing import Annotated

import typer

from ncpflow import output
from ncpflow.commands.journal import JournalFormat
from ncpflow.context import context_of

register_app = typer.Typer(no_args_is_help=True, help="The public register of specific instances.")


@register_app.command("export")
def register_export(
    ctx: typer.Context,
    fmt: Annotated[JournalFormat, typer.Option("--format", help="csv or json.")] = JournalFormat.json,
    output_file: Annotated[Path | None, output.output_option()] = None,
) -> None:
    """The cases whose acceptance or rejection is public, one row each: the OECD database's fields
    (as `report oecd`), the title, enterprises and submitters (a protected one as "withheld"),
    the decision, the published documents and when the entry last changed."""
    from ncpflow.register_files import export_file

    rows = context_of(ctx).app().register.export()
    output.write_output(export_file(rows, fmt.value), output_file)
