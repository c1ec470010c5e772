"""Letters to the parties, drafted, edited and sent (the letters slice renders them).

- `draft_letter`: a letter of a kind to one party, rendered from its template (workflow/letters.py)
  in the party's language (its first contact's, else the NCP's), addressed to its first contact;
  filed as two documents of the case, its DOCX and its PDF (direction `internal` until sent,
  then the sent PDF `out`: the journal lists only that; access `[letters]
  access`, titled as a draft), with its text and context kept in `case_letters`
  (`letter_drafted`).
- `edit_letter`: the handler's paragraphs rendered again around the same context; a new version
  of both documents (`letter_edited`). A DOCX edited in Word and filed as a new version of the
  letter's DOCX document (`doc add --replaces`) is what goes out: sending notices it and makes
  the PDF from it.
- `send_letter`: by e-mail, one outbox message to each contact of the party that takes e-mail
  (or to an address given when it has none), in the contact's language, with the PDF (and the
  DOCX with `[letters] attach_docx`) attached by sha256; by post, marked sent for posting. Either
  way the final version of both documents (no longer a draft), the outbox rows, the
  correspondence entry, the letter's status and the audit entries commit in one transaction;
  a letter already sent is refused. The dispatcher then sends each message once (workflow/outbox.py).
- `queue_notices`: inside a pause or an extension's own transaction ([parties] notify_on), a draft
  notice to every party quoting the deadline's explanation.

Rendering (about 0.2 s a PDF) happens before the write transaction where it can, so the writer's
turn is not held for it; the write checks again that the letter is still a draft.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from states import records
from states.case import Case
from states.contacts import Channel as ContactChannel
from states.contacts import Recipient as Contact
from states.contacts import check_email
from states.correspondence import (
    NOTICES,
    SEND_CHANNELS,
    Letter,
    LetterStatus,
    check_paragraphs,
    find_letter,
    party_words,
)
from states.documents import Document
from states.errors import ACTOR, Input, InvalidInputError, StepRefusedError
from states.letters import label, needs_deadline
from states.limits import NAME_MAX, check_text
from states.messages import N_
from states.parties import find_party, party_keys
from translations import translator
from workflow import correspondence, inputs, parties
from workflow import letters as letter_rules
from workflow.alerts import new_message_id
from workflow.config import Settings
from workflow.documents import file_document
from workflow.letter_context import Recipient, check_kind, check_language, letter_context
from workflow.logging import get_logger
from workflow.ports import Clock, LetterRenderer, Renderer, Transaction, UnitOfWork

log = get_logger("ncpflow.letters")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
DRAFT_TITLE = N_("{title} (draft)")
LETTER_TITLE = N_("Letter {number}, {kind}, to {party}")
TO = Input(N_("the e-mail address"), "to")
NO_EMAIL = N_(
    "{party} of case {reference} has no contact who takes e-mail; give {to}, or send the letter by post"
)
CHANGED = N_("letter {number} was changed while it was being sent; nothing was sent, send it again")
HAS_EMAIL = N_(
    "{party} of case {reference} has contacts who take e-mail; the letter goes to them, leave out {to}"
)


@dataclass(frozen=True)
class Rendered:
    """A letter rendered: the DOCX, its PDF and its editable text."""

    docx: bytes
    pdf: bytes
    paragraphs: tuple[str, ...]


# -- drafting -------------------------------------------------------------------------------------


def addressee(
    case: Case, key: str, contacts: Sequence[Contact], language: str | None, settings: Settings
) -> Recipient:
    """Whom a letter to party `key` is addressed to: its first contact (representatives first),
    with the first postal address among them, in `language`, else the contact's, else the NCP's."""
    party = dict(party_keys(case.parties))[key]
    first = contacts[0] if contacts else None
    address = next((c.address for c in contacts if c.address), None)
    chosen = language or (first.language if first else None) or settings.ncp.language
    return Recipient(
        key=key,
        name=first.name if first else party.name,
        language=check_language(chosen),
        address=tuple(line.strip() for line in (address or "").splitlines() if line.strip()),
    )


def _title(letter_number: int, kind: str, key: str, language: str, *, draft: bool) -> str:
    tr = translator(language)
    title = tr.gettext(LETTER_TITLE).format(
        number=letter_number, kind=label(kind, tr), party=party_words(key, tr)
    )
    return tr.gettext(DRAFT_TITLE).format(title=title) if draft else title


def _filename(reference: str, number: int, suffix: str) -> str:
    return f"{reference}-letter-{number}.{suffix}"


def _file_pair(
    tx: Transaction,
    *,
    case: Case,
    letter: Letter,
    docx: bytes | Iterator[bytes],
    pdf: bytes | Iterator[bytes],
    draft: bool,
    actor: str,
    at: datetime,
    settings: Settings,
    replace_existing: bool,
) -> tuple[Document, Document]:
    """The letter's DOCX and PDF filed as documents of the case (new versions of its two
    documents when `replace_existing`)."""
    title = _title(letter.number, letter.kind, letter.party, letter.language, draft=draft)
    filed = []
    for content, suffix, number in ((docx, "docx", letter.docx_document), (pdf, "pdf", letter.pdf_document)):
        filed.append(
            file_document(
                tx,
                reference=case.reference,
                source=[content] if isinstance(content, bytes) else content,
                filename=_filename(case.reference, letter.number, suffix),
                title=title,
                # A draft, and the DOCX working copy, are the NCP's own until sent: only the sent
                # PDF goes out, and so only it is an entry of the journal.
                direction="out" if suffix == "pdf" and not draft else "internal",
                party=letter.party,
                access=settings.letters.access,
                exemption=None,
                actor=actor,
                at=at,
                replaces=number if replace_existing else None,
                rules=settings.documents.rules,
            )
        )
    return filed[0], filed[1]


def render_draft(letterpress: LetterRenderer, context: Any) -> Rendered:
    preview = letter_rules.render(letterpress, context)
    assert preview.pdf is not None
    return Rendered(preview.docx, preview.pdf, tuple(preview.paragraphs))


def _context(
    tx: Transaction,
    *,
    uow: UnitOfWork,
    case: Case,
    kind: str,
    party: str,
    language: str | None,
    deadline: str | None,
    settings: Settings,
    today: date,
) -> Any:
    """The letter's context for party `party` of `case`, read in the open transaction `tx`."""
    key = find_party(case.parties, party, reference=case.reference)
    contacts = parties.recipients(uow=uow, reference=case.reference, party=key)  # joins `tx`
    recipient = addressee(case, key, contacts, language, settings)
    by_position = tx.parties.contacts(case.reference)
    return letter_context(
        case=case,
        kind=kind,
        recipient=recipient,
        today=today,
        settings=settings,
        lead=letter_rules.lead_name(tx, case),
        deadline=deadline,
        contacts={
            other: by_position.get(position, [])
            for position, (other, _party) in enumerate(party_keys(case.parties))
        },
        others=tx.cases.protected_parties(),
    )


