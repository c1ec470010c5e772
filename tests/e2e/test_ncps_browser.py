"""The NCPs of a case in a real headless Chromium against a real `ncpflow serve`, at a phone's
width (390 px), in English and Norwegian: a handler adds a supporting NCP that reviews drafts,
records a joint lead, asks for a review of a draft and records the comment, and hands the lead
over after the confirmation page. axe-core (WCAG 2.1 A and AA) and the width on every page; no
JavaScript is needed (plain forms).

Skipped without /usr/bin/chromium unless NCPFLOW_REQUIRE_BROWSER is set (tests/e2e/browser.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import SITE_CONFIG, chromium, require_browser, served, site_files
from tests.e2e.test_case_file_browser import Checks, Site, expect
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput
from workflow.config import load_settings

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
SECRET = "e2e-ncps-secret-key-0123456789-abcdef-0123"
WORDS = {
    "en": {
        "added": "Supporting NCP added: SE",
        "lead": "Lead NCP recorded: NO, DK",
        "ask": "Review asked of SE",
        "recorded": "Review comment recorded: SE",
        "handed": "Lead handed over to SE",
        "sweden": "Sweden (SE)",
    },
    "nb": {
        "added": "Støttende kontaktpunkt lagt til: SE",
        "lead": "Ledende kontaktpunkt registrert: NO, DK",
        "ask": "Gjennomlesing bedt om fra SE",
        "recorded": "Merknad fra gjennomlesing registrert: SE",
        "handed": "Ledelsen overlatt til SE",
        "sweden": "Sverige (SE)",
    },
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Site]:
    """A served site with a case in each language's walk (each with a statement draft), and a handler."""
    require_browser()
    work, config, url = site_files(tmp_path_factory.mktemp("ncps"), sqlite_template, SITE_CONFIG)
    services = bootstrap(load_settings(config, database_url=url))
    refs = []
    try:
        services.members.sync(actor="setup")
        for title in ("Smelter emissions (en)", "Smelter emissions (nb)"):
            ref = services.cases.open(
                title=title,
                submitters=[PartyInput("Friends of the Fjord", "ngo")],
                enterprises=[PartyInput("Nordic Metals ASA")],
                actor="setup",
                received=services.today() - timedelta(days=20),
            ).reference
            services.cases.advance(
                reference=ref, trigger="begin_assessment", actor="setup", reason="complete"
            )
            services.statements.draft(reference=ref, kind="initial_assessment", actor="setup")
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
def test_a_handler_works_the_ncps_of_a_case_on_a_phone(site: Site, browser: Any, lang: str) -> None:
    words, checks = WORDS[lang], Checks(lang, prefix="ncps")
    ref = site.ref.split(",")[0 if lang == "en" else 1]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{site.base}/signin?lang={lang}")
        page.fill("input[name=username]", "hanna")
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action='/signin'] button[type=submit]")
        page.wait_for_url(f"{site.base}/")
        page.goto(f"{site.base}/cases/{ref}")
        page.click(f"a[href='/cases/{ref}/ncps']")
        checks.page(page, "ncps")
        at = f"/cases/{ref}/ncps"
        added = page.locator(f"form[action='{at}/supporting']")
        added.locator("input[name=ncp]").fill("se")
        added.locator("select[name=role]").select_option("reviews_drafts")
        added.locator("button[type=submit]").click()
        expect(page.locator(".notice.ok")).to_contain_text(words["added"])
        lead = page.locator(f"form[action='{at}/lead']")
        lead.locator("input[name=lead]").fill("NO, DK")
        lead.locator("button[type=submit]").click()
        expect(page.locator(".notice.ok")).to_contain_text(words["lead"])
        page.locator(f"form[action='{at}/reviews'] button[type=submit]").click()
        expect(page.locator(".notice.ok")).to_contain_text(words["ask"])
        checks.page(page, "ncps-review-asked")
        answer = page.locator(f"form[action='{at}/reviews/answer']")
        answer.locator("textarea[name=comment]").fill("Paragraph 4 needs the Swedish parent's view.")
        answer.locator("button[type=submit]").click()
        expect(page.locator(".notice.ok")).to_contain_text(words["recorded"])
        expect(page.locator("#reviews")).to_contain_text("Paragraph 4")
        handover = page.locator(f"form[action='{at}/transfer']")
        handover.locator("input[name=to]").fill("SE")
        handover.locator("input[name=reason]").fill("The parent company is Swedish")
        handover.locator("button[type=submit]").click()
        expect(page.locator("h1")).to_contain_text(words["sweden"])
        checks.page(page, "ncps-confirm")
        page.locator("button[name=confirm][value=yes]").click()
        expect(page.locator(".notice.ok")).to_contain_text(words["handed"])
        expect(page.locator("#lead")).to_contain_text(words["sweden"])
        checks.page(page, "ncps-handed-over")
    finally:
        context.close()
    assert not checks.problems, "\n".join(checks.problems)
