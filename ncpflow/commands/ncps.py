"""`ncpflow case ncp ...`: the NCPs of a case: the lead (one, or two jointly), supporting NCPs and
their roles, the complainant's preference, the coordination step, the handover of the lead, and
supporting NCPs' review tasks on statement drafts."""

from typing import Annotated, Any

import typer

from ncpflow.context import context_of, validated
from ncpflow.output import emit_json, escape, out

ncp_app = typer.Typer(
    no_args_is_help=True,
    help="The NCPs of a case: lead, supporting NCPs and their roles, coordination, review tasks.",
)

Reference = Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")]
Ncp = Annotated[str, typer.Argument(metavar="NCP", help="ISO 3166 code of the NCP's country, e.g. SE.")]
Actor = Annotated[str, typer.Option("--actor", help="Who does it (audited).")]
Reason = Annotated[str | None, typer.Option("--reason", help="Why (kept in the audit log).")]
AsJson = Annotated[bool, typer.Option("--json")]
Role = Annotated[str, typer.Option("--role", help="consulted, reviews_drafts or translates.")]


def _print(document: dict[str, Any]) -> None:
    recorded = "" if document["lead_recorded"] else escape(" (none recorded: [ncp] country)")
    joint = "joint lead" if len(document["lead"]) > 1 else "lead"
    out.print(f"{document['reference']}: {joint} {', '.join(document['lead'])}{recorded}")
    for item in document["supporting"]:
        out.print(f"  supporting {item['ncp']}: {item['role']}")
    if document["preference"]:
        note = f" ({escape(document['preference']['note'])})" if document["preference"]["note"] else ""
        out.print(f"  complainant prefers {document['preference']['ncp']}{note}", soft_wrap=True)
    if document["coordination"]:
        due = document["coordination_due"]
        met = document["coordination_met_on"]
        out.print(
            f"  coordination {document['coordination']}"
            + (f", due {due}" if due else "")
            + (f", met {met}" if met else "")
        )
    for task in document["reviews"]:
        answered = f", answered {task['answered_on']}" if task["answered_on"] else ""
        on = f"{task['ncp']} on statement {task['statement']}, due {task['due']}"
        out.print(f"  review {task['number']}: {on} ({task['status']}){answered}")


def _show(ctx: typer.Context, reference: str, as_json: bool) -> None:
    document = context_of(ctx).app().ncps.show(reference=reference).model_dump(mode="json")
    if as_json:
        emit_json(document)
    else:
        _print(document)


@ncp_app.command("show")
def ncp_show(ctx: typer.Context, reference: Reference, as_json: AsJson = False) -> None:
    """The case's NCPs: who leads, who supports and how, the preference, coordination, reviews."""
    _show(ctx, reference, as_json)