def _add_draft(
    tx: Transaction,
    *,
    case: Case,
    kind: str,
    context: Any,
    rendered: Rendered,
    actor: str,
    now: datetime,
    settings: Settings,
    notice: str | None = None,
) -> Letter:
    """File a rendered draft in the open transaction `tx`: its documents, its row, its entry."""
    existing = tx.correspondence.letters(case.reference)
    letter = Letter(
        number=max((letter.number for letter in existing), default=0) + 1,
        kind=kind,
        party=context.recipient.key,
        language=context.language,
        status=LetterStatus.DRAFT,
        docx_document=0,  # numbered as they are filed, below
        pdf_document=0,
        docx_sha256=hashlib.sha256(rendered.docx).hexdigest(),
        subject=rendered.paragraphs[0] if rendered.paragraphs else "",
        paragraphs=rendered.paragraphs,
        values=json.loads(json.dumps(dict(context.values), ensure_ascii=False)),
        notice=notice,
        created_at=now,
        created_by=actor,
    )
    docx, pdf = _file_pair(
        tx,
        case=case,
        letter=letter,
        docx=rendered.docx,
        pdf=rendered.pdf,
        draft=True,
        actor=actor,
        at=now,
        settings=settings,
        replace_existing=False,
    )
    letter = replace(letter, docx_document=docx.number, pdf_document=pdf.number)
    tx.correspondence.add_letter(case.reference, letter)
    tx.audit.append(
        case_ref=case.reference,
        actor=actor,
        at=now,
        from_state=case.state,
        to_state=case.state,
        reason=None,
        record=records.LetterDrafted(
            letter.number, kind, letter.party, letter.language, docx.number, pdf.number, notice
        ),
    )
    log.info("letter_drafted", case=case.reference, letter=letter.number, kind=kind, party=letter.party)
    return letter


