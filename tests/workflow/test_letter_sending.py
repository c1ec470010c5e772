"""Letters drafted, edited and sent, on both backends: documents filed as draft then final
versions, one transaction per send (outbox rows, correspondence entry, audit entries), sending
twice refused, each refusal writing nothing, a Word-edited DOCX sent as uploaded, withheld parties
never named to another party, and the notices a pause or an extension queues."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from docx import Document as Word

from notifications.memory import RecordingChannel
from states.errors import InvalidInputError, StepRefusedError
from tests import helpers
from tests.conftest import make_settings, refuse_audit_inserts
from tests.dbdump import Dumper
from workflow.application import Application
from workflow.audit import audit_entries, verify_chain
from workflow.bootstrap import bootstrap
from workflow.cases import PartyInput, open_case
from workflow.clock import FixedClock
from workflow.outbox import dispatch
from workflow.rotation import Notices

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
# What each notice quotes of the deadline's own explanation (in Norwegian: the letter's language).
QUOTED = {
    "pause": "på vent siden 2. juni 2025",
    "extension": "+ 10 dager forlenget (Translation; godkjent av h) = 10. mai 2025",
}
SECTIONS: dict[str, Any] = {"smtp": {"sender": "ncp@ncp.test"}, "ncp": {"name": "Norway's NCP"}}


@pytest.fixture
def channel() -> RecordingChannel:
    return RecordingChannel()


def build(url: str, channel: RecordingChannel, **sections: Any) -> Application:
    return bootstrap(make_settings(url, **{**SECTIONS, **sections}), clock=FixedClock(NOW), channel=channel)


@pytest.fixture
def app(database_url: str, channel: RecordingChannel) -> Iterator[Application]:
    built = build(database_url, channel)
    yield built
    built.close()


def kinds(app: Application, ref: str) -> list[str]:
    return [e.kind for e in audit_entries(uow=app.uow, case_ref=ref)]


def text_of_docx(data: bytes) -> str:
    return "\n".join(p.text for p in Word(io.BytesIO(data)).paragraphs)


def content(app: Application, ref: str, letter: int, format: str) -> bytes:
    return b"".join(app.letters.get(reference=ref, letter=letter, format=format).chunks)


def test_a_letter_is_drafted_edited_and_sent_by_email_in_one_transaction_each(
    app: Application, channel: RecordingChannel
) -> None:
    """Draft: DOCX and PDF documents titled as a draft, `out`, access `parties`; edit: new
    versions; send: final versions, one outbox message per e-mail contact in its language with
    the PDF, a correspondence entry, `letter_sent`; the dispatcher sends each once, PDF intact."""
    ref = helpers.open_one(app)
    for name, email, language in (("Kari", "kari@example.org", "nb"), ("Ola", "ola@example.org", "en")):
        app.parties.add_contact(
            reference=ref, party="submitter-1", actor="h", name=name, email=email, language=language
        )
    letter = app.letters.draft(
        reference=ref, kind="acknowledgement", party="Naturvernforbundet", actor="hanna"
    )
    assert (letter.number, letter.party, letter.language, letter.status.value) == (
        1,
        "submitter-1",
        "nb",
        "draft",
    )
    docs = app.documents.list(reference=ref).documents
    assert [(d.number, d.direction, d.access, d.party, d.media_type) for d in docs] == [
        (
            1,
            "internal",
            "parties",
            "submitter-1",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (2, "internal", "parties", "submitter-1", "application/pdf"),
    ]  # drafts are the NCP's own until sent: not journal entries
    assert docs[0].title == "Brev 1, bekreftelse av mottak, til klager 1 (utkast)"
    assert ref in text_of_docx(content(app, ref, 1, "docx"))
    app.letters.edit(
        reference=ref, letter=1, paragraphs=["Kvittering", "Vi har fått klagen.", "Hilsen oss"], actor="h"
    )
    assert "Vi har fått klagen." in text_of_docx(content(app, ref, 1, "docx"))
    sent = app.letters.send(reference=ref, letter=1, channel="email", actor="hanna")
    assert (sent.status.value, sent.channel) == ("sent", "email")
    listed = app.letters.list(reference=ref).letters[0]
    assert (listed.docx.version, listed.pdf.version) == (3, 3)
    final = app.documents.list(reference=ref).documents[1]
    assert (
        final.title == "Brev 1, bekreftelse av mottak, til klager 1" and final.versions[-1].direction == "out"
    )
    assert app.documents.list(reference=ref).documents[0].versions[-1].direction == "internal"  # the DOCX
    journal = app.journal.entries().entries
    assert [(e.document, e.version, e.direction) for e in journal if e.case == ref] == [(2, 3, "out")]
    (entry,) = app.correspondence.list(reference=ref).entries
    assert (entry.direction, entry.channel, entry.party, entry.subject, entry.documents, entry.letter) == (
        "out", "email", "submitter-1", "Kvittering", [2, 1], 1,
    )  # fmt: skip
    assert [k for k in kinds(app, ref) if k not in ("opened", "contact_added")] == [
        "document_added", "document_added", "letter_drafted",
        "document_added", "document_added", "letter_edited",
        "document_added", "document_added", "correspondence_logged", "letter_sent",
    ]  # fmt: skip
    (sent_entry,) = [e for e in audit_entries(uow=app.uow, case_ref=ref) if e.kind == "letter_sent"]
    assert sent_entry.data["recipients"] == ["kari@example.org", "ola@example.org"]
    assert sent_entry.data["pdf_sha256"] == listed.pdf.sha256
    assert dispatch(uow=app.uow, clock=app.clock, channel=channel).as_dict() == {
        "sent": 2,
        "failed": 0,
        "pending": 0,
    }
    assert dispatch(uow=app.uow, clock=app.clock, channel=channel).as_dict()["sent"] == 0
    by_address = {m.recipient: m for m in channel.sent}
    assert "Vedlagt er et brev" in by_address["kari@example.org"].text
    assert "Please find attached a letter" in by_address["ola@example.org"].text
    for mail in channel.sent:
        ((name, data),) = channel.attached[mail.message_id]
        assert name == f"{ref}-letter-1.pdf" and hashlib.sha256(data).hexdigest() == listed.pdf.sha256
    assert verify_chain(uow=app.uow).ok


def test_sending_twice_or_editing_a_sent_letter_is_refused_and_writes_nothing(
    app: Application, database_url: str
) -> None:
    """A letter posted is sent: sending it again (by either channel) or editing it is refused,
    naming the letter; the database is unchanged."""
    ref = helpers.open_one(app)
    app.letters.draft(reference=ref, kind="acknowledgement", party="enterprise-1", actor="h")
    posted = app.letters.send(reference=ref, letter=1, channel="post", actor="h")
    assert (
        posted.status.value == "posted"
        and app.correspondence.list(reference=ref).entries[0].channel == "post"
    )
    dumper = Dumper(database_url)
    before = dumper.dump()
    for attempt in (
        lambda: app.letters.send(reference=ref, letter=1, channel="post", actor="h"),
        lambda: app.letters.send(reference=ref, letter=1, channel="email", actor="h", to="x@example.org"),
        lambda: app.letters.edit(reference=ref, letter=1, paragraphs=["New"], actor="h"),
    ):
        with pytest.raises(StepRefusedError, match="letter 1 was already sent"):
            attempt()
    assert dumper.dump() == before
    dumper.engine.dispose()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({"do": "draft", "kind": "birthday"}, "'birthday' is not a letter kind"),
        ({"do": "draft", "party": "enterprise-5"}, "has no party 'enterprise-5'"),
        ({"do": "draft", "language": "de"}, "'de' is not a letter language"),
        ({"do": "edit", "letter": 7}, "case NCP-2025-001 has no letter 7; its letters are 1"),
        ({"do": "edit", "paragraphs": ["  ", ""]}, "the letter's text"),
        ({"do": "send", "channel": "pigeon"}, "unknown channel 'pigeon'"),
        ({"do": "send", "channel": "email"}, "has no contact who takes e-mail"),
        ({"do": "send", "channel": "post", "to": "a@example.org"}, "goes with channel email only"),
    ],
)
def test_each_refusal_names_the_input_and_writes_nothing(
    app: Application, database_url: str, call: dict[str, Any], message: str
) -> None:
    """Unknown kind, party, language, letter; blank text; an unknown channel; e-mail without an
    address; an address by post: refused, nothing written."""
    ref = helpers.open_one(app)
    app.letters.draft(reference=ref, kind="acknowledgement", party="enterprise-1", actor="h")
    dumper = Dumper(database_url)
    before = dumper.dump()
    arguments = {k: v for k, v in call.items() if k != "do"}
    defaults: dict[str, dict[str, Any]] = {
        "draft": {"kind": "acknowledgement", "party": "submitter-1"},
        "edit": {"letter": 1, "paragraphs": ["S", "B"]},
        "send": {"letter": 1, "channel": "email"},
    }
    use_case = getattr(app.letters, call["do"])
    with pytest.raises(InvalidInputError, match=message):
        use_case(reference=ref, actor="h", **{**defaults[call["do"]], **arguments})
    assert dumper.dump() == before
    dumper.engine.dispose()


def test_a_send_whose_audit_entry_fails_leaves_nothing_behind(app: Application, database_url: str) -> None:
    """One transaction: when the audit log refuses the send's entries, no document version,
    outbox row, correspondence entry or status change remains."""
    ref = helpers.open_one(app)
    app.letters.draft(reference=ref, kind="acknowledgement", party="enterprise-1", actor="h")
    dumper = Dumper(database_url)
    before = dumper.dump()
    refuse_audit_inserts(app, "disk full")
    with pytest.raises(Exception, match="disk full"):
        app.letters.send(reference=ref, letter=1, channel="email", to="ceo@example.org", actor="h")
    after = dumper.dump()
    dumper.engine.dispose()
    assert {k: v for k, v in after.items() if k != "sqlite_master"} == {
        k: v for k, v in before.items() if k != "sqlite_master"
    }


def test_a_docx_edited_in_word_and_filed_as_a_new_version_is_what_goes_out(app: Application) -> None:
    """The handler downloads the DOCX, edits it in Word, files it with `replaces`: the letter
    shows it; sending makes the PDF from that DOCX and keeps its text."""
    ref = helpers.open_one(app)
    letter = app.letters.draft(reference=ref, kind="acknowledgement", party="enterprise-1", actor="h")
    word = Word(io.BytesIO(content(app, ref, 1, "docx")))
    word.add_paragraph("A sentence the handler added in Word.")
    edited = io.BytesIO()
    word.save(edited)
    app.documents.add(
        reference=ref, source=[edited.getvalue()], filename=f"{ref}-letter-1.docx", title="Edited in Word",
        direction="out", access="parties", actor="h", party="enterprise-1", replaces=letter.docx_document,
    )  # fmt: skip
    assert app.letters.list(reference=ref).letters[0].edited_in_word
    app.letters.send(reference=ref, letter=1, channel="post", actor="h")
    from pypdf import PdfReader

    pdf = content(app, ref, 1, "pdf")
    assert "A sentence the handler added in Word." in "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert text_of_docx(content(app, ref, 1, "docx")) == text_of_docx(edited.getvalue())
    assert not app.letters.list(reference=ref).letters[0].edited_in_word


def test_a_letter_to_one_party_never_names_a_withheld_other_party(
    app: Application, channel: RecordingChannel
) -> None:
    """The submitter's identity is withheld: the letter to the enterprise (DOCX, PDF, e-mail)
    does not hold the submitter's name, not even where the case's title names it."""
    case = open_case(
        uow=app.uow, clock=app.clock, policy=app.policy, reference_prefix="NCP",
        title="Kari Nordmann against Nordic Metals",
        submitters=[PartyInput("Kari Nordmann", confidential=True)],
        enterprises=[PartyInput("Nordic Metals ASA")], actor="h", received=date(2025, 1, 31),
        notices=Notices(app.settings, app.render),
    )  # fmt: skip
    ref = case.reference
    app.parties.add_contact(
        reference=ref, party="enterprise-1", actor="h", name="CEO", email="ceo@nordic.example"
    )
    app.letters.draft(reference=ref, kind="acknowledgement", party="enterprise-1", actor="h")
    app.letters.send(reference=ref, letter=1, channel="email", actor="h")
    dispatch(uow=app.uow, clock=app.clock, channel=channel)
    from pypdf import PdfReader

    pdf = content(app, ref, 1, "pdf")
    texts = [
        text_of_docx(content(app, ref, 1, "docx")),
        "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages),
        *(m.text + m.html + m.subject for m in channel.sent),
    ]
    assert all("Nordmann" not in text for text in texts)
    assert ref in texts[0] and "Nordic Metals ASA" in texts[0]


@pytest.mark.parametrize("step", ["pause", "extension"])
def test_a_pause_or_an_extension_queues_a_draft_notice_per_party_quoting_the_deadline(
    sqlite_url: str, channel: RecordingChannel, step: str
) -> None:
    """With [parties] notify_on, the step and a draft notice to each party (quoting the
    deadline's explanation in the party's language) commit together; without it, none."""
    app = build(sqlite_url, channel, parties={"notify_on": [step]})
    try:
        ref = helpers.open_one(app)
        app.parties.add_contact(
            reference=ref,
            party="enterprise-1",
            actor="h",
            name="CEO",
            language="nb",
            channel="post",
            address="Gate 1\n0150 Oslo",
        )
        if step == "pause":
            app.cases.pause(reference=ref, actor="h", reason="Parallel proceedings")
        else:
            app.cases.extend(
                reference=ref, deadline="initial_assessment", days=10, actor="h", reason="Translation"
            )
        letters = app.letters.list(reference=ref).letters
        kind = "pause_notice" if step == "pause" else "extension_notice"
        assert [(x.kind, x.party, x.language, x.notice, x.status) for x in letters] == [
            (kind, "submitter-1", "en", step, "draft"),
            (kind, "enterprise-1", "nb", step, "draft"),
        ]
        quoted = text_of_docx(content(app, ref, 2, "docx"))
        assert ref in quoted and QUOTED[step] in quoted
        recorded = kinds(app, ref)
        assert recorded.index("paused" if step == "pause" else "extended") < recorded.index("letter_drafted")
        other = build(sqlite_url, channel)
        try:
            other.cases.resume(reference=ref, actor="h") if step == "pause" else other.cases.extend(
                reference=ref, deadline="initial_assessment", days=5, actor="h", reason="More"
            )
            assert len(other.letters.list(reference=ref).letters) == 2  # not configured: none
        finally:
            other.close()
    finally:
        app.close()


def test_a_notice_that_cannot_be_made_refuses_the_step_and_writes_nothing(
    sqlite_url: str, channel: RecordingChannel
) -> None:
    """The notices commit with the step: a broken letter template refuses the pause itself."""
    app = build(sqlite_url, channel, parties={"notify_on": ["pause"]})
    try:
        ref = helpers.open_one(app)
        dumper = Dumper(sqlite_url)
        before = dumper.dump()

        def broken(*_: Any, **__: Any) -> bytes:
            raise InvalidInputError("letter template pause_notice.docx: broken")

        app.letterpress.render_letter = broken  # type: ignore[method-assign]
        with pytest.raises(InvalidInputError, match="broken"):
            app.cases.pause(reference=ref, actor="h", reason="Parallel proceedings")
        assert dumper.dump() == before
        dumper.engine.dispose()
    finally:
        app.close()


def test_a_letter_filed_ncp_only_is_hidden_from_an_auditor(
    sqlite_url: str, channel: RecordingChannel
) -> None:
    """With [letters] access = "ncp", an auditor sees neither the letter's text nor its files
    (PermissionDeniedError); a member reads both."""
    from states.permissions import PermissionDeniedError
    from states.users import User

    app = build(sqlite_url, channel, letters={"access": "ncp"})
    try:
        ref = helpers.open_one(app)
        app.letters.draft(reference=ref, kind="acknowledgement", party="submitter-1", actor="h")
        auditor, member = User(name="revisor", role="auditor"), User(name="mari", role="member")
        hidden = app.letters.list(reference=ref, viewer=auditor).letters[0]
        assert hidden.hidden and hidden.subject == "" and hidden.paragraphs == []
        with pytest.raises(PermissionDeniedError):
            app.letters.get(reference=ref, letter=1, format="pdf", viewer=auditor)
        shown = app.letters.list(reference=ref, viewer=member).letters[0]
        assert not shown.hidden and shown.subject
        assert b"".join(
            app.letters.get(reference=ref, letter=1, format="pdf", viewer=member).chunks
        ).startswith(b"%PDF")
    finally:
        app.close()


def test_letters_and_the_log_are_told_in_the_case_s_story_once_each(app: Application) -> None:
    """The story holds a letter drafted and sent (not its audit entries again) and a logged
    call, newest first; an auditor reads the withheld submitter's pseudonym there."""
    from states.users import User

    case = open_case(
        uow=app.uow, clock=app.clock, policy=app.policy, reference_prefix="NCP", title="Tailings",
        submitters=[PartyInput("Kari Nordmann", confidential=True)],
        enterprises=[PartyInput("Nordic Metals ASA")], actor="h", received=date(2025, 1, 31),
        notices=Notices(app.settings, app.render),
    )  # fmt: skip
    ref = case.reference
    app.correspondence.log(
        reference=ref, direction="in", party="submitter-1", channel="phone", subject="Kari Nordmann called",
        at=date(2025, 5, 1), actor="h",
    )  # fmt: skip
    app.letters.draft(reference=ref, kind="acknowledgement", party="submitter-1", actor="h")
    app.letters.send(reference=ref, letter=1, channel="post", actor="h")
    story = app.cases.timeline(
        reference=ref, viewer=User(name="h", role="handler"), kinds=["letter", "correspondence"]
    )
    assert [(e.kind, e.what) for e in story.items] == [
        ("letter", "posted"),
        ("letter", "drafted"),
        ("correspondence", "in"),
    ]
    assert story.items[0].title == "Letter 1 sent by post: Acknowledgement of receipt"
    assert story.items[0].href == f"/cases/{ref}/letters#letter-1"
    assert story.items[2].title == "Received by phone from Kari Nordmann (submitter 1)"
    every = app.cases.timeline(reference=ref, viewer=User(name="h", role="handler")).items
    assert not any(e.what in {"letter_drafted", "letter_sent", "correspondence_logged"} for e in every)
    seen = app.cases.timeline(
        reference=ref, viewer=User(name="revisor", role="auditor"), kinds=["correspondence"]
    )
    assert "Nordmann" not in seen.items[0].title + (seen.items[0].text or "")
