"""Nothing leaks from the register (issue 15's acceptance): a case whose submitter's identity is
withheld, and whose other submitter is at risk of reprisal, has their names (in every spelling the
redaction matches: any case, any spacing) in every free-text field it has: the title, the sector,
the scope, issue titles, the reasons of its steps and pause, a fact's note, internal notes, the
titles of documents of every access level and direction, correspondence, a letter's text, a
comment on a circulated statement, the parties' measures, their contacts' names, e-mail and postal
addresses. It also holds `ncp`-only documents whose titles and contents carry secret words. Its
initial assessment is drafted from its facts (the statements slice), circulated, commented on and
published, so the register lists it with that PDF; so is a public case whose title mentions the
withheld submitter.

The walk, signed out: every GET route of the app, found in its route table and filled from samples
(tests/e2e/test_confidentiality.py's walker, which fails naming a route it has no sample for), the
register's filter variants (every value its choices offer, and bad ones), in English and
Norwegian, then every link of this site found in what was read (the entries, the published
documents, the feed's links), until none is new. No answer holds a protected name, a pseudonym of
one (a pseudonym lets a reader confirm a guessed name), an `ncp` document's title or content; the
`ncp` documents' numbers are refused like unknown ones.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from states.pseudonyms import pseudonym
from tests.conftest import ROOT
from tests.e2e import test_confidentiality as walk
from tests.e2e.page_walk import Sample, party_token
from workflow.bootstrap import Services, bootstrap, initialise
from workflow.cases import PartyInput
from workflow.clock import FixedClock
from workflow.config import load_settings
from workflow.rotation import sync_members

# The protected submitters: withheld, and at risk of reprisal; with their contacts' details.
WITHHELD = ("Ingrid Hemmelig Fjordlag", "Ola Skjult", "ola@skjult.example", "Skjultveien 7, 0150 Oslo")
AT_RISK = ("Truet Kystforening", "Per Utsatt", "per@utsatt.example", "Postboks 99 Utsattby")
PROTECTED = (*WITHHELD, *AT_RISK)
# Secret words of the `ncp`-only documents: titles and contents.
NCP_WORDS = ("Quokkaplanen", "Numbatfunnet", "Wombatnotatet", "Tuatarainnholdet")
START = datetime(2025, 9, 15, 9, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n%"


def _spellings(name: str) -> list[str]:
    """The forms a name takes in the free text: as typed, shouted, whispered, spaced oddly."""
    first, *rest = name.split()
    return [
        name,
        name.upper(),
        name.lower(),
        f"{first.swapcase()}  {' '.join(rest)}",
        "   ".join(name.split()),
    ]


def _mention(n: int) -> str:
    """Free text naming every protected party and detail, each in one of its spellings."""
    return "About " + "; ".join(_spellings(secret)[n % 5] for secret in PROTECTED)


@dataclass
class World:
    client: TestClient
    services: Services
    case: str  # the protected submitters' case, listed
    public: str  # a public case mentioning them, listed
    quiet: str  # a case not listed, mentioning them
    internal: list[int] = field(default_factory=list)  # the case's `ncp` documents' numbers
    statement: int = 0  # its published statement


def _fill(services: Services) -> World:
    cases, documents, parties = services.cases, services.documents, services.parties
    n = iter(range(1000))

    case = cases.open(
        title=f"Tailings: {_mention(next(n))}",
        submitters=[PartyInput(WITHHELD[0], "ngo", True), PartyInput(AT_RISK[0], "ngo")],
        enterprises=[PartyInput("Nordic Metals ASA")],
        actor="sek",
        received=date(2025, 9, 1),
        themes=["environment"],
        host_countries=["BR"],
        sector=f"Mining; {_mention(next(n))}"[:300],
    ).reference
    parties.change_party(
        reference=case, party="submitter-2", actor="sek", reprisal_risk=True, measures=_mention(next(n))
    )
    for key, (_name, contact, email, address) in (("submitter-1", WITHHELD), ("submitter-2", AT_RISK)):
        parties.add_contact(
            reference=case, party=key, actor="sek", name=contact, email=email, address=address,
            channel="post", reason=_mention(next(n)),
        )  # fmt: skip
    parties.add_contact(
        reference=case, party="enterprise-1", actor="sek", name="Kari Kontakt", email="kari@nordic.example",
        address=f"c/o {_mention(next(n))}"[:300], channel="email",
    )  # fmt: skip
    cases.advance(reference=case, trigger="begin_assessment", actor="sek", reason=_mention(next(n)))
    cases.pause(reference=case, actor="sek", reason=_mention(next(n)), requested_by=WITHHELD[0])
    cases.resume(reference=case, actor="sek", reason=_mention(next(n)))
    cases.advance(
        reference=case, trigger="accept", actor="sek", reason=_mention(next(n)), scope=_mention(next(n))
    )
    cases.add_issue(reference=case, actor="sek", title=_mention(next(n)), chapters=["vi"])
    cases.record(
        reference=case, fact="mediation_agreed", on=date(2025, 9, 15), actor="sek", note=_mention(next(n))
    )
    services.notes.add(reference=case, text=_mention(next(n)), actor="sek")

    def document(title: str, content: bytes, access: str, direction: str = "out", **more: object) -> int:
        name = "file.pdf" if content.startswith(PDF) else "file.txt"
        return documents.add(
            reference=case, source=[content], filename=name, title=title, direction=direction,
            access=access, actor="sek", **more,
        ).number  # type: ignore[arg-type]  # fmt: skip

    # The statements (issue 15): the initial assessment drafted from the case's facts, circulated,
    # commented on naming the submitters, and published: the register's one statement.
    drafted = services.statements.draft(reference=case, kind="initial_assessment", actor="sek")
    services.statements.circulate(
        reference=case, statement=drafted.number, parties=["enterprise-1"], actor="sek", days=14
    )
    services.statements.comment(
        reference=case, round=1, party="enterprise-1", via="email", actor="sek", text=_mention(next(n))
    )
    services.statements.close(reference=case, round=1, actor="sek")
    services.statements.publish(reference=case, statement=drafted.number, actor="sek")
    statement = drafted.pdf_document
    document(f"Press release: {_mention(next(n))}", PDF + b" Press release\n", "public")  # no statement
    internal = [
        document(f"{NCP_WORDS[0]} {_mention(next(n))}", f"{NCP_WORDS[1]}\n".encode(), "ncp"),
        document(f"{NCP_WORDS[2]}", f"{NCP_WORDS[3]} {WITHHELD[0]}\n".encode(), "ncp", direction="internal"),
    ]
    document(
        f"Complaint: {_mention(next(n))}",
        f"From {WITHHELD[0]}\n".encode(),
        "parties",
        "in",
        party="submitter-1",
    )
    document(f"Exempt: {_mention(next(n))}", PDF + b" exempt\n", "public", exemption="offentleglova § 13")
    document(
        f"Reply to {WITHHELD[0]}", PDF + f" Dear {WITHHELD[1]}\n".encode(), "public", party="submitter-1"
    )
    letter = services.letters.draft(reference=case, kind="invitation", party="enterprise-1", actor="sek")
    services.letters.edit(
        reference=case, letter=letter.number, actor="sek",
        paragraphs=[f"Invitation: {_mention(next(n))}", _mention(next(n))],
    )  # fmt: skip
    services.letters.send(reference=case, letter=letter.number, channel="post", actor="sek")
    services.correspondence.log(
        reference=case, direction="in", party="enterprise-1", channel="email", subject=_mention(next(n)),
        actor="sek",
    )  # fmt: skip

    def other(title: str) -> str:
        return cases.open(
            title=title,
            submitters=[PartyInput("Open NGO", "ngo")],
            enterprises=[PartyInput("Open AS")],
            actor="sek",
            received=date(2025, 9, 2),
            themes=["human_rights"],
            host_countries=["NO"],
        ).reference

    public = other(f"Related to {_mention(next(n))}")
    for trigger in ("begin_assessment", "reject", "close"):
        cases.advance(reference=public, trigger=trigger, actor="sek", reason=_mention(next(n)))
    quiet = other(f"Quiet: {_mention(next(n))}")
    return World(None, services, case, public, quiet, internal, statement)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One world for the module (SQLite): the walk only reads."""
    url = f"sqlite:///{tmp_path_factory.mktemp('register-leaks')}/leaks.db"
    settings = load_settings(ROOT / "config.toml", database_url=url)
    services = bootstrap(settings, clock=FixedClock(START), require_initialised=False)
    initialise(services)
    sync_members(uow=services.uow, clock=services.clock, settings=settings)
    made = _fill(services)
    with TestClient(create_app(services, secret="test-secret")) as client:
        made.client = client
        yield made
    services.close()