def draft_letter(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    letterpress: LetterRenderer,
    reference: str,
    kind: str,
    party: str,
    actor: str,
    language: str | None = None,
    deadline: str | None = None,
) -> Letter:
    """A draft letter of `kind` to `party` (its key or name) of case `reference`."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    check_kind(kind)
    if language is not None:
        check_language(language)
    today = settings.policy.calendar.local_date(clock.now())
    with uow.read() as tx:
        case = tx.cases.get(reference)
        context = _context(
            tx,
            uow=uow,
            case=case,
            kind=kind,
            party=party,
            language=language,
            deadline=deadline,
            settings=settings,
            today=today,
        )
    rendered = render_draft(letterpress, context)
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        return _add_draft(
            tx,
            case=case,
            kind=kind,
            context=context,
            rendered=rendered,
            actor=actor,
            now=now,
            settings=settings,
        )


def queue_notices(
    tx: Transaction,
    *,
    uow: UnitOfWork,
    case: Case,
    step: str,
    deadline: str | None,
    actor: str,
    now: datetime,
    settings: Settings,
    letterpress: LetterRenderer,
) -> list[Letter]:
    """Inside a pause's or an extension's transaction (`step`: pause, extension), a draft notice
    to every party of `case` as it now stands, quoting `deadline`'s explanation (a pause: the
    deadline the case works to). None when no deadline is open to quote."""
    kind = NOTICES[step]
    if needs_deadline(kind) and deadline is None and not case.open_deadlines:
        log.info("notices_skipped", case=case.reference, step=step, why="no open deadline to quote")
        return []
    today = settings.policy.calendar.local_date(now)
    drafted = []
    for key, _party in party_keys(case.parties):
        context = _context(
            tx,
            uow=uow,
            case=case,
            kind=kind,
            party=key,
            language=None,
            deadline=deadline,
            settings=settings,
            today=today,
        )
        rendered = render_draft(letterpress, context)
        drafted.append(
            _add_draft(
                tx,
                case=case,
                kind=kind,
                context=context,
                rendered=rendered,
                actor=actor,
                now=now,
                settings=settings,
                notice=step,
            )
        )
    return drafted


# -- editing --------------------------------------------------------------------------------------


def _letter(tx: Transaction, case: Case, number: int) -> Letter:
    return find_letter(tx.correspondence.letters(case.reference), number, reference=case.reference)


def edit_letter(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    letterpress: LetterRenderer,
    reference: str,
    letter: int,
    paragraphs: Sequence[str],
    actor: str,
) -> Letter:
    """The draft's text as the handler edited it (the first paragraph its subject): rendered
    around the context it was drafted with, filed as a new version of its DOCX and PDF."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    text = check_paragraphs(paragraphs)
    with uow.read() as tx:
        case = tx.cases.get(reference)
        found = _letter(tx, case, letter)
        found.check_draft(reference=reference, state=case.state)
    docx, pdf = letterpress.render_edited(text, found.values, found.language)
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        current = _letter(tx, case, letter)
        current.check_draft(reference=reference, state=case.state)
        filed_docx, filed_pdf = _file_pair(
            tx,
            case=case,
            letter=current,
            docx=docx,
            pdf=pdf,
            draft=True,
            actor=actor,
            at=now,
            settings=settings,
            replace_existing=True,
        )
        edited = replace(current, paragraphs=text, subject=text[0], docx_sha256=filed_docx.sha256)
        tx.correspondence.save_letter(reference, edited)
        tx.audit.append(
            case_ref=reference,
            actor=actor,
            at=now,
            from_state=case.state,
            to_state=case.state,
            reason=None,
            record=records.LetterEdited(letter, filed_docx.version, filed_pdf.version),
        )
    log.info("letter_edited", case=reference, letter=letter, version=filed_docx.version)
    return edited


