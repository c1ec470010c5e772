"""A case's documents: filed with their content, metadata and audit entry in one transaction;
versions; content stored once per sha256; every refusal writes nothing (both backends)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import replace

import pytest

from states.documents import Document
from states.errors import CaseNotFoundError, InvalidInputError
from states.permissions import PermissionDeniedError
from states.users import Role, User
from tests.conftest import make_settings
from tests.dbdump import Dumper
from tests.helpers import open_one
from translations import translator
from workflow.bootstrap import Services
from workflow.documents import CHUNK, file_document, media_type, spool

PDF = b"%PDF-1.7\n" + b"fjord tailings report " * 300 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def _add(services: Services, reference: str, content: object = PDF, **given: object) -> Document:
    values: dict[str, object] = {
        "reference": reference,
        "source": [content] if isinstance(content, bytes) else content,
        "filename": "complaint.pdf",
        "title": "The complaint",
        "direction": "in",
        "access": "parties",
        "actor": "sek",
        **given,
    }
    return services.documents.add(**values)  # type: ignore[arg-type]


def _read(services: Services, reference: str, number: int, version: int | None = None) -> bytes:
    opened = services.documents.open(reference=reference, number=number, version=version)
    return b"".join(opened.chunks)


def _chunks(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def test_a_filed_document_reads_back_byte_for_byte_with_its_entry_holding_its_sha256(
    services: Services,
) -> None:
    """Content, row and `document_added` entry are written; the entry holds the content's hash."""
    reference = open_one(services)
    content = bytes(range(256)) * 9000  # 2.3 MB in 3 chunks, given in odd-sized pieces
    document = _add(
        services,
        reference,
        _chunks(content, 77_777),
        filename="annex.bin",
        title="Annex 1",
        party="submitter-1",
        exemption="offentleglova § 13",
    )
    assert _read(services, reference, 1) == content
    (entry,) = [e for e in services.audit.log(case_ref=reference) if e.kind == "document_added"]
    assert entry.data == {
        "number": 1,
        "version": 1,
        "title": "Annex 1",
        "direction": "in",
        "party": "submitter-1",
        "access": "parties",
        "exemption": "offentleglova § 13",
        "filename": "annex.bin",
        "media_type": "application/octet-stream",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    assert document == services.documents.open(reference=reference, number=1).document
    assert services.audit.verify_chain().ok


def test_a_binary_file_object_is_read_in_chunks_and_its_type_comes_from_its_content(
    services: Services,
) -> None:
    """A PDF given as a file object is stored as application/pdf; the case's party by name."""
    reference = open_one(services)
    document = services.documents.add(
        reference=reference,
        source=io.BytesIO(PDF),
        filename="C:\\scans\\complaint.pdf",
        title="The complaint",
        direction="in",
        party="naturvernforbundet",
        access="public",
        actor="sek",
    )
    assert (document.filename, document.media_type, document.party) == (
        "complaint.pdf",
        "application/pdf",
        "submitter-1",
    )
    assert _read(services, reference, 1) == PDF


def test_versions_share_the_number_and_the_same_content_is_stored_once(services: Services) -> None:
    """A replacement is version 2 of the same number; filing the same bytes again stores no new
    content; a new document takes the next number."""
    reference = open_one(services)
    _add(services, reference)
    second = _add(services, reference, PDF + b"% revised\n", replaces=1, title="The complaint, revised")
    third = _add(services, reference, title="A copy")
    assert (second.number, second.version) == (1, 2)
    assert (third.number, third.version) == (2, 1)
    assert _read(services, reference, 1, version=1) == PDF
    assert _read(services, reference, 1) == PDF + b"% revised\n"
    listed = services.documents.list(reference=reference)
    assert [(d.number, d.title, [v.version for v in d.versions]) for d in listed.documents] == [
        (1, "The complaint, revised", [1, 2]),
        (2, "A copy", [1]),
    ]
    dump = Dumper(services.settings.database.url).dump()
    assert len(dump["document_contents"]) == 2
    assert len(dump["case_documents"]) == 3


def _letter(services: Services, reference: str, *, then: Exception | None = None) -> Document:
    with services.uow.write() as tx:
        document = file_document(
            tx,
            reference=reference,
            source=[b"Dear Sir,\n"],
            filename="letter.txt",
            title="Letter",
            direction="out",
            party="enterprise-1",
            access="parties",
            exemption=None,
            actor="sek",
            at=services.clock.now(),
        )
        if then is not None:
            raise then
    return document


def test_file_document_files_inside_a_callers_transaction(services: Services) -> None:
    """Another use case files a document in its own write: rolled back with it, nothing stays."""
    reference = open_one(services)
    dumper = Dumper(services.settings.database.url)
    before = dumper.dump()
    with pytest.raises(RuntimeError):
        _letter(services, reference, then=RuntimeError("the letter's own step failed"))
    assert dumper.dump() == before
    document = _letter(services, reference)
    assert (document.number, document.media_type) == (1, "text/plain")


REFUSALS = {
    "too large": ({"source": [b"x" * CHUNK] * 3, "filename": "big.txt"}, "larger than 2 MB"),
    "empty": ({"source": [], "filename": "empty.txt"}, "empty.txt is empty"),
    "type contradicts name": ({"source": [PNG], "filename": "photo.pdf"}, "holds .png (image/png)"),
    "content not what named": ({"source": [b"hello"], "filename": "x.docx"}, "is named .docx"),
    "unknown party": ({"party": "enterprise-7"}, "has no party 'enterprise-7'"),
    "unknown access": ({"access": "secret"}, "unknown access level 'secret'"),
    "unknown exemption": ({"exemption": "offentleglova § 99"}, "unknown exemption"),
    "unknown direction": ({"direction": "sideways"}, "unknown direction 'sideways'"),
    "blank title": ({"title": "  "}, "title"),
    "unknown document replaced": ({"replaces": 4}, "has no document 4 to replace"),
}


@pytest.mark.parametrize("case", list(REFUSALS), ids=list(REFUSALS))
def test_each_refusal_names_the_problem_and_writes_nothing(services: Services, case: str) -> None:
    """Size (checked while reading), type, party, access, exemption, direction, title, the document
    replaced: a clear message, and no row, no chunk, no audit entry."""
    given, expected = REFUSALS[case]
    services = replace(
        services, settings=make_settings(services.settings.database.url, documents={"max_size": "2MB"})
    )
    reference = open_one(services)
    dumper = Dumper(services.settings.database.url)
    before = dumper.dump()
    with pytest.raises(InvalidInputError) as refused:
        _add(services, reference, **given)
    assert expected in str(refused.value)
    assert dumper.dump() == before


def test_the_size_and_type_refusals_read_in_norwegian() -> None:
    """A page words the refusals in its language: nothing of the English template is left."""
    nb = translator("nb")
    with pytest.raises(InvalidInputError) as large:
        spool([b"x" * 3000], filename="a.txt", max_size=2000)
    assert (
        large.value.words(nb)
        == "fila (file) a.txt er større enn 2 kB, det meste et dokument kan være ([documents] max_size)"
    )
    with pytest.raises(InvalidInputError) as contradicts:
        media_type("photo.pdf", PNG)
    assert (
        contradicts.value.words(nb)
        == "fila (file) photo.pdf inneholder .png (image/png), ikke det filendelsen .pdf sier"
    )


def test_an_unknown_case_is_refused(services: Services) -> None:
    """A document of a case that does not exist: CaseNotFoundError, nothing written."""
    dumper = Dumper(services.settings.database.url)
    before = dumper.dump()
    with pytest.raises(CaseNotFoundError):
        _add(services, "NCP-2099-999")
    assert dumper.dump() == before


def test_an_internal_document_is_hidden_from_an_auditor_and_shown_to_a_member(services: Services) -> None:
    """An auditor lists an `ncp` document under a placeholder and may not open it; a member may."""
    reference = open_one(services)
    _add(
        services,
        reference,
        title="Minutes of the NCP's meeting",
        access="ncp",
        filename="minutes.txt",
        source=[b"we discussed"],
    )
    auditor = User("audrey", Role.AUDITOR)
    member = User("mona", Role.MEMBER)
    (hidden,) = services.documents.list(reference=reference, viewer=auditor).documents
    assert (hidden.title, hidden.hidden) == ("[internal document]", True)
    assert "minutes" not in hidden.filename
    with pytest.raises(PermissionDeniedError):
        services.documents.open(reference=reference, number=1, viewer=auditor)
    (shown,) = services.documents.list(reference=reference, viewer=member).documents
    assert shown.title == "Minutes of the NCP's meeting"
    opened = services.documents.open(reference=reference, number=1, viewer=member)
    assert b"".join(opened.chunks) == b"we discussed"
