"""A party link in a real headless Chromium against a real `ncpflow serve` (issue 15).

A handler, signed in, issues the enterprise a link on the case's parties page and copies its
address, shown once. The party opens it in a browser context of its own (no session cookie, no
sign-in) at a phone's width: its page passes axe-core (WCAG 2.1 AA) and fits the screen; it sends a
comment and a document through the plain forms, and each is acknowledged on its page.

Skipped without /usr/bin/chromium unless NCPFLOW_REQUIRE_BROWSER is set (tests/e2e/browser.py).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from ncpflow.web.auth import SESSION_COOKIE
from tests.e2e.browser import SITE_CONFIG, chromium, require_browser, served, site_files
from tests.e2e.test_browser_walk import OVERFLOW, WCAG_21_AA, _violations
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput
from workflow.config import load_settings

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
SECRET = "e2e-party-link-secret-key-0123456789-abcdef"
PDF = b"%PDF-1.4\n% the enterprise's reply\n%%EOF\n"


def test_a_party_uses_its_link_in_a_browser_context_of_its_own(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> None:
    """Issued on the parties page, opened with no session, a comment and a document sent."""
    require_browser()
    from axe_playwright_python.sync_playwright import Axe

    work, config, url = site_files(tmp_path_factory.mktemp("party-link"), sqlite_template, SITE_CONFIG)
    services = bootstrap(load_settings(config, database_url=url))
    try:
        ref = services.cases.open(
            title="Tailings dam at the fjord",
            submitters=[PartyInput("Friends of the Fjord", "ngo")],
            enterprises=[PartyInput("Nordic Metals ASA")],
            actor="setup",
            received=services.today() - timedelta(days=3),
        ).reference
        services.users.add(name="hanna", role="handler", actor="setup", password=PASSWORD)
    finally:
        services.close()
    with served(work, config, url, SECRET) as base, chromium() as browser:
        handler = browser.new_context()
        page = handler.new_page()
        page.goto(f"{base}/signin?lang=en")
        page.fill("input[name=username]", "hanna")
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action='/signin'] button[type=submit]")
        page.goto(f"{base}/cases/{ref}/parties")
        page.select_option("#link-party", "enterprise-1")
        page.click("form[action$='/parties/links'] button[type=submit]")
        address = page.locator("#new-link").input_value()
        assert address.startswith(f"{base}/p/")
        handler.close()

        party = browser.new_context(viewport={"width": 390, "height": 844})
        mine = party.new_page()
        answer = mine.goto(address + "?lang=en")
        assert answer is not None and answer.status == 200
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert ref in mine.content() and "Nordic Metals ASA" in mine.content()
        options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
        problems = _violations(Axe().run(mine, options=options).response, "party page")
        fit = mine.evaluate(OVERFLOW)
        assert fit["scroll"] <= fit["width"], fit
        assert not problems, "\n".join(problems)
        mine.fill("#comment-text", "We will reply within the month.")
        mine.click("form[action$='/comment'] button[type=submit]")
        assert "Your comment was received" in mine.locator("[role=status]").inner_text()
        mine.fill("#document-title", "Our reply")
        mine.set_input_files(
            "#document-file", files=[{"name": "reply.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        mine.click("form[action$='/document'] button[type=submit]")
        assert "Our reply" in mine.locator("[role=status]").inner_text()
        assert all(cookie["name"] != SESSION_COOKIE for cookie in party.cookies())
        party.close()
    services = bootstrap(load_settings(config, database_url=url))
    try:
        filed = services.documents.list(reference=ref).documents
        assert [(d.added_by, d.direction) for d in filed] == [("party:enterprise-1", "in")] * 2
    finally:
        services.close()
