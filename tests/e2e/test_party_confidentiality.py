"""The access walk (issue 14's acceptance "Access"): every GET route of the app, API and pages, as
each role and signed out, over a world holding the whole case file, and the command line's outputs
for outside readers.

The world: a case whose submitter's identity is withheld and one of whose enterprises is withheld
too, each with a contact; a case whose submitter is at risk of reprisal, with a contact; a public
case whose free text names them all. The first case also holds an `ncp` document whose title, file
name and content each hold a secret word, an exempt document, a public one, a complaint from the
withheld submitter (its file's name and content name it), an internal note with a secret word, a
letter drafted and sent by e-mail to its public enterprise, and correspondence naming the withheld
submitter; the case at risk holds a complaint naming its submitter. The names, e-mail and postal
addresses are also written into issues and pause reasons.

Every route is walked (tests/e2e/test_confidentiality.py's walker: it finds the routes itself, and
fails naming one it has no sample for), in English, and in Norwegian where the output is worded:

- an auditor sees pseudonyms, and no protected name, no `ncp` title, file name or content and no
  note text anywhere;
- a member who leads none of these cases sees the documents of every case, `ncp` ones too, and the
  withheld parties, but not the party at risk; the case's lead member sees it too;
- a handler and an admin see everything;
- signed out, the public pages show no exempt or `ncp` title and no protected name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from states.pseudonyms import pseudonym
from tests.conftest import ROOT, InProcessCli
from tests.e2e import test_confidentiality as walk
from workflow import pausing, reports, users
from workflow.bootstrap import Services, bootstrap, initialise
from workflow.cases import PartyInput
from workflow.clock import FixedClock
from workflow.config import load_settings
from workflow.rotation import sync_members

# The protected parties: name, their contact's name, e-mail and postal address.
WITHHELD = ("Skjult Forening", "Ingrid Hemmelig", "ingrid@hemmelig.example", "Hemmeligveien 7, 0150 Oslo")
WITHHELD_AS = ("Skjult Gruve AS", "Kari Dekket", "kari@dekket.example", "Dekkveien 3, 5003 Bergen")
AT_RISK = ("Truet Forening", "Per Utsatt", "per@utsatt.example", "Postboks 99 Utsattby")
PROTECTED = (*WITHHELD, *WITHHELD_AS, *AT_RISK)
# Secret words of the NCP-internal material: an `ncp` document's title, file name and content, a note.
NCP_TITLE, NCP_FILE, NCP_CONTENT, NOTE = "Quokkaplanen", "wombatnotat", "Numbatfunnet", "Tuatarasamtalen"
INTERNAL = (NCP_TITLE, NCP_FILE, NCP_CONTENT, NOTE)
EXEMPT = "Kakapounntaket"  # an exempt document's title: never public
PUBLIC = "Takahedokumentet"  # a public document's title: the public journal lists it
START = datetime(2025, 9, 15, 9, 0, tzinfo=UTC)
SEARCHES = (
    "/cases?q=Hemmel",
    "/cases?q=Utsat",
    "/api/cases/search?q=truet",
    "/api/cases/search?q=skjult+gruv",
    "/api/cases/search?q=quokka",
)
# Query variants of this world's routes: the public variant of the NCP's journal.
QUERIES = ["/journal?public=1", "/journal.json?public=1", "/journal.csv?public=1", "/cases/{ref}?kind=letter"]
# The users, by role: the member leading the case at risk, and one leading none of the cases.
USERS = {"handler": "hanna", "auditor": "revisor", "admin": "root", "lead": "leder", "member": "medlem"}


def _seen(text: str, secrets: tuple[str, ...]) -> list[str]:
    flat = walk._flat(text)
    return [secret for secret in secrets if walk._flat(secret) in flat]


def _mention(names: tuple[str, ...]) -> str:
    return "Spoke with " + "; ".join(names)


def _fill(services: Services) -> tuple[str, str, str]:
    """The case with the withheld parties, the case with the submitter at risk, and a public
    case whose text mentions them all."""
    parties, cases, uow, clock = services.parties, services.cases, services.uow, services.clock
    made = []
    for title, submitter, enterprises in [
        ("Tailings", WITHHELD[0], ["Nordic Metals ASA", WITHHELD_AS[0]]),
        ("Land rights", AT_RISK[0], ["Nordic Metals ASA"]),
        ("Public case", "Open NGO", ["Open AS"]),
    ]:
        made.append(
            services.cases.open(
                title=title,
                submitters=[PartyInput(submitter)],
                enterprises=[PartyInput(name) for name in enterprises],
                actor="sek",
                received=date(2025, 9, 1),
            ).reference
        )
    hidden, risky, public = made
    for party, (_name, contact, email, address) in [("submitter-1", WITHHELD), ("enterprise-2", WITHHELD_AS)]:
        parties.change_party(reference=hidden, party=party, actor="sek", withheld=True)
        parties.add_contact(
            reference=hidden, party=party, actor="sek", name=contact, email=email, address=address,
            channel="post", reason=_mention((contact, email, address)),
        )  # fmt: skip
    parties.add_contact(
        reference=hidden, party="enterprise-1", actor="sek", name="Ola Kontakt", email="ola@nordic.example"
    )
    parties.change_party(
        reference=risky, party="submitter-1", actor="sek", reprisal_risk=True, measures="Letters by hand only"
    )
    parties.add_contact(
        reference=risky, party="submitter-1", actor="sek", name=AT_RISK[1], email=AT_RISK[2],
        address=AT_RISK[3], reason=_mention(AT_RISK),
    )  # fmt: skip
    for ref, names in [(hidden, (*WITHHELD, *WITHHELD_AS)), (risky, AT_RISK), (public, PROTECTED)]:
        cases.add_issue(reference=ref, actor="sek", title=_mention(names), chapters=["iv"])
    _case_file(services, hidden, risky)
    for ref, names in [(hidden, (*WITHHELD, *WITHHELD_AS)), (risky, AT_RISK), (public, PROTECTED)]:
        pausing.pause_case(uow=uow, clock=clock, reference=ref, actor="sek", reason=_mention(names))
    # Related cases (issue 16): the public case linked to both protected ones, and to a parallel
    # complaint whose reference at the other NCP names the withheld submitter.
    services.case_links.link(reference=public, kind="same_facts", case=hidden, actor="sek")
    services.case_links.link(reference=risky, kind="follow_on", case=public, actor="sek")
    services.case_links.link(
        reference=public, kind="parallel", ncp="SE", external_reference=f"SE-7 {WITHHELD[0]}", actor="sek"
    )
    return hidden, risky, public


def _case_file(services: Services, hidden: str, risky: str) -> None:
    """Documents, a note, a letter sent by e-mail, and correspondence (issue 14)."""

    def document(ref: str, content: str, filename: str, title: str, access: str, **more: Any) -> None:
        services.documents.add(
            reference=ref, source=[content.encode()], filename=filename, title=title, direction="in",
            access=access, actor="sek", **more,
        )  # fmt: skip

    document(hidden, f"Minutes: {NCP_CONTENT}\n", f"{NCP_FILE}.txt", f"Assessment {NCP_TITLE}", "ncp")
    document(hidden, "Annex\n", "annex.txt", f"Annex {EXEMPT}", "public", exemption="offentleglova § 13")
    document(hidden, "Press release\n", "press.txt", f"Press release {PUBLIC}", "public")
    complaint = f"Complaint of {WITHHELD[0]}, by {WITHHELD[1]}\n"
    document(hidden, complaint, f"complaint {WITHHELD[0]}.txt", "Complaint", "parties", party="submitter-1")
    document(
        risky, f"Complaint of {AT_RISK[0]}\n", "complaint.txt", "Complaint", "parties", party="submitter-1"
    )
    services.notes.add(reference=hidden, text=f"Called the enterprise: {NOTE}", actor="sek")
    letter = services.letters.draft(reference=hidden, kind="invitation", party="enterprise-1", actor="sek")
    services.letters.send(reference=hidden, letter=letter.number, channel="email", actor="sek")
    services.correspondence.log(
        reference=hidden,
        direction="in",
        party="enterprise-1",
        channel="email",
        subject=f"Nordic Metals asks about {WITHHELD[0].upper()} and {WITHHELD[1].lower()}",
        actor="sek",
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[walk.World, str]]:
    """One world for the module (SQLite): the walks only read."""
    url = f"sqlite:///{tmp_path_factory.mktemp('parties')}/walk.db"
    settings = load_settings(ROOT / "config.toml", database_url=url)
    services = bootstrap(settings, clock=FixedClock(START), require_initialised=False)
    initialise(services)
    sync_members(uow=services.uow, clock=services.clock, settings=settings)
    hidden, risky, public = _fill(services)
    leads = {services.cases.get(reference=ref).lead_member for ref in (hidden, risky, public)}
    lead = services.cases.get(reference=risky).lead_member
    assert lead is not None, "the rotation gives the case a lead"
    other = next(m for m in ("chair", "member-b", "member-c", "member-d") if m not in leads)
    for name, role, member in [
        (USERS["handler"], "handler", None),
        (USERS["auditor"], "auditor", None),
        (USERS["admin"], "admin", None),
        (USERS["lead"], "member", lead),
        (USERS["member"], "member", other),
    ]:
        users.add_user(
            uow=services.uow, clock=services.clock, name=name, role=role, member_id=member, actor="test",
            password=walk.PASSWORD,
        )  # fmt: skip
    with TestClient(create_app(services, secret="test-secret")) as client:
        yield walk.World(client, services, [hidden, risky], public, queries=QUERIES), risky
    services.close()


@pytest.fixture(scope="module")
def seen(world: tuple[walk.World, str]) -> dict[str | None, dict[str, list[str]]]:
    """Every route's text as each user (None: signed out) reads it: one walk each for the module."""
    made, _risky = world
    return {user: _texts(made, user) for user in [*USERS.values(), None]}


