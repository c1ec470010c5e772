"""`ncpflow link ...`: a party's signed, expiring, revocable link to its case (the party has no
account: the link opens its own pages, `/p/TOKEN`). The token is shown once, when issued."""

from typing import Annotated, Any

import typer

from ncpflow.context import context_of, validated
from ncpflow.output import emit_json, escape, out

link_app = typer.Typer(no_args_is_help=True, help="Parties' links to their cases.")

Reference = Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")]
Actor = Annotated[str, typer.Option("--actor", help="Who issues or revokes it.")]


def _listed(link: Any, state: Any, url: str | None = None, sent_to: tuple[int, ...] = ()) -> dict[str, Any]:
    from workflow.party_links import link_view
    from workflow.read_models import json_of

    listed: dict[str, Any] = json_of(link_view(link, state, url, sent_to))
    return listed


def _line(item: dict[str, Any]) -> str:
    revoked = (
        f", revoked {item['revoked_at']} by {escape(item['revoked_by'] or '')}" if item["revoked_at"] else ""
    )
    return (
        f"link {item['id']}: {item['party']}, {item['state']}, issued {item['issued_at']} by "
        f"{escape(item['issued_by'])}, expires {item['expires_at']}{revoked}"
    )


@link_app.command("issue")
def link_issue(
    ctx: typer.Context,
    reference: Reference,
    party: Annotated[str, typer.Argument(help="The party: its key (submitter-1, enterprise-1) or its name.")],
    actor: Actor = "cli",
    days: Annotated[
        int | None,
        typer.Option("--days", help="Days it is valid for (1-366); default [party_links] valid_for."),
    ] = None,
    send: Annotated[
        bool,
        typer.Option(
            "--send", help="E-mail it (through the outbox) to the party's contacts with an e-mail address."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Issue a party a link to its case; prints the link's address, shown this once."""
    from workflow import commands
    from workflow.party_links import link_url

    command = validated(commands.IssuePartyLink, party=party, days=days, send=send)
    app = context_of(ctx).app()
    new = app.party_links.issue(reference=reference, actor=actor, **command.arguments())
    url = link_url(app.settings, new.token)
    item = _listed(new.link, new.link.state(new.link.issued_at), url, new.sent_to)
    if as_json:
        emit_json(item)
        return
    out.print(_line(item), soft_wrap=True)
    out.print(url, soft_wrap=True, markup=False, highlight=False)
    if new.sent_to:
        out.print(
            f"e-mailed to contacts {', '.join(map(str, new.sent_to))} of {new.link.party}", soft_wrap=True
        )


@link_app.command("list")
def link_list(
    ctx: typer.Context, reference: Reference, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """A case's links, oldest first, each active, expired or revoked (never their tokens)."""
    listed = [
        _listed(item.link, item.state) for item in context_of(ctx).app().party_links.list(reference=reference)
    ]
    if as_json:
        emit_json({"reference": reference, "links": listed})
        return
    if not listed:
        out.print(f"{escape(reference)}: no party links")
    for item in listed:
        out.print(_line(item), soft_wrap=True)


@link_app.command("revoke")
def link_revoke(
    ctx: typer.Context,
    reference: Reference,
    link: Annotated[int, typer.Argument(help="The link's number (`link list`).")],
    actor: Actor = "cli",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Revoke a party's link: it opens nothing from now on."""
    revoked = context_of(ctx).app().party_links.revoke(reference=reference, link=link, actor=actor)
    item = _listed(revoked, revoked.state(revoked.issued_at))
    if as_json:
        emit_json(item)
    else:
        out.print(_line(item), soft_wrap=True)
