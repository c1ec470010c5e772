"""The `ncpflow` command line. Thin: parse, call a workflow function, print."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ncpflow import output
from ncpflow.output import emit_json, out
from states.case import Case
from states.chain import HASHED_FIELDS
from states.errors import InvalidInputError, NcpflowError
from workflow import alerts, audit, cases, ics, outbox, pausing, queries, rotation, rotation_views
from workflow.bootstrap import Services, bootstrap, initialise
from workflow.clock import FixedClock
from workflow.config import Settings, load_settings
from workflow.inputs import org_numbers, parse_when
from workflow.logging import configure

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                  help="Workflow engine for National Contact Points' specific instances.")
case_app = typer.Typer(no_args_is_help=True, help="Open, advance and look at cases.")
audit_app = typer.Typer(no_args_is_help=True, help="Read and verify the audit log.")
alerts_app = typer.Typer(no_args_is_help=True, help="Deadline alerts.")
outbox_app = typer.Typer(no_args_is_help=True, help="The e-mail outbox.")
deadlines_app = typer.Typer(no_args_is_help=True, help="Deadlines across cases.")
app.add_typer(case_app, name="case")
app.add_typer(audit_app, name="audit")
app.add_typer(alerts_app, name="alerts")
app.add_typer(outbox_app, name="outbox")
app.add_typer(deadlines_app, name="deadlines")
members_app = typer.Typer(no_args_is_help=True, help="The NCP's members, from config.toml.")
rotation_app = typer.Typer(no_args_is_help=True, help="Who leads cases: the rotation.")
report_app = typer.Typer(no_args_is_help=True, help="Reports.")
app.add_typer(members_app, name="members")
app.add_typer(rotation_app, name="rotation")
app.add_typer(report_app, name="report")


@dataclass
class Context:
    config: Path | None
    database: str | None
    _settings: Settings | None = field(default=None, repr=False)
    _services: Services | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config, database_url=self.database)
        return self._settings

    def services(self, *, require_initialised: bool = True) -> Services:
        if self._services is None:
            self._services = bootstrap(self.settings(), require_initialised=require_initialised)
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
            self._services = None


def _ctx(ctx: typer.Context) -> Context:
    obj = ctx.find_root().obj
    assert isinstance(obj, Context)
    return obj


@app.callback()
def _root(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option(
        "--config", help="Config file [default: $NCPFLOW_CONFIG or ./config.toml].")] = None,
    database: Annotated[str | None, typer.Option(
        "--database", help="Database URL [default: $NCPFLOW_DATABASE_URL or config].")] = None,
    log_level: Annotated[str, typer.Option(
        "--log-level", envvar="NCPFLOW_LOG_LEVEL", help="debug, info, warning or error.")
    ] = "warning",
) -> None:
    configure(level=log_level)
    context = Context(config=config, database=database)
    ctx.obj = context
    ctx.call_on_close(context.close)


def _today(services: Services) -> date:
    return services.policy.calendar.local_date(services.clock.now())


@app.command()
def init(
    ctx: typer.Context,
    demo: Annotated[bool, typer.Option("--demo", help="Add demo cases if there are none.")] = False,
) -> None:
    """Create or upgrade the database schema (safe to run again)."""
    services = _ctx(ctx).services(require_initialised=False)
    initialise(services)
    out.print(f"database ready: {services.settings.database.url}")
    changes = rotation.sync_members(uow=services.uow, clock=services.clock,
                                    settings=services.settings, actor="init")
    out.print(f"members: {changes.describe()}")
    if demo:
        from workflow.demo import load_demo  # only `init --demo` pays for the demo module

        made = load_demo(services)
        out.print(f"demo cases added: {len(made)}" if made else "demo: cases exist, none added")
        listed = queries.list_cases(uow=services.uow)
        out.print(output.cases_table(listed, _today(services), "Demo cases and their next due dates"))


@case_app.command("open")
def case_open(
    ctx: typer.Context,
    title: Annotated[str, typer.Option("--title", help="Short title of the submission.")],
    enterprise: Annotated[list[str], typer.Option("--enterprise", help="Enterprise (repeat).")],
    submitter: Annotated[list[str], typer.Option("--submitter", help="Submitter (repeat).")],
    actor: Annotated[str, typer.Option("--actor", help="Who registers the case.")],
    submitter_type: Annotated[list[str] | None, typer.Option(
        "--submitter-type", help="individual, ngo, trade_union, community, academic, other; "
        "one for all submitters or one each.")] = None,
    received: Annotated[str | None, typer.Option(
        "--received", help="YYYY-MM-DD (NCP local) or ISO datetime with offset; default now.")
    ] = None,
    theme: Annotated[list[str] | None, typer.Option("--theme", help="Guidelines chapter (repeat).")
                     ] = None,
    host_country: Annotated[list[str] | None, typer.Option(
        "--host-country", help="ISO 3166 alpha-2 code (repeat).")] = None,
    sector: Annotated[str | None, typer.Option("--sector")] = None,
    confidential_submitter: Annotated[bool, typer.Option(
        "--confidential-submitter", help="Withhold the submitters' identity in exports.")] = False,
    org_number: Annotated[list[str] | None, typer.Option(
        "--org-number", help='A party\'s organisation number, "NAME=NUMBER" (repeat); '
        "declared conflicts match on it as well as on the name.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Register a new specific instance; the rotation picks its lead member."""
    types: list[str | None] = list(submitter_type or [])
    if len(types) > 1 and len(types) != len(submitter):
        raise InvalidInputError(
            f"{len(types)} --submitter-type values for {len(submitter)} submitters; "
            "give one for all or one each")
    # One type for all submitters, one each, or none.
    kinds = types * len(submitter) if len(types) == 1 else (types or [None] * len(submitter))
    numbers = org_numbers(org_number or [], [*submitter, *enterprise])
    services = _ctx(ctx).services()
    case = cases.open_case(
        uow=services.uow, clock=services.clock, policy=services.policy,
        reference_prefix=services.settings.ncp.reference_prefix, title=title,
        submitters=[cases.PartyInput(name, kind, confidential_submitter, numbers.get(name))
                    for name, kind in zip(submitter, kinds, strict=True)],
        enterprises=[cases.PartyInput(name, org_number=numbers.get(name))
                     for name in enterprise],
        actor=actor, received=parse_when(received, "--received") if received else None,
        themes=theme or [], host_countries=host_country or [], sector=sector,
        notices=_notices(services))
    _print_case(case, services, as_json)


