"""`ncpflow mediator ...`: external mediators: the register, assignment to cases (checked for
conflicts with the case's parties), and mediation sessions."""

from typing import Annotated, Any

import typer

from ncpflow.context import context_of, validated
from ncpflow.output import emit_json, escape, out

mediator_app = typer.Typer(no_args_is_help=True, help="External mediators, their cases and sessions.")

Reference = Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")]
Actor = Annotated[str, typer.Option("--actor", help="Who does it (audited).")]
MediatorOption = Annotated[str, typer.Option("--mediator", help="The mediator's id (see `mediator list`).")]
AsJson = Annotated[bool, typer.Option("--json")]
Conflicts = Annotated[
    list[str] | None,
    typer.Option("--conflict", help='A hard conflict (repeat): "NAME", "NAME=ORG-NUMBER" or "=ORG-NUMBER".'),
]
SoftConflicts = Annotated[
    list[str] | None, typer.Option("--soft-conflict", help="A soft conflict (repeat), spelled alike.")
]
Languages = Annotated[list[str] | None, typer.Option("--language", help="A language code (repeat): en, nb.")]


def _print_mediator(item: dict[str, Any]) -> None:
    state = "" if item["active"] else " (inactive)"
    organisation = f", {escape(item['organisation'])}" if item["organisation"] else ""
    out.print(f"{escape(item['id'])}: {escape(item['name'])}{organisation} <{escape(item['email'])}>{state}")
    if item["languages"]:
        out.print(f"  languages: {', '.join(item['languages'])}")
    for key, label in (("conflicts", "hard conflicts"), ("soft_conflicts", "soft conflicts")):
        if item[key]:
            out.print(f"  {label}: {escape('; '.join(item[key]))}", soft_wrap=True)
    if item["cases"]:
        out.print(f"  cases: {', '.join(item['cases'])}")


@mediator_app.command("add")
def mediator_add(
    ctx: typer.Context,
    mediator_id: Annotated[str, typer.Argument(metavar="ID", help="The mediator's id, e.g. ola-hansen.")],
    name: Annotated[str, typer.Argument(metavar="NAME", help="The mediator's name.")],
    email: Annotated[str, typer.Option("--email", help="Its e-mail address.")],
    actor: Actor,
    organisation: Annotated[str | None, typer.Option("--organisation", help="Its organisation.")] = None,
    language: Languages = None,
    competence: Annotated[str | None, typer.Option("--competence", help="Competence notes.")] = None,
    conflict: Conflicts = None,
    soft_conflict: SoftConflicts = None,
    as_json: AsJson = False,
) -> None:
    """Add a mediator to the register, with its declared conflicts (audited)."""
    from workflow import commands

    command = validated(
        commands.AddMediator,
        id=mediator_id,
        name=name,
        email=email,
        organisation=organisation,
        languages=language or [],
        competence=competence,
        conflicts=conflict or [],
        soft_conflicts=soft_conflict or [],
    )
    app = context_of(ctx).app()
    made = app.mediators.add(actor=actor, **command.arguments())
    shown = app.mediators.get(mediator_id=made.id).model_dump(mode="json")
    if as_json:
        emit_json(shown)
    else:
        out.print(f"mediator {escape(made.id)} added")
        _print_mediator(shown)


@mediator_app.command("list")
def mediator_list(ctx: typer.Context, as_json: AsJson = False) -> None:
    """The register: each mediator, its languages, conflicts and the cases it is assigned to."""
    listed = [m.model_dump(mode="json") for m in context_of(ctx).app().mediators.list()]
    if as_json:
        emit_json(listed)
        return
    if not listed:
        out.print("no mediators; add one with `ncpflow mediator add`")
    for item in listed:
        _print_mediator(item)


