"""The Norwegian check: every page (the page walk, tests/e2e/page_walk.py, for every case, as every
role), a few refused forms and the error pages, and every e-mail kind, rendered in Norwegian bokmål,
with no message left untranslated and no English wording of the catalogue shown; and no page, in
either language, showing a raw internal name (tests/e2e/nb_check.py).

One site for the module, its data written in Norwegian as an NCP would (the titles, names and reasons
people type are theirs, not the catalogue's): cases in every stage, paused, extended, reassigned over
a conflict, recused, with issues, facts, notes and documents, a confidential submitter, an imported
past case known to the month; users, tokens, second factors, refused sign-ins; alerts swept and
e-mails sent; a lead who became conflicted.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from notifications.memory import RecordingChannel
from notifications.render import KINDS, render
from tests.conftest import ROOT
from tests.e2e.nb_check import StrictWords, leaks
from tests.e2e.page_walk import page_urls, party_token
from tests.helpers import csrf_of, sign_in
from workflow.application import Application
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput
from workflow.clock import FixedClock
from workflow.config import load_settings

PASSWORD = "korrekt hest batteri stift"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ROLES = {"handler": "hanna", "member": "bjorn", "auditor": "revisor", "admin": "admin", "mediator": "mekler"}
NAMES = {
    "Chair of the NCP": "Ingrid Leder",
    "Member B": "Bjørn Berg",
    "Member C": "Cecilie Dahl",
    "Member D": "Dag Eide",
}


@dataclass
class World:
    app: FastAPI
    services: Application
    refs: dict[str, str]
    clients: dict[str, TestClient]
    channel: RecordingChannel
    strict: StrictWords
    checked: list[str] = field(default_factory=list)
    token: str = ""  # a party's link: the enterprise of the confidential case (`/p/{token}`)


def _config(folder: Path, *, conflicted_chair: bool = False) -> Path:
    """config.toml with the members' names in Norwegian, member-d conflicted with Havbruk Nord AS
    (by organisation number), and, later, the chair conflicted with Fjordgruve ASA."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    for english, norwegian in NAMES.items():
        text = text.replace(f'name = "{english}"', f'name = "{norwegian}"')
    text = text.replace(
        'email = "member-d@responsiblebusiness.no"\n',
        'email = "member-d@responsiblebusiness.no"\nconflicts = [{ org_number = "923 456 789" }]\n',
    )
    if conflicted_chair:
        text = text.replace(
            'email = "chair@responsiblebusiness.no"\n',
            'email = "chair@responsiblebusiness.no"\nconflicts = ["Fjordgruve ASA"]\n',
        )
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _case(
    app: Application,
    title: str,
    submitter: PartyInput,
    enterprise: PartyInput,
    received: date,
    steps: tuple[tuple[str, str], ...] = (),
) -> str:
    """A case opened by hanna, then taken through `steps` (trigger, reason)."""
    ref = app.cases.open(
        title=title, submitters=[submitter], enterprises=[enterprise], actor="hanna", received=received
    ).reference
    for trigger, reason in steps:
        app.cases.advance(reference=ref, trigger=trigger, actor="hanna", reason=reason)
    return ref


ACKNOWLEDGED = ("begin_assessment", "Mottak bekreftet")
# Each case: title, submitter, enterprise, received, steps (trigger, reason).
CASES: dict[str, tuple[str, PartyInput, PartyInput, date, tuple[tuple[str, str], ...]]] = {
    "paused": (
        "Gruvedrift i Førdefjorden",
        PartyInput("Naturvernforbundet", "ngo"),
        PartyInput("Fjordgruve ASA"),
        date(2025, 6, 2),
        (ACKNOWLEDGED, ("accept", "Vesentlige spørsmål")),
    ),
    "confidential": (
        "Arbeidsforhold på oppdrettsanlegget",
        PartyInput("Ola Nordmann", "individual", confidential=True),
        PartyInput("Havbruk Nord AS", org_number="923456789"),
        date(2025, 10, 1),
        (("begin_assessment", "Mottak bekreftet til Ola Nordmann"),),
    ),
    "closed": (
        "Skatt i datterselskaper",
        PartyInput("Skatt for alle", "other"),
        PartyInput("Offshore Holding AS"),
        date(2025, 3, 3),
        (ACKNOWLEDGED, ("reject", "Ikke underbygget"), ("close", "Sluttuttalelse publisert")),
    ),
    "mediation": (
        "Fagforeningsrettigheter på fabrikken",
        PartyInput("Fellesforbundet", "trade_union"),
        PartyInput("Fisk og Filet AS"),
        date(2026, 1, 10),
        (ACKNOWLEDGED, ("accept", "Tatt opp")),
    ),
    "review": (
        "Forurensning fra smelteverket",
        PartyInput("Lokalsamfunnet i Sauda", "community"),
        PartyInput("Smelteverk AS"),
        date(2025, 2, 3),
        (ACKNOWLEDGED, ("accept", "Tatt opp delvis")),
    ),
}


