"""The reports as people read them, in English or Norwegian: titles, notes, charts and tables,
every name worded (stages, outcomes, statuses, lead decisions, skip reasons), numbers, shares
and dates in the language's own formatting.

One view per report (`timelines`, `annual`, `rotation`, `oecd`) from the report the use case
gives (`app.reports.*`, rules in states/reports.py); the report pages, the HTML files
(`ncpflow.report_html`) and the CSV downloads (`csv_text`) are all drawn from it, so they say
the same thing. Pure: the words come in a `Words` (the catalogue, the procedures' labels, the
language for Babel's number formats).

The CSV is for spreadsheets: headers and words in the chosen language (a view's `data` table),
numbers plain (digits, a point before decimals), shares as a percentage number in a column of
their own, dates ISO (YYYY-MM-DD, or YYYY-MM for a date known to the month only), UTF-8 with a
byte-order mark. Scripts read the JSON (`/api/reports/...`, `ncpflow report ... --json`), whose
keys and values stay the same in every language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import EllipsisType
from typing import TYPE_CHECKING, Any

from babel.numbers import format_decimal, format_percent

from ncpflow.charts import Bar, Drawing, bars
from ncpflow.web.i18n import PAGE_TERMS, PARTY_TYPES
from states import wording
from states.deadlines import human_date, human_month
from states.messages import N_, Translator
from translations import LOCALES, upper_first
from workflow import read_models

if TYPE_CHECKING:
    from workflow.application import Application

DASH = "—"

# ---- the words ----------------------------------------------------------------------------------

STATUSES = {"met": N_("met"), "exceeded": N_("exceeded"), "open": N_("open")}
# How a member came to lead a case (the rotation's lead decisions), and how a lead was given up.
LEAD_KINDS = {"opened": N_("new case"), "reassigned": N_("reassigned"), "recused": N_("after a recusal")}
GIVEN_UP = {"reassigned": N_("reassigned"), "recused": N_("recused")}
# Why the rotation passed a member over (states.members.Reason).
SKIP_REASONS = {
    "inactive": N_("inactive"),
    "recused": N_("recused from the case"),
    "hard_conflict": N_("hard conflict"),
    "soft_conflict": N_("soft conflict"),
    "on_leave": N_("on leave"),
}
EDITION_BOTH = N_("2011 and 2023")


class Words:
    """What a view is worded with: `tr` (the catalogue, with the configured procedure's labels:
    `Application.words`), the other procedures' words (`others`: the versions stored cases
    follow), and the language for Babel's numbers."""

    def __init__(self, language: str, tr: Translator, others: Sequence[Translator] = ()) -> None:
        self.language, self.tr, self.others = language, tr, tuple(others)
        self.locale = LOCALES.get(language, "en_GB")

    def gettext(self, message: str) -> str:
        return self.tr.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.tr.ngettext(singular, plural, n)

    def term(self, value: str) -> str:
        """A procedure's name (a stage, an outcome) by its label: the configured procedure's,
        else that of another procedure a case follows, else the catalogue's word."""
        for words in (self.tr, *self.others):
            if isinstance(words, wording.ProcedureWords):
                label = words.term(value)
                if label is not None:
                    return label
        return wording.term(value, self.tr)

    def number(self, value: float | None) -> str:
        if value is None:
            return DASH
        if isinstance(value, int) or float(value).is_integer():
            return str(format_decimal(int(value), locale=self.locale))
        return str(format_decimal(value, format="#,##0.#", locale=self.locale))

    def percent(self, share: float) -> str:
        return str(format_percent(share, locale=self.locale))

    def share(self, part: int, whole: int) -> str:
        """ "3 of 12 (25 %)"; the count alone when there is nothing to share."""
        if not whole:
            return self.number(part)
        return self.gettext("{part} of {whole} ({percent})").format(
            part=self.number(part), whole=self.number(whole), percent=self.percent(part / whole)
        )

    def count_share(self, part: int, whole: int) -> str:
        """A bar's figure: "3 (25 %)"."""
        if not whole:
            return self.number(part)
        return self.gettext("{count} ({percent})").format(
            count=self.number(part), percent=self.percent(part / whole)
        )

    def days(self, value: float | None) -> str:
        if value is None:
            return DASH
        return self.ngettext("{n} day", "{n} days", 1 if value == 1 else 2).format(n=self.number(value))

    def day(self, value: str | None) -> str:
        """A report's date (ISO; `2007-02` when known to the month only) as the language writes it."""
        if not value:
            return DASH
        if len(value) == 7:
            return human_month(date.fromisoformat(f"{value}-01"), self.tr)
        return human_date(date.fromisoformat(value), self.tr)

    def yes_no(self, value: bool) -> str:
        return self.gettext("yes") if value else self.gettext("no")

    def edition(self, value: str) -> str:
        return self.gettext(EDITION_BOTH) if value == "both" else value

    def named(self, table: Mapping[str, str], value: str) -> str:
        msgid = table.get(value)
        return self.gettext(msgid) if msgid else value.replace("_", " ")


