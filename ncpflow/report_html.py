"""Self-contained HTML reports: inline CSS and SVG charts, no scripts, A4 print layout."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

_CSS = """
@page { size: A4; margin: 15mm; }
body { font-family: system-ui, sans-serif; font-size: 10pt; color: #111; max-width: 180mm;
       margin: 0 auto; }
h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; page-break-inside: auto; }
tr { page-break-inside: avoid; } thead { display: table-header-group; }
th, td { border-bottom: 1px solid #ccc; padding: 2px 4px; text-align: left; font-size: 8.5pt; }
td.n { text-align: right; } .exceeded { color: #a00; font-weight: 600; }
svg { max-width: 100%; height: auto; page-break-inside: avoid; }
.note { color: #555; font-size: 8pt; }
"""


def page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>{body}</body></html>\n"
    )


def _item(value: Any) -> str:
    """One item of a list cell; an object (an OECD row's issue) as its labelled values."""
    if isinstance(value, dict):
        return "; ".join(
            f"{k.replace('_', ' ')}: {', '.join(map(str, v)) if isinstance(v, list) else v}"
            for k, v in value.items()
            if v is not None and v != []
        )
    return str(value)


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    head = "".join(f"<th>{escape(c.replace('_', ' '))}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for c in columns:
            value = row.get(c)
            text = (
                (" | " if any(isinstance(v, dict) for v in value) else ", ").join(map(_item, value))
                if isinstance(value, list)
                else ("" if value is None else str(value))
            )
            cls = (
                ' class="n"'
                if isinstance(value, int | float)
                else (' class="exceeded"' if value == "exceeded" else "")
            )
            cells.append(f"<td{cls}>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def bars(items: Sequence[tuple[str, float, float | None]], *, unit: str, title: str) -> str:
    """Horizontal bars (value) with an optional marker line per bar (e.g. the indicative days)."""
    width, label_w, row_h = 640, 150, 26
    top = max([v for _, v, _ in items] + [m or 0 for _, _, m in items] + [1])
    scale = (width - label_w - 60) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
        f'{row_h * len(items) + 30}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="14" font-size="12" font-weight="600">{escape(title)}</text>',
    ]
    for i, (label, value, marker) in enumerate(items):
        y = 24 + i * row_h
        parts.append(f'<text x="0" y="{y + 15}" font-size="11">{escape(label)}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{value * scale:.1f}" height="16" fill="#4a78b5"/>'
        )
        parts.append(
            f'<text x="{label_w + value * scale + 4:.1f}" y="{y + 15}" '
            f'font-size="10">{value:g} {escape(unit)}</text>'
        )
        if marker is not None:
            x = label_w + marker * scale
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + 22}" '
                'stroke="#c00" stroke-width="2" stroke-dasharray="3,2"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def timelines_html(report: dict[str, Any]) -> str:
    totals = report["totals"]
    chart = bars(
        [(stage, t["median_days"] or 0, t["indicative_days_median"]) for stage, t in totals.items()],
        unit="days",
        title="Median days used per stage (red: indicative timeline)",
    )
    total_rows = [{"stage": s, **t} for s, t in totals.items()]
    year = report["year"] if report["year"] is not None else "all years"
    return page(
        f"Timeline compliance — {year}",
        f'<p class="note">Computed from the audit log, as of {report["as_of"]}; '
        f"{report['cases']} cases. Paused days are not counted as used. Day counts from dates "
        "known to the month only are approximate"
        + (
            " and counted in the medians"
            if report.get("approximate_included")
            else ", left out of the medians"
        )
        + f".</p>{chart}"
        "<h2>Totals</h2>"
        + table(
            total_rows,
            [
                "stage",
                "finished",
                "open",
                "met",
                "exceeded",
                "share_met",
                "median_days",
                "p90_days",
                "approximate",
            ],
        )
        + "<h2>Per case and stage</h2>"
        + table(
            report["stages"],
            [
                "reference",
                "stage",
                "start",
                "end",
                "days_used",
                "paused_days",
                "indicative_days",
                "extensions",
                "extension_days",
                "status",
                "approximate",
            ],
        ),
    )


def annual_html(report: dict[str, Any]) -> str:
    outcomes = [
        "not_accepted",
        "agreement",
        "partial_agreement",
        "no_agreement",
        "enterprise_declined",
        "determination",
        "withdrawn",
        "transferred",
    ]
    chart = bars(
        [(o.replace("_", " "), report.get(o, 0), None) for o in outcomes],
        unit="cases",
        title="Cases concluded, per final outcome",
    )
    figures = [
        {"figure": k.replace("_", " "), "value": v} for k, v in report.items() if not isinstance(v, dict)
    ]
    leads = [{"member": m, "cases led": n} for m, n in report["leads"].items()]
    examined = [
        {"mediation result": r.replace("_", " "), "cases": n}
        for r, n in report["mediation_results_of_examined"].items()
    ]
    editions = [{"edition": e, "cases": n} for e, n in report["guidelines_editions"].items()]
    return page(
        f"Annual report — {report['year']}",
        table(figures, ["figure", "value"])
        + chart
        + "<h2>Examined cases by mediation result</h2>"
        + '<p class="note">Cases that went to examination this year, by how good offices ended; '
        "their determinations count when the examination concludes.</p>"
        + table(examined, ["mediation result", "cases"])
        + "<h2>Cases received by Guidelines edition</h2>"
        + table(editions, ["edition", "cases"])
        + "<h2>Leads per member</h2>"
        + table(leads, ["member", "cases led"]),
    )


def oecd_html(rows: list[dict[str, Any]], year: int | None) -> str:
    columns = list(rows[0]) if rows else ["reference"]
    return page(f"OECD database fields — {year or 'all years'}", table(rows, columns))