def _texts(world: walk.World, user: str | None) -> dict[str, list[str]]:
    found = walk._walk(world, user)
    for path in SEARCHES if user is not None else ():
        for lang in ("en", "nb"):
            answer = world.client.get(f"{path}&lang={lang}")
            assert answer.status_code == 200, (path, answer.text)
            found.setdefault(path, []).append(walk._readable(answer.text, answer.headers["content-type"]))
    return found


def _leaks(seen: dict[str, list[str]], secrets: tuple[str, ...]) -> dict[str, set[str]]:
    """Which of `secrets` each route's texts hold, by route (those holding one)."""
    found: dict[str, set[str]] = {}
    for template, texts in seen.items():
        for text in texts:
            found.setdefault(template, set()).update(_seen(text, secrets))
    return {template: secrets for template, secrets in found.items() if secrets}


def _found(seen: dict[str, list[str]], secrets: tuple[str, ...]) -> set[str]:
    return {secret for found in _leaks(seen, secrets).values() for secret in found}


def test_the_walk_reaches_every_route_of_the_case_file(seen: dict[str | None, dict[str, list[str]]]) -> None:
    """The handler's walk read the documents' and letters' downloads, the timeline, the journal
    and the correspondence: each route with a sample answered."""
    handler = seen[USERS["handler"]]
    assert {
        "/api/cases/{ref}/documents/{number}/content",
        "/cases/{ref}/documents/{number}/content",
        "/api/cases/{ref}/letters/{number}/pdf",
        "/cases/{ref}/letters/{number}/docx",
        "/api/cases/{ref}/timeline",
        "/api/cases/{ref}/notes",
        "/cases/{ref}/correspondence",
        "/journal.json",
        "/public/journal.csv",
    } <= set(handler)


