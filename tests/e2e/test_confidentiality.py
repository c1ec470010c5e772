"""A confidential submitter's name and org number, put into every free-text field, never reach an
auditor: every GET route of the app (API and pages, English and Norwegian), the ICS feed, the
audit export and the reports (JSON, CSV, HTML) are walked. A handler does see them, in the same
places. An internal note's text never reaches an auditor at all. The free text includes issue
12's: issue titles, fact notes, a migration's reason, and imported cases (titles, parties,
milestone reasons and scopes, issues, sources, the import's source and external ids, in the
`imported` marks of their audit entries), and issue 14's case file: a document's title, file name
and content, a letter's DOCX and PDF, the correspondence log, the follow-up of commitments.

The walk (`_walk`, which tests/e2e/test_party_confidentiality.py's access walk reuses) finds every
GET route of the app itself and fills its path parameters from samples (tests/e2e/page_walk.py's
`fill`): a route with a parameter it has no sample for, or one no sample fills, fails it, naming
the route. Downloads are read as their programs show them (a PDF's or a Word file's text, the
file's name) and visited in one language; worded outputs in both.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import fastapi.routing
import pytest
from fastapi.testclient import TestClient

from ncpflow import report_html
from ncpflow.commands.reports import _csv
from ncpflow.web.app import create_app
from states.pseudonyms import pseudonym
from states.signatures import Signer, TrustedKeys
from tests.conftest import ROOT, _fresh_postgres
from tests.e2e.page_walk import Sample, fill
from tests.helpers import sign_in
from workflow import (
    cases,
    export_files,
    facts,
    imports,
    issues,
    member_settings,
    notes,
    pausing,
    procedures,
    queries,
    reports,
    rotation,
    users,
    versions,
)
from workflow.bootstrap import Services, bootstrap
from workflow.clock import FixedClock
from workflow.config import parse_settings
from workflow.rotation import sync_members

NAME = "Kari Nordmann Fjordvern"
ORG = "987 654 321"
PASSWORD = "correct horse battery"
V2 = ROOT / "tests" / "workflow" / "fixtures" / "oecd-2023-v2.toml"  # good_offices renamed mediation
# The forms the name takes in the free text: as typed, shouted, whispered, spaced oddly.
VARIANTS = [NAME, NAME.upper(), NAME.lower(), "kARI  nordMANN\nfjordvern", "Kari\tNordmann Fjordvern"]
NUMBERS = ["987654321", "987 654 321", "987.654.321"]
# The nine places the issue found the name (path templates, with the language where it matters).
NINE = {
    "/api/cases/{ref}",
    "/api/cases/{ref}/audit",
    "/api/audit",
    "/api/cases",
    "/cases/{ref}?lang=en",
    "/cases/{ref}?lang=nb",
    "/audit",
    "/audit?case={ref}",
    "/api/deadlines.ics",
}
FEED = "/calendar/feed/{token}.ics"  # the reader's own subscription feed, by its URL alone
NOTE = "Unmistakable internal remark"  # an internal note's text: no auditor reads it anywhere


def _mention(n: int) -> str:
    """Free text naming the submitter in the nth variant, and its org number."""
    return f"Asked by {VARIANTS[n % len(VARIANTS)]} (org. no. {NUMBERS[n % len(NUMBERS)]})"


def _flat(text: str) -> str:
    """Text as a reader would search it: one case, single spaces."""
    return " ".join(text.casefold().split())


NAME_FLAT = _flat(NAME)
ORG_PATTERN = re.compile(r"9\W*8\W*7\W*6\W*5\W*4\W*3\W*2\W*1")


def _readable(body: str, content_type: str) -> str:
    """What a reader sees in a response: JSON strings decoded, HTML unescaped, ICS unfolded."""
    if "json" in content_type:
        try:
            strings: list[str] = []
            _strings(json.loads(body), strings)
            return " | ".join(strings)
        except ValueError:
            pass
    if "ndjson" in content_type:
        strings = []
        for line in body.splitlines():
            _strings(json.loads(line), strings)
        return " | ".join(strings)
    if "calendar" in content_type:
        unfolded = body.replace("\r\n ", "").replace("\r\n\t", "")
        return (
            unfolded.replace("\\n", "\n")
            .replace("\\N", "\n")
            .replace("\\,", ",")
            .replace("\\;", ";")
            .replace("\\\\", "\\")
        )
    return html.unescape(body)


# Downloads: what a reader finds in the file, read as its program would show it.
PDF, DOCX = "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _answer_text(answer: Any) -> str:
    """What a reader sees in an answer: its file name (Content-Disposition) and its body,
    readable (`_readable`); a PDF's or a Word file's text extracted, as well as its raw bytes."""
    content_type = answer.headers.get("content-type", "")
    named = unquote(answer.headers.get("content-disposition", ""))  # filename*=UTF-8''...
    if content_type.startswith((PDF, DOCX)):
        return " | ".join(
            [named, _document_text(answer.content, content_type), answer.content.decode("latin-1")]
        )
    return (
        f"{named} | {_readable(answer.text, content_type)}" if named else _readable(answer.text, content_type)
    )


def _document_text(content: bytes, content_type: str) -> str:
    """The text of a PDF (pypdf) or of a Word file (python-docx); empty when it does not open."""
    try:
        if content_type.startswith(PDF):
            import pypdf

            return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
        import docx

        document = docx.Document(io.BytesIO(content))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([*(p.text for p in document.paragraphs), *cells])
    except Exception:  # a file that does not open has only its bytes to read
        return ""


def _strings(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            out.append(str(key))
            _strings(item, out)
    elif isinstance(value, list):
        for item in value:
            _strings(item, out)
    elif value is not None:
        out.append(str(value))


def _leaks(text: str) -> list[str]:
    found = []
    if NAME_FLAT in _flat(text):
        found.append("name")
    if ORG_PATTERN.search(text):
        found.append("org number")
    for word in ("Nordmann", "Fjordvern"):  # any case variant of a part of the name
        if word.casefold() in text.casefold():
            found.append(word)
    return found


@dataclass
class World:
    client: TestClient
    services: Services
    confidential: list[str]  # references of the cases with the confidential submitter
    other: str  # a case with a public submitter whose text mentions the confidential one
    samples: Mapping[str, Sample] = field(default_factory=dict)  # more samples, or other ones
    queries: list[str] = field(default_factory=list)  # more paths to visit (a query's variants)


def _settings(url: str) -> Any:
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["database"] = {"url": url}
    for member in data["members"]:
        if member["id"] == "chair":  # first in turn: the lead decision names why not
            member["conflicts"] = [VARIANTS[1]]  # declared by name, in capitals
        if member["id"] == "member-c":
            member["soft_conflicts"] = [{"org_number": NUMBERS[2]}]  # by number only
    return parse_settings(data, source="(confidentiality test)")


def _fill(services: Services) -> tuple[list[str], str]:
    """Cases whose every free-text field names the confidential submitter."""
    uow, clock, policy = services.uow, services.clock, services.policy
    notices = rotation.Notices(services.settings, services.render)
    n = iter(range(1000))

    def opened(confidential: bool, received: date) -> str:
        submitter = (
            cases.PartyInput(NAME, "ngo", confidential, ORG)
            if confidential
            else cases.PartyInput("Friends of the Fjord", "ngo")
        )
        return cases.open_case(
            uow=uow,
            clock=clock,
            policy=policy,
            reference_prefix="NCP",
            title=f"Tailings: {_mention(next(n))}",
            submitters=[submitter],
            enterprises=[cases.PartyInput("Nordic Metals ASA", org_number="923456789")],
            actor="hanna",
            received=received,
            themes=["environment"],
            host_countries=["NO"],
            sector=_mention(next(n))[:300],
            notices=notices,
        ).reference

    paused = opened(True, date(2025, 5, 20))
    cases.edit_case(
        uow=uow,
        clock=clock,
        reference=paused,
        actor="hanna",
        reason=_mention(next(n)),
        sector=f"Mining; {_mention(next(n))}",
        supporting_ncps=["SE"],
    )
    cases.advance(
        uow=uow,
        clock=clock,
        policy=policy,
        reference=paused,
        trigger="begin_assessment",
        actor="hanna",
        reason=_mention(next(n)),
        at=date(2025, 5, 21),
    )
    pausing.pause_case(
        uow=uow,
        clock=clock,
        reference=paused,
        actor="hanna",
        reason=_mention(next(n)),
        requested_by=VARIANTS[2],
        at=date(2025, 5, 22),
    )
    pausing.resume_case(
        uow=uow,
        clock=clock,
        reference=paused,
        actor=f"hanna for {VARIANTS[4]}",
        reason=_mention(next(n)),
        at=date(2025, 5, 26),
    )
    pausing.extend_deadline(
        uow=uow,
        clock=clock,
        reference=paused,
        deadline="initial_assessment",
        actor="hanna",
        reason=_mention(next(n)),
        days=10,
    )
    notes.add_note(uow=uow, clock=clock, reference=paused, text=f"{NOTE} {_mention(99)}", actor="hanna")
    lead = queries.get_case(uow=uow, reference=paused).lead_member
    assert lead is not None
    rotation.recuse(
        uow=uow,
        clock=clock,
        policy=policy,
        reference=paused,
        member=lead,
        actor="hanna",
        reason=_mention(next(n)),
        notices=notices,
    )
    rotation.reassign(
        uow=uow,
        clock=clock,
        reference=paused,
        to="chair",
        actor="hanna",
        reason=_mention(next(n)),
        override=True,
        notices=notices,
    )
    pausing.pause_case(
        uow=uow,
        clock=clock,
        reference=paused,
        actor="hanna",
        reason=_mention(next(n)),
        requested_by=f"{VARIANTS[3]} ({ORG})",
    )
    # A tick of its stage's checklist by an actor who names the submitter (the checklist's "by").
    services.checklists.tick(reference=paused, item="ia_law", actor=f"hanna for {VARIANTS[3]} ({ORG})")

    accepted = opened(True, date(2025, 5, 21))
    cases.advance(
        uow=uow,
        clock=clock,
        policy=policy,
        reference=accepted,
        trigger="begin_assessment",
        actor="hanna",
        reason=_mention(next(n)),
        at=date(2025, 5, 22),
    )
    cases.advance(
        uow=uow,
        clock=clock,
        policy=policy,
        reference=accepted,
        trigger="accept",
        actor="hanna",
        reason=_mention(next(n)),
        scope=_mention(next(n)),
    )
    issue = issues.add_issue(
        uow=uow, clock=clock, reference=accepted, actor="hanna", title=_mention(next(n)), chapters=["vi"]
    )
    issues.decide_issue(
        uow=uow, clock=clock, reference=accepted, number=issue.number, decision="accepted", actor="hanna"
    )
    on_accepted: dict[str, Any] = {"uow": uow, "clock": clock, "reference": accepted, "actor": "hanna"}
    for fact in ("mediation_agreed", "interim_agreement", "assessment_published"):
        facts.record_fact(
            **on_accepted, policy=policy, fact=fact, on=date(2025, 5, 30), note=_mention(next(n))
        )
    with uow.write() as tx:  # a second version of the procedure, for the migration
        versions.ensure_stored(tx, procedures.from_file(V2), at=clock.now())
    versions.migrate_case(
        uow=uow,
        clock=clock,
        policy=policy,
        settings=services.settings,
        reference=accepted,
        to="2-test",
        mapping={"good_offices": "mediation"},
        actor="hanna",
        reason=_mention(next(n)),
    )

    other = opened(False, date(2025, 5, 23))
    cases.advance(
        uow=uow,
        clock=clock,
        policy=policy,
        reference=other,
        trigger="begin_assessment",
        actor="hanna",
        reason=f"Related to the complaint of {_mention(next(n))}",
    )
    # A conflict set in the browser, naming the submitter and its number (the member page).
    member_settings.add_conflict(
        uow=uow,
        clock=clock,
        member="member-d",
        party_name=VARIANTS[4],
        org_number=NUMBERS[0],
        soft=False,
        reason=_mention(next(n)),
        actor="hanna",
    )
    _case_file(services, paused, accepted, n)
    return [paused, accepted, *_imported(services, n)], other


def _case_file(services: Services, paused: str, accepted: str, n: Iterator[int]) -> None:
    """Issue 14's case file, the name in each: a document from the confidential submitter (its
    title, its file's name and its content), one from the enterprise named after it, a letter to
    the enterprise (its DOCX and PDF: the case's title names the submitter), and the
    correspondence log."""
    documents = services.documents
    documents.add(
        reference=paused,
        source=[f"Complaint of {NAME}, org. no. {ORG}\n".encode()],
        filename=f"complaint {VARIANTS[2]}.txt",
        title=_mention(next(n)),
        direction="in",
        party="submitter-1",
        access="parties",
        actor="hanna",
    )
    documents.add(
        reference=accepted,
        source=[b"The enterprise's response\n"],
        filename=f"response to {VARIANTS[3]}.txt".replace("\n", " "),
        title=_mention(next(n)),
        direction="in",
        party="enterprise-1",
        access="parties",
        actor="hanna",
    )
    services.letters.draft(reference=accepted, kind="invitation", party="enterprise-1", actor="hanna")
    services.letters.send(reference=accepted, letter=1, channel="post", actor="hanna")
    services.correspondence.log(
        reference=paused,
        direction="out",
        party="enterprise-1",
        channel="phone",
        subject=_mention(next(n)),
        actor="hanna",
        documents=[1],
    )
    # Issue 15's follow-up: the name in a commitment's text and in a status note.
    services.follow_up.add(
        reference=paused, source="agreement", owner="enterprise", text=_mention(next(n)), actor="hanna"
    )
    services.follow_up.set_status(
        reference=paused, commitment=1, status="partly", note=_mention(next(n)), actor="hanna"
    )


def _imported(services: Services, n: Iterator[int]) -> list[str]:
    """Two past cases of the confidential submitter imported, one known to the month only, the
    name in every free-text field of the file and in the import's source."""

    def line(number: int, received: str, dates: list[str]) -> str:
        triggers = ["begin_assessment", "accept", "conclude", "publish"]
        return json.dumps(
            {
                "external_id": f"{VARIANTS[number]} {number}",
                "title": f"Past: {_mention(next(n))}",
                "parties": [
                    {
                        "role": "submitter",
                        "name": NAME,
                        "type": "ngo",
                        "confidential": True,
                        "org_number": ORG,
                    },
                    {"role": "enterprise", "name": "Nordic Metals ASA"},
                ],
                "received": received,
                "milestones": [
                    {
                        "trigger": trigger,
                        "date": day,
                        "reason": _mention(next(n)),
                        **({"outcome": "agreement"} if trigger == "conclude" else {}),
                        **({"scope": _mention(next(n))} if trigger == "accept" else {}),
                    }
                    for trigger, day in zip(triggers, dates, strict=True)
                ],
                "issues": [
                    {
                        "title": _mention(next(n)),
                        "chapters": ["environment"],
                        "accepted": True,
                        "result": "agreement",
                    },
                    {"title": _mention(next(n)), "chapters": ["human_rights"], "accepted": False},
                ],
                "sector": f"Mining; {_mention(next(n))}"[:300],
                "sources": [_mention(next(n)), f"https://example.org/{VARIANTS[number]}"],
            },
            ensure_ascii=False,
        )

    text = "\n".join(
        [
            line(1, "2007-02", ["2007-03", "2007-09", "2009-01", "2009-04"]),
            line(2, "2019-03-14", ["2019-03-20", "2019-09-02", "2021-01-15", "2021-03-01"]),
        ]
    )
    done = imports.import_cases(
        uow=services.uow,
        clock=services.clock,
        settings=services.settings,
        text=text,
        actor="root",
        source=f"Archive of {VARIANTS[3]} ({NUMBERS[1]})",
    )
    refs = [made.reference for made in done.lines]
    assert done.created == 2 and all(refs), done
    return [ref for ref in refs if ref is not None]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[World]:
    """One world for the module on each backend (the walks only read), on tests/conftest.py's day."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("confidential") / "ncpflow.db"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
    else:
        url = _fresh_postgres(request.getfixturevalue("postgres_admin_url"))
    clock = FixedClock(datetime(2025, 6, 2, 9, 0, tzinfo=UTC))
    settings = _settings(url)
    services = bootstrap(settings, clock=clock)
    sync_members(uow=services.uow, clock=clock, settings=settings)
    for name, role in [("hanna", "handler"), ("revisor", "auditor"), ("root", "admin")]:
        users.add_user(uow=services.uow, clock=clock, name=name, role=role, actor="test", password=PASSWORD)
    confidential, other = _fill(services)
    _mediation(services, other)
    with TestClient(create_app(services, secret="test-secret")) as client:
        yield World(client, services, confidential, other)
    services.close()


def _mediation(services: Services, other: str) -> None:
    """A mediator whose declared conflict names the confidential submitter, assigned to the
    public case `other` (it has no such party) with a session, and its user `mekler`."""
    services.mediators.add(
        actor="hanna",
        mediator_id="kari-mekler",
        name="Mekler Mediator",
        email="mekler@example.org",
        conflicts=((NAME, ORG),),
    )
    services.mediators.assign(reference=other, mediator="kari-mekler", actor="hanna")
    services.mediators.add_session(
        reference=other,
        actor="hanna",
        starts=datetime(2025, 6, 10, 10, 0),
        format="video",
        attendees=("submitter-1", "enterprise-1"),
        notes=NOTE,
    )
    users.add_user(
        uow=services.uow,
        clock=services.clock,
        name="mekler",
        role="mediator",
        mediator_id="kari-mekler",
        actor="test",
        password=PASSWORD,
    )


def _sign_in(client: TestClient, name: str) -> None:
    client.cookies.clear()
    answer = sign_in(client, name, PASSWORD)
    assert answer.status_code == 303, answer.text


# Paths that select other content than a route's bare path: query variants, filled like routes.
QUERIES = [
    "/audit?case={ref}",
    "/audit/export.jsonl?case={ref}",
    "/api/deadlines.ics?member=member-b",
    "/api/audit?limit=1000",
    "/api/cases?overdue=true",
    "/audit?kind=case_opened",
    "/audit?kind=fact_recorded",
    "/audit?kind=migrated",
    "/api/reports/annual?year=2025",
    "/api/reports/annual?year=2007&include_approximate=true",
    "/api/reports/oecd?year=2007",
    "/api/reports/timelines?include_approximate=true",
    "/reports/annual?year=2025",
    "/reports/annual.csv?year=2025",
    "/reports/annual.html?year=2007",
    "/reports/timelines.csv?year=2025",
    "/calendar?month=2025-09",
    "/calendar?week=2025-W36",
    # searching by the name (its words' beginnings: the page shows the words typed again),
    # and the lists of every case (issue 13)
    "/cases?q=Kari+Nordm",
    "/cases?q=fjordv&closed=0",
    "/api/cases/search?q=kari+nordm+fjordv",
    "/api/cases/search?per_page=500",
    "/?mine=1",
    # a case's story a kind at a time, its first version of each document (issue 14)
    "/cases/{ref}?kind=note",
    "/cases/{ref}?kind=document",
    "/api/cases/{ref}/timeline?kind=note",
    "/api/cases/{ref}/documents/{number}/content?version=1",
    "/cases/{ref}/documents/{number}/content?version=1",
]
# Outputs worded in the reader's language: visited in Norwegian as well as in English.
WORDED = ("text/html", "application/json", "application/x-ndjson", "text/calendar", "text/csv")


def _routes(app: Any) -> list[tuple[str, set[str]]]:
    """Every route's path and methods, included routers flattened (FastAPI 0.165 keeps them
    as one entry each in `app.routes`; earlier versions list their routes there)."""
    flatten = getattr(fastapi.routing, "iter_route_contexts", None)
    routes = flatten(app.routes) if flatten is not None else app.routes
    return [(str(r.path), set(r.methods or ())) for r in routes if getattr(r, "path", None)]


def _samples(world: World, token: str) -> dict[str, Sample]:
    """A sample for every path parameter of the app's routes (tests/e2e/page_walk.py's `fill`):
    every case, its documents and its letters by number, a user, the members whose declared
    conflicts name the submitter, the static files, Swagger UI's files and the reader's own
    calendar URL (`token`); the world's own samples win."""
    services = world.services

    def documents(filled: Mapping[str, str]) -> list[str]:
        listed = services.documents.list(reference=filled["ref"]).documents
        return [str(d.number) for d in listed]

    def letters(filled: Mapping[str, str]) -> list[str]:
        return [str(x.number) for x in services.letters.list(reference=filled["ref"]).letters]

    return {
        "ref": [*world.confidential, world.other],
        "documents/number": documents,
        "letters/number": letters,
        "static/name": ["style.css", "print.css"],
        "users/name": ["hanna"],
        "member": ["chair", "member-c", "member-d"],
        "mediator": ["kari-mekler"],
        "asset": ["swagger-ui.css"],
        "token": [token],
        "round": ["1"],  # a party page's draft (/p/{token}/drafts/{round}): refused without a link
        **world.samples,
    }


