"""The case page's forms over HTTP (no browser): each step, its refusal in English and Norwegian
with the typed input kept, the confirmation before consequential steps, and who gets which form.

Today is 2 June 2025 (the `clock` fixture); each case is received on 31 January 2025, so its
acknowledgement is due on 14 February and its initial assessment on 30 April.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from tests.conftest import ROOT
from tests.dbdump import dump
from tests.helpers import csrf_of, open_one, sign_in
from workflow import cases, pausing, queries, users
from workflow.bootstrap import Services, bootstrap
from workflow.clock import FixedClock
from workflow.config import load_settings
from workflow.rotation import sync_members

PASSWORD = "correct horse battery"
ALERT = re.compile(r'role="alert"><strong>[^<]*</strong>\s*(.*?)</div>', re.S)
FLASH = re.compile(r'role="status">(.*?)</div>', re.S)


@dataclass
class Site:
    client: TestClient
    services: Services
    url: str
    ref: str

    def sign_in(self, name: str) -> None:
        self.client.cookies.clear()
        assert sign_in(self.client, name, PASSWORD).status_code == 303

    def page(self, lang: str = "en") -> str:
        answer = self.client.get(f"/cases/{self.ref}?lang={lang}")
        assert answer.status_code == 200, answer.text[-2000:]
        return answer.text

    def post(self, step: str, lang: str = "en", **form: str) -> tuple[int, str]:
        """Send a step's form from the case's page; the answer's status and page (a redirect
        followed: the page it leads to)."""
        token = csrf_of(self.page(lang))
        answer = self.client.post(
            f"/cases/{self.ref}/{step}?lang={lang}",
            data={**form, "csrf_token": token},
            follow_redirects=False,
        )
        if answer.status_code == 303:
            return 303, self.page(lang)
        return answer.status_code, answer.text

    def case(self) -> cases.Case:
        return queries.get_case(uow=self.services.uow, reference=self.ref)

    def advance(self, trigger: str, outcome: str | None = None, at: date | None = None) -> None:
        cases.advance(
            uow=self.services.uow,
            clock=self.services.clock,
            policy=self.services.policy,
            reference=self.ref,
            trigger=trigger,
            actor="test",
            reason="set up",
            outcome=outcome,
            at=at,
        )


@pytest.fixture
def site(sqlite_url: str, clock: FixedClock) -> Iterator[Site]:
    settings = load_settings(ROOT / "config.toml", database_url=sqlite_url)  # language = "nb"
    services = bootstrap(settings, clock=clock)
    sync_members(uow=services.uow, clock=clock, settings=settings)
    ref = open_one(services, "Nordic Metals ASA", submitter="Friends of the Fjord")
    lead = queries.get_case(uow=services.uow, reference=ref).lead_member
    other = next(m for m in ("member-b", "member-c", "member-d", "chair") if m != lead)
    for name, role, member in [
        ("hanna", "handler", None),
        ("lead", "member", lead),
        ("other", "member", other),
        ("aud", "auditor", None),
    ]:
        users.add_user(
            uow=services.uow,
            clock=clock,
            name=name,
            role=role,
            member_id=member,
            actor="test",
            password=PASSWORD,
        )
    with TestClient(create_app(services, secret="test-secret")) as client:
        built = Site(client, services, sqlite_url, ref)
        built.sign_in("hanna")
        yield built
    services.close()


def alert(page: str) -> str:
    found = ALERT.search(page)
    assert found, page[-3000:]
    return html.unescape(re.sub(r"\s+", " ", found.group(1))).strip()


def flash(page: str) -> str:
    found = FLASH.search(page)
    assert found, page[-3000:]
    return html.unescape(found.group(1)).strip()


def value_of(page: str, form: str, name: str) -> str:
    """The value an input of the form with id `form` holds."""
    start = page.index(f'id="{form}"')
    block = page[start : page.index("</form>", start)]
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', block)
    assert found, block
    return html.unescape(found.group(1))


# ---- advance ------------------------------------------------------------------------------------


def test_a_step_recorded_with_an_earlier_date_says_so_and_is_in_the_audit_trail(site: Site) -> None:
    """begin_assessment on 22 February: the flash names the new stage and the date, in en and nb."""
    status, page = site.post(
        "advance", trigger="begin_assessment", reason="Receipt acknowledged", at="2025-02-22"
    )
    assert status == 303
    assert flash(page) == "Advanced to Initial assessment, effective 2025-02-22."
    assert site.case().state == "initial_assessment"
    with site.services.uow.read() as tx:
        entry = list(tx.audit.entries())[-1]
    assert entry.actor == "hanna" and entry.at.startswith("2025-02-2")  # local midnight, UTC
    status, page = site.post("pause", "nb", reason="Parallelle prosesser")
    assert status == 303 and flash(page) == "Klokken er stoppet."


def test_a_refused_step_keeps_what_was_typed_and_names_the_field_in_en_and_nb(site: Site) -> None:
    """A date in the future: 422, the case's page with the reason and the date kept in the form,
    the refusal naming the field by its label; nothing is written."""
    before = dump(site.url)
    for lang, label in (("en", "Effective date (if earlier)"), ("nb", "Virkningsdato (hvis tidligere)")):
        status, page = site.post(
            "advance", lang, trigger="begin_assessment", reason="Typed with care", at="2031-01-01"
        )
        assert status == 422
        message = alert(page)
        assert message.startswith(label) and "2031-01-01" in message, message
        assert value_of(page, "advance-begin_assessment", "reason") == "Typed with care"
        assert value_of(page, "advance-begin_assessment", "at") == "2031-01-01"
    status, page = site.post("pause", "nb", reason=" ", requested_by="Nordic Metals ASA")
    assert status == 422 and alert(page).startswith("Begrunnelse")
    assert value_of(page, "pause", "requested_by") == "Nordic Metals ASA"
    assert dump(site.url) == before


def test_outcome_dropdowns_start_at_choose_with_nothing_chosen(site: Site) -> None:
    """In good offices every outcome-bearing step starts at an empty, required "Choose…"."""
    site.advance("begin_assessment")
    site.advance("accept")
    page = site.page()
    selects = re.findall(r'<select name="outcome" required>(.*?)</select>', page, re.S)
    assert len(selects) >= 2
    for options in selects:
        assert options.strip().startswith('<option value="">Choose…</option>')
        assert "selected" not in options
    assert '<option value="">Velg …</option>' in site.page("nb")


def test_a_paused_case_offers_only_resume_and_says_why(site: Site) -> None:
    """No advance form while the clock stands still; the reason and the local time are shown."""
    pausing.pause_case(
        uow=site.services.uow,
        clock=site.services.clock,
        reference=site.ref,
        actor="test",
        reason="Parallel proceedings",
    )
    page = site.page()
    assert 'action="/cases/' + site.ref + '/advance"' not in page
    assert f'action="/cases/{site.ref}/resume"' in page
    assert "The clock is stopped since 2025-06-02 11:00 CEST (Parallel proceedings)" in page
    assert "2025-06-02T09:00" not in re.sub(r'datetime="[^"]*"', "", page)  # pause and audit trail
    assert "siden 2025-06-02 11:00 CEST" in site.page("nb")


def test_a_step_from_a_stale_page_is_refused_in_the_page_language_without_internal_names(
    site: Site,
) -> None:
    """The page was read before the case was paused: 409, in bokmål, stages and steps by their
    names on the page; without the version, the paused case's own refusal, in bokmål too."""
    stale = site.page("nb")
    token, version = csrf_of(stale), re.search(r'name="version" value="(\d+)"', stale)
    assert version
    pausing.pause_case(
        uow=site.services.uow, clock=site.services.clock, reference=site.ref, actor="test", reason="Venter"
    )
    before = dump(site.url)
    form = {"trigger": "begin_assessment", "reason": "Mottak bekreftet", "csrf_token": token}
    answer = site.client.post(
        f"/cases/{site.ref}/advance?lang=nb", data={**form, "version": version.group(1)}
    )
    assert answer.status_code == 409
    message = alert(answer.text)
    assert "'mottatt'" in message and "received" not in message, message
    answer = site.client.post(f"/cases/{site.ref}/advance?lang=nb", data=form)
    assert answer.status_code == 409
    message = alert(answer.text)
    assert "står på vent siden 2. juni 2025 (Venter)" in message, message
    assert "'Start vurdering'" in message and "begin_assessment" not in message, message
    assert dump(site.url) == before


