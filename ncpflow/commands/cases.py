"""`ncpflow case ...`: open, advance, show, list; pause, resume, extend; record (dated facts);
link, unlink, links (related cases); similar (precedents); checklist, tick, untick (stage
checklists); reassign, recuse; migrate; the case's issues (`case issue add|decide|result|list`);
import past cases."""

from pathlib import Path
from typing import Annotated, Any

import typer

from ncpflow import output
from ncpflow.commands import checklists, sharing
from ncpflow.commands.ncps import ncp_app
from ncpflow.context import context_of, print_case, print_document, validated
from ncpflow.output import emit_json, out
from ncpflow.program import starting

case_app = typer.Typer(no_args_is_help=True, help="Open, advance and look at cases.")


@case_app.command("open")
def case_open(
    ctx: typer.Context,
    title: Annotated[str, typer.Option("--title", help="Short title of the submission.")],
    enterprise: Annotated[list[str], typer.Option("--enterprise", help="Enterprise (repeat).")],
    submitter: Annotated[list[str], typer.Option("--submitter", help="Submitter (repeat).")],
    actor: Annotated[str, typer.Option("--actor", help="Who registers the case.")],
    submitter_type: Annotated[
        list[str] | None,
        typer.Option(
            "--submitter-type",
            help="individual, ngo, trade_union, community, academic, other; "
            "one for all submitters or one each.",
        ),
    ] = None,
    received: Annotated[
        str | None,
        typer.Option("--received", help="YYYY-MM-DD (NCP local) or ISO datetime with offset; default now."),
    ] = None,
    theme: Annotated[list[str] | None, typer.Option("--theme", help="Guidelines chapter (repeat).")] = None,
    host_country: Annotated[
        list[str] | None, typer.Option("--host-country", help="ISO 3166 alpha-2 code (repeat).")
    ] = None,
    sector: Annotated[str | None, typer.Option("--sector")] = None,
    guidelines_edition: Annotated[
        str | None,
        typer.Option(
            "--guidelines-edition",
            help="1976, 1979, 1984, 1991, 2000, 2011, 2023, or both (2011 and 2023: harm that continues).",
        ),
    ] = None,
    supporting_ncp: Annotated[
        list[str] | None, typer.Option("--supporting-ncp", help="ISO 3166 code of a supporting NCP (repeat).")
    ] = None,
    confidential_submitter: Annotated[
        bool, typer.Option("--confidential-submitter", help="Withhold the submitters' identity in exports.")
    ] = False,
    org_number: Annotated[
        list[str] | None,
        typer.Option(
            "--org-number",
            help='A party\'s organisation number, "NAME=NUMBER" (repeat); '
            "declared conflicts match on it as well as on the name.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Register a new specific instance; the rotation picks its lead member."""
    from workflow import commands
    from workflow.inputs import org_number_pairs

    types = submitter_type or []  # one type for all submitters, one each, or none
    command = validated(
        commands.OpenCase,
        title=title,
        enterprises=enterprise,
        submitters=submitter,
        submitter_type=types[0] if len(types) == 1 else None,
        submitter_types=types if len(types) > 1 else None,
        received=received,
        themes=theme,
        host_countries=host_country,
        sector=sector,
        guidelines_edition=guidelines_edition,
        supporting_ncps=supporting_ncp,
        confidential_submitter=confidential_submitter,
        org_numbers=org_number_pairs(org_number or []),
    )
    app = context_of(ctx).app()
    case = app.cases.open(actor=actor, **command.arguments())
    print_case(case, app, as_json)


@case_app.command("edit")
def case_edit(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")],
    actor: Annotated[str, typer.Option("--actor")],
    reason: Annotated[str, typer.Option("--reason")],
    theme: Annotated[list[str] | None, typer.Option("--theme", help="Replaces the themes (repeat).")] = None,
    host_country: Annotated[
        list[str] | None, typer.Option("--host-country", help="Replaces the host countries (repeat).")
    ] = None,
    sector: Annotated[str | None, typer.Option("--sector")] = None,
    guidelines_edition: Annotated[
        str | None,
        typer.Option("--guidelines-edition", help="1976, 1979, 1984, 1991, 2000, 2011, 2023, or both."),
    ] = None,
    supporting_ncp: Annotated[
        list[str] | None, typer.Option("--supporting-ncp", help="Replaces the supporting NCPs (repeat).")
    ] = None,
    at: Annotated[str | None, typer.Option("--at", help="When it took effect; default now.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Change a case's descriptive fields; one audit entry names every change."""
    from workflow import commands

    command = validated(
        commands.EditCase,
        reason=reason,
        themes=theme,
        host_countries=host_country,
        sector=sector,
        guidelines_edition=guidelines_edition,
        supporting_ncps=supporting_ncp,
        at=at,
    )
    app = context_of(ctx).app()
    case = app.cases.edit(reference=reference, actor=actor, **command.arguments())
    print_case(case, app, as_json)


@case_app.command("advance")
def case_advance(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")],
    trigger: Annotated[
        str,
        typer.Argument(
            help="begin_assessment, accept, reject, examine, conclude, withdraw, transfer, publish or close."
        ),
    ],
    actor: Annotated[str, typer.Option("--actor", help="Who takes the step.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the audit log).")],
    outcome: Annotated[str | None, typer.Option("--outcome")] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", help="When it happened: YYYY-MM-DD or ISO datetime with offset; default now."),
    ] = None,
    scope: Annotated[
        str | None, typer.Option("--scope", help="With accept: what was accepted, when only in part.")
    ] = None,
    expect_version: Annotated[
        int | None,
        typer.Option("--expect-version", help="Refuse with a conflict unless the case is at this version."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Move a case on with a trigger, an actor and a reason."""
    from workflow import commands

    command = validated(
        commands.AdvanceCase,
        trigger=trigger,
        reason=reason,
        outcome=outcome,
        at=at,
        scope=scope,
        expected_version=expect_version,
    )
    app = context_of(ctx).app()
    case = app.cases.advance(reference=reference, actor=actor, **command.arguments())
    print_case(case, app, as_json)


@case_app.command("migrate")
def case_migrate(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")],
    to: Annotated[
        str,
        typer.Option("--to", help="The procedure version to follow: ID@VERSION, or VERSION of its own id."),
    ],
    actor: Annotated[str, typer.Option("--actor", help="Who migrates the case.")],
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="OLD=NEW: a state the target version lacks, and the one to use (repeat)."),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (kept in the audit log); default: 'migrated to ...'.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Move a case to another version of its procedure (audited); refused when its state has no
    counterpart there and no --map gives one."""
    from states.migration import parse_mapping
    from workflow import commands

    command = validated(commands.MigrateCase, to=to, mapping=parse_mapping(mapping or []), reason=reason)
    app = context_of(ctx).app()
    case = app.cases.migrate(reference=reference, actor=actor, **command.arguments())
    print_case(case, app, as_json)


@case_app.command("show")
def case_show(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument()],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One case: stage, lead and who takes part, parties and deadlines with their explanations."""
    with starting():
        from workflow.read_models import json_of

    _case, shown = context_of(ctx).app().cases.show(reference=reference)  # one snapshot
    print_document(json_of(shown), as_json)


@case_app.command("list")
def case_list(
    ctx: typer.Context,
    state: Annotated[str | None, typer.Option("--state")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only cases with an overdue deadline.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Cases, oldest first, with their next due date."""
    with starting():
        from workflow.read_models import json_of

    app = context_of(ctx).app()
    listed = app.cases.list(state=state, overdue=overdue)
    if as_json:
        emit_json([json_of(app.cases.summary(case=c)) for c in listed])
    else:
        out.print(output.cases_table(listed, app.today()))


@case_app.command("triggers")
def case_triggers(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument()],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """What may happen next to a case, and why not the rest."""
    from workflow import read_models

    app = context_of(ctx).app()
    case = app.cases.get(reference=reference)
    options = read_models.json_of(
        read_models.Triggers(
            reference=case.reference, state=case.state, triggers=app.cases.triggers(case=case)
        )
    )
    if as_json:
        emit_json(options)
        return
    rows = options["triggers"]
    out.print(f"[bold]{case.reference}[/] is in [bold]{case.state}[/]")
    for row in rows:
        if row["allowed"]:
            extra = f" (outcome: {' | '.join(row['outcomes'])})" if row["outcomes"] else ""
            out.print(f"  [green]✓[/] {row['trigger']} → {row['to_state']}{extra}: {row['meaning']}")
    for row in rows:
        if not row["allowed"]:
            out.print(f"  [dim]✗ {row['trigger']}: {row['why_not']}[/]")


@case_app.command("pause")
def case_pause(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument()],
    actor: Annotated[str, typer.Option("--actor", help="Who records the pause.")],
    reason: Annotated[
        str,
        typer.Option("--reason", help="Why: parallel proceedings, a party's request, awaited information."),
    ],
    requested_by: Annotated[
        str | None, typer.Option("--requested-by", help="Who asked for it (a party, the NCP).")
    ] = None,
    at: Annotated[str | None, typer.Option("--at", help="When it started; default now.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Stop the clock: the stage stays, every open deadline waits."""
    from workflow import commands

    command = validated(commands.PauseCase, reason=reason, requested_by=requested_by, at=at)
    app = context_of(ctx).app()
    case = app.cases.pause(reference=reference, actor=actor, **command.arguments())
    print_case(case, app, as_json)


@case_app.command("resume")
def case_resume(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument()],
    actor: Annotated[str, typer.Option("--actor")],
    at: Annotated[str | None, typer.Option("--at", help="When it ended; default now.")] = None,
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Restart the clock; open deadlines move on by the whole days paused."""
    from workflow import commands

    command = validated(commands.ResumeCase, reason=reason, at=at)
    app = context_of(ctx).app()
    case = app.cases.resume(reference=reference, actor=actor, **command.arguments())
    print_case(case, app, as_json)


@case_app.command("extend")
def case_extend(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument()],
    deadline: Annotated[
        str,
        typer.Option(
            "--deadline",
            help="acknowledgement, initial_assessment, "
            "good_offices, examination, final_statement, "
            "procedure or follow_up.",
        ),
    ],
    actor: Annotated[str, typer.Option("--actor", help="Who approved the extension.")],
    reason: Annotated[str, typer.Option("--reason")],
    days: Annotated[int | None, typer.Option("--days")] = None,
    months: Annotated[int | None, typer.Option("--months")] = None,
    at: Annotated[str | None, typer.Option("--at", help="When it was granted; default now.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Give one open deadline more time, with a reason and who approved it."""
    from workflow import commands

    command = validated(
        commands.ExtendDeadline, deadline=deadline, reason=reason, days=days, months=months, at=at
    )
    app = context_of(ctx).app()
    case = app.cases.extend(reference=reference, actor=actor, **command.arguments())
    print_case(case, app, as_json)


@case_app.command("record")
def case_record(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument()],
    fact: Annotated[
        str,
        typer.Argument(
            help="A fact of the case's procedure; oecd-2023: assessment_published, mediation_agreed, "
            "interim_agreement, later_agreement, review_requested, review_concluded."
        ),
    ],
    on: Annotated[str, typer.Option("--on", help="The day it happened (YYYY-MM-DD); not in the future.")],
    actor: Annotated[str, typer.Option("--actor", help="Who records it.")],
    by: Annotated[
        str | None,
        typer.Option("--by", help="Who it was by (review_requested: oversight_body, submitter, enterprise)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Record a dated fact of the case; it does not move the case."""
    from workflow import commands

    command = validated(commands.RecordFact, fact=fact, on=on, by=by, note=note)
    app = context_of(ctx).app()
    case = app.cases.record(reference=reference, actor=actor, **command.arguments())
    print_case(case, app, as_json)


@case_app.command("link")
def case_link(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="parallel (a complaint at another NCP), follow_on (this case follows on from the "
            "other) or same_facts (a case here about the same facts).",
        ),
    ],
    actor: Annotated[str, typer.Option("--actor", help="Who links them.")],
    case: Annotated[
        str | None, typer.Option("--case", help="The related case here, by its reference.")
    ] = None,
    ncp: Annotated[
        str | None, typer.Option("--ncp", help="The other NCP, by its country code (SE, DK, ...).")
    ] = None,
    external_reference: Annotated[
        str | None, typer.Option("--ref", help="The other NCP's reference for its case.")
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="Where the other NCP describes its case (http or https).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Link a case to a related one: a case here (--case) or at another NCP (--ncp, --ref); audited
    on both cases here."""
    from workflow import commands

    command = validated(
        commands.LinkCase, kind=kind, case=case, ncp=ncp, external_reference=external_reference, url=url
    )
    app = context_of(ctx).app()
    made = app.case_links.link(reference=reference, actor=actor, **command.arguments())
    _print_links(ctx, reference, as_json, only=made.number)


@case_app.command("unlink")
def case_unlink(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")],
    number: Annotated[int, typer.Argument(help="The link's number (`case links REF`).")],
    actor: Annotated[str, typer.Option("--actor", help="Who removes it.")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why (kept in the audit log).")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Remove a link to a related case (audited on both cases here)."""
    from workflow import commands

    command = validated(commands.UnlinkCase, reason=reason)
    app = context_of(ctx).app()
    app.case_links.unlink(reference=reference, number=number, actor=actor, **command.arguments())
    _print_links(ctx, reference, as_json)


@case_app.command("links")
def case_links(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A case's links to related cases."""
    _print_links(ctx, reference, as_json)


def _print_links(ctx: typer.Context, reference: str, as_json: bool, only: int | None = None) -> None:
    from workflow.read_models import json_of

    document = dict(json_of(context_of(ctx).app().case_links.list(reference=reference)))
    links = [link for link in document["links"] if only is None or link["number"] == only]
    if as_json:
        emit_json(links[0] if only is not None else document)
        return
    if not links:
        out.print(output.escape(f"{reference}: no related cases linked"))
    for line in output.link_lines(links):
        out.print(output.escape(f"{reference} {line}"), soft_wrap=True)


@case_app.command("similar")
def case_similar(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")],
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=100, help="At most this many precedents (1-100).")
    ] = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Similar past cases (precedents): concluded cases here and imported ones, matched on
    Guidelines chapters, host countries, sector and enterprise; best first (dates as "3 Feb 2024";
    --json keeps them as YYYY-MM-DD)."""
    from ncpflow.web.i18n import shown_day
    from workflow.read_models import json_of

    found = context_of(ctx).app().cases.similar(reference=reference, limit=limit)
    if as_json:
        emit_json(json_of(found))
        return
    if not found.precedents:
        out.print(
            output.escape(f"{reference}: no similar past cases (none scores {found.threshold:g} or more)")
        )
    for p in found.precedents:
        shares = ", ".join(
            f"{name.replace('_', ' ')}"
            + (f" ({', '.join(getattr(p, name))})" if name in ("chapters", "host_countries") else "")
            for name in p.matched
        )
        dates = f"received {shown_day(p.received, 'en')}" + (
            f", concluded {shown_day(p.concluded, 'en')}" if p.concluded else ""
        )
        outcome = f", {p.outcome_words}" if p.outcome_words else ""
        line = f"{p.reference} {p.score:.2f} [{p.source}] {p.title} -- {p.stage}{outcome}; {dates}"
        line += f"; shares {shares}"
        links = [*(s.url for s in p.statements), *([p.register_url] if p.register_url else []), *p.sources]
        out.print(output.escape(line + (f"; {' '.join(links)}" if links else "")), soft_wrap=True)


@case_app.command("reassign")
def case_reassign(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument()],
    to: Annotated[str, typer.Option("--to", help="Member id of the new lead.")],
    actor: Annotated[
        str,
        typer.Option(
            "--actor",
            help="Who decides; a user must be a handler or the member user of the NCP's chair.",
        ),
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the audit log).")],
    override: Annotated[
        bool,
        typer.Option("--override", help="Assign a conflicted, inactive or absent member anyway (audited)."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Give a case to another lead member; refused where the rule would not allow it."""
    from workflow import commands

    command = validated(commands.ReassignLead, to=to, reason=reason, override=override)
    app = context_of(ctx).app()
    case = app.cases.reassign(reference=reference, actor=actor, **command.arguments())
    print_case(case, app, as_json)


@case_app.command("recuse")
def case_recuse(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument()],
    member: Annotated[str, typer.Option("--member", help="The lead who steps aside.")],
    actor: Annotated[
        str,
        typer.Option(
            "--actor",
            help="Who records it; a user must be a handler or the member user of the NCP's chair.",
        ),
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the audit log).")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The lead recuses; the rotation picks the next eligible member."""
    from workflow import commands

    command = validated(commands.RecuseLead, member=member, reason=reason)
    app = context_of(ctx).app()
    case = app.cases.recuse(reference=reference, actor=actor, **command.arguments())
    print_case(case, app, as_json)


@case_app.command("import")
def case_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="JSON lines, one case a line (docs/import-format.md).")],
    actor: Annotated[str, typer.Option("--actor", help="Who imports (named in every imported entry).")],
    source: Annotated[
        str | None, typer.Option("--source", help="Where the cases come from; default: the file's name.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the file and say what would be created; write nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Bring past cases in from a JSON-lines file: all of them, or none and the lines at fault."""
    from workflow.imports import read_file
    from workflow.read_models import ImportReport, json_of

    text = read_file(file)
    app = context_of(ctx).app()
    result = app.cases.import_cases(text=text, actor=actor, source=source or file.name, dry_run=dry_run)
    report = ImportReport.of(result)
    if as_json:
        emit_json(json_of(report))
        return
    from rich.markup import escape

    for line in report.cases:
        shown = line.reference or "(new reference)"
        out.print(escape(f"line {line.line}: {line.external_id} → {shown} {line.state} ({line.status})"))
    verb = "would be created" if dry_run else "created"
    out.print(
        f"{report.created} {verb}, {report.unchanged} unchanged"
        + (" (dry run: nothing written)" if dry_run else "")
    )


issue_app = typer.Typer(
    no_args_is_help=True,
    help="A case's issues: each tied to Guidelines chapters, accepted or not, with its own outcome.",
)
case_app.add_typer(issue_app, name="issue")
case_app.add_typer(ncp_app, name="ncp")

IssueNumber = Annotated[int, typer.Argument(help="The issue's number within the case (1, 2, ...).")]
IssueAt = Annotated[
    str | None,
    typer.Option("--at", help="The day it was decided: YYYY-MM-DD or ISO datetime with offset; default now."),
]
IssueReason = Annotated[str | None, typer.Option("--reason", help="Why (kept in the audit log).")]


def _print_issue(app: Any, reference: str, number: int, as_json: bool) -> None:
    """The issue just written, as `case issue list` shows it."""
    from workflow.read_models import json_of

    document = json_of(app.cases.issues(reference=reference))
    shown = [i for i in document["issues"] if i["number"] == number]
    if as_json:
        emit_json(shown[0])
    else:
        output.issue_lines(reference, shown)


@issue_app.command("add")
def issue_add(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")],
    title: Annotated[str, typer.Option("--title", help="What the issue is about.")],
    chapter: Annotated[
        list[str],
        typer.Option("--chapter", help="Guidelines chapter it concerns: id or numeral, e.g. iv (repeat)."),
    ],
    actor: Annotated[str, typer.Option("--actor", help="Who records it.")],
    reason: IssueReason = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Record an issue of a case, tied to Guidelines chapters; it starts undecided."""
    from workflow import commands

    command = validated(commands.AddIssue, title=title, chapters=chapter, reason=reason)
    app = context_of(ctx).app()
    issue = app.cases.add_issue(reference=reference, actor=actor, **command.arguments())
    _print_issue(app, reference, issue.number, as_json)


@issue_app.command("decide")
def issue_decide(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")],
    number: IssueNumber,
    actor: Annotated[str, typer.Option("--actor", help="Who records the decision.")],
    accepted: Annotated[bool, typer.Option("--accepted", help="The issue is accepted.")] = False,
    not_accepted: Annotated[bool, typer.Option("--not-accepted", help="The issue is not accepted.")] = False,
    at: IssueAt = None,
    reason: IssueReason = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Accept an issue of a case, or not (a partial acceptance when some are not)."""
    from states.errors import InvalidInputError
    from workflow import commands

    if accepted == not_accepted:
        raise InvalidInputError("give exactly one of --accepted or --not-accepted")
    command = validated(
        commands.DecideIssue, decision="accepted" if accepted else "not_accepted", at=at, reason=reason
    )
    app = context_of(ctx).app()
    app.cases.decide_issue(reference=reference, number=number, actor=actor, **command.arguments())
    _print_issue(app, reference, number, as_json)


@issue_app.command("result")
def issue_result(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")],
    number: IssueNumber,
    outcome: Annotated[
        str,
        typer.Option(
            "--outcome",
            help="agreement, partial_agreement, no_agreement, enterprise_declined, "
            "determination or withdrawn.",
        ),
    ],
    actor: Annotated[str, typer.Option("--actor", help="Who records the outcome.")],
    at: Annotated[
        str | None,
        typer.Option("--at", help="The day of the outcome: YYYY-MM-DD or ISO datetime; default now."),
    ] = None,
    reason: IssueReason = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Record what came of an accepted issue: its own outcome."""
    from workflow import commands

    command = validated(commands.ConcludeIssue, outcome=outcome, at=at, reason=reason)
    app = context_of(ctx).app()
    app.cases.conclude_issue(reference=reference, number=number, actor=actor, **command.arguments())
    _print_issue(app, reference, number, as_json)


@issue_app.command("list")
def issue_list(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A case's issues: chapters, decision and outcome of each."""
    from workflow.read_models import json_of

    document = json_of(context_of(ctx).app().cases.issues(reference=reference))
    if as_json:
        emit_json(document)
    else:
        output.issue_lines(reference, document["issues"])


# Sharing with another NCP (issue 16): the commands live in ncpflow/commands/sharing.py.

case_app.command("share")(sharing.case_share)
case_app.command("receive")(sharing.case_receive)
case_app.command("bundles")(sharing.case_bundles)

# Stage checklists (issue 17): the commands live in ncpflow/commands/checklists.py.

case_app.command("checklist")(checklists.case_checklist)
case_app.command("tick")(checklists.case_tick)
case_app.command("untick")(checklists.case_untick)
