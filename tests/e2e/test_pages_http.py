"""The pages over HTTP in-process (no browser): redirects, roles, forms, language, ordering.

The browser tests (test_pages.py) show the pages work in Chromium; these pin the rules fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer

from ncpflow.web.app import create_app
from ncpflow.web.auth import SESSION_COOKIE
from states.pseudonyms import pseudonym
from tests.conftest import ROOT
from tests.helpers import csrf_of, open_one, sign_in
from workflow import cases, pausing, queries, users
from workflow.bootstrap import Services, bootstrap
from workflow.clock import FixedClock
from workflow.config import load_settings
from workflow.rotation import sync_members

PASSWORD = "correct horse battery"


class Site:
    def __init__(self, client: TestClient, services: Services) -> None:
        self.client, self.services = client, services

    def user(self, name: str, role: str, member: str | None = None) -> None:
        users.add_user(
            uow=self.services.uow,
            clock=self.services.clock,
            name=name,
            role=role,
            member_id=member,
            actor="test",
            password=PASSWORD,
        )

    def case(self, title: str, received: date) -> str:
        return open_one(
            self.services,
            "Nordic Metals ASA",
            title=title,
            received=received,
            submitter="Friends of the Fjord",
            actor="test",
        )

    def csrf(self, path: str) -> str:
        page = self.client.get(path)
        assert page.status_code == 200, page.text
        return csrf_of(page.text)

    def sign_in(self, name: str) -> None:
        self.client.cookies.clear()
        answer = sign_in(self.client, name, PASSWORD)
        assert answer.status_code == 303, answer.text


@pytest.fixture
def site(sqlite_url: str, clock: FixedClock) -> Iterator[Site]:
    settings = load_settings(ROOT / "config.toml", database_url=sqlite_url)  # language = "nb"
    services = bootstrap(settings, clock=clock)
    sync_members(uow=services.uow, clock=clock, settings=settings)
    with TestClient(create_app(services, secret="test-secret")) as client:
        yield Site(client, services)
    services.close()


def test_pages_need_a_session_and_next_stays_on_site(site: Site) -> None:
    for path in ["/", "/cases/NCP-2025-001", "/audit", "/members"]:
        answer = site.client.get(path, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/signin?next=")
    site.user("hanna", "handler")
    answer = site.client.post(
        "/signin",
        data={
            "username": "hanna",
            "password": PASSWORD,
            "csrf_token": site.csrf("/signin"),
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"
    wrong = site.client.post(
        "/signin",
        data={"username": "hanna", "password": "nope nope nope", "csrf_token": site.csrf("/signin")},
    )
    assert wrong.status_code == 401


def test_a_new_password_ends_the_sessions_signed_in_with_the_old_one(site: Site) -> None:
    site.user("hanna", "handler")
    site.sign_in("hanna")
    assert site.client.get("/", follow_redirects=False).status_code == 200
    users.set_password(
        uow=site.services.uow,
        clock=site.services.clock,
        name="hanna",
        password="another long secret",
        actor="hanna",
    )
    answer = site.client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/signin")
    assert site.client.get("/api/cases").status_code == 401


def test_a_forged_or_old_style_session_cookie_signs_nobody_in(site: Site) -> None:
    site.user("hanna", "handler")
    signer = URLSafeTimedSerializer("test-secret", salt="session")
    for value in ["hanna", ["hanna"], ["hanna", 7]]:  # the name alone was the old cookie
        site.client.cookies.set(SESSION_COOKIE, signer.dumps(value))
        assert site.client.get("/", follow_redirects=False).status_code == 303
    site.client.cookies.set(
        SESSION_COOKIE, URLSafeTimedSerializer("another-secret", salt="session").dumps(["hanna", "0" * 16])
    )
    assert site.client.get("/", follow_redirects=False).status_code == 303


def test_sign_in_without_csrf_is_refused(site: Site) -> None:
    site.user("hanna", "handler")
    answer = site.client.post(
        "/signin", data={"username": "hanna", "password": PASSWORD}, follow_redirects=False
    )
    assert answer.status_code == 403


def test_dashboard_overdue_first_paused_marked_and_language(site: Site) -> None:
    site.user("hanna", "handler")
    later = site.case("Recent case", date(2025, 5, 30))
    overdue = site.case("Old case", date(2025, 4, 1))  # acknowledgement was due 15 April
    pausing.pause_case(
        uow=site.services.uow,
        clock=site.services.clock,
        reference=later,
        actor="test",
        reason="parallel proceedings",
    )
    site.sign_in("hanna")
    page = site.client.get("/").text
    assert '<html lang="nb">' in page and "Åpne saker" in page  # [ncp] language = "nb"
    rows = re.findall(r'<tr class="urgency-(\w+)">\s*<td[^>]*><a href="/cases/([^"]+)"', page)
    assert rows == [("late", overdue), ("soon", later)]
    assert "satt på vent" in page
    english = site.client.get("/?lang=en")
    assert "Open cases" in english.text and "paused" in english.text
    assert "Open cases" in site.client.get("/").text  # the cookie keeps the choice


def test_handler_pauses_and_resumes_through_forms(site: Site) -> None:
    site.user("hanna", "handler")
    ref = site.case("Case", date(2025, 5, 30))
    site.sign_in("hanna")
    token = site.csrf(f"/cases/{ref}")
    answer = site.client.post(
        f"/cases/{ref}/pause",
        data={"reason": "awaiting information", "requested_by": "submitter", "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert queries.get_case(uow=site.services.uow, reference=ref).paused
    page = site.client.get(f"/cases/{ref}?lang=en").text
    assert "awaiting information" in page and f'action="/cases/{ref}/resume"' in page
    site.client.post(f"/cases/{ref}/resume", data={"csrf_token": token})
    assert not queries.get_case(uow=site.services.uow, reference=ref).paused


def test_a_refused_step_is_shown_and_nothing_changes(site: Site) -> None:
    """A step the lifecycle refuses is shown on the page, in the page's language; nothing is written."""
    site.user("hanna", "handler")
    ref = site.case("Case", date(2025, 5, 30))
    site.sign_in("hanna")
    token = site.csrf(f"/cases/{ref}")
    answer = site.client.post(
        f"/cases/{ref}/advance", data={"trigger": "publish", "reason": "too early", "csrf_token": token}
    )
    assert answer.status_code == 409 and 'role="alert"' in answer.text
    # The core's refusal, by its code and parameters, in the page's language (config.toml: nb),
    # the lifecycle's names as the page words them.
    assert (
        f"sak {ref} er i fasen &#39;mottatt&#39;: handlingen &#39;Publiser&#39; er ikke "
        "tillatt; tillatt nå: Start vurdering, Trekk tilbake, Overfør" in answer.text
    )
    assert "is not allowed" not in answer.text and "&#39;publish&#39;" not in answer.text
    assert queries.get_case(uow=site.services.uow, reference=ref).state == "received"


