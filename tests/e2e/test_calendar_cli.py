"""`ncpflow users calendar-url NAME`: the subscription URL from the command line, made (printed
once) and revoked, audited like the pages' and the API's."""

from __future__ import annotations

from icalendar import Calendar

from tests.conftest import ROOT, InProcessCli
from workflow.bootstrap import bootstrap
from workflow.config import load_settings


def _feed(database_url: str, url: str) -> bytes | None:
    services = bootstrap(load_settings(ROOT / "config.toml", database_url=database_url))
    try:
        return services.calendar.feed(token=url.rpartition("/")[2].removesuffix(".ics"))
    finally:
        services.close()


def test_a_url_made_at_the_command_line_works_until_revoked(ncp: InProcessCli, database_url: str) -> None:
    """Printed once with its id and language; the feed reads; `--revoke` ends it."""
    assert ncp("users", "add", "hanna", "--role", "handler", "--actor", "root").returncode == 0
    made = ncp.json("users", "calendar-url", "hanna", "--actor", "root", "--json")
    assert made["language"] == "nb"  # config.toml's [ncp] language
    assert made["url"].startswith("http://127.0.0.1:8000/calendar/feed/") and made["url"].endswith(".ics")
    body = _feed(database_url, made["url"])
    assert body is not None and Calendar.from_ical(body)["VERSION"] == "2.0"
    revoked = ncp("users", "calendar-url", "hanna", "--revoke", "--actor", "root")
    assert revoked.returncode == 0 and made["id"] in revoked.stdout
    assert _feed(database_url, made["url"]) is None
    log = ncp("audit", "log", "--format", "jsonl").stdout
    assert "calendar_feed_made" in log and "calendar_feed_revoked" in log
    assert made["url"].rpartition("/")[2].removesuffix(".ics") not in log


def test_bad_input_names_the_option(ncp: InProcessCli) -> None:
    """An unknown language is refused naming --language (exit 2); --mine needs a member user."""
    assert ncp("users", "add", "hanna", "--role", "handler", "--actor", "root").returncode == 0
    wrong = ncp("users", "calendar-url", "hanna", "--language", "de")
    assert wrong.returncode == 2 and "--language" in wrong.stderr
    mine = ncp("users", "calendar-url", "hanna", "--mine")
    assert mine.returncode == 2 and "member" in mine.stderr
    nobody = ncp("users", "calendar-url", "nobody")
    assert nobody.returncode == 2 and "nobody" in nobody.stderr
