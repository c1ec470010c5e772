"""The reports in the app: timelines, annual, rotation and follow-up, as pages and as downloads.

Each page words its report (`ncpflow.report_views`) in the page's language and shows it as the
HTML file does (the templates `_report_body.html` and `_chart.html`): notes, charts with their
tables. The year and the
period are chosen with plain GET forms, checked by the input models (`workflow.commands`
`ReportYear`, `ReportPeriod`); a bad value answers 422, the page in its language naming the
field. Downloads: the same report as a self-contained HTML file or as CSV, in the language
chosen (`?lang=`, else the page's), as an attachment. No report names a party, and free text is
redacted for every reader (`workflow.reports`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow import engagement_report, report_html, report_views
from ncpflow.report_views import ReportView
from ncpflow.web.auth import application_of
from ncpflow.web.pages.common import Page, guard, language, query, render
from states.messages import N_
from states.permissions import Action
from states.users import User
from translations import translator
from workflow import commands
from workflow.application import Application

router = APIRouter(include_in_schema=False)

# The choosers' fields by their labels on the page, and by their names in the URL.
LABELS = {"year": N_("Year"), "since": N_("From"), "until": N_("To")}
IN_URL = {"since": "from", "until": "to"}


@dataclass(frozen=True)
class Chosen:
    """What the page's form asked for: the values as typed (kept after a refusal), and the
    checked input, or the refusal worded in the page's language."""

    typed: Mapping[str, str]
    command: Any = None
    problem: str = ""


def _choose(request: Request, model: type[commands.Command]) -> Chosen:
    """`model` from the query (its fields by their names in the URL: `from` for `since`)."""
    typed = {
        name: (request.query_params.get(IN_URL.get(name, name)) or "")[:100] for name in model.model_fields
    }
    tr = translator(language(request))
    try:
        made = commands.validate(model, {name: value or None for name, value in typed.items()}, _spell(tr))
    except commands.Refused as refused:
        return Chosen(typed, problem=refused.words(tr))
    return Chosen(typed, made)


def _spell(tr: Any) -> Callable[[str], str]:
    return lambda field: tr.gettext(LABELS[field]) if field in LABELS else field


def _words(request: Request, app: Application) -> report_views.Words:
    """The words of a report in the language asked for: the page's (`?lang=`, the cookie, the NCP's)."""
    return report_views.words_for(app, language(request))


def _page(
    request: Request,
    user: User,
    *,
    report: str,
    heading: str,
    chosen: Chosen,
    view: ReportView | None,
) -> Response:
    """The report's page: its chooser, its downloads and its body; 422 and the chooser with the
    typed values when the choice was refused."""
    params = {IN_URL.get(name, name): value for name, value in chosen.typed.items()}
    lang = language(request)
    downloads = [
        (label, f"/reports/{report}.{suffix}?" + query(**params, lang=lang))
        for label, suffix in (("HTML", "html"), ("CSV", "csv"))
    ]
    page = render(
        request,
        "report.html",
        user,
        "reports",
        report=report,
        heading=view.title if view else translator(lang).gettext(heading),
        typed=chosen.typed,
        downloads=downloads if view else [],
        view=view,
        links=True,
        flash_error=chosen.problem or None,
    )
    if chosen.problem:
        page.status_code = 422
    return page


def _download(view: ReportView, suffix: str) -> Response:
    """The report as a file to keep: `ncpflow-annual-2025-nb.html`, `...csv`."""
    headers = {
        "Content-Disposition": f'attachment; filename="{view.filename}-{view.language}.{suffix}"',
        "Cache-Control": "no-store",
    }
    if suffix == "csv":
        return Response(report_views.csv_text(view), media_type="text/csv; charset=utf-8", headers=headers)
    # A file of its own (inline CSS, no script), never run as a page of the app's origin.
    headers["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    return Response(report_html.document(view), media_type="text/html; charset=utf-8", headers=headers)


@dataclass(frozen=True)
class Report:
    """One report of the pages: its name in the URL, its heading before it is worded, how the
    choice is read from the query, and how the worded report is made from it."""

    name: str
    heading: str
    choose: Callable[[Request], Chosen]
    build: Callable[[Request, Application, Any], ReportView]


def _serve(request: Request, user: User, report: Report, suffix: str | None = None) -> Response:
    """The report's page, or (`suffix`) its download; a refused choice is the page, 422."""
    chosen = report.choose(request)
    app = application_of(request)
    view = report.build(request, app, chosen.command) if chosen.command is not None else None
    if suffix is None or view is None:
        return _page(request, user, report=report.name, heading=report.heading, chosen=chosen, view=view)
    return _download(view, suffix)


def _year(request: Request) -> Chosen:
    return _choose(request, commands.ReportYear)


def _this_year(request: Request) -> Chosen:
    """The year asked for; left out, this year (shown in the form)."""
    chosen = _year(request)
    if chosen.command is not None and chosen.command.year is None:
        year = application_of(request).today().year
        return Chosen({"year": str(year)}, commands.ReportYear(year=year))
    return chosen


def _period(request: Request) -> Chosen:
    return _choose(request, commands.ReportPeriod)


TIMELINES = Report(
    "timelines",
    N_("Timeline compliance"),
    _year,
    lambda request, app, chosen: report_views.timelines(
        app.reports.timelines(year=chosen.year), _words(request, app)
    ),
)
ANNUAL = Report(
    "annual",
    N_("Annual report"),
    _this_year,
    lambda request, app, chosen: report_views.annual(
        app.reports.annual(year=chosen.year), _words(request, app), report_views.member_names(app)
    ),
)
ROTATION = Report(
    "rotation",
    N_("Rotation of the lead"),
    _period,
    lambda request, app, chosen: report_views.rotation(
        app.reports.rotation(since=chosen.since, until=chosen.until), _words(request, app)
    ),
)
FOLLOW_UP = Report(
    "follow-up",
    N_("Follow-up of commitments"),
    _year,
    lambda request, app, chosen: report_views.follow_up(
        app.reports.follow_up(year=chosen.year), _words(request, app)
    ),
)
ENGAGEMENT = Report(
    "engagement",
    N_("Company engagement"),
    _year,
    lambda request, app, chosen: engagement_report.engagement(
        app.reports.engagement(year=chosen.year), _words(request, app), app.engagement.reasons()
    ),
)


@router.get("/reports", response_class=HTMLResponse)
@guard(Action.READ_REPORTS)
def reports_index(request: Request, user: User) -> Response:
    return render(request, "reports.html", user, "reports")


def _endpoint(report: Report, suffix: str | None) -> Page:
    """The route of `report`'s page (`suffix` None) or of its download (html, csv)."""

    def endpoint(request: Request, user: User) -> Response:
        return _serve(request, user, report, suffix)

    endpoint.__name__ = f"report_{report.name}_{suffix or 'page'}"
    return guard(Action.READ_REPORTS, one_snapshot=True)(endpoint)


for _report in (TIMELINES, ANNUAL, ROTATION, ENGAGEMENT, FOLLOW_UP):
    router.get(f"/reports/{_report.name}", response_class=HTMLResponse)(_endpoint(_report, None))
    for _suffix in ("html", "csv"):
        router.get(f"/reports/{_report.name}.{_suffix}")(_endpoint(_report, _suffix))
