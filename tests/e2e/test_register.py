"""The public register (`/register`, issue 15): which cases it lists, what an entry shows, its
filters and refusals in the page's language, the feed's updated times, the export and the
downloads of published documents, all without signing in."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from tests.conftest import ROOT, InProcessCli
from tests.helpers import made_public
from workflow.bootstrap import Services, bootstrap, initialise
from workflow.cases import PartyInput
from workflow.clock import FixedClock
from workflow.config import load_settings
from workflow.rotation import sync_members

START = datetime(2025, 9, 15, 9, 0, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"
HTML = {"Accept": "text/html"}
PDF = b"%PDF-1.4\n%"  # enough of a PDF for the file's checks


@dataclass
class World:
    client: TestClient
    services: Services
    clock: FixedClock
    accepted: str  # the initial assessment published: listed
    rejected: str  # rejected, its final statement published by `close`: listed
    quiet: str  # accepted, nothing published: not listed
    statement: int  # the accepted case's published initial assessment (its PDF's number)
    internal: int  # the accepted case's `ncp` document


def _fill(services: Services, clock: FixedClock) -> World:
    cases, documents = services.cases, services.documents

    def opened(title: str, submitter: str, received: date, theme: str, country: str) -> str:
        return cases.open(
            title=title,
            submitters=[PartyInput(submitter, "ngo")],
            enterprises=[PartyInput("Nordic Metals ASA")],
            actor="sek",
            received=received,
            themes=[theme],
            host_countries=[country],
        ).reference

    accepted = opened("Tailings dam", "Open NGO", date(2025, 9, 1), "environment", "BR")
    rejected = opened("Land rights", "Skjult Forening", date(2024, 3, 4), "human_rights", "NO")
    quiet = opened("Quiet case", "Third NGO", date(2025, 9, 2), "environment", "BR")
    services.parties.change_party(reference=rejected, party="submitter-1", actor="sek", withheld=True)
    for ref in (accepted, quiet):
        cases.advance(reference=ref, trigger="begin_assessment", actor="sek", reason="Acknowledged")
        cases.advance(reference=ref, trigger="accept", actor="sek", reason="Material issues")
    cases.advance(reference=rejected, trigger="begin_assessment", actor="sek", reason="Acknowledged")
    cases.advance(reference=rejected, trigger="reject", actor="sek", reason="Not material")
    clock.advance(days=1)
    drafted = services.statements.draft(reference=accepted, kind="initial_assessment", actor="sek")
    services.statements.publish(reference=accepted, statement=drafted.number, actor="sek")  # the fact too
    clock.advance(days=1)
    cases.advance(reference=rejected, trigger="close", actor="sek", reason="Statement published")

    def document(title: str, access: str, direction: str = "out") -> int:
        return documents.add(
            reference=accepted,
            source=[(PDF if access == "public" else b"") + f"{title}\n".encode()],
            filename="statement.pdf" if access == "public" else "minutes.txt",
            title=title,
            direction=direction,
            access=access,
            actor="sek",
        ).number

    document("Press release", "public")  # public, but no statement: not the register's
    internal = document("Minutes of the NCP", "ncp")
    document("Letter to the parties", "parties")
    return World(
        client=None,  # type: ignore[arg-type]  # set by the fixture
        services=services,
        clock=clock,
        accepted=accepted,
        rejected=rejected,
        quiet=quiet,
        statement=drafted.pdf_document,
        internal=internal,
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One world for the module (SQLite); the tests that write say so and run last."""
    url = f"sqlite:///{tmp_path_factory.mktemp('register')}/register.db"
    settings = load_settings(ROOT / "config.toml", database_url=url)
    clock = FixedClock(START)
    services = bootstrap(settings, clock=clock, require_initialised=False)
    initialise(services)
    sync_members(uow=services.uow, clock=clock, settings=settings)
    made = _fill(services, clock)
    with TestClient(create_app(services, secret="test-secret")) as client:
        made.client = client
        yield made
    services.close()


def test_the_register_lists_the_cases_made_public_and_no_other(world: World) -> None:
    """The case whose assessment was published and the rejected one whose statement was published
    are listed, signed out; the accepted case with nothing published is not."""
    page = world.client.get("/register?lang=en")
    assert page.status_code == 200, page.text
    assert world.accepted in page.text and world.rejected in page.text
    assert world.quiet not in page.text
    assert "Tailings dam" in page.text and "Nordic Metals ASA" in page.text


def test_the_public_journal_and_the_signed_out_menu_lead_to_the_register(world: World) -> None:
    """Signed out, the public journal links to the register, and the menu and the footer of
    every page (the sign-in page too) name it."""
    journal = world.client.get("/public/journal?lang=nb").text
    assert journal.count('href="/register"') >= 3  # the menu, the page, the footer
    signin = world.client.get("/signin?lang=nb").text
    assert '<a href="/register">Saksregister</a>' in signin and "Register over klagesaker" in signin


