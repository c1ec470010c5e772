"""Protected parties and their contacts, walked through every output as each role: a withheld
enterprise with a contact, and a submitter at risk of reprisal with a contact, whose names,
e-mail and postal addresses are also written into the free text of their cases and of another
case. Every GET route of the app (API and pages, English and Norwegian, the calendar feed, the
audit export, searches by the names' beginnings) and the reports are read as an auditor (sees
neither), as a member who does not lead the case at risk (sees the withheld one, not the one at
risk), as the lead member and as a handler (see both)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from states.pseudonyms import pseudonym
from tests.conftest import ROOT
from tests.e2e import test_confidentiality as walk
from workflow import pausing, reports, users
from workflow.bootstrap import Services, bootstrap, initialise
from workflow.cases import PartyInput
from workflow.clock import FixedClock
from workflow.config import load_settings
from workflow.rotation import sync_members

WITHHELD = ("Skjult Gruve AS", "Ingrid Hemmelig", "ingrid@hemmelig.example", "Hemmeligveien 7, 0150 Oslo")
AT_RISK = ("Truet Forening", "Per Utsatt", "per@utsatt.example", "Postboks 99 Utsattby")
START = datetime(2025, 9, 15, 9, 0, tzinfo=UTC)
SEARCHES = (
    "/cases?q=Hemmel",
    "/cases?q=Utsat",
    "/api/cases/search?q=truet",
    "/api/cases/search?q=skjult+gruv",
)


def _seen(text: str, secrets: tuple[str, ...]) -> list[str]:
    flat = walk._flat(text)
    return [secret for secret in secrets if walk._flat(secret) in flat]


def _mention(names: tuple[str, ...]) -> str:
    return "Spoke with " + "; ".join(names)


def _fill(services: Services) -> tuple[str, str, str]:
    """The case with the withheld enterprise, the case with the submitter at risk, and a public
    case whose text mentions both."""
    parties, cases, uow, clock = services.parties, services.cases, services.uow, services.clock
    made = []
    for title, submitter, enterprise in [
        ("Tailings", "Fjord NGO", WITHHELD[0]),
        ("Land rights", AT_RISK[0], "Nordic Metals ASA"),
        ("Public case", "Open NGO", "Open AS"),
    ]:
        made.append(
            services.cases.open(
                title=title,
                submitters=[PartyInput(submitter)],
                enterprises=[PartyInput(enterprise)],
                actor="sek",
                received=date(2025, 9, 1),
            ).reference
        )
    hidden, risky, public = made
    parties.change_party(reference=hidden, party="enterprise-1", actor="sek", withheld=True)
    parties.add_contact(
        reference=hidden, party="enterprise-1", actor="sek", name=WITHHELD[1], email=WITHHELD[2],
        address=WITHHELD[3], channel="post", reason=_mention(WITHHELD[1:]),
    )  # fmt: skip
    parties.change_party(
        reference=risky, party="submitter-1", actor="sek", reprisal_risk=True, measures="Letters by hand only"
    )
    parties.add_contact(
        reference=risky, party="submitter-1", actor="sek", name=AT_RISK[1], email=AT_RISK[2],
        address=AT_RISK[3], reason=_mention(AT_RISK),
    )  # fmt: skip
    for ref, names in [(hidden, WITHHELD), (risky, AT_RISK), (public, (*WITHHELD, *AT_RISK))]:
        cases.add_issue(reference=ref, actor="sek", title=_mention(names), chapters=["iv"])
        pausing.pause_case(uow=uow, clock=clock, reference=ref, actor="sek", reason=_mention(names))
    return hidden, risky, public


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[walk.World, str]]:
    """One world for the module (SQLite): the walks only read."""
    url = f"sqlite:///{tmp_path_factory.mktemp('parties')}/walk.db"
    settings = load_settings(ROOT / "config.toml", database_url=url)
    services = bootstrap(settings, clock=FixedClock(START), require_initialised=False)
    initialise(services)
    sync_members(uow=services.uow, clock=services.clock, settings=settings)
    hidden, risky, public = _fill(services)
    lead = services.cases.get(reference=risky).lead_member
    assert lead is not None, "the rotation gives the case a lead"
    other = next(m for m in ("chair", "member-b", "member-c", "member-d") if m != lead)
    for name, role, member in [
        ("hanna", "handler", None),
        ("revisor", "auditor", None),
        ("leder", "member", lead),
        ("medlem", "member", other),
    ]:
        users.add_user(
            uow=services.uow, clock=services.clock, name=name, role=role, member_id=member, actor="test",
            password=walk.PASSWORD,
        )  # fmt: skip
    with TestClient(create_app(services, secret="test-secret")) as client:
        yield walk.World(client, services, [hidden, risky], public), risky
    services.close()


def _texts(world: walk.World, user: str) -> dict[str, list[str]]:
    seen = walk._walk(world, user)
    for path in SEARCHES:
        for lang in ("en", "nb"):
            answer = world.client.get(f"{path}&lang={lang}")
            assert answer.status_code == 200, (path, answer.text)
            seen.setdefault(path, []).append(walk._readable(answer.text, answer.headers["content-type"]))
    return seen


def _leaks(seen: dict[str, list[str]], secrets: tuple[str, ...]) -> dict[str, list[str]]:
    return {t: found for t, texts in seen.items() for text in texts if (found := _seen(text, secrets))}


def test_an_auditor_sees_no_protected_party_nor_its_contacts_anywhere(world: tuple[walk.World, str]) -> None:
    """Every GET route, both languages, searches, the feed, the export and the reports: neither
    the withheld party nor the one at risk, nor their contacts' names, e-mails or addresses."""
    made, risky = world
    seen = _texts(made, "revisor")
    assert {"/cases/{ref}/parties", "/api/cases/{ref}/parties", "/audit/export.jsonl"} <= set(seen)
    assert not _leaks(seen, (*WITHHELD, *AT_RISK))
    assert pseudonym(risky, AT_RISK[0]) in " ".join(seen["/api/cases/{ref}/parties"])
    assert pseudonym(made.confidential[0], WITHHELD[1], kind="contact") in " ".join(
        seen["/api/cases/{ref}/audit"]
    )
    for text in _reports(made):
        assert not _seen(text, (*WITHHELD, *AT_RISK)), text


