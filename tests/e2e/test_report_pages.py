"""The reports in the app (timelines, annual, rotation): pages and downloads in English and
Norwegian, with charts and their tables, shares as percentages, a refused year as a 422 page, and
no party's name for any role."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from states.users import Role
from tests.conftest import ROOT, InProcessCli
from tests.helpers import sign_in
from workflow import cases, queries, rotation, users
from workflow.bootstrap import Services, bootstrap
from workflow.clock import FixedClock
from workflow.config import load_settings
from workflow.rotation import sync_members

PASSWORD = "correct horse battery"
SECRET = "Kari Hemmelig Fjordvern"  # a confidential submitter
PUBLIC = "Friends of the Fjord"
NAMES = {Role.HANDLER: "hanna", Role.MEMBER: "mari", Role.AUDITOR: "aud", Role.ADMIN: "root"}
PAGES = ["/reports", "/reports/timelines", "/reports/annual?year=2025", "/reports/rotation"]
DOWNLOADS = [
    f"/reports/{name}.{suffix}{query}"
    for name, query in (("timelines", "?year=2025"), ("annual", "?year=2025"), ("rotation", ""))
    for suffix in ("html", "csv")
]
# Internal names that must never reach a reader.
RAW = re.compile(
    r"initial_assessment|good_offices|final_statement|not_accepted|no_agreement|"
    r"enterprise_declined|hard_conflict|soft_conflict|on_leave|per_case|share_met|median_days|"
    r"days_used|recused_|\bopened\b"
)


@dataclass
class Reports:
    client: TestClient
    services: Services
    references: list[str]

    def sign_in(self, name: str = "hanna") -> None:
        self.client.cookies.clear()
        answer = sign_in(self.client, name, PASSWORD)
        assert answer.status_code == 303, answer.text

    def get(self, path: str, status: int = 200) -> str:
        answer = self.client.get(path, follow_redirects=False)
        assert answer.status_code == status, (path, answer.status_code, answer.text[:500])
        return answer.text


def _step(services: Services, reference: str, trigger: str, on: date, outcome: str | None = None) -> None:
    cases.advance(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference=reference,
        trigger=trigger,
        actor="hanna",
        reason=f"{trigger} for {SECRET}",
        outcome=outcome,
        at=on,
    )


def _cases(services: Services) -> list[str]:
    """Four cases of 2025: A accepted in time and concluded with an agreement; B rejected late
    (not accepted); C accepted and concluded without agreement; D still in initial assessment
    (its lead recused, so the rotation passes them over). A's submitter is confidential."""
    notices = rotation.Notices(services.settings, services.render)

    def opened(received: date, submitter: cases.PartyInput) -> str:
        return cases.open_case(
            uow=services.uow,
            clock=services.clock,
            policy=services.policy,
            reference_prefix="NCP",
            title=f"Tailings of {submitter.name}",
            submitters=[submitter],
            enterprises=[cases.PartyInput("Nordic Metals ASA")],
            actor="hanna",
            received=received,
            sector=f"Mining, as {submitter.name} says",
            guidelines_edition="2023",
            notices=notices,
        ).reference

    a = opened(date(2025, 1, 10), cases.PartyInput(SECRET, "ngo", confidential=True))
    _step(services, a, "begin_assessment", date(2025, 1, 13))
    _step(services, a, "accept", date(2025, 3, 1))
    _step(services, a, "conclude", date(2025, 6, 2), "agreement")
    b = opened(date(2025, 2, 1), cases.PartyInput(PUBLIC, "trade_union"))
    _step(services, b, "begin_assessment", date(2025, 2, 3))
    _step(services, b, "reject", date(2025, 8, 1), "not_accepted")
    c = opened(date(2025, 3, 3), cases.PartyInput(PUBLIC, "ngo"))
    _step(services, c, "begin_assessment", date(2025, 3, 4))
    _step(services, c, "accept", date(2025, 4, 1))
    _step(services, c, "conclude", date(2025, 9, 1), "no_agreement")
    d = opened(date(2025, 10, 1), cases.PartyInput(PUBLIC, "ngo"))
    _step(services, d, "begin_assessment", date(2025, 10, 2))
    lead = queries.get_case(uow=services.uow, reference=d).lead_member
    assert lead is not None
    rotation.recuse(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference=d,
        member=lead,
        actor="hanna",
        reason="Former employer",
        notices=notices,
    )
    return [a, b, c, d]