def test_a_route_the_walk_cannot_fill_fails_the_walk_naming_it(world: tuple[walk.World, str]) -> None:
    """A GET route added later whose path parameter has no sample, or that no sample of the world
    fills (a case without letters), fails the walk, naming the route: none escapes it."""
    made, _risky = world
    app = FastAPI()
    app.get("/cases/{ref}/gizmos/{gizmo}")(lambda ref, gizmo: {})
    app.get("/cases/{ref}/letters/{number}/odt")(lambda ref, number: {})
    with TestClient(app) as client:
        bare = replace(made, client=client, queries=[])
        with pytest.raises(AssertionError, match=r"/cases/\{ref\}/gizmos/\{gizmo\}: give \['gizmo'\]"):
            walk._get_paths(bare, "token")
        public = replace(bare, samples={"gizmo": ["1"], "ref": [made.other]})  # a case without letters
        with pytest.raises(
            AssertionError, match=r"no sample of the walk's world fills: .*letters/\{number\}/odt"
        ):
            walk._get_paths(public, "token")


def test_an_auditor_sees_pseudonyms_and_nothing_internal(
    world: tuple[walk.World, str], seen: dict[str | None, dict[str, list[str]]]
) -> None:
    """Every GET route, both languages, searches, the feed, the export and the reports: no
    protected party nor its contacts' names, e-mails or addresses, no `ncp` document's title,
    file name or content, no note's text."""
    made, risky = world
    auditor = seen[USERS["auditor"]]
    assert {"/cases/{ref}/parties", "/api/cases/{ref}/parties", "/audit/export.jsonl"} <= set(auditor)
    assert not _leaks(auditor, PROTECTED)
    assert not _leaks(auditor, INTERNAL)
    assert pseudonym(risky, AT_RISK[0]) in " ".join(auditor["/api/cases/{ref}/parties"])
    assert pseudonym(made.confidential[0], WITHHELD[0]) in " ".join(auditor["/cases/{ref}/correspondence"])
    assert pseudonym(made.confidential[0], WITHHELD_AS[1], kind="contact") in " ".join(
        auditor["/api/cases/{ref}/audit"]
    )
    assert _found(auditor, (EXEMPT, PUBLIC)) == {EXEMPT, PUBLIC}  # titles an auditor may read
    for text in _reports(made):
        assert not _seen(text, PROTECTED), text


