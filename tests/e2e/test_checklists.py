"""Stage checklists through the command line, the API and the case's page, on SQLite and
PostgreSQL (the command line and the API) : `case checklist|tick|untick`, `/api/cases/{ref}/
checklist`, the page's section with its tick/untick forms; refusals with their exit code or status,
naming the item and writing nothing; with `[procedure] checklists_required = true`, `accept`
refused naming the items still to tick (exit code 1, 409, the page in its language)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from tests.conftest import ROOT, InProcessCli
from tests.dbdump import dump
from tests.e2e.conftest import Site
from tests.e2e.test_api import Api, running_api
from workflow.bootstrap import bootstrap
from workflow.clock import FixedClock
from workflow.config import load_settings

CRITERIA = ["ia_identity", "ia_material", "ia_link", "ia_law", "ia_other_proceedings", "ia_purposes"]


def strict_config(folder: Path) -> Path:
    """The shipped config.toml with `[procedure] checklists_required = true`."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    assert "checklists_required = false" in text
    path = folder / "config.toml"
    path.write_text(
        text.replace("checklists_required = false", "checklists_required = true"), encoding="utf-8"
    )
    return path


def _assessing(ncp: InProcessCli) -> str:
    opened = ncp.json(
        "case", "open", "--title", "Mine tailings", "--submitter", "Friends of the Fjord",
        "--enterprise", "Nordic Metals ASA", "--received", "2025-03-04", "--actor", "sek", "--json",
    )  # fmt: skip
    ref = str(opened["reference"])
    ncp.json("case", "advance", ref, "begin_assessment", "--actor", "sek", "--reason", "ok", "--json")
    return ref


def test_the_command_line_shows_ticks_and_unticks_an_item_with_who_and_when(ncp: InProcessCli) -> None:
    ref = _assessing(ncp)
    shown = ncp.json("case", "checklist", ref, "--json")
    assert [line["item"] for line in shown["items"]] == CRITERIA and shown["missing"] == CRITERIA
    ticked = ncp.json("case", "tick", ref, "ia_material", "--actor", "sek", "--json")
    (line,) = [line for line in ticked["items"] if line["item"] == "ia_material"]
    assert (line["ticked"], line["by"]) == (True, "sek")
    text = " ".join(ncp("case", "checklist", ref).stdout.split())
    assert "[x] ia_material: Whether the issue is material and substantiated (ticked by sek," in text
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d CES?T\)", text), text  # local time with its zone
    assert "[ ] ia_identity" in text and "still to tick: ia_identity, ia_link" in text
    left = ncp.json("case", "untick", ref, "ia_material", "--actor", "sek", "--json")
    assert not any(line["ticked"] for line in left["items"])
    kinds = [json.loads(line)["kind"] for line in ncp("audit", "log", ref).stdout.splitlines()]
    assert kinds.count("checklist_ticked") == 1 and kinds.count("checklist_unticked") == 1


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("tick", "{ref}", "ia_nonsense"), 2, "the checklist item (ITEM) 'ia_nonsense' is on no checklist"),
        (("tick", "{ref}", "fs_draft_circulated"), 2, "is on the checklist of 'final_statement'"),
        (("tick", "{ref}", "ia_identity"), 1, "'ia_identity' is ticked already"),
        (("untick", "{ref}", "ia_law"), 1, "'ia_law' is not ticked"),
        (("tick", "NCP-1999-999", "ia_law"), 4, "NCP-1999-999"),
    ],
)
def test_a_refused_mark_on_the_command_line_exits_with_its_code_and_writes_nothing(
    ncp: InProcessCli, database_url: str, args: tuple[str, ...], code: int, words: str
) -> None:
    ref = _assessing(ncp)
    ncp.json("case", "tick", ref, "ia_identity", "--actor", "sek", "--json")
    before = dump(database_url)
    result = ncp("case", *(a.format(ref=ref) for a in args), "--actor", "sek")
    assert result.returncode == code, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(database_url) == before


def _assessing_since_march(ncp: InProcessCli) -> str:
    """A case received 4 March 2025 whose initial assessment began on 5 March."""
    opened = ncp.json(
        "case", "open", "--title", "Mine tailings", "--submitter", "Friends of the Fjord",
        "--enterprise", "Nordic Metals ASA", "--received", "2025-03-04", "--actor", "sek", "--json",
    )  # fmt: skip
    ref = str(opened["reference"])
    ncp.json(
        "case", "advance", ref, "begin_assessment", "--actor", "sek", "--reason", "ok", "--at", "2025-03-05",
        "--json",
    )  # fmt: skip
    return ref


