"""`ncpflow journal export`: the journal of documents received and sent (offentlig journal), for
the NCP or (`--public`) as anyone may read it."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ncpflow import output
from ncpflow.context import Language, context_of, validated

journal_app = typer.Typer(
    no_args_is_help=True, help="The journal of documents received and sent (offentlig journal)."
)


class JournalFormat(StrEnum):
    csv = "csv"
    json = "json"


@journal_app.command("export")
def journal_export(
    ctx: typer.Context,
    fmt: Annotated[JournalFormat, typer.Option("--format", help="csv or json.")],
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="The public variant: exempt and internal titles and protected names left out.",
        ),
    ] = False,
    since: Annotated[str | None, typer.Option("--from", help="First day (NCP local), YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Last day (NCP local), YYYY-MM-DD.")] = None,
    output_file: Annotated[Path | None, output.output_option()] = None,
    language: Annotated[
        Language | None,
        typer.Option(
            "--language", "--lang", help="The words of withheld titles: en or nb; default: [ncp] language."
        ),
    ] = None,
) -> None:
    """The documents received and sent, oldest first: date, case, direction, party, title,
    access code and exemption ground."""
    from ncpflow.journal_files import journal_file
    from workflow import commands

    chosen = validated(commands.JournalFilter, since=since, until=until, public=public)
    context = context_of(ctx)
    words = language.value if language else context.settings().ncp.language
    found = context.app().journal.entries(**chosen.arguments(), language=words)
    output.write_output(journal_file(found, fmt.value), output_file)