def _reports(world: walk.World) -> list[str]:
    uow, clock, settings = world.services.uow, world.services.clock, world.services.settings
    annual = reports.annual(uow=uow, clock=clock, settings=settings, year=2025)
    assert annual["reprisal_risk_cases"] == 1  # a count, never a name
    rows = reports.oecd(uow=uow, settings=settings)
    timelines = reports.timelines(uow=uow, clock=clock, settings=settings)
    return [json.dumps(report, ensure_ascii=False) for report in (annual, rows, timelines)]


def test_a_member_who_does_not_lead_the_case_sees_the_withheld_party_but_not_the_one_at_risk(
    world: tuple[walk.World, str], seen: dict[str | None, dict[str, list[str]]]
) -> None:
    """The withheld parties and their contacts are there for every member, and so are the
    documents and notes of the cases it does not lead, `ncp` ones too; the party at risk and its
    contact are nowhere, not even through a search by their names' beginnings."""
    made, _risky = world
    member = seen[USERS["member"]]
    assert not _leaks(member, AT_RISK)
    assert _found(member, (*WITHHELD, *WITHHELD_AS)) == set(WITHHELD + WITHHELD_AS)
    assert _found(member, INTERNAL) == set(INTERNAL)
    made.client.cookies.clear()
    walk._sign_in(made.client, USERS["member"])
    hits = made.client.get("/api/cases/search?q=truet").json()
    assert hits["total"] == 0, hits  # no hit says which cases mention the name


@pytest.mark.parametrize("role", ["lead", "handler", "admin"])
def test_the_lead_member_a_handler_and_an_admin_see_everything(
    seen: dict[str | None, dict[str, list[str]]], role: str
) -> None:
    """The walk can fail: the case's lead sees the party at risk and its contact; a handler and
    an admin see every protected party, every internal word and the exempt title."""
    found = _found(seen[USERS[role]], (*PROTECTED, *INTERNAL, EXEMPT))
    assert set(AT_RISK) | set(INTERNAL) <= found, (role, found)
    if role != "lead":
        assert found == {*PROTECTED, *INTERNAL, EXEMPT}, found


def test_the_public_pages_show_no_exempt_or_internal_title_and_no_protected_name(
    seen: dict[str | None, dict[str, list[str]]],
) -> None:
    """Signed out, every route that answers (the public journal, its CSV and JSON, the sign-in
    page): the public document's title, but no exempt or `ncp` title and no protected name."""
    public = seen[None]
    assert {"/public/journal", "/public/journal.csv", "/public/journal.json", "/signin"} <= set(public)
    assert not _leaks(public, (*PROTECTED, *INTERNAL, EXEMPT))
    assert PUBLIC in " ".join(public["/public/journal"])


def test_the_command_lines_outputs_for_outside_readers_hide_the_same(
    world: tuple[walk.World, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """`journal export --public` (JSON and CSV) holds no exempt or `ncp` title and no protected
    name; the audit export without `--reveal` (JSONL, CSV, and the documents it writes beside
    it) no protected name and nothing internal. The NCP's own journal holds what they leave out."""
    made, _risky = world
    ncp = InProcessCli(capsys, monkeypatch, str(made.services.settings.database.url), ROOT / "config.toml")
    outputs: dict[str, str] = {}
    for fmt in ("json", "csv"):
        outputs[f"journal --public {fmt}"] = ncp("journal", "export", "--public", "--format", fmt).stdout
    outputs["audit jsonl"] = ncp("audit", "export", "--documents", str(tmp_path / "documents")).stdout
    outputs["audit csv"] = ncp("audit", "export", "--format", "csv").stdout
    for path in sorted((tmp_path / "documents").rglob("*.*")):
        outputs[f"audit document {path.name}"] = path.read_text(encoding="utf-8", errors="replace")
    leaks = {name: found for name, text in outputs.items() if (found := _seen(text, (*PROTECTED, *INTERNAL)))}
    assert not leaks, leaks
    for fmt in ("json", "csv"):
        public = outputs[f"journal --public {fmt}"]
        assert EXEMPT not in public and PUBLIC in public, public
    own = ncp("journal", "export", "--format", "json")
    assert own.returncode == 0 and {EXEMPT, NCP_TITLE} <= set(_seen(own.stdout, (EXEMPT, NCP_TITLE)))