def _user(services: Services, name: str, role: Role, member: str | None = None) -> None:
    users.add_user(
        uow=services.uow,
        clock=services.clock,
        name=name,
        role=role,
        member_id=member,
        actor="test",
        password=PASSWORD,
    )


@pytest.fixture
def reports(sqlite_url: str) -> Iterator[Reports]:
    clock = FixedClock(datetime(2025, 12, 15, 9, 0, tzinfo=UTC))
    settings = load_settings(ROOT / "config.toml", database_url=sqlite_url)  # language = "nb"
    services = bootstrap(settings, clock=clock)
    sync_members(uow=services.uow, clock=clock, settings=settings)
    references = _cases(services)
    _user(services, "hanna", Role.HANDLER)
    with TestClient(create_app(services, secret="test-secret")) as client:
        made = Reports(client, services, references)
        made.sign_in()
        yield made
    services.close()


def _visible(page: str) -> str:
    """A page's text without its tags, entities read."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_reports_are_reached_from_the_navigation_in_both_languages(reports: Reports) -> None:
    """Every page's header links to /reports; the index links each report, worded in the language."""
    dashboard = reports.get("/?lang=en")
    assert '<a href="/reports"' in dashboard and ">Reports<" in dashboard
    index = reports.get("/reports?lang=en")
    assert 'aria-current="page">Reports<' in index
    for name in ("timelines", "annual", "rotation"):
        assert f'href="/reports/{name}"' in index
    assert "Timeline compliance" in index and "Annual report" in index
    norsk = reports.get("/reports?lang=nb")
    assert ">Rapporter<" in norsk and "Overholdelse av tidsfrister" in norsk and "Årsrapport" in norsk


def test_the_timelines_page_shows_shares_as_percentages_and_a_chart_with_its_table(
    reports: Reports,
) -> None:
    """Per stage: met "2 of 3 (67%)", the median days charted in SVG with a title and a
    description, the same figures in a table; stages and statuses worded, dates local."""
    page = reports.get("/reports/timelines?year=2025&lang=en")
    text = _visible(page)
    assert "Timeline compliance, 2025" in text
    assert "2 of 3 (67%)" in text  # A and C met the initial assessment in time, B did not
    assert re.search(
        r'<svg [^>]*role="img" aria-labelledby="chart-timelines-title chart-timelines-desc"', page
    )
    assert '<title id="chart-timelines-title">Median days used per stage</title>' in page
    assert '<desc id="chart-timelines-desc">' in page and "style=" not in page
    assert "initial assessment" in text and "good offices" in text and "exceeded" in text
    assert "10 Jan 2025" in text  # a local date, as the pages write dates
    assert f'<a href="/cases/{reports.references[0]}">' in page
    assert not RAW.search(text), RAW.search(text)


def test_the_norwegian_timelines_page_words_every_figure_in_norwegian(reports: Reports) -> None:
    """nb: "2 av 3 (67 %)" with a no-break space, Norwegian stage names and headings, no English."""
    page = reports.get("/reports/timelines?year=2025&lang=nb")
    text = _visible(page)
    assert '<html lang="nb">' in page
    assert "2 av 3 (67\u00a0%)" in text
    for norsk in ("Overholdelse av tidsfrister, 2025", "første vurdering", "dialog og mekling", "Per fase"):
        assert norsk in text, norsk
    assert "overskredet" in text and "10. jan. 2025" in text
    english = (
        "Median days",
        "Per stage",
        "Finished",
        "exceeded",
        " of 3 ",
        "Timeline compliance",
        "Download",
    )
    assert not [word for word in english if word in text]
    assert not RAW.search(text), RAW.search(text)


def test_the_annual_page_gives_each_final_outcome_its_share_of_the_concluded_cases(
    reports: Reports,
) -> None:
    """Two cases concluded in 2025 other than not accepted: one with agreement "1 of 2 (50%)";
    the outcomes charted; the year's figures tabled; leads by member name; nb formats too."""
    page = reports.get("/reports/annual?year=2025&lang=en")
    text = _visible(page)
    assert "Annual report 2025" in text and 'value="2025"' in page
    assert "1 of 2 (50%)" in text and "agreement" in text and "no agreement" in text
    assert '<title id="chart-outcomes-title">Concluded cases by final outcome</title>' in page
    assert "Concluded as not accepted" in text and "Cases received" in text
    members = {m.id: m.name for m in reports.services.members.list().members}
    assert any(name in text for name in members.values())
    assert not RAW.search(text), RAW.search(text)
    norsk = _visible(reports.get("/reports/annual?year=2025&lang=nb"))
    assert "Årsrapport 2025" in norsk and "1 av 2 (50\u00a0%)" in norsk and "enighet" in norsk
    assert "Året i tall" in norsk and "The year in figures" not in norsk


