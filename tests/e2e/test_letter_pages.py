"""The letters and correspondence pages over HTTP (no browser): draft, edit, download, send after a
confirmation; refusals in English and Norwegian keeping what was typed and writing nothing; what
an auditor sees."""

from __future__ import annotations

import html
import re

from tests.dbdump import dump
from tests.e2e.conftest import Site
from tests.helpers import csrf_of

ALERT = re.compile(r'role="alert"><strong>[^<]*</strong>\s*(.*?)</div>', re.S)
FLASH = re.compile(r'role="status">(.*?)</div>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


def letters(site: Site, lang: str = "en") -> str:
    answer = site.client.get(f"/cases/{site.reference}/letters?lang={lang}")
    assert answer.status_code == 200, answer.text[-2000:]
    return answer.text


def post(site: Site, path: str, lang: str = "en", **form: str) -> tuple[int, str]:
    """A form of the letters pages sent; its status and page (a redirect followed)."""
    token = csrf_of(letters(site, lang))
    answer = site.client.post(
        f"/cases/{site.reference}{path}?lang={lang}",
        data={**form, "csrf_token": token},
        follow_redirects=False,
    )
    if answer.status_code == 303:
        followed = site.client.get(answer.headers["location"].split("#")[0])
        return 303, followed.text
    return answer.status_code, answer.text


def flash(page: str) -> str:
    found = FLASH.search(page)
    return html.unescape(found.group(1)).strip() if found else ""


def alert(page: str) -> str:
    found = ALERT.search(page)
    return html.unescape(re.sub(r"\s+", " ", found.group(1))).strip() if found else ""


def test_a_letter_is_drafted_edited_downloaded_and_sent_by_email_after_asking(site: Site) -> None:
    """The kinds the step offers; a draft with its DOCX and PDF to download; its text saved as a
    new version; sending asks first (Back keeps the choice, nothing written), then sends once:
    one outbox message with the PDF attached, and an entry in the correspondence log."""
    app = site.services
    ref = site.reference
    app.parties.add_contact(
        reference=ref, party="submitter-1", actor="test", name="Kari Kontakt", email="kari@example.org"
    )
    page = letters(site)
    assert '<option value="acknowledgement">Acknowledgement of receipt</option>' in page
    assert f'href="/cases/{ref}/letters"' in site.client.get(f"/cases/{ref}").text  # linked from the case
    status, page = post(site, "/letters", kind="acknowledgement", party="submitter-1")
    assert status == 303 and flash(page).startswith(
        "Letter 1 drafted: acknowledgement of receipt to submitter 1"
    )
    assert 'id="letter-1"' in page and "Draft" not in alert(page)
    pdf = site.client.get(f"/cases/{ref}/letters/1/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"].startswith("attachment;")
    docx = site.client.get(f"/cases/{ref}/letters/1/docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    status, page = post(site, "/letters/1/text", text="Your complaint\n\nWe have it.\nThank you.\n\nThe NCP")
    assert status == 303 and flash(page).startswith("Letter 1 saved")
    assert "Your complaint" in page and "version 2" in page
    before = dump(site.url)
    status, page = post(site, "/letters/1/send", channel="email")
    assert status == 200 and "Send letter 1 by e-mail?" in page
    assert "Kari Kontakt &lt;kari@example.org&gt;" in page and f"{ref}-letter-1.pdf" in page
    assert dump(site.url) == before  # asking writes nothing
    hidden = dict(HIDDEN.findall(page))
    back = site.client.post(f"/cases/{ref}/letters/1/send", data={**hidden, "confirm": "back"})
    assert back.status_code == 200 and '<option value="email" selected>' in back.text
    assert dump(site.url) == before
    done = site.client.post(
        f"/cases/{ref}/letters/1/send", data={**hidden, "confirm": "yes"}, follow_redirects=True
    )
    assert "Letter 1 sent by e-mail" in flash(done.text)
    again = site.client.post(f"/cases/{ref}/letters/1/send", data={**hidden, "confirm": "yes"})
    assert again.status_code == 409 and "letter 1 was already sent" in alert(again.text)
    with app.uow.read() as tx:
        (message,) = [
            m for m in [tx.outbox.claim_next(now=app.clock.now(), lease_until=app.clock.now())] if m
        ]
    assert message.recipient == "kari@example.org" and [a.filename for a in message.attachments] == [
        f"{ref}-letter-1.pdf"
    ]
    log = site.client.get(f"/cases/{ref}/correspondence").text
    assert "Your complaint" in log and f'href="/cases/{ref}/letters#letter-1"' in log


def test_letter_forms_refused_keep_what_was_typed_in_english_and_norwegian(site: Site) -> None:
    """A party without an e-mail contact: the address is asked for and a refusal keeps the
    choice; blank text is refused keeping the page; each in the page's language, writing nothing."""
    ref = site.reference
    post(site, "/letters", kind="acknowledgement", party="enterprise-1")
    before = dump(site.url)
    status, page = post(site, "/letters/1/send", lang="nb", channel="email", confirm="yes")
    assert status == 422 and "har ingen kontakt som tar imot e-post" in alert(page)
    assert '<option value="email" selected>' in page and 'name="to"' in page
    status, page = post(site, "/letters/1/send", channel="email", to="not an address", confirm="yes")
    assert status == 422 and "E-mail address" in alert(page) and 'value="not an address"' in page
    status, page = post(site, "/letters/1/text", lang="nb", text="   ")
    assert status == 422 and "Brevets tekst er påkrevd" in alert(page)
    status, page = post(site, "/letters", lang="nb", kind="rejection", party="enterprise-9")
    assert status == 422 and f"sak {ref} har ingen part «enterprise-9»" in alert(page)
    assert dump(site.url) == before


def test_the_correspondence_page_logs_an_entry_and_refuses_a_future_date_keeping_the_input(
    site: Site,
) -> None:
    """An entry with a document logged from the form, shown in the NCP's time; a date in the
    future refused in Norwegian with the subject kept, nothing written."""
    ref = site.reference
    site.services.documents.add(
        reference=ref, source=[b"%PDF-1.4\n"], filename="reply.pdf", title="Reply", direction="in",
        access="parties", actor="test",
    )  # fmt: skip
    token = csrf_of(site.client.get(f"/cases/{ref}/correspondence?lang=en").text)
    form = {
        "direction": "in",
        "party": "enterprise-1",
        "channel": "post",
        "subject": "Reply to the complaint",
    }
    done = site.client.post(
        f"/cases/{ref}/correspondence",
        data={**form, "at": "2025-03-01", "documents": ["1"], "csrf_token": token},
    )
    assert "Entry 1 added to the correspondence log." in flash(done.text)
    assert "Reply to the complaint" in done.text and "2025-03-01 00:00 CET" in done.text
    before = dump(site.url)
    refused = site.client.post(
        f"/cases/{ref}/correspondence?lang=nb", data={**form, "at": "2199-01-01", "csrf_token": token}
    )
    assert refused.status_code == 422 and "Dato (hvis ikke i dag)" in alert(refused.text)
    assert 'value="Reply to the complaint"' in refused.text
    assert dump(site.url) == before


def test_an_auditor_reads_the_pages_with_pseudonyms_and_no_forms(site: Site) -> None:
    """The auditor sees the letters and the log, a confidential submitter as a pseudonym, and no
    form to draft, send or log; its forms are refused (403)."""
    from workflow.cases import PartyInput, open_case

    app = site.services
    ref = open_case(
        uow=app.uow, clock=app.clock, policy=app.policy, reference_prefix="NCP", title="Tailings",
        submitters=[PartyInput("Kari Nordmann", confidential=True)],
        enterprises=[PartyInput("Nordic Metals ASA")], actor="test",
    ).reference  # fmt: skip
    app.letters.draft(reference=ref, kind="acknowledgement", party="submitter-1", actor="test")
    app.correspondence.log(
        reference=ref,
        direction="in",
        party="submitter-1",
        channel="email",
        subject="From Kari Nordmann",
        actor="t",
    )
    site.sign_in_as("revisor", "auditor")
    for path in ("letters", "correspondence"):
        page = site.client.get(f"/cases/{ref}/{path}").text
        assert "Nordmann" not in page and '<form method="post" action="/cases/' not in page
    assert site.client.post(f"/cases/{ref}/correspondence", data={"csrf_token": "x"}).status_code == 403
