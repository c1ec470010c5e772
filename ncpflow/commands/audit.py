"""`ncpflow audit ...`: read and verify the audit log."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ncpflow import output
from ncpflow.context import context_of
from ncpflow.output import emit_json, out
from states.chain import HASHED_FIELDS
from workflow import audit

audit_app = typer.Typer(no_args_is_help=True, help="Read and verify the audit log.")


class LogFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


@audit_app.command("log")
def audit_log(
    ctx: typer.Context,
    reference: Annotated[str | None, typer.Argument(help="Only this case's entries.")] = None,
    fmt: Annotated[LogFormat, typer.Option("--format")] = LogFormat.jsonl,
) -> None:
    """Print the audit log (oldest first), with hashes."""
    services = context_of(ctx).services()
    rows = (e.as_dict() for e in audit.audit_entries(uow=services.uow, case_ref=reference))
    if fmt is LogFormat.csv:
        output.emit_csv(rows, [*HASHED_FIELDS, "prev_hash", "hash"])
    else:
        output.emit_jsonl(rows)


@audit_app.command("verify")
def audit_verify(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Recompute the hash chain; exit non-zero naming the first bad entry."""
    services = context_of(ctx).services()
    verdict = audit.verify_chain(uow=services.uow)
    if as_json:
        emit_json(verdict.as_dict())
    elif verdict.ok:
        out.print(f"audit log intact: {verdict.entries} entries, head {verdict.head_seq} "
                  f"{verdict.head_hash}")
    else:
        output.err.print(f"audit log BROKEN at seq {verdict.first_bad_seq}: {verdict.problem}")
    if not verdict.ok:
        raise typer.Exit(6)