def test_tick_and_untick_take_at_and_show_the_mark_at_that_time(ncp: InProcessCli) -> None:
    """`case tick REF ITEM --at 2025-03-10`, `case untick ... --at 2025-03-11T15:00:00+01:00`:
    the checklist shows those times in local time; the audit entries carry them."""
    ref = _assessing_since_march(ncp)
    ticked = ncp.json("case", "tick", ref, "ia_law", "--actor", "sek", "--at", "2025-03-10", "--json")
    (line,) = [line for line in ticked["items"] if line["item"] == "ia_law"]
    assert (line["ticked"], line["at"]) == (True, "2025-03-09T23:00:00+00:00")
    untick = ("case", "untick", ref, "ia_law", "--actor", "sek", "--at", "2025-03-11T15:00:00+01:00")
    result = ncp(*untick)
    assert result.returncode == 0, result.stderr
    assert "(unticked by sek, 2025-03-11 15:00 CET)" in " ".join(result.stdout.split())
    entries = [json.loads(line) for line in ncp("audit", "log", ref).stdout.splitlines()]
    marks = [(e["kind"], e["at"]) for e in entries if e["kind"].startswith("checklist_")]
    assert marks == [
        ("checklist_ticked", "2025-03-09T23:00:00.000000Z"),
        ("checklist_unticked", "2025-03-11T14:00:00.000000Z"),
    ]


@pytest.mark.parametrize(
    ("verb", "at", "code", "words"),
    [
        ("tick", "2199-01-01", 2, "is in the future"),
        ("tick", "2999-01-01", 2, "--at 2999-01-01 is out of range"),
        ("tick", "2025-03-01", 2, "is before the case's last recorded step"),
        ("untick", "2025-03-06", 2, "is before the item's last mark"),
        ("tick", "next tuesday", 2, "--at"),
        ("tick", "2025-02-30", 2, "--at"),
    ],
)
def test_a_tick_or_untick_at_a_time_that_cannot_be_exits_2_naming_it_and_writes_nothing(
    ncp: InProcessCli, database_url: str, verb: str, at: str, code: int, words: str
) -> None:
    ref = _assessing_since_march(ncp)
    ncp.json("case", "tick", ref, "ia_law", "--actor", "sek", "--at", "2025-03-07", "--json")
    before = dump(database_url)
    result = ncp("case", verb, ref, "ia_law" if verb == "untick" else "ia_link", "--actor", "sek", "--at", at)
    assert result.returncode == code, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr
    assert dump(database_url) == before