def test_an_entry_shows_its_dates_parties_and_published_statements(world: World) -> None:
    """The entry names the public submitter, withholds the protected one, and links the public
    statement but no other document."""
    page = world.client.get(f"/register/{world.accepted}?lang=en")
    assert page.status_code == 200, page.text
    assert "Open NGO" in page.text and "Initial assessment" in page.text
    assert f"/register/{world.accepted}/documents/{world.statement}" in page.text
    for other in ("Minutes of the NCP", "Letter to the parties", "Press release"):
        assert other not in page.text, other
    hidden = world.client.get(f"/register/{world.rejected}?lang=en")
    assert "Skjult Forening" not in hidden.text and "withheld" in hidden.text
    assert "Not accepted" in hidden.text


def test_a_case_not_listed_answers_as_an_unknown_one_in_the_pages_language(world: World) -> None:
    """Not listed and unknown: the same 404 page, in Norwegian on a Norwegian page."""
    quiet = world.client.get(f"/register/{world.quiet}?lang=nb", headers=HTML)
    unknown = world.client.get("/register/NCP-1999-999?lang=nb", headers=HTML)
    assert quiet.status_code == unknown.status_code == 404
    assert 'lang="nb"' in quiet.text and "Fant ikke siden" in quiet.text
    assert quiet.text.replace(world.quiet, "") == unknown.text.replace("NCP-1999-999", "")


def test_only_public_documents_download_and_other_numbers_are_refused_alike(world: World) -> None:
    """The published statement's PDF downloads as an attachment named after the case; the `ncp`
    and `parties` documents, a public document that is no statement, an unknown number and a case
    not listed answer the same 404."""
    answer = world.client.get(f"/register/{world.accepted}/documents/{world.statement}")
    assert answer.status_code == 200
    published = world.services.statements.published(reference=world.accepted)[0]
    opened = world.services.documents.open(
        reference=world.accepted, number=published.document, version=published.version
    )
    assert answer.content == b"".join(opened.chunks) and answer.content.startswith(b"%PDF")
    assert f"{world.accepted}-{world.statement}.pdf" in answer.headers["content-disposition"]
    refused = [
        world.client.get(f"/register/{world.accepted}/documents/{number}", headers=HTML)
        for number in [
            *(d.number for d in world.services.documents.list(reference=world.accepted).documents),
            99,
            "x",
        ]
        if number != world.statement
    ]
    refused.append(world.client.get(f"/register/{world.quiet}/documents/1", headers=HTML))
    assert {r.status_code for r in refused} == {404}
    assert len({r.text.replace(r.url.path, "") for r in refused}) == 1  # nothing tells them apart


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=20x5", "År mottatt"),
        ("stage=nowhere", "Fase"),
        ("theme=xiv", "Kapittel i retningslinjene"),
        ("country=XQ", "Vertsland"),
    ],
)
def test_a_bad_filter_is_refused_naming_it_in_the_pages_language(
    world: World, query: str, field: str
) -> None:
    """422, the page itself in Norwegian, naming the filter and keeping what was typed."""
    answer = world.client.get(f"/register?{query}&lang=nb")
    assert answer.status_code == 422, answer.text
    assert 'lang="nb"' in answer.text
    notice = answer.text.split('role="alert">', 1)[1].split("</div>", 1)[0]
    assert field in notice, notice
    typed = query.split("=", 1)[1]
    assert f'<option value="{typed}" selected>' in answer.text  # what was typed, kept


def test_the_filters_narrow_the_list(world: World) -> None:
    """By year, stage, theme and host country (numeral and lower-case code too)."""
    client = world.client

    def listed(query: str) -> set[str]:
        text = client.get(f"/register?{query}").text
        return {ref for ref in (world.accepted, world.rejected) if f'/register/{ref}"' in text}

    assert listed("") == {world.accepted, world.rejected}
    assert listed("year=2024") == {world.rejected}
    assert listed("stage=good_offices") == {world.accepted}
    assert listed("theme=IV") == {world.rejected}
    assert listed("country=br") == {world.accepted}


def test_the_export_has_the_oecd_fields_for_the_listed_cases(world: World) -> None:
    """CSV and JSON: `report oecd`'s fields, one row per listed case; a protected submitter is
    "withheld"."""
    rows = world.client.get("/register/export.json").json()
    assert {row["reference"] for row in rows} == {world.accepted, world.rejected}
    oecd = world.services.reports.oecd()
    assert set(oecd[0]) <= set(rows[0])
    by_ref = {row["reference"]: row for row in rows}
    assert by_ref[world.rejected]["submitters"] == ["withheld"]
    assert by_ref[world.rejected]["outcome"] == "not_accepted"
    table = list(csv.DictReader(io.StringIO(world.client.get("/register/export.csv").text)))
    assert {row["reference"] for row in table} == {world.accepted, world.rejected}