def test_the_annual_page_without_a_year_shows_this_year(reports: Reports) -> None:
    """Left out, the year is this year's (the NCP's today), shown in the form."""
    page = reports.get("/reports/annual?lang=en")
    assert "Annual report 2025" in page and 'value="2025"' in page


def test_the_rotation_page_words_lead_decisions_and_skip_reasons(reports: Reports) -> None:
    """Per member: cases led with their share, leads given up and times passed over, worded;
    the period chooser keeps the days asked for."""
    page = reports.get("/reports/rotation?from=2025-01-01&to=2025-12-31&lang=en")
    text = _visible(page)
    assert "Rotation of the lead, from 1 Jan 2025 to 31 Dec 2025" in text
    assert 'value="2025-01-01"' in page and 'value="2025-12-31"' in page
    assert "recused: 1" in text and "recused from the case: 1" in text
    assert re.search(r"\d+ of 5 \(\d+%\)", text), text  # four cases opened, one handed on
    assert '<title id="chart-rotation-title">Cases led per member</title>' in page
    assert not RAW.search(text), RAW.search(text)
    norsk = _visible(reports.get("/reports/rotation?lang=nb"))
    assert "Rotasjon av saksansvar, fra starten til i dag" in norsk
    assert "trådt til side i saken: 1" in norsk and "Forbigått, etter grunn" in norsk


REFUSED = [
    ("/reports/annual?year=abc&lang=en", "Year must be a whole number from 1976 to 2199, not &#39;abc&#39;"),
    ("/reports/timelines?year=1900&lang=en", "Year must be a whole number from 1976 to 2199"),
    ("/reports/annual?year=abc&lang=nb", "År må være"),
    ("/reports/rotation?from=2025-05-01&to=2025-01-01&lang=en", "To 2025-01-01 is before From 2025-05-01"),
    ("/reports/rotation?from=2025-05-01&to=2025-01-01&lang=nb", "Til 2025-01-01 er før Fra 2025-05-01"),
    ("/reports/rotation?from=yesterday&lang=en", "From &#39;yesterday&#39; is not a date"),
    ("/reports/annual.csv?year=99999&lang=en", "Year must be a whole number"),
    ("/reports/rotation.html?to=2025-02-30&lang=nb", "Til"),
]


def test_a_bad_year_or_period_answers_422_naming_the_field_in_the_page_language(reports: Reports) -> None:
    """A refused choice is the report's page, 422, the field named by its label, the typed value
    kept in the form; never a 500, and no download."""
    for path, words in REFUSED:
        answer = reports.client.get(path)
        assert answer.status_code == 422, (path, answer.text)
        assert answer.headers["content-type"].startswith("text/html"), path
        assert "content-disposition" not in answer.headers, path
        assert words in answer.text, (path, answer.text)
        assert 'role="alert"' in answer.text and "<svg" not in answer.text, path
        if "year=abc" in path:
            assert 'value="abc"' in answer.text, path