@mediator_app.command("change")
def mediator_change(
    ctx: typer.Context,
    mediator_id: Annotated[str, typer.Argument(metavar="ID", help="The mediator's id.")],
    actor: Actor,
    name: Annotated[str | None, typer.Option("--name", help="A new name.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="A new e-mail address.")] = None,
    organisation: Annotated[
        str | None, typer.Option("--organisation", help='A new organisation ("" clears it).')
    ] = None,
    language: Languages = None,
    competence: Annotated[
        str | None, typer.Option("--competence", help='New notes ("" clears them).')
    ] = None,
    conflict: Conflicts = None,
    soft_conflict: SoftConflicts = None,
    active: Annotated[
        bool | None, typer.Option("--active/--inactive", help="Make it active or inactive.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Change a mediator's entry: the options given replace what is there (a list replaces the
    list); audited with the fields that changed."""
    from workflow import commands

    command = validated(
        commands.ChangeMediator,
        name=name,
        email=email,
        organisation=organisation,
        languages=language,
        competence=competence,
        conflicts=conflict,
        soft_conflicts=soft_conflict,
        active=active,
    )
    app = context_of(ctx).app()
    fields = app.mediators.change(actor=actor, mediator_id=mediator_id, **command.arguments())
    if as_json:
        emit_json({"mediator": mediator_id, "changed": list(fields)})
    else:
        out.print(f"mediator {escape(mediator_id)}: {', '.join(fields) if fields else 'nothing changed'}")


@mediator_app.command("assign")
def mediator_assign(
    ctx: typer.Context,
    reference: Reference,
    mediator: MediatorOption,
    actor: Actor,
    override: Annotated[
        str | None,
        typer.Option("--override", help="Why a mediator with a hard conflict is assigned anyway (audited)."),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Assign a mediator to a case, checked against the case's parties: a hard conflict refuses
    unless --override gives the reason; a soft conflict is allowed and recorded."""
    from workflow import commands

    command = validated(commands.AssignMediator, mediator=mediator, override=override)
    found = context_of(ctx).app().mediators.assign(reference=reference, actor=actor, **command.arguments())
    if as_json:
        emit_json({"reference": reference, "mediator": mediator, "conflicts": [f.as_dict() for f in found]})
        return
    out.print(f"{escape(reference)}: mediator {escape(mediator)} assigned")
    for item in found:
        out.print(f"  {escape(item.party)}: {escape(item.describe())}", soft_wrap=True)


@mediator_app.command("unassign")
def mediator_unassign(
    ctx: typer.Context, reference: Reference, mediator: MediatorOption, actor: Actor
) -> None:
    """End a mediator's assignment to a case: its users no longer see the case."""
    from workflow import commands

    command = validated(commands.UnassignMediator, mediator=mediator)
    context_of(ctx).app().mediators.unassign(reference=reference, actor=actor, **command.arguments())
    out.print(f"{escape(reference)}: mediator {escape(mediator)} unassigned")


def _print_sessions(document: dict[str, Any]) -> None:
    for item in document["assignments"]:
        state = "" if item["active"] else f" (until {item['ended_at']})"
        out.print(f"mediator {escape(item['mediator'])} ({escape(item['name'])}){state}")
        for found in item["now"]:
            out.print(f"  {escape(found['party'])}: {escape(found['text'])}", soft_wrap=True)
        if item["override"]:
            out.print(f"  override: {escape(item['override'])}", soft_wrap=True)
    if not document["sessions"]:
        out.print(f"{escape(document['reference'])}: no mediation sessions")
    for session in document["sessions"]:
        place = f", {escape(session['place'])}" if session["place"] else ""
        out.print(f"session {session['number']}: {session['starts_at']}, {session['format']}{place}")
        if session["interpreters"]:
            out.print(f"  interpreters: {', '.join(session['interpreters'])}")
        if session["attendees"]:
            out.print(f"  attendees: {escape(', '.join(session['attendees']))}", soft_wrap=True)
        if session["notes"]:
            out.print(f"  notes: {escape(session['notes'])}", soft_wrap=True)


@mediator_app.command("session")
def mediator_session(
    ctx: typer.Context,
    reference: Reference,
    starts: Annotated[
        str, typer.Option("--starts", help="When: YYYY-MM-DDTHH:MM (NCP local time) or with an offset.")
    ],
    format: Annotated[str, typer.Option("--format", help="in_person, video, phone or hybrid.")],
    actor: Actor,
    place: Annotated[str | None, typer.Option("--place", help="Where.")] = None,
    interpreter: Annotated[
        list[str] | None, typer.Option("--interpreter", help="An interpreter's language (repeat).")
    ] = None,
    attendee: Annotated[
        list[str] | None, typer.Option("--attendee", help="A party key (submitter-1) or a name (repeat).")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="NCP-internal notes.")] = None,
    as_json: AsJson = False,
) -> None:
    """Record a mediation session of a case (audited; its notes are not)."""
    from workflow import commands

    command = validated(
        commands.RecordSession,
        starts=starts,
        format=format,
        place=place,
        interpreters=interpreter or [],
        attendees=attendee or [],
        notes=notes,
    )
    app = context_of(ctx).app()
    session = app.mediators.add_session(reference=reference, actor=actor, **command.arguments())
    if as_json:
        shown = app.mediators.sessions(reference=reference).model_dump(mode="json")
        emit_json(next(s for s in shown["sessions"] if s["number"] == session.number))
    else:
        out.print(f"{escape(reference)}: session {session.number} recorded ({session.starts_at.isoformat()})")


@mediator_app.command("sessions")
def mediator_sessions(ctx: typer.Context, reference: Reference, as_json: AsJson = False) -> None:
    """A case's mediators (with their conflicts with today's parties) and its sessions."""
    document = context_of(ctx).app().mediators.sessions(reference=reference).model_dump(mode="json")
    if as_json:
        emit_json(document)
    else:
        _print_sessions(document)
