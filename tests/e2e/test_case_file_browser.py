"""Issue 14's browser test: the case file in a real headless Chromium against a real `ncpflow serve`.

A handler, on a phone's width (390 px), files a document through the case's documents page (the
upload form), drafts a letter from the letters page, sends it by e-mail after the confirmation
page (it waits in the served site's outbox), and then sees both the document and the letter in the
case's story, in the language it worked in and, through the language switch, in the other one.
Once in English and once in Norwegian; every page on the way passes axe-core (WCAG 2.1 A and AA)
and is no wider than the screen. Screenshots go to test-artifacts/.

Skipped without /usr/bin/chromium unless NCPFLOW_REQUIRE_BROWSER is set (tests/e2e/browser.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import SITE_CONFIG, chromium, require_browser, screenshot, served, site_files
from tests.e2e.test_browser_walk import OVERFLOW, WCAG_21_AA, _violations
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput
from workflow.config import load_settings

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
SECRET = "e2e-case-file-secret-key-0123456789-abcdef"
PDF = b"%PDF-1.4\n% an expert's report on the tailings dam\n%%EOF\n"
# What each language calls what the test looks for.
WORDS = {
    "en": {
        "added": "added: ",
        "drafted": "drafted",
        "sent": "Letter {n} sent by e-mail: Acknowledgement of receipt",
    },
    "nb": {
        "added": "lagt til: ",
        "drafted": "laget",
        "sent": "Brev {n} sendt med e-post: Bekreftelse av mottak",
    },
}
OTHER = {"en": "nb", "nb": "en"}


@dataclass
class Site:
    base: str
    ref: str
    config: Path
    url: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Site]:
    """A served site with one case just received, whose submitter has a contact who takes e-mail,
    and a handler."""
    require_browser()
    work, config, url = site_files(tmp_path_factory.mktemp("case-file"), sqlite_template, SITE_CONFIG)
    services = bootstrap(load_settings(config, database_url=url))
    try:
        services.members.sync(actor="setup")
        ref = services.cases.open(
            title="Tailings dam at the fjord",
            submitters=[PartyInput("Friends of the Fjord", "ngo")],
            enterprises=[PartyInput("Nordic Metals ASA")],
            actor="setup",
            received=services.today() - timedelta(days=3),
        ).reference
        services.parties.add_contact(
            reference=ref, party="submitter-1", actor="setup", name="Kari Fjord", email="kari@fjord.example"
        )
        services.users.add(name="hanna", role="handler", actor="setup", password=PASSWORD)
    finally:
        services.close()
    with served(work, config, url, SECRET) as base:
        yield Site(base, ref, config, url)


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


class Checks:
    """axe-core and the width of each page visited; the problems found, named by page."""

    def __init__(self, lang: str, prefix: str = "case-file") -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.axe, self.lang, self.problems, self.prefix = Axe(), lang, list[str](), prefix

    def page(self, page: Any, name: str, lang: str | None = None) -> None:
        lang = lang or self.lang
        where = f"{name} [{lang}]"
        if page.locator("html").get_attribute("lang") != lang:
            self.problems.append(f"{where}: the page is not in {lang}")
        options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
        self.problems += _violations(self.axe.run(page, options=options).response, where)
        fit = page.evaluate(OVERFLOW)
        if fit["scroll"] > fit["width"]:
            self.problems.append(
                f"{where}: {fit['scroll']}px wide on a {fit['width']}px screen: {fit['wide']}"
            )
        screenshot(page, f"{self.prefix}-{name}-{lang}-390.png")


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_a_handler_files_a_document_sends_a_letter_and_sees_both_in_the_story(
    site: Site, browser: Any, lang: str
) -> None:
    """Upload form, letter drafted, sent by e-mail after the confirmation page, then both in the
    case's story, in `lang` and, switched, in the other language; axe and the width on every page."""
    words, checks, waiting = WORDS[lang], Checks(lang), _outbox(site)
    title = f"Expert report on the tailings dam ({lang})"
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{site.base}/signin")
        page.fill("input[name=username]", "hanna")
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action='/signin'] button[type=submit]")
        page.wait_for_url(f"{site.base}/")
        if lang == "nb":
            page.click("a[hreflang=nb]")  # the language switch; the choice sticks (cookie)
        case = f"{site.base}/cases/{site.ref}"

        page.goto(f"{case}/documents")
        checks.page(page, "documents")
        page.fill("#doc-title", title)
        page.select_option("#doc-direction", "in")
        page.select_option("#doc-party", "submitter-1")
        page.select_option("#doc-access", "parties")
        page.set_input_files(
            "#doc-file", files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.click("form.document-form button[type=submit]")
        expect(page.locator(".notice.ok")).to_contain_text(f"{words['added']}{title}")
        checks.page(page, "document-added")

        page.goto(f"{case}/letters")
        checks.page(page, "letters")
        page.select_option("#draft select[name=kind]", "acknowledgement")
        page.select_option("#draft select[name=party]", "submitter-1")
        page.click("#draft button[type=submit]")
        expect(page.locator(".notice.ok")).to_contain_text(words["drafted"])
        number = page.locator("article.letter").count()  # the newest letter is the last
        letter = page.locator(f"#letter-{number}")
        expect(letter.locator("form.letter-send .hint")).to_contain_text("kari@fjord.example")
        checks.page(page, "letter-drafted")
        letter.locator("form.letter-send select[name=channel]").select_option("email")
        letter.locator("form.letter-send button[type=submit]").click()
        expect(page.locator(".confirm dl.summary")).to_contain_text("Kari Fjord <kari@fjord.example>")
        checks.page(page, "letter-confirm")
        page.click(".confirm button[value=yes]")
        expect(page.locator(".notice.ok")).to_contain_text(f"{number}")
        checks.page(page, "letter-sent")

        page.goto(case)
        story = page.locator("#story")
        expect(story).to_contain_text(title)
        expect(story).to_contain_text(words["sent"].format(n=number))
        expect(story.locator(f"a[href='/cases/{site.ref}/letters#letter-{number}']").first).to_be_visible()
        checks.page(page, "case-story")
        other = OTHER[lang]
        page.click(f"a[hreflang={other}]")
        expect(story).to_contain_text(WORDS[other]["sent"].format(n=number))
        expect(story).to_contain_text(title)
        checks.page(page, "case-story", other)
    finally:
        context.close()
    assert not checks.problems, "\n".join(checks.problems)
    assert _outbox(site) == waiting + 1  # the letter's message, waiting in the outbox to go out


def _outbox(site: Site) -> int:
    """How many messages the served site's outbox holds."""
    services = bootstrap(load_settings(site.config, database_url=site.url))
    try:
        with services.uow.read() as tx:
            return sum(tx.outbox.counts().values())
    finally:
        services.close()