@ncp_app.command("lead")
def ncp_lead(
    ctx: typer.Context,
    reference: Reference,
    lead: Annotated[
        list[str], typer.Argument(metavar="NCP...", help="The lead NCP, or two that lead jointly.")
    ],
    actor: Actor,
    reason: Reason = None,
    on: Annotated[
        str | None, typer.Option("--on", help="The day the lead was agreed (YYYY-MM-DD); default today.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Record the lead NCP (two: a joint lead); an open coordination is agreed with it."""
    from workflow import commands

    command = validated(commands.SetLead, lead=lead, reason=reason, on=on)
    context_of(ctx).app().ncps.set_lead(reference=reference, actor=actor, **command.arguments())
    _show(ctx, reference, as_json)


@ncp_app.command("add")
def ncp_add(
    ctx: typer.Context,
    reference: Reference,
    ncp: Ncp,
    role: Role,
    actor: Actor,
    reason: Reason = None,
    as_json: AsJson = False,
) -> None:
    """Add a supporting NCP in a role."""
    from workflow import commands

    command = validated(commands.SupportingNcp, ncp=ncp, role=role, reason=reason)
    context_of(ctx).app().ncps.add_supporting(reference=reference, actor=actor, **command.arguments())
    _show(ctx, reference, as_json)


@ncp_app.command("role")
def ncp_role(
    ctx: typer.Context,
    reference: Reference,
    ncp: Ncp,
    role: Role,
    actor: Actor,
    reason: Reason = None,
    as_json: AsJson = False,
) -> None:
    """Change a supporting NCP's role."""
    from workflow import commands

    command = validated(commands.SupportingNcp, ncp=ncp, role=role, reason=reason)
    context_of(ctx).app().ncps.change_role(reference=reference, actor=actor, **command.arguments())
    _show(ctx, reference, as_json)


@ncp_app.command("remove")
def ncp_remove(
    ctx: typer.Context,
    reference: Reference,
    ncp: Ncp,
    actor: Actor,
    reason: Reason = None,
    as_json: AsJson = False,
) -> None:
    """A supporting NCP no longer supports the case."""
    from workflow import commands

    command = validated(commands.RemoveSupporting, ncp=ncp, reason=reason)
    context_of(ctx).app().ncps.remove_supporting(reference=reference, actor=actor, **command.arguments())
    _show(ctx, reference, as_json)


@ncp_app.command("transfer")
def ncp_transfer(
    ctx: typer.Context,
    reference: Reference,
    to: Annotated[str, typer.Option("--to", help="ISO 3166 code of the NCP that takes over the lead.")],
    actor: Actor,
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the audit log).")],
    keep_as: Annotated[
        str,
        typer.Option(
            "--keep-as",
            help="The role the NCPs that led keep: consulted, reviews_drafts, translates or none.",
        ),
    ] = "consulted",
    as_json: AsJson = False,
) -> None:
    """Hand the lead over to another NCP (before the `transfer` step closes the case here)."""
    from workflow import commands

    command = validated(commands.TransferLead, to=to, reason=reason, keep_as=keep_as)
    context_of(ctx).app().ncps.transfer(reference=reference, actor=actor, **command.arguments())
    _show(ctx, reference, as_json)


@ncp_app.command("prefer")
def ncp_prefer(
    ctx: typer.Context,
    reference: Reference,
    ncp: Ncp,
    actor: Actor,
    note: Annotated[str | None, typer.Option("--note", help="Why the complainant prefers it.")] = None,
    as_json: AsJson = False,
) -> None:
    """Record the complainant's preference for the lead NCP."""
    from workflow import commands

    command = validated(commands.PreferLead, ncp=ncp, note=note)
    context_of(ctx).app().ncps.prefer(reference=reference, actor=actor, **command.arguments())
    _show(ctx, reference, as_json)


@ncp_app.command("coordinate")
def ncp_coordinate(
    ctx: typer.Context,
    reference: Reference,
    actor: Actor,
    on: Annotated[
        str | None, typer.Option("--on", help="The day coordination began (YYYY-MM-DD); default today.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """The NCPs begin to agree on the lead: the coordination clock starts ([timelines] coordination)."""
    from workflow import commands

    command = validated(commands.BeginCoordination, on=on)
    context_of(ctx).app().ncps.begin_coordination(reference=reference, actor=actor, **command.arguments())
    _show(ctx, reference, as_json)


@ncp_app.command("review-request")
def ncp_review_request(
    ctx: typer.Context,
    reference: Reference,
    statement: Annotated[int, typer.Option("--statement", help="The draft statement's number.")],
    actor: Actor,
    ncp: Annotated[
        list[str] | None, typer.Option("--ncp", help="A reviewing NCP (repeat); default: every one.")
    ] = None,
    due: Annotated[
        str | None,
        typer.Option("--due", help="The due day (YYYY-MM-DD); default: [coordination] review_within."),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Ask the supporting NCPs that review drafts to review a statement draft by a day."""
    from workflow import commands

    command = validated(commands.RequestReview, statement=statement, ncps=ncp or [], due=due)
    context_of(ctx).app().ncps.request_review(reference=reference, actor=actor, **command.arguments())
    _show(ctx, reference, as_json)


@ncp_app.command("review")
def ncp_review(
    ctx: typer.Context,
    reference: Reference,
    ncp: Ncp,
    comment: Annotated[str, typer.Option("--comment", help="The NCP's review comment (NCP-internal).")],
    actor: Actor,
    statement: Annotated[
        int | None,
        typer.Option("--statement", help="The statement reviewed; default: its earliest open task."),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="The day the comment was given (YYYY-MM-DD); default today.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Record a supporting NCP's review comment, answering its review task."""
    from workflow import commands

    command = validated(commands.RecordReview, ncp=ncp, comment=comment, statement=statement, on=on)
    context_of(ctx).app().ncps.record_review(reference=reference, actor=actor, **command.arguments())
    _show(ctx, reference, as_json)