# ---- confirmation -------------------------------------------------------------------------------


def test_a_consequential_step_asks_first_and_nothing_is_written_until_confirmed(site: Site) -> None:
    """Reject asks: the page summarises, Back returns with the input kept, Confirm records."""
    site.advance("begin_assessment", at=date(2025, 5, 2))
    before = dump(site.url)
    status, page = site.post("advance", trigger="reject", reason="Outside the Guidelines", at="2025-06-01")
    assert status == 200
    assert f"You are about to record “Reject” for {site.ref}:" in html.unescape(page)
    assert "Initial assessment → final statement" in page and "not accepted" in page
    assert "Outside the Guidelines" in page and "2025-06-01" in page
    assert dump(site.url) == before  # asking writes nothing
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    assert hidden["trigger"] == "reject" and hidden["csrf_token"]
    back = site.client.post(f"/cases/{site.ref}/advance", data={**hidden, "confirm": "back"})
    assert back.status_code == 200
    assert value_of(back.text, "advance-reject", "reason") == "Outside the Guidelines"
    assert dump(site.url) == before
    forged = site.client.post(
        f"/cases/{site.ref}/advance", data={**hidden, "confirm": "yes", "csrf_token": "x"}
    )
    assert forged.status_code == 403 and dump(site.url) == before
    done = site.client.post(f"/cases/{site.ref}/advance", data={**hidden, "confirm": "yes"})
    assert done.status_code == 200 and "Advanced to Final statement, effective 2025-06-01." in done.text
    assert site.case().state == "final_statement"


