"""`ncpflow report ...`: reports (rotation; timelines, annual and OECD from the audit log)."""

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ncpflow import output
from ncpflow.context import Language, context_of, day
from ncpflow.output import emit_json

report_app = typer.Typer(no_args_is_help=True, help="Reports.")


class ReportFormat(StrEnum):
    json = "json"
    csv = "csv"
    html = "html"


FormatOpt = Annotated[ReportFormat | None, typer.Option("--format")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Short for --format json.")]
OutputOpt = Annotated[Path | None, output.output_option()]
LanguageOpt = Annotated[
    Language | None,
    typer.Option("--language", "--lang", help="The HTML report's words: en or nb; default: [ncp] language."),
]
ApproximateOpt = Annotated[
    bool,
    typer.Option(
        "--include-approximate",
        help="Count in the medians the day counts from dates known to the month only.",
    ),
]


def _csv(rows: list[dict[str, Any]]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    columns = list(rows[0]) if rows else []
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: ";".join(map(str, v))
                if isinstance(v, list) and not any(isinstance(x, dict) for x in v)
                else json.dumps(v, ensure_ascii=False)
                if isinstance(v, dict | list)
                else v
                for k, v in row.items()
            }
        )
    return buffer.getvalue()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _fmt(fmt: ReportFormat | None, as_json: bool) -> ReportFormat:
    return ReportFormat.json if as_json else (fmt or ReportFormat.json)


def _words(ctx: typer.Context, language: Language | None) -> Any:
    """The words of an HTML report: `--language`, else the NCP's."""
    from ncpflow import report_views

    context = context_of(ctx)
    chosen = language.value if language else context.settings().ncp.language
    return report_views.words_for(context.app(), chosen)


@report_app.command("timelines")
def report_timelines(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option()] = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    output_file: OutputOpt = None,
    include_approximate: ApproximateOpt = False,
    language: LanguageOpt = None,
) -> None:
    """Per case and stage: days used against the indicative timeline, paused days apart."""
    from ncpflow import report_html  # the HTML report's module only for these reports

    report = context_of(ctx).app().reports.timelines(year=year, include_approximate=include_approximate)
    chosen = _fmt(fmt, as_json)
    text = (
        _json(report)
        if chosen is ReportFormat.json
        else _csv(report["stages"])
        if chosen is ReportFormat.csv
        else report_html.timelines_html(report, _words(ctx, language))
    )
    output.write_output(text, output_file)


@report_app.command("annual")
def report_annual(
    ctx: typer.Context,
    year: Annotated[int, typer.Option()],
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    output_file: OutputOpt = None,
    include_approximate: ApproximateOpt = False,
    language: LanguageOpt = None,
) -> None:
    """Yearly figures for the NCP's annual report."""
    from ncpflow import report_html, report_views

    report = context_of(ctx).app().reports.annual(year=year, include_approximate=include_approximate)
    chosen = _fmt(fmt, as_json)
    flat = [{"figure": k, "value": json.dumps(v) if isinstance(v, dict) else v} for k, v in report.items()]
    text = (
        _json(report)
        if chosen is ReportFormat.json
        else _csv(flat)
        if chosen is ReportFormat.csv
        else report_html.annual_html(
            report, _words(ctx, language), report_views.member_names(context_of(ctx).app())
        )
    )
    output.write_output(text, output_file)


@report_app.command("oecd")
def report_oecd(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option()] = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    output_file: OutputOpt = None,
    language: LanguageOpt = None,
) -> None:
    """One row per case with the OECD database's fields (no party names)."""
    from ncpflow import report_html

    rows = context_of(ctx).app().reports.oecd(year=year)
    chosen = _fmt(fmt, as_json)
    text = (
        _json(rows)
        if chosen is ReportFormat.json
        else _csv(rows)
        if chosen is ReportFormat.csv
        else report_html.oecd_html(rows, year, _words(ctx, language))
    )
    output.write_output(text, output_file)


