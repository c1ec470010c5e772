"""`ncpflow party ...`: the parties of a case with their keys, flags and contacts; a party added
to an open case or changed (identity withheld, reprisal risk and measures); its representatives
and contacts added, changed, removed; who a letter to a party goes to."""

from typing import Annotated, Any

import typer

from ncpflow import output
from ncpflow.context import context_of
from ncpflow.output import emit_json, escape, out

party_app = typer.Typer(no_args_is_help=True, help="The parties of a case and their contacts.")
contact_app = typer.Typer(no_args_is_help=True, help="A party's representatives and contacts.")
party_app.add_typer(contact_app, name="contact")

Reference = Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")]
PartyArg = Annotated[str, typer.Argument(help="The party: its key (submitter-1, enterprise-2) or its name.")]
ContactNumber = Annotated[int, typer.Argument(help="The contact's number within its party (1, 2, ...).")]
Actor = Annotated[str, typer.Option("--actor", help="Who records it.")]
Reason = Annotated[str | None, typer.Option("--reason", help="Why (kept in the audit log).")]
JsonOpt = Annotated[bool, typer.Option("--json")]
Measures = Annotated[
    str | None, typer.Option("--measures", help="The measures taken against reprisals (free text).")
]
Email = Annotated[str | None, typer.Option("--email", help='E-mail address (name@domain); "" clears it.')]
Address = Annotated[str | None, typer.Option("--address", help='Postal address; "" clears it.')]

# The options as the command line spells them (`output.FLAGS` names NAME and N arguments).
_FLAGS = {"name": "--name", "number": "ID", "party": "P"}


def _flag(field: str) -> str:
    return _FLAGS.get(field) or output.flag(field)


def _validated(model: Any, options: dict[str, Any]) -> Any:
    """The command's input model from the command's own parameters (`locals()`: those that are
    the model's fields); bad input refused (exit 2) naming the option."""
    from workflow.commands import validate

    return validate(model, {k: v for k, v in options.items() if k in model.model_fields}, _flag)


def _print_parties(document: dict[str, Any]) -> None:
    closed = " (closed: its parties no longer change)" if document["closed"] else ""
    out.print(f"{escape(document['reference'])}: parties{closed}", soft_wrap=True)
    for party in document["parties"]:
        flags = [
            *(["identity withheld"] if party["withheld"] else []),
            *(["at risk of reprisal"] if party["reprisal_risk"] else []),
        ]
        kind = f" ({party['type']})" if party["type"] else ""
        number = f", org. no. {party['org_number']}" if party["org_number"] else ""
        marks = f" [{'; '.join(flags)}]" if flags else ""
        out.print(f"{party['key']}: {escape(party['name'])}{escape(kind + number + marks)}", soft_wrap=True)
        if party["measures"]:
            out.print(f"  measures: {escape(party['measures'])}", soft_wrap=True)
        if not party["contacts"]:
            out.print("  no contacts")
        for contact in party["contacts"]:
            where = ", ".join(v for v in (contact["email"], contact["address"]) if v).replace("\n", ", ")
            how = f"({contact['role']}; {contact['language']}; by {contact['channel']})"
            reach = f": {escape(where)}" if where else ""
            out.print(f"  {contact['number']}. {escape(contact['name'])} {how}{reach}", soft_wrap=True)


def _show(ctx: typer.Context, reference: str, as_json: bool) -> None:
    from workflow.read_models import json_of

    document = json_of(context_of(ctx).app().parties.list(reference=reference))
    if as_json:
        emit_json(document)
    else:
        _print_parties(document)


@party_app.command("list")
def party_list(ctx: typer.Context, reference: Reference, as_json: JsonOpt = False) -> None:
    """The case's parties with their keys, flags and contacts."""
    _show(ctx, reference, as_json)


