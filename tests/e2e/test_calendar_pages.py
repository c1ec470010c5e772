"""The calendar in the browser's terms (issue 13): the month and week pages of due dates, and a
personal subscription URL that Outlook or Google Calendar read by the URL alone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from tests.e2e.conftest import Site
from tests.helpers import sign_in
from workflow import users
from workflow.application import Application

NEW_URL = re.compile(r'id="new-url"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*id="new-url"')


def _app(site: Site) -> Application:
    return site.services


def _cell(page: str, day: str) -> str:
    """The month grid's cell of `day` (YYYY-MM-DD)."""
    found = re.search(rf'<td[^>]*>\s*<p class="day"><time datetime="{day}">.*?</td>', page, re.S)
    assert found, day
    return found.group(0)


def _make(site: Site, **form: str) -> str:
    """Make a subscription URL on the page; the URL the page then shows once."""
    answer = site.client.post(
        "/calendar/feed", data={"csrf_token": site.csrf("/calendar/feed"), **form}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/calendar/feed", answer.text
    page = site.client.get("/calendar/feed").text
    found = NEW_URL.search(page)
    assert found, page
    return found.group(1) or found.group(2)


def _fetch(site: Site, url: str) -> tuple[int, bytes, str]:
    """The URL as a calendar client asks for it: no cookie, no header."""
    assert url.startswith("http://testserver/calendar/feed/") and url.endswith(".ics")
    bare = TestClient(site.client.app, raise_server_exceptions=False)
    answer = bare.get(url.removeprefix("http://testserver"))
    assert "cookie" not in {k.lower() for k in answer.request.headers}
    assert "authorization" not in {k.lower() for k in answer.request.headers}
    return answer.status_code, answer.content, answer.headers.get("content-type", "")


def test_the_month_shows_each_open_deadline_on_its_due_day_with_its_case_and_status(site: Site) -> None:
    """February 2025: the acknowledgement on the 14th, linked to its case, overdue by now."""
    page = site.client.get("/calendar?month=2025-02&lang=en")
    assert page.status_code == 200
    cell = _cell(page.text, "2025-02-14")
    assert f'href="/cases/{site.reference}"' in cell and "Acknowledgement" in cell
    assert 'class="tag late">overdue<' in cell  # said in words, not by colour alone
    assert '<th scope="col"><abbr title="Monday">Mon</abbr></th>' in page.text
    assert 'href="/calendar?month=2025-01" rel="prev"' in page.text
    assert 'href="/calendar?month=2025-03" rel="next"' in page.text
    assert "<h1>Due dates: February 2025</h1>" in page.text
    assert 'aria-current="page">Calendar<' in page.text  # the nav link


def test_the_default_is_this_month_with_today_marked(site: Site) -> None:
    """No month: the current one in the NCP's zone, today's cell marked in words too."""
    today = _app(site).today()
    page = site.client.get("/calendar?lang=nb").text
    assert f"?month={(today.replace(day=1) - timedelta(days=1)):%Y-%m}" in page
    cell = _cell(page, today.isoformat())
    assert 'aria-current="date"' in cell and "i dag" in cell


def test_the_week_lists_its_days_with_titles(site: Site) -> None:
    """Week 7 of 2025 (10-16 Feb): seven days, the 14th with the case and its title."""
    page = site.client.get("/calendar?week=2025-W07&lang=nb").text
    assert page.count('<li class="week-day') == 7
    friday = page[page.index('datetime="2025-02-14"') :]
    friday = friday[: friday.index("</li>\n  <li")]
    assert site.reference in friday and "Mine tailings" in friday and "Bekreftelse av mottak" in friday
    assert "<h1>Frister: Uke 7, 2025</h1>" in page
    assert 'href="/calendar?week=2025-W06" rel="prev"' in page
    assert 'href="/calendar?month=2025-02">Vis måneden' in page


@pytest.mark.parametrize(
    ("query", "lang", "named"),
    [
        ("month=2025-13", "en", "month (month): '2025-13' is not a month"),
        ("month=feb", "nb", "måned (month): 'feb' er ikke en måned"),
        ("week=2025-W53", "en", "week (week): '2025-W53' is not an ISO week"),
        ("week=uke7", "nb", "uke (week): 'uke7' er ikke en ISO-uke"),
    ],
)
def test_a_bad_month_or_week_answers_422_naming_it_in_the_page_s_language(
    site: Site, query: str, lang: str, named: str
) -> None:
    """A page (not JSON) saying which parameter is wrong and how to write it."""
    answer = site.client.get(f"/calendar?{query}&lang={lang}")
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert named in answer.text.replace("&#39;", "'")
    assert 'role="alert"' in answer.text


def test_a_url_made_on_the_page_is_shown_once_and_read_by_url_alone(site: Site) -> None:
    """The Norwegian feed parses with icalendar, holds the open deadlines with reminders at the
    configured rungs (30 and 7 days), and the page shows the URL only right after making it."""
    url = _make(site, feed_language="nb")
    assert 'id="new-url"' not in site.client.get("/calendar/feed").text  # shown once
    status, body, kind = _fetch(site, url)
    assert status == 200 and kind.startswith("text/calendar")
    calendar = Calendar.from_ical(body)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    case = _app(site).cases.get(reference=site.reference)
    assert set(events) == {f"{site.reference}-{d.name}@ncpflow" for d in case.open_deadlines}
    assessment = events[f"{site.reference}-initial_assessment@ncpflow"]
    assert str(assessment["SUMMARY"]) == f"{site.reference}: frist for første vurdering"
    assert sorted(a.decoded("TRIGGER") for a in assessment.walk("VALARM")) == [
        timedelta(days=-30),
        timedelta(days=-7),
    ]
    assert str(assessment["URL"]) == f"http://testserver/cases/{site.reference}"
    assert str(calendar["X-WR-CALNAME"]).endswith(": frister")


def test_a_new_url_revokes_the_old_and_a_revoked_url_answers_404_saying_nothing(site: Site) -> None:
    """404 for the replaced URL, the revoked one, a disabled user's and one never made, all
    with the same bare answer."""
    first = _make(site, feed_language="en")
    second = _make(site, feed_language="en")
    assert first != second
    assert _fetch(site, first)[0] == 404
    assert _fetch(site, second)[0] == 200
    revoked = site.client.post(
        "/calendar/feed/revoke", data={"csrf_token": site.csrf("/calendar/feed")}, follow_redirects=False
    )
    assert revoked.status_code == 303
    page = site.client.get("/calendar/feed?lang=en").text
    assert "The calendar URL was revoked" in page and "You have no calendar URL." in page
    third = _make(site, feed_language="en")
    users.set_disabled(
        uow=site.services.uow, clock=site.services.clock, name="hanna", disabled=True, actor="t"
    )
    answers = {
        _fetch(site, url)[:2]
        for url in (first, second, third, "http://testserver/calendar/feed/" + "A" * 43 + ".ics")
    }
    assert answers == {(404, b"Not Found")}


def test_a_form_without_its_token_changes_nothing(site: Site) -> None:
    """CSRF: making or revoking needs the form's token."""
    answer = site.client.post("/calendar/feed", data={"feed_language": "en"}, follow_redirects=False)
    assert answer.status_code in (400, 403)
    assert _app(site).calendar.active_feed(name="hanna") is None


def test_only_a_member_is_offered_its_own_cases(site: Site) -> None:
    """A handler leads no case: no choice of cases; a member user gets the choice."""
    assert 'name="feed_cases"' not in site.client.get("/calendar/feed").text
    users.add_user(
        uow=site.services.uow,
        clock=site.services.clock,
        name="mari",
        role="member",
        member_id="member-b",
        actor="t",
        password="correct horse battery",
    )
    site.client.cookies.clear()
    assert sign_in(site.client, "mari", "correct horse battery").status_code == 303
    page = site.client.get("/calendar/feed?lang=en").text
    assert 'name="feed_cases" value="mine"' in page and "<legend>Which cases</legend>" in page
    url = _make(site, feed_language="en", feed_cases="mine")
    feed = _app(site).calendar.active_feed(name="mari")
    assert feed is not None and feed.scope == "mine"
    assert _fetch(site, url)[0] == 200
    calendar_page = site.client.get("/calendar?lang=en").text
    assert "Show only the cases I lead" in calendar_page


def test_the_api_makes_lists_and_revokes_the_user_s_url(site: Site) -> None:
    """POST answers the URL once; GET lists it without; DELETE revokes it (then 404)."""
    token = users.issue_token(uow=site.services.uow, clock=site.services.clock, name="hanna", actor="t").token
    api = TestClient(site.client.app, headers={"Authorization": f"Bearer {token}"})
    made = api.post("/api/me/calendar-feed", json={"language": "nb"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["language"] == "nb" and body["scope"] == "all" and body["url"].endswith(".ics")
    listed = api.get("/api/me/calendar-feed").json()
    assert listed["id"] == body["id"] and listed["url"] is None
    assert _fetch(site, body["url"])[0] == 200
    assert api.delete("/api/me/calendar-feed").json() == {"revoked": body["id"]}
    assert _fetch(site, body["url"])[0] == 404
    assert api.get("/api/me/calendar-feed").status_code == 404
    again = api.delete("/api/me/calendar-feed")
    assert again.status_code == 422 and "no calendar URL" in again.json()["detail"]
    refused = api.post("/api/me/calendar-feed", json={"language": "de", "scope": "mine"})
    assert refused.status_code == 422 and set(refused.json()["fields"]) == {"language"}


def test_a_crash_while_reading_a_feed_never_logs_its_token(
    site: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The server's log names the path with the token masked."""
    url = _make(site, feed_language="en")
    token = url.rpartition("/")[2].removesuffix(".ics")

    def broken(**_: object) -> bytes:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(_app(site).calendar, "feed", broken)
    assert _fetch(site, url)[0] == 500
    logged = capsys.readouterr()
    assert "request_crashed" in logged.out + logged.err
    assert token not in logged.out + logged.err
    assert "/calendar/feed/[token]" in logged.out + logged.err