def _cases(app: Application) -> dict[str, str]:
    """The cases, each in another stage, all written in Norwegian."""
    cases = app.cases
    refs = {key: _case(app, *row) for key, row in CASES.items()}
    cases.pause(
        reference=refs["paused"], actor="hanna", reason="Parallelle rettssaker", requested_by="Fjordgruve ASA"
    )
    secret = refs["confidential"]
    app.checklists.tick(reference=secret, item="ia_identity", actor="hanna")  # a checklist line ticked
    cases.extend(
        reference=secret,
        deadline="initial_assessment",
        actor="hanna",
        reason="Venter på oversettelse",
        days=10,
    )
    cases.reassign(reference=secret, to="member-d", actor="hanna", reason="Kjenner bransjen", override=True)
    cases.recuse(reference=secret, member="member-d", actor="hanna", reason="Tidligere arbeidsgiver")
    app.notes.add(reference=secret, text="Ola Nordmann ringte: frykter represalier", actor="hanna")
    app.notes.add(reference=secret, text="Ola Nordmann ringte mandag", actor="hanna", replaces=1)
    # An external mediator with a soft conflict, on the case, with a session (the mediation page).
    app.mediators.add(
        actor="hanna",
        mediator_id="ola-hansen",
        name="Ola Hansen",
        email="ola@mekling.example",
        organisation="Mekling AS",
        languages=("nb", "en"),
        soft_conflicts=(("Havbruk Nord AS", None),),
    )
    app.mediators.assign(reference=secret, mediator="ola-hansen", actor="hanna")
    app.mediators.add_session(
        reference=secret,
        actor="hanna",
        starts=datetime(2026, 2, 10, 10, 0),
        format="in_person",
        place="Oslo",
        interpreters=("en",),
        attendees=("enterprise-1", "Ola Observatør"),
        notes="Partene var positive",
    )
    for n, (title, direction, party, access, exemption) in enumerate(
        [
            ("Klage på arbeidsforholdene", "in", "enterprise-1", "parties", "offentleglova § 13"),
            ("Svar til Havbruk Nord AS", "out", "enterprise-1", "public", None),
            ("Strateginotat", "in", "enterprise-1", "ncp", None),
        ]
    ):
        app.documents.add(
            reference=secret,
            source=[b"%PDF-1.4\n% dokument " + str(n).encode()],
            filename=f"dokument-{n}.pdf",
            title=title,
            direction=direction,
            party=party,
            access=access,
            exemption=exemption,
            actor="hanna",
        )
    cases.edit(reference=refs["mediation"], actor="hanna", reason="Rettet tema", themes=["employment"])
    review = refs["review"]
    cases.add_issue(reference=review, actor="hanna", title="Utslipp til vann", chapters=["vi"])
    cases.add_issue(reference=review, actor="hanna", title="Informasjon til naboer", chapters=["iii"])
    cases.decide_issue(reference=review, number=1, decision="accepted", actor="hanna")
    cases.decide_issue(reference=review, number=2, decision="not_accepted", actor="hanna")
    cases.record(reference=review, fact="assessment_published", on=date(2025, 6, 1), actor="hanna")
    cases.advance(
        reference=review, trigger="conclude", outcome="agreement", actor="hanna", reason="Partene ble enige"
    )
    cases.conclude_issue(reference=review, number=1, outcome="agreement", actor="hanna")
    # Documents (issue 14): received, a second version, sent, and an NCP-internal one.
    for replaces, direction, access, exemption in (
        (None, "in", "parties", None),
        (1, "in", "parties", "offentleglova § 13"),
        (None, "out", "public", None),
        (None, "internal", "ncp", "offentleglova § 14"),
    ):
        app.documents.add(
            reference=review,
            source=[b"%PDF-1.4\n% brev\n"],
            filename="brev.pdf",
            title="Brev fra selskapet",
            direction=direction,
            party="enterprise-1" if direction != "internal" else None,
            access=access,
            exemption=exemption,
            actor="hanna",
            replaces=replaces,
        )
    cases.record(
        reference=review,
        fact="review_requested",
        on=date(2026, 2, 20),
        by="enterprise",
        actor="hanna",
        note="Begjæring fra selskapet",
    )

    # Letters and the correspondence log (issue 14): one sent by e-mail, one left as a draft.
    app.parties.add_contact(
        reference=review,
        party="submitter-1",
        actor="hanna",
        name="Kari Kontakt",
        email="kari@eksempel.no",
        language="nb",
    )
    app.letters.draft(reference=review, kind="acknowledgement", party="submitter-1", actor="hanna")
    app.letters.edit(
        reference=review, letter=1, paragraphs=["Kvittering", "Vi har mottatt klagen."], actor="hanna"
    )
    app.letters.send(reference=review, letter=1, channel="email", actor="hanna")
    app.letters.draft(reference=review, kind="draft_for_comment", party="enterprise-1", actor="hanna")
    app.correspondence.log(
        reference=review, direction="in", party="enterprise-1", channel="phone", subject="Ringte om fristen",
        actor="hanna",
    )  # fmt: skip
    # The follow-up (issue 15): a commitment, its status, an update asked of its owner.
    app.follow_up.add(
        reference=review, source="agreement", owner="submitter", party="submitter-1",
        text="Dele rapporten med lokalsamfunnet", actor="hanna",
    )  # fmt: skip
    app.follow_up.set_status(
        reference=review, commitment=1, status="partly", note="Delvis delt", actor="hanna"
    )
    app.follow_up.request_update(reference=review, party="submitter-1", actor="hanna")
    # Related cases (issue 16): a parallel complaint at another NCP, and a link removed.
    app.case_links.link(
        reference=review, kind="parallel", ncp="SE", external_reference="NKP 2025/7",
        url="https://ncp.example.se/7", actor="hanna",
    )  # fmt: skip
    others = [ref for ref in refs.values() if ref != review]
    app.case_links.link(reference=review, kind="same_facts", case=others[0], actor="hanna")
    app.case_links.unlink(reference=review, number=2, actor="hanna", reason="Ikke samme forhold")
    app.case_links.link(reference=others[0], kind="follow_on", case=review, actor="hanna")

    line = {
        "external_id": "NO-2007-01",
        "title": "Tvangsflytting ved et vannkraftverk",
        "parties": [
            {"role": "submitter", "name": "Forum for miljø og utvikling", "type": "ngo"},
            {"role": "enterprise", "name": "Vannkraft Holding AS"},
        ],
        "received": "2007-02",
        "milestones": [
            {"trigger": "begin_assessment", "date": "2007-03"},
            {"trigger": "reject", "date": "2007-09"},
            {"trigger": "close", "date": "2007-10"},
        ],
        "themes": ["human_rights"],
        "host_countries": ["LA"],
    }
    imported = cases.import_cases(text=json.dumps(line) + "\n", actor="admin", source="Arkivet")
    (created,) = imported.lines
    assert created.reference is not None
    refs["imported"] = created.reference
    return refs


