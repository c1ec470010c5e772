"""Self-contained HTML reports: one file each, in English or Norwegian, with inline CSS and SVG
charts, no scripts; readable on a phone (a viewport, stacked tables) and printed on A4.

`body(view)` writes a worded report (`ncpflow.report_views`) as HTML: its notes, charts
(`ncpflow.charts`) and tables. The report pages show the same body inside the app's layout;
`document(view)` makes it a file of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from ncpflow import report_views
from ncpflow.charts import markup
from ncpflow.report_views import ReportView, Table, Words
from states.messages import ENGLISH
from workflow import read_models

_CSS = """
@page { size: A4; margin: 15mm; }
body { font-family: system-ui, sans-serif; font-size: 11pt; line-height: 1.4; color: #111;
       max-width: 190mm; margin: 0 auto; padding: 0 12px; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; page-break-inside: auto; }
tr { page-break-inside: avoid; } thead { display: table-header-group; }
th, td { border-bottom: 1px solid #ccc; padding: 3px 5px; text-align: left; vertical-align: top; }
th { font-size: 9.5pt; } td { font-size: 9.5pt; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.exceeded { color: #a00000; font-weight: 600; }
figure { margin: 1em 0; } figcaption { font-weight: 600; }
svg { max-width: 100%; height: auto; page-break-inside: avoid; }
.note { color: #444; font-size: 9.5pt; }
@media screen and (max-width: 40rem) {
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: auto; }
  table.stack tr { border-bottom: 1px solid #999; padding: 4px 0; }
  table.stack td { border: 0; padding: 1px 0; text-align: left; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
}
"""


def _table(table: Table, *, links: bool) -> str:
    if not table.rows:
        return f'<p class="note">{escape(table.empty)}</p>'
    numeric = ' class="num"'
    head = "".join(
        f'<th scope="col"{numeric if c.numeric else ""}>{escape(c.label)}</th>' for c in table.columns
    )
    body = []
    for row in table.rows:
        cells = []
        for column, cell in zip(table.columns, row, strict=True):
            classes = " ".join(filter(None, ["num" if column.numeric else "", cell.flag]))
            text = escape(cell.text)
            if links and cell.href:
                text = f'<a href="{escape(cell.href)}">{text}</a>'
            attributes = f' class="{classes}"' if classes else ""
            cells.append(f'<td{attributes} data-label="{escape(column.label)}">{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="stack"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def body(view: ReportView, *, links: bool = False, level: int = 2) -> str:
    """The report's notes and sections (headings at `level`); with `links`, references link to
    the case's page (the app's pages; a file stands alone)."""
    parts = [f'<p class="note">{escape(note)}</p>' for note in view.notes]
    for section in view.sections:
        parts.append(f'<section class="card report-section"><h{level}>{escape(section.heading)}</h{level}>')
        parts.extend(f'<p class="note">{escape(note)}</p>' for note in section.notes)
        if section.chart is not None:
            parts.append(
                f"<figure><figcaption>{escape(section.chart.title)}</figcaption>"
                f"{markup(section.chart)}</figure>"
            )
        if section.table is not None:
            parts.append(_table(section.table, links=links))
        parts.append("</section>")
    return "".join(parts)


def document(view: ReportView) -> str:
    """The report as one HTML file in its language."""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(view.language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(view.title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{escape(view.title)}</h1>{body(view)}</main></body></html>\n"
    )


_ENGLISH = Words("en", ENGLISH)


def timelines_html(report: Mapping[str, Any], words: Words = _ENGLISH) -> str:
    return document(report_views.timelines(report, words))


def annual_html(
    report: Mapping[str, Any], words: Words = _ENGLISH, names: Mapping[str, str] | None = None
) -> str:
    return document(report_views.annual(report, words, names))


def rotation_html(report: read_models.RotationReport, words: Words = _ENGLISH) -> str:
    return document(report_views.rotation(report, words))


def oecd_html(rows: Sequence[Mapping[str, Any]], year: int | None, words: Words = _ENGLISH) -> str:
    return document(report_views.oecd(rows, year, words))
