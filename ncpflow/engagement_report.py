"""`report engagement` worded, in English or Norwegian: the participation rate and the reasons
for declining, by year and by sector, as a `ncpflow.report_views.ReportView` (so the report
page, the HTML file and the CSV draw from it as they do for the other reports).

The rule (states/engagement.py): the rate is the invitations accepted over those settled,
i.e. answered (accepted or declined) or standing as no response (recorded, or the day to
answer by has passed); invitations still waiting are counted apart. The CSV holds one row per
year and one per sector, each with its figures and the count of each reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ncpflow.charts import Bar, bars
from ncpflow.report_views import Cell, Column, ReportView, Section, Table, Words
from states.engagement import UNKNOWN_SECTOR, DeclineReason


def _reason_words(words: Words, reasons: Sequence[DeclineReason]) -> dict[str, str]:
    return {reason.code: reason.words(words.tr, words.language) for reason in reasons}


def _named(names: Mapping[str, str], code: str) -> str:
    """A reason's words; a code no longer configured as it was stored, its spaced-out code."""
    return names.get(code) or code.replace("_", " ")


def _rate(words: Words, group: Mapping[str, Any]) -> Cell:
    rate = group.get("participation_rate")
    if rate is None:
        return Cell("—", None)
    return Cell(
        words.share(int(group.get("accepted") or 0), int(group.get("settled") or 0)),
        round(float(rate) * 100, 2),
    )


def _n(words: Words, value: Any) -> Cell:
    return Cell(words.number(int(value or 0)), int(value or 0))


def _figure_columns(words: Words, first: str) -> list[Column]:
    return [
        Column(first),
        Column(words.gettext("Invitations"), numeric=True),
        Column(words.gettext("Accepted"), numeric=True),
        Column(words.gettext("Declined"), numeric=True),
        Column(words.gettext("No response"), numeric=True),
        Column(words.gettext("Still waiting"), numeric=True),
        Column(words.gettext("Participation rate"), csv=words.gettext("Participation rate (%)")),
    ]


def _figures(words: Words, group: Mapping[str, Any]) -> list[Cell]:
    return [
        _n(words, group.get("invitations")),
        _n(words, group.get("accepted")),
        _n(words, group.get("declined")),
        _n(words, group.get("no_response")),
        _n(words, group.get("pending")),
        _rate(words, group),
    ]


def _sector(words: Words, value: str) -> str:
    return words.gettext("unknown") if value == UNKNOWN_SECTOR else value