def test_members_and_auditors(site: Site) -> None:
    site.user("hanna", "handler")
    ref = site.case("Case", date(2025, 5, 30))
    lead = queries.get_case(uow=site.services.uow, reference=ref).lead_member
    other = next(m for m in ("member-b", "member-c", "member-d", "chair") if m != lead)
    site.user("bystander", "member", other)
    site.user("aud", "auditor")
    site.sign_in("bystander")
    token = site.csrf(f"/cases/{ref}")
    answer = site.client.post(
        f"/cases/{ref}/advance",
        data={"trigger": "begin_assessment", "reason": "not mine", "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert (
        site.client.post(
            f"/cases/{ref}/pause", data={"reason": "x", "csrf_token": token}, follow_redirects=False
        ).status_code
        == 403
    )
    # Members read all (states/permissions.py): the audit page too, as GET /api/audit, and the
    # menu leads there; the export download stays with handlers, auditors and admins.
    audit = site.client.get("/audit", follow_redirects=False)
    assert audit.status_code == 200 and "/audit/export.jsonl" not in audit.text
    members = site.client.get("/members")
    assert members.status_code == 200 and '<a href="/audit"' in members.text
    site.sign_in("aud")
    audit = site.client.get("/audit?lang=en")
    assert audit.status_code == 200 and "Hash chain: intact" in audit.text
    assert "/advance" not in site.client.get(f"/cases/{ref}").text
    assert queries.get_case(uow=site.services.uow, reference=ref).state == "received"


def test_the_audit_page_shows_the_newest_entries_first_a_page_at_a_time(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ncpflow.web.pages.audit.AUDIT_PAGE_SIZE", 3)
    refs = [site.case(f"Case {n}", date(2025, 5, 20 + n)) for n in range(3)]
    cases.advance(
        uow=site.services.uow,
        clock=site.services.clock,
        policy=site.services.policy,
        reference=refs[0],
        actor="hanna",
        trigger="begin_assessment",
        reason="ok",
    )
    site.user("aud", "auditor")
    site.sign_in("aud")
    with site.services.uow.read() as tx:
        log = list(tx.audit.entries())
    seqs = [e.seq for e in log]

    def shown(path: str) -> tuple[list[int], str]:
        page = site.client.get(path)
        assert page.status_code == 200, page.text
        return [int(n) for n in re.findall(r'<td class="num"[^>]*>(\d+)</td>', page.text)], page.text

    first, text = shown("/audit")
    assert first == seqs[::-1][:3]
    older = re.search(r'class="older" href="(/audit\?[^"]+)"', text)
    assert older and f"before={first[-1]}" in older.group(1)
    assert '<nav class="pager noprint" aria-label="Sider i revisjonsloggen">' in text  # landmark-unique
    second, text = shown(older.group(1).replace("&amp;", "&"))
    assert second == seqs[::-1][3:6] and "Nyeste" in text  # a link back to the newest
    transitions, _ = shown("/audit?kind=transitioned")
    assert transitions == [e.seq for e in log if e.kind == "transitioned"][::-1]
    of_case, _ = shown(f"/audit?case={refs[1]}")
    assert of_case == [e.seq for e in log if e.case_ref == refs[1]][::-1][:3]
    assert site.client.get("/audit?before=abc").status_code == 422


def test_unknown_case_and_static_files(site: Site) -> None:
    site.user("hanna", "handler")
    site.sign_in("hanna")
    assert site.client.get("/cases/NCP-1999-999").status_code == 404
    css = site.client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert site.client.get("/static/../pages.py").status_code == 404
    page = site.client.get("/")
    assert 'href="/static/print.css" media="print"' in page.text
    assert "script-src 'none'" in page.headers["content-security-policy"]


def test_audit_export_download_is_pseudonymised(site: Site) -> None:
    made = cases.open_case(
        uow=site.services.uow,
        clock=site.services.clock,
        policy=site.services.policy,
        reference_prefix="NCP",
        title="Quiet",
        submitters=[cases.PartyInput("Hidden Union", confidential=True)],
        enterprises=[cases.PartyInput("Nordic Metals ASA")],
        actor="test",
    )
    site.user("aud", "auditor")
    site.user("bystander", "member", "member-b")
    site.sign_in("aud")
    page = site.client.get(f"/audit?case={made.reference}").text
    assert f'href="/audit/export.jsonl?case={made.reference}"' in page
    answer = site.client.get(f"/audit/export.jsonl?case={made.reference}")
    assert answer.status_code == 200
    assert "attachment" in answer.headers["content-disposition"]
    lines = [json.loads(line) for line in answer.text.splitlines()]
    assert lines and all(row["case_ref"] == made.reference for row in lines)
    assert "Hidden Union" not in answer.text and pseudonym(made.reference, "Hidden Union") in answer.text
    site.sign_in("bystander")
    assert site.client.get("/audit/export.jsonl", follow_redirects=False).status_code == 403


def test_the_case_page_explains_deadlines_in_the_page_language(site: Site) -> None:
    """Received 2 Jan 2025: + 3 months = 2 Apr 2025; + 14 days = 16 Jan 2025 (config.toml: nb)."""
    site.user("hanna", "handler")
    ref = site.case("Fish farm", date(2025, 1, 2))
    pausing.pause_case(
        uow=site.services.uow,
        clock=site.services.clock,
        reference=ref,
        actor="test",
        reason="parallel proceedings",
    )  # now: 2 June 2025
    site.sign_in("hanna")
    norwegian = site.client.get(f"/cases/{ref}").text
    assert '<html lang="nb">' in norwegian
    assert "mottatt 2. jan. 2025 + 3 måneder = 2. apr. 2025" in norwegian
    assert "mottatt 2. jan. 2025 + 14 dager = 16. jan. 2025" in norwegian
    assert "på vent siden 2. juni 2025: fristen flyttes" in norwegian
    assert "received 2 Jan 2025" not in norwegian
    english = site.client.get(f"/cases/{ref}?lang=en").text
    assert "received 2 Jan 2025 + 3 months = 2 Apr 2025" in english
    assert "paused since 2 Jun 2025: the due date moves on" in english
    assert "mottatt" not in english
    api = site.client.get(f"/api/cases/{ref}").json()  # the JSON contract stays English
    assert {d["explanation"].split(" + ")[0] for d in api["deadlines"]} == {"received 2 Jan 2025"}


def test_the_case_page_says_what_each_next_step_means_in_the_page_language(site: Site) -> None:
    """A case just received: begin the assessment, withdraw or transfer (config.toml: nb)."""
    site.user("hanna", "handler")
    ref = site.case("Fish farm", date(2025, 5, 30))
    site.sign_in("hanna")
    norwegian = site.client.get(f"/cases/{ref}").text
    assert '<html lang="nb">' in norwegian
    assert "<small>mottak bekreftet; første vurdering begynner</small>" in norwegian
    assert "<small>klageren trakk saken tilbake</small>" in norwegian
    assert "<small>overført til et annet kontaktpunkt, som leder behandlingen</small>" in norwegian
    assert "initial assessment begins" not in norwegian
    assert "the submitter withdrew" not in norwegian
    assert "(begin_assessment)" not in norwegian  # the reason field is named in words, for screen readers
    english = site.client.get(f"/cases/{ref}?lang=en").text
    assert "<small>receipt acknowledged; initial assessment begins</small>" in english
    assert "<small>the submitter withdrew</small>" in english
    assert "<small>transferred to another NCP that leads</small>" in english
    assert "første vurdering begynner" not in english
    rows = queries.triggers_view(
        queries.get_case(uow=site.services.uow, reference=ref), site.services.policy
    )  # the command line's default: English
    assert {r.meaning for r in rows if r.allowed} == {
        "receipt acknowledged; initial assessment begins",
        "the submitter withdrew",
        "transferred to another NCP that leads",
    }
    assert '<td data-label="Rolle">leder</td>' in site.client.get("/members?lang=nb").text  # members.Role
    assert '<td data-label="Role">chair</td>' in site.client.get("/members?lang=en").text


def test_the_members_page_explains_the_rotation_in_the_page_language(
    site: Site, sqlite_url: str, tmp_path: Path
) -> None:
    """config.toml (nb) as last synced without member-c, member-b on leave 1 Jun to 31 Aug 2025 and
    member-d's conflict with Havbruk ASA (org. no. 923 456 789); today is 2 June 2025. The chair
    led the first case, so member-b (never led, on leave) is skipped and member-d is next."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    text = text.replace(
        '[[members]]\nid = "member-c"\nname = "Member C"\nemail = "member-c@responsiblebusiness.no"\n\n', ""
    )
    text = text.replace(
        'email = "member-b@responsiblebusiness.no"\n',
        'email = "member-b@responsiblebusiness.no"\nleave = [{ from = 2025-06-01, to = 2025-08-31 }]\n',
    )
    text = text.replace(
        'email = "member-d@responsiblebusiness.no"\n',
        'email = "member-d@responsiblebusiness.no"\n'
        'conflicts = [{ name = "Havbruk ASA", org_number = "923 456 789" }]\n',
    )
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    edited = load_settings(tmp_path / "config.toml", database_url=sqlite_url)
    sync_members(uow=site.services.uow, clock=site.services.clock, settings=edited)
    site.user("hanna", "handler")
    ref = site.case("Fish farm", date(2025, 5, 30))
    assert queries.get_case(uow=site.services.uow, reference=ref).lead_member == "chair"
    site.sign_in("hanna")

    norwegian = site.client.get("/members").text
    assert '<html lang="nb">' in norwegian
    assert 'Rotasjon <small class="muted">(per sak)</small>' in norwegian
    assert (
        '<p class="why">valgte member-d (aldri vært saksansvarlig; regel: lengst siden '
        "saksansvarlig, de som aldri har vært det først, ved likhet rekkefølgen i "
        "konfigurasjonen); hoppet over member-b: permisjon 2025-06-01 til 2025-08-31</p>"
    ) in norwegian
    assert (
        '<span class="tag">permisjon</span> <small>permisjon 2025-06-01 til 2025-08-31</small>'
    ) in norwegian
    assert (
        '<span class="tag">neste</span> <small>blir saksansvarlig for neste sak: aldri '
        "vært saksansvarlig</small>"
    ) in norwegian
    assert (
        f'<span class="tag">senere</span> <small>sist saksansvarlig for {ref}; etter '
        "member-d i rotasjonsrekkefølgen</small>"
    ) in norwegian
    assert (
        '<span class="tag">inaktiv</span> <small>inaktiv (ikke lenger i konfigurasjonen)</small>'
    ) in norwegian
    assert "Havbruk ASA (org.nr. 923 456 789)" in norwegian
    assert ("member-b: permisjon endret; member-d: inhabilitet endret; aktiverte igjen member-c") in norwegian
    for english_text in (
        "per_case",
        "leads the next case",
        "in rotation order",
        "chose ",
        "on leave",
        "org. no.",
        "no longer in the configuration",
        "reactivated",
    ):
        assert english_text not in norwegian

    english = site.client.get("/members?lang=en").text
    assert 'Rotation <small class="muted">(per case)</small>' in english
    assert (
        '<p class="why">chose member-d (never led a case; rule: least recently led, '
        "never-led first, ties by config order); skipped member-b: on leave 2025-06-01 to "
        "2025-08-31</p>"
    ) in english
    assert ('<span class="tag">on leave</span> <small>on leave 2025-06-01 to 2025-08-31</small>') in english
    assert ('<span class="tag">next</span> <small>leads the next case: never led a case</small>') in english
    assert (
        f'<span class="tag">later</span> <small>last led {ref}; after member-d in rotation order</small>'
    ) in english
    assert (
        '<span class="tag">inactive</span> <small>inactive (no longer in the configuration)</small>'
    ) in english
    assert "Havbruk ASA (org. no. 923 456 789)" in english
    assert "member-b: leave changed; member-d: conflicts changed; reactivated member-c" in english
    assert "saksansvarlig" not in english.split("<h1>", 1)[1].split("<section", 2)[2]


def test_audit_kinds_and_the_signed_in_role_are_worded_in_the_page_language(site: Site) -> None:
    """The audit page's kinds (and its filter's options) and the header's role are Norwegian on a
    Norwegian page, and worded (not the raw kind) on an English one; the filter still sends the
    kind itself."""
    site.case("Mine tailings", date(2025, 5, 20))
    site.user("hanna", "handler")
    site.sign_in("hanna")
    norwegian = site.client.get("/audit?lang=nb").text
    english = site.client.get("/audit?lang=en").text
    assert '<td data-label="Hva">sak åpnet: Mottatt</td>' in norwegian
    assert '<option value="opened">sak åpnet</option>' in norwegian
    assert "<small>(saksbehandler)</small>" in norwegian
    assert ">opened" not in norwegian
    assert '<td data-label="What">case opened: Received</td>' in english
    assert '<option value="opened">case opened</option>' in english
    assert "<small>(handler)</small>" in english


def test_the_case_page_lists_the_facts_and_an_open_review_in_the_page_language(site: Site) -> None:
    """Facts recorded on a case show on its page, labelled in the page's language, with who a
    review was requested by and a note that publication waits."""
    from workflow.facts import record_fact

    site.user("hanna", "handler")
    ref = site.case("Fish farm", date(2025, 1, 2))
    services = site.services
    steps = (("begin_assessment", None), ("accept", None), ("conclude", "submitter_declined"))
    for trigger, outcome in steps:
        cases.advance(
            uow=services.uow,
            clock=services.clock,
            policy=services.policy,
            reference=ref,
            trigger=trigger,
            actor="test",
            reason="r",
            outcome=outcome,
        )
    record_fact(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference=ref,
        fact="review_requested",
        on=date(2025, 6, 1),
        actor="test",
        by="oversight_body",
    )
    site.sign_in("hanna")
    norwegian = site.client.get(f"/cases/{ref}").text
    assert "2025-06-01: Prosessuell gjennomgang begjært (tilsynsorgan)" in norwegian
    assert "publiseringen venter" in norwegian
    english = site.client.get(f"/cases/{ref}?lang=en").text
    assert "2025-06-01: Procedural review requested (oversight body)" in english


def test_the_case_page_shows_an_imported_month_as_a_month_and_local_days(site: Site) -> None:
    """A case imported with dates known to the month shows them as months (received, each stage
    entered, the audit trail's entries), never with an invented day; a back-dated step of an
    opened case is entered on its day in the NCP's zone, not the UTC day before."""
    from workflow.imports import import_cases

    line = {
        "external_id": "NO-2007-01",
        "title": "Imported by the month",
        "parties": [
            {"role": "submitter", "name": "Friends of the Fjord", "type": "ngo"},
            {"role": "enterprise", "name": "Nordic Metals ASA"},
        ],
        "received": "2007-02",
        "milestones": [
            {"trigger": "begin_assessment", "date": "2007-03"},
            {"trigger": "reject", "date": "2007-09"},
        ],
    }
    services = site.services
    imported = (
        import_cases(
            uow=services.uow,
            clock=services.clock,
            settings=services.settings,
            text=json.dumps(line) + "\n",
            actor="test",
            source="test.jsonl",
        )
        .lines[0]
        .reference
    )
    ref = site.case("Back-dated", date(2025, 1, 31))
    cases.advance(
        uow=services.uow,
        clock=services.clock,
        policy=services.policy,
        reference=ref,
        trigger="begin_assessment",
        actor="test",
        reason="r",
        at=date(2025, 2, 3),
    )
    site.user("hanna", "handler")
    site.sign_in("hanna")
    page = site.client.get(f"/cases/{imported}?lang=en").text
    assert "Received: Feb 2007</span>" in page  # the case keeps its precision (received_precision)
    assert "entered 2007-02</small>" in page and "entered 2007-03</small>" in page
    assert ">2007-09</time>" in page  # the audit trail: the month the file gave
    assert "2007-01-31" not in re.sub(r"<[^>]*>", "", page)  # not the UTC day before the 1st
    back_dated = site.client.get(f"/cases/{ref}?lang=en").text
    assert "Received: 2025-01-31</span>" in back_dated
    assert "entered 2025-01-31</small>" in back_dated and "entered 2025-02-03</small>" in back_dated


def test_the_case_page_words_its_results_in_english_too(site: Site) -> None:
    """The result tags are worded on an English page as on a Norwegian one: no raw outcome."""
    services = site.services
    ref = site.case("Declined", date(2025, 1, 2))
    steps = (("begin_assessment", None), ("accept", None), ("examine", "enterprise_declined"))
    for trigger, outcome in steps:
        cases.advance(
            uow=services.uow,
            clock=services.clock,
            policy=services.policy,
            reference=ref,
            trigger=trigger,
            actor="test",
            reason="r",
            outcome=outcome,
        )
    site.user("hanna", "handler")
    site.sign_in("hanna")
    english = site.client.get(f"/cases/{ref}?lang=en").text
    assert '<span class="tag">Mediation result: enterprise declined</span>' in english
    assert "enterprise_declined" not in english
    norwegian = site.client.get(f"/cases/{ref}?lang=nb").text
    assert "virksomheten avslo dialog</span>" in norwegian


def test_the_audit_trail_shows_each_entry_in_the_ncps_local_time_with_its_zone(site: Site) -> None:
    """Entries are stored in UTC; the trail shows them in Europe/Oslo time with the zone named."""
    ref = site.case("Local time", date(2025, 3, 1))
    with site.services.uow.read() as tx:
        opened = next(e for e in tx.audit.entries() if e.case_ref == ref)
    site.user("aud", "auditor")
    site.sign_in("aud")
    page = site.client.get(f"/audit?case={ref}")
    assert page.status_code == 200
    stamp = datetime.fromisoformat(opened.at).astimezone(ZoneInfo("Europe/Oslo"))
    assert f">{stamp.strftime('%Y-%m-%d %H:%M')} {stamp.tzname()}</time>" in page.text


def test_the_reasons_ncpflow_writes_itself_are_worded_in_the_page_language(site: Site) -> None:
    """ "submission registered" is stored in English; the nb audit trail says "klage registrert"."""
    ref = site.case("System reason", date(2025, 3, 3))
    site.user("aud", "auditor")
    site.sign_in("aud")
    nb = site.client.get(f"/audit?case={ref}&lang=nb").text
    assert "klage registrert" in nb and "submission registered" not in nb
    en = site.client.get(f"/audit?case={ref}&lang=en").text
    assert "submission registered" in en
