"""Party links through the pages, the API and the command line (issue 15), on SQLite and
PostgreSQL: a handler issues, lists and revokes a party's link; the party, in a client of its own
with no session, opens its page under /p/{token}, reads its case in its words and sends a comment
and a document, audited with the party as actor. A link reaches its own case only; forged, altered,
expired and revoked links are refused with a page in the page's language and nothing written; a
protected other party's name never appears on a party's page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from states.pseudonyms import pseudonym
from tests.conftest import InProcessCli
from tests.dbdump import dump
from tests.e2e.test_api import Api, running_api
from tests.helpers import csrf_of
from workflow.audit import audit_entries
from workflow.clock import FixedClock

SECRET = "Kari Nordmann Fjordvern"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def _link_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The links' key from the environment: no key file beside config.toml (PostgreSQL)."""
    monkeypatch.setenv("NCPFLOW_PARTY_LINK_KEY", "a-test-key-of-at-least-32-bytes-long")


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    with running_api(database_url, clock) as made:
        yield made


class World:
    """A case whose confidential submitter's name sits in its free text, another case, a handler."""

    def __init__(self, api: Api, url: str) -> None:
        self.api, self.url = api, url
        self.handler = api.user("hanna", "handler")
        self.ref = api.open(
            self.handler,
            title=f"Tailings: {SECRET} says the dam leaks",
            submitters=[SECRET],
            confidential_submitter=True,
        )["reference"]
        self.other = api.open(self.handler, title="Salmon farm wages")["reference"]
        pause = api.client.post(
            f"/api/cases/{self.ref}/pause", json={"reason": f"{SECRET} asked for time"}, headers=self.handler
        )
        assert pause.status_code == 200, pause.text
        api.services.clock.advance(days=3)  # type: ignore[attr-defined]
        resumed = api.client.post(
            f"/api/cases/{self.ref}/resume", json={"reason": "ok"}, headers=self.handler
        )
        assert resumed.status_code == 200, resumed.text

    def issue(self, ref: str, party: str, **body: object) -> dict[str, object]:
        answer = self.api.client.post(
            f"/api/cases/{ref}/links", json={"party": party, **body}, headers=self.handler
        )
        assert answer.status_code == 201, answer.text
        issued: dict[str, object] = answer.json()
        return issued

    def party(self) -> TestClient:
        """A client of the party's own: no cookie of the handler's."""
        return TestClient(self.api.client.app, base_url="http://testserver")


@pytest.fixture
def world(api: Api, database_url: str) -> World:
    return World(api, database_url)


def path_of(issued: dict[str, object]) -> str:
    return "/p/" + str(issued["url"]).rsplit("/p/", 1)[1]