def _get_paths(world: World, token: str) -> list[tuple[str, str]]:
    """(template, concrete path) for every GET route of the app, each path parameter filled from
    its samples (`_samples`; a parameter without one fails, naming the route), plus the query
    variants that select other content. A route no sample fills (a case without letters)
    fails too: no route escapes the walk."""
    samples = _samples(world, token)
    templates = [path for path, methods in _routes(world.client.app) if "GET" in methods]
    missing, empty, paths = [], [], []
    for template in [*templates, *QUERIES, *world.queries]:
        try:
            concrete = fill(template, samples)
        except KeyError as error:
            missing.append(str(error.args[0]))
            continue
        if not concrete:
            empty.append(template)
        paths += [(template, path) for path in concrete]
    assert not missing, "routes the walk has no sample for: " + "; ".join(missing)
    assert not empty, "routes no sample of the walk's world fills: " + ", ".join(empty)
    return paths


def _walk(world: World, user: str | None) -> dict[str, list[str]]:
    """Every path's readable text as `user` (None: no one signed in) sees it, by template, in
    English, and in Norwegian too where the output is worded (not a download); fails on any 5xx."""
    world.client.cookies.clear()
    token = "no-such-calendar-url"
    if user is not None:
        _sign_in(world.client, user)
        token = world.services.calendar.make_feed(name=user, actor=user, language="nb").token
    seen: dict[str, list[str]] = {}
    for template, path in _get_paths(world, token):
        sep = "&" if "?" in path else "?"
        for lang in ("en", "nb"):
            answer = world.client.get(f"{path}{sep}lang={lang}", follow_redirects=False)
            assert answer.status_code < 500, (path, answer.text)
            if answer.status_code != 200:
                break
            key = f"{template}?lang={lang}" if template == "/cases/{ref}" else template
            seen.setdefault(key, []).append(_answer_text(answer))
            if not answer.headers.get("content-type", "").startswith(WORDED):
                break  # a download or a static file: the same in every language
    return seen


