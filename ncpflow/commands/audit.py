"""`ncpflow audit ...`: read and verify the audit log."""

import contextlib
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ncpflow import output
from ncpflow.context import Context, context_of, day
from ncpflow.output import emit_json, escape, out
from states.audit_keys import KeyKind

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
    from states.chain import HASHED_FIELDS  # hashlib and the chain only for this command

    rows = (e.as_dict() for e in context_of(ctx).app().audit.log(case_ref=reference))
    if fmt is LogFormat.csv:
        output.emit_csv(rows, [*HASHED_FIELDS, "prev_hash", "hash"])
    else:
        output.emit_jsonl(rows)


PublicKeys = Annotated[
    list[Path] | None,
    typer.Option(
        "--public-key",
        help="A trusted Ed25519 public key (PEM, from `audit public-key`); "
        "repeatable. The configured signing key's public half is trusted too.",
    ),
]


@audit_app.command("verify")
def audit_verify(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Verify an exported JSONL file offline, without the database."),
    ] = None,
    public_keys: PublicKeys = None,
    documents: Annotated[
        Path | None,
        typer.Option(
            "--documents",
            help="With --file: the folder `audit export --documents` wrote; every file is hashed "
            "again and checked against the manifest and the export's document_added entries.",
        ),
    ] = None,
) -> None:
    """Recompute the hash chain, hash every stored document again, and check every signed
    checkpoint; exit 6 naming the first bad entry, a changed document, a bad checkpoint or a
    truncation. With --file: exit 0 for an intact export signed by
    a trusted key, 1 for an unsigned one or one signed by another key, 6 for a broken one."""
    context = context_of(ctx)
    if file is not None:
        _verify_file(context, file, public_keys or [], as_json, documents)
        return
    if documents is not None:
        from states.errors import InvalidInputError

        raise InvalidInputError("--documents goes with --file (an export's documents, checked offline)")
    report = context.app().audit.verify(public_keys=public_keys or [])
    if as_json:
        emit_json(report.as_dict())
    elif report.ok:
        hashed = f", {report.documents} documents hashed again" if report.documents else ""
        out.print(
            f"audit log intact: {report.chain.entries} entries checked, "
            f"{report.checkpoints} checkpoints{hashed}, head {report.chain.head_seq} "
            f"{report.chain.head_hash}"
        )
    else:
        if not report.chain.ok:
            output.err.print(f"audit log BROKEN at seq {report.chain.first_bad_seq}: {report.chain.problem}")
        for finding in report.findings:
            output.err.print(finding.problem)
        for problem in report.document_findings:
            output.err.print(escape(f"document BROKEN: {problem.message}"), soft_wrap=True)
        output.err.print(
            f"{report.chain.entries} entries checked; first bad seq {report.first_bad_seq}"
            + (f"; {len(report.document_findings)} document problems" if report.document_findings else "")
        )
    if report.unfinished and not as_json:
        seqs = ", ".join(str(s) for s in report.unfinished)
        output.err.print(
            f"unfinished checkpoint at seq {seqs}: signed and logged, not yet in "
            "the database (a checkpoint was interrupted); the next `audit "
            "checkpoint` completes it"
        )
    if not report.ok:
        raise typer.Exit(6)