def test_with_checklists_required_accept_exits_1_naming_the_items_still_to_tick(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    ncp = InProcessCli(capsys, monkeypatch, database_url, strict_config(tmp_path))
    ref = _assessing(ncp)
    for item in CRITERIA[:5]:
        ncp.json("case", "tick", ref, item, "--actor", "sek", "--json")
    assert "required by: accept, reject" in ncp("case", "checklist", ref).stdout
    before = dump(database_url)
    refused = ncp("case", "advance", ref, "accept", "--actor", "sek", "--reason", "merits")
    assert refused.returncode == 1
    assert "still to tick: ia_purposes" in refused.stderr
    assert dump(database_url) == before
    ncp.json("case", "tick", ref, "ia_purposes", "--actor", "sek", "--json")
    moved = ncp.json("case", "advance", ref, "accept", "--actor", "sek", "--reason", "ok", "--json")
    assert moved["state"] == "good_offices"


def _error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code
    return str(body["detail"])


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as made:
        yield made


def test_the_api_shows_ticks_and_refuses_by_name_writing_nothing(api: Api, database_url: str) -> None:
    handler, auditor = api.user("hanna", "handler"), api.user("revisor", "auditor")
    ref = api.open(handler)["reference"]
    api.services.cases.advance(reference=ref, trigger="begin_assessment", actor="sek", reason="ok")
    ticked = api.client.post(f"/api/cases/{ref}/checklist/ia_law/tick", headers=handler)
    assert ticked.status_code == 200, ticked.text
    (line,) = [line for line in ticked.json()["items"] if line["item"] == "ia_law"]
    assert (line["ticked"], line["by"]) == (True, "hanna")
    assert api.client.get(f"/api/cases/{ref}/checklist", headers=auditor).json()["missing"] == [
        c for c in CRITERIA if c != "ia_law"
    ]
    before = dump(database_url)
    assert "ia_nope" in _error(
        api.client.post(f"/api/cases/{ref}/checklist/ia_nope/tick", headers=handler), 422, "invalid_input"
    )
    assert "ticked already" in _error(
        api.client.post(f"/api/cases/{ref}/checklist/ia_law/tick", headers=handler), 409, "not_allowed"
    )
    assert api.client.post(f"/api/cases/{ref}/checklist/ia_law/untick", headers=auditor).status_code == 403
    assert dump(database_url) == before
    left = api.client.post(f"/api/cases/{ref}/checklist/ia_law/untick", headers=handler)
    assert left.status_code == 200 and not any(line["ticked"] for line in left.json()["items"])


# -- the case's page ------------------------------------------------------------------------------


def _visible(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _post(site: Site, path: str, lang: str = "en") -> Any:
    token = site.csrf(f"/cases/{site.reference}?lang={lang}")
    return site.client.post(path, data={"csrf_token": token}, follow_redirects=False)


@pytest.fixture
def strict_site(sqlite_url: str, tmp_path: Path) -> Iterator[Site]:
    """The page tests' site on an NCP that requires complete checklists."""
    from workflow.rotation import sync_members

    settings = load_settings(strict_config(tmp_path), database_url=sqlite_url)
    services = bootstrap(settings)
    sync_members(uow=services.uow, clock=services.clock, settings=settings)
    with TestClient(create_app(services, secret="test-secret"), raise_server_exceptions=False) as client:
        yield Site(client, services, sqlite_url)
    services.close()


def _begin(site: Site) -> None:
    site.services.cases.advance(
        reference=site.reference, trigger="begin_assessment", actor="sek", reason="ok"
    )


def test_the_case_page_shows_the_stages_checklist_and_a_handler_ticks_an_item(site: Site) -> None:
    assert 'id="checklist"' not in site.client.get(f"/cases/{site.reference}").text  # received: none
    _begin(site)
    made = _post(site, f"/cases/{site.reference}/checklist/ia_link/tick")
    assert made.status_code == 303, made.text
    assert made.headers["location"] == f"/cases/{site.reference}#checklist"
    page = site.client.get(f"/cases/{site.reference}?lang=en").text
    words = _visible(page)
    assert "Checklist item ticked." in words
    assert "Checklist: Initial assessment" in words or "Checklist: initial assessment" in words
    assert re.search(
        r"Ticked Whether there is a link .* ticked \d{4}-\d\d-\d\d \d\d:\d\d CES?T by hanna", words
    )
    assert f'action="/cases/{site.reference}/checklist/ia_link/untick"' in page
    assert f'action="/cases/{site.reference}/checklist/ia_law/tick"' in page
    norsk = _visible(site.client.get(f"/cases/{site.reference}?lang=nb").text)
    assert "Om det er en sammenheng mellom virksomhetens aktiviteter" in norsk
    assert "Whether there is a link" not in norsk


def test_a_refused_tick_on_the_page_is_said_in_its_language_and_writes_nothing(site: Site) -> None:
    _begin(site)
    _post(site, f"/cases/{site.reference}/checklist/ia_link/tick")
    before = dump(site.url)
    again = _post(site, f"/cases/{site.reference}/checklist/ia_link/tick", lang="nb")
    assert again.status_code == 409
    assert "Om det er en sammenheng" in _visible(again.text)
    unknown = _post(site, f"/cases/{site.reference}/checklist/ia_nope/tick", lang="en")
    assert unknown.status_code == 422 and "ia_nope" in _visible(unknown.text)
    assert dump(site.url) == before


def test_a_reader_who_may_not_tick_sees_the_checklist_without_buttons_and_is_refused(site: Site) -> None:
    _begin(site)
    _post(site, f"/cases/{site.reference}/checklist/ia_identity/tick")
    site.sign_in_as("revisor", "auditor")
    page = site.client.get(f"/cases/{site.reference}?lang=en").text
    assert 'id="checklist"' in page and "/checklist/ia_identity/untick" not in page
    assert "ticked" in _visible(page) and "by hanna" in _visible(page)
    before = dump(site.url)
    token = site.csrf(f"/cases/{site.reference}")
    refused = site.client.post(
        f"/cases/{site.reference}/checklist/ia_law/tick", data={"csrf_token": token}, follow_redirects=False
    )
    assert refused.status_code == 403
    assert dump(site.url) == before


def test_with_checklists_required_the_page_refuses_accept_naming_the_missing_items_in_norwegian(
    strict_site: Site,
) -> None:
    site = strict_site
    _begin(site)
    page = _visible(site.client.get(f"/cases/{site.reference}?lang=nb").text)
    assert "Kreves før:" in page
    assert "Om behandling av saken vil bidra til retningslinjenes formål og effektivitet" in page
    before = dump(site.url)
    token = site.csrf(f"/cases/{site.reference}?lang=nb")
    refused = site.client.post(
        f"/cases/{site.reference}/advance",
        data={"csrf_token": token, "trigger": "accept", "reason": "fortjener videre behandling"},
        follow_redirects=False,
    )
    assert refused.status_code in (409, 422), refused.text
    words = _visible(refused.text)
    assert "Hvem klageren er, og klagerens interesse i saken" in words
    assert "still to tick" not in words and "ia_identity" not in words
    assert dump(site.url) == before
