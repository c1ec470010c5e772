"""A case's letters as a reader may see them, and a letter's DOCX or PDF to download."""

from __future__ import annotations

from states.correspondence import Letter, find_letter
from states.documents import Document
from states.errors import Input, InvalidInputError
from states.messages import N_
from states.parties import party_keys
from states.users import User
from workflow import read_models
from workflow import redaction as redactions
from workflow.documents import OpenDocument, may_read_internal, open_document
from workflow.ports import UnitOfWork

FORMATS = ("docx", "pdf")


def _file(documents: list[Document], number: int) -> read_models.LetterFile:
    latest = max((d for d in documents if d.number == number), key=lambda d: d.version)
    return read_models.LetterFile(
        document=number,
        version=latest.version,
        filename=latest.filename,
        size=latest.size,
        sha256=latest.sha256,
    )


def letter_view(
    letter: Letter, documents: list[Document], names: dict[str, str], *, internal: bool
) -> read_models.CaseLetter:
    docx, pdf = _file(documents, letter.docx_document), _file(documents, letter.pdf_document)
    hidden = not internal and any(d.internal for d in documents if d.number == letter.pdf_document)
    return read_models.CaseLetter(
        number=letter.number,
        kind=letter.kind,
        party=letter.party,
        party_name=names.get(letter.party, letter.party),
        language=letter.language,
        status=letter.status.value,
        subject="" if hidden else letter.subject,
        paragraphs=[] if hidden else list(letter.paragraphs[1:]),
        hidden=hidden,
        docx=docx,
        pdf=pdf,
        edited_in_word=letter.is_draft and docx.sha256 != letter.docx_sha256,
        notice=letter.notice,
        created_at=letter.created_at.isoformat() if letter.created_at else "",
        created_by=letter.created_by,
        channel=letter.channel,
        sent_at=letter.sent_at.isoformat() if letter.sent_at else None,
        sent_by=letter.sent_by,
    )


def case_letters(
    *, uow: UnitOfWork, reference: str, viewer: User | None = None, language: str = "en"
) -> read_models.CaseLetters:
    """The case's letters by number; for a `viewer`, names and text redacted as it may see them,
    and the text of an `ncp`-access letter withheld from a reader who may not read it."""
    from workflow import letters as letter_rules
    from workflow.views import redacted

    with uow.read() as tx:
        case = tx.cases.get(reference)
        offered = list(letter_rules.offered(tx, case))
        letters = tx.correspondence.letters(reference)
        documents = tx.documents.of_case(reference)
        redaction = redactions.for_viewer(tx, viewer, language) if viewer is not None else None
    names = {key: party.name for key, party in party_keys(case.parties)}
    internal = may_read_internal(viewer)
    found = read_models.CaseLetters(
        reference=reference,
        letters=[letter_view(letter, documents, names, internal=internal) for letter in letters],
        offered=offered,
    )
    return found if redaction is None else redacted(found, redaction, reference)


def letter_file(
    *, uow: UnitOfWork, reference: str, letter: int, format: str, viewer: User | None = None
) -> OpenDocument:
    """The latest version of letter `letter`'s DOCX or PDF (`format`), streamed, as the
    documents give it to `viewer`."""
    if format not in FORMATS:
        raise InvalidInputError(
            N_("{what}: unknown format '{value}'; one of: {choices}"),
            what=Input("", "format"),
            value=format[:40],
            choices=", ".join(FORMATS),
        )
    with uow.read() as tx:
        tx.cases.get(reference)
        found = find_letter(tx.correspondence.letters(reference), letter, reference=reference)
    number = found.docx_document if format == "docx" else found.pdf_document
    return open_document(uow=uow, reference=reference, number=number, viewer=viewer)
