"""`ncpflow case share|receive|bundles`: a case shared with another NCP as a signed bundle
(docs/bundle-format.md), a bundle taken in, and the bundles of a case."""

from pathlib import Path
from typing import Annotated

import typer

from ncpflow.context import context_of
from ncpflow.output import emit_json, escape, out
from states.errors import InvalidInputError
from states.messages import N_


def case_share(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")],
    to: Annotated[str, typer.Option("--to", help="The NCP to share with: its code in [[peers]], e.g. SE.")],
    actor: Annotated[str, typer.Option("--actor", help="Who shares (named in the audit entry).")],
    documents: Annotated[
        list[int] | None,
        typer.Option(
            "--document",
            "--documents",
            help="A document's number to include (repeat for more); none more restricted than 'parties'.",
        ),
    ] = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Write the bundle here (a new file); default REF-to-NCP-N.bundle.json."),
    ] = None,
    handover: Annotated[
        bool,
        typer.Option(
            "--handover",
            help="A handover: the lead passes to the recipient and the case takes its 'transfer' step "
            "here (needs --reason).",
        ),
    ] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why the lead is handed over.")] = None,
    review_comment: Annotated[
        str | None,
        typer.Option(
            "--review-comment", help="A review comment on a draft the recipient asked this NCP to review."
        ),
    ] = None,
    review_statement: Annotated[
        int | None,
        typer.Option(
            "--review-statement", help="The recipient's draft it is on; default: the earliest asked."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Write the case's next signed bundle for another NCP, and record it in the audit chain."""
    from workflow.bundles import Review

    if review_statement is not None and review_comment is None:
        raise InvalidInputError(N_("--review-statement needs --review-comment (the comment on that draft)"))
    app = context_of(ctx).app()
    reviews = (
        [Review(comment=review_comment, on=app.today(), statement=review_statement)]
        if review_comment is not None
        else []
    )
    shared = app.bundles.share(
        reference=reference,
        to=to,
        actor=actor,
        documents=documents or (),
        reviews=reviews,
        handover=handover,
        reason=reason,
        out=out_file,
    )
    document = {
        "reference": shared.reference,
        "to": shared.to,
        "kind": shared.kind,
        "sequence": shared.sequence,
        "sha256": shared.sha256,
        "file": str(shared.path),
        "documents": list(shared.documents),
    }
    if as_json:
        emit_json(document)
        return
    out.print(
        escape(
            f"{shared.reference}: {shared.kind} bundle {shared.sequence} for {shared.to} written to "
            f"{shared.path} (sha256 {shared.sha256})"
        )
    )


def case_receive(
    ctx: typer.Context,
    bundle: Annotated[Path, typer.Argument(help="The bundle file another NCP sent.")],
    actor: Annotated[str, typer.Option("--actor", help="Who takes it in (named in the audit entry).")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Verify a bundle against the [[peers]] keys and take it in: a new case or an update."""
    app = context_of(ctx).app()
    received = app.bundles.receive(path=bundle, actor=actor)
    document = {
        "reference": received.reference,
        "sender": received.sender,
        "sender_reference": received.peer_reference,
        "kind": received.kind,
        "sequence": received.sequence,
        "sha256": received.sha256,
        "opened": received.opened,
        "documents": list(received.documents),
    }
    if as_json:
        emit_json(document)
        return
    verb = "opened" if received.opened else "updated"
    out.print(
        escape(
            f"{received.reference} {verb} from {received.sender}'s {received.peer_reference}: "
            f"{received.kind} bundle {received.sequence} (sha256 {received.sha256})"
        )
    )


def case_bundles(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The case's bundles sent to and received from other NCPs, oldest first."""
    links = context_of(ctx).app().bundles.list(reference=reference)
    rows = [
        {
            "direction": link.direction,
            "peer": link.peer,
            "peer_reference": link.peer_reference,
            "kind": link.kind,
            "sequence": link.sequence,
            "sha256": link.sha256,
            "previous": link.previous,
            "at": link.at.isoformat(),
            "actor": link.actor,
        }
        for link in links
    ]
    if as_json:
        emit_json({"reference": reference, "bundles": rows})
        return
    for row in rows:
        out.print(
            escape(
                f"{row['at']} {row['direction']} {row['peer']} {row['peer_reference'] or '-'} "
                f"{row['kind']} {row['sequence']} {row['sha256']}"
            )
        )