def _users(app: Application) -> None:
    users = app.users
    users.add(name="hanna", role="handler", actor="oppsett", password=PASSWORD)
    users.add(name="bjorn", role="member", member_id="member-b", actor="oppsett", password=PASSWORD)
    users.add(name="revisor", role="auditor", actor="oppsett", password=PASSWORD)
    users.add(name="admin", role="admin", actor="oppsett", password=PASSWORD)
    users.add(name="mekler", role="mediator", mediator_id="ola-hansen", actor="oppsett", password=PASSWORD)
    token = users.issue_token(name="revisor", actor="admin")
    users.revoke_token(name="revisor", token_id=token.listed.id, actor="admin")
    users.enrol_totp(name="revisor", actor="admin", issuer="ncpflow")
    users.remove_totp(name="revisor", actor="admin")
    users.set_disabled(name="revisor", disabled=True, actor="admin")
    users.set_disabled(name="revisor", disabled=False, actor="admin")
    users.set_password(name="revisor", password=PASSWORD, actor="admin")
    for _ in range(6):  # a wrong password, and the lock-out that follows
        app.signin.password("gjest", "feil passord", "192.0.2.7")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("norwegian")
    shutil.copy(sqlite_template, folder / "ncpflow.db")
    url = f"sqlite:///{folder / 'ncpflow.db'}"
    channel = RecordingChannel()
    clock = FixedClock(NOW)
    strict = StrictWords()
    with strict.watching():
        services = bootstrap(load_settings(_config(folder), database_url=url), clock=clock, channel=channel)
        services.members.sync()
        refs = _cases(services)
        _users(services)
        # The chair, who leads the paused case, is now conflicted with its enterprise.
        later = bootstrap(
            load_settings(_config(folder, conflicted_chair=True), database_url=url),
            clock=clock,
            channel=channel,
        )
        later.members.sync()
        later.rotation.alert()
        later.alerts.sweep()
        later.outbox.dispatch()
        later.close()
        web = create_app(services, secret="test-secret")
        clients: dict[str, TestClient] = {}
        for role, name in ROLES.items():
            # As a browser asks: an error comes back as a page, not as the API's JSON.
            client = TestClient(web, raise_server_exceptions=False, headers={"accept": "text/html"})
            assert sign_in(client, name, PASSWORD).status_code == 303, role
            clients[role] = client
        try:
            yield World(web, services, refs, clients, channel, strict)
        finally:
            for client in clients.values():
                client.close()
            services.close()