def test_a_party_opens_its_page_in_a_client_of_its_own_and_sends_a_comment_and_a_document(
    world: World,
) -> None:
    """No session: the page shows the case's reference and stage, private headers; the comment and
    the document are filed on the case as the party's, direction in, access parties."""
    issued = world.issue(world.ref, "enterprise-1", days=30)
    assert issued["state"] == "active" and str(issued["url"]).startswith("http://testserver/p/")
    party, page = world.party(), path_of(issued)
    shown = party.get(page)
    assert shown.status_code == 200, shown.text
    assert world.ref in shown.text and "Nordic Metals ASA" in shown.text
    assert shown.headers.get_list("referrer-policy") == ["no-referrer"]
    assert shown.headers["cache-control"] == "no-store" and shown.headers["x-robots-tag"] == "noindex"
    sent = party.post(
        f"{page}/comment",
        data={"text": "We disagree.", "csrf_token": csrf_of(shown.text)},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    form = party.get(page)
    assert "Kommentaren din er mottatt" in form.text  # the NCP's language (config.toml: nb)
    uploaded = party.post(
        f"{page}/document",
        data={"title": "Our reply", "csrf_token": csrf_of(form.text)},
        files={"file": ("reply.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert uploaded.status_code == 303, uploaded.text
    listed = world.api.client.get(f"/api/cases/{world.ref}/documents", headers=world.handler).json()
    assert [
        (d["title"], d["direction"], d["party"], d["access"], d["added_by"]) for d in listed["documents"]
    ] == [
        ("Comment from enterprise-1", "in", "enterprise-1", "parties", "party:enterprise-1"),
        ("Our reply", "in", "enterprise-1", "parties", "party:enterprise-1"),
    ]
    entries = [e for e in audit_entries(uow=world.api.services.uow) if e.kind == "document_added"]
    assert {(e.actor, e.reason) for e in entries} == {
        ("party:enterprise-1", f"through party link {issued['id']}")
    }


def test_a_party_page_speaks_the_contacts_language_or_the_one_asked_for(world: World) -> None:
    """With a Norwegian contact the page is in Norwegian; ?lang=en asks for English."""
    contact = world.api.client.post(
        f"/api/cases/{world.ref}/parties/enterprise-1/contacts",
        json={"name": "Ola", "email": "ola@metals.test", "language": "nb"},
        headers=world.handler,
    )
    assert contact.status_code == 201, contact.text
    page = path_of(world.issue(world.ref, "enterprise-1"))
    assert 'lang="nb"' in world.party().get(page).text
    assert 'lang="en"' in world.party().get(f"{page}?lang=en").text


def test_forms_without_the_browsers_token_are_refused_and_write_nothing(world: World) -> None:
    """A comment or document posted without (or with another browser's) CSRF token: 403, nothing written."""
    page = path_of(world.issue(world.ref, "enterprise-1"))
    other = world.party()
    token = csrf_of(other.get(page).text)
    before = dump(world.url)
    stranger = world.party()
    assert stranger.post(f"{page}/comment", data={"text": "x", "csrf_token": token}).status_code == 403
    assert stranger.post(f"{page}/comment", data={"text": "x"}).status_code == 403
    bare = stranger.post(f"{page}/document", data={"csrf_token": token}, files={"file": ("a.pdf", PDF)})
    assert bare.status_code == 403
    assert dump(world.url) == before


@pytest.mark.parametrize("how", ["one character", "signature swapped", "link number swapped", "cut short"])
def test_forged_and_altered_links_are_refused_with_a_page_in_its_language_and_nothing_written(
    world: World, how: str
) -> None:
    """Each altered token answers 404 with a Norwegian page for ?lang=nb; a post through it writes nothing."""
    first = path_of(world.issue(world.ref, "enterprise-1")).removeprefix("/p/")
    second = path_of(world.issue(world.other, "submitter-1")).removeprefix("/p/")
    payload, signature = first.rsplit(".", 1)
    other_payload, other_signature = second.rsplit(".", 1)
    token = {
        "one character": first[:5] + ("x" if first[5] != "x" else "y") + first[6:],
        "signature swapped": f"{payload}.{other_signature}",
        "link number swapped": f"{other_payload}.{signature}",
        "cut short": first[:-1],
    }[how]
    party = world.party()
    before = dump(world.url)
    refused = party.get(f"/p/{token}?lang=nb")
    assert refused.status_code == 404 and 'lang="nb"' in refused.text
    assert "Denne lenken åpner ikke" in refused.text and refused.headers["x-robots-tag"] == "noindex"
    posted = party.post(f"/p/{token}/comment", data={"text": "x", "csrf_token": "x"})
    assert posted.status_code == 404
    assert party.post(f"/p/{token}/document", files={"file": ("a.pdf", PDF)}).status_code == 404
    assert dump(world.url) == before


def test_an_expired_and_a_revoked_link_answer_410_and_write_nothing(world: World) -> None:
    """Past its days the link is expired; revoked through the API it is withdrawn: both 410."""
    short = world.issue(world.ref, "enterprise-1", days=1)
    kept = world.issue(world.ref, "submitter-1", days=30)
    party = world.party()
    world.api.services.clock.advance(days=1)  # type: ignore[attr-defined]
    expired = party.get(path_of(short))
    assert expired.status_code == 410 and "Denne lenken er utløpt" in expired.text
    assert party.get(path_of(kept)).status_code == 200
    revoked = world.api.client.post(
        f"/api/cases/{world.ref}/links/{kept['id']}/revoke", headers=world.handler
    )
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    before = dump(world.url)
    assert party.get(path_of(kept)).status_code == 410
    assert party.post(f"{path_of(kept)}/comment", data={"text": "x"}).status_code == 410
    assert dump(world.url) == before
    listed = world.api.client.get(f"/api/cases/{world.ref}/links", headers=world.handler).json()
    assert [(item["id"], item["state"]) for item in listed["links"]] == [
        (short["id"], "expired"),
        (kept["id"], "revoked"),
    ]
    assert all(item["url"] is None for item in listed["links"])


def test_a_link_reaches_its_own_case_only(world: World) -> None:
    """The party's client reaches no other case, no document by number, and no API route; the
    API answers a party's token 401; another case's link is revoked only through its own case."""
    issued = world.issue(world.ref, "enterprise-1")
    token = path_of(issued).removeprefix("/p/")
    party = world.party()
    assert party.get(f"/p/{token}").status_code == 200
    for path in (
        f"/cases/{world.other}",
        f"/cases/{world.ref}",
        f"/cases/{world.ref}/documents/1/content",
        f"/cases/{world.other}/parties",
    ):
        answer = party.get(path, follow_redirects=False)
        assert answer.status_code in (303, 401), path
    for path in ("/api/cases", f"/api/cases/{world.ref}", f"/api/cases/{world.other}/documents"):
        assert party.get(path).status_code == 401, path
        assert party.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 401, path
    assert party.get(f"/p/{token}/{world.other}").status_code == 404
    wrong = world.api.client.post(
        f"/api/cases/{world.other}/links/{issued['id']}/revoke", headers=world.handler
    )
    assert wrong.status_code == 422 and f"case {world.other} has no party link" in wrong.text


def test_a_protected_other_partys_name_never_appears_on_the_partys_pages(world: World) -> None:
    """The enterprise reads the confidential submitter (named in the title and a pause reason) by
    its pseudonym, in English, in Norwegian, after a refusal; the submitter reads itself by name."""
    page = path_of(world.issue(world.ref, "enterprise-1"))
    party = world.party()
    for shown in (party.get(page), party.get(f"{page}?lang=nb")):
        assert shown.status_code == 200 and SECRET not in shown.text
        assert "Kari" not in shown.text
    assert pseudonym(world.ref, SECRET).split()[-1] in party.get(page).text
    refused = party.post(f"{page}/comment", data={"text": " ", "csrf_token": csrf_of(party.get(page).text)})
    assert refused.status_code == 422 and SECRET not in refused.text
    own = world.party().get(path_of(world.issue(world.ref, "submitter-1")))
    assert SECRET in own.text


def test_the_handler_issues_lists_and_revokes_links_on_the_parties_page(api: Api, world: World) -> None:
    """Signed in, the handler issues a link (its address shown once), sees it listed and revokes it."""
    from tests.e2e.conftest import PASSWORD
    from tests.helpers import sign_in
    from workflow import users

    users.add_user(
        uow=api.services.uow,
        clock=api.services.clock,
        name="heidi",
        role="handler",
        actor="test",
        password=PASSWORD,
    )
    browser = world.party()
    assert sign_in(browser, "heidi", PASSWORD).status_code == 303
    here = f"/cases/{world.ref}/parties"
    issued = browser.post(
        f"{here}/links",
        data={"party": "enterprise-1", "days": "20", "csrf_token": csrf_of(browser.get(here).text)},
    )
    assert issued.status_code == 200, issued.text
    address = re.search(r'id="new-link" class="copyable" readonly value="([^"]+)"', issued.text)
    assert address and "/p/" in address.group(1)
    assert "new-link" not in browser.get(here).text  # shown once
    assert world.party().get(address.group(1).removeprefix("http://testserver")).status_code == 200
    bad = browser.post(
        f"{here}/links",
        data={"party": "enterprise-1", "days": "400", "csrf_token": csrf_of(browser.get(here).text)},
    )
    assert bad.status_code == 422 and "Gyldig i antall dager" in bad.text and 'value="400"' in bad.text
    revoked = browser.post(f"{here}/links/1/revoke", data={"csrf_token": csrf_of(browser.get(here).text)})
    assert revoked.status_code == 200 and "Lenke 1 til Virksomhet 1 er trukket tilbake" in revoked.text
    assert world.party().get(address.group(1).removeprefix("http://testserver")).status_code == 410


def test_links_through_the_command_line(ncp: InProcessCli, monkeypatch: pytest.MonkeyPatch) -> None:
    """issue (its address once), list as JSON, revoke; bad --days exit 2, writing nothing."""
    ref = ncp.json(
        "case", "open", "--title", "T", "--enterprise", "E AS", "--submitter", "S", "--json", "--actor", "sek"
    )["reference"]
    issued = ncp.json("link", "issue", ref, "enterprise-1", "--days", "5", "--json", "--actor", "sek")
    assert issued["state"] == "active" and "/p/" in issued["url"]
    listed = ncp.json("link", "list", ref, "--json")
    assert [(item["id"], item["party"], item["url"]) for item in listed["links"]] == [
        (issued["id"], "enterprise-1", None)
    ]
    bad = ncp("link", "issue", ref, "enterprise-1", "--days", "0")
    assert bad.returncode == 2 and "--days" in bad.stderr
    unknown = ncp("link", "issue", ref, "enterprise-7")
    assert unknown.returncode == 2 and "no party 'enterprise-7'" in unknown.stderr
    revoked = ncp("link", "revoke", ref, str(issued["id"]), "--actor", "sek")
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    assert len(ncp.json("link", "list", ref, "--json")["links"]) == 1


def _circulated(world: World) -> int:
    """An initial assessment drafted and circulated to the enterprise alone: its round's number."""
    app = world.api.services
    app.cases.advance(reference=world.ref, trigger="begin_assessment", actor="hanna", reason="complete")
    app.statements.draft(reference=world.ref, kind="initial_assessment", actor="hanna")
    return app.statements.circulate(
        reference=world.ref, statement=1, parties=["enterprise-1"], actor="hanna"
    ).number


def test_the_party_reads_the_draft_sent_to_it_and_comments_on_its_round(world: World) -> None:
    """The draft circulated to the enterprise is listed and downloaded as sent; its comment is the
    round's, via the link, with the party as actor; the submitter, not sent it, reaches neither."""
    number = _circulated(world)
    page = path_of(world.issue(world.ref, "enterprise-1"))
    party = world.party()
    shown = party.get(page)
    assert f"{page}/drafts/{number}" in shown.text
    pdf = party.get(f"{page}/drafts/{number}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["cache-control"] == "no-store" and pdf.headers.get_list("referrer-policy") == [
        "no-referrer"
    ]
    assert SECRET not in pdf.headers["content-disposition"]
    sent = party.post(
        f"{page}/rounds/{number}/comment",
        data={"text": "We have comments.", "csrf_token": csrf_of(shown.text)},
        files={"file": ("", b"")},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    [entry] = [e for e in audit_entries(uow=world.api.services.uow) if e.kind == "comment_received"]
    assert (entry.actor, entry.data["party"], entry.data["via"], entry.data["round"]) == (
        "party:enterprise-1",
        "enterprise-1",
        "link",
        number,
    )
    other = world.party()
    own_page = path_of(world.issue(world.ref, "submitter-1"))
    listed = other.get(own_page)
    assert f"/drafts/{number}" not in listed.text
    before = dump(world.url)
    assert other.get(f"{own_page}/drafts/{number}").status_code == 404
    refused = other.post(
        f"{own_page}/rounds/{number}/comment",
        data={"text": "Not mine", "csrf_token": csrf_of(listed.text)},
        files={"file": ("", b"")},
    )
    assert refused.status_code == 404
    for wrong in ("99", "0", "abc", "1.0"):
        assert party.get(f"{page}/drafts/{wrong}").status_code == 404, wrong
    assert dump(world.url) == before


def test_a_comment_with_the_file_input_left_empty_is_taken_as_text_alone(world: World) -> None:
    """A browser sends an empty file input as a part with `filename=""` and no bytes: that is no
    file, so the text alone is the comment (not "the file is empty")."""
    number = _circulated(world)
    page = path_of(world.issue(world.ref, "enterprise-1"))
    party = world.party()
    shown = party.get(page)
    boundary = "----browser-form-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf_of(shown.text)}\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\nOnly words.\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n",
        f"--{boundary}--\r\n",
    ]
    sent = party.post(
        f"{page}/rounds/{number}/comment",
        content="".join(parts).encode(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    [entry] = [e for e in audit_entries(uow=world.api.services.uow) if e.kind == "comment_received"]
    assert "document" not in entry.data and entry.actor == "party:enterprise-1"


def test_a_comment_on_a_closed_round_is_refused_on_the_page_and_writes_nothing(world: World) -> None:
    """Once the round is closed the page says so, and a late comment is refused (422), nothing written."""
    number = _circulated(world)
    page = path_of(world.issue(world.ref, "enterprise-1"))
    party = world.party()
    token = csrf_of(party.get(page).text)
    world.api.services.statements.close(reference=world.ref, round=number, actor="hanna")
    before = dump(world.url)
    late = party.post(
        f"{page}/rounds/{number}/comment",
        data={"text": "Late", "csrf_token": token},
        files={"file": ("", b"")},
    )
    assert late.status_code == 422 and 'lang="nb"' in late.text
    assert dump(world.url) == before