def _filter_variants(world: World) -> list[str]:
    """The register with each filter value its choices offer, all of them at once, and bad ones."""
    found = world.services.register.entries()
    variants = [f"/register?{name}={value}" for name, values in found.choices.items() for value in values]
    everything = "&".join(f"{name}={values[0]}" for name, values in found.choices.items() if values)
    bad = ["year=1800", "stage=nowhere", "theme=xiv", "country=XQ", "year=twenty"]
    return [*variants, f"/register?{everything}", *(f"/register?{b}" for b in bad)]


HREF = re.compile(r"""(?:href|src)=["']([^"']+)["']""")


def _links(text: str) -> list[str]:
    """The links of this site in an HTML page or the feed: paths, and absolute URLs on the test server."""
    found = []
    for link in HREF.findall(text):
        link = html.unescape(link)
        parts = urlsplit(link)
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


@dataclass
class Read:
    status: int
    text: str  # what a reader sees (walk._answer_text)
    raw: str


def _crawl(world: World) -> dict[str, Read]:
    """Every GET route of the app (the route table, filled from samples) with the register's
    variants, both languages, then every link found, signed out."""
    world.client.cookies.clear()
    services = world.services
    known = {world.case, world.public, world.quiet}

    def documents(filled: Mapping[str, str]) -> list[str]:
        ref = filled["ref"]
        listed = services.documents.list(reference=ref).documents if ref in known else []
        return [*(str(d.number) for d in listed), "999"]

    def letters(filled: Mapping[str, str]) -> list[str]:
        ref = filled["ref"]
        return (
            [str(x.number) for x in services.letters.list(reference=ref).letters] if ref in known else ["1"]
        )

    samples: dict[str, Sample] = {
        "documents/number": documents,
        "letters/number": letters,
        "ref": [*sorted(known), "NCP-1999-999"],
        # A party's own pages (`/p/{token}`): the enterprise's link to the protected case, which
        # must not name the other parties either, and a token that is none.
        "token": [party_token(services, world.case, "enterprise-1"), "no-such-token"],
        "round": ["1", "2"],
    }
    bare = walk.World(world.client, world.services, [world.case], world.public, samples=samples)
    bare.queries = _filter_variants(world)
    todo = [path for _template, path in walk._get_paths(bare, "no-such-calendar-url")]
    todo = [f"{p}{'&' if '?' in p else '?'}lang={lang}" for p in todo for lang in ("en", "nb")]
    seen: dict[str, Read] = {}
    while todo:
        path = todo.pop(0)
        if path in seen:
            continue
        answer = world.client.get(path, follow_redirects=False, headers={"Accept": "text/html"})
        assert answer.status_code < 500, (path, answer.text[:300])
        content_type = answer.headers.get("content-type", "")
        raw = answer.content.decode("utf-8", "replace")
        seen[path] = Read(answer.status_code, walk._answer_text(answer), raw)
        if answer.status_code == 200 and content_type.startswith(("text/html", "application/atom+xml")):
            todo += [link for link in _links(raw) if link not in seen]
    return seen


