"""Issue 17's precedents and start page in a real headless Chromium against a real `ncpflow
serve`, in English and Norwegian, at a phone's width (390 px) and a desk's (1280 px): a case page
with its similar past cases (one here, one imported), a case page with none, and the start page of
a handler and of a member. axe-core (WCAG 2.1 A and AA) and the width on every page; an auditor
reads the precedent without the confidential submitter's name its title holds.

Skipped without /usr/bin/chromium unless NCPFLOW_REQUIRE_BROWSER is set (tests/e2e/browser.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import SITE_CONFIG, chromium, require_browser, served, site_files
from tests.e2e.test_case_file_browser import Checks, expect
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput
from workflow.config import load_settings

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
SECRET = "e2e-precedents-secret-key-0123456789-abcdef"
NAME = "Kari Nordmann"  # a confidential submitter, named in its case's title
WIDTHS = (390, 1280)
IMPORTED = {
    "external_id": "NO-2012-04",
    "title": "Tailings in a Norwegian fjord",
    "parties": [
        {"role": "submitter", "name": "Fjord Friends", "type": "ngo"},
        {"role": "enterprise", "name": "Nordic Metals ASA"},
    ],
    "received": "2012-03",
    "milestones": [
        {"trigger": "begin_assessment", "date": "2012-04"},
        {"trigger": "reject", "date": "2012-09"},
    ],
    "themes": ["environment"],
    "host_countries": ["NO"],
    "sector": "mining",
    "sources": ["https://www.responsiblebusiness.no/en/specific-instances/no-2012-04/"],
}
WORDS = {
    "en": {"section": "Similar past cases", "none": "No similar past cases", "start": "Start here"},
    "nb": {"section": "Lignende tidligere klagesaker", "none": "Ingen lignende", "start": "Start her"},
}


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[tuple[str, dict[str, str]]]:
    """A served site: a case, a concluded similar case whose title names its confidential
    submitter, an imported one, a case like none of them; a handler, a member and an auditor."""
    require_browser()
    work, config, url = site_files(tmp_path_factory.mktemp("precedents"), sqlite_template, SITE_CONFIG)
    services = bootstrap(load_settings(config, database_url=url))
    refs: dict[str, str] = {}
    try:
        services.members.sync(actor="setup")
        env, hidden = ("environment",), PartyInput(NAME, "individual", confidential=True)
        for key, title, submitter, themes, sector in [
            ("case", "Tailings dam at the fjord", PartyInput("Friends of the Fjord", "ngo"), env, "mining"),
            ("hidden", f"{NAME} v. Nordic Metals", hidden, env, "mining"),
            ("lonely", "Bribes at a port", PartyInput("Open NGO", "ngo"), ("bribery",), "shipping"),
        ]:
            refs[key] = services.cases.open(
                title=title,
                submitters=[submitter],
                enterprises=[PartyInput("Other Enterprise AS" if key == "lonely" else "Nordic Metals ASA")],
                actor="hanna" if key == "case" else "setup",
                themes=themes,
                host_countries=("NO",) if key != "lonely" else ("SG",),
                sector=sector,
                received=services.today() - timedelta(days=30),
            ).reference
        for trigger in ("begin_assessment", "reject", "close"):
            services.cases.advance(reference=refs["hidden"], trigger=trigger, actor="setup", reason="r")
        services.cases.import_cases(text=json.dumps(IMPORTED), actor="setup", source="file.jsonl")
        services.users.add(name="hanna", role="handler", actor="setup", password=PASSWORD)
        services.users.add(name="bodil", role="member", actor="setup", password=PASSWORD, member_id="chair")
        services.users.add(name="revisor", role="auditor", actor="setup", password=PASSWORD)
    finally:
        services.close()
    with served(work, config, url, SECRET) as base:
        yield base, refs


@pytest.fixture(scope="module")
def browser(site: tuple[str, dict[str, str]]) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _sign_in(page: Any, base: str, name: str, lang: str) -> None:
    page.goto(f"{base}/signin?lang={lang}")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/signin'] button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "nb"])
def test_the_case_page_s_precedents_and_the_start_page_pass_axe(
    site: tuple[str, dict[str, str]], browser: Any, lang: str, width: int
) -> None:
    base, refs = site
    words, checks = WORDS[lang], Checks(lang, prefix=f"precedents-{width}")
    for user in ("hanna", "bodil"):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        try:
            _sign_in(page, base, user, lang)
            page.click(f"nav a[href='/start']:has-text('{words['start']}')")
            expect(page.locator("#start-cases")).to_contain_text(refs["case"])
            checks.page(page, f"start-{user}")
            page.click(f"#start-cases a[href='/cases/{refs['case']}']")
            similar = page.locator("#similar-cases")
            expect(similar).to_contain_text(words["section"])
            expect(similar).to_contain_text(refs["hidden"])
            expect(similar).to_contain_text("Tailings in a Norwegian fjord")
            checks.page(page, f"case-{user}")
            page.goto(f"{base}/cases/{refs['lonely']}?lang={lang}")
            expect(page.locator("#similar-cases")).to_contain_text(words["none"])
            checks.page(page, f"lonely-{user}")
        finally:
            context.close()
    assert not checks.problems, "\n".join(checks.problems)


def test_an_auditor_reads_the_precedent_without_the_confidential_name(
    site: tuple[str, dict[str, str]], browser: Any
) -> None:
    base, refs = site
    checks = Checks("nb", prefix="precedents")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        _sign_in(page, base, "revisor", "nb")
        page.goto(f"{base}/cases/{refs['case']}?lang=nb")
        expect(page.locator("#similar-cases")).to_contain_text(refs["hidden"])
        assert NAME not in page.content()
        checks.page(page, "auditor-case")
        page.goto(f"{base}/start?lang=nb")
        assert NAME not in page.content()
        checks.page(page, "auditor-start")
    finally:
        context.close()
    assert not checks.problems, "\n".join(checks.problems)
