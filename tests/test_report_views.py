"""The reports worded (ncpflow/report_views.py) and charted (ncpflow/charts.py), without a
database: shares as percentages in each language's format, names worded, the chart's elements,
the CSV's columns."""

from __future__ import annotations

import csv
import io

from ncpflow import charts, report_html, report_views
from ncpflow.report_views import Words
from states.messages import ENGLISH
from tests.helpers import OECD
from workflow import procedures, read_models

ENGLISH_WORDS = Words("en", ENGLISH)
NORSK = Words("nb", procedures.words(OECD, "nb"))


def test_a_bar_chart_is_its_bars_markers_and_legend_as_svg_elements() -> None:
    """One label, bar and figure per item, scaled to the largest value or marker; a dashed
    marker line where given, and its legend; presentation attributes only."""
    drawing = charts.bars(
        "c",
        "Days",
        "What the bars are",
        [charts.Bar("first", 50, "50 days", 100), charts.Bar("second", 100, "100 days")],
        marker_label="indicative",
    )
    rects = [dict(e.attributes) for e in drawing.elements if e.tag == "rect"]
    assert len(rects) == 2 and float(rects[0]["width"]) * 2 == float(rects[1]["width"])
    lines = [dict(e.attributes) for e in drawing.elements if e.tag == "line"]
    assert len(lines) == 2 and all(line["stroke-dasharray"] for line in lines)  # the marker, the legend's
    texts = [e.text for e in drawing.elements if e.tag == "text"]
    assert texts == ["first", "50 days", "second", "100 days", "indicative"]
    assert not any(name == "style" for e in drawing.elements for name, _ in e.attributes)
    plain = charts.bars("d", "t", "d", [charts.Bar("x" * 80, 1, "1")], marker_label="unused")
    assert next(e.text for e in plain.elements if e.tag == "text").endswith("…")  # a label fits its column
    assert not [e for e in plain.elements if e.tag == "line"]


def test_the_chart_is_written_out_with_its_title_and_description_escaped() -> None:
    """The template labels the SVG by its title and description; text is escaped."""
    drawing = charts.bars("c1", "A <b> & c", 'Desc "quoted"', [charts.Bar("<i>", 2, "2")])
    view = report_views.ReportView(
        "T", (), (report_views.Section("S", chart=drawing),), _empty_table(), "f", "en"
    )
    page = report_html.document(view)
    assert 'role="img" aria-labelledby="c1-title c1-desc"' in page
    assert '<title id="c1-title">A &lt;b&gt; &amp; c</title>' in page
    assert "&lt;i&gt;" in page and "<i>" not in page and "style=" not in page.split("</style>")[1]


def _empty_table() -> report_views.Table:
    return report_views.Table((), (), "nothing")


def test_shares_numbers_and_dates_follow_the_language() -> None:
    """English "3 of 12 (25%)"; Norwegian "3 av 12 (25 %)" with a no-break space and a decimal
    comma; month-only dates as months."""
    assert ENGLISH_WORDS.share(3, 12) == "3 of 12 (25%)"
    assert NORSK.share(3, 12) == "3 av 12 (25\u00a0%)"
    assert NORSK.share(0, 0) == "0"
    assert NORSK.number(45.5) == "45,5" and ENGLISH_WORDS.number(45.5) == "45.5"
    assert NORSK.number(1234) == "1\u00a0234"
    assert NORSK.days(1) == "1 dag" and NORSK.days(90.5) == "90,5 dager"
    assert ENGLISH_WORDS.day("2025-01-31") == "31 Jan 2025" and ENGLISH_WORDS.day("2007-02") == "Feb 2007"
    assert NORSK.day("2025-01-31") == "31. jan. 2025"
    assert (
        NORSK.term("initial_assessment") == "første vurdering"
        and NORSK.term("no_agreement") == "ingen enighet"
    )