def test_a_step_that_ends_nothing_is_recorded_at_once(site: Site) -> None:
    """begin_assessment and accept neither record an outcome nor conclude: no question."""
    assert site.post("advance", trigger="begin_assessment", reason="Complete")[0] == 303
    status, page = site.post("advance", trigger="accept", reason="Material issues", scope="Chapter VI only")
    assert status == 303 and flash(page) == "Advanced to Good offices."
    assert "<strong>Accepted scope:</strong> Chapter VI only" in page  # the scope is shown
    assert "<strong>Godtatt omfang:</strong> Chapter VI only" in site.page("nb")


def test_an_extension_asks_first_then_says_by_how_much_and_to_when(site: Site) -> None:
    """The initial assessment, due 30 April, extended by 1 month: to 30 May."""
    before = dump(site.url)
    status, page = site.post(
        "extend", deadline="initial_assessment", amount="1", unit="months", reason="Annexes"
    )
    assert status == 200 and dump(site.url) == before
    text = html.unescape(page)
    assert f"You are about to extend the deadline “initial assessment” by 1 month for {site.ref}:" in text
    assert "<dd>2025-04-30</dd>" in page and "<dd>2025-05-30</dd>" in page
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    done = site.client.post(f"/cases/{site.ref}/extend", data={**hidden, "confirm": "yes"})
    assert "Deadline “initial assessment” extended by 1 month to 2025-05-30." in html.unescape(done.text)
    deadline = site.case().deadline("initial_assessment")
    assert deadline is not None and deadline.due == date(2025, 5, 30)
    after = dump(site.url)
    again = site.client.post(f"/cases/{site.ref}/extend", data={**hidden, "confirm": "yes"})
    assert again.status_code == 409 and "changed by someone else" in alert(again.text)  # sent twice
    assert dump(site.url) == after


