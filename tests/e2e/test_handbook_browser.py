"""The handbook page in a real headless Chromium against `ncpflow serve` (test_pages.py's site):
axe-clean (WCAG 2.1 A/AA) in English and Norwegian at 390 and 1280 px, nothing wider than the
screen. The whole-site walk (test_browser_walk.py) visits
it too; this is the page's own, quicker check."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_browser_walk import OVERFLOW, WCAG_21_AA, _violations
from tests.e2e.test_pages import Site, _screenshot, browser, dialogs, sign_in, site
from tests.helpers import OECD

pytestmark = pytest.mark.slow
__all__ = ["browser", "dialogs", "site"]  # the shared fixtures, used by name


@pytest.mark.parametrize("width", [390, 1280])
def test_the_handbook_page_passes_axe_and_fits_the_screen_in_both_languages(
    browser: Any, site: Site, dialogs: list[str], width: int
) -> None:
    """No axe violation, no sideways scroll, the page in its language, its last stage shown, a
    deadline's or step's name in bold above its sentences."""
    from axe_playwright_python.sync_playwright import Axe

    page = sign_in(browser, site, "hanna", dialogs)
    page.set_viewport_size({"width": width, "height": 844 if width < 800 else 900})
    problems: list[str] = []
    for lang in ("en", "nb"):
        page.goto(f"{site.base}/handbook?lang={lang}&version={OECD.version}")
        assert page.locator("html").get_attribute("lang") == lang
        options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
        problems += _violations(Axe().run(page, options=options).response, f"/handbook [{lang}, {width}px]")
        fit = page.evaluate(OVERFLOW)
        assert fit["scroll"] <= fit["width"], fit["wide"]
        assert page.locator("#stage-closed").is_visible()
        # A deadline's or a step's name stands out from the sentences under it.
        weights = page.evaluate(
            "() => ['dt', 'dd'].map("
            "t => getComputedStyle(document.querySelector('.handbook ' + t)).fontWeight)"
        )
        assert int(weights[0]) >= 600 > int(weights[1]), weights
        _screenshot(page, f"handbook-{width}-{lang}.png")
    page.context.close()
    assert not problems, "\n".join(problems)
