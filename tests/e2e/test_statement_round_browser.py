"""Issue 15's browser test: a final statement from its draft to the public register and follow-up,
in a real headless Chromium against a real `ncpflow serve`, with a real SMTP server (aiosmtpd).

1. A handler drafts a final statement on the case's statements page;
2. circulates it to both parties with a 14-day window;
3. the submitter comments through its party link, in a browser context of its own (no session);
4. the sweep, run twelve days on, reminds the parties before the window closes, and the reminder
   reaches the SMTP server;
5. the handler closes the round and publishes the statement (after the confirmation page);
6. a signed-out reader finds the case in `/register`, downloads the statement's PDF, and finds the
   entry in the Atom feed;
7. a commitment of the agreement is tracked to "implemented" on the case's follow-up page;
8. `report follow-up` (the page, in en and nb) shows the figures this test computes from the
   commitments it made, with the rule of `states/commitments.py` (implemented 1, partly ½, not 0;
   unknown left out).

Every page on the way passes axe-core (WCAG 2.1 A and AA) and fits a 390 px screen.
Skipped without /usr/bin/chromium unless NCPFLOW_REQUIRE_BROWSER is set (tests/e2e/browser.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import SITE_CONFIG, chromium, require_browser, served, site_files
from tests.e2e.test_case_file_browser import Checks, expect
from tests.smtp import Inbox, smtp_server
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput
from workflow.clock import FixedClock
from workflow.config import load_settings

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
SECRET = "e2e-statement-round-secret-key-0123456789"
SUBMITTER_MAIL = "kari@fjord.example"
ENTERPRISE_MAIL = "legal@nordic-metals.example"
COMMENT = "We ask the NCP to name the tailings dam in paragraph 4."
COMMITMENT = "Publish the dam's monitoring data every quarter"
# The statuses of another case's commitments, set through the use cases (None: none set yet).
OTHERS: tuple[str | None, ...] = ("implemented", "partly", "not", "unknown", None)
WEIGHTS = {"implemented": 1.0, "partly": 0.5, "not": 0.0}


@dataclass
class Site:
    base: str
    ref: str
    config: Path
    url: str
    inbox: Inbox
    statuses: list[str | None]


def _services(site_config: Path, url: str, clock: FixedClock | None = None) -> Any:
    return bootstrap(load_settings(site_config, database_url=url), clock=clock)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Site]:
    """A served site with a case in its final statement stage (good offices ended in agreement),
    both parties with an e-mail contact, another concluded case with commitments in each status,
    a handler, and an SMTP server the site's e-mail goes to."""
    require_browser()
    with smtp_server() as (inbox, port):
        config = SITE_CONFIG + f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\n'
        work, path, url = site_files(tmp_path_factory.mktemp("statement-round"), sqlite_template, config)
        services = _services(path, url)
        statuses: list[str | None] = []
        try:
            services.members.sync(actor="setup")
            ref = _concluded(
                services, "Tailings dam at the fjord", "Friends of the Fjord", "Nordic Metals ASA"
            )
            services.parties.add_contact(
                reference=ref, party="submitter-1", actor="setup", name="Kari Fjord", email=SUBMITTER_MAIL
            )
            services.parties.add_contact(
                reference=ref, party="enterprise-1", actor="setup", name="Ola Legal", email=ENTERPRISE_MAIL
            )
            other = _concluded(services, "Mine closure", "Miners' Union", "Arctic Ore AS")
            for number, status in enumerate(OTHERS, start=1):
                services.follow_up.add(
                    reference=other,
                    source="agreement",
                    owner="enterprise",
                    text=f"Commitment {number} of the mine closure",
                    actor="setup",
                )
                if status is not None:
                    services.follow_up.set_status(
                        reference=other, commitment=number, status=status, actor="setup"
                    )
                statuses.append(status)
            services.users.add(name="hanna", role="handler", actor="setup", password=PASSWORD)
        finally:
            services.close()
        with served(work, path, url, SECRET) as base:
            yield Site(base, ref, path, url, inbox, statuses)