@pytest.fixture(scope="module")
def read(world: World) -> dict[str, Read]:
    return _crawl(world)


def _pseudonyms(world: World) -> list[str]:
    """The digits of the protected parties' and contacts' pseudonyms, in every case."""
    refs = (world.case, world.public, world.quiet)
    labels = [pseudonym(ref, name) for ref in refs for name in (WITHHELD[0], AT_RISK[0])]
    labels += [
        pseudonym(ref, contact, kind="contact") for ref in refs for contact in (WITHHELD[1], AT_RISK[1])
    ]
    return [label.split()[-1] for label in labels]


def _secrets(world: World) -> list[str]:
    """The protected names and details, their pseudonyms in every case, and the `ncp` words."""
    return [*PROTECTED, *_pseudonyms(world), *NCP_WORDS]


# Where pseudonyms are not looked for: a party's own pages (its link is its credential; a party
# reads another's protected identity as a pseudonym, as an auditor does). A published statement's
# PDF holds none: a neutral label stands for a protected name there. Names, details and internal
# words are looked for everywhere.
PSEUDONYMS_ALLOWED = re.compile(r"^/p/")


def _leaks(
    read: Mapping[str, Read], secrets: list[str], pseudonyms: tuple[str, ...] = ()
) -> dict[str, list[str]]:
    """Which secrets each answer holds (by path); `pseudonyms` are not looked for where
    PSEUDONYMS_ALLOWED."""
    found: dict[str, list[str]] = {}
    for path, answer in read.items():
        flat = walk._flat(answer.text)
        looked = [s for s in secrets if not (s in pseudonyms and PSEUDONYMS_ALLOWED.match(path))]
        hits = [secret for secret in looked if walk._flat(secret) in flat]
        if hits:
            found[path] = hits
    return found


