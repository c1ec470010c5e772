"""Company engagement in the app, through HTTP: the case's engagement page (its forms with CSRF,
reason checkboxes, refusals in the page's language keeping what was typed, what each role
sees), the link from the case page, the events in the case's story, and the report page with
its downloads in English and Norwegian, its figures computed here from what the test writes."""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Any

from tests.dbdump import dump
from tests.e2e.conftest import Site

WITHHELD = "Hemmelig Gruvedrift AS"  # an enterprise whose identity is withheld
CONCERN = "Their lawyer said the complaint would cost the submitters their jobs"
# Internal names that must never reach a reader of the pages.
RAW = re.compile(r"good_offices|comment_draft|no_response|parallel_proceedings|reputational_risk|\bpending\b")


def _visible(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _post(site: Site, step: str, data: dict[str, Any]) -> Any:
    page = f"/cases/{site.reference}/engagement"
    return site.client.post(
        f"{page}/{step}", data={**data, "csrf_token": site.csrf(page)}, follow_redirects=False
    )


def test_a_handler_logs_an_invitation_a_decline_with_reasons_and_a_concern(site: Site) -> None:
    """Each form saves, the flash says what, and the page shows the invitation, the decline's
    reasons in words and the concern; the case page links here and its story tells all three."""
    case_page = site.client.get(f"/cases/{site.reference}?lang=en").text
    assert f'href="/cases/{site.reference}/engagement"' in case_page
    invited = _post(
        site,
        "invite",
        {"party": "enterprise-1", "to": "good_offices", "channel": "email", "at": "2025-02-03"},
    )
    assert invited.status_code == 303, invited.text
    assert invited.headers["location"].endswith("/engagement#invitation-1")
    declined = _post(
        site,
        "respond",
        {"invitation": "1", "response": "declined", "reasons": ["parallel_proceedings", "confidentiality"]},
    )
    assert declined.status_code == 303, declined.text
    raised = _post(site, "concern", {"side": "enterprise", "text": CONCERN})
    assert raised.status_code == 303, raised.text
    page = site.client.get(f"/cases/{site.reference}/engagement?lang=en").text
    text = _visible(page)
    assert "Concern about good faith 1 recorded." in text
    assert "Nordic Metals ASA" in text and "good offices (dialogue or mediation)" in text
    assert "invitation declined" in text
    assert "parallel legal or administrative proceedings; concerns about confidentiality" in text
    assert CONCERN in text and not RAW.search(text)
    story = _visible(site.client.get(f"/cases/{site.reference}?lang=en&kind=engagement").text)
    assert "Invitation 1 to Nordic Metals ASA" in story and "Concern about good faith 1" in story
    assert "Response to invitation 1: invitation declined" in story and CONCERN in story


def test_a_refused_response_comes_back_in_norwegian_with_the_reasons_ticked_and_writes_nothing(
    site: Site,
) -> None:
    """A decline without a reason, and a reason for an acceptance: 422 in the page's language
    naming the field by its label, the form as typed, nothing written."""
    site.services.engagement.invite(
        reference=site.reference, party="enterprise-1", to="meeting", channel="post", actor="hanna"
    )
    site.client.get(f"/cases/{site.reference}/engagement?lang=nb")
    before = dump(site.url)
    bare = _post(site, "respond", {"invitation": "1", "response": "declined"})
    assert bare.status_code == 422
    assert "(Grunner til å avslå): et avslag trenger minst én grunn" in _visible(bare.text)
    accepted = _post(site, "respond", {"invitation": "1", "response": "accepted", "reasons": ["other"]})
    assert accepted.status_code == 422
    assert re.search(r'name="reasons" value="other" checked', accepted.text)
    assert re.search(r'<option value="accepted" selected>', accepted.text)
    submitter = _post(site, "invite", {"party": "submitter-1", "to": "meeting", "channel": "post"})
    assert submitter.status_code == 422 and "er ikke en virksomhet" in _visible(submitter.text)
    assert dump(site.url) == before
    assert _post(
        site, "invite", {"party": "enterprise-1", "to": "meeting", "channel": "post", "csrf_token": ""}
    )
    assert (
        site.client.post(
            f"/cases/{site.reference}/engagement/invite",
            data={"party": "enterprise-1", "to": "meeting", "channel": "post"},
        ).status_code
        == 403
    )  # no CSRF token, no invitation


def test_an_auditor_sees_that_a_concern_was_raised_but_neither_its_text_nor_a_withheld_name(
    site: Site,
) -> None:
    """The auditor's page: the invitation to the withheld enterprise under its pseudonym, the
    concern marked as NCP-internal without its text, and no forms; its story likewise."""
    services = site.services
    services.parties.add_party(
        reference=site.reference, actor="hanna", role="enterprise", name=WITHHELD, withheld=True
    )
    services.engagement.invite(
        reference=site.reference, party="enterprise-2", to="meeting", channel="post", actor="hanna"
    )
    services.engagement.concern(
        reference=site.reference, side="submitter", text=f"{CONCERN} ({WITHHELD})", actor="hanna"
    )
    site.sign_in_as("revisor", "auditor")
    page = site.client.get(f"/cases/{site.reference}/engagement?lang=en").text
    assert "Recorded; its text is NCP-internal." in page
    assert CONCERN not in page and WITHHELD not in page
    assert "/engagement/invite" not in page and "/engagement/concern" not in page
    story = site.client.get(f"/cases/{site.reference}?lang=en&kind=engagement").text
    assert "Concern about good faith 1" in story and CONCERN not in story and WITHHELD not in story


def test_the_report_page_gives_the_rate_and_the_reasons_by_year_and_sector_in_both_languages(
    site: Site,
) -> None:
    """Three invitations (an acceptance, a decline with two reasons, one still waiting) in a case
    whose sector names nobody: the rate and reasons as counted here, in en and nb, charted and
    tabled; the downloads say the same; no internal names."""
    services = site.services
    services.cases.edit(reference=site.reference, actor="hanna", reason="known", sector="Mining")
    plan = [("accepted", []), ("declined", ["parallel_proceedings", "other"]), (None, [])]
    for answer, reasons in plan:
        made = services.engagement.invite(
            reference=site.reference, party="enterprise-1", to="meeting", channel="post", actor="hanna"
        )
        if answer:
            services.engagement.respond(
                reference=site.reference,
                invitation=made.number,
                response=answer,
                reasons=reasons,
                actor="hanna",
            )
    counts = Counter(answer for answer, _ in plan if answer)
    settled = sum(counts.values())
    share = round(100 * counts["accepted"] / settled)
    year = services.today().year
    page = site.client.get(f"/reports/engagement?year={year}&lang=en").text
    text = _visible(page)
    assert f"Company engagement, {year}" in text
    assert f"{counts['accepted']} of {settled} ({share}%)" in text
    assert '<title id="chart-engagement-reasons-title">Reasons for declining</title>' in page
    assert "parallel legal or administrative proceedings" in text and "Mining" in text
    assert "1 of 1 (100%)" in text  # each reason given by the one decline
    assert not RAW.search(text), RAW.search(text)
    norsk = _visible(site.client.get(f"/reports/engagement?year={year}&lang=nb").text)
    assert (
        f"Virksomheters deltakelse, {year}" in norsk
        and f"{counts['accepted']} av {settled} ({share}\u00a0%)" in norsk
    )
    assert "Grunner til å avslå" in norsk and "Company engagement" not in norsk
    csv = site.client.get(f"/reports/engagement.csv?year={year}&lang=en").text
    assert "Participation rate (%)" in csv and f",{round(100 * counts['accepted'] / settled, 2)}," in csv
    assert site.client.get(f"/reports/engagement.html?year={year}&lang=nb").status_code == 200
    index = site.client.get("/reports?lang=en").text
    assert 'href="/reports/engagement"' in index
    refused = site.client.get("/reports/engagement?year=1900&lang=nb")
    assert refused.status_code == 422 and "År" in _visible(refused.text)
