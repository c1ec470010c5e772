"""The NCPs of a case through HTTP: the case page names the lead and the supporting NCPs by
their countries' names; the NCPs page records a joint lead, adds a supporting NCP, refuses a bad
code naming the field with nothing written and the input kept, hands the lead over only after a
confirmation page, and answers a review task; in Norwegian too."""

from __future__ import annotations

from tests.dbdump import dump
from tests.e2e.conftest import Site


def _english(site: Site) -> None:
    assert site.client.get("/?lang=en").status_code == 200


def test_the_case_page_names_the_lead_and_the_supporting_ncps(site: Site) -> None:
    _english(site)
    ref = site.reference
    site.services.ncps.add_supporting(reference=ref, ncp="SE", role="reviews_drafts", actor="sek")
    page = site.client.get(f"/cases/{ref}").text
    assert 'id="ncps-link"' in page and "Norway (NO)" in page and "Sweden (SE) (reviews drafts)" in page
    norwegian = site.client.get(f"/cases/{ref}?lang=nb").text
    assert "Norge (NO)" in norwegian and "Sverige (SE) (leser utkast)" in norwegian


def test_a_joint_lead_and_a_supporting_ncp_are_recorded_and_a_bad_code_refused(site: Site) -> None:
    _english(site)
    ref = site.reference
    at = f"/cases/{ref}/ncps"
    before = dump(site.url)
    bad = site.client.post(
        at + "/lead", data={"lead": "NO, XX", "reason": "kept", "csrf_token": site.csrf(at)}
    )
    assert bad.status_code == 422 and "Lead NCP" in bad.text and 'value="kept"' in bad.text
    assert dump(site.url) == before
    done = site.client.post(at + "/lead", data={"lead": "no se", "csrf_token": site.csrf(at)})
    assert done.status_code == 200 and "Joint lead" in done.text and "Sweden (SE)" in done.text
    added = site.client.post(
        at + "/supporting", data={"ncp": "dk", "role": "translates", "csrf_token": site.csrf(at)}
    )
    assert added.status_code == 200 and "Denmark (DK)" in added.text and "translates" in added.text
    assert [s.ncp for s in site.services.ncps.show(reference=ref).supporting] == ["DK"]


def test_the_handover_asks_first_and_back_keeps_the_input(site: Site) -> None:
    _english(site)
    ref = site.reference
    at = f"/cases/{ref}/ncps"
    data = {"to": "SE", "reason": "Swedish parent", "keep_as": "consulted"}
    before = dump(site.url)
    asked = site.client.post(at + "/transfer", data={**data, "csrf_token": site.csrf(at)})
    assert asked.status_code == 200 and "Hand the lead over to Sweden (SE)?" in asked.text
    assert dump(site.url) == before
    back = site.client.post(at + "/transfer", data={**data, "confirm": "back", "csrf_token": site.csrf(at)})
    assert 'value="Swedish parent"' in back.text and dump(site.url) == before
    done = site.client.post(at + "/transfer", data={**data, "confirm": "yes", "csrf_token": site.csrf(at)})
    assert done.status_code == 200 and "Lead handed over to SE" in done.text
    shown = site.services.ncps.show(reference=ref)
    assert (shown.lead, [s.ncp for s in shown.supporting]) == (["SE"], ["NO"])


def test_a_review_task_is_answered_on_the_page(site: Site) -> None:
    _english(site)
    ref = site.reference
    services = site.services
    services.cases.advance(reference=ref, trigger="begin_assessment", actor="sek", reason="complete")
    services.ncps.add_supporting(reference=ref, ncp="SE", role="reviews_drafts", actor="sek")
    services.statements.draft(reference=ref, kind="initial_assessment", actor="sek")
    at = f"/cases/{ref}/ncps"
    asked = site.client.post(at + "/reviews", data={"statement": "1", "csrf_token": site.csrf(at)})
    assert asked.status_code == 200 and "Review asked of SE" in asked.text
    answered = site.client.post(
        at + "/reviews/answer",
        data={"ncp": "SE", "statement": "1", "comment": "Looks right.", "csrf_token": site.csrf(at)},
    )
    assert answered.status_code == 200 and "Looks right." in answered.text and "answered" in answered.text
    norwegian = site.client.get(at + "?lang=nb").text
    assert "Kontaktpunkter" in norwegian and "besvart" in norwegian