def test_an_auditor_never_sees_a_confidential_submitters_name_or_number(world: World) -> None:
    """Every GET route, both languages, the ICS feed, exports and reports: pseudonyms only."""
    seen = _walk(world, "revisor")
    assert set(seen) >= NINE, f"not reached: {sorted(NINE - set(seen))}"
    assert {
        "/",
        "/members",
        "/members/{member}",
        "/audit/export.jsonl",
        "/audit/export.jsonl?case={ref}",
    } <= set(seen)
    assert {FEED, "/calendar?month=2025-09", "/calendar?week=2025-W36"} <= set(seen)
    leaks = {t: _leaks(text) for t, texts in seen.items() for text in texts if _leaks(text)}
    assert not leaks, f"the confidential submitter leaks at {leaks}"
    noted = [t for t, texts in seen.items() for text in texts if NOTE.casefold() in text.casefold()]
    assert not noted, f"an internal note's text reaches an auditor at {noted}"
    assert {"/api/cases/{ref}/timeline", "/journal", "/public/journal"} <= set(seen)
    case_page = " ".join(seen["/api/cases/{ref}"])
    assert pseudonym(world.confidential[0], NAME) in case_page
    assert {"/api/cases/{ref}/issues", "/api/reports/oecd", "/api/reports/annual?year=2025"} <= set(seen)
    for text in _report_outputs(world):
        assert not _leaks(text), text


