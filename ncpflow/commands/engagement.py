"""`ncpflow engagement invite|respond|concern|list`: company engagement of a case (invitations
to its enterprises, their responses, concerns about good faith; states/engagement.py)."""

from typing import Annotated, Any

import typer

from ncpflow.context import context_of, validated
from ncpflow.output import emit_json, escape, out

engagement_app = typer.Typer(
    no_args_is_help=True,
    help="Company engagement: invitations to an enterprise, its responses, concerns about good faith.",
)

Reference = Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")]
Actor = Annotated[str, typer.Option("--actor", help="Who records it.")]
At = Annotated[
    str | None,
    typer.Option("--at", help="When it happened: YYYY-MM-DD (NCP local) or ISO datetime; default now."),
]
Json = Annotated[bool, typer.Option("--json")]


def _print(document: dict[str, Any]) -> None:
    """The invitations (each with where it stands and its responses), then the concerns."""
    reference = escape(document["reference"])
    if not document["invitations"] and not document["concerns"]:
        out.print(f"{reference}: no engagement recorded")
        return
    for invitation in document["invitations"]:
        derived = " (the wait has passed)" if invitation["derived"] else ""
        out.print(
            escape(
                f"invitation {invitation['number']}, {invitation['at']}: {invitation['party']} "
                f"({invitation['party_name']}) to {invitation['to']} by {invitation['channel']}; "
                f"answer by {invitation['respond_by']}: {invitation['standing']}{derived}"
            ),
            soft_wrap=True,
        )
        for response in invitation["responses"]:
            reasons = f" ({', '.join(response['reasons'])})" if response["reasons"] else ""
            out.print(
                escape(f"  response {response['number']}, {response['at']}: {response['response']}{reasons}"),
                soft_wrap=True,
            )
    for concern in document["concerns"]:
        text = "(text withheld)" if concern["withheld"] else concern["text"]
        out.print(
            escape(
                f"concern {concern['number']}, {concern['at']}, raised by the {concern['side']} side: {text}"
            ),
            soft_wrap=True,
        )


def _listed(ctx: typer.Context, reference: str, actor: str | None) -> dict[str, Any]:
    from workflow.read_models import json_of

    return dict(json_of(context_of(ctx).app().engagement.list(reference=reference, actor=actor)))


@engagement_app.command("invite")
def engagement_invite(
    ctx: typer.Context,
    reference: Reference,
    party: Annotated[
        str, typer.Option("--party", help="The enterprise: its key (enterprise-1) or its name.")
    ],
    to: Annotated[
        str,
        typer.Option("--to", help="What it is invited to: good_offices, meeting, comment or comment_draft."),
    ],
    channel: Annotated[str, typer.Option("--channel", help="email, post, phone, meeting, video or hand.")],
    actor: Actor,
    at: At = None,
    respond_by: Annotated[
        str | None,
        typer.Option(
            "--respond-by", help="The day an answer is due, YYYY-MM-DD; default [engagement] respond_within."
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Invite an enterprise party of a case to take part (audited)."""
    from workflow import commands

    command = validated(
        commands.InviteEnterprise, party=party, to=to, channel=channel, at=at, respond_by=respond_by
    )
    invitation = (
        context_of(ctx).app().engagement.invite(reference=reference, actor=actor, **command.arguments())
    )
    listed = _listed(ctx, reference, actor)
    shown = [i for i in listed["invitations"] if i["number"] == invitation.number]
    if as_json:
        emit_json(shown[0])
    else:
        _print({"reference": reference, "invitations": shown, "concerns": []})


@engagement_app.command("respond")
def engagement_respond(
    ctx: typer.Context,
    reference: Reference,
    invitation: Annotated[int, typer.Option("--invitation", help="The invitation's number within the case.")],
    response: Annotated[str, typer.Option("--response", help="accepted, declined or no_response.")],
    actor: Actor,
    reason: Annotated[
        list[str] | None,
        typer.Option("--reason", help="A decline's reason code (repeat); `engagement reasons` lists them."),
    ] = None,
    at: At = None,
    as_json: Json = False,
) -> None:
    """Record an enterprise's answer to an invitation (audited)."""
    from workflow import commands

    command = validated(
        commands.RecordResponse, invitation=invitation, response=response, reasons=reason or [], at=at
    )
    context_of(ctx).app().engagement.respond(reference=reference, actor=actor, **command.arguments())
    listed = _listed(ctx, reference, actor)
    shown = [i for i in listed["invitations"] if i["number"] == invitation]
    if as_json:
        emit_json(shown[0])
    else:
        _print({"reference": reference, "invitations": shown, "concerns": []})


@engagement_app.command("concern")
def engagement_concern(
    ctx: typer.Context,
    reference: Reference,
    side: Annotated[str, typer.Option("--side", help="Who raised it: enterprise or submitter.")],
    text: Annotated[
        str, typer.Option("--text", help="The concern (NCP-internal; at most 20,000 characters).")
    ],
    actor: Actor,
    at: At = None,
    as_json: Json = False,
) -> None:
    """Record a concern about good faith; the audit log holds its hash, not its text."""
    from workflow import commands

    command = validated(commands.RaiseConcern, side=side, text=text, at=at)
    concern = (
        context_of(ctx).app().engagement.concern(reference=reference, actor=actor, **command.arguments())
    )
    listed = _listed(ctx, reference, actor)
    shown = [c for c in listed["concerns"] if c["number"] == concern.number]
    if as_json:
        emit_json(shown[0])
    else:
        _print({"reference": reference, "invitations": [], "concerns": shown})


@engagement_app.command("list")
def engagement_list(
    ctx: typer.Context,
    reference: Reference,
    actor: Annotated[
        str | None,
        typer.Option("--actor", help="Who reads it: a user without internal access sees no concern's text."),
    ] = None,
    as_json: Json = False,
) -> None:
    """A case's invitations (where each stands today) and concerns about good faith."""
    document = _listed(ctx, reference, actor)
    if as_json:
        emit_json(document)
    else:
        _print(document)


@engagement_app.command("reasons")
def engagement_reasons(ctx: typer.Context, as_json: Json = False) -> None:
    """The reason codes a decline may give ([engagement] decline_reasons), with their words."""
    from translations import translator

    found = context_of(ctx).app().engagement.reasons()
    rows = [
        {"code": r.code, "en": r.words(translator("en"), "en"), "nb": r.words(translator("nb"), "nb")}
        for r in found
    ]
    if as_json:
        emit_json(rows)
    else:
        for row in rows:
            out.print(escape(f"{row['code']}: {row['en']} / {row['nb']}"), soft_wrap=True)
