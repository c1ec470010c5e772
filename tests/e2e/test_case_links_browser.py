"""Issue 16's related cases in a real headless Chromium against a real `ncpflow serve`, at a
phone's width (390 px), in English and in Norwegian: a handler links a case to another case here
through the form on its page, follows the link to the other case's page, which shows the link
too, sees a bad address refused in the page's language with what was typed kept, links a parallel
complaint at another NCP, and removes the first link. axe-core (WCAG 2.1 A and AA) and the width
on every page; an auditor reads both pages with the link and without the confidential submitter's
name that the other case's title holds.

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
SECRET = "e2e-case-links-secret-key-0123456789-abcdef"
NAME = "Kari Nordmann"  # a confidential submitter, named in its case's title

WORDS = {
    "en": {
        "open": "Link a related case",
        "made": "Link 1 to a related case made.",
        "same": "Same facts",
        "refused": "is not an http or https address",
        "parallel": "NCP of Sweden",
        "remove": "Remove link 1",
        "removed": "Link 1 removed.",
        "none": "No related cases linked.",
    },
    "nb": {
        "open": "Koble til en beslektet klagesak",
        "made": "Kobling 1 til en beslektet klagesak opprettet.",
        "same": "Samme faktiske forhold",
        "refused": "er ikke en http- eller https-adresse",
        "parallel": "Kontaktpunktet i Sverige",
        "remove": "Fjern kobling 1",
        "removed": "Kobling 1 fjernet.",
        "none": "Ingen beslektede klagesaker er koblet til.",
    },
}


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[tuple[Site, dict[str, str]]]:
    """A served site with a case for each language, a case whose title names its confidential
    submitter, a handler and an auditor."""
    require_browser()
    work, config, url = site_files(tmp_path_factory.mktemp("case-links"), sqlite_template, SITE_CONFIG)
    services = bootstrap(load_settings(config, database_url=url))
    refs: dict[str, str] = {}
    try:
        services.members.sync(actor="setup")
        for key, title, submitter in [
            ("en", "Tailings dam at the fjord", PartyInput("Friends of the Fjord", "ngo")),
            ("nb", "Gruvedeponi i fjorden", PartyInput("Venner av fjorden", "ngo")),
            ("hidden", f"{NAME} v. Nordic Metals", PartyInput(NAME, "individual", confidential=True)),
        ]:
            refs[key] = services.cases.open(
                title=title,
                submitters=[submitter],
                enterprises=[PartyInput("Nordic Metals ASA")],
                actor="setup",
                received=services.today() - timedelta(days=30),
            ).reference
        services.users.add(name="hanna", role="handler", actor="setup", password=PASSWORD)
        services.users.add(name="revisor", role="auditor", actor="setup", password=PASSWORD)
    finally:
        services.close()
    with served(work, config, url, SECRET) as base:
        yield Site(base, refs["en"], config, url), refs


@pytest.fixture(scope="module")
def browser(site: tuple[Site, dict[str, str]]) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _sign_in(page: Any, base: str, name: str, lang: str) -> None:
    page.goto(f"{base}/signin?lang={lang}")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/signin'] button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_a_handler_links_two_cases_and_both_pages_show_it(
    site: tuple[Site, dict[str, str]], browser: Any, lang: str
) -> None:
    served_site, refs = site
    base, ref, other, words = served_site.base, refs[lang], refs["hidden"], WORDS[lang]
    checks = Checks(lang, prefix="case-links")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        _sign_in(page, base, "hanna", lang)
        page.goto(f"{base}/cases/{ref}?lang={lang}")
        expect(page.locator("#related-cases")).to_contain_text(words["none"])
        checks.page(page, f"case-{lang}")
        page.click(f"#related-cases summary:has-text('{words['open']}')")
        form = page.locator(f"form[action='/cases/{ref}/related']")
        form.locator("select[name=kind]").select_option("same_facts")
        form.locator("input[name=case]").fill(other)
        form.locator("button[type=submit]").click()
        expect(page.locator("#related-cases")).to_contain_text(other)
        item = page.locator("#related-cases li", has_text=other)
        number = str(item.get_attribute("id")).removeprefix("related-")  # numbered across the NCP
        expect(page.locator(".notice.ok")).to_contain_text(words["made"].replace("1", number))
        expect(page.locator("#related-cases")).to_contain_text(words["same"])
        checks.page(page, f"case-linked-{lang}")

        page.click(f"#related-cases a[href='/cases/{other}']")
        expect(page.locator("#related-cases")).to_contain_text(ref)
        checks.page(page, f"other-case-{lang}")

        page.goto(f"{base}/cases/{ref}?lang={lang}")
        page.click(f"#related-cases summary:has-text('{words['open']}')")
        form = page.locator(f"form[action='/cases/{ref}/related']")
        form.locator("select[name=kind]").select_option("parallel")
        form.locator("input[name=ncp]").fill("SE")
        form.locator("input[name=external_reference]").fill("NKP 2025/7")
        form.locator("input[name=url]").evaluate(
            "input => input.type = 'text'"
        )  # past the browser's own check
        form.locator("input[name=url]").fill("ftp://ncp.example.se/7")
        form.locator("button[type=submit]").click()
        expect(page.locator(".notice.error")).to_contain_text(words["refused"])
        expect(page.locator("input[name=external_reference]")).to_have_value("NKP 2025/7")
        checks.page(page, f"case-refused-{lang}")
        form = page.locator(f"form[action='/cases/{ref}/related']")
        form.locator("input[name=url]").fill("https://ncp.example.se/7")
        form.locator("button[type=submit]").click()
        expect(page.locator("#related-cases")).to_contain_text(words["parallel"])
        expect(page.locator("#related-cases")).to_contain_text("NKP 2025/7")

        page.click(f"#related-cases summary:has-text('{words['remove'].replace('1', number)}')")
        page.locator(f"form[action='/cases/{ref}/related/{number}/remove'] button[type=submit]").click()
        expect(page.locator(".notice.ok")).to_contain_text(words["removed"].replace("1", number))
        expect(page.locator("#related-cases")).not_to_contain_text(other)
        checks.page(page, f"case-unlinked-{lang}")
    finally:
        context.close()
    assert not checks.problems, "\n".join(checks.problems)


def test_an_auditor_reads_the_link_without_the_confidential_name(
    site: tuple[Site, dict[str, str]], browser: Any
) -> None:
    served_site, refs = site
    base, ref, other = served_site.base, refs["nb"], refs["hidden"]
    services = bootstrap(load_settings(served_site.config, database_url=served_site.url))
    try:
        services.case_links.link(reference=ref, kind="follow_on", case=other, actor="setup")
    finally:
        services.close()
    checks = Checks("nb", prefix="case-links")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        _sign_in(page, base, "revisor", "nb")
        page.goto(f"{base}/cases/{ref}?lang=nb")
        related = page.locator("#related-cases")
        expect(related).to_contain_text(other)
        expect(related).to_contain_text("Ny klage etter")
        assert NAME not in page.content()
        assert page.locator(f"form[action='/cases/{ref}/related']").count() == 0
        checks.page(page, "auditor-case-nb")
        page.goto(f"{base}/cases/{other}?lang=nb")
        expect(page.locator("#related-cases")).to_contain_text("Fulgt opp av ny klage")
        assert NAME not in page.content()
        checks.page(page, "auditor-other-nb")
    finally:
        context.close()
    assert not checks.problems, "\n".join(checks.problems)
