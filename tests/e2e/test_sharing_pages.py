"""Sharing a case in the browser and through the API, between two NCPs' sites (each its own
database and key), on SQLite and PostgreSQL: the sharing page offers the peers and the shareable
documents (the others named as not shareable, with why), asks first, then answers the signed
bundle as a download; the other NCP takes it in by upload and its case page shows the sender's
case as a parallel related instance and the bundle; the sender's case learns the recipient's
reference from the bundle back. Every refusal is named in the page's language (or the API's
422) and nothing is written."""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from states.signatures import Signer
from tests.conftest import make_settings
from tests.dbdump import dump
from tests.helpers import csrf_of, open_one, sign_in
from workflow import users
from workflow.bootstrap import Services, bootstrap
from workflow.cases import advance
from workflow.clock import FixedClock

PASSWORD = "correct horse battery"
PDF = b"%PDF-1.4\n% a complaint\n%%EOF\n"


@dataclass
class Side:
    code: str
    services: Services
    client: TestClient
    url: str
    token: str

    def csrf(self, path: str) -> str:
        return csrf_of(self.client.get(path).text)

    @property
    def api(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def _side(
    url: str, code: str, folder: Path, peer: str, peer_folder: Path, clock: FixedClock, **sections: Any
) -> Side:
    settings = make_settings(
        url,
        ncp={"country": code, "name": f"NCP {code}", "reference_prefix": code},
        audit={"signing_key_file": str(folder / "signing.pem")},
        peers=[{"ncp": peer, "name": f"NCP {peer}", "public_key_file": str(peer_folder / "public.pem")}],
        **sections,
    )
    services = bootstrap(settings, clock=clock)
    made = users.add_user(
        uow=services.uow, clock=clock, name="hanna", role="handler", actor="test", password=PASSWORD
    )
    client = TestClient(create_app(services, secret=f"test-secret-{code}"), raise_server_exceptions=False)
    client.__enter__()
    assert sign_in(client, "hanna", PASSWORD).status_code == 303
    assert client.get("/?lang=en").status_code == 200
    return Side(code, services, client, url, made.token or "")


def _pair(
    database_url: str, other_database_url: str, tmp_path: Path, clock: FixedClock, **se_sections: Any
) -> Iterator[tuple[Side, Side]]:
    no, se = tmp_path / "no", tmp_path / "se"
    for folder in (no, se):
        folder.mkdir()
        signer = Signer.generate()
        (folder / "signing.pem").write_text(signer.private_pem())
        (folder / "public.pem").write_text(signer.public_pem())
    a = _side(database_url, "NO", no, "SE", se, clock)
    b = _side(other_database_url, "SE", se, "NO", no, clock, **se_sections)
    yield a, b
    for side in (a, b):
        side.client.__exit__(None, None, None)
        side.services.close()


@pytest.fixture
def sides(
    database_url: str, other_database_url: str, tmp_path: Path, clock: FixedClock
) -> Iterator[tuple[Side, Side]]:
    """Norway's and Sweden's sites, each knowing the other's key, a handler signed in on each."""
    yield from _pair(database_url, other_database_url, tmp_path, clock)


SMALL = 1000  # bytes: less than any bundle


@pytest.fixture
def small(
    database_url: str, other_database_url: str, tmp_path: Path, clock: FixedClock
) -> Iterator[tuple[Side, Side]]:
    """`sides`, Sweden taking in bundles of at most `SMALL` bytes (`[sharing] max_bundle_bytes`)."""
    yield from _pair(database_url, other_database_url, tmp_path, clock, sharing={"max_bundle_bytes": SMALL})


def _document(side: Side, reference: str, access: str, title: str) -> int:
    return side.services.documents.add(
        reference=reference,
        source=[PDF + title.encode()],
        filename="complaint.pdf",
        title=title,
        direction="in",
        access=access,
        actor="hanna",
    ).number


def _share(side: Side, ref: str, **form: Any) -> Any:
    at = f"/cases/{ref}/sharing"
    return side.client.post(at, data={**form, "csrf_token": side.csrf(at)})


def _receive(side: Side, raw: bytes, lang: str = "en") -> Any:
    token = side.csrf(f"/sharing?lang={lang}")
    return side.client.post(
        "/sharing/receive",
        data={"csrf_token": token},
        files={"bundle": ("case.bundle.json", raw, "application/json")},
        follow_redirects=True,
    )


def test_a_case_is_shared_from_its_page_after_a_confirmation_and_received_by_upload_at_the_other_ncp(
    sides: tuple[Side, Side],
) -> None:
    a, b = sides
    ref = open_one(a.services, actor="hanna")
    shareable = _document(a, ref, "parties", "The complaint")
    internal = _document(a, ref, "ncp", "Our assessment")
    page = a.client.get(f"/cases/{ref}/sharing").text
    assert "Sweden (SE) · NCP SE" in page and f'value="{shareable}"' in page
    assert f'value="{internal}"' not in page and 'id="not-shareable"' in page and "NCP-internal" in page
    assert 'id="sharing-link"' in a.client.get(f"/cases/{ref}/ncps").text
    before = dump(a.url)
    asked = _share(a, ref, to="SE", documents=[str(shareable)])
    assert asked.status_code == 200 and "Share the case with Sweden (SE)?" in asked.text
    assert "1. The complaint" in asked.text and dump(a.url) == before
    back = _share(a, ref, to="SE", documents=[str(shareable)], confirm="back")
    assert back.status_code == 200 and "checked" in back.text and dump(a.url) == before
    done = _share(a, ref, to="SE", documents=[str(shareable)], confirm="yes")
    assert done.status_code == 200 and "attachment" in done.headers["content-disposition"]
    raw = done.content
    sha256 = hashlib.sha256(raw).hexdigest()
    assert done.headers["x-bundle-sha256"] == sha256 and json.loads(raw)["payload"]["to"]["ncp"] == "SE"
    case_page = a.client.get(f"/cases/{ref}").text
    assert 'id="case-bundles"' in case_page and sha256 in case_page and "Shared, sent to" in case_page

    got = _receive(b, raw)
    assert got.status_code == 200 and f"opened from NO's {ref} (bundle 1)" in html.unescape(got.text)
    (local,) = b.services.cases.references()
    assert got.url.path == f"/cases/{local}/sharing" and sha256 in got.text
    there = b.client.get(f"/cases/{local}").text
    assert "Parallel complaint" in there and ref in there and "received from" in there
    assert [link.relation for link in b.services.case_links.list(reference=local).links] == ["parallel"]
    assert b.services.documents.list(reference=local).documents[0].title == "The complaint"

    answer = _share(b, local, to="NO", confirm="yes")
    assert answer.status_code == 200
    home = _receive(a, answer.content)
    assert home.status_code == 200 and f"Case {ref} updated from SE's {local}" in html.unescape(home.text)
    (link,) = a.services.case_links.list(reference=ref).links
    assert (link.ncp, link.external_reference, link.relation) == ("SE", local, "parallel")
    assert local in a.client.get(f"/cases/{ref}").text
    again = _share(a, ref, to="SE", confirm="yes")
    assert _receive(b, again.content).status_code == 200
    assert len(b.services.case_links.list(reference=local).links) == 1  # never twice
    assert a.services.audit.verify_chain().ok and b.services.audit.verify_chain().ok


def test_each_refused_share_is_named_on_the_page_in_its_language_and_writes_nothing(
    sides: tuple[Side, Side],
) -> None:
    a, _ = sides
    ref = open_one(a.services, actor="hanna")
    internal = _document(a, ref, "ncp", "Our assessment")
    before = dump(a.url)
    restricted = _share(a, ref, to="SE", documents=[str(internal)], confirm="yes")
    assert (
        restricted.status_code == 422
        and "another NCP may receive only public or parties documents" in restricted.text
    )
    unknown = _share(a, ref, to="XX", confirm="yes")
    assert unknown.status_code == 422 and "(Share with): XX is not a known NCP" in unknown.text
    itself = _share(a, ref, to="NO")
    assert itself.status_code == 422 and "is this NCP itself" in itself.text
    missing = _share(a, ref, to="SE", documents=["9"], confirm="yes")
    assert missing.status_code == 422 and "has no document 9" in missing.text
    many = _share(a, ref, to="SE", documents=[str(internal)] * 201)
    assert many.status_code == 422 and "Documents: at most 200" in many.text
    bad = _share(a, ref, to="SE", documents=["two"])
    assert bad.status_code == 422 and "Documents" in bad.text
    a.client.get(f"/cases/{ref}?lang=nb")
    norsk = _share(a, ref, to="XX", confirm="yes")
    assert norsk.status_code == 422 and "(Del med): XX" in norsk.text and "is not a known" not in norsk.text
    assert dump(a.url) == before


def test_each_refused_bundle_is_named_in_the_pages_language_and_nothing_is_taken_in(
    sides: tuple[Side, Side],
) -> None:
    a, b = sides
    ref = open_one(a.services, actor="hanna")
    raw = _share(a, ref, to="SE", confirm="yes").content
    before = dump(b.url)
    tampered = raw.replace(b"Fish farm", b"Fish form")
    said = _receive(b, tampered)
    assert said.status_code == 422 and "it was changed" in said.text
    assert _receive(b, b"not json at all").status_code == 422
    empty = b.client.post("/sharing/receive", data={"csrf_token": b.csrf("/sharing")}, follow_redirects=True)
    assert empty.status_code == 422 and "Bundle file" in empty.text
    norsk = _receive(b, tampered, lang="nb")
    assert norsk.status_code == 422 and "den er endret" in norsk.text and "tampered" not in norsk.text
    assert dump(b.url) == before
    assert _receive(b, raw).status_code == 200
    after = dump(b.url)
    replayed = _receive(b, raw)
    assert replayed.status_code == 422 and "was received already" in replayed.text and dump(b.url) == after


def test_the_api_shares_lists_and_receives_bundles_as_the_command_line_does(
    sides: tuple[Side, Side],
) -> None:
    a, b = sides
    ref = open_one(a.services, actor="hanna")
    made = a.client.post(f"/api/cases/{ref}/bundles", json={"to": "SE"}, headers=a.api)
    assert made.status_code == 201, made.text
    sha256 = hashlib.sha256(made.content).hexdigest()
    assert made.headers["x-bundle-sha256"] == sha256
    listed = a.client.get(f"/api/cases/{ref}/bundles", headers=a.api).json()
    assert [(x["direction"], x["peer"], x["sha256"]) for x in listed["bundles"]] == [("sent", "SE", sha256)]
    before_a = dump(a.url)
    unknown = a.client.post(f"/api/cases/{ref}/bundles", json={"to": "XX"}, headers=a.api)
    assert unknown.status_code == 422 and "not a known NCP" in unknown.json()["detail"]
    extra = a.client.post(f"/api/cases/{ref}/bundles", json={"to": "SE", "x": 1}, headers=a.api)
    assert extra.status_code == 422 and dump(a.url) == before_a
    before_b = dump(b.url)
    tampered = b.client.post("/api/bundles", content=made.content.replace(b"Fish", b"Fisk"), headers=b.api)
    assert tampered.status_code == 422 and tampered.json()["error"] == "bundle_refused"
    assert tampered.json()["detail"].startswith("tampered") and dump(b.url) == before_b
    got = b.client.post("/api/bundles", content=made.content, headers=b.api)
    assert got.status_code == 201 and got.json()["opened"] and got.json()["sender_reference"] == ref
    replay = b.client.post("/api/bundles", content=made.content, headers=b.api)
    assert replay.status_code == 422 and replay.json()["detail"].startswith("replayed")
    auditor = users.add_user(
        uow=b.services.uow, clock=b.services.clock, name="aud", role="auditor", actor="t"
    )
    refused = b.client.post(
        "/api/bundles", content=made.content, headers={"Authorization": f"Bearer {auditor.token}"}
    )
    assert refused.status_code == 403


def test_a_bundle_larger_than_the_configured_limit_is_refused_with_413_on_the_api_and_the_page(
    small: tuple[Side, Side],
) -> None:
    """Over `[sharing] max_bundle_bytes`: 413 naming the limit and the key, in the page's
    language too, and nothing taken in; by its Content-Length or, without one, as it arrives."""
    a, b = small
    ref = open_one(a.services, actor="hanna")
    raw = _share(a, ref, to="SE", confirm="yes").content
    assert len(raw) > SMALL
    before = dump(b.url)
    api = b.client.post("/api/bundles", content=raw, headers=b.api)
    assert api.status_code == 413, api.text
    assert api.json() == {
        "error": "too_large",
        "detail": "the bundle file (bundle) is larger than 1 kB, the most a bundle may be "
        "([sharing] max_bundle_bytes)",
    }
    chunked = b.client.post("/api/bundles", content=iter([raw[:600], raw[600:]]), headers=b.api)
    assert chunked.status_code == 413 and chunked.json()["error"] == "too_large"
    page = _receive(b, raw)
    assert page.status_code == 413
    assert "larger than 1 kB, the most a bundle may be ([sharing] max_bundle_bytes)" in html.unescape(
        page.text
    )
    norsk = _receive(b, raw, lang="nb")
    assert norsk.status_code == 413 and "larger than" not in norsk.text
    assert "[sharing] max_bundle_bytes" in html.unescape(norsk.text)
    assert dump(b.url) == before


def test_the_api_stops_reading_a_bundle_body_once_it_passes_the_limit(small: tuple[Side, Side]) -> None:
    """A body without a Content-Length is read only until it passes the limit: the server asks
    for no more of it, and answers 413."""
    _, b = small
    chunk = b"x" * 100
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        if pulled > 1000:  # the whole body would be 100 kB
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/bundles",
        "raw_path": b"/api/bundles",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {b.token}".encode())],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    before = dump(b.url)
    anyio.run(b.client.app, scope, receive, send)  # type: ignore[arg-type]
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 413
    assert pulled <= SMALL // len(chunk) + 2
    assert dump(b.url) == before


def _asked_to_review(a: Side) -> str:
    """A case at NO that SE reviews drafts of, with a draft NO asked SE to review."""
    ref = open_one(a.services, actor="hanna")
    a.services.ncps.add_supporting(reference=ref, ncp="SE", role="reviews_drafts", actor="hanna")
    advance(
        uow=a.services.uow, clock=a.services.clock, policy=a.services.policy, reference=ref,
        trigger="begin_assessment", actor="hanna", reason="complete",
    )  # fmt: skip
    a.services.statements.draft(reference=ref, kind="initial_assessment", actor="hanna")
    a.services.ncps.request_review(reference=ref, statement=1, actor="hanna")
    return ref


def test_a_review_comment_and_a_handover_are_sent_from_the_sharing_form_after_a_confirmation(
    sides: tuple[Side, Side],
) -> None:
    """SE answers NO's review task from its sharing form (the comment on the confirmation page);
    NO takes it in and the task is answered; NO then hands the lead over from the same form (the
    confirmation names it), its case takes the transfer step, and SE leads once it takes it in."""
    a, b = sides
    ref = _asked_to_review(a)
    local = b.client.post(
        "/api/bundles", content=_share(a, ref, to="SE", confirm="yes").content, headers=b.api
    )
    assert local.status_code == 201, local.text
    theirs = local.json()["reference"]
    comment = "Agree; paragraph 4 should\r\nname the host country."
    form = {"to": "NO", "review_comment": comment, "review_statement": "1"}
    asked = _share(b, theirs, **form)
    assert asked.status_code == 200, asked.text
    said = html.unescape(asked.text)
    assert "Review comment" in said and "paragraph 4 should" in said and "on draft 1" in said
    assert 'name="review_comment"' in asked.text and 'name="handover"' not in asked.text
    back = _share(b, theirs, **form, confirm="back")
    assert "paragraph 4 should\nname the host country." in html.unescape(back.text)
    sent = _share(b, theirs, **form, confirm="yes")
    assert sent.status_code == 200 and "attachment" in sent.headers["content-disposition"]
    (review,) = json.loads(sent.content)["payload"]["reviews"]
    assert (review["comment"], review["statement"]) == (
        "Agree; paragraph 4 should\nname the host country.",
        1,
    )
    assert a.client.post("/api/bundles", content=sent.content, headers=a.api).status_code == 201
    (answered,) = a.services.ncps.show(reference=ref).reviews
    assert answered.comment == "Agree; paragraph 4 should\nname the host country."

    handover = {"to": "SE", "handover": "yes", "reason": "SE leads from now"}
    asked = _share(a, ref, **handover)
    assert asked.status_code == 200 and "Hand the lead over to Sweden (SE)?" in asked.text
    assert "SE leads from now" in asked.text and "transfer step" in asked.text
    done = _share(a, ref, **handover, confirm="yes")
    assert done.status_code == 200 and json.loads(done.content)["payload"]["kind"] == "handover"
    case = a.services.cases.get(reference=ref)
    assert (case.state, case.outcome) == ("closed", "transferred")
    assert a.services.ncps.show(reference=ref).lead == ["SE"]
    assert b.client.post("/api/bundles", content=done.content, headers=b.api).status_code == 201
    assert b.services.ncps.show(reference=theirs).lead == ["SE"]


@pytest.mark.parametrize(
    ("form", "en", "nb"),
    [
        ({"handover": "yes"}, "Why the lead is handed over", "Hvorfor ledelsen overlates"),
        ({"handover": "yes", "reason": "   "}, "Why the lead is handed over", "Hvorfor ledelsen overlates"),
        ({"review_statement": "1"}, "Draft number", "Utkastnummer"),
        ({"review_comment": "A comment", "review_statement": "x"}, "Draft number", "Utkastnummer"),
        ({"review_comment": "x" * 20_001}, "Review comment", "Merknad fra gjennomlesing"),
    ],
)
def test_a_handover_without_its_reason_or_a_bad_review_comment_is_named_and_nothing_is_written(
    sides: tuple[Side, Side], form: dict[str, str], en: str, nb: str
) -> None:
    """Refused on the form (422, the field named by its label in the page's language), at the
    check and at Confirm alike; no bundle, no entry, the case as it was."""
    a, _ = sides
    ref = open_one(a.services, actor="hanna")
    before = dump(a.url)
    for confirm in ("", "yes"):
        refused = _share(a, ref, to="SE", **form, confirm=confirm)
        assert refused.status_code == 422, refused.text
        assert en in html.unescape(refused.text) and "attachment" not in refused.headers.get(
            "content-disposition", ""
        )
    at = f"/cases/{ref}/sharing?lang=nb"
    norsk = a.client.post(at, data={"to": "SE", **form, "csrf_token": a.csrf(at)})
    assert norsk.status_code == 422 and nb in html.unescape(norsk.text)
    assert dump(a.url) == before
    assert a.services.cases.get(reference=ref).state == "received"


def test_the_api_hands_the_lead_over_and_refuses_a_draft_number_without_a_comment(
    sides: tuple[Side, Side],
) -> None:
    """`POST /api/cases/{ref}/bundles` takes `handover` with `reason`, and `review_comment` with
    `review_statement`, as `case share` does; a refusal is 422 naming the field, nothing written."""
    a, _ = sides
    ref = open_one(a.services, actor="hanna")
    before = dump(a.url)
    for body, field in (
        ({"to": "SE", "review_statement": 1}, "review_statement"),
        ({"to": "SE", "handover": True}, "reason"),
    ):
        refused = a.client.post(f"/api/cases/{ref}/bundles", json=body, headers=a.api)
        assert refused.status_code == 422, refused.text
        assert field in refused.json().get("fields", []), refused.json()
    assert dump(a.url) == before
    done = a.client.post(
        f"/api/cases/{ref}/bundles", json={"to": "SE", "handover": True, "reason": "SE leads"}, headers=a.api
    )
    assert done.status_code == 201, done.text
    assert json.loads(done.content)["payload"]["kind"] == "handover"
    assert a.services.ncps.show(reference=ref).lead == ["SE"]