def _report_outputs(world: World) -> list[str]:
    """The reports as `report ... --format json|csv|html` writes them."""
    uow, clock, settings = world.services.uow, world.services.clock, world.services.settings
    timelines = reports.timelines(uow=uow, clock=clock, settings=settings, include_approximate=True)
    annual = reports.annual(uow=uow, clock=clock, settings=settings, year=2025)
    rows = reports.oecd(uow=uow, settings=settings)
    assert any(row["issues"] for row in rows) and any(row["interim_agreements"] for row in rows)
    flat = [{"figure": k, "value": json.dumps(v) if isinstance(v, dict) else v} for k, v in annual.items()]
    return [
        *(json.dumps(report, ensure_ascii=False) for report in (timelines, annual, rows)),
        _csv(timelines["stages"]),
        _csv(flat),
        _csv(rows),
        report_html.timelines_html(timelines),
        report_html.annual_html(annual),
        report_html.oecd_html(rows, None),
    ]


def test_a_handler_sees_the_name_in_the_same_nine_places(world: World) -> None:
    """The walk can fail: for a handler the name is in each of the nine places."""
    seen = _walk(world, "hanna")
    for template in NINE:
        assert any("name" in _leaks(text) for text in seen[template]), template
    for template in ("/cases/{ref}?lang=en", "/api/cases/{ref}/notes", "/api/cases/{ref}/timeline"):
        assert any(NOTE in text for text in seen[template]), template  # the walk can see a note
    assert any("org number" in _leaks(text) for text in seen["/api/audit"])
    # issue 14's case file: a document's name and content, the correspondence log; issue 15's
    # follow-up (its page and its API)
    for template in (
        "/api/cases/{ref}/documents/{number}/content",
        "/cases/{ref}/correspondence",
        "/cases/{ref}/follow-up",
        "/api/cases/{ref}/follow-up",
    ):
        assert any("name" in _leaks(text) for text in seen[template]), template
    # issue 12's places: issue titles, facts, a migration, an import's marks and source
    assert any("name" in _leaks(text) for text in seen["/api/cases/{ref}/issues"])
    # the calendar: its pages (titles) and the user's own subscription feed
    for template in (FEED, "/calendar?week=2025-W36"):  # the month grid shows no titles
        assert any("name" in _leaks(text) for text in seen[template]), template
    log = _flat(" ".join(seen["/api/audit?limit=1000"]))
    assert f"archive of {NAME_FLAT}" in log and f"past: asked by {NAME_FLAT}" in log
    assert "migrated" in log and "interim_agreement" in log