def words_for(app: Application, language: str) -> Words:
    """The words of `app`'s reports in `language`: its catalogue, the configured procedure's
    labels, then those of the other versions stored cases follow."""
    configured = app.policy.procedure
    others = [app.words(language, procedure=p) for p in app.reports.procedures() if p is not configured]
    return Words(language, app.words(language), others)


def member_names(app: Application) -> dict[str, str]:
    """Members' names by id (the annual report counts leads by member id)."""
    return {member.id: member.name for member in app.members.list().members}


# ---- the view -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A table cell: its text; `value`, what the CSV gets (left out: the text; None: empty);
    `href`, a link on the pages (the case's page); `flag`, a mark ("exceeded")."""

    text: str
    value: str | int | float | EllipsisType | None = ...
    href: str | None = None
    flag: str = ""

    @property
    def data(self) -> str | int | float:
        """What the CSV holds."""
        return self.text if self.value is ... else "" if self.value is None else self.value


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False
    csv: str | None = None  # the CSV's header, when it says more ("Met in time (%)")


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    empty: str  # said when there are no rows

    def labelled(self) -> list[list[tuple[Column, Cell]]]:
        """Each row's cells with their columns (a stacked row labels each cell)."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Section:
    heading: str
    notes: tuple[str, ...] = ()
    chart: Drawing | None = None
    table: Table | None = None


@dataclass(frozen=True)
class ReportView:
    """A report worded: its title, notes, sections, the table its CSV holds and its file name
    (without the extension)."""

    title: str
    notes: tuple[str, ...]
    sections: tuple[Section, ...]
    data: Table
    filename: str
    language: str


def _int(value: Any) -> int:
    return int(value) if isinstance(value, int | float) else 0


def _n(words: Words, value: float | None) -> Cell:
    return Cell(words.number(value), value)


def _table(words: Words, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> Table:
    return Table(tuple(columns), tuple(tuple(row) for row in rows), words.gettext("Nothing to report."))


def _drawn(drawing: Drawing) -> Drawing | None:
    """The chart, unless it has no bars at all."""
    return drawing if any(element.tag == "rect" for element in drawing.elements) else None


def _approximate_note(words: Words, included: bool) -> str:
    return (
        words.gettext(
            "Day counts from dates known to the month only are approximate and counted in the medians."
        )
        if included
        else words.gettext(
            "Day counts from dates known to the month only are approximate and left out of the medians."
        )
    )


# ---- timelines ----------------------------------------------------------------------------------


def timelines(report: Mapping[str, Any], words: Words) -> ReportView:
    """`report timelines`: per stage and per case, days used against the indicative timeline."""
    year = report.get("year")
    cases = _int(report.get("cases"))
    title = words.gettext("Timeline compliance, {year}").format(
        year=year if year is not None else words.gettext("all years")
    )
    notes = (
        words.ngettext(
            "Computed from the audit log on {day}: {n} case received.",
            "Computed from the audit log on {day}: {n} cases received.",
            cases,
        ).format(day=words.day(report.get("as_of")), n=words.number(cases)),
        words.gettext(
            "Days used run from a stage's start to its end (or to the report's day), less the days "
            "the case was paused."
        ),
        _approximate_note(words, bool(report.get("approximate_included"))),
    )
    totals: Mapping[str, Mapping[str, Any]] = report.get("totals") or {}
    stage_columns = (
        Column(words.gettext("Stage")),
        Column(words.gettext("Finished"), numeric=True),
        Column(words.gettext("Still running"), numeric=True),
        Column(words.gettext("Met"), numeric=True),
        Column(words.gettext("Exceeded"), numeric=True),
        Column(words.gettext("Met in time"), numeric=True, csv=words.gettext("Met in time (%)")),
        Column(words.gettext("Median days used"), numeric=True),
        Column(words.gettext("90th percentile of days used"), numeric=True),
        Column(words.gettext("Approximate"), numeric=True),
    )
    stage_rows = []
    for stage, total in totals.items():
        finished, met = _int(total.get("finished")), _int(total.get("met"))
        share = total.get("share_met")
        stage_rows.append(
            (
                Cell(words.term(stage)),
                _n(words, finished),
                _n(words, _int(total.get("open"))),
                _n(words, met),
                _n(words, _int(total.get("exceeded"))),
                Cell(words.share(met, finished), round(share * 100, 2) if share is not None else None),
                _n(words, total.get("median_days")),
                _n(words, total.get("p90_days")),
                _n(words, _int(total.get("approximate"))),
            )
        )
    chart = bars(
        "chart-timelines",
        words.gettext("Median days used per stage"),
        words.gettext(
            "Bars: the median days the finished stages used; dashed lines: the indicative timeline. "
            "The table below gives the same figures."
        ),
        [
            Bar(
                words.term(stage),
                float(total.get("median_days") or 0),
                words.days(total.get("median_days")),
                total.get("indicative_days_median"),
            )
            for stage, total in totals.items()
        ],
        marker_label=words.gettext("indicative timeline"),
    )
    case_columns = (
        Column(words.gettext("Reference")),
        Column(words.gettext("Stage")),
        Column(words.gettext("Start")),
        Column(words.gettext("End")),
        Column(words.gettext("Days used"), numeric=True),
        Column(words.gettext("Paused days"), numeric=True),
        Column(words.gettext("Indicative days"), numeric=True),
        Column(words.gettext("Extensions"), numeric=True),
        Column(words.gettext("Days added by extensions"), numeric=True),
        Column(words.gettext("Status")),
        Column(words.gettext("Approximate")),
    )
    case_rows = []
    for row in report.get("stages") or ():
        status = str(row.get("status"))
        reference = str(row.get("reference"))
        case_rows.append(
            (
                Cell(reference, href=f"/cases/{reference}"),
                Cell(words.term(str(row.get("stage")))),
                Cell(words.day(row.get("start")), row.get("start")),
                Cell(words.day(row.get("end")), row.get("end")),
                _n(words, row.get("days_used")),
                _n(words, row.get("paused_days")),
                _n(words, row.get("indicative_days")),
                _n(words, row.get("extensions")),
                _n(words, row.get("extension_days")),
                Cell(words.named(STATUSES, status), flag="exceeded" if status == "exceeded" else ""),
                Cell(words.gettext("approximate") if row.get("approximate") else ""),
            )
        )
    per_case = _table(words, case_columns, case_rows)
    return ReportView(
        title=title,
        notes=notes,
        sections=(
            Section(
                words.gettext("Per stage"),
                chart=_drawn(chart),
                table=_table(words, stage_columns, stage_rows),
            ),
            Section(words.gettext("Per case and stage"), table=per_case),
        ),
        data=per_case,
        filename=f"ncpflow-timelines-{year if year is not None else 'all-years'}",
        language=words.language,
    )


# ---- annual ----------------------------------------------------------------------------------------

# The year's single figures, in the order the table gives them.
FIGURES = {
    "received": N_("Cases received"),
    "accepted": N_("Cases accepted"),
    "partially_accepted": N_("Of those, partially accepted (an issue not accepted)"),
    "not_accepted": N_("Concluded as not accepted"),
    "concluded": N_("Concluded, other than not accepted"),
    "examinations_begun": N_("Examinations begun"),
    "under_examination": N_("Under examination at the year's end"),
    "median_days_to_initial_assessment": N_("Median days to the initial assessment"),
    "median_days_to_conclusion": N_("Median days from receipt to conclusion, paused days apart"),
    "interim_agreements": N_("Interim agreements"),
    "later_agreements": N_("Agreements after a final statement"),
    "reviews_requested": N_("Procedural reviews requested"),
    "reviews_concluded": N_("Procedural reviews concluded"),
    "reprisal_risk_cases": N_("Cases received with a party at risk of reprisal"),
    "received_led": N_("Cases received that this NCP leads"),
    "received_led_jointly": N_("Of those, led jointly with another NCP"),
    "received_supported": N_("Cases received that this NCP supports"),
    "concluded_led": N_("Concluded cases that this NCP leads"),
    "concluded_supported": N_("Concluded cases that this NCP supports"),
}


def outcome_counts(report: Mapping[str, Any]) -> dict[str, int]:
    """The report's counts per final outcome: its keys beyond the declared figures (their names
    are the configured procedure's outcomes, in its order)."""
    declared = set(read_models.AnnualReport.model_fields)
    return {key: _int(value) for key, value in report.items() if key not in declared}


def annual(report: Mapping[str, Any], words: Words, names: Mapping[str, str] | None = None) -> ReportView:
    """`report annual`: the year's figures; `names` gives members' names by id (the leads)."""
    names = names or {}
    year = report.get("year")
    accepted, received = _int(report.get("accepted")), _int(report.get("received"))
    concluded, examined = _int(report.get("concluded")), _int(report.get("examinations_begun"))
    figure_rows = []
    data_rows: list[tuple[Cell, ...]] = []
    for key, label in FIGURES.items():
        value = report.get(key)
        text = (
            words.share(_int(value), accepted)
            if key == "partially_accepted"
            else words.number(value if isinstance(value, int | float) else None)
        )
        figure_rows.append((Cell(words.gettext(label)), Cell(text, value)))
        data_rows.append((Cell(words.gettext(label)), Cell(words.number(value), value)))

    def shares(
        counts: Mapping[str, int], whole: int, name: Callable[[str], str], what: str
    ) -> tuple[list[tuple[Cell, Cell]], list[Bar]]:
        rows, drawn = [], []
        for key, n in counts.items():
            rows.append((Cell(name(key)), Cell(words.share(n, whole), n)))
            drawn.append(Bar(name(key), n, words.count_share(n, whole)))
            data_rows.append((Cell(f"{what}: {name(key)}"), Cell(words.number(n), n)))
        return rows, drawn

    outcome_rows, outcome_bars = shares(
        outcome_counts(report), concluded, words.term, words.gettext("Final outcome")
    )
    result_rows, _ = shares(
        report.get("mediation_results_of_examined") or {},
        examined,
        words.term,
        words.gettext("Mediation result of an examined case"),
    )
    edition_rows, _ = shares(
        report.get("guidelines_editions") or {},
        received,
        words.edition,
        upper_first(words.gettext("Guidelines edition")),
    )
    lead_rows, _ = shares(
        report.get("leads") or {},
        received,
        lambda member: names.get(member, member),
        words.gettext("Cases led"),
    )
    count = Column(words.gettext("Cases"), numeric=True)
    chart = bars(
        "chart-outcomes",
        words.gettext("Concluded cases by final outcome"),
        words.gettext(
            "One bar per final outcome: the cases concluded in the year with it, and their share of "
            "the cases concluded. The table below gives the same figures."
        ),
        outcome_bars,
    )
    return ReportView(
        title=words.gettext("Annual report {year}").format(year=year),
        notes=(
            words.gettext("Computed from the audit log on {day}.").format(day=words.day(report.get("as_of"))),
            _approximate_note(words, bool(report.get("approximate_included"))),
        ),
        sections=(
            Section(
                words.gettext("The year in figures"),
                table=_table(
                    words,
                    (Column(words.gettext("Figure")), Column(words.gettext("Value"), numeric=True)),
                    figure_rows,
                ),
            ),
            Section(
                words.gettext("Concluded cases by final outcome"),
                notes=(
                    words.gettext("Shares are of the cases concluded in the year, other than not accepted."),
                ),
                chart=_drawn(chart),
                table=_table(words, (Column(words.gettext("Final outcome")), count), outcome_rows),
            ),
            Section(
                words.gettext("Examined cases by mediation result"),
                notes=(
                    words.gettext(
                        "Cases that went to examination this year, by how good offices ended; their "
                        "determinations count when the examination concludes."
                    ),
                ),
                table=_table(words, (Column(words.gettext("Mediation result")), count), result_rows),
            ),
            Section(
                words.gettext("Cases received by Guidelines edition"),
                table=_table(
                    words, (Column(upper_first(words.gettext("Guidelines edition"))), count), edition_rows
                ),
            ),
            Section(
                words.gettext("Leads per member"),
                notes=(words.gettext("The lead of each case received in the year."),),
                table=_table(
                    words,
                    (Column(words.gettext("Member")), Column(words.gettext("Cases led"), numeric=True)),
                    lead_rows,
                ),
            ),
        ),
        data=_table(
            words, (Column(words.gettext("Figure")), Column(words.gettext("Value"), numeric=True)), data_rows
        ),
        filename=f"ncpflow-annual-{year}",
        language=words.language,
    )


# ---- rotation ----------------------------------------------------------------------------------------


def _counted(words: Words, table: Mapping[str, str], counts: Mapping[str, int]) -> str:
    """ "recused: 1, reassigned: 2"; a dash for none."""
    return ", ".join(f"{words.named(table, key)}: {words.number(n)}" for key, n in counts.items()) or DASH


def rotation(report: read_models.RotationReport, words: Words) -> ReportView:
    """`report rotation`: per member, cases led in the period, leads given up, times passed
    over (by reason) and the open caseload now."""
    start = report.since.isoformat() if report.since else None
    end = report.until.isoformat() if report.until else None
    period = words.gettext("from {start} to {end}").format(
        start=words.day(start) if start else words.gettext("the start"),
        end=words.day(end) if end else words.gettext("today"),
    )
    led_total = sum(row.led for row in report.members)
    columns = (
        Column(words.gettext("Member")),
        Column(words.gettext("Active")),
        Column(words.gettext("Cases led"), numeric=True),
        Column(words.gettext("By kind of lead decision")),
        Column(words.gettext("Share of the cases led"), csv=words.gettext("Share of the cases led (%)")),
        Column(words.gettext("Given up")),
        Column(words.gettext("Passed over")),
        Column(words.gettext("Open cases led now"), numeric=True),
    )
    rows = [
        (
            Cell(row.name),
            Cell(words.yes_no(row.active)),
            _n(words, row.led),
            Cell(_counted(words, LEAD_KINDS, row.led_by_kind)),
            Cell(words.share(row.led, led_total), round(100 * row.led / led_total, 2) if led_total else None),
            Cell(_counted(words, GIVEN_UP, row.given_up)),
            Cell(_counted(words, SKIP_REASONS, row.skipped)),
            _n(words, row.open_caseload),
        )
        for row in report.members
    ]
    members = _table(words, columns, rows)
    chart = bars(
        "chart-rotation",
        words.gettext("Cases led per member"),
        words.gettext(
            "One bar per member: the cases given to them to lead in the period, and their share. "
            "The table below gives the same figures."
        ),
        [Bar(row.name, row.led, words.count_share(row.led, led_total)) for row in report.members],
    )
    skips = _table(
        words,
        (Column(words.gettext("Reason")), Column(words.gettext("Times"), numeric=True)),
        [
            (Cell(words.named(SKIP_REASONS, reason)), _n(words, n))
            for reason, n in report.skips_by_reason.items()
        ],
    )
    return ReportView(
        title=words.gettext("Rotation of the lead, {period}").format(period=period),
        notes=(
            words.ngettext(
                "{n} lead decision in the period.", "{n} lead decisions in the period.", report.decisions
            ).format(n=words.number(report.decisions)),
            words.gettext(
                "Decisions that found nobody to lead: {n}. Open cases without a lead now: {open}."
            ).format(n=words.number(report.without_lead), open=words.number(report.open_without_lead)),
        ),
        sections=(
            Section(words.gettext("Cases led per member"), chart=_drawn(chart), table=members),
            Section(words.gettext("Passed over, by reason"), table=skips),
        ),
        data=members,
        filename="ncpflow-rotation" + "".join(f"-{day}" for day in (start, end) if day),
        language=words.language,
    )


# ---- the OECD database's fields ----------------------------------------------------------------------

OECD_COLUMNS = {
    "reference": N_("Reference"),
    "lead_ncp": N_("Lead NCP"),
    "ncp_role": N_("This NCP's role"),
    "supporting_ncps": N_("Supporting NCPs"),
    "themes": N_("Guidelines chapters"),
    "guidelines_edition": N_("Guidelines edition"),
    "date_received": N_("Received"),
    "host_countries": N_("Host countries"),
    "submitter_type": N_("Type of submitter"),
    "enterprise_sector": N_("Sector of the enterprise"),
    "status": N_("Stage"),
    "mediation_result": N_("Mediation result"),
    "determination": N_("Determination"),
    "outcome": N_("Final outcome"),
    "date_concluded": N_("Concluded"),
    "partially_accepted": N_("Partially accepted"),
    "issues": N_("Issues"),
    "date_assessment_published": N_("Initial assessment published"),
    "date_mediation_agreed": N_("Mediation agreed"),
    "interim_agreements": N_("Interim agreements"),
    "later_agreements": N_("Agreements after a final statement"),
    "procedural_reviews": N_("Procedural reviews"),
}


def _issue(words: Words, issue: Mapping[str, Any]) -> str:
    decision = words.named(PAGE_TERMS, f"issue_{issue.get('decision')}")
    parts = [f"{issue.get('number')}: {', '.join(issue.get('chapters') or ())}", decision]
    if issue.get("decided_on"):
        parts[-1] += f" {words.day(issue['decided_on'])}"
    if issue.get("outcome"):
        parts.append(f"{words.term(str(issue['outcome']))} {words.day(issue.get('outcome_on'))}")
    return "; ".join(parts)


def _review(words: Words, review: Mapping[str, Any]) -> str:
    by = review.get("by")
    text = words.gettext("requested {day}").format(day=words.day(review.get("requested")))
    if by:
        text += f" ({words.named({**PARTY_TYPES, **PAGE_TERMS}, str(by))})"
    if review.get("concluded"):
        text += ", " + words.gettext("concluded {day}").format(day=words.day(review["concluded"]))
    return text


# This NCP's place in a case (`ncp_role`), in words.
NCP_POSITIONS = {"lead": N_("leads"), "joint_lead": N_("leads jointly"), "supporting": N_("supports")}


def _oecd_cell(words: Words, key: str, value: Any) -> Cell:
    if value is None or value == []:
        return Cell(DASH, None)
    if key == "ncp_role":
        return Cell(words.named(NCP_POSITIONS, str(value)), value)
    if key in {"status", "mediation_result", "determination", "outcome"}:
        return Cell(words.term(str(value)))
    if key.startswith("date_"):
        return Cell(words.day(str(value)), value)
    if key == "guidelines_edition":
        return Cell(words.edition(str(value)))
    if key == "partially_accepted":
        return Cell(words.yes_no(bool(value)))
    if key == "submitter_type":
        return Cell(", ".join(words.named(PARTY_TYPES, str(v)) for v in value))
    if key == "issues":
        return Cell(" | ".join(_issue(words, issue) for issue in value))
    if key == "procedural_reviews":
        return Cell(" | ".join(_review(words, review) for review in value))
    if key in {"interim_agreements", "later_agreements"}:
        return Cell(", ".join(words.day(str(v)) for v in value), ";".join(map(str, value)))
    if isinstance(value, list):
        return Cell(", ".join(map(str, value)))
    if key == "reference":
        return Cell(str(value), href=f"/cases/{value}")
    return Cell(str(value))


def oecd(rows: Sequence[Mapping[str, Any]], year: int | None, words: Words) -> ReportView:
    """`report oecd`: one row per case with the OECD database's fields, worded; the Guidelines'
    chapters by their titles."""
    keys = [key for key in OECD_COLUMNS if not rows or key in rows[0]]
    table = _table(
        words,
        [Column(upper_first(words.gettext(OECD_COLUMNS[key]))) for key in keys],
        [[_oecd_cell(words, key, row.get(key)) for key in keys] for row in rows],
    )
    return ReportView(
        title=words.gettext("OECD database fields, {year}").format(
            year=year if year is not None else words.gettext("all years")
        ),
        notes=(),
        sections=(Section(words.gettext("One row per case"), table=table),),
        data=table,
        filename=f"ncpflow-oecd-{year if year is not None else 'all-years'}",
        language=words.language,
    )


# ---- follow-up of commitments -----------------------------------------------------------------------

COMMITMENT_STATUSES = {
    "implemented": N_("implemented"),
    "partly": N_("partly implemented"),
    "not": N_("not implemented"),
    "unknown": N_("status unknown"),
}
NO_THEME = N_("No Guidelines chapter given")


def _follow_up_table(
    words: Words, first: str, rows: Sequence[read_models.FollowUpRow], key: Callable[[str], str]
) -> Table:
    columns = (
        Column(first),
        *(Column(upper_first(words.gettext(label)), numeric=True) for label in COMMITMENT_STATUSES.values()),
        Column(words.gettext("Commitments"), numeric=True),
        Column(words.gettext("Implementation rate"), csv=words.gettext("Implementation rate (%)")),
    )
    return _table(
        words,
        columns,
        [
            (
                Cell(key(row.key)),
                *(_n(words, row.counts.get(status, 0)) for status in COMMITMENT_STATUSES),
                _n(words, row.total),
                Cell(
                    DASH if row.rate is None else words.percent(row.rate),
                    None if row.rate is None else round(100 * row.rate, 1),
                ),
            )
            for row in rows
        ],
    )


def _rate_chart(
    ident: str, title: str, words: Words, rows: Sequence[tuple[str, float | None]]
) -> Drawing | None:
    chart = bars(
        ident,
        title,
        words.gettext(
            "One bar per row of the table below: the implementation rate of the commitments whose "
            "status is known. The table gives the same figures."
        ),
        [Bar(label, 100 * rate, words.percent(rate)) for label, rate in rows if rate is not None],
    )
    return _drawn(chart)


def theme_name(words: Words, theme: str) -> str:
    """A Guidelines chapter by its title in the reader's words; `none` said as such."""
    from states.guidelines import THEMES

    if theme == "none":
        return words.gettext(NO_THEME)
    return words.gettext(THEMES[theme]) if theme in THEMES else theme


def follow_up(report: read_models.FollowUpReport, words: Words) -> ReportView:
    """`report follow-up`: the commitments' current statuses and the implementation rate, by the
    year of their agreement or statement and by their case's Guidelines chapters. The notes say
    how the rate is counted (states/commitments.py)."""
    total = report.total
    rate = DASH if total.rate is None else words.percent(total.rate)
    by_year = _follow_up_table(words, words.gettext("Year"), report.by_year, lambda key: key)
    by_theme = _follow_up_table(
        words, words.gettext("Guidelines chapter"), report.by_theme, lambda key: theme_name(words, key)
    )
    everything = _follow_up_table(
        words,
        words.gettext("Year or Guidelines chapter"),
        [*report.by_year, *report.by_theme],
        lambda key: key if key.isdigit() else theme_name(words, key),
    )
    return ReportView(
        title=words.gettext("Follow-up of commitments, {year}").format(
            year=report.year if report.year is not None else words.gettext("all years")
        ),
        notes=(
            words.ngettext(
                "{n} commitment or recommendation; implementation rate {rate}.",
                "{n} commitments and recommendations; implementation rate {rate}.",
                total.total,
            ).format(n=words.number(total.total), rate=rate),
            words.gettext(
                "The implementation rate counts an implemented commitment as 1, a partly implemented "
                "one as ½ and one not implemented as 0, over the commitments whose status is known; "
                "those whose status is unknown (or not yet recorded) are left out of it and counted "
                "apart. A commitment counts in the year of its agreement or statement, and under each "
                "Guidelines chapter of its case."
            ),
        ),
        sections=(
            Section(
                words.gettext("By year of the agreement or statement"),
                chart=_rate_chart(
                    "chart-follow-up-years",
                    words.gettext("Implementation rate by year"),
                    words,
                    [(row.key, row.rate) for row in report.by_year],
                ),
                table=by_year,
            ),
            Section(
                words.gettext("By Guidelines chapter"),
                chart=_rate_chart(
                    "chart-follow-up-themes",
                    words.gettext("Implementation rate by Guidelines chapter"),
                    words,
                    [(theme_name(words, row.key), row.rate) for row in report.by_theme],
                ),
                table=by_theme,
            ),
        ),
        data=everything,
        filename="ncpflow-follow-up" + (f"-{report.year}" if report.year is not None else ""),
        language=words.language,
    )


# ---- CSV ------------------------------------------------------------------------------------------------


def csv_text(view: ReportView) -> str:
    """The view's data table as CSV (see the module's docstring): a byte-order mark, then a
    header row in the view's language, then one row per row."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.csv or column.label for column in view.data.columns])
    for row in view.data.rows:
        writer.writerow([cell.data for cell in row])
    return buffer.getvalue()