def test_an_extension_refused_keeps_its_input_in_en_and_nb(site: Site) -> None:
    """Zero days, and a deadline already met: refused before any question, the input kept."""
    before = dump(site.url)
    status, page = site.post(
        "extend", "nb", deadline="initial_assessment", amount="0", unit="days", reason="Vedlegg"
    )
    assert status == 422 and alert(page).startswith("Forleng med"), alert(page)
    assert value_of(page, "extend", "reason") == "Vedlegg" and value_of(page, "extend", "amount") == "0"
    site.advance("begin_assessment")
    status, page = site.post("extend", deadline="acknowledgement", amount="3", unit="days", reason="Late")
    assert status == 409 and "'acknowledgement'" in alert(page) and "was met on" in alert(page)
    assert dump(site.url) != before  # only the step set up above
    after = dump(site.url)
    status, page = site.post(
        "extend", "nb", deadline="acknowledgement", amount="3", unit="days", reason="For sent"
    )
    assert status == 409 and "'bekreftelse av mottak'" in alert(page), alert(page)
    assert dump(site.url) == after


# ---- edit, facts --------------------------------------------------------------------------------


def test_the_edit_form_shows_the_case_and_says_which_fields_were_saved(site: Site) -> None:
    """Host countries and the edition change; the flash names them; a bad code is refused with
    every typed value kept."""
    page = site.page()
    assert value_of(page, "edit", "host_countries") == ""
    status, page = site.post(
        "edit",
        themes="environment",
        host_countries="br, SE",
        sector="",
        guidelines_edition="2023",
        supporting_ncps="",
        reason="From the submission",
    )
    assert status == 303 and flash(page) == "Saved: Guidelines chapters, Host countries, Guidelines edition."
    details = site.case().details
    assert details.host_countries == ("BR", "SE") and details.themes == ("environment",)
    assert value_of(page, "edit", "host_countries") == "BR, SE"
    before = dump(site.url)
    status, page = site.post("edit", "nb", host_countries="BR, Atlantis", sector="Mining", reason="Ny")
    assert status == 422 and alert(page).startswith("Vertsland"), alert(page)
    assert value_of(page, "edit", "host_countries") == "BR, Atlantis"
    assert value_of(page, "edit", "sector") == "Mining"
    assert dump(site.url) == before


def test_a_fact_is_recorded_from_the_page(site: Site) -> None:
    """In good offices the parties' agreement to mediate may be recorded, with its day."""
    site.advance("begin_assessment")
    site.advance("accept")
    status, page = site.post("record", fact="mediation_agreed", on="2025-05-20")
    assert status == 303 and flash(page) == "Recorded: parties agreed to good offices on 2025-05-20."
    status, page = site.post("record", "nb", fact="mediation_agreed", on="2025-13-01", note="Merknad")
    assert status == 422 and alert(page).startswith("Dato"), alert(page)
    assert value_of(page, "record", "note") == "Merknad"


# ---- who leads ----------------------------------------------------------------------------------


def test_reassign_and_recuse_ask_first_and_say_who_leads_now(site: Site) -> None:
    lead = site.case().lead_member
    other = next(m for m in ("member-b", "member-c", "member-d", "chair") if m != lead)
    before = dump(site.url)
    status, page = site.post("reassign", to=other, reason="Workload")
    assert status == 200 and f"You are about to make {other} the lead of {site.ref}:" in page
    assert dump(site.url) == before
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    done = site.client.post(f"/cases/{site.ref}/reassign", data={**hidden, "confirm": "yes"})
    assert f"{other} now leads the case." in done.text and site.case().lead_member == other
    status, page = site.post("recuse", member=other, reason="Former employer")
    assert status == 200 and "step aside" in page
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    done = site.client.post(f"/cases/{site.ref}/recuse", data={**hidden, "confirm": "yes"})
    now = site.case().lead_member
    assert now != other and f"{other} stepped aside; {now} now leads the case." in done.text


def test_a_reassignment_refused_keeps_its_input(site: Site) -> None:
    """The lead again: refused on confirming, in bokmål, the reason kept."""
    lead = site.case().lead_member
    assert lead is not None
    token = csrf_of(site.page("nb"))
    data = {"to": lead, "reason": "Samme igjen", "confirm": "yes", "csrf_token": token}
    answer = site.client.post(f"/cases/{site.ref}/reassign?lang=nb", data=data)
    assert answer.status_code == 409
    assert value_of(answer.text, "reassign", "reason") == "Samme igjen"