def _table(words: Words, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> Table:
    return Table(tuple(columns), tuple(tuple(row) for row in rows), words.gettext("Nothing to report."))


def _reasons_table(
    words: Words, first: str, groups: Sequence[tuple[str, Mapping[str, Any]]], names: Mapping[str, str]
) -> Table:
    """One row per group and reason given: the declines giving it and their share of the
    group's declines."""
    rows = []
    for label, group in groups:
        declined = int(group.get("declined") or 0)
        for code, count in (group.get("reasons") or {}).items():
            rows.append(
                (
                    Cell(label),
                    Cell(_named(names, code)),
                    Cell(words.share(int(count), declined), int(count)),
                )
            )
    columns = (Column(first), Column(words.gettext("Reason")), Column(words.gettext("Declines giving it")))
    return _table(words, columns, rows)


def engagement(report: Mapping[str, Any], words: Words, reasons: Sequence[DeclineReason]) -> ReportView:
    """`report engagement`: the totals, the figures by year and by sector, and the reasons for
    declining (in all, by year, by sector)."""
    year = report.get("year")
    totals: Mapping[str, Any] = report.get("totals") or {}
    names = _reason_words(words, reasons)
    invitations = int(totals.get("invitations") or 0)
    title = words.gettext("Company engagement, {year}").format(
        year=year if year is not None else words.gettext("all years")
    )
    notes = (
        words.ngettext(
            "Worked out on {day}: {n} invitation to an enterprise.",
            "Worked out on {day}: {n} invitations to enterprises.",
            invitations,
        ).format(day=words.day(report.get("as_of")), n=words.number(invitations)),
        words.gettext(
            "Participation rate: the invitations accepted out of those answered or left without an "
            "answer; an invitation not answered by its day to answer counts as no response. "
            "Invitations still waiting for an answer are left out of the rate."
        ),
        words.gettext("A decline may give several reasons: each is counted once."),
    )
    by_year = [(str(group.get("year")), group) for group in report.get("by_year") or ()]
    by_sector = [(_sector(words, str(group.get("sector"))), group) for group in report.get("by_sector") or ()]
    year_table = _table(
        words,
        _figure_columns(words, words.gettext("Year")),
        [[Cell(label), *_figures(words, group)] for label, group in by_year],
    )
    sector_table = _table(
        words,
        _figure_columns(words, words.gettext("Sector")),
        [[Cell(label), *_figures(words, group)] for label, group in by_sector],
    )
    declined = int(totals.get("declined") or 0)
    total_reasons: Mapping[str, int] = totals.get("reasons") or {}
    chart = bars(
        "chart-engagement-reasons",
        words.gettext("Reasons for declining"),
        words.gettext(
            "One bar per reason: the declines giving it, and their share of all declines. "
            "The table below gives the same figures."
        ),
        [
            Bar(_named(names, code), float(count), words.count_share(int(count), declined))
            for code, count in total_reasons.items()
        ],
    )
    rate_chart = bars(
        "chart-engagement-rate",
        words.gettext("Participation rate by year"),
        words.gettext(
            "One bar per year: the share of settled invitations accepted. "
            "The table below gives the same figures."
        ),
        [
            Bar(label, float(group.get("participation_rate") or 0) * 100, _rate(words, group).text)
            for label, group in by_year
            if group.get("participation_rate") is not None
        ],
    )
    total_rows = [[Cell(words.gettext("All")), *_figures(words, totals)]]
    return ReportView(
        title=title,
        notes=notes,
        sections=(
            Section(
                words.gettext("In all"),
                table=_table(words, _figure_columns(words, words.gettext("Invitations")), total_rows),
            ),
            Section(
                words.gettext("By year"),
                chart=rate_chart if rate_chart.elements else None,
                table=year_table,
            ),
            Section(words.gettext("By sector"), table=sector_table),
            Section(
                words.gettext("Reasons for declining"),
                chart=chart if chart.elements else None,
                table=_reasons_table(
                    words, words.gettext("Invitations"), [(words.gettext("All"), totals)], names
                ),
            ),
            Section(
                words.gettext("Reasons for declining by year"),
                table=_reasons_table(words, words.gettext("Year"), by_year, names),
            ),
            Section(
                words.gettext("Reasons for declining by sector"),
                table=_reasons_table(words, words.gettext("Sector"), by_sector, names),
            ),
        ),
        data=_data(words, by_year, by_sector, names, report.get("reasons_known") or ()),
        filename=f"ncpflow-engagement-{year if year is not None else 'all-years'}",
        language=words.language,
    )


def _data(
    words: Words,
    by_year: Sequence[tuple[str, Mapping[str, Any]]],
    by_sector: Sequence[tuple[str, Mapping[str, Any]]],
    names: Mapping[str, str],
    known: Sequence[str],
) -> Table:
    """The CSV's table: one row per year, then one per sector, with every reason's count."""
    codes = list(
        dict.fromkeys([*known, *(c for _, g in [*by_year, *by_sector] for c in g.get("reasons") or {})])
    )
    columns = [
        Column(words.gettext("Grouped by")),
        *_figure_columns(words, words.gettext("Group")),
        *(Column(_named(names, code), numeric=True) for code in codes),
    ]
    rows = []
    for grouping, groups in ((words.gettext("Year"), by_year), (words.gettext("Sector"), by_sector)):
        for label, group in groups:
            counts: Mapping[str, int] = group.get("reasons") or {}
            rows.append(
                [
                    Cell(grouping),
                    Cell(label),
                    *_figures(words, group),
                    *(_n(words, counts.get(code, 0)) for code in codes),
                ]
            )
    return _table(words, columns, rows)