def test_the_downloads_are_files_in_the_language_chosen(reports: Reports) -> None:
    """HTML: a whole document with lang, viewport and chart, in nb when asked; CSV: headers and
    words in the language, plain numbers, shares as percentage numbers; both attachments."""
    answer = reports.client.get("/reports/timelines.html?year=2025&lang=nb")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="ncpflow-timelines-2025-nb.html"'
    document = answer.text
    assert document.startswith("<!DOCTYPE html>") and '<html lang="nb">' in document
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in document
    assert "<svg" in document and "<desc" in document and "2 av 3 (67\u00a0%)" in document
    assert "<script" not in document and "/cases/" not in document  # a file stands alone
    answer = reports.client.get("/reports/timelines.csv?year=2025&lang=nb")
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"] == 'attachment; filename="ncpflow-timelines-2025-nb.csv"'
    assert answer.text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(answer.text.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["Referanse", "Fase", "Start"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Fase"] == "første vurdering" and first["Start"] == "2025-01-10"
    assert first["Brukte dager"].isdigit()
    annual = reports.client.get("/reports/annual.csv?year=2025&lang=en")
    assert annual.headers["content-disposition"] == 'attachment; filename="ncpflow-annual-2025-en.csv"'
    figures = dict(list(csv.reader(io.StringIO(annual.text.removeprefix("\ufeff"))))[1:])
    assert figures["Cases received"] == "4" and figures["Final outcome: agreement"] == "1"
    rotation_csv = reports.client.get("/reports/rotation.csv?lang=en").text.removeprefix("\ufeff")
    header = next(csv.reader(io.StringIO(rotation_csv)))
    assert header[:5] == [
        "Member",
        "Active",
        "Cases led",
        "By kind of lead decision",
        "Share of the cases led (%)",
    ]


def test_every_role_reads_every_report_and_none_sees_a_partys_name(reports: Reports) -> None:
    """Each role, each page and download, in en and nb: 200, and no submitter's or enterprise's
    name (the confidential one least of all); free text is redacted for every reader."""
    lead = queries.get_case(uow=reports.services.uow, reference=reports.references[0]).lead_member
    for role, name in NAMES.items():
        if role is not Role.HANDLER:
            _user(reports.services, name, role, lead if role is Role.MEMBER else None)
    for role, name in NAMES.items():
        reports.sign_in(name)
        for path in PAGES + DOWNLOADS:
            for lang in ("en", "nb"):
                sep = "&" if "?" in path else "?"
                text = reports.get(f"{path}{sep}lang={lang}")
                for party in (SECRET, "Hemmelig", PUBLIC, "Nordic Metals"):
                    assert party not in text, (role, path, lang, party)


def test_the_command_line_writes_the_html_report_in_the_language_asked_for(
    reports: Reports, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`report annual --format html` follows [ncp] language (nb); `--lang en` asks for English."""
    ncp = InProcessCli(capsys, monkeypatch, reports.services.settings.database.url, ROOT / "config.toml")
    norsk = ncp("report", "annual", "--year", "2025", "--format", "html")
    assert norsk.returncode == 0, norsk.stderr
    assert '<html lang="nb">' in norsk.stdout and "Årsrapport 2025" in norsk.stdout
    assert "1 av 2 (50\u00a0%)" in norsk.stdout
    english = ncp("report", "rotation", "--format", "html", "--lang", "en")
    assert english.returncode == 0, english.stderr
    assert '<html lang="en">' in english.stdout and "Rotation of the lead" in english.stdout
    assert ncp("report", "timelines", "--format", "html", "--language", "fr").returncode == 2


@pytest.mark.slow
def test_the_report_pages_and_files_fit_a_phone_and_draw_their_charts_in_chromium(reports: Reports) -> None:
    """At 390 px, in en and nb: each report page (served by the app in this process, its CSP
    in force) and each HTML file is no wider than the screen, draws its chart, and breaks no
    Content-Security-Policy rule; screenshots go to test-artifacts/."""
    from tests.e2e.browser import ARTIFACTS, CHROMIUM, browser_missing

    missing = browser_missing()
    if missing:
        pytest.skip(missing)
    from playwright.sync_api import Route, sync_playwright

    origin = "http://reports.test"

    def serve(route: Route) -> None:
        answer = reports.client.get(route.request.url.removeprefix(origin), follow_redirects=False)
        route.fulfill(status=answer.status_code, headers=dict(answer.headers), body=answer.content)

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            complaints: list[str] = []
            page.on("console", lambda message: complaints.append(message.text))
            page.route(f"{origin}/**", serve)
            for lang in ("en", "nb"):
                for name, query in (("timelines", "year=2025"), ("annual", "year=2025"), ("rotation", "")):
                    page.goto(f"{origin}/reports/{name}?{query}&lang={lang}")
                    assert page.evaluate("document.documentElement.scrollWidth") <= 390, (name, lang)
                    box = page.locator("svg.chart").first.bounding_box()
                    assert box is not None and 100 < box["width"] <= 390 and box["height"] > 40, (name, box)
                    page.screenshot(path=str(ARTIFACTS / f"report-{name}-390-{lang}.png"), full_page=True)
                    page.goto("about:blank")  # a file of its own: not under the app's CSP
                    page.set_content(reports.client.get(f"/reports/{name}.html?{query}&lang={lang}").text)
                    assert page.evaluate("document.documentElement.scrollWidth") <= 390, (name, lang)
                    assert page.locator("svg.chart rect").count() >= 1
            assert not [text for text in complaints if "Content Security Policy" in text], complaints
        finally:
            browser.close()
