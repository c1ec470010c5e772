"""Every page in a real headless Chromium, in English and Norwegian, at a phone's and a desk's width.

One served site (a real `ncpflow serve` on a loopback port) holds varied cases: a confidential
submitter, issues, facts, an extended deadline, a note, an exempt document and a long unbroken
title; a paused case; a closed case; an untouched one gone overdue. Each page of the page walk
(tests/e2e/page_walk.py) is visited at 390 and 1280 px in en and nb, as the handler, or, for a page
the handler may not see, as the first role that may; the sign-in page signed out; and the error
pages (unknown page, unknown case, one page refused to the handler). On each: axe-core (WCAG 2.1 A
and AA) reports no violation, the page is no wider than the screen (at 390 px as at 1280 px), and a
full-page screenshot goes to test-artifacts/ named by page, language and width. Then the keyboard
and print checks.

Skipped without /usr/bin/chromium unless NCPFLOW_REQUIRE_BROWSER is set (tests/e2e/browser.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from ncpflow.web.app import create_app
from ncpflow.web.i18n import COOKIE as LANGUAGE_COOKIE
from tests.e2e.browser import SITE_CONFIG, chromium, require_browser, screenshot, served, site_files
from tests.e2e.page_walk import page_urls, party_token
from tests.helpers import sign_in
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput
from workflow.config import load_settings

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
SECRET = "e2e-walk-secret-key-0123456789-abcdefghij"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (390, 1280)
LANGUAGES = ("en", "nb")
# Who visits: the first of these that a page answers with 200 (None: signed out).
ROLES: tuple[str | None, ...] = (None, "handler", "member", "auditor", "admin")
NAMES = {"handler": "hanna", "member": "mari", "auditor": "aud", "admin": "ada"}  # ada: page_walk.SAMPLES
# An unbroken word far wider than a phone: titles, names and references must wrap anyway.
LONG = "Kobberutvinningsselskapetsinternasjonaledatterselskapsmiljøkonsekvensutredning"
# The members of tests/e2e/browser.py's site, and one more so that each case gets its own lead.
CONFIG = (
    SITE_CONFIG
    + """
[[members]]
id = "member-c"
name = "Member C"
email = "member-c@example.org"
"""
)

# Where a visit is judged to overflow: the page's widest elements past the screen's right edge.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5) {
      const classes = el.className ? '.' + String(el.className).split(' ').join('.') : '';
      wide.push(el.tagName.toLowerCase() + classes + ' (' + Math.round(box.right) + 'px)');
    }
  }
  return {scroll: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 5)};
}"""


@dataclass
class Walk:
    base: str
    visits: list[tuple[str | None, str]]  # (role, URL)
    cookies: dict[str, list[dict[str, Any]]]  # the session cookies of each role
    case: str  # the page of the case with the most on it