def test_the_chair_reassigns_and_recuses_a_case_another_member_leads(site: Site) -> None:
    """The member user linked to the chair gets the reassign and recuse forms (not advance: it
    does not lead the case) and uses them, asked first; another member gets neither form, and a
    valid reassignment from them is refused with 403 naming the action, nothing written."""
    site.services.cases.reassign(reference=site.ref, to="member-d", actor="t", reason="r")
    site.sign_in("lead")  # linked to the chair
    page = site.page("en")
    assert forms(page, site.ref) == {"reassign", "recuse"}
    assert "as the chair you can give it to another lead" in page
    assert "som leder kan du gi saken til en annen saksansvarlig" in site.page("nb")
    status, page = site.post("reassign", to="member-c", reason="Workload")
    assert status == 200 and f"You are about to make member-c the lead of {site.ref}:" in page
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    done = site.client.post(f"/cases/{site.ref}/reassign", data={**hidden, "confirm": "yes"})
    assert "member-c now leads the case." in done.text and site.case().lead_member == "member-c"
    status, page = site.post("recuse", member="member-c", reason="Former employer")
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    done = site.client.post(f"/cases/{site.ref}/recuse", data={**hidden, "confirm": "yes"})
    assert "member-c stepped aside" in done.text and site.case().lead_member not in (None, "member-c")
    site.sign_in("other")
    page = site.page()
    assert forms(page, site.ref) == set()
    before = dump(site.url)
    answer = site.client.post(
        f"/cases/{site.ref}/reassign?lang=en",
        data={"to": "member-d", "reason": "Mine now", "confirm": "yes", "csrf_token": csrf_of(page)},
    )
    assert answer.status_code == 403 and "reassign cases" in answer.text and "chair" in answer.text
    assert dump(site.url) == before


# ---- who gets which form ------------------------------------------------------------------------

STEPS = ("advance", "pause", "extend", "edit", "record", "reassign", "recuse")


def forms(page: str, ref: str) -> set[str]:
    return {step for step in STEPS if f'action="/cases/{ref}/{step}"' in page}


def test_each_role_gets_the_forms_the_permission_table_allows(site: Site) -> None:
    """Handlers every form; the lead member advance, and, being the chair, reassign and recuse;
    another member and auditors none, and their posts are refused with 403."""
    site.advance("begin_assessment")
    site.advance("accept")
    assert forms(site.page(), site.ref) == set(STEPS)
    site.sign_in("lead")
    assert site.case().lead_member == "chair"  # the rotation's first lead
    assert forms(site.page(), site.ref) == {"advance", "reassign", "recuse"}
    for name in ("other", "aud"):
        site.sign_in(name)
        page = site.page()
        assert forms(page, site.ref) == set()
        token = csrf_of(page)
        for step in STEPS:
            answer = site.client.post(
                f"/cases/{site.ref}/{step}",
                data={"trigger": "examine", "reason": "not mine", "csrf_token": token},
                follow_redirects=False,
            )
            assert answer.status_code == 403, (name, step)
    site.sign_in("lead")
    status, page = site.post("advance", trigger="conclude", outcome="agreement", reason="Agreed")
    assert status == 200 and "You are about to record" in page  # the lead advances, asked first


# ---- what the page shows ------------------------------------------------------------------------


def test_a_deadline_met_late_says_how_late(site: Site) -> None:
    """The acknowledgement, due 14 February, met on 22 February: 8 days late, in red; the
    initial assessment met on time stays plain "met"."""
    site.advance("begin_assessment", at=date(2025, 2, 22))
    site.advance("accept", at=date(2025, 4, 1))
    page = site.page()
    assert '<span class="met-late">met 8 days late</span> (<span class="date">2025-02-22</span>)' in page
    assert "met</td>" not in page.split("Acknowledgement", 1)[1].split("</tr>", 1)[0]
    row = page.split(">Initial assessment</td>", 1)[1].split("</tr>", 1)[0]
    assert 'met (<span class="date">2025-04-01</span>)' in row and "met-late" not in row
    assert '<span class="met-late">overholdt 8 dager for sent</span>' in site.page("nb")
