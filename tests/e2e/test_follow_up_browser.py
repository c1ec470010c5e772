"""Issue 15's follow-up in a real headless Chromium against a real `ncpflow serve`, at a phone's
width (390 px): a handler records a commitment on the case's follow-up page, tracks it to
"implemented" with an evidence file uploaded, and reads `report follow-up`'s page, whose figures
the test computes from the site's data. axe-core (WCAG 2.1 A and AA) and the width on every page.

Skipped without /usr/bin/chromium unless NCPFLOW_REQUIRE_BROWSER is set (tests/e2e/browser.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from babel.numbers import format_percent

from tests.e2e.browser import SITE_CONFIG, chromium, require_browser, served, site_files
from tests.e2e.test_case_file_browser import Checks, Site, expect
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput
from workflow.config import load_settings

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
SECRET = "e2e-follow-up-secret-key-0123456789-abcdef"
PDF = b"%PDF-1.4\n% the enterprise's grievance mechanism, published\n%%EOF\n"
WEIGHTS = {"implemented": 1.0, "partly": 0.5, "not": 0.0}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Site]:
    """A served site with a case whose one earlier recommendation is partly implemented, and a handler."""
    require_browser()
    work, config, url = site_files(tmp_path_factory.mktemp("follow-up"), sqlite_template, SITE_CONFIG)
    services = bootstrap(load_settings(config, database_url=url))
    try:
        services.members.sync(actor="setup")
        ref = services.cases.open(
            title="Tailings dam at the fjord",
            submitters=[PartyInput("Friends of the Fjord", "ngo")],
            enterprises=[PartyInput("Nordic Metals ASA")],
            actor="setup",
            received=services.today() - timedelta(days=300),
            themes=["environment"],
        ).reference
        services.follow_up.add(reference=ref, source="statement", owner="ncp", text="Review", actor="setup")
        services.follow_up.set_status(reference=ref, commitment=1, status="partly", actor="setup")
        services.users.add(name="hanna", role="handler", actor="setup", password=PASSWORD)
    finally:
        services.close()
    with served(work, config, url, SECRET) as base:
        yield Site(base, ref, config, url)


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_a_commitment_is_tracked_to_implemented_and_the_report_shows_its_rate(
    site: Site, browser: Any
) -> None:
    """Recorded through the form, its status set with an evidence file, then the report page's
    rate is the one computed here from the site's statuses (implemented 1, partly ½)."""
    checks = Checks("en")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{site.base}/signin?lang=en")
        page.fill("input[name=username]", "hanna")
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action='/signin'] button[type=submit]")
        page.wait_for_url(f"{site.base}/")
        page.goto(f"{site.base}/cases/{site.ref}?lang=en")
        page.click(f"a[href='/cases/{site.ref}/follow-up']")
        checks.page(page, "follow-up")
        added = page.locator(f"form[action='/cases/{site.ref}/follow-up']")
        added.locator("select[name=source]").select_option("agreement")
        added.locator("select[name=owner]").select_option("enterprise")
        added.locator("select[name=party]").select_option("enterprise-1")
        added.locator("textarea[name=text]").fill("Publish a grievance mechanism")
        added.locator("button[type=submit]").click()
        expect(page.locator(".notice.ok")).to_contain_text("Commitment 2 recorded.")
        checks.page(page, "follow-up-recorded")
        status = page.locator(f"form[action='/cases/{site.ref}/follow-up/2/status']")
        status.locator("select[name=status]").select_option("implemented")
        status.locator("input[name=note]").fill("Published on its website")
        status.locator("input[name=title]").fill("The published mechanism")
        status.locator("input[name=file]").set_input_files(
            files=[{"name": "mechanism.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        status.locator("button[type=submit]").click()
        expect(page.locator(".notice.ok")).to_contain_text("Commitment 2: status set to “implemented”")
        expect(page.locator("#commitment-2")).to_contain_text("Published on its website")
        checks.page(page, "follow-up-implemented")

        statuses = _statuses(site)
        assert statuses == ["partly", "implemented"]
        rate = sum(WEIGHTS[s] for s in statuses) / len(statuses)
        page.goto(f"{site.base}/reports/follow-up?lang=en")
        expect(page.locator("main")).to_contain_text(str(format_percent(rate, locale="en_GB")))
        expect(page.locator("main")).to_contain_text("VI. Environment")
        checks.page(page, "report-follow-up")
    finally:
        context.close()
    assert not checks.problems, "\n".join(checks.problems)


def _statuses(site: Site) -> list[str]:
    """The current status of each of the case's commitments, as the site holds them."""
    services = bootstrap(load_settings(site.config, database_url=site.url))
    try:
        return [c.status for c in services.follow_up.list(reference=site.ref).commitments]
    finally:
        services.close()