def _notices(services: Services) -> rotation.Notices:
    return rotation.Notices(services.settings, services.render)


def _print_case(case: Case, services: Services, as_json: bool) -> None:
    view = queries.case_view(case, today=_today(services))
    # Every command that prints a case prints the same view: who leads, why, who takes part.
    view.update(rotation_views.lead_view(uow=services.uow, case=case))
    if as_json:
        emit_json(view)
    else:
        output.case_panel(view)


@case_app.command("advance")
def case_advance(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="Case reference, e.g. NCP-2025-003.")],
    trigger: Annotated[str, typer.Argument(help="begin_assessment, accept, reject, examine, "
                                           "conclude, withdraw, transfer, publish or close.")],
    actor: Annotated[str, typer.Option("--actor", help="Who takes the step.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the audit log).")],
    outcome: Annotated[str | None, typer.Option("--outcome")] = None,
    at: Annotated[str | None, typer.Option(
        "--at", help="When it happened: YYYY-MM-DD or ISO datetime with offset; default now.")
    ] = None,
    scope: Annotated[str | None, typer.Option(
        "--scope", help="With accept: what was accepted, when only in part.")] = None,
    expect_version: Annotated[int | None, typer.Option(
        "--expect-version", help="Refuse with a conflict unless the case is at this version.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Move a case on with a trigger, an actor and a reason."""
    services = _ctx(ctx).services()
    case = cases.advance(
        uow=services.uow, clock=services.clock, policy=services.policy, reference=reference,
        trigger=trigger, actor=actor, reason=reason, outcome=outcome,
        at=parse_when(at, "--at") if at else None, scope=scope, expected_version=expect_version)
    _print_case(case, services, as_json)


@case_app.command("show")
def case_show(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument()],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One case: stage, lead and who takes part, parties and deadlines with their explanations."""
    services = _ctx(ctx).services()
    _print_case(queries.get_case(uow=services.uow, reference=reference), services, as_json)


@case_app.command("list")
def case_list(
    ctx: typer.Context,
    state: Annotated[str | None, typer.Option("--state")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only cases with an overdue deadline.")
                       ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Cases, oldest first, with their next due date."""
    services = _ctx(ctx).services()
    today = _today(services)
    listed = queries.list_cases(uow=services.uow, state=state,
                                overdue_on=today if overdue else None)
    if as_json:
        emit_json([queries.case_view(c, today=today) for c in listed])
    else:
        out.print(output.cases_table(listed, today))


@case_app.command("triggers")
def case_triggers(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument()],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """What may happen next to a case, and why not the rest."""
    services = _ctx(ctx).services()
    case = queries.get_case(uow=services.uow, reference=reference)
    rows = queries.triggers_view(case, services.policy)
    if as_json:
        emit_json({"reference": case.reference, "state": case.state.value, "triggers": rows})
        return
    out.print(f"[bold]{case.reference}[/] is in [bold]{case.state.value}[/]")
    for row in rows:
        if row["allowed"]:
            extra = f" (outcome: {' | '.join(row['outcomes'])})" if row["outcomes"] else ""
            out.print(f"  [green]✓[/] {row['trigger']} → {row['to_state']}{extra}: "
                      f"{row['meaning']}")
    for row in rows:
        if not row["allowed"]:
            out.print(f"  [dim]✗ {row['trigger']}: {row['why_not']}[/]")


def _when(value: str | None, what: str) -> date | datetime | None:
    return parse_when(value, what) if value else None


@case_app.command("pause")
def case_pause(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument()],
    actor: Annotated[str, typer.Option("--actor", help="Who records the pause.")],
    reason: Annotated[str, typer.Option(
        "--reason", help="Why: parallel proceedings, a party's request, awaited information.")],
    requested_by: Annotated[str | None, typer.Option(
        "--requested-by", help="Who asked for it (a party, the NCP).")] = None,
    at: Annotated[str | None, typer.Option("--at", help="When it started; default now.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Stop the clock: the stage stays, every open deadline waits."""
    services = _ctx(ctx).services()
    case = pausing.pause_case(uow=services.uow, clock=services.clock, reference=reference,
                              actor=actor, reason=reason, requested_by=requested_by,
                              at=_when(at, "--at"))
    _print_case(case, services, as_json)


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
    services = _ctx(ctx).services()
    case = pausing.resume_case(uow=services.uow, clock=services.clock, reference=reference,
                               actor=actor, at=_when(at, "--at"), reason=reason)
    _print_case(case, services, as_json)


@case_app.command("extend")
def case_extend(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument()],
    deadline: Annotated[str, typer.Option("--deadline", help="acknowledgement, initial_assessment, "
                                          "good_offices, examination, final_statement, "
                                          "procedure or follow_up.")],
    actor: Annotated[str, typer.Option("--actor", help="Who approved the extension.")],
    reason: Annotated[str, typer.Option("--reason")],
    days: Annotated[int | None, typer.Option("--days")] = None,
    months: Annotated[int | None, typer.Option("--months")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Give one open deadline more time, with a reason and who approved it."""
    services = _ctx(ctx).services()
    case = pausing.extend_deadline(uow=services.uow, clock=services.clock, reference=reference,
                                   deadline=deadline, actor=actor, reason=reason, days=days,
                                   months=months)
    _print_case(case, services, as_json)


@alerts_app.command("sweep")
def alerts_sweep(
    ctx: typer.Context,
    now: Annotated[str | None, typer.Option(
        "--now", help="Sweep as of this ISO datetime (with offset) or date; default now.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Fire the alert rungs that are due, once each, into the outbox."""
    context = _ctx(ctx)
    services = context.services()
    if now:
        when = parse_when(now, "--now")
        instant = (when if isinstance(when, datetime)
                   else services.policy.calendar.start_of_day(when))
        services.clock = FixedClock(instant)
    queued = alerts.sweep(uow=services.uow, clock=services.clock, settings=services.settings,
                          render=services.render)
    if as_json:
        emit_json(queued)
        return
    out.print(f"{len(queued)} alert(s) queued")
    for alert in queued:
        out.print(f"  {alert['case']} {alert['deadline']} {alert['rung']} (due {alert['due']}) "
                  f"→ {escape(', '.join(alert['recipients']) or 'nobody')}")


@outbox_app.command("dispatch")
def outbox_dispatch(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Send pending e-mails over SMTP; failures stay queued and are retried with backoff."""
    services = _ctx(ctx).services()
    result = outbox.dispatch(uow=services.uow, clock=services.clock, channel=services.channel,
                             lease=timedelta(seconds=services.settings.smtp.lease_seconds))
    if as_json:
        emit_json(result.as_dict())
    else:
        out.print(f"sent {result.sent}, failed {result.failed}, pending {result.pending}")


@deadlines_app.command("ics")
def deadlines_ics(
    ctx: typer.Context,
    member: Annotated[str | None, typer.Option("--member", help="Only cases this member leads.")
                      ] = None,
    output_file: Annotated[Path | None, typer.Option("--output", help="Write here, not stdout.")
                           ] = None,
) -> None:
    """Open deadlines as an iCalendar (.ics) file."""
    services = _ctx(ctx).services()
    if member is not None and member not in {m.id for m in services.settings.members}:
        raise InvalidInputError(f"unknown member '{member}'")
    data = ics.deadlines_calendar(uow=services.uow, now=services.clock.now(), member=member,
                                  ncp_name=services.settings.ncp.name)
    if output_file is None:
        sys.stdout.buffer.write(data)
    else:
        output_file.write_bytes(data)


@app.command()
def scheduler(ctx: typer.Context) -> None:
    """Run the alert sweep and the outbox dispatch on their intervals until stopped."""
    from workflow import scheduler as heartbeat  # APScheduler only for this command

    context = _ctx(ctx)
    configure(level="info", json=True)
    heartbeat.run(context.services())


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
    services = _ctx(ctx).services()
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
    services = _ctx(ctx).services()
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


@case_app.command("reassign")
def case_reassign(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument()],
    to: Annotated[str, typer.Option("--to", help="Member id of the new lead.")],
    actor: Annotated[str, typer.Option("--actor", help="Who decides.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the audit log).")],
    override: Annotated[bool, typer.Option(
        "--override", help="Assign a conflicted, inactive or absent member anyway (audited).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Give a case to another lead member; refused where the rule would not allow it."""
    services = _ctx(ctx).services()
    case = rotation.reassign(uow=services.uow, clock=services.clock, reference=reference, to=to,
                             actor=actor, reason=reason, override=override,
                             notices=_notices(services))
    _print_case(case, services, as_json)


@case_app.command("recuse")
def case_recuse(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument()],
    member: Annotated[str, typer.Option("--member", help="The lead who steps aside.")],
    actor: Annotated[str, typer.Option("--actor", help="Who records it.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the audit log).")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The lead recuses; the rotation picks the next eligible member."""
    services = _ctx(ctx).services()
    case = rotation.recuse(uow=services.uow, clock=services.clock, policy=services.policy,
                           reference=reference, member=member, actor=actor, reason=reason,
                           notices=_notices(services))
    _print_case(case, services, as_json)


@members_app.command("list")
def members_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Members in the database (active first, in config order), availability and caseload."""
    services = _ctx(ctx).services()
    view = rotation_views.members_view(uow=services.uow, clock=services.clock,
                                       settings=services.settings)
    if as_json:
        emit_json(view)
    else:
        output.members_table(view)


@members_app.command("sync")
def members_sync(
    ctx: typer.Context,
    actor: Annotated[str, typer.Option("--actor", help="Who brings the change in.")] = "config",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Bring config.toml's [[members]] into the database; removed members are deactivated."""
    services = _ctx(ctx).services()
    changes = rotation.sync_members(uow=services.uow, clock=services.clock,
                                    settings=services.settings, actor=actor)
    if as_json:
        emit_json(changes.as_dict())
    else:
        out.print(f"members: {escape(changes.describe())}")


@rotation_app.command("show")
def rotation_show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Who leads the next case, and why not each other member."""
    services = _ctx(ctx).services()
    view = rotation_views.rotation_view(uow=services.uow, clock=services.clock,
                                        settings=services.settings)
    if as_json:
        emit_json(view)
    else:
        output.rotation_panel(view)


@rotation_app.command("check")
def rotation_check(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Open cases whose lead is now conflicted, inactive or away (nothing is moved)."""
    services = _ctx(ctx).services()
    found = [p.as_dict() for p in rotation.check_leads(uow=services.uow, clock=services.clock)]
    if as_json:
        emit_json(found)
        return
    out.print(f"{len(found)} open case(s) whose lead may no longer lead them")
    for row in found:
        problems = "; ".join(p["detail"] for p in row["problems"])
        out.print(f"  {row['reference']} lead {escape(row['lead'])}: {escape(problems)}")


@rotation_app.command("advance")
def rotation_advance(
    ctx: typer.Context,
    now: Annotated[str | None, typer.Option(
        "--now", help="As of this ISO datetime (with offset) or date; default now.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Hand duty on now, even before the period is over.")] = False,
    actor: Annotated[str, typer.Option("--actor")] = alerts.SCHEDULER_ACTOR,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Periodic duty: hand duty to the next member when the period is over (the job runs this)."""
    services = _ctx(ctx).services()
    if now:
        when = parse_when(now, "--now")
        services.clock = FixedClock(when if isinstance(when, datetime)
                                    else services.policy.calendar.start_of_day(when))
    result = rotation.advance_duty(uow=services.uow, clock=services.clock,
                                   policy=services.policy, actor=actor, force=force)
    if as_json:
        emit_json(result.as_dict())
    else:
        verb = "duty rotated" if result.rotated else "duty unchanged"
        out.print(f"{verb}: {escape(result.explanation)}")


@report_app.command("rotation")
def report_rotation(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Leads taken per member, open caseload and skips by reason over a period."""
    services = _ctx(ctx).services()
    report = rotation_views.rotation_report(
        uow=services.uow, policy=services.policy,
        since=_day(since, "--from"), until=_day(until, "--to"))
    if as_json:
        emit_json(report)
    else:
        output.rotation_report_table(report)


def _day(value: str | None, what: str) -> date | None:
    if value is None:
        return None
    parsed = parse_when(value, what)
    if isinstance(parsed, datetime):
        raise InvalidInputError(f"{what} takes a date (YYYY-MM-DD), not a time")
    return parsed


def main(argv: list[str] | None = None) -> None:
    """Run the command line; a refused or failed command exits non-zero with a message."""
    try:
        app(args=argv, prog_name="ncpflow")
    except NcpflowError as error:
        sys.exit(output.report_error(error))