def _pages(world: World) -> list[str]:
    """Every page of the walk, for every case; the users' pages for one with a history."""
    urls: list[str] = []
    for ref in world.refs.values():
        if not world.token:
            world.token = party_token(world.services, world.refs["confidential"], "enterprise-1")
        samples = {
            "ref": ref,
            "register/ref": world.refs["review"],
            "name": "revisor",
            "member": "member-b",
            "token": world.token,
        }
        found = page_urls(world.app, samples)
        urls.extend(u for u in found if u not in urls)
    return urls


def _walk(world: World, lang: str) -> list[str]:
    """Each page as each role: the page itself where the role may see it, else its refusal
    (HTML in the page's language where the pages answer one); every page seen by some role."""
    found: list[str] = []
    seen: set[str] = set()
    for role, client in world.clients.items():
        for url in _pages(world):
            answer = client.get(_with(url, lang))
            # A mediator's user meets the other cases as unknown ones (404, its page in words too).
            allowed = (200, 403, 404) if role == "mediator" else (200, 403)
            assert answer.status_code in allowed, (role, url, answer.status_code, answer.text[:300])
            if answer.status_code == 200:
                seen.add(url)
            if not answer.headers.get("content-type", "").startswith("text/html"):
                continue
            assert f'<html lang="{lang}">' in answer.text, (role, url)
            found += _check(world, f"{role} {url} ({lang})", answer.text, norwegian=lang == "nb")
    assert seen == set(_pages(world)), set(_pages(world)) - seen
    return found


def _check(world: World, what: str, html: str, *, norwegian: bool) -> list[str]:
    world.checked.append(what)
    return [f"{what}: {found}" for found in leaks(html, norwegian=norwegian)]


