"""Self-contained HTML reports: one file each, in English or Norwegian, with inline CSS and SVG
charts, no scripts; readable on a phone (a viewport, stacked tables) and printed on A4.

A worded report (`ncpflow.report_views`) is drawn by the templates the report pages draw it with
(`web/templates/_report_body.html`, `_chart.html`), inside `report_file.html`: the pages and the
files say the same thing, autoescaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ncpflow import report_views
from ncpflow.report_views import ReportView, Words
from states.messages import ENGLISH

if TYPE_CHECKING:
    from jinja2 import Environment

    from workflow import read_models

TEMPLATES = Path(__file__).resolve().parent / "web" / "templates"


@cache
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def document(view: ReportView) -> str:
    """The report as one HTML file in its language."""
    return _environment().get_template("report_file.html").render(view=view, links=False) + "\n"


_ENGLISH = Words("en", ENGLISH)


def timelines_html(report: Mapping[str, Any], words: Words = _ENGLISH) -> str:
    return document(report_views.timelines(report, words))


def annual_html(
    report: Mapping[str, Any], words: Words = _ENGLISH, names: Mapping[str, str] | None = None
) -> str:
    return document(report_views.annual(report, words, names))


def rotation_html(report: read_models.RotationReport, words: Words = _ENGLISH) -> str:
    return document(report_views.rotation(report, words))


def follow_up_html(report: read_models.FollowUpReport, words: Words = _ENGLISH) -> str:
    return document(report_views.follow_up(report, words))


def oecd_html(rows: Sequence[Mapping[str, Any]], year: int | None, words: Words = _ENGLISH) -> str:
    return document(report_views.oecd(rows, year, words))
