"""The pages in a real headless Chromium against a real `ncpflow serve` on a loopback port.

Sign in, open a case, advance it with a reason and see the new stage and its audit entry;
an auditor gets no advance form and sees pseudonyms; a case title carrying a script is shown
as text on every page; a form post without a valid CSRF token is refused with 403.
Screenshots go to test-artifacts/ (gitignored).

Skipped when /usr/bin/chromium (or the playwright package) is missing, unless
NCPFLOW_REQUIRE_BROWSER is set, as .ci/run does: then a missing browser fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from states.pseudonyms import pseudonym
from tests.e2e.browser import SITE_CONFIG as CONFIG
from tests.e2e.browser import chromium, require_browser, screenshot, served, site_files
from workflow import cases, rotation, users
from workflow.bootstrap import bootstrap
from workflow.config import load_settings

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
XSS = "<script>alert('xss')</script><img src=x onerror=alert(2)> Fjord & Co"


@dataclass
class Site:
    base: str
    xss_ref: str
    other_ref: str
    lead_of_xss: str | None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Site]:
    require_browser()
    work, config, url = site_files(tmp_path_factory.mktemp("pages"), sqlite_template, CONFIG)

    services = bootstrap(load_settings(config, database_url=url))
    try:
        rotation.sync_members(uow=services.uow, clock=services.clock, settings=services.settings)
        xss = cases.open_case(
            uow=services.uow,
            clock=services.clock,
            policy=services.policy,
            reference_prefix="NCP",
            title=XSS,
            actor="setup",
            submitters=[cases.PartyInput("Hidden Witness Union", confidential=True)],
            enterprises=[cases.PartyInput("Fjord Mining ASA")],
        )
        other = cases.open_case(
            uow=services.uow,
            clock=services.clock,
            policy=services.policy,
            reference_prefix="NCP",
            title="Salmon farm discharge",
            actor="setup",
            submitters=[cases.PartyInput("Coastal Alliance")],
            enterprises=[cases.PartyInput("Havbruk ASA")],
        )
        for name, role, member in [
            ("hanna", "handler", None),
            ("aud", "auditor", None),
            ("lead", "member", xss.lead_member),
            ("other", "member", other.lead_member),
        ]:
            if role == "member" and member is None:
                continue
            users.add_user(
                uow=services.uow,
                clock=services.clock,
                name=name,
                role=role,
                actor="setup",
                member_id=member,
                password=PASSWORD,
            )
        lead_of_xss = xss.lead_member
    finally:
        services.close()

    with served(work, config, url, "e2e-pages-secret-key-0123456789-abcdefgh") as base:
        yield Site(base, xss.reference, other.reference, lead_of_xss)


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def dialogs() -> list[str]:
    return []


def _page(browser: Any, dialogs: list[str]) -> Any:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page


def sign_in(browser: Any, site: Site, name: str, dialogs: list[str]) -> Any:
    page = _page(browser, dialogs)
    page.goto(f"{site.base}/")
    assert "/signin" in page.url  # pages need a session
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/signin'] button[type=submit]")
    page.wait_for_url(f"{site.base}/")
    return page


def _screenshot(page: Any, name: str) -> None:
    screenshot(page, name)


def test_a_wrong_password_is_refused(browser: Any, site: Site, dialogs: list[str]) -> None:
    page = _page(browser, dialogs)
    page.goto(f"{site.base}/signin")
    page.fill("input[name=username]", "hanna")
    page.fill("input[name=password]", "not the password")
    page.click("form[action='/signin'] button[type=submit]")
    expect(page.locator("[role=alert]")).to_have_text("Wrong user name or password.")
    assert "/signin" in page.url
    _screenshot(page, "signin.png")
    page.context.close()


def test_handler_advances_a_case_and_sees_stage_and_audit_entry(
    browser: Any, site: Site, dialogs: list[str]
) -> None:
    page = sign_in(browser, site, "hanna", dialogs)
    assert page.locator("h1").first.inner_text().startswith("Open cases")
    assert page.locator("table.cases tbody tr").count() == 2
    _screenshot(page, "dashboard.png")

    page.click(f"a[href='/cases/{site.other_ref}']")
    page.wait_for_url(f"**/cases/{site.other_ref}")
    assert page.locator(".stage-badge").inner_text() == "Received"
    form = page.locator("form[action$='/advance']:has(input[name=trigger][value=begin_assessment])")
    assert form.count() == 1
    form.locator("input[name=reason]").fill("Submission complete; assessing admissibility")
    form.locator("button[type=submit]").click()
    # After the POST-redirect-GET, the flash says what was saved.
    expect(page.locator(".notice.ok")).to_have_text("Advanced to Initial assessment.")

    assert page.url.endswith(f"/cases/{site.other_ref}")
    assert page.locator(".stage-badge").inner_text() == "Initial assessment"
    trail = page.locator("ol.story").inner_text()
    assert "Submission complete; assessing admissibility" in trail
    assert "hanna" in trail
    assert "Received → Initial assessment" in trail
    assert page.locator("ol.timeline .step-current").inner_text().startswith("Initial assessment")
    _screenshot(page, "case.png")

    # The next allowed steps are offered now; begin_assessment no longer is.
    assert page.locator("input[name=trigger][value=accept]").count() == 1
    assert page.locator("input[name=trigger][value=begin_assessment]").count() == 0

    # Printed, the case keeps its facts and drops navigation and forms.
    page.emulate_media(media="print")
    assert not page.locator("#actions").is_visible()
    assert not page.locator("header.top nav").is_visible()
    assert page.locator("table.deadlines").is_visible()
    _screenshot(page, "case-print.png")
    assert dialogs == []
    page.context.close()


def test_a_missing_reason_is_reported_not_recorded(browser: Any, site: Site, dialogs: list[str]) -> None:
    page = sign_in(browser, site, "hanna", dialogs)
    page.goto(f"{site.base}/cases/{site.xss_ref}")
    before = page.locator("ol.story > li").count()
    # Bypass the browser's `required` check: the server must refuse on its own.
    response = page.request.post(
        f"{site.base}/cases/{site.xss_ref}/advance",
        form={
            "trigger": "begin_assessment",
            "reason": "  ",
            "csrf_token": page.locator("input[name=csrf_token]").first.get_attribute("value"),
        },
    )
    assert response.status == 422  # the case page again, with the problem shown
    page.goto(f"{site.base}/cases/{site.xss_ref}")
    assert page.locator(".stage-badge").inner_text() == "Received"
    assert page.locator("ol.story > li").count() == before
    page.context.close()


def test_auditor_sees_no_forms_and_pseudonyms(browser: Any, site: Site, dialogs: list[str]) -> None:
    page = sign_in(browser, site, "aud", dialogs)
    page.goto(f"{site.base}/cases/{site.xss_ref}")
    assert page.locator("form[action$='/advance']").count() == 0
    assert page.locator("form[action$='/pause']").count() == 0
    assert "You can read this case but not change it." in page.content()
    assert "Hidden Witness Union" not in page.content()
    assert pseudonym(site.xss_ref, "Hidden Witness Union") in page.locator("body").inner_text()

    page.goto(f"{site.base}/audit")
    assert "Hash chain: intact" in page.locator(".chain h2").inner_text()
    assert "Hidden Witness Union" not in page.content()
    page.select_option("select[name=case]", site.xss_ref)
    page.click("form.filters button")
    page.wait_for_url("**/audit?case=*")
    refs = {cell.strip() for cell in page.locator("table.audit tbody td:nth-child(3)").all_inner_texts()}
    assert refs == {site.xss_ref}
    _screenshot(page, "audit.png")

    # Forged by hand, the post is refused as well.
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post(
        f"{site.base}/cases/{site.xss_ref}/advance",
        form={"trigger": "begin_assessment", "reason": "sneaky", "csrf_token": token},
        max_redirects=0,
    )
    assert response.status == 403
    page.context.close()


def test_members_advance_only_the_cases_they_lead(browser: Any, site: Site, dialogs: list[str]) -> None:
    if site.lead_of_xss is None:
        pytest.skip("the rotation chose no lead")
    page = sign_in(browser, site, "lead", dialogs)
    page.goto(f"{site.base}/cases/{site.xss_ref}")
    assert page.locator("form[action$='/advance']").count() >= 1
    assert page.locator("form[action$='/pause']").count() == 0  # handlers pause
    page.goto(f"{site.base}/cases/{site.other_ref}")
    assert page.locator("form[action$='/advance']").count() == 0
    # The lead of the first case is the chair, who may reassign the other case though not advance it.
    assert site.lead_of_xss == "chair"
    assert "Only the case's lead can move it on; as the chair you can" in page.content()
    assert page.locator("form[action$='/reassign']").count() == 1
    page.context.close()


def test_script_in_a_title_is_text_on_every_page(browser: Any, site: Site, dialogs: list[str]) -> None:
    page = sign_in(browser, site, "hanna", dialogs)
    for path in ["/", f"/cases/{site.xss_ref}", "/audit", "/members", "/?lang=nb"]:
        page.goto(f"{site.base}{path}")
        page.wait_for_load_state()
        html = page.content()
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
        if path in {"/", f"/cases/{site.xss_ref}"}:
            assert "&lt;script&gt;alert('xss')&lt;/script&gt;" in html, path
            assert XSS in page.locator("body").inner_text(), path
        assert page.locator("img").count() == 0, path
    assert dialogs == []
    page.context.close()


def test_a_post_without_a_valid_csrf_token_is_refused(browser: Any, site: Site, dialogs: list[str]) -> None:
    page = sign_in(browser, site, "hanna", dialogs)
    page.goto(f"{site.base}/cases/{site.xss_ref}")
    for form in [
        {"trigger": "begin_assessment", "reason": "forged"},
        {"trigger": "begin_assessment", "reason": "forged", "csrf_token": "forged"},
    ]:
        response = page.request.post(f"{site.base}/cases/{site.xss_ref}/advance", form=form, max_redirects=0)
        assert response.status == 403
    # A token from another session (the anonymous sign-in form) is refused too.
    anonymous = _page(browser, dialogs)
    anonymous.goto(f"{site.base}/signin")
    stranger = anonymous.locator("input[name=csrf_token]").get_attribute("value")
    anonymous.context.close()
    response = page.request.post(
        f"{site.base}/cases/{site.xss_ref}/advance",
        form={"trigger": "begin_assessment", "reason": "forged", "csrf_token": stranger},
        max_redirects=0,
    )
    assert response.status == 403
    page.goto(f"{site.base}/cases/{site.xss_ref}")
    assert page.locator(".stage-badge").inner_text() == "Received"
    assert "forged" not in page.locator("ol.story").inner_text()
    page.context.close()


def test_norwegian_by_switch_and_cookie(browser: Any, site: Site, dialogs: list[str]) -> None:
    page = sign_in(browser, site, "hanna", dialogs)
    page.goto(f"{site.base}/?lang=nb")
    assert page.locator("h1").first.inner_text().startswith("Åpne saker")
    assert page.locator("html").get_attribute("lang") == "nb"
    page.goto(f"{site.base}/members")  # the choice sticks (cookie)
    assert page.locator("h1").inner_text() == "Medlemmer"
    _screenshot(page, "members-nb.png")
    page.click("a[hreflang=en]")
    page.wait_for_url("**lang=en")
    assert page.locator("h1").inner_text() == "Members"
    page.context.close()


def test_sign_out_ends_the_session(browser: Any, site: Site, dialogs: list[str]) -> None:
    """After sign-out the page asks to sign in again, and the old cookie, replayed, too."""
    page = sign_in(browser, site, "hanna", dialogs)
    kept = page.context.cookies()
    assert any(c["name"] == "ncpflow_session" for c in kept)
    page.click("form[action='/signout'] button")
    page.wait_for_url("**/signin")
    page.goto(f"{site.base}/cases/{site.xss_ref}")
    assert "/signin" in page.url
    page.context.close()
    replay = _page(browser, dialogs)
    replay.context.add_cookies(kept)  # the cookie as it was before signing out
    replay.goto(f"{site.base}/cases/{site.xss_ref}")
    assert "/signin" in replay.url
    replay.context.close()


def test_the_sign_in_form_is_labelled_and_bound_to_this_browser(
    browser: Any, site: Site, dialogs: list[str]
) -> None:
    """Each field has a label; a sign-in token copied from another browser is refused."""
    page = _page(browser, dialogs)
    page.goto(f"{site.base}/signin")
    expect(page.get_by_label("User name")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    stranger = _page(browser, dialogs)
    stranger.goto(f"{site.base}/signin")
    token = stranger.locator("input[name=csrf_token]").get_attribute("value")
    stranger.context.close()
    response = page.request.post(
        f"{site.base}/signin",
        form={"username": "hanna", "password": PASSWORD, "csrf_token": token},
        max_redirects=0,
    )
    assert response.status == 403
    page.context.close()


def test_the_html_timelines_report_renders_its_charts_in_chromium(
    browser: Any, ncp: Any, tmp_path: Path
) -> None:
    """The self-contained HTML report draws its SVG charts in a real browser (screenshot)."""
    steps = [
        ("begin_assessment", "2025-03-10", []),
        ("accept", "2025-05-02", []),
        ("conclude", "2025-10-01", ["--outcome", "agreement"]),
    ]
    for received in ("2025-01-31", "2025-03-03"):
        opened = ncp.json(
            "case",
            "open",
            "--title",
            "Tailings dam",
            "--submitter",
            "Naturvern",
            "--enterprise",
            "Fjord Mining ASA",
            "--received",
            received,
            "--actor",
            "sek",
            "--json",
        )
        for trigger, at, extra in steps:
            ncp.json(
                "case",
                "advance",
                opened["reference"],
                trigger,
                "--actor",
                "sek",
                "--reason",
                "next step",
                "--at",
                at,
                *extra,
                "--json",
            )
    report = tmp_path / "timelines.html"
    assert ncp("report", "timelines", "--format", "html", "--output", str(report)).returncode == 0
    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    try:
        page.goto(report.as_uri())
        charts = page.locator("svg")
        assert charts.count() >= 1
        assert page.locator("svg rect").count() >= 2  # bars drawn for the finished stages
        box = charts.first.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50
        screenshot(page, "report-timelines.png")
    finally:
        page.close()


def test_the_dashboard_fits_a_phone_without_scrolling_sideways(
    browser: Any, site: Site, dialogs: list[str]
) -> None:
    """At 390 px each case is a card of labelled lines; the page is no wider than the screen."""
    page = sign_in(browser, site, "hanna", dialogs)
    page.set_viewport_size({"width": 390, "height": 844})
    for lang in ("en", "nb"):
        page.goto(f"{site.base}/?lang={lang}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        label = page.evaluate(
            "getComputedStyle(document.querySelector('table.cases td'), '::before').content"
        )
        assert label.strip('"') in ("Reference", "Referanse")
        _screenshot(page, f"dashboard-390-{lang}.png")
    page.context.close()


@pytest.mark.parametrize("path", ["/cases/{ref}", "/audit", "/members"])
def test_a_case_the_audit_and_the_members_fit_a_phone_without_scrolling_sideways(
    browser: Any, site: Site, dialogs: list[str], path: str
) -> None:
    """At 390 px a wide table's rows are cards of labelled lines, as on the dashboard; the filter
    form wraps; no page is wider than the screen, in either language."""
    page = sign_in(browser, site, "hanna", dialogs)
    page.set_viewport_size({"width": 390, "height": 844})
    for lang in ("en", "nb"):
        page.goto(f"{site.base}{path.format(ref=site.xss_ref)}?lang={lang}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        label = page.evaluate(
            "getComputedStyle(document.querySelector('table.stack td[data-label]'), '::before').content"
        )
        assert label.strip('"') not in ("", "none", "normal")
        name = path.strip("/").split("/")[0]
        _screenshot(page, f"{name}-390-{lang}.png")
    page.context.close()


def test_a_handler_opens_a_case_through_the_form_on_a_phone(
    browser: Any, site: Site, dialogs: list[str]
) -> None:
    """From the nav's "New case", at 390 px: a third submitter row added without JavaScript keeps
    what was typed; the case opens and its page says so."""
    page = sign_in(browser, site, "hanna", dialogs)
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("header nav a[href='/cases/new']")
    page.wait_for_url("**/cases/new")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("#title", "Tailings in the fjord")
    page.fill("#submitter-0-name", "Ola Nordmann")
    page.check("#submitter-0-confidential")
    page.click("button[value=submitter]")
    page.wait_for_selector("#submitter-2-name")
    assert page.input_value("#title") == "Tailings in the fjord"
    assert page.is_checked("#submitter-0-confidential")
    page.fill("#submitter-2-name", "Friends of the Fjord")
    page.select_option("#submitter-2-type", "ngo")
    page.fill("#enterprise-0-name", "Nordic Metals ASA")
    page.fill("#enterprise-0-org", "923456789")
    page.check("#theme-environment")
    page.fill("#host_countries", "NO")
    _screenshot(page, "new-case-390-en.png")
    page.click("#open-case")
    expect(page.locator(".notice.ok")).to_contain_text("opened; lead:")
    assert "Ola Nordmann" in page.locator("body").inner_text()
    assert dialogs == []
    page.context.close()


def test_the_header_search_finds_a_case_on_a_phone_without_javascript(
    browser: Any, site: Site, dialogs: list[str]
) -> None:
    """At 390 px the header's search box (a plain GET form) leads to the cases page with the
    hit and the filters; the page never scrolls sideways, in either language."""
    page = sign_in(browser, site, "hanna", dialogs)
    page.set_viewport_size({"width": 390, "height": 844})
    for lang in ("en", "nb"):
        page.goto(f"{site.base}/?lang={lang}")
        page.fill("#quickfind-q", "salmon")
        page.locator("form.quickfind button").click()
        page.wait_for_url("**/cases?q=salmon")
        assert page.locator(f'td a[href="/cases/{site.other_ref}"]').count() == 1
        assert page.locator('form.find input[name="q"]').input_value() == "salmon"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        _screenshot(page, f"cases-search-390-{lang}.png")
    page.context.close()


def test_enter_in_a_field_of_the_new_case_form_opens_the_case(
    browser: Any, site: Site, dialogs: list[str]
) -> None:
    """Enter in the title, the required fields filled, opens the case (the form's default button),
    not "Add a submitter", the first button on the page; tabbing from the title never lands on
    the default button, and the only "Open the case" the page's accessibility tree holds is the
    visible one at the end."""
    page = sign_in(browser, site, "hanna", dialogs)
    page.goto(f"{site.base}/cases/new")
    assert page.get_by_role("button", name="Open the case").count() == 1
    page.fill("#submitter-0-name", "Friends of the Fjord")
    page.fill("#enterprise-0-name", "Nordic Metals ASA")
    page.focus("#received")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "title"
    page.fill("#title", "Opened by pressing Enter")
    page.press("#title", "Enter")
    expect(page.locator(".notice.ok")).to_contain_text("opened; lead:")
    assert "/cases/new" not in page.url
    assert page.locator("h1").first.inner_text().endswith("Opened by pressing Enter")
    assert page.locator("#submitter-2-name").count() == 0
    assert dialogs == []
    page.context.close()


def test_a_handler_takes_a_case_from_the_new_case_form_to_closed_in_the_browser(
    browser: Any, site: Site, dialogs: list[str]
) -> None:
    """The whole lifecycle without the command line: opened through the form, a back-dated first
    step, a pause, an extension, every stage of oecd-2023 (the consequential steps confirmed),
    closed; the audit log names the handler on every step."""
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo

    from playwright.sync_api import Page

    today = datetime.now(ZoneInfo("Europe/Oslo")).date()
    received = today - timedelta(days=100)
    page: Page = sign_in(browser, site, "hanna", dialogs)
    page.click("header nav a[href='/cases/new']")
    page.fill("#title", "The whole lifecycle")
    page.fill("#received", received.isoformat())
    page.fill("#submitter-0-name", "Friends of the Fjord")
    page.fill("#enterprise-0-name", "Nordic Metals ASA")
    page.click("#open-case")
    expect(page.locator(".notice.ok")).to_contain_text("opened; lead:")
    ref = page.url.rsplit("/", 1)[-1]

    def advance(trigger: str, stage: str, confirm: bool = False, **fields: str) -> None:
        form = page.locator(f"#advance-{trigger}")
        for name, value in fields.items():
            field = form.locator(f"[name={name}]")
            if name == "outcome":
                field.select_option(value)
            else:
                field.fill(value)
        form.locator("button[type=submit]").click()
        if confirm:
            expect(page.locator(".confirm h1")).to_contain_text(f"for {ref}")
            page.click(".confirm button[value=yes]")
        expect(page.locator(".notice.ok")).to_contain_text(f"Advanced to {stage}")
        assert page.locator(".stage-badge").inner_text() == stage

    earlier = (received + timedelta(days=3)).isoformat()
    advance("begin_assessment", "Initial assessment", reason="Receipt acknowledged", at=earlier)
    expect(page.locator(".notice.ok")).to_have_text(f"Advanced to Initial assessment, effective {earlier}.")

    page.fill("#pause input[name=reason]", "Parallel proceedings")
    page.click("#pause button")
    expect(page.locator(".notice.ok")).to_have_text("Clock paused.")
    assert page.locator("form[action$='/advance']").count() == 0  # paused: only resume
    page.click("#resume button")
    expect(page.locator(".notice.ok")).to_have_text("Clock restarted.")

    page.click("details:has(#extend) summary")
    page.select_option("#extend select[name=deadline]", "initial_assessment")
    page.fill("#extend input[name=amount]", "10")
    page.fill("#extend input[name=reason]", "Translation of annexes awaited")
    page.click("#extend button")
    expect(page.locator(".confirm h1")).to_contain_text("extend the deadline")
    _screenshot(page, "lifecycle-confirm.png")
    page.click(".confirm button[value=yes]")
    expect(page.locator(".notice.ok")).to_contain_text("extended by 10 days to")

    advance("accept", "Good offices", reason="Material issues", scope="Chapter VI only")
    advance("examine", "Examination", True, reason="Mediation failed", outcome="no_agreement")
    advance("conclude", "Final statement", True, reason="Determination made")
    advance("publish", "Follow-up", True, reason="Final statement published")
    advance("close", "Closed", True, reason="Follow-up complete")
    assert page.locator("form[action$='/advance']").count() == 0
    _screenshot(page, "lifecycle-closed.png")

    page.goto(f"{site.base}/audit?case={ref}")
    rows = [
        (cells[3], cells[4])
        for cells in (
            [cell.strip() for cell in row.locator("td").all_inner_texts()]
            for row in page.locator("table.audit tbody tr").all()
        )
    ]
    by_hanna = [what for what, who in rows if who == "hanna"]
    steps = ("case opened", "Received → Initial assessment", "clock paused", "clock restarted")
    steps += ("deadline extended",)
    steps += ("Initial assessment → Good offices", "Good offices → Examination")
    steps += ("Examination → Final statement", "Final statement → Follow-up", "Follow-up → Closed")
    for done in steps:
        assert any(done in what for what in by_hanna), (done, rows)
    _screenshot(page, "lifecycle-audit.png")
    assert dialogs == [] and date.fromisoformat(earlier) < today
    page.context.close()