@report_app.command("rotation")
def report_rotation(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    fmt: Annotated[
        ReportFormat | None, typer.Option("--format", help="json, csv or html; default: a table.")
    ] = None,
    output_file: OutputOpt = None,
    language: LanguageOpt = None,
) -> None:
    """Leads taken per member, open caseload and skips by reason over a period."""
    from workflow.read_models import json_of

    found = context_of(ctx).app().reports.rotation(since=day(since, "--from"), until=day(until, "--to"))
    report = json_of(found)
    chosen = ReportFormat.json if as_json else fmt
    if chosen is ReportFormat.html:
        from ncpflow import report_html

        output.write_output(report_html.rotation_html(found, _words(ctx, language)), output_file)
    elif chosen is ReportFormat.csv:
        output.write_output(_csv(report["members"]), output_file)
    elif chosen is ReportFormat.json:
        if output_file is None:
            emit_json(report)
        else:
            output.write_output(_json(report), output_file)
    else:
        output.rotation_report_table(report)


def _engagement_table(report: dict[str, Any]) -> None:
    """The engagement report as tables: by year, by sector, then the reasons in all."""
    from rich.table import Table

    from ncpflow.output import out

    def rate(group: dict[str, Any]) -> str:
        value = group["participation_rate"]
        return "—" if value is None else f"{value:.0%} ({group['accepted']} of {group['settled']})"

    scope = report["year"] if report["year"] is not None else "all years"
    for title, key, rows in (
        (f"Company engagement by year, {scope}", "year", report["by_year"]),
        (f"Company engagement by sector, {scope}", "sector", report["by_sector"]),
        (f"Company engagement in all, {scope}", "all", [{"all": "all", **report["totals"]}]),
    ):
        table = Table(title=title, title_justify="left")
        for column in (
            key,
            "invitations",
            "accepted",
            "declined",
            "no response",
            "waiting",
            "rate",
            "reasons",
        ):
            table.add_column(column)
        for row in rows:
            reasons = ", ".join(f"{code} {count}" for code, count in row["reasons"].items()) or "—"
            table.add_row(
                str(row[key]),
                str(row["invitations"]),
                str(row["accepted"]),
                str(row["declined"]),
                str(row["no_response"]),
                str(row["pending"]),
                rate(row),
                reasons,
            )
        out.print(table)
    out.print(
        "rate: accepted out of the invitations answered or past their day to answer without one "
        f"(as of {report['as_of']}); invitations still waiting are left out"
    )


@report_app.command("engagement")
def report_engagement(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option(help="The invitations of this year; default all.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    fmt: Annotated[
        ReportFormat | None, typer.Option("--format", help="json, csv or html; default: a table.")
    ] = None,
    output_file: OutputOpt = None,
    language: LanguageOpt = None,
) -> None:
    """Company engagement: the participation rate and the reasons for declining, by year and by sector."""
    from ncpflow import engagement_report, report_html, report_views

    app = context_of(ctx).app()
    report = app.reports.engagement(year=year)
    chosen = ReportFormat.json if as_json else fmt
    if chosen is ReportFormat.json:
        if output_file is None:
            emit_json(report)
        else:
            output.write_output(_json(report), output_file)
    elif chosen is None:
        _engagement_table(report)
    else:
        view = engagement_report.engagement(report, _words(ctx, language), app.engagement.reasons())
        text = report_views.csv_text(view) if chosen is ReportFormat.csv else report_html.document(view)
        output.write_output(text, output_file)


@report_app.command("follow-up")
def report_follow_up(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option(help="Only commitments made that year.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    fmt: Annotated[
        ReportFormat | None, typer.Option("--format", help="json, csv or html; default: a table.")
    ] = None,
    output_file: OutputOpt = None,
    language: LanguageOpt = None,
) -> None:
    """The implementation rate of commitments and recommendations by year and by theme
    (implemented 1, partly 0.5, not 0; unknown left out of the rate)."""
    from workflow.read_models import json_of

    found = context_of(ctx).app().reports.follow_up(year=year)
    report = json_of(found)
    chosen = ReportFormat.json if as_json else fmt
    if chosen is ReportFormat.html:
        from ncpflow import report_html

        output.write_output(report_html.follow_up_html(found, _words(ctx, language)), output_file)
    elif chosen is ReportFormat.csv:
        from ncpflow import report_views

        output.write_output(
            report_views.csv_text(report_views.follow_up(found, _words(ctx, language))), output_file
        )
    elif chosen is ReportFormat.json:
        if output_file is None:
            emit_json(report)
        else:
            output.write_output(_json(report), output_file)
    else:
        output.follow_up_report_table(report)