def _with(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


def test_every_page_reads_in_norwegian_for_every_role(world: World) -> None:
    """Each page of the walk, for each case and as each role, in bokmål: no English of the
    catalogue, no raw internal name; each page answers some role with itself."""
    found = _walk(world, "nb")
    assert not found, "\n".join(found)


def test_no_page_shows_a_raw_internal_name_in_english_either(world: World) -> None:
    """The same walk in English: states, triggers, deadlines, party types and audit kinds are
    worded there too."""
    found = _walk(world, "en")
    for client in world.clients.values():
        client.get("/?lang=nb")  # back to Norwegian for the tests after
    assert not found, "\n".join(found)


def _refused(world: World, role: str, path: str, **form: str) -> str:
    """A form sent on a Norwegian page and the page it comes back to (a redirect is followed)."""
    client = world.clients[role]
    ref_page = path.rsplit("/", 1)[0]
    token = csrf_of(client.get(_with(ref_page, "nb")).text)
    answer = client.post(path, data={"csrf_token": token, **form}, follow_redirects=True)
    return answer.text if answer.headers.get("content-type", "").startswith("text/html") else ""


def test_refusals_and_error_pages_read_in_norwegian(world: World) -> None:
    """A paused case advanced, a stale form, a step not allowed now, a missing outcome, a guard
    that holds a step, a blank reason, an unknown case and an unknown page: each said in bokmål,
    with no internal name."""
    refs = world.refs
    version = world.services.cases.get(reference=refs["mediation"]).version
    pages = {
        "paused case advanced": _refused(
            world,
            "handler",
            f"/cases/{refs['paused']}/advance",
            trigger="examine",
            reason="Videre",
            version="",
        ),
        "stale version": _refused(
            world,
            "handler",
            f"/cases/{refs['mediation']}/advance",
            trigger="conclude",
            outcome="agreement",
            reason="Enighet",
            version=str(version - 1),
        ),
        "step not allowed": _refused(
            world, "handler", f"/cases/{refs['mediation']}/advance", trigger="close", reason="Avslutt"
        ),
        "outcome missing": _refused(
            world, "handler", f"/cases/{refs['mediation']}/advance", trigger="conclude", reason="Ferdig"
        ),
        "guard holds": _refused(
            world, "handler", f"/cases/{refs['review']}/advance", trigger="publish", reason="Publiser"
        ),
        "blank reason": _refused(world, "handler", f"/cases/{refs['mediation']}/pause", reason=""),
        "unknown case": world.clients["handler"].get("/cases/NCP-1999-999?lang=nb").text,
        "not led": _refused(
            world, "member", f"/cases/{refs['closed']}/advance", trigger="close", reason="Avslutt"
        ),
        "not allowed": _refused(world, "auditor", f"/cases/{refs['mediation']}/pause", reason="Vent"),
    }
    unknown = world.clients["handler"].get("/finnes-ikke?lang=nb")
    if unknown.headers.get("content-type", "").startswith("text/html"):
        pages["unknown page"] = unknown.text
    found: list[str] = []
    shown = 0
    for what, html in pages.items():
        if not html:  # answered as data, not as a page (the error pages come as HTML in time)
            continue
        shown += 1
        assert '<html lang="nb">' in html, what
        found += _check(world, what, html, norwegian=True)
    assert shown >= 7, pages.keys()
    assert not found, "\n".join(found)


def test_every_e_mail_kind_reads_in_norwegian(world: World) -> None:
    """The e-mails the site sent (alerts, lead notices, a lead now conflicted), and each kind
    rendered by the renderer as its callers do: subject, text and HTML in bokmål."""
    sent = world.channel.sent
    kinds_sent = {mail.kind for mail in sent if hasattr(mail, "kind")}
    found: list[str] = []
    for mail in sent:
        found += [f"{mail.subject}: {f}" for f in leaks(mail.html, norwegian=True)]
        found += [
            f"{mail.subject}: {f}" for f in leaks(mail.text + "\n" + mail.subject, norwegian=True, html=False)
        ]
    context = {
        "reference": "NCP-2026-007",
        "title": "Utslipp fra oppdrett",
        "deadline": "initial_assessment",
        "due": date(2026, 6, 3),
        "days": 12,
        "explanation": "mottatt 3. mars 2026 + 3 måneder = 3. juni 2026",
        "received": date(2026, 3, 3),
        "reason": "valgte member-b (aldri vært saksansvarlig)",
        "recipient_name": "Bjørn Berg",
        "ncp_name": "Kontaktpunktet for ansvarlig næringsliv",
        "party_name": "Havbruk Seafood ASA",
        "since": date(2026, 3, 3),
        "period": "3 måneder",
        "letter_subject": "Bekreftelse av mottak",
        "paragraphs": ["Vi har mottatt klagen.", "Med vennlig hilsen"],
        "attachments": ["NCP-2026-007-letter-1.pdf"],
        "url": "https://ncp.example.org/p/WzEsIm5vbmNlIl0.signature",
        "expires": date(2026, 6, 3),
        "commitments": ["1. Publisere en klageordning"],
        "when": "due",
        "ncp": "SE",  # a supporting NCP's review task (review_due)
        "statement": 1,
    }
    for kind in KINDS:  # the module's strict translator records what the catalogue lacks
        message = render(kind, "nb", context)
        found += [f"{kind}: {f}" for f in leaks(message.html, norwegian=True)]
        text = message.text + "\n" + message.subject
        found += [f"{kind}: {f}" for f in leaks(text, norwegian=True, html=False)]
    assert sent and kinds_sent != {None}, "the site sent no e-mail"
    assert not found, "\n".join(found)


def test_no_message_asked_of_the_norwegian_catalogue_was_left_untranslated(world: World) -> None:
    """Everything worded above (the site's data, its pages, refusals and e-mails) asked the
    catalogue only for messages it has Norwegian for (the strict translator's record)."""
    assert not world.strict.missing, sorted(world.strict.missing)
