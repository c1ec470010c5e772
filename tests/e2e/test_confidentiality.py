"""A confidential submitter's name and org number, put into every free-text field, never reach
an auditor: every GET route of the app (API and pages, English and Norwegian), the ICS feed,
the audit export and the reports are walked. A handler does see them, in the same places.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import fastapi.routing
import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from states.pseudonyms import pseudonym
from states.signatures import Signer, TrustedKeys
from tests.conftest import ROOT
from tests.helpers import sign_in
from workflow import cases, export_files, issues, pausing, queries, reports, rotation, users
from workflow.bootstrap import Services, bootstrap
from workflow.clock import FixedClock
from workflow.config import parse_settings
from workflow.rotation import sync_members

NAME = "Kari Nordmann Fjordvern"
ORG = "987 654 321"
PASSWORD = "correct horse battery"
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
    return [paused, accepted], other


@pytest.fixture
def world(database_url: str, clock: FixedClock) -> Iterator[World]:
    settings = _settings(database_url)
    services = bootstrap(settings, clock=clock)
    sync_members(uow=services.uow, clock=clock, settings=settings)
    for name, role in [("hanna", "handler"), ("revisor", "auditor")]:
        users.add_user(uow=services.uow, clock=clock, name=name, role=role, actor="test", password=PASSWORD)
    confidential, other = _fill(services)
    with TestClient(create_app(services, secret="test-secret")) as client:
        yield World(client, services, confidential, other)
    services.close()


def _sign_in(client: TestClient, name: str) -> None:
    client.cookies.clear()
    answer = sign_in(client, name, PASSWORD)
    assert answer.status_code == 303, answer.text


def _routes(app: Any) -> list[tuple[str, set[str]]]:
    """Every route's path and methods, included routers flattened (FastAPI 0.165 keeps them
    as one entry each in `app.routes`; earlier versions list their routes there)."""
    flatten = getattr(fastapi.routing, "iter_route_contexts", None)
    routes = flatten(app.routes) if flatten is not None else app.routes
    return [(str(r.path), set(r.methods or ())) for r in routes if getattr(r, "path", None)]


def _get_paths(world: World) -> list[tuple[str, str]]:
    """(template, concrete path) for every GET route of the app, each case reference filled in,
    plus the query variants that select other content; every one in English and Norwegian."""
    refs = [*world.confidential, world.other]
    templates = [path for path, methods in _routes(world.client.app) if "GET" in methods]
    templates += [
        "/audit?case={ref}",
        "/audit/export.jsonl?case={ref}",
        "/api/deadlines.ics?member=member-b",
        "/api/audit?limit=1000",
        "/api/cases?overdue=true",
        "/audit?kind=case_opened",
    ]
    paths: list[tuple[str, str]] = []
    for template in templates:
        if "{name}" in template:  # the static files
            concrete = [template.replace("{name}", n) for n in ("style.css", "print.css")]
        elif "{ref}" in template:
            concrete = [template.replace("{ref}", r) for r in refs]
        else:
            assert "{" not in template, f"a path parameter the walk cannot fill: {template}"
            concrete = [template]
        for path in concrete:
            for lang in ("en", "nb"):
                sep = "&" if "?" in path else "?"
                paths.append(
                    (
                        f"{template}?lang={lang}" if template in {"/cases/{ref}"} else template,
                        f"{path}{sep}lang={lang}",
                    )
                )
    return paths


def _walk(world: World, user: str) -> dict[str, list[str]]:
    """Every path's readable text as `user` sees it, by template; fails on any 5xx."""
    _sign_in(world.client, user)
    seen: dict[str, list[str]] = {}
    for template, path in _get_paths(world):
        answer = world.client.get(path, follow_redirects=False)
        assert answer.status_code < 500, (path, answer.text)
        if answer.status_code == 200:
            text = _readable(answer.text, answer.headers.get("content-type", ""))
            seen.setdefault(template, []).append(text)
    return seen


def test_an_auditor_never_sees_a_confidential_submitters_name_or_number(world: World) -> None:
    """Every GET route, both languages, the ICS feed, exports and reports: pseudonyms only."""
    seen = _walk(world, "revisor")
    assert set(seen) >= NINE, f"not reached: {sorted(NINE - set(seen))}"
    assert {"/", "/members", "/audit/export.jsonl", "/audit/export.jsonl?case={ref}"} <= set(seen)
    leaks = {t: _leaks(text) for t, texts in seen.items() for text in texts if _leaks(text)}
    assert not leaks, f"the confidential submitter leaks at {leaks}"
    case_page = " ".join(seen["/api/cases/{ref}"])
    assert pseudonym(world.confidential[0], NAME) in case_page
    for report in (
        reports.timelines(
            uow=world.services.uow, clock=world.services.clock, settings=world.services.settings
        ),
        reports.annual(
            uow=world.services.uow, clock=world.services.clock, settings=world.services.settings, year=2025
        ),
        reports.oecd(uow=world.services.uow, settings=world.services.settings),
    ):
        text = json.dumps(report, ensure_ascii=False)
        assert not _leaks(text), text


def test_a_handler_sees_the_name_in_the_same_nine_places(world: World) -> None:
    """The walk can fail: for a handler the name is in each of the nine places."""
    seen = _walk(world, "hanna")
    for template in NINE:
        assert any("name" in _leaks(text) for text in seen[template]), template
    assert any("org number" in _leaks(text) for text in seen["/api/audit"])


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