def test_the_redacted_export_still_verifies_offline(world: World, tmp_path: Any) -> None:
    """The export marks redacted entries and verifies as a signed chain; names are
    pseudonyms."""
    signer = Signer.generate()
    lines = export_files.export_jsonl(uow=world.services.uow, clock=world.services.clock, signer=signer)
    path = tmp_path / "export.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    verdict = export_files.verify_file(path, TrustedKeys([signer.public]))
    assert verdict.ok and verdict.mode == "chain" and verdict.redacted > 0, verdict
    assert not _leaks(path.read_text(encoding="utf-8"))
    assert pseudonym(world.confidential[0], NAME) in path.read_text(encoding="utf-8")


def test_a_mediator_sees_only_its_own_case_and_nothing_of_the_others(world: World) -> None:
    """Every GET route, both languages, as the user of the mediator of the public case: the
    other cases are unknown to it (404, as a reference that does not exist), and nothing it is
    shown names their references, the confidential submitter or the session's internal note
    beyond what the NCP shares with it (its own case, with pseudonyms)."""
    world.client.cookies.clear()
    _sign_in(world.client, "mekler")
    for ref in world.confidential:
        for path in (
            f"/cases/{ref}",
            f"/api/cases/{ref}",
            f"/cases/{ref}/mediation",
            f"/api/cases/{ref}/timeline",
        ):
            assert world.client.get(path).status_code == 404, path
    seen = _walk(world, "mekler")
    assert {"/", "/cases", "/cases/{ref}?lang=en", "/api/cases/{ref}", "/cases/{ref}/mediation"} <= set(seen)
    assert "/audit" not in seen and "/reports/annual" not in seen and "/mediators" not in seen
    # What anyone may read without signing in (the public journal, the register, a party's own
    # page) is not the mediator's to be kept from: only what signing in as the mediator shows.
    public = set(_walk(world, None))
    _sign_in(world.client, "mekler")
    private = {t: texts for t, texts in seen.items() if t not in public}
    others = {
        ref: [t for t, texts in private.items() if any(ref in text for text in texts)]
        for ref in world.confidential
    }
    assert not any(others.values()), f"another case's reference reaches the mediator at {others}"
    leaks = {t: _leaks(text) for t, texts in seen.items() for text in texts if _leaks(text)}
    assert not leaks, f"the confidential submitter leaks to the mediator at {leaks}"
    assert any(world.other in text for text in seen["/cases"])
