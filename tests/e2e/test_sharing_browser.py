"""Sharing a case between two NCPs in a real headless Chromium against two real `ncpflow serve`
sites (Norway's and Sweden's, each its own database and key), at a phone's width (390 px), in
English and Norwegian: a handler at NO shares a case with a document from the case's sharing page,
confirms, and downloads the signed bundle; a handler at SE uploads it, a tampered copy first
(refused, the reason named, nothing taken in), then the real one, and SE's case page shows NO's
case as a parallel related instance and the bundle. axe-core (WCAG 2.1 A and AA) and the width on
every page; no JavaScript is needed (plain forms; the pages' CSP allows no script).

Skipped without /usr/bin/chromium unless NCPFLOW_REQUIRE_BROWSER is set (tests/e2e/browser.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from states.signatures import Signer
from tests.e2e.browser import chromium, require_browser, served, site_files
from tests.e2e.test_case_file_browser import Checks, expect
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput, advance
from workflow.config import load_settings

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
CONFIG = """\
[ncp]
name = "NCP {code}"
country = "{code}"
reference_prefix = "{code}"
language = "en"
timezone = "Europe/Oslo"

[database]
url = "{{url}}"

[audit]
signing_key_file = "signing.pem"

[[peers]]
ncp = "{peer}"
name = "NCP {peer}"
public_key_file = "{peer_key}"
"""
WORDS = {
    "en": {
        "sweden": "Sweden (SE)",
        "opened": "opened from NO",
        "parallel": "Parallel complaint",
        "changed": "it was changed",
    },
    "nb": {
        "sweden": "Sverige (SE)",
        "opened": "opprettet fra kontaktpunktet NO",
        "parallel": "Parallell",
        "changed": "den er endret",
    },
}


@dataclass
class Pair:
    no: str
    se: str
    refs: list[str]
    folder: Path
    # Per language: NO's case that SE reviews drafts of (draft 1 asked), and SE's copy of it.
    reviewed: dict[str, tuple[str, str]] = field(default_factory=dict)


def _asked_to_review(sites: dict[str, tuple[Path, Path, str]], root: Path) -> dict[str, tuple[str, str]]:
    """Per language, a case at NO with SE reviewing drafts and draft 1 asked of it, shared with
    SE and taken in there (set up through the use cases, before the sites serve)."""
    at_no = bootstrap(load_settings(sites["NO"][1], database_url=sites["NO"][2]))
    at_se = bootstrap(load_settings(sites["SE"][1], database_url=sites["SE"][2]))
    reviewed = {}
    try:
        for lang in ("en", "nb"):
            ref = at_no.cases.open(
                title=f"Tailings dam ({lang})",
                submitters=[PartyInput("Friends of the Fjord", "ngo")],
                enterprises=[PartyInput("Nordic Metals ASA")],
                actor="setup",
                received=at_no.today() - timedelta(days=20),
            ).reference
            at_no.ncps.add_supporting(reference=ref, ncp="SE", role="reviews_drafts", actor="setup")
            advance(
                uow=at_no.uow, clock=at_no.clock, policy=at_no.policy, reference=ref,
                trigger="begin_assessment", actor="setup", reason="complete",
            )  # fmt: skip
            at_no.statements.draft(reference=ref, kind="initial_assessment", actor="setup")
            at_no.ncps.request_review(reference=ref, statement=1, actor="setup")
            out = root / f"asked-{lang}.bundle.json"
            at_no.bundles.share(reference=ref, to="SE", actor="setup", out=out)
            reviewed[lang] = (ref, at_se.bundles.receive(path=out, actor="setup").reference)
    finally:
        at_no.close()
        at_se.close()
    return reviewed


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Pair]:
    require_browser()
    root = tmp_path_factory.mktemp("sharing")
    folders = {code: root / code for code in ("NO", "SE")}
    for folder in folders.values():
        folder.mkdir()
        signer = Signer.generate()
        (folder / "signing.pem").write_text(signer.private_pem())
        (folder / "public.pem").write_text(signer.public_pem())
    sites = {}
    for code, peer in (("NO", "SE"), ("SE", "NO")):
        config = CONFIG.format(code=code, peer=peer, peer_key=folders[peer] / "public.pem")
        sites[code] = site_files(folders[code], sqlite_template, config)
    refs = []
    for code, (_, config, url) in sites.items():
        services = bootstrap(load_settings(config, database_url=url))
        try:
            services.users.add(name="hanna", role="handler", actor="setup", password=PASSWORD)
            if code == "NO":
                for lang in ("en", "nb"):
                    ref = services.cases.open(
                        title=f"Smelter emissions ({lang})",
                        submitters=[PartyInput("Friends of the Fjord", "ngo")],
                        enterprises=[PartyInput("Nordic Metals ASA")],
                        actor="setup",
                        received=services.today() - timedelta(days=20),
                    ).reference
                    services.documents.add(
                        reference=ref,
                        source=[b"%PDF-1.4\n% the complaint\n%%EOF\n" + lang.encode()],
                        filename="complaint.pdf",
                        title="The complaint",
                        direction="in",
                        access="parties",
                        actor="setup",
                    )
                    refs.append(ref)
        finally:
            services.close()
    reviewed = _asked_to_review(sites, root)
    with (
        served(*sites["NO"], "sharing-no-secret-0123456789-abcdef-0123") as no,
        served(*sites["SE"], "sharing-se-secret-0123456789-abcdef-0123") as se,
    ):
        yield Pair(no, se, refs, root, reviewed)


@pytest.fixture(scope="module")
def browser(pair: Pair) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _sign_in(page: Any, base: str, lang: str) -> None:
    page.goto(f"{base}/signin?lang={lang}")
    page.fill("input[name=username]", "hanna")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/signin'] button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_a_case_is_shared_and_received_in_the_browser_on_a_phone(pair: Pair, browser: Any, lang: str) -> None:
    words, checks = WORDS[lang], Checks(lang, prefix="sharing")
    ref = pair.refs[0 if lang == "en" else 1]
    at_no = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    at_se = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = at_no.new_page()
        _sign_in(page, pair.no, lang)
        page.goto(f"{pair.no}/cases/{ref}")
        page.click("#sharing-link")
        checks.page(page, "sharing")
        form = page.locator("#share-form")
        form.locator("select[name=to]").select_option("SE")
        form.locator("input[name=documents][value='1']").check()
        form.locator("button[type=submit]").click()
        expect(page.locator("h1")).to_contain_text(words["sweden"])
        checks.page(page, "sharing-confirm")
        with page.expect_download() as waiting:
            page.locator("button[name=confirm][value=yes]").click()
        bundle = pair.folder / f"{lang}.bundle.json"
        waiting.value.save_as(bundle)
        page.goto(f"{pair.no}/cases/{ref}")
        expect(page.locator("#case-bundles")).to_contain_text(words["sweden"])
        checks.page(page, "case-with-bundle")

        other = at_se.new_page()
        _sign_in(other, pair.se, lang)
        other.goto(f"{pair.se}/sharing")
        checks.page(other, "receive")
        tampered = pair.folder / f"{lang}.tampered.json"
        tampered.write_bytes(bundle.read_bytes().replace(b"Smelter", b"Smolter"))
        other.locator("#receive-form input[name=bundle]").set_input_files(str(tampered))
        other.locator("#receive-form button[type=submit]").click()
        expect(other.locator(".notice.error")).to_contain_text(words["changed"])
        checks.page(other, "receive-refused")
        other.locator("#receive-form input[name=bundle]").set_input_files(str(bundle))
        other.locator("#receive-form button[type=submit]").click()
        expect(other.locator(".notice.ok")).to_contain_text(words["opened"])
        expect(other.locator("#bundles")).to_contain_text("Norge (NO)" if lang == "nb" else "Norway (NO)")
        checks.page(other, "received")
        other.locator("a", has_text="←").first.click()
        expect(other.locator("#related-cases")).to_contain_text(ref)
        expect(other.locator("#related-cases")).to_contain_text(words["parallel"])
        checks.page(other, "received-case")
    finally:
        at_no.close()
        at_se.close()
    assert not checks.problems, "\n".join(checks.problems)


REVIEW_WORDS = {
    "en": {
        "comment": "Review comment",
        "reason": "Why the lead is handed over",
        "handover": "Hand the lead over to Sweden (SE)?",
        "kind": "Handover, sent to",
    },
    "nb": {
        "comment": "Merknad fra gjennomlesing",
        "reason": "Hvorfor ledelsen overlates",
        "handover": "Overlate ledelsen til kontaktpunktet Sverige (SE)?",
        "kind": "Overlevering",
    },
}


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_a_review_comment_and_a_handover_are_sent_from_the_sharing_form_on_a_phone(
    pair: Pair, browser: Any, lang: str
) -> None:
    """SE answers NO's review task from its sharing form (comment and draft number, confirmed
    first) and NO takes the bundle in: the comment is on NO's NCPs page. Then NO hands the lead
    over from its form (a missing reason refused first, named; the box stays ticked), confirms,
    and SE takes the handover in and leads. axe and the width on every page; plain forms."""
    words, checks = REVIEW_WORDS[lang], Checks(lang, prefix="sharing-review")
    ref, theirs = pair.reviewed[lang]
    comment = f"Paragraph 4 should name the host country ({lang})."
    at_no = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    at_se = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    try:
        se = at_se.new_page()
        _sign_in(se, pair.se, lang)
        se.goto(f"{pair.se}/cases/{theirs}/sharing")
        form = se.locator("#share-form")
        form.locator("select[name=to]").select_option("NO")
        form.locator("textarea[name=review_comment]").fill(comment)
        form.locator("input[name=review_statement]").fill("1")
        checks.page(se, "review-form")
        form.locator("button[type=submit]").click()
        expect(se.locator(".confirm")).to_contain_text(words["comment"])
        expect(se.locator(".confirm")).to_contain_text(comment)
        checks.page(se, "review-confirm")
        with se.expect_download() as waiting:
            se.locator("button[name=confirm][value=yes]").click()
        answer = pair.folder / f"answer-{lang}.bundle.json"
        waiting.value.save_as(answer)

        no = at_no.new_page()
        _sign_in(no, pair.no, lang)
        no.goto(f"{pair.no}/sharing")
        no.locator("#receive-form input[name=bundle]").set_input_files(str(answer))
        no.locator("#receive-form button[type=submit]").click()
        expect(no.locator(".notice.ok")).to_contain_text(ref)
        no.goto(f"{pair.no}/cases/{ref}/ncps")
        expect(no.locator("#reviews")).to_contain_text(comment)
        checks.page(no, "review-answered")

        no.goto(f"{pair.no}/cases/{ref}/sharing")
        form = no.locator("#share-form")
        form.locator("select[name=to]").select_option("SE")
        form.locator("input[name=handover]").check()
        form.locator("button[type=submit]").click()
        expect(no.locator(".notice.error")).to_contain_text(words["reason"])
        checks.page(no, "handover-refused")
        form = no.locator("#share-form")
        expect(form.locator("input[name=handover]")).to_be_checked()
        form.locator("textarea[name=reason]").fill("SE leads from now")
        form.locator("button[type=submit]").click()
        expect(no.locator("h1")).to_contain_text(words["handover"])
        expect(no.locator(".confirm")).to_contain_text("SE leads from now")
        checks.page(no, "handover-confirm")
        with no.expect_download() as waiting:
            no.locator("button[name=confirm][value=yes]").click()
        handover = pair.folder / f"handover-{lang}.bundle.json"
        waiting.value.save_as(handover)
        no.goto(f"{pair.no}/cases/{ref}")
        expect(no.locator("#case-bundles")).to_contain_text(words["kind"])

        se.goto(f"{pair.se}/sharing")
        se.locator("#receive-form input[name=bundle]").set_input_files(str(handover))
        se.locator("#receive-form button[type=submit]").click()
        expect(se.locator(".notice.ok")).to_contain_text(theirs)
        se.goto(f"{pair.se}/cases/{theirs}/ncps")
        expect(se.locator("#lead")).to_contain_text("SE")
        checks.page(se, "handover-received")
    finally:
        at_no.close()
        at_se.close()
    assert not checks.problems, "\n".join(checks.problems)