def _seed(services: Any) -> dict[str, str]:
    """The cases of the walk, through the use cases; their references by what they show."""
    cases = services.cases
    today = services.today()

    def opened(title: str, submitter: PartyInput, enterprises: list[PartyInput], received: date) -> str:
        return str(
            cases.open(
                title=title, submitters=[submitter], enterprises=enterprises, actor="setup", received=received
            ).reference
        )

    def steps(ref: str, *moves: tuple[str, str, date, str | None]) -> None:
        for trigger, reason, at, scope in moves:
            cases.advance(reference=ref, trigger=trigger, actor="setup", reason=reason, at=at, scope=scope)

    ago = [today - timedelta(days=n) for n in range(121)]
    rich = opened(
        f"Tailings and water: {LONG} {LONG}",
        PartyInput(f"Hidden Witness Union {LONG}", "trade_union", confidential=True),
        [PartyInput("Fjord Mining ASA", org_number="923456789"), PartyInput(LONG)],
        ago[100],
    )
    steps(
        rich,
        ("begin_assessment", "Acknowledged", ago[95], None),
        ("accept", f"Material issues {LONG}", ago[60], f"Chapter VI only {LONG}"),
    )
    cases.add_issue(reference=rich, actor="setup", title=f"Drinking water {LONG}", chapters=["vi"])
    cases.add_issue(reference=rich, actor="setup", title="Union rights", chapters=["v", "iv"])
    for number, decision in [(1, "accepted"), (2, "not_accepted")]:
        cases.decide_issue(reference=rich, number=number, decision=decision, actor="setup", at=ago[60])
    cases.record(reference=rich, fact="assessment_published", on=ago[55], actor="setup")
    # Its stage's checklist (issue 17): one item ticked, so the page shows both kinds of line.
    services.checklists.tick(reference=rich, item="go_offer_sent", actor="setup")
    for replaces, access in ((None, "parties"), (1, "parties"), (None, "ncp")):
        services.documents.add(
            reference=rich,
            source=[b"%PDF-1.4\n"],
            filename=f"{LONG}.pdf",
            title=f"Response of the enterprise {LONG}",
            direction="in",
            party="enterprise-1",
            access=access,
            exemption="offentleglova § 13",
            actor="setup",
            replaces=replaces,
        )
    cases.extend(
        reference=rich, deadline="good_offices", actor="setup", reason="Translation awaited", days=30
    )
    # The case's story and the journal (issue 14): a note and an exempt document, long words in each.
    services.notes.add(reference=rich, text=f"Called the union's lawyer.\n{LONG}", actor="setup")
    services.documents.add(
        reference=rich,
        source=[b"%PDF-1.4\n% the complaint\n"],
        filename="complaint.pdf",
        title=f"Complaint {LONG}",
        direction="in",
        party="submitter-1",
        access="parties",
        exemption="offentleglova § 13",
        actor="setup",
    )
    # Its letters (one sent by post, one a draft with its textarea) and correspondence log.
    services.letters.draft(reference=rich, kind="invitation", party="enterprise-1", actor="setup")
    services.letters.send(reference=rich, letter=1, channel="post", actor="setup")
    services.letters.draft(reference=rich, kind="draft_for_comment", party="enterprise-2", actor="setup")
    services.correspondence.log(
        reference=rich,
        direction="in",
        party="enterprise-1",
        channel="email",
        subject=f"Reply {LONG}",
        actor="setup",
    )
    # An external mediator with a hard conflict overridden (page_walk.SAMPLES' `ola-hansen`), and
    # a session with long words (the mediation page's table and forms at phone width).
    services.mediators.add(
        actor="setup",
        mediator_id="ola-hansen",
        name=f"Ola Hansen {LONG}",
        email="ola@mekling.example",
        organisation=LONG,
        languages=("nb", "en"),
        conflicts=(("Fjord Mining ASA", None),),
        soft_conflicts=((None, "923456789"),),
    )
    services.mediators.assign(reference=rich, mediator="ola-hansen", actor="setup", override=f"Agreed {LONG}")
    services.mediators.add_session(
        reference=rich,
        actor="setup",
        starts=ago[20],
        format="hybrid",
        place=LONG,
        interpreters=("fr",),
        attendees=("submitter-1", "enterprise-1", LONG),
        notes=f"Internal {LONG}",
    )
    # Its follow-up (issue 15): a commitment with a long text, its status with a note and evidence.
    services.follow_up.add(
        reference=rich,
        source="agreement",
        owner="enterprise",
        party="enterprise-1",
        text=f"Publish {LONG}",
        document=1,
        actor="setup",
    )
    services.follow_up.set_status(
        reference=rich, commitment=1, status="partly", note=f"Draft {LONG}", evidence=[1], actor="setup"
    )

    # Its company engagement (issue 15): a decline with its reasons, one waiting, a concern.
    services.engagement.invite(
        reference=rich, party="enterprise-2", to="good_offices", channel="email", actor="setup", at=ago[50]
    )
    services.engagement.respond(
        reference=rich,
        invitation=1,
        response="declined",
        reasons=["parallel_proceedings", "disputes_mandate"],
        actor="setup",
        at=ago[45],
    )
    services.engagement.invite(
        reference=rich, party="enterprise-1", to="meeting", channel="post", actor="setup"
    )
    services.engagement.concern(
        reference=rich, side="submitter", text=f"Pressure on the union {LONG}", actor="setup"
    )
    paused = opened(
        "Salmon farm discharge", PartyInput("Coastal Alliance", "ngo"), [PartyInput("Havbruk ASA")], ago[30]
    )
    cases.pause(
        reference=paused, actor="setup", reason="Parallel proceedings", requested_by="Havbruk ASA", at=ago[10]
    )

    # Related cases (issue 16): the rich case linked to the paused one and to a parallel complaint
    # at another NCP with a long reference and an address.
    services.case_links.link(reference=rich, kind="same_facts", case=paused, actor="setup")
    services.case_links.link(
        reference=rich,
        kind="parallel",
        ncp="SE",
        external_reference=f"NKP {LONG}",
        url=f"https://ncp.example.se/cases/{LONG}",
        actor="setup",
    )

    last_year = today.year - 1
    closed = opened(
        "Forest concession",
        PartyInput("Rainforest Foundation", "ngo"),
        [PartyInput("Timber AS")],
        date(last_year, 1, 15),
    )
    steps(
        closed,
        ("begin_assessment", "Acknowledged", date(last_year, 1, 20), None),
        ("reject", "No material issues", date(last_year, 3, 1), None),
        ("close", "Statement published", date(last_year, 4, 1), None),
    )
    overdue = opened(
        "Garment supplier audit", PartyInput("Clean Clothes Norway", "ngo"), [PartyInput("Klær AS")], ago[120]
    )
    return {"rich": rich, "paused": paused, "closed": closed, "overdue": overdue}


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Walk]:
    require_browser()
    work, config, url = site_files(tmp_path_factory.mktemp("walk"), sqlite_template, CONFIG)

    services = bootstrap(load_settings(config, database_url=url))
    try:
        services.members.sync(actor="setup")
        refs = _seed(services)
        lead = services.cases.get(reference=refs["rich"]).lead_member
        for role, name in NAMES.items():
            services.users.add(
                name=name,
                role=role,
                actor="setup",
                member_id=lead if role == "member" else None,
                password=PASSWORD,
            )
        # ada's page (the admin user page's sample) shows a calendar URL as listed.
        services.calendar.make_feed(name="ada", actor="ada", language="nb")
        # The pages with a sample for each path parameter (the rich case stands for a case),
        # the other cases' own pages, and the error pages.
        samples = {
            "ref": refs["rich"],
            "register/ref": refs["closed"],  # closed: its statement public
            "token": party_token(services, refs["rich"], "enterprise-1"),
        }
        urls = page_urls(create_app(services, secret=SECRET), samples)
        urls += [f"/cases/{refs[name]}" for name in ("paused", "closed", "overdue")]
        errors = ["/no-such-page", f"/cases/NCP-{date.today().year}-999"]
    finally:
        services.close()

    with served(work, config, url, SECRET) as base:
        cookies: dict[str, list[dict[str, Any]]] = {}
        statuses: dict[str | None, dict[str, int]] = {}
        for role in ROLES:
            with httpx.Client(base_url=base) as client:
                if role is not None:
                    assert sign_in(client, NAMES[role], PASSWORD).status_code == 303, role
                    cookies[role] = [
                        {"name": c.name, "value": c.value or "", "url": base} for c in client.cookies.jar
                    ]
                statuses[role] = {u: client.get(u, headers={"Accept": "text/html"}).status_code for u in urls}
        unreachable = [u for u in urls if all(statuses[r][u] != 200 for r in ROLES)]
        assert not unreachable, f"no role gets these pages (a sample missing?): {unreachable}"
        visits: list[tuple[str | None, str]] = [("handler", u) for u in errors]
        for u in urls:  # a page goes to the first role it answers
            visits.append((next(r for r in ROLES if statuses[r][u] == 200), u))
        # The 403 page: the handler asks for the first page only other roles may see.
        visits += [("handler", u) for u in urls if statuses["handler"][u] == 403][:1]
        yield Walk(base, visits, cookies, f"/cases/{refs['rich']}")