TIMELINES = {
    "year": 2025,
    "as_of": "2025-12-15",
    "cases": 2,
    "approximate_included": False,
    "stages": [
        {
            "reference": "NCP-2025-001",
            "stage": "initial_assessment",
            "start": "2025-01-10",
            "end": "2025-06-30",
            "finished": True,
            "elapsed_days": 171,
            "paused_days": 0,
            "days_used": 171,
            "indicative_days": 90,
            "extensions": 0,
            "extension_days": 0,
            "allowed_days": 90,
            "status": "exceeded",
            "approximate": False,
        },
        {
            "reference": "NCP-2025-002",
            "stage": "initial_assessment",
            "start": "2007-02",
            "end": None,
            "finished": False,
            "elapsed_days": 10,
            "paused_days": 0,
            "days_used": 10,
            "indicative_days": 90,
            "extensions": 0,
            "extension_days": 0,
            "allowed_days": 90,
            "status": "open",
            "approximate": True,
        },
    ],
    "totals": {
        "initial_assessment": {
            "finished": 4,
            "open": 1,
            "met": 1,
            "exceeded": 3,
            "share_met": 0.25,
            "median_days": 120.5,
            "p90_days": 171,
            "indicative_days_median": 90.0,
            "approximate": 0,
        }
    },
}


def test_the_timelines_view_words_stages_statuses_and_the_share_met() -> None:
    """Per stage "1 of 4 (25%)", the median charted against the indicative days; per case the
    stage and status worded, an exceeded stage flagged, a month-only start shown as a month."""
    view = report_views.timelines(TIMELINES, NORSK)
    per_stage, per_case = view.sections
    assert per_stage.chart is not None and per_stage.table is not None
    first = [cell.text for cell in per_stage.table.rows[0]]
    assert first[0] == "første vurdering" and "1 av 4 (25\u00a0%)" in first and "120,5" in first
    assert [e.text for e in per_stage.chart.elements if e.tag == "text"][:2] == [
        "første vurdering",
        "120,5 dager",
    ]
    assert per_case.table is not None
    exceeded, running = per_case.table.rows
    assert exceeded[9].text == "overskredet" and exceeded[9].flag == "exceeded"
    assert running[2].text == "februar 2007" and running[10].text == "omtrentlig"
    assert view.filename == "ncpflow-timelines-2025" and view.language == "nb"


def test_the_csv_has_worded_headers_plain_numbers_and_iso_dates() -> None:
    """A byte-order mark, the headers in the language, ISO dates (a month as YYYY-MM), plain
    numbers, an empty end for a running stage."""
    text = report_views.csv_text(report_views.timelines(TIMELINES, ENGLISH_WORDS))
    assert text.startswith("\ufeffReference,Stage,Start,End,Days used")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1][:5] == ["NCP-2025-001", "initial assessment", "2025-01-10", "2025-06-30", "171"]
    assert rows[2][2:4] == ["2007-02", ""] and rows[2][-1] == "approximate"


def test_the_annual_view_gives_outcomes_their_share_of_the_concluded_cases() -> None:
    """Outcome counts are the keys beyond the declared figures; each is a share of `concluded`;
    editions "both" worded; leads by the member's name; the CSV lists every figure."""
    report = {
        "year": 2025,
        "as_of": "2025-12-31",
        "received": 4,
        "accepted": 2,
        "partially_accepted": 1,
        "not_accepted": 1,
        "concluded": 4,
        "agreement": 3,
        "no_agreement": 1,
        "examinations_begun": 0,
        "mediation_results_of_examined": {},
        "under_examination": 0,
        "median_days_to_initial_assessment": 45.5,
        "median_days_to_conclusion": None,
        "interim_agreements": 0,
        "later_agreements": 0,
        "reviews_requested": 0,
        "reviews_concluded": 0,
        "guidelines_editions": {"both": 2},
        "leads": {"member-b": 4},
    }
    assert report_views.outcome_counts(report) == {"agreement": 3, "no_agreement": 1}
    view = report_views.annual(report, ENGLISH_WORDS, {"member-b": "Member B"})
    figures, outcomes, _, editions, leads = (section.table for section in view.sections)
    assert figures is not None and outcomes is not None and editions is not None and leads is not None
    shown = {row[0].text: row[1].text for row in figures.rows}
    assert shown["Of those, partially accepted (an issue not accepted)"] == "1 of 2 (50%)"
    assert shown["Median days to the initial assessment"] == "45.5"
    assert shown["Median days from receipt to conclusion, paused days apart"] == "—"
    assert [(row[0].text, row[1].text) for row in outcomes.rows] == [
        ("agreement", "3 of 4 (75%)"),
        ("no agreement", "1 of 4 (25%)"),
    ]
    assert editions.rows[0][0].text == "2011 and 2023" and leads.rows[0][0].text == "Member B"
    data = dict(list(csv.reader(io.StringIO(report_views.csv_text(view).removeprefix("\ufeff"))))[1:])
    assert (
        data["Final outcome: no agreement"] == "1" and data["Median days to the initial assessment"] == "45.5"
    )
    assert data["Median days from receipt to conclusion, paused days apart"] == ""