@party_app.command("add")
def party_add(
    ctx: typer.Context,
    reference: Reference,
    role: Annotated[str, typer.Option("--role", help="submitter or enterprise.")],
    name: Annotated[str, typer.Option("--name", help="The party's name.")],
    actor: Actor,
    type: Annotated[
        str | None,
        typer.Option("--type", help="A submitter's type (ngo, trade_union, ...); an enterprise's: free."),
    ] = None,
    org_number: Annotated[str | None, typer.Option("--org-number", help="Its organisation number.")] = None,
    withheld: Annotated[
        bool,
        typer.Option("--withheld", help="Withhold its identity from the other party, the public, auditors."),
    ] = False,
    reprisal_risk: Annotated[
        bool, typer.Option("--reprisal-risk", help="It is at risk of reprisal.")
    ] = False,
    measures: Measures = None,
    reason: Reason = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a party to an open case; it takes the next key of its role (submitter-2, ...)."""
    from workflow import commands

    command = _validated(commands.AddParty, locals())
    key = context_of(ctx).app().parties.add_party(reference=reference, actor=actor, **command.arguments())
    if not as_json:
        out.print(f"{escape(reference)}: added {key}")
    _show(ctx, reference, as_json)


@party_app.command("edit")
def party_edit(
    ctx: typer.Context,
    reference: Reference,
    party: PartyArg,
    actor: Actor,
    name: Annotated[str | None, typer.Option("--name", help="The party's name.")] = None,
    type: Annotated[str | None, typer.Option("--type", help='Its type; "" clears it.')] = None,
    org_number: Annotated[
        str | None, typer.Option("--org-number", help='Its organisation number; "" clears it.')
    ] = None,
    withheld: Annotated[
        bool | None,
        typer.Option(
            "--withheld/--not-withheld", help="Withhold its identity (or no longer).", show_default=False
        ),
    ] = None,
    reprisal_risk: Annotated[
        bool | None,
        typer.Option(
            "--reprisal-risk/--no-reprisal-risk",
            help="At risk of reprisal (or no longer: clears the measures).",
            show_default=False,
        ),
    ] = None,
    measures: Measures = None,
    reason: Reason = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a party: name, type, organisation number, withheld identity, reprisal risk, measures."""
    from workflow import commands

    command = _validated(commands.ChangeParty, locals())
    key = (
        context_of(ctx)
        .app()
        .parties.change_party(reference=reference, party=party, actor=actor, **command.arguments())
    )
    if not as_json:
        out.print(f"{escape(reference)}: changed {key}")
    _show(ctx, reference, as_json)


@party_app.command("recipients")
def party_recipients(
    ctx: typer.Context, reference: Reference, party: PartyArg, as_json: JsonOpt = False
) -> None:
    """Who a letter to the party goes to: representatives first, e-mail before post."""
    from dataclasses import asdict

    found = context_of(ctx).app().parties.recipients(reference=reference, party=party)
    if as_json:
        emit_json([{**asdict(r), "role": r.role.value, "channel": r.channel.value} for r in found])
        return
    if not found:
        out.print(f"{escape(reference)} {escape(party)}: no contacts to write to")
    for r in found:
        where = r.email if r.channel == "email" else (r.address or "").replace("\n", ", ")
        out.print(
            f"{r.party} {r.contact}. {escape(r.name)} ({r.role.value}; {r.language}): by {r.channel.value} "
            f"to {escape(where or '')}",
            soft_wrap=True,
        )


@contact_app.command("add")
def contact_add(
    ctx: typer.Context,
    reference: Reference,
    party: PartyArg,
    name: Annotated[str, typer.Option("--name", help="The contact's name.")],
    actor: Actor,
    email: Email = None,
    address: Address = None,
    language: Annotated[str, typer.Option("--language", help="en or nb: the language of letters.")] = "en",
    channel: Annotated[
        str, typer.Option("--channel", help="email or post: how it prefers to be reached.")
    ] = "email",
    role: Annotated[str, typer.Option("--role", help="representative or contact.")] = "contact",
    reason: Reason = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a representative or contact to a party (numbered after its last)."""
    from workflow import commands

    command = _validated(commands.AddContact, locals())
    contact = (
        context_of(ctx)
        .app()
        .parties.add_contact(reference=reference, party=party, actor=actor, **command.arguments())
    )
    if not as_json:
        out.print(f"{escape(reference)}: added contact {contact.number} of {escape(party)}")
    _show(ctx, reference, as_json)


@contact_app.command("edit")
def contact_edit(
    ctx: typer.Context,
    reference: Reference,
    party: PartyArg,
    number: ContactNumber,
    actor: Actor,
    name: Annotated[str | None, typer.Option("--name", help="The contact's name.")] = None,
    email: Email = None,
    address: Address = None,
    language: Annotated[str | None, typer.Option("--language", help="en or nb.")] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="email or post.")] = None,
    role: Annotated[str | None, typer.Option("--role", help="representative or contact.")] = None,
    reason: Reason = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a contact's name, addresses, language, channel or role."""
    from workflow import commands

    command = _validated(commands.ChangeContact, locals())
    context_of(ctx).app().parties.change_contact(
        reference=reference, party=party, number=number, actor=actor, **command.arguments()
    )
    if not as_json:
        out.print(f"{escape(reference)}: changed contact {number} of {escape(party)}")
    _show(ctx, reference, as_json)


@contact_app.command("remove")
def contact_remove(
    ctx: typer.Context,
    reference: Reference,
    party: PartyArg,
    number: ContactNumber,
    actor: Actor,
    reason: Reason = None,
    as_json: JsonOpt = False,
) -> None:
    """Remove a contact (its number is not given again)."""
    from workflow import commands

    command = _validated(commands.RemoveContact, locals())
    context_of(ctx).app().parties.remove_contact(
        reference=reference, party=party, number=number, actor=actor, **command.arguments()
    )
    if not as_json:
        out.print(f"{escape(reference)}: removed contact {number} of {escape(party)}")
    _show(ctx, reference, as_json)