@pytest.fixture(scope="module")
def browser(walk: Walk) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _name(role: str | None, url: str, lang: str, width: int) -> str:
    page = re.sub(r"[^A-Za-z0-9]+", "-", url).strip("-") or "dashboard"
    who = "signed-out-" if role is None else ("" if role == "handler" else f"{role}-")
    return f"walk-{who}{page}-{lang}-{width}.png"


def _violations(results: dict[str, Any], url: str) -> list[str]:
    return [
        f"{url}: {v['id']} ({v.get('impact')}): "
        + "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:5])
        for v in results["violations"]
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_passes_axe_fits_the_screen_and_is_photographed(
    walk: Walk, browser: Any, lang: str, width: int
) -> None:
    """Each page at this width and language: no WCAG 2.1 A/AA violation, no sideways scroll at
    390 px, and a full-page screenshot."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 800 else 900})
    page = context.new_page()
    problems: list[str] = []
    try:
        for role, url in walk.visits:
            context.clear_cookies()
            context.add_cookies(
                [
                    *walk.cookies.get(role or "", []),
                    {"name": LANGUAGE_COOKIE, "value": lang, "url": walk.base},
                ]
            )
            page.goto(walk.base + url)
            where = f"{url} [{role or 'signed out'}, {lang}, {width}px]"
            if page.locator("html").get_attribute("lang") != lang:
                problems.append(f"{where}: the page is not in {lang}")
            problems += _violations(axe.run(page, options=options).response, where)
            fit = page.evaluate(OVERFLOW)
            if fit["scroll"] > fit["width"]:
                problems.append(
                    f"{where}: {fit['scroll']}px wide on a {fit['width']}px screen: " + ", ".join(fit["wide"])
                )
            screenshot(page, _name(role, url, lang, width))
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def _contrast(css: str, against: tuple[int, int, int] = (255, 255, 255)) -> float:
    """The WCAG contrast ratio of a computed `rgb(...)` colour against `against`."""

    def luminance(rgb: tuple[int, ...]) -> float:
        def channel(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb[:3])
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    rgb = tuple(int(float(n)) for n in re.findall(r"[\d.]+", css)[:3])
    high, low = sorted((luminance(rgb), luminance(against)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_keyboard_skips_to_the_content_with_a_visible_focus_and_a_case_prints_in_ink(
    walk: Walk, browser: Any
) -> None:
    """Tab first reaches "Skip to content", shown with a focus ring of 3:1 or more; Enter moves
    to the main content; printed, a case has no navigation, forms or skip link, in black."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_cookies(walk.cookies["handler"])
    page = context.new_page()
    try:
        page.goto(f"{walk.base}{walk.case}?lang=en")
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const el = document.activeElement; const style = getComputedStyle(el);
                 const box = el.getBoundingClientRect();
                 return {cls: el.className, text: el.textContent, top: box.top, bottom: box.bottom,
                         outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
                         colour: style.outlineColor}; }"""
        )
        assert focused["cls"] == "skip" and focused["text"] == "Skip to content"
        assert focused["top"] >= 0 and focused["bottom"] <= 844  # on screen once focused
        assert focused["outline"] == "solid" and focused["width"] >= 2
        assert _contrast(focused["colour"]) >= 3 and _contrast(focused["colour"], (247, 248, 250)) >= 3
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        page.keyboard.press("Tab")  # the next stop is inside the content, and shows its ring too
        assert page.evaluate("document.activeElement.closest('main') !== null")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"

        page.emulate_media(media="print")
        for hidden in ("header.top nav", "a.skip", "#actions", "footer"):
            assert not page.locator(hidden).is_visible(), hidden
        assert page.locator("table.deadlines").is_visible()
        assert page.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(0, 0, 0)"
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") in (
            "rgba(0, 0, 0, 0)",
            "rgb(255, 255, 255)",
        )
        screenshot(page, "walk-case-print.png")
    finally:
        context.close()