def _verify_file(
    context: Context, file: Path, public_keys: list[Path], as_json: bool, documents: Path | None
) -> None:
    from workflow import audit, export_files
    from workflow.export_files import FileStatus

    trusted = audit.trusted_keys(context.settings(), public_keys)
    verdict = export_files.verify_file(file, trusted, documents)
    if as_json:
        emit_json(verdict.as_dict())
    elif verdict.status is FileStatus.INTACT:
        out.print(
            f"{file}: export intact ({verdict.mode}): {verdict.entries} entries, "
            f"{verdict.redacted} redacted, {verdict.gaps} gaps; head seq "
            f"{verdict.head_seq}; signed {verdict.signed_at} by key {verdict.signed_by}"
            + (f"; {verdict.documents} document files hashed again" if verdict.documents is not None else ""),
            soft_wrap=True,
        )
    elif verdict.status is FileStatus.BROKEN:
        where = f" at seq {verdict.first_bad_seq}" if verdict.first_bad_seq is not None else ""
        output.err.print(escape(f"{file}: export BROKEN{where}: {verdict.problem}"), soft_wrap=True)
    else:
        label = "UNSIGNED" if verdict.status is FileStatus.UNSIGNED else "NOT TRUSTED"
        output.err.print(
            escape(f"{file}: export {label} ({verdict.entries} entries): {verdict.problem}"), soft_wrap=True
        )
    if verdict.status is FileStatus.BROKEN:
        raise typer.Exit(6)
    if verdict.status is not FileStatus.INTACT:
        raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Sign the chain head (seq, hash, time) with the audit signing key; append it to the
    checkpoint log outside the database and store it in the database."""
    from workflow import audit

    context = context_of(ctx)
    checkpoint = context.app().audit.checkpoint()
    if as_json:
        emit_json({**checkpoint.as_dict(), "file": str(audit.checkpoint_path(context.settings()))})
    else:
        out.print(
            f"checkpoint at seq {checkpoint.seq} {checkpoint.hash} ({checkpoint.at}), key {checkpoint.key}",
            soft_wrap=True,
        )


@audit_app.command("keygen")
def audit_keygen(
    output_file: Annotated[
        Path | None, output.output_option("Write the key to this file (mode 0600) instead of stdout.")
    ] = None,
    kind: Annotated[
        KeyKind,
        typer.Option(
            "--kind",
            help="ed25519: the signing key of checkpoints and exports; hmac: the key of "
            "checkpoints made before Ed25519 signing.",
        ),
    ] = KeyKind.ed25519,
) -> None:
    """Make a new audit key; keep it outside the database."""
    from workflow import audit

    with output.output_errors(output_file):
        made = audit.keygen(output_file, kind)
    if output_file is None:
        sys.stdout.write(made.text)
    elif made.kind is KeyKind.ed25519:
        out.print(
            escape(
                f"signing key written to {output_file} (mode 0600), key "
                f"{made.key_id}; set [audit] signing_key_file to it, and give peer "
                "reviewers the public key (`ncpflow audit public-key`)"
            ),
            soft_wrap=True,
        )
    else:
        out.print(
            escape(f"key written to {output_file} (mode 0600); set [audit] key_file to it"), soft_wrap=True
        )


@audit_app.command("public-key")
def audit_public_key(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Print the public key (PEM) that verifies checkpoints and exports, for peer reviewers."""
    from workflow import audit

    signer = audit.require_signer(context_of(ctx).settings())
    if as_json:
        emit_json({"key": signer.key_id, "algorithm": "ed25519", "public_key": signer.public_pem()})
    else:
        sys.stdout.write(signer.public_pem())


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
    since: Annotated[str | None, typer.Option("--from", help="First day (UTC), YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Last day (UTC), YYYY-MM-DD.")] = None,
    output_file: Annotated[Path | None, output.output_option()] = None,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Admins: show confidential submitters' names (audited).")
    ] = False,
    actor: Annotated[str | None, typer.Option("--actor")] = None,
    documents: Annotated[
        Path | None,
        typer.Option(
            "--documents",
            help="JSONL only: write the content of each document the export holds into this new or "
            "empty folder, with a manifest of their SHA-256 that the export's signature covers "
            "(without --reveal, NCP-internal documents are withheld).",
        ),
    ] = None,
) -> None:
    """Export the audit log with its hashes; confidential submitters appear as pseudonyms and
    NCP-internal documents' titles as a placeholder."""
    from workflow import audit, exports

    app = context_of(ctx).app()
    when = {"since": day(since, "--from"), "until": day(until, "--to")}
    if fmt is LogFormat.csv:
        if documents is not None:
            from states.errors import InvalidInputError

            raise InvalidInputError("--documents goes with --format jsonl (the signed export)")
        rows = app.audit.export_rows(case_ref=case, reveal=reveal, actor=actor, **when)
        first = list(_first(rows))  # errors (unknown case, --reveal without --actor) first
        with to_file(output_file):
            output.emit_csv(_chain(first, rows), [*exports.EXPORT_FIELDS, "redacted"])
        return
    # JSONL: signed as a whole when a signing key is configured (workflow/export_files.py).
    lines = app.audit.export(case_ref=case, reveal=reveal, actor=actor, documents=documents, **when)
    with to_file(output_file):
        _write_utf8(lines)
    if app.audit.signer() is None:
        output.err.print(
            escape(
                "note: the export is not signed (no [audit] signing_key_file "
                f"or ${audit.SIGNING_KEY_ENV}); `audit verify --file` will "
                "call it unsigned"
            ),
            soft_wrap=True,
        )


def _write_utf8(lines: Iterator[str]) -> None:
    """Exactly the bytes that were signed (UTF-8), whatever stdout's own encoding."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        for line in lines:
            sys.stdout.write(line)
        return
    sys.stdout.flush()
    for line in lines:
        buffer.write(line.encode("utf-8"))
    buffer.flush()


def _first(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for row in rows:
        yield row
        return


def _chain(first: list[dict[str, Any]], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield from first
    yield from rest