def test_the_rotation_view_words_kinds_and_reasons_and_shares_the_cases_led() -> None:
    """Given up and passed over by their words, the share of the cases led, the period in words."""
    report = read_models.RotationReport.model_validate(
        {
            "from": "2025-01-01",
            "to": None,
            "decisions": 4,
            "members": [
                {
                    "member": "chair",
                    "name": "Chair",
                    "active": True,
                    "led": 3,
                    "led_by_kind": {"opened": 2, "recused": 1},
                    "given_up": {},
                    "skipped": {"hard_conflict": 1},
                    "open_caseload": 2,
                },
                {
                    "member": "member-b",
                    "name": "Member B",
                    "active": False,
                    "led": 1,
                    "led_by_kind": {"opened": 1},
                    "given_up": {"recused": 1},
                    "skipped": {},
                    "open_caseload": 0,
                },
            ],
            "skips_by_reason": {"hard_conflict": 1, "on_leave": 2},
            "without_lead": 0,
            "open_without_lead": 1,
        }
    )
    view = report_views.rotation(report, NORSK)
    assert view.title == "Rotasjon av saksansvar, fra 1. jan. 2025 til i dag"
    members, skips = (section.table for section in view.sections)
    assert members is not None and skips is not None
    chair, other = ([cell.text for cell in row] for row in members.rows)
    assert chair[:4] == ["Chair", "ja", "3", "ny sak: 2, etter at saksansvarlig trådte til side: 1"]
    assert chair[4] == "3 av 4 (75\u00a0%)" and chair[6] == "inhabil: 1"
    assert other[1] == "nei" and other[5] == "trådt til side: 1"
    assert [row[0].text for row in skips.rows] == ["inhabil", "permisjon"]
    assert view.filename == "ncpflow-rotation-2025-01-01"


def test_the_oecd_view_words_its_columns_and_values_in_norwegian() -> None:
    """`report oecd --format html --language nb`: headers, stage, results, submitter types,
    issues and reviews worded; the chapters by the Guidelines' own titles."""
    row = {
        "reference": "NCP-2025-001",
        "lead_ncp": "NO",
        "supporting_ncps": ["SE"],
        "themes": ["VI. Environment"],
        "guidelines_edition": "both",
        "date_received": "2025-01-31",
        "host_countries": ["BR"],
        "submitter_type": ["trade_union"],
        "enterprise_sector": None,
        "status": "final_statement",
        "mediation_result": "no_agreement",
        "determination": "determination",
        "outcome": None,
        "date_concluded": None,
        "partially_accepted": False,
        "issues": [
            {
                "number": 1,
                "chapters": ["VI. Environment"],
                "decision": "accepted",
                "decided_on": "2025-04-01",
                "outcome": "agreement",
                "outcome_on": "2025-09-01",
            }
        ],
        "date_assessment_published": "2025-04-10",
        "date_mediation_agreed": None,
        "interim_agreements": [],
        "later_agreements": [],
        "procedural_reviews": [{"requested": "2026-01-05", "by": "enterprise", "concluded": None}],
    }
    view = report_views.oecd([row], 2025, NORSK)
    table = view.sections[0].table
    assert table is not None
    cells = {column.label: cell.text for column, cell in table.labelled()[0]}
    assert cells["Ledende kontaktpunkt"] == "NO" and cells["Utgave av retningslinjene"] == "2011 og 2023"
    assert cells["Fase"] == "sluttuttalelse" and cells["Resultat av dialog og mekling"] == "ingen enighet"
    assert cells["Type klager"] == "fagforening"
    assert (
        cells["Klagepunkter"]
        == "1: VI. Environment; tatt opp til behandling 1. apr. 2025; enighet 1. sep. 2025"
    )
    assert cells["Prosessuelle gjennomganger"] == "bedt om 5. jan. 2026 (virksomhet)"
    assert cells["Endelig utfall"] == "—" and view.title == "Feltene i OECDs database, 2025"