def test_the_walk_reaches_every_public_url_of_the_register(world: World, read: Mapping[str, Read]) -> None:
    """Every register page, filter variant, entry, the feed, both exports, the published
    statement's download (found as a link) and the public journal answered."""
    ok = {urlsplit(path).path for path, answer in read.items() if answer.status == 200}
    assert {
        "/register",
        f"/register/{world.case}",
        f"/register/{world.public}",
        "/register/feed.atom",
        "/register/export.csv",
        "/register/export.json",
        f"/register/{world.case}/documents/{world.statement}",
        "/public/journal",
        "/public/journal.csv",
        "/public/journal.json",
    } <= ok
    assert f"/register/{world.quiet}" not in ok and "/register/NCP-1999-999" not in ok
    assert any("stage=nowhere" in path and answer.status == 422 for path, answer in read.items())
    assert {"/p/{token}", "/p/{token}/drafts/1"} <= {  # the enterprise's own pages, by its link
        re.sub(r"^/p/[^/]+", "/p/{token}", urlsplit(path).path)
        for path, answer in read.items()
        if path.startswith("/p/") and answer.status == 200
    }
    entry = read[f"/register/{world.case}?lang=en"].text
    assert "Nordic Metals ASA" in entry and "withheld" in entry  # the walk reads what it should
    assert "[confidential submitter]" in entry  # the title, redacted without a pseudonym


def test_no_public_url_shows_a_protected_name_a_pseudonym_or_anything_internal(
    world: World, read: Mapping[str, Read]
) -> None:
    """The names in every spelling, their contacts' details, their pseudonyms, and the `ncp`
    documents' titles and contents: nowhere, in any answer (refusals too)."""
    assert not _leaks(read, _secrets(world), tuple(_pseudonyms(world)))


def test_the_ncp_documents_numbers_are_refused_like_unknown_ones(
    world: World, read: Mapping[str, Read]
) -> None:
    """The `ncp` documents, the document from the withheld submitter, the exempt one, the one to
    a protected party and an unknown number: the same 404 page."""
    numbers = [d.number for d in world.services.documents.list(reference=world.case).documents]
    refused = [n for n in [*numbers, 999] if n != world.statement]
    assert set(world.internal) <= set(refused)
    pages = set()
    for number in refused:
        path = f"/register/{world.case}/documents/{number}"
        answer = read[f"{path}?lang=en"]
        assert answer.status == 404, path
        pages.add(answer.raw.replace(path, ""))
    assert len(pages) == 1


def test_the_published_statement_names_no_protected_party(world: World, read: Mapping[str, Read]) -> None:
    """The statement's PDF (its text, as pypdf reads it) holds no protected name or detail and
    nothing internal, in any spelling."""
    path = f"/register/{world.case}/documents/{world.statement}?lang=en"
    assert read[path].status == 200 and "%PDF" in read[path].raw[:20]
    assert "Nordic Metals ASA" in read[path].text  # its text was read
    assert not _leaks({path: read[path]}, [*PROTECTED, *NCP_WORDS])


def test_the_walk_can_fail(world: World) -> None:
    """Signed in as a handler, the same case's page shows the name and an `ncp` title: the checks
    would see a leak."""
    from tests.helpers import sign_in

    world.services.users.add(name="hanna", role="handler", actor="test", password=walk.PASSWORD)
    assert sign_in(world.client, "hanna", walk.PASSWORD).status_code == 303
    page = world.client.get(f"/cases/{world.case}/documents")
    world.client.cookies.clear()
    text = walk._answer_text(page)
    assert _leaks({"page": Read(200, text, text)}, _secrets(world))["page"]
