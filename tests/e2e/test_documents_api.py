"""The documents API on SQLite and PostgreSQL: a multipart upload streamed into the database and a
download streamed back byte for byte (40 MB), as an attachment that never runs; every refusal a
422 that writes nothing; each role sees what the permission table gives it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ncpflow.web.app import create_app
from tests.conftest import ROOT
from tests.dbdump import Dumper
from tests.e2e.test_api import Api
from workflow.bootstrap import bootstrap
from workflow.clock import FixedClock
from workflow.config import DocumentsSection, load_settings
from workflow.rotation import sync_members

PDF = b"%PDF-1.7\n" + b"report " * 200 + b"\n%%EOF\n"


@contextmanager
def _api(database_url: str, clock: FixedClock, **documents: Any) -> Iterator[Api]:
    settings = load_settings(ROOT / "config.toml", database_url=database_url)
    if documents:
        settings = settings.model_copy(update={"documents": DocumentsSection(**documents)})
    services = bootstrap(settings, clock=clock)
    sync_members(uow=services.uow, clock=clock, settings=settings)
    with TestClient(create_app(services, secret="test-secret")) as client:
        yield Api(client, services)
    services.close()


def _post(api: Api, ref: str, headers: dict[str, str], content: bytes, name: str, **fields: str) -> Any:
    data = {"title": "Report", "direction": "in", "access": "public", **fields}
    return api.client.post(
        f"/api/cases/{ref}/documents", headers=headers, data=data, files={"file": (name, content)}
    )


def test_a_40_mb_upload_downloads_byte_for_byte(database_url: str, clock: FixedClock) -> None:
    """Uploaded as multipart and streamed back: the same bytes, hash and length (both backends)."""
    content = os.urandom(40 * 2**20)
    with _api(database_url, clock) as api:
        handler = api.user("hanna", "handler")
        ref = api.open(handler)["reference"]
        answer = _post(api, ref, handler, content, "survey.bin", title="Drone survey")
        assert answer.status_code == 201, answer.text
        assert answer.json()["sha256"] == hashlib.sha256(content).hexdigest()
        digest, size = hashlib.sha256(), 0
        with api.client.stream("GET", f"/api/cases/{ref}/documents/1/content", headers=handler) as got:
            assert got.status_code == 200
            assert got.headers["content-length"] == str(len(content))
            for chunk in got.iter_bytes():
                digest.update(chunk)
                size += len(chunk)
        assert (digest.hexdigest(), size) == (hashlib.sha256(content).hexdigest(), len(content))


def test_a_download_is_an_attachment_that_never_runs(database_url: str, clock: FixedClock) -> None:
    """HTML and SVG go as application/octet-stream, sandboxed, nosniff, with the name in RFC 6266
    form (an ASCII fallback and the UTF-8 name)."""
    with _api(database_url, clock) as api:
        handler = api.user("hanna", "handler")
        ref = api.open(handler)["reference"]
        page = b"<html><script>alert(1)</script></html>"
        assert _post(api, ref, handler, page, "Svar frå bedrifta.html").status_code == 201
        assert _post(api, ref, handler, b"<svg onload='alert(1)'/>", "logo.svg").status_code == 201
        assert _post(api, ref, handler, PDF, "report.pdf").status_code == 201
        first = api.client.get(f"/api/cases/{ref}/documents/1/content", headers=handler)
        assert first.content == page
        assert first.headers["content-type"] == "application/octet-stream"
        assert first.headers["x-content-type-options"] == "nosniff"
        assert first.headers["content-security-policy"] == "sandbox"
        assert first.headers["content-disposition"] == (
            'attachment; filename="Svar fr_ bedrifta.html"; '
            "filename*=UTF-8''Svar%20fr%C3%A5%20bedrifta.html"
        )
        svg = api.client.get(f"/api/cases/{ref}/documents/2/content", headers=handler)
        assert svg.headers["content-type"] == "application/octet-stream"
        pdf = api.client.get(f"/api/cases/{ref}/documents/3/content", headers=handler)
        assert pdf.headers["content-type"] == "application/pdf"
        shown = api.client.get(f"/api/cases/{ref}/documents/1", headers=handler).json()
        assert (shown["filename"], shown["versions"][0]["version"]) == ("Svar frå bedrifta.html", 1)


REFUSED = {
    "too large": ({"content": b"x" * 1_500_000, "name": "big.txt"}, "file", "larger than 1 MB"),
    "type contradicts name": ({"content": PDF, "name": "photo.png"}, "file", "holds .pdf"),
    "unknown party": ({"party": "enterprise-9"}, None, "has no party 'enterprise-9'"),
    "unknown access": ({"access": "secret"}, "access", "unknown access level 'secret'"),
    "unknown exemption": ({"exemption": "§ 99"}, "exemption", "unknown exemption"),
    "unknown direction": ({"direction": "up"}, "direction", "unknown direction"),
    "unknown field": ({"colour": "red"}, "colour", "colour"),
}


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_each_refusal_is_a_422_naming_the_field_and_writes_nothing(
    database_url: str, clock: FixedClock, case: str
) -> None:
    """Too large (checked as it arrives), a type against its name, unknown party, access level,
    exemption, direction or field: 422 with the field named, and the database as it was."""
    shape, field, words = REFUSED[case]
    given = dict(shape)
    with _api(database_url, clock, max_size="1MB") as api:
        handler = api.user("hanna", "handler")
        ref = api.open(handler)["reference"]
        dumper = Dumper(api.services.settings.database.url)
        before = dumper.dump()
        content, name = given.pop("content", PDF), given.pop("name", "report.pdf")
        answer = _post(api, ref, handler, content, name, **given)
        assert answer.status_code == 422, answer.text
        assert words in answer.json()["detail"]
        if field is not None:
            assert field in answer.json().get("fields", [field])
        assert dumper.dump() == before


def test_a_body_that_is_not_multipart_or_lacks_the_file_is_refused(
    database_url: str, clock: FixedClock
) -> None:
    """JSON instead of a form, or a form without its file: 422, nothing written."""
    with _api(database_url, clock) as api:
        handler = api.user("hanna", "handler")
        ref = api.open(handler)["reference"]
        url = f"/api/cases/{ref}/documents"
        assert api.client.post(url, headers=handler, json={"title": "x"}).status_code == 422
        bare = api.client.post(
            url,
            headers=handler,
            data={"title": "T", "direction": "in", "access": "public"},
            files={"x": ("", b"")},
        )
        assert bare.status_code == 422 and bare.json()["fields"] == ["file"]
        assert api.client.get(url, headers=handler).json()["documents"] == []


def test_each_role_sees_documents_as_the_table_says(database_url: str, clock: FixedClock) -> None:
    """A member reads every case's documents, internal ones too; an auditor gets a placeholder
    for an `ncp` document's title and name and 403 for its content, and may not add one."""
    with _api(database_url, clock) as api:
        handler = api.user("hanna", "handler")
        member = api.user("mona", "member", member="member-c")  # leads no case
        auditor = api.user("aud", "auditor")
        ref = api.open(handler)["reference"]
        assert (
            _post(
                api, ref, handler, b"our view", "view.txt", title="NCP's own view", access="ncp"
            ).status_code
            == 201
        )
        assert _post(api, ref, handler, PDF, "report.pdf", title="Public report").status_code == 201
        listed = api.client.get(f"/api/cases/{ref}/documents", headers=member).json()["documents"]
        assert [d["title"] for d in listed] == ["NCP's own view", "Public report"]
        assert api.client.get(f"/api/cases/{ref}/documents/1/content", headers=member).content == b"our view"
        seen = api.client.get(f"/api/cases/{ref}/documents", headers=auditor).json()["documents"]
        assert [(d["title"], d["hidden"]) for d in seen] == [
            ("[internal document]", True),
            ("Public report", False),
        ]
        assert "view.txt" not in str(seen)
        assert api.client.get(f"/api/cases/{ref}/documents/1/content", headers=auditor).status_code == 403
        assert api.client.get(f"/api/cases/{ref}/documents/2/content", headers=auditor).content == PDF
        refused = _post(api, ref, auditor, PDF, "report.pdf")
        assert refused.status_code == 403 and "add documents" in refused.json()["detail"]
        entries = api.client.get(f"/api/cases/{ref}/audit", headers=auditor).json()["items"]
        added = [e for e in entries if e["kind"] == "document_added"]
        assert added[0]["data"]["title"] == "[internal document]"
        assert "NCP's own view" not in str(entries)
