"""`ncpflow audit ...`: read and verify the audit log."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ncpflow import output
from ncpflow.context import context_of, day
from ncpflow.output import emit_json, escape, out
from states.chain import HASHED_FIELDS

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
    from workflow import audit

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
    file: Annotated[Path | None, typer.Option(
        "--file", help="Verify an exported JSONL file offline, without the database.")] = None,
) -> None:
    """Recompute the hash chain and check every signed checkpoint; exit 6 naming the first bad
    entry, a bad checkpoint or a truncation."""
    from workflow import audit, exports

    if file is not None:
        verdict = exports.verify_file(file)
        if as_json:
            emit_json(verdict.as_dict())
        elif verdict.ok:
            out.print(f"export intact ({verdict.mode}): {verdict.entries} entries, "
                      f"{verdict.redacted} redacted (links checked), {verdict.gaps} gaps")
        else:
            output.err.print(f"export BROKEN at seq {verdict.first_bad_seq}: {verdict.problem}")
        if not verdict.ok:
            raise typer.Exit(6)
        return
    context = context_of(ctx)
    services = context.services()
    report = audit.verify_all(uow=services.uow, settings=context.settings())
    if as_json:
        emit_json(report.as_dict())
    elif report.ok:
        out.print(f"audit log intact: {report.chain.entries} entries checked, "
                  f"{report.checkpoints} checkpoints, head {report.chain.head_seq} "
                  f"{report.chain.head_hash}")
    else:
        if not report.chain.ok:
            output.err.print(f"audit log BROKEN at seq {report.chain.first_bad_seq}: "
                             f"{report.chain.problem}")
        for finding in report.findings:
            output.err.print(finding.problem)
        output.err.print(f"{report.chain.entries} entries checked; first bad seq "
                         f"{report.first_bad_seq}")
    if not report.ok:
        raise typer.Exit(6)


@audit_app.command("checkpoint")
def audit_checkpoint(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Sign the chain head (seq, hash, time) with the audit key; store it in the database and
    append it to the checkpoint log outside the database."""
    from workflow import audit

    context = context_of(ctx)
    services = context.services()
    checkpoint = audit.make_checkpoint(uow=services.uow, clock=services.clock,
                                       settings=context.settings())
    if as_json:
        emit_json({**checkpoint.as_dict(),
                   "file": str(audit.checkpoint_path(context.settings()))})
    else:
        out.print(f"checkpoint at seq {checkpoint.seq} {checkpoint.hash} ({checkpoint.at})")


@audit_app.command("keygen")
def audit_keygen(
    output_file: Annotated[Path | None, output.output_option(
        "Write the key to this file (mode 0600) instead of stdout.")] = None,
) -> None:
    """Make a random checkpoint key; keep it outside the database."""
    from workflow import audit

    with output.output_errors(output_file):
        key = audit.keygen(output_file)
    if output_file is None:
        sys.stdout.write(key + "\n")
    else:
        out.print(f"key written to {escape(str(output_file))} (mode 0600); "
                  "set \\[audit] key_file to it")


@contextlib.contextmanager
def to_file(path: Path | None) -> Iterator[None]:
    if path is None:
        yield
        return
    with output.output_file(path) as handle, contextlib.redirect_stdout(handle):
        yield


@audit_app.command("export")
def audit_export(
    ctx: typer.Context,
    fmt: Annotated[LogFormat, typer.Option("--format")] = LogFormat.jsonl,
    case: Annotated[str | None, typer.Option("--case", help="Only this case's entries.")] = None,
    since: Annotated[str | None, typer.Option("--from", help="First day (UTC), YYYY-MM-DD.")]
    = None,
    until: Annotated[str | None, typer.Option("--to", help="Last day (UTC), YYYY-MM-DD.")] = None,
    output_file: Annotated[Path | None, output.output_option()] = None,
    reveal: Annotated[bool, typer.Option(
        "--reveal", help="Admins: show confidential submitters' names (audited).")] = False,
    actor: Annotated[str | None, typer.Option("--actor")] = None,
) -> None:
    """Export the audit log with its hashes; confidential submitters appear as pseudonyms."""
    from workflow import exports

    services = context_of(ctx).services()
    rows = exports.export_rows(uow=services.uow, clock=services.clock, case_ref=case,
                               since=day(since, "--from"), until=day(until, "--to"),
                               reveal=reveal, actor=actor)
    first = list(_first(rows))  # errors (unknown case, --reveal without --actor) before output
    with to_file(output_file):
        if fmt is LogFormat.csv:
            output.emit_csv(_chain(first, rows), [*exports.EXPORT_FIELDS, "redacted"])
        else:
            output.emit_jsonl(_chain(first, rows))


def _first(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for row in rows:
        yield row
        return


def _chain(first: list[dict[str, Any]],
           rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield from first
    yield from rest