def _reports(world: walk.World) -> list[str]:
    uow, clock, settings = world.services.uow, world.services.clock, world.services.settings
    annual = reports.annual(uow=uow, clock=clock, settings=settings, year=2025)
    assert annual["reprisal_risk_cases"] == 1  # a count, never a name
    rows = reports.oecd(uow=uow, settings=settings)
    timelines = reports.timelines(uow=uow, clock=clock, settings=settings)
    return [json.dumps(report, ensure_ascii=False) for report in (annual, rows, timelines)]


def test_a_member_who_does_not_lead_the_case_sees_the_withheld_party_but_not_the_one_at_risk(
    world: tuple[walk.World, str],
) -> None:
    """The withheld party and its contact are there for every member; the party at risk and
    its contact are nowhere, not even through a search by their names' beginnings."""
    made, _risky = world
    seen = _texts(made, "medlem")
    assert not _leaks(seen, AT_RISK)
    assert _leaks(seen, WITHHELD)
    hits = made.client.get("/api/cases/search?q=truet").json()
    assert hits["total"] == 0, hits  # no hit says which cases mention the name


def test_the_lead_member_and_a_handler_see_both(world: tuple[walk.World, str]) -> None:
    """The walk can fail: the case's lead and a handler see the party at risk and its contact;
    the handler sees the withheld one too."""
    made, _risky = world
    for user in ("leder", "hanna"):
        seen = _texts(made, user)
        found = {secret for found in _leaks(seen, (*WITHHELD, *AT_RISK)).values() for secret in found}
        assert set(AT_RISK) <= found, (user, found)
        if user == "hanna":
            assert set(WITHHELD) <= found, found