# -- sending --------------------------------------------------------------------------------------


def _latest(documents: Sequence[Document], number: int) -> Document:
    return max((d for d in documents if d.number == number), key=lambda d: d.version)


def _content(tx: Transaction, sha256: str) -> Iterator[bytes]:
    """Stored content, chunk by chunk, read in the open transaction `tx`."""
    seq = 0
    while (chunk := tx.documents.chunk(sha256, seq)) is not None:
        yield chunk
        seq += 1


def _email_contacts(contacts: Sequence[Contact]) -> list[Contact]:
    return [c for c in contacts if c.channel is ContactChannel.EMAIL and c.email]


def send_letter(
    *,
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    letterpress: LetterRenderer,
    render: Renderer,
    reference: str,
    letter: int,
    channel: str,
    actor: str,
    to: str | None = None,
) -> Letter:
    """Send draft `letter` of case `reference` by e-mail (`channel` "email": one outbox message
    per contact of its party that takes e-mail, or to `to` when it has none) or by post (marked
    sent for posting): all of it in one transaction (see the module docstring)."""
    check_text(actor, ACTOR, limit=NAME_MAX)
    inputs.one_of(SEND_CHANNELS, channel, N_("channel"), "channel")
    address = check_email(to) if to else None
    if address is not None and channel != "email":
        raise InvalidInputError(N_("{what} goes with channel email only"), what=TO)
    # Before the write: a DOCX edited in Word (a new version of the letter's DOCX document) is
    # what goes out; its PDF is made from it here, outside the writer's turn.
    with uow.read() as tx:
        case = tx.cases.get(reference)
        found = _letter(tx, case, letter)
        found.check_draft(reference=reference, state=case.state)
        latest_docx = _latest(tx.documents.of_case(reference), found.docx_document)
        uploaded = (
            b"".join(_content(tx, latest_docx.sha256)) if latest_docx.sha256 != found.docx_sha256 else None
        )
        contacts = _email_contacts(parties.recipients(uow=uow, reference=reference, party=found.party))
    if channel == "email":
        _check_addressees(case, found.party, contacts, address)
    word: Rendered | None = None
    if uploaded is not None:
        word = Rendered(
            uploaded, letterpress.pdf(uploaded, found.language), tuple(letterpress.paragraphs_of(uploaded))
        )
    with uow.write() as tx:
        now = clock.now()
        case = tx.cases.get(reference)
        current = _letter(tx, case, letter)
        current.check_draft(reference=reference, state=case.state)  # a send that raced this one
        documents = tx.documents.of_case(reference)
        docx_now, pdf_now = (
            _latest(documents, current.docx_document),
            _latest(documents, current.pdf_document),
        )
        expected = hashlib.sha256(word.docx).hexdigest() if word is not None else current.docx_sha256
        if docx_now.sha256 != expected:  # its DOCX was replaced while this send was prepared
            raise StepRefusedError(
                reference=reference, state=case.state, problem=Input(CHANGED, params={"number": letter})
            )
        docx_source: bytes | Iterator[bytes] = _content(tx, docx_now.sha256)
        pdf_source: bytes | Iterator[bytes] = _content(tx, pdf_now.sha256)
        if word is not None:
            docx_source, pdf_source = word.docx, word.pdf
            subject = word.paragraphs[0] if word.paragraphs else current.subject
            current = replace(current, paragraphs=word.paragraphs, subject=subject)
        final_docx, final_pdf = _file_pair(
            tx,
            case=case,
            letter=current,
            docx=docx_source,
            pdf=pdf_source,
            draft=False,
            actor=actor,
            at=now,
            settings=settings,
            replace_existing=True,
        )
        attached = [_attachment(final_pdf)] + (
            [_attachment(final_docx)] if settings.letters.attach_docx else []
        )
        addressees: list[tuple[str, str, str]] = []  # (address, name, language)
        if channel == "email":
            contacts = _email_contacts(parties.recipients(uow=uow, reference=reference, party=current.party))
            _check_addressees(case, current.party, contacts, address)
            addressees = [(c.email or "", c.name, c.language) for c in contacts] or [
                (address or "", str(current.values.get("recipient", {}).get("name", "")), current.language)
            ]
        outbox = [
            _queue_mail(
                tx,
                case=case,
                letter=current,
                to=to_address,
                name=name,
                language=language,
                attachments=attached,
                now=now,
                settings=settings,
                render=render,
            )
            for to_address, name, language in addressees
        ]
        entry = correspondence.record(
            tx,
            case=case,
            actor=actor,
            now=now,
            at=now,
            direction="out",
            party=current.party,
            channel=channel,
            subject=_logged_subject(current, settings),
            documents=[final_pdf.number, final_docx.number],
            letter=current.number,
        )
        sent = replace(
            current,
            status=LetterStatus.SENT if channel == "email" else LetterStatus.POSTED,
            docx_sha256=final_docx.sha256,
            channel=channel,
            sent_at=now,
            sent_by=actor,
        )
        tx.correspondence.save_letter(reference, sent)
        tx.audit.append(
            case_ref=reference,
            actor=actor,
            at=now,
            from_state=case.state,
            to_state=case.state,
            reason=None,
            record=records.LetterSent(
                current.number,
                channel,
                tuple(a for a, _, _ in addressees),
                tuple(outbox),
                entry.number,
                final_docx.version,
                final_pdf.version,
                final_pdf.sha256,
            ),
        )
    log.info("letter_sent", case=reference, letter=letter, channel=channel, messages=len(outbox))
    return sent


