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
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from states.signatures import Signer
from tests.e2e.browser import chromium, require_browser, served, site_files
from tests.e2e.test_case_file_browser import Checks, expect
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput
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
    with (
        served(*sites["NO"], "sharing-no-secret-0123456789-abcdef-0123") as no,
        served(*sites["SE"], "sharing-se-secret-0123456789-abcdef-0123") as se,
    ):
        yield Pair(no, se, refs, root)


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
