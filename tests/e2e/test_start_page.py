"""The start page (`/start`), through HTTP: linked from the navigation; the handbook; the open
cases the user is involved in and how (lead, panel, mediator, handled); the conflicts rules and a
member's own declared conflicts; where each report is, as far as the role may read it; in
English and Norwegian, without a confidential name for a role that may not see it."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from states.pseudonyms import pseudonym
from tests.e2e.conftest import PASSWORD, Site
from tests.helpers import sign_in
from workflow import cases, users


def _visible(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _section(page: str, name: str) -> str:
    found = re.search(rf'<section class="card" id="{name}">(.*?)</section>', page, re.S)
    assert found is not None, name
    return _visible(found.group(1))


def _case(site: Site, title: str, submitter: cases.PartyInput | None = None, actor: str = "test") -> str:
    services = site.services
    return cases.open_case(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference_prefix="NCP",
        title=title,
        submitters=[submitter or cases.PartyInput("Friends of the Fjord")],
        enterprises=[cases.PartyInput("Nordic Metals ASA")],
        actor=actor,
        received=date(2025, 2, 3),
    ).reference


def test_the_start_page_is_linked_from_the_navigation_and_links_the_handbook(site: Site) -> None:
    home = site.client.get("/?lang=en").text
    assert '<a href="/start"' in home
    page = site.client.get("/start?lang=en")
    assert page.status_code == 200
    assert 'aria-current="page">Start here' in page.text
    handbook = re.search(r'<section class="card" id="start-handbook">(.*?)</section>', page.text, re.S)
    assert handbook is not None and 'href="/handbook"' in handbook.group(1)
    assert site.client.get("/handbook?lang=en").status_code == 200  # the link leads somewhere
    reports = _section(page.text, "start-reports")
    for line in ("Timeline compliance · ncpflow report timelines", "ncpflow report oecd", "Audit log"):
        assert line in reports
    assert 'href="/reports/annual"' in page.text


def test_a_handler_sees_the_open_cases_it_handled_and_not_the_others(site: Site) -> None:
    mine = _case(site, "Handled by hanna", actor="hanna")
    closed = _case(site, "Closed one", actor="hanna")
    for trigger in ("begin_assessment", "reject", "close"):
        site.services.cases.advance(reference=closed, trigger=trigger, actor="hanna", reason="r")
    shown = _section(site.client.get("/start?lang=en").text, "start-cases")
    assert f"{mine} Handled by hanna" in shown and "you handled it" in shown
    assert closed not in shown and site.reference not in shown  # the site's case was opened by "test"


def test_a_member_sees_the_cases_it_leads_or_takes_part_in_and_its_conflicts(site: Site) -> None:
    """The site's case is led by the chair (the rotation's first turn); member-b takes part, and
    sees the soft conflict it declared in the browser."""
    lead = site.services.cases.get(reference=site.reference).lead_member
    assert lead == "chair"
    site.sign_in_as("leder", "member", "chair")
    page = site.client.get("/start?lang=en").text
    assert f"{site.reference} Mine tailings" in _section(page, "start-cases")
    assert "you lead it" in _section(page, "start-cases")
    site.sign_in_as("bodil", "member", "member-b")
    none = _section(site.client.get("/start?lang=nb").text, "start-conflicts")
    assert "Du har ikke meldt noen interessekonflikter." in none
    site.services.members.add_conflict(
        member="member-b", reason="Former employer", actor="test", party_name="Havbruk ASA", soft=True
    )
    page = site.client.get("/start?lang=nb").text
    cases_nb = _section(page, "start-cases")
    assert site.reference in cases_nb and "du deltar (panelet)" in cases_nb
    conflicts = _section(page, "start-conflicts")
    assert "hard interessekonflikt" in conflicts
    assert "Havbruk ASA" in conflicts and "mulig interessekonflikt · satt i nettleseren" in conflicts
    assert 'href="/members/member-b"' in page


def test_a_mediator_sees_its_assigned_cases_and_no_report_it_may_not_read(site: Site) -> None:
    other = _case(site, "Not the mediator's")
    services = site.services
    services.mediators.add(actor="test", mediator_id="kari", name="Kari Mekler", email="kari@example.org")
    services.mediators.assign(reference=site.reference, mediator="kari", actor="test")
    users.add_user(
        uow=services.uow,
        clock=services.clock,
        name="mika",
        role="mediator",
        mediator_id="kari",
        actor="test",
        password=PASSWORD,
    )
    site.client.cookies.clear()
    assert sign_in(site.client, "mika", PASSWORD).status_code == 303
    page = site.client.get("/start?lang=en").text
    shown = _section(page, "start-cases")
    assert site.reference in shown and "you mediate" in shown and other not in page
    reports = _section(page, "start-reports")
    assert "Annual report" not in reports and "Register of specific instances" in reports


def test_an_auditor_reads_no_confidential_name_on_the_start_page(site: Site) -> None:
    name = "Kari Nordmann"
    ref = _case(site, f"{name} v. Nordic Metals", cases.PartyInput(name, "individual", confidential=True))
    site.sign_in_as("revisor", "auditor")
    site.services.cases.advance(reference=ref, trigger="begin_assessment", actor="revisor", reason="r")
    page = site.client.get("/start?lang=en").text
    assert ref in _section(page, "start-cases") and name not in page
    # The title reads as on the case's own page and in the case lists: its own pseudonym.
    assert f"{ref} {pseudonym(ref, name)} v. Nordic Metals" in _section(page, "start-cases")


def test_the_conflicts_rules_show_the_file_and_the_command_as_code_not_as_backticks(site: Site) -> None:
    for lang, word in (("en", "Conflicts are declared in"), ("nb", "Interessekonflikter meldes i")):
        page = site.client.get(f"/start?lang={lang}").text
        line = re.search(r'<li id="conflicts-declared">(.*?)</li>', page, re.S)
        assert line is not None, lang
        assert line.group(1).startswith(f"{word} <code>config.toml</code>"), line.group(1)
        assert "<code>ncpflow members sync</code>" in line.group(1) and "`" not in _visible(page)


PER_CASE = {
    "en": "This NCP rotates the lead case by case: each new case goes to the eligible member "
    "who has led a case least recently.",
    "nb": "Dette kontaktpunktet roterer ledelsen sak for sak: hver ny klagesak går til det "
    "valgbare medlemmet som har ledet en sak for lengst siden.",
}
PERIODIC = {
    "en": "This NCP rotates a duty period: the member on duty leads each new case, and the next "
    "in duty order steps in when that member may not.",
    "nb": "Dette kontaktpunktet har vaktperioder på rundgang: medlemmet som har vakt, leder hver "
    "ny klagesak, og det neste i vaktrekkefølgen trer inn når det medlemmet ikke kan.",
}


def _rotation_sentence(page: str) -> str:
    found = re.search(r'<span id="rotation-mode">(.*?)</span>', page, re.S)
    assert found is not None
    return _visible(found.group(1))


def test_the_start_page_says_how_the_rotation_chooses_a_lead_in_a_sentence(site: Site) -> None:
    """The shipped config rotates per case: a sentence in each language, not "Rotation: per case"."""
    for lang in ("en", "nb"):
        page = site.client.get(f"/start?lang={lang}").text
        assert _rotation_sentence(page) == PER_CASE[lang]
        assert "Rotation: per case" not in _visible(page) and "Rotasjon: per sak" not in _visible(page)


def test_with_a_periodic_duty_the_start_page_says_so(sqlite_url: str, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from ncpflow.web.app import create_app
    from tests.conftest import ROOT
    from workflow.bootstrap import bootstrap
    from workflow.config import load_settings

    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    assert 'mode = "per_case"' in text
    config = tmp_path / "periodic.toml"
    config.write_text(text.replace('mode = "per_case"', 'mode = "periodic"', 1), encoding="utf-8")
    services = bootstrap(load_settings(config, database_url=sqlite_url))
    try:
        users.add_user(
            uow=services.uow,
            clock=services.clock,
            name="sek",
            role="handler",
            actor="test",
            password=PASSWORD,
        )
        with TestClient(create_app(services, secret="test-secret")) as client:
            assert sign_in(client, "sek", PASSWORD).status_code == 303
            for lang in ("en", "nb"):
                assert _rotation_sentence(client.get(f"/start?lang={lang}").text) == PERIODIC[lang]
    finally:
        services.close()