def _logged_subject(letter: Letter, settings: Settings) -> str:
    """What the correspondence log says a letter was about: its subject; for a letter filed as
    NCP-internal (`[letters] access = "ncp"`), only its number and kind, since the log is read by
    those who may not read the letter."""
    if settings.letters.access == "ncp":
        return _title(letter.number, letter.kind, letter.party, "en", draft=False)
    return letter.subject


def _check_addressees(case: Case, party: str, contacts: Sequence[Contact], address: str | None) -> None:
    if not contacts and address is None:
        raise InvalidInputError(NO_EMAIL, party=party, reference=case.reference, to=TO)
    if contacts and address is not None:
        raise InvalidInputError(HAS_EMAIL, party=party, reference=case.reference, to=TO)


def _attachment(document: Document) -> Any:
    from states.outbox import Attachment

    return Attachment(document.filename, document.media_type, document.sha256, document.size)


def _queue_mail(
    tx: Transaction,
    *,
    case: Case,
    letter: Letter,
    to: str,
    name: str,
    language: str,
    attachments: Sequence[Any],
    now: datetime,
    settings: Settings,
    render: Renderer,
) -> int:
    """One e-mail carrying the letter, worded in the recipient's `language`; its outbox id."""
    rendered = render(
        "letter",
        language,
        {
            "reference": case.reference,
            "letter_subject": letter.subject,
            "paragraphs": list(letter.paragraphs[1:]),
            "attachments": [a.filename for a in attachments],
            "recipient_name": name,
            "ncp_name": settings.ncp.name_in(language),
        },
    )
    return tx.outbox.add(
        message_id=new_message_id(settings),
        case_ref=case.reference,
        kind="letter",
        recipient=to,
        language=language,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        at=now,
        attachments=attachments,
    )