def test_the_command_line_exports_what_the_site_exports(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`ncpflow register export` (JSON by default, CSV asked for) writes the same rows as
    `/register/export.json|.csv`; `--output` writes the file."""
    ncp = InProcessCli(capsys, monkeypatch, str(world.services.settings.database.url), ROOT / "config.toml")
    as_json = ncp("register", "export")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == world.client.get("/register/export.json").json()
    as_csv = ncp("register", "export", "--format", "csv")
    assert as_csv.stdout == world.client.get("/register/export.csv").text
    target = tmp_path / "register.csv"
    assert ncp("register", "export", "--format", "csv", "--output", str(target)).returncode == 0
    assert target.read_text(encoding="utf-8") == as_csv.stdout
    assert ncp("register", "export", "--format", "xml").returncode == 2


def _feed(world: World) -> ElementTree.Element:
    """The register's Atom feed, parsed (our own answer, not untrusted input)."""
    answer = world.client.get("/register/feed.atom")
    assert answer.headers["content-type"].startswith("application/atom+xml")
    return ElementTree.fromstring(answer.content)  # noqa: S314


def test_the_feed_lists_each_entry_with_its_latest_public_event(world: World) -> None:
    """Atom: one entry per listed case, the latest updated first; a case newly made public enters
    the feed with the clock's time, and a later step updates it."""
    feed = _feed(world)
    ids = [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]
    assert [i.rsplit("/", 1)[-1] for i in ids if i] == [world.rejected, world.accepted]
    world.clock.advance(days=3)
    published = world.clock.now()
    world.services.cases.record(
        reference=world.quiet, fact="assessment_published", on=published.date(), actor="sek"
    )
    feed = _feed(world)
    first = next(feed.iter(f"{ATOM}entry"))
    assert first.findtext(f"{ATOM}id", "").endswith(world.quiet)
    assert first.findtext(f"{ATOM}updated") == published.isoformat().replace("+00:00", "Z")
    assert first.findtext(f"{ATOM}published") == first.findtext(f"{ATOM}updated")
    assert feed.findtext(f"{ATOM}updated") == first.findtext(f"{ATOM}updated")
    world.clock.advance(hours=2)
    world.services.cases.advance(
        reference=world.accepted, trigger="examine", outcome="no_agreement", actor="sek", reason="Failed"
    )
    feed = _feed(world)
    first = next(feed.iter(f"{ATOM}entry"))
    assert first.findtext(f"{ATOM}id", "").endswith(world.accepted)
    assert first.findtext(f"{ATOM}updated") == world.clock.now().isoformat().replace("+00:00", "Z")


def test_a_title_with_control_characters_leaves_the_feed_well_formed(world: World) -> None:
    """Stored text may hold control characters (an escape, a bell): the feed replaces those XML
    does not allow, and still parses."""
    ref = world.services.cases.open(
        title="Escape \x1b[31m and bell \x07",
        submitters=[PartyInput("Open NGO", "ngo")],
        enterprises=[PartyInput("Open AS")],
        actor="sek",
        received=date(2025, 9, 3),
    ).reference
    made_public(world.services, ref)
    titles = [e.findtext(f"{ATOM}title", "") for e in _feed(world).iter(f"{ATOM}entry")]
    assert f"{ref}: Escape \ufffd[31m and bell \ufffd" in titles


def test_publishing_a_final_statement_updates_the_entry_and_lists_its_pdf(world: World) -> None:
    """The statement published (its `statement_published` entry, with the step it fires) is the
    entry's latest public event; its PDF joins the entry's statements and downloads."""
    world.clock.advance(days=1)
    cases = world.services.cases
    cases.advance(
        reference=world.accepted, trigger="conclude", outcome="determination", actor="sek", reason="Done"
    )
    world.clock.advance(hours=1)
    drafted = world.services.statements.draft(reference=world.accepted, kind="final_statement", actor="sek")
    world.clock.advance(hours=1)
    world.services.statements.publish(reference=world.accepted, statement=drafted.number, actor="sek")
    first = next(_feed(world).iter(f"{ATOM}entry"))
    assert first.findtext(f"{ATOM}id", "").endswith(world.accepted)
    assert first.findtext(f"{ATOM}updated") == world.clock.now().isoformat().replace("+00:00", "Z")
    page = world.client.get(f"/register/{world.accepted}?lang=en").text
    assert f"/register/{world.accepted}/documents/{drafted.pdf_document}" in page
    answer = world.client.get(f"/register/{world.accepted}/documents/{drafted.pdf_document}")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