def _concluded(services: Any, title: str, submitter: str, enterprise: str) -> str:
    """A case received three months ago, accepted, whose good offices ended in agreement."""
    ref = str(
        services.cases.open(
            title=title,
            submitters=[PartyInput(submitter, "ngo")],
            enterprises=[PartyInput(enterprise)],
            actor="setup",
            received=services.today() - timedelta(days=90),
            host_countries=["NO"],
            themes=["environment"],
        ).reference
    )
    for trigger, outcome in (("begin_assessment", None), ("accept", None), ("conclude", "agreement")):
        services.cases.advance(reference=ref, trigger=trigger, outcome=outcome, actor="setup", reason="e2e")
    return ref


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_a_final_statement_goes_from_draft_through_comments_to_the_register_and_follow_up(
    site: Site, browser: Any
) -> None:
    """Draft, circulate, a party's comment through its link, the reminder by SMTP, close, publish,
    the register and its feed, a commitment implemented, and the follow-up report's figures."""
    checks = Checks("en", prefix="statement-round")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    case = f"{site.base}/cases/{site.ref}"
    try:
        page.goto(f"{site.base}/signin?lang=en")
        page.fill("input[name=username]", "hanna")
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action='/signin'] button[type=submit]")
        page.wait_for_url(f"{site.base}/")

        # 1. the draft
        page.goto(f"{case}/statements")
        checks.page(page, "statements")
        page.select_option("#draft select[name=kind]", "final_statement")
        page.click("#draft button[type=submit]")
        expect(page.locator(".notice.ok")).to_be_visible()
        statement = page.locator("#statement-1")
        expect(statement).to_be_visible()
        checks.page(page, "statement-drafted")

        # 2. circulated to both parties for 14 days
        for key in ("submitter-1", "enterprise-1"):
            statement.locator(f"input[name=parties][value={key}]").check()
        statement.locator("input[name=days]").fill("14")
        statement.locator("form[action$='/circulate'] button[type=submit]").click()
        expect(page.locator(".notice.ok")).to_be_visible()
        expect(page.locator("#round-1")).to_be_visible()
        checks.page(page, "statement-circulated")

        # 3. the submitter's link, used in a browser context of its own
        page.goto(f"{case}/parties")
        page.select_option("#link-party", "submitter-1")
        page.click("form[action$='/links'] button[type=submit]")
        address = page.locator("#new-link").input_value()
        assert "/p/" in address
        checks.page(page, "link-issued")
        _party_comments(browser, address, checks)
        page.goto(f"{case}/statements")
        expect(page.locator("#round-1")).to_contain_text(COMMENT)
    finally:
        context.close()

    # 4. twelve days on, the sweep reminds the parties; the reminder reaches the SMTP server
    later = _services(site.config, site.url, FixedClock(datetime.now(UTC) + timedelta(days=12)))
    try:
        later.alerts.sweep()
        later.outbox.dispatch()
    finally:
        later.close()
    reminded = {
        to for mail in site.inbox.messages for to in mail.rcpt_tos if site.ref in str(mail.message["Subject"])
    }
    assert {SUBMITTER_MAIL, ENTERPRISE_MAIL} <= reminded, [m.message["Subject"] for m in site.inbox.messages]

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{site.base}/signin?lang=en")
        page.fill("input[name=username]", "hanna")
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action='/signin'] button[type=submit]")
        page.wait_for_url(f"{site.base}/")

        # 5. the round closed early, then the statement published after the confirmation page
        page.goto(f"{case}/statements")
        page.click("#round-1 form[action$='/close'] button[type=submit]")
        expect(page.locator("#round-1")).to_contain_text("closed")
        page.click("#statement-1 form[action$='/publish'] button[type=submit]")
        checks.page(page, "publish-confirm")
        page.click(".confirm button[value=yes]")
        expect(page.locator(".notice.ok")).to_be_visible()
        expect(page.locator("#statement-1")).to_contain_text("published")
        checks.page(page, "statement-published")

        # 6. the register, the PDF and the feed, signed out
        _register(browser, site, checks)

        # 7. a commitment of the agreement, tracked to "implemented"
        page.goto(f"{case}/follow-up")
        checks.page(page, "follow-up")
        add = page.locator("form[action$='/follow-up']")
        add.locator("select[name=source]").select_option("agreement")
        add.locator("select[name=owner]").select_option("enterprise")
        add.locator("textarea[name=text]").fill(COMMITMENT)
        add.locator("button[type=submit]").click()
        expect(page.locator("#commitments")).to_contain_text(COMMITMENT)
        status = page.locator("form[action$='/follow-up/1/status']")
        status.locator("select[name=status]").select_option("implemented")
        status.locator("input[name=note]").fill("Published for Q1 and Q2")
        status.locator("button[type=submit]").click()
        expect(page.locator("#commitment-1")).to_contain_text("implemented")
        checks.page(page, "follow-up-implemented")

        # 8. the report's figures, computed here from the commitments made
        known = [s for s in [*site.statuses, "implemented"] if s in WEIGHTS]
        expected = 100 * sum(WEIGHTS[s] for s in known) / len(known)
        count = len(site.statuses) + 1
        summary = {
            "en": f"{count} commitments and recommendations; implementation rate {_percent(expected, 'en')}.",
            "nb": f"{count} forpliktelser og anbefalinger; gjennomføringsgrad {_percent(expected, 'nb')}.",
        }
        for lang in ("en", "nb"):
            page.goto(f"{site.base}/reports/follow-up?lang={lang}")
            checks.page(page, "report-follow-up", lang)
            shown = page.locator("main").inner_text()
            assert summary[lang] in shown, (summary[lang], shown)
    finally:
        context.close()
    assert not checks.problems, "\n".join(checks.problems)


def _party_comments(browser: Any, address: str, checks: Checks) -> None:
    """The party opens its link with no session of the NCP's, sees the draft sent to it, and
    comments on the round."""
    party = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = party.new_page()
        page.goto(address + "?lang=en")
        checks.page(page, "party-page")
        expect(page.locator("main")).to_contain_text("Final statement")
        page.fill("#round-1-text", COMMENT)
        page.click("form[action$='/rounds/1/comment'] button[type=submit]")
        expect(page.locator(".notice.ok")).to_be_visible()
        checks.page(page, "party-commented")
        assert not any(c["name"] == "ncpflow_session" for c in party.cookies())
    finally:
        party.close()


def _register(browser: Any, site: Site, checks: Checks) -> None:
    """The case in the public register, its published statement downloadable as a PDF, and the
    entry in the Atom feed: all without signing in."""
    public = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = public.new_page()
        page.goto(f"{site.base}/register?lang=en")
        checks.page(page, "register")
        page.click(f"a[href='/register/{site.ref}']")
        checks.page(page, "register-entry")
        link = page.locator(f"a[href^='/register/{site.ref}/documents/']").first
        answer = public.request.get(site.base + str(link.get_attribute("href")))
        assert answer.status == 200 and answer.body().startswith(b"%PDF")
        feed = public.request.get(f"{site.base}/register/feed.atom")
        assert feed.status == 200 and site.ref in feed.text()
    finally:
        public.close()


def _percent(value: float, lang: str) -> str:
    """The rate as the report words it: whole percent; in Norwegian a no-break space before %."""
    text = f"{round(value)} %" if lang == "nb" else f"{round(value)}%"
    return re.sub(r"\s", "\u00a0", text) if lang == "nb" else text
