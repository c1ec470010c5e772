"""The case's documents page over HTTP: the list, the upload form (multipart with its CSRF
token), refusals in the page's language with the typed fields kept and nothing written,
downloads as attachments, and what each role sees."""

from __future__ import annotations

import re
from typing import Any

from tests.dbdump import Dumper
from tests.e2e.conftest import Site
from tests.helpers import csrf_of

PDF = b"%PDF-1.7\n" + b"minutes " * 100 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def _form(site: Site, **fields: str) -> dict[str, str]:
    page = site.client.get(f"/cases/{site.reference}/documents").text
    return {
        "csrf_token": csrf_of(page),
        "title": "Minutes of the meeting",
        "direction": "internal",
        "party": "",
        "access": "public",
        "exemption": "",
        "replaces": "",
        **fields,
    }


def _upload(site: Site, content: bytes, name: str, lang: str = "en", **fields: str) -> Any:
    return site.client.post(
        f"/cases/{site.reference}/documents?lang={lang}",
        data=_form(site, **fields),
        files={"file": (name, content, "application/octet-stream")},
        follow_redirects=False,
    )


def test_the_case_page_links_to_its_documents_and_the_page_lists_them(site: Site) -> None:
    """From the case to its documents; an upload is listed with its download link and flash."""
    case = site.client.get(f"/cases/{site.reference}").text
    assert f'href="/cases/{site.reference}/documents"' in case
    answer = _upload(site, PDF, "minutes.pdf", party="submitter-1", exemption="offentleglova § 14")
    assert answer.status_code == 303, answer.text
    page = site.client.get(answer.headers["location"]).text
    assert "Document 1, version 1, added: Minutes of the meeting." in page
    assert "Friends of the Fjord" in page and "offentleglova § 14" in page
    link = f"/cases/{site.reference}/documents/1/content?version=1"
    assert link in page
    download = site.client.get(link)
    assert download.content == PDF
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["content-security-policy"] == "sandbox"


def test_a_second_version_is_listed_under_the_same_number(site: Site) -> None:
    """ "New version of" files version 2 of document 1; both versions are downloadable."""
    assert _upload(site, PDF, "minutes.pdf").status_code == 303
    assert (
        _upload(site, PDF + b"%v2\n", "minutes.pdf", replaces="1", title="Minutes, approved").status_code
        == 303
    )
    page = site.client.get(f"/cases/{site.reference}/documents").text
    assert "Minutes, approved" in page
    for version, content in ((1, PDF), (2, PDF + b"%v2\n")):
        url = f"/cases/{site.reference}/documents/1/content?version={version}"
        assert url in page and site.client.get(url).content == content


def test_a_refusal_says_why_in_norwegian_keeps_the_fields_and_writes_nothing(site: Site) -> None:
    """A PNG named .pdf, refused on a Norwegian page: 422, the reason in Norwegian, the title and
    choices as typed, and the database as it was."""
    dumper = Dumper(site.url)
    before = dumper.dump()
    answer = _upload(site, PNG, "scan.pdf", lang="nb", title="Skannet brev", access="parties", direction="in")
    assert answer.status_code == 422, answer.text
    assert "inneholder .png (image/png), ikke det filendelsen .pdf sier" in answer.text
    assert 'value="Skannet brev"' in answer.text
    assert re.search(r'<option value="parties" selected>', answer.text)
    assert re.search(r'<option value="in" selected>', answer.text)
    assert dumper.dump() == before


def test_an_upload_without_the_form_token_is_refused_before_its_file(site: Site) -> None:
    """A form from elsewhere (no valid CSRF token): 403, nothing written."""
    dumper = Dumper(site.url)
    before = dumper.dump()
    answer = site.client.post(
        f"/cases/{site.reference}/documents",
        data={**_form(site), "csrf_token": "forged"},
        files={"file": ("a.pdf", PDF)},
    )
    assert answer.status_code == 403
    assert dumper.dump() == before


def test_an_auditor_sees_no_internal_title_and_no_form_and_a_member_sees_all(site: Site) -> None:
    """The auditor: the placeholder for an `ncp` document, no link to its content (403 when asked),
    no upload form; a member who leads no case: the title and its content."""
    assert (
        _upload(
            site, b"our assessment", "assessment.txt", title="Our own assessment", access="ncp"
        ).status_code
        == 303
    )
    site.sign_in_as("aud", "auditor")
    page = site.client.get(f"/cases/{site.reference}/documents?lang=en").text
    assert "Our own assessment" not in page and "assessment.txt" not in page
    assert "[internal document]" in page and 'enctype="multipart/form-data"' not in page
    assert site.client.get(f"/cases/{site.reference}/documents/1/content").status_code == 403
    site.sign_in_as("mona", "member", member="member-c")
    page = site.client.get(f"/cases/{site.reference}/documents").text
    assert "Our own assessment" in page
    assert site.client.get(f"/cases/{site.reference}/documents/1/content").content == b"our assessment"


def test_an_auditor_reads_a_withheld_partys_pseudonym_in_the_pages_language(site: Site) -> None:
    """On a Norwegian page the withheld submitter a document came from is "Klager ...", never the
    English word nor the name."""
    site.services.parties.change_party(
        reference=site.reference, party="submitter-1", actor="test", withheld=True
    )
    assert (
        _upload(
            site, PDF, "complaint.pdf", title="The complaint", direction="in", party="submitter-1"
        ).status_code
        == 303
    )
    site.sign_in_as("aud", "auditor")
    page = site.client.get(f"/cases/{site.reference}/documents?lang=nb").text
    assert "Friends of the Fjord" not in page
    assert "Klager " in page and "Submitter " not in page
