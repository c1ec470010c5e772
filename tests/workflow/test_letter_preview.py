"""`app.letters`: the letters a case's step offers, a letter's context for a party, and a preview
rendered from the templates that writes nothing; on both backends."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from states.errors import CaseNotFoundError, InvalidInputError
from states.permissions import PermissionDeniedError
from states.users import User
from tests.conftest import make_settings
from tests.dbdump import dump
from tests.helpers import oecd_version_4, open_one
from workflow.bootstrap import Services, bootstrap

HANDLER = User(name="hanna", role="handler")
AUDITOR = User(name="aud", role="auditor")


def test_the_letters_offered_follow_the_step_that_brought_the_case_there(services: Services) -> None:
    """After `begin_assessment` the acknowledgement comes first; after `accept`, the acceptance and
    the invitation; the notices and the draft for comment in every open state."""
    ref = open_one(services)
    letters = services.letters
    assert letters.offered(reference=ref)[0] == "acknowledgement"
    services.cases.advance(reference=ref, trigger="begin_assessment", actor="sek", reason="ok")
    assert letters.offered(reference=ref) == (
        "acknowledgement",
        "pause_notice",
        "extension_notice",
        "draft_for_comment",
    )
    services.cases.advance(reference=ref, trigger="accept", actor="sek", reason="merits")
    assert letters.offered(reference=ref)[:2] == ("acceptance", "invitation")


def test_a_preview_renders_the_letter_for_the_party_and_writes_nothing(
    services: Services, database_url: str
) -> None:
    """The preview holds the context, the DOCX (python-docx opens it), the subject, the editable
    paragraphs and the text; the NCP's language by default, the party by key or name; the
    notices quote the deadline the case works to. The database is unchanged."""
    ref = open_one(services, title="Fish farm discharges")
    services.cases.pause(reference=ref, actor="sek", reason="Parallel proceedings", at=None)
    before = dump(database_url)
    shown = services.letters.preview(
        reference=ref, kind="pause_notice", party="Havbruk Seafood ASA", viewer=HANDLER, pdf=False
    )
    assert dump(database_url) == before
    assert shown.recipient.key == "enterprise-1" and shown.language == services.settings.ncp.language
    assert shown.pdf is None and shown.subject == "Notice of a pause – Fish farm discharges"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(shown.docx)).paragraphs)
    explanation = shown.context.values["deadline"]["explanation"]
    assert ref in text and explanation in text and "paused since" in explanation
    assert shown.paragraphs[0] == shown.subject and explanation in shown.paragraphs
    nb = services.letters.preview(
        reference=ref, kind="acknowledgement", party="submitter-1", language="nb", viewer=HANDLER, pdf=False
    )
    assert nb.subject.startswith("Bekreftelse av mottak") and "Vår referanse: " + ref in nb.text


def test_a_preview_is_refused_to_a_role_that_may_not_send_letters_and_for_bad_input(
    services: Services,
) -> None:
    """An auditor may not see a letter (it names the parties as stored); an unknown kind, party,
    language, deadline or case is refused naming what there is."""
    ref = open_one(services)
    with pytest.raises(PermissionDeniedError, match="write and send letters"):
        services.letters.preview(reference=ref, kind="acknowledgement", party="submitter-1", viewer=AUDITOR)
    for options, words in (
        ({"kind": "acknowledgment"}, "not a letter kind; the kinds are acknowledgement, acceptance"),
        ({"party": "enterprise-9"}, "has no party 'enterprise-9'; its parties are submitter-1, enterprise-1"),
        ({"language": "de"}, "'de' is not a letter language; one of en, nb"),
        ({"kind": "extension_notice", "deadline": "appeal"}, "has no deadline 'appeal'; its deadlines are"),
    ):
        given = {"kind": "acknowledgement", "party": "submitter-1", **options}
        with pytest.raises(InvalidInputError, match=words):
            services.letters.preview(reference=ref, viewer=HANDLER, pdf=False, **given)  # type: ignore[arg-type]
    with pytest.raises(CaseNotFoundError):
        services.letters.preview(reference="NCP-2099-999", kind="acknowledgement", party="x", viewer=HANDLER)


def test_the_configured_templates_folder_words_the_letters(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    """With [letters] templates set, the application renders the NCP's own file for that kind and
    language, with the same context; [ncp] address heads every letter."""
    from docx import Document

    (tmp_path / "en").mkdir()
    document = Document()
    document.add_paragraph("Our own words to {{ recipient.name }} about {{ reference }}")
    document.save(tmp_path / "en" / "case_closed.docx")
    ref = open_one(services)
    settings = make_settings(
        database_url, letters={"templates": str(tmp_path)}, ncp={"address": ["PO Box 1", "0030 Oslo"]}
    )
    ours = bootstrap(settings, clock=services.clock)
    try:
        given = {"reference": ref, "party": "submitter-1", "language": "en", "viewer": HANDLER, "pdf": False}
        closed = ours.letters.preview(kind="case_closed", **given)  # type: ignore[arg-type]
        assert closed.text == f"Our own words to Naturvernforbundet about {ref}\n"
        shipped = ours.letters.preview(kind="acknowledgement", **given)  # type: ignore[arg-type]
        assert shipped.text.startswith("National Contact Point\nPO Box 1\n0030 Oslo\n")
    finally:
        ours.close()


def test_a_letter_goes_to_the_partys_contact_and_hides_the_protected_partys_contacts(
    services: Services,
) -> None:
    """A letter to a party is addressed to its first contact (representatives first): the
    contact's name and postal address, in the contact's language unless one is asked for, or to
    the contact number chosen. The submitter's identity withheld: neither its name nor its
    contact's name, e-mail or address reaches the enterprise; the submitter's own letter names it."""
    ref = open_one(services, submitter="Kari Nordmann", title="Kari Nordmann v. Havbruk")
    parties = services.parties
    parties.change_party(reference=ref, party="submitter-1", actor="sek", withheld=True)
    parties.add_contact(
        reference=ref,
        party="submitter-1",
        actor="sek",
        name="Ola Advokat",
        email="ola@advokat.example",
        address="Advokatgata 2, 0150 Oslo",
        language="nb",
        role="representative",
    )
    parties.add_contact(
        reference=ref,
        party="enterprise-1",
        actor="sek",
        name="Per Post",
        address="Kaia 1\n5003 Bergen",
        channel="post",
    )
    parties.add_contact(
        reference=ref,
        party="enterprise-1",
        actor="sek",
        name="Eva Epost",
        email="eva@havbruk.example",
        role="representative",
    )
    letters = services.letters
    to_enterprise = letters.preview(
        reference=ref, kind="invitation", party="enterprise-1", viewer=HANDLER, pdf=False
    )
    assert to_enterprise.recipient.name == "Eva Epost" and to_enterprise.recipient.contact == 2
    assert to_enterprise.language == "en"
    for hidden in ("Kari", "Nordmann", "Ola Advokat", "ola@advokat.example", "Advokatgata"):
        assert hidden not in to_enterprise.text, hidden
    assert "a dialogue between Havbruk Seafood ASA and the submitter" in to_enterprise.text
    by_post = letters.preview(
        reference=ref,
        kind="invitation",
        party="enterprise-1",
        contact=1,
        language="nb",
        viewer=HANDLER,
        pdf=False,
    )
    assert "Per Post\nHavbruk Seafood ASA\nKaia 1\n5003 Bergen\n" in by_post.text and by_post.language == "nb"
    to_submitter = letters.preview(
        reference=ref, kind="acknowledgement", party="submitter-1", viewer=HANDLER, pdf=False
    )
    assert to_submitter.language == "nb" and to_submitter.recipient.address == ("Advokatgata 2", "0150 Oslo")
    assert "Ola Advokat\nKari Nordmann\nAdvokatgata 2\n0150 Oslo" in to_submitter.text
    assert "uten samtykke" in to_submitter.text
    with pytest.raises(InvalidInputError, match="has no contact 7; its contacts are 1, 2"):
        letters.preview(reference=ref, kind="invitation", party="enterprise-1", contact=7, viewer=HANDLER)


V2_SHA256 = "e6bcc3a835924091b46f5550cd7ad7284bb0737a6d59d8209ff8e109a4f5478b"  # as shipped before letters


def _version_2() -> str:
    """oecd-2023 version 2, exactly as it was shipped: version 3 without its letters."""

    text = oecd_version_4().replace('version = "4"', 'version = "2"')
    # Version 4 added the statements; version 3 is version 4 without them.
    text = (
        text[: text.index("# ------------------------------------------------------------------ statements")]
        + text[text.index("# ------------------------------------------------------------------ reports") :]
    )
    for line in (
        'letters = ["acknowledgement"]\n',
        'letters = ["invitation"]\n',
        'letters = ["case_closed"]\n',
        'letters = ["acceptance", "invitation"]\n',
        'letters = ["rejection"]\n',
    ):
        text = text.replace(line, "")
    start = text.index("# ------------------------------------------------------------------ letters")
    return (
        text[:start]
        + text[text.index("# ------------------------------------------------------------------ reports") :]
    )


def test_a_case_opened_under_version_2_keeps_working_and_takes_its_letters_when_migrated(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    """A database whose case follows oecd-2023 version 2 (stored when it opened): with version 3
    shipped, the case still reads and steps with version 2, offers no letters by step, can be
    sent any letter by kind; `case migrate` to version 3 gives it version 3's letters."""
    import hashlib

    text = _version_2()
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == V2_SHA256
    (tmp_path / "v2.toml").write_text(text, encoding="utf-8")
    old = bootstrap(
        make_settings(database_url, procedure={"file": str(tmp_path / "v2.toml")}), clock=services.clock
    )
    try:
        ref = open_one(old)
    finally:
        old.close()
    services.cases.advance(reference=ref, trigger="begin_assessment", actor="sek", reason="ok")
    assert services.cases.get(reference=ref).procedure.version == "2"
    assert services.letters.offered(reference=ref) == ()
    shown = services.letters.preview(
        reference=ref, kind="acknowledgement", party="submitter-1", viewer=HANDLER, pdf=False
    )
    assert ref in shown.text
    services.cases.migrate(reference=ref, to="oecd-2023@6", actor="chair", reason="letters by step")
    assert services.letters.offered(reference=ref)[:2] == ("acknowledgement", "pause_notice")


def test_the_lead_signs_and_an_edited_letter_comes_back_as_docx_and_pdf(
    database_url: str, services: Services
) -> None:
    """With a lead member the letter is signed by the lead for the NCP; the handler's edited
    paragraphs come back through the application as a DOCX with those paragraphs and a PDF."""
    import pypdf

    members = [{"id": "anna", "name": "Anna Berg", "email": "anna@ncp.example"}]
    led = bootstrap(make_settings(database_url, members=members), clock=services.clock)
    try:
        led.members.sync(actor="config")
        ref = open_one(led)
        context = led.letters.context(reference=ref, kind="case_closed", party="enterprise-1", language="en")
        assert context.values["lead"] == "Anna Berg" and context.values["signatory"] == "Anna Berg"
        shown = led.letters.render(context=context, pdf=False)
        assert shown.paragraphs[-1] == "Anna Berg\nNational Contact Point"
        edited = [*shown.paragraphs[:-1], "We thank you again.", shown.paragraphs[-1]]
        docx_bytes, pdf = led.letters.render_edited(context=context, paragraphs=edited)
        assert led.letterpress.paragraphs_of(docx_bytes) == edited
        printed = " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
        assert "We thank you again." in printed and ref in printed
    finally:
        led.close()
