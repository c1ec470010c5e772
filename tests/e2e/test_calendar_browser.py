"""The calendar in a real headless Chromium against `ncpflow serve` (the served site and browser
of test_pages.py): the month is a grid on a wide screen and a list of days on a phone, with no
sideways scrolling; a subscription URL made in the browser is read by a client holding nothing
but the URL."""

from __future__ import annotations

import urllib.request
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.e2e.test_pages import Site, _screenshot, browser, dialogs, sign_in, site

pytestmark = pytest.mark.slow
__all__ = ["browser", "dialogs", "site"]  # the shared fixtures, used by name


def test_the_month_is_a_grid_on_a_wide_screen_and_a_list_of_days_on_a_phone(
    browser: Any, site: Site, dialogs: list[str]
) -> None:
    """1280 px: seven columns with their weekday headers. 390 px: the days stacked, empty days
    left out, today kept, nothing wider than the screen; in English and Norwegian."""
    page = sign_in(browser, site, "hanna", dialogs)
    today = datetime.now(ZoneInfo("Europe/Oslo")).date().isoformat()  # the site's zone
    for lang in ("en", "nb"):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{site.base}/calendar?lang={lang}")
        assert page.locator("table.month thead th").count() == 7
        assert (
            page.evaluate("getComputedStyle(document.querySelector('table.month td')).display")
            == "table-cell"
        )
        _screenshot(page, f"calendar-month-1280-{lang}.png")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{site.base}/calendar?lang={lang}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        today_cell = page.locator(f"td:has(time[datetime='{today}'])")
        assert today_cell.evaluate("cell => getComputedStyle(cell).display") == "block"
        assert today_cell.locator(".on-phone").is_visible()  # the weekday and date, in words
        shown = page.locator("table.month td:visible").count()
        assert 1 <= shown < 28  # only today and the days with something due
        _screenshot(page, f"calendar-month-390-{lang}.png")
        page.goto(f"{site.base}/calendar?week=2025-W07&lang={lang}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        _screenshot(page, f"calendar-week-390-{lang}.png")
    page.context.close()


def test_a_url_made_in_the_browser_is_read_by_a_client_holding_only_the_url(
    browser: Any, site: Site, dialogs: list[str]
) -> None:
    """Make the URL on the subscription page (390 px, no sideways scrolling), copy it from the
    field, and fetch it as a calendar client would: no cookie, no header."""
    page = sign_in(browser, site, "hanna", dialogs)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site.base}/calendar/feed?lang=nb")
    page.select_option("#feed-language", "nb")
    page.click("form[action='/calendar/feed'] button[type=submit]")
    page.wait_for_url(f"{site.base}/calendar/feed")
    url = page.input_value("#new-url")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _screenshot(page, "calendar-feed-390-nb.png")
    page.context.close()
    assert url.startswith(f"{site.base}/calendar/feed/") and url.endswith(".ics")
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310
        assert answer.headers["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(answer.read())
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert f"{site.other_ref}: frist for første vurdering" in summaries
