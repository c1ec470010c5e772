"""The statements page in a real headless Chromium against a real `ncpflow serve`, at a phone's
width (390 px), in English and Norwegian: a handler drafts a final statement, circulates it to
both parties (checkboxes, days), logs a comment, closes the round and publishes after the
confirmation page; every page on the way passes axe-core (WCAG 2.1 A and AA) and is no wider
than the screen. Screenshots go to test-artifacts/.

Skipped without /usr/bin/chromium unless NCPFLOW_REQUIRE_BROWSER is set (tests/e2e/browser.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import SITE_CONFIG, chromium, require_browser, served, site_files
from tests.e2e.test_case_file_browser import PASSWORD, Checks, Site, expect
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput
from workflow.config import load_settings

pytestmark = pytest.mark.slow

SECRET = "e2e-statements-secret-key-0123456789-abcdef"
WORDS = {
    "en": {"published": "its PDF is a public document"},
    "nb": {"published": "PDF-en er et offentlig dokument"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Site]:
    """A served site with a handler and two cases in examination (one per language), each
    party with a contact who takes e-mail."""
    require_browser()
    work, config, url = site_files(tmp_path_factory.mktemp("statements"), sqlite_template, SITE_CONFIG)
    services = bootstrap(load_settings(config, database_url=url))
    refs = []
    try:
        services.members.sync(actor="setup")
        for title in ("Tailings (en)", "Tailings (nb)"):
            ref = services.cases.open(
                title=title, submitters=[PartyInput("Friends of the Fjord", "ngo")],
                enterprises=[PartyInput("Nordic Metals ASA")], actor="setup",
                received=services.today() - timedelta(days=40),
            ).reference  # fmt: skip
            for trigger, outcome in (
                ("begin_assessment", None),
                ("accept", None),
                ("examine", "no_agreement"),
            ):
                services.cases.advance(
                    reference=ref, trigger=trigger, actor="setup", reason="ok", outcome=outcome
                )
            for party, email in (
                ("submitter-1", "kari@fjord.example"),
                ("enterprise-1", "ceo@nordic.example"),
            ):
                services.parties.add_contact(
                    reference=ref, party=party, actor="setup", name=party, email=email
                )
            refs.append(ref)
        services.users.add(name="hanna", role="handler", actor="setup", password=PASSWORD)
    finally:
        services.close()
    with served(work, config, url, SECRET) as base:
        yield Site(base, ",".join(refs), config, url)


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_a_handler_drafts_circulates_logs_a_comment_closes_and_publishes(
    site: Site, browser: Any, lang: str
) -> None:
    """Each form of the statements page in the browser (plain forms: no script of the page runs);
    axe and the width on every page."""
    ref = site.ref.split(",")[0 if lang == "en" else 1]
    checks = Checks(lang)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{site.base}/signin?lang={lang}")
        page.fill("input[name=username]", "hanna")
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action='/signin'] button[type=submit]")
        statements = f"{site.base}/cases/{ref}/statements?lang={lang}"
        page.goto(f"{site.base}/cases/{ref}?lang={lang}")
        page.click(f"a[href='/cases/{ref}/statements']")
        checks.page(page, "statements")
        page.select_option("#draft select[name=kind]", "final_statement")
        page.click("#draft button[type=submit]")
        expect(page.locator("#statement-1")).to_be_visible()
        page.check("#statement-1 input[value=submitter-1]")
        page.check("#statement-1 input[value=enterprise-1]")
        page.fill("#statement-1 input[name=days]", "14")
        page.click("#statement-1 form[action$='/circulate'] button[type=submit]")
        expect(page.locator("#round-1")).to_be_visible()
        checks.page(page, "statements-circulated")
        page.click("#round-1 details summary")
        page.select_option("#round-1 select[name=party]", "enterprise-1")
        page.fill("#round-1 textarea[name=text]", "Please say more about the dam.")
        page.click("#round-1 form[action$='/comments'] button[type=submit]")
        expect(page.locator("#round-1 ul.comments")).to_contain_text("Please say more about the dam.")
        page.click("#round-1 form[action$='/close'] button[type=submit]")
        checks.page(page, "statements-closed")
        services = bootstrap(load_settings(site.config, database_url=site.url))
        try:
            services.cases.advance(
                reference=ref, trigger="conclude", actor="setup", reason="ok", outcome="determination"
            )
        finally:
            services.close()
        page.goto(statements)
        page.select_option("#statement-1 select[name=trigger]", "close")
        page.click("#statement-1 form[action$='/publish'] button[type=submit]")
        checks.page(page, "statements-confirm")
        page.click(".confirm button[value=yes]")
        expect(page.locator(".notice.ok")).to_contain_text(WORDS[lang]["published"])
        checks.page(page, "statements-published")
    finally:
        context.close()
    assert not checks.problems, "\n".join(checks.problems)
