"""The statements page over HTTP (no browser), the JSON API and the command line: draft, upload an
edited DOCX, circulate with checkboxes and days, log a comment with a document, close, publish
after a confirmation; refusals in English and Norwegian keeping what was typed, writing nothing."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dbdump import dump
from tests.e2e.conftest import Site
from tests.e2e.test_api import Api, running_api
from tests.helpers import csrf_of
from workflow.clock import FixedClock

ALERT = re.compile(r'role="alert"><strong>[^<]*</strong>\s*(.*?)</div>', re.S)
FLASH = re.compile(r'role="status">(.*?)</div>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


def page_of(site: Site, lang: str = "en") -> str:
    answer = site.client.get(f"/cases/{site.reference}/statements?lang={lang}")
    assert answer.status_code == 200, answer.text[-2000:]
    return answer.text


def post(
    site: Site, path: str, lang: str = "en", files: dict[str, tuple[str, bytes]] | None = None, **form: object
) -> tuple[int, str]:
    """A form of the statements page sent; its status and page (a redirect followed)."""
    token = csrf_of(page_of(site, lang))
    answer = site.client.post(
        f"/cases/{site.reference}{path}?lang={lang}",
        data={**form, "csrf_token": token},
        files=files,
        follow_redirects=False,
    )
    if answer.status_code == 303:
        return 303, site.client.get(answer.headers["location"].split("#")[0]).text
    return answer.status_code, answer.text


def flash(page: str) -> str:
    found = FLASH.search(page)
    return html.unescape(found.group(1)).strip() if found else ""


def alert(page: str) -> str:
    found = ALERT.search(page)
    return html.unescape(re.sub(r"\s+", " ", found.group(1))).strip() if found else ""


def advance(site: Site, *steps: tuple[str, str | None]) -> None:
    for trigger, outcome in steps:
        site.services.cases.advance(
            reference=site.reference, trigger=trigger, actor="test", reason="step", outcome=outcome
        )


def test_a_statement_is_drafted_circulated_commented_closed_and_published_from_its_page(site: Site) -> None:
    """The page linked from the case; each form, its flash naming what was saved; publishing
    asks first (asking writes nothing) and then fires the step."""
    ref = site.reference
    app = site.services
    app.parties.add_contact(
        reference=ref, party="enterprise-1", actor="t", name="CEO", email="ceo@example.org"
    )
    advance(site, ("begin_assessment", None), ("accept", None), ("examine", "no_agreement"))
    assert f'href="/cases/{ref}/statements"' in site.client.get(f"/cases/{ref}").text
    status, page = post(site, "/statements", kind="final_statement", language="nb")
    assert status == 303 and flash(page).startswith("Statement 1 drafted: final statement")
    pdf = site.client.get(f"/cases/{ref}/documents/2/content")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    word = site.client.get(f"/cases/{ref}/documents/1/content").content
    status, page = post(site, "/statements/1/docx", files={"file": ("edited.docx", word)})
    assert status == 303 and "new version" in flash(page) and "version 2" in page
    status, page = post(site, "/statements/1/circulate", parties=["enterprise-1"], days="10")
    assert status == 303 and "to enterprise 1" in flash(page) and 'id="round-1"' in page
    status, page = post(
        site, "/rounds/1/comments", files={"file": ("note.pdf", b"%PDF-1.4\n% note\n")},
        party="enterprise-1", via="email", text="Please soften paragraph 2.",
    )  # fmt: skip
    assert status == 303 and flash(page) == "Comment 1 from enterprise 1 logged in round 1."
    assert "Please soften paragraph 2." in page and "document 3" in page
    status, page = post(
        site, "/rounds/1/comments", party="enterprise-1", via="post", text="And another.", file=""
    )
    assert status == 303 and flash(page).startswith("Comment 2")
    from tests.e2e.nb_check import leaks

    open_round = page_of(site, "nb")  # every form shown: a draft, an open round, its comments
    assert "Send utkastet på høring" in open_round and not leaks(open_round, norwegian=True)
    status, page = post(site, "/rounds/1/close")
    assert status == 303 and flash(page) == "Comment round 1 closed."
    advance(site, ("conclude", "determination"))
    before = dump(site.url)
    status, page = post(site, "/statements/1/publish", trigger="close")
    assert status == 200 and "Publish statement 1?" in page and dump(site.url) == before
    hidden = dict(HIDDEN.findall(page))
    answer = site.client.post(f"/cases/{ref}/statements/1/publish", data={**hidden, "confirm": "yes"})
    assert answer.status_code == 200 and "its PDF is a public document" in flash(answer.text)
    assert app.cases.get(reference=ref).state == "closed"
    story = site.client.get(f"/cases/{ref}?kind=statement").text
    assert "Statement 1 published" in story and "circulated for comment (round 1)" in story


def test_refusals_name_the_field_in_the_pages_language_keep_the_input_and_write_nothing(site: Site) -> None:
    """No party ticked, days out of bounds, a closed round closed again: a 4xx page naming the
    field by its label (in Norwegian on a Norwegian page), what was typed kept, nothing written."""
    advance(site, ("begin_assessment", None))
    post(site, "/statements", kind="initial_assessment")
    before = dump(site.url)
    status, page = post(site, "/statements/1/circulate", parties=["submitter-1"], days="91")
    assert status == 422 and "Days to comment" in alert(page) and 'value="91"' in page
    status, page = post(site, "/statements/1/circulate", "nb", days="14")
    assert status == 422 and "Parter" in alert(page)
    status, page = post(site, "/statements", "nb", kind="follow_up")
    assert status == 422 and "uttalelsestype" in alert(page).lower()
    assert dump(site.url) == before
    post(site, "/statements/1/circulate", parties=["submitter-1"], days="14")
    post(site, "/rounds/1/close")
    before = dump(site.url)
    status, page = post(site, "/rounds/1/close", "nb")
    assert status == 409 and "allerede avsluttet" in alert(page)
    assert dump(site.url) == before


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as made:
        yield made


def test_the_api_drafts_circulates_comments_closes_and_publishes_as_each_role_may(api: Api) -> None:
    """The JSON routes, each answering the case's statements; an auditor may neither read (the
    comments are NCP-internal) nor draft (403); a refusal is a 422 naming the field."""
    handler, auditor = api.user("hanna", "handler"), api.user("revisor", "auditor")
    ref = api.open(handler)["reference"]
    api.services.cases.advance(reference=ref, trigger="begin_assessment", actor="t", reason="ok")
    base = f"/api/cases/{ref}"
    made = api.client.post(f"{base}/statements", json={"kind": "initial_assessment"}, headers=handler)
    assert made.status_code == 201, made.text
    assert api.client.get(f"{base}/statements", headers=auditor).status_code == 403
    denied = api.client.post(f"{base}/statements", json={"kind": "initial_assessment"}, headers=auditor)
    assert denied.status_code == 403
    body = {"parties": ["submitter-1"], "days": 0}
    bad = api.client.post(f"{base}/statements/1/circulate", json=body, headers=handler)
    assert bad.status_code == 422 and "days" in bad.json()["fields"]
    body["days"] = 7
    held = api.client.post(f"{base}/statements/1/circulate", json=body, headers=handler)
    assert held.status_code == 201 and held.json()["rounds"][0]["parties"] == ["submitter-1"]
    comment = {"party": "submitter-1", "via": "email", "text": "ok"}
    said = api.client.post(f"{base}/rounds/1/comments", json=comment, headers=handler)
    assert said.status_code == 201 and said.json()["comments"][0]["text"] == "ok"
    assert api.client.post(f"{base}/rounds/1/close", headers=handler).status_code == 200
    again = api.client.post(f"{base}/rounds/1/close", headers=handler)
    assert again.status_code == 409 and "already closed" in again.json()["detail"]
    api.services.cases.advance(reference=ref, trigger="accept", actor="t", reason="ok")
    done = api.client.post(f"{base}/statements/1/publish", json={}, headers=handler)
    assert done.status_code == 200 and done.json()["statements"][0]["fired"] == "fact:assessment_published"


def test_the_command_line_drafts_circulates_and_refuses_naming_the_flag(tmp_path: Path) -> None:
    """`statement draft|circulate|comment|close|publish|list`; a refusal names the flag, exit 2."""
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/ncp.db"\n', encoding="utf-8")

    def ncp(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ncpflow", "--config", str(config), *args],
            capture_output=True, text=True, check=False,
        )  # fmt: skip

    assert ncp("init").returncode == 0
    opened = ncp(
        "case", "open", "--title", "T", "--submitter", "S", "--enterprise", "E", "--actor", "a",
        "--received", "2025-01-31", "--json",
    )  # fmt: skip
    ref = json.loads(opened.stdout)["reference"]
    assert ncp("case", "advance", ref, "begin_assessment", "--actor", "a", "--reason", "ok").returncode == 0
    bad = ncp("statement", "draft", ref, "--kind", "apology", "--actor", "a")
    assert bad.returncode == 2 and "--kind" in bad.stderr
    assert ncp("statement", "draft", ref, "--kind", "initial_assessment", "--actor", "a").returncode == 0
    bad = ncp("statement", "circulate", ref, "1", "--party", "submitter-1", "--days", "0", "--actor", "a")
    assert bad.returncode == 2 and "--days" in bad.stderr
    shown = ncp("statement", "circulate", ref, "1", "--party", "submitter-1", "--actor", "a")
    assert shown.returncode == 0 and "round 1" in shown.stdout, shown.stderr
    note = tmp_path / "comment.pdf"
    note.write_bytes(b"%PDF-1.4\n% c\n")
    said = ncp(
        "statement", "comment", ref, "1", "--party", "submitter-1", "--via", "post", "--document", str(note),
        "--actor", "a",
    )  # fmt: skip
    assert said.returncode == 0 and "comment 1 (round 1) from submitter-1 by post" in said.stdout
    assert ncp("statement", "close", ref, "1", "--actor", "a").returncode == 0
    again = ncp("statement", "close", ref, "1", "--actor", "a")
    assert again.returncode != 0 and "already closed" in again.stderr
    listed = ncp("statement", "list", ref, "--json")
    assert json.loads(listed.stdout)["rounds"][0]["open"] is False
