"""Use cases on a case's documents: file one (or a new version of one), list them, open one.

The content is read once, chunk by chunk, into a temporary file (in memory up to one chunk,
then on disk), hashing it and counting its size as it goes: a file over `[documents] max_size`
is refused as soon as it passes the limit, and one whose real type (`filetype`, on its first
bytes) contradicts its name's extension right after, both before anything is written. Then one
write transaction stores the content (once per sha256, in 1 MiB chunks), the document's row and
its `document_added` audit entry, whose data holds the sha256: the chain binds the bytes filed.

`file_document(tx, ...)` does the filing inside a transaction the caller holds, so another use
case (a letter sent) files its document in its own transaction. Opening a document streams its
chunks, each read in a short read of its own (stored content never changes), and checks the
sha256 at the end: altered content is never handed out as whole.
"""

from __future__ import annotations

import hashlib
import mimetypes
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import PurePath
from types import TracebackType
from typing import IO, TYPE_CHECKING, Protocol, Self, runtime_checkable

from states import records
from states.documents import (
    FILE,
    HIDDEN_TITLE,
    Document,
    DocumentRules,
    Filing,
    check_filing,
    find,
    next_number,
    next_version,
    size_text,
)
from states.errors import ACTOR, InvalidInputError, StorageError
from states.limits import NAME_MAX, check_text
from states.messages import N_
from states.parties import find_party, may_see, party_keys
from states.permissions import Action, PermissionDeniedError, allows
from states.users import User
from workflow import read_models
from workflow.logging import get_logger
from workflow.ports import Clock, Transaction, UnitOfWork

if TYPE_CHECKING:
    from states.redaction import Redaction

log = get_logger("ncpflow.documents")

CHUNK = 1 << 20  # 1 MiB: how content is stored, read and streamed
HEAD = 8192  # the first bytes `filetype` reads

TOO_LARGE = N_("{what} {filename} is larger than {limit}, the most a document may be ([documents] max_size)")
EMPTY = N_("{what} {filename} is empty")
CONTRADICTS = N_("{what} {filename} holds {found} ({media_type}), not what its name ending .{ending} says")
NOT_WHAT_NAMED = N_("{what} {filename} is named .{ending}, but its content is not a .{ending} file")
HIDDEN_FILENAME = "internal-document"


@runtime_checkable
class BinaryReader(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


Source = Iterable[bytes] | BinaryReader
"""A document's content: byte chunks of any size, or a binary file object."""


# -- reading the content once ---------------------------------------------------------------------


class Spooled:
    """A content read once: in a temporary file (memory up to one chunk, then disk), with its size,
    sha256 and first bytes. Close it (or use it as a context manager) when done."""

    def __init__(self, file: IO[bytes], size: int, sha256: str, head: bytes, filename: str) -> None:
        self._file, self.size, self.sha256, self.head, self.filename = file, size, sha256, head, filename

    def chunks(self) -> Iterator[bytes]:
        """The content again, in 1 MiB chunks."""
        self._file.seek(0)
        while chunk := self._file.read(CHUNK):
            yield chunk

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _pieces(source: Source) -> Iterator[bytes]:
    if isinstance(source, BinaryReader):  # before Iterable: a file iterates by lines
        while piece := source.read(CHUNK):
            yield piece
        return
    for piece in source:
        if not isinstance(piece, bytes | bytearray | memoryview):
            raise TypeError(f"a document's content is bytes, not {type(piece).__name__}")
        yield bytes(piece)


class Spooler:
    """Takes a content piece by piece (`write`), hashing and counting it, refusing it as soon as
    it passes `max_size` (with `too_large()`'s error when given, else a document's);
    `done()` gives the `Spooled` content, `discard()` drops it."""

    def __init__(
        self, *, filename: str, max_size: int, too_large: Callable[[], InvalidInputError] | None = None
    ) -> None:
        self.filename, self.max_size, self.too_large = filename, max_size, too_large
        self._file: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=CHUNK)  # noqa: SIM115 - closed by Spooled
        self._digest = hashlib.sha256()
        self._size = 0
        self._head = b""

    def write(self, piece: bytes) -> None:
        self._size += len(piece)
        if self._size > self.max_size:
            self.discard()
            if self.too_large is not None:
                raise self.too_large()
            raise InvalidInputError(
                TOO_LARGE, what=FILE, filename=self.filename, limit=size_text(self.max_size)
            )
        if len(self._head) < HEAD:
            self._head += piece[: HEAD - len(self._head)]
        self._digest.update(piece)
        self._file.write(piece)

    def done(self) -> Spooled:
        if self._size == 0:
            self.discard()
            raise InvalidInputError(EMPTY, what=FILE, filename=self.filename)
        return Spooled(self._file, self._size, self._digest.hexdigest(), self._head, self.filename)

    def discard(self) -> None:
        self._file.close()


def spool(source: Source, *, filename: str, max_size: int) -> Spooled:
    """Read `source` once, refusing it (InvalidInputError) as soon as it passes `max_size` bytes
    or when it is empty; nothing is kept of a refused file."""
    spooler = Spooler(filename=filename, max_size=max_size)
    try:
        for piece in _pieces(source):
            spooler.write(piece)
    except BaseException:
        spooler.discard()
        raise
    return spooler.done()


# -- the real type against the name -----------------------------------------------------------------

# Extensions that name one kind of content (`filetype`'s extension first).
_FAMILIES: tuple[frozenset[str], ...] = tuple(
    frozenset(family)
    for family in (
        {"jpg", "jpeg", "jpe", "jfif"},
        {"tif", "tiff"},
        {"png", "apng"},
        {"mpg", "mpeg"},
        {"midi", "mid"},
        {"mp4", "m4v", "m4a"},
        {"gz", "tgz"},
        # Office Open XML, OpenDocument and other zip containers are zip files too.
        {
            "zip",
            "docx",
            "docm",
            "dotx",
            "xlsx",
            "xlsm",
            "xltx",
            "pptx",
            "pptm",
            "potx",
            "odt",
            "ods",
            "odp",
            "odg",
            "epub",
            "jar",
        },
        # OLE compound files: older Word, Excel, PowerPoint, and Outlook messages.
        {"doc", "dot", "xls", "xlt", "ppt", "pot", "msg"},
    )
)
# Extensions whose content has a signature `filetype` always recognises: a file so named whose
# content is not recognised is not what its name says.
_SIGNED = frozenset(
    {"pdf", "png", "jpg", "jpeg", "jpe", "gif", "bmp", "tif", "tiff", "webp", "rtf", "gz", "7z", "rar"}
    | {"zip", "docx", "docm", "xlsx", "xlsm", "pptx", "pptm", "odt", "ods", "odp", "epub"}
)
# Media types by name, from Python's own table only (not the machine's /etc/mime.types), so every
# installation names a file alike.
_BY_NAME = mimetypes.MimeTypes()


def _family(extension: str) -> frozenset[str]:
    return next((f for f in _FAMILIES if extension in f), frozenset({extension}))


def media_type(filename: str, head: bytes) -> str:
    """The media type of a content starting with `head` filed as `filename`: from the content
    where `filetype` recognises it, else from the name; refused (InvalidInputError) when the two
    contradict each other."""
    import filetype  # imported by the filing only

    extension = PurePath(filename).suffix.lower().lstrip(".")
    kind = filetype.guess(head)
    by_name = _BY_NAME.guess_type(filename, strict=False)[0]
    if kind is None:
        if extension in _SIGNED:
            raise InvalidInputError(NOT_WHAT_NAMED, what=FILE, filename=filename, ending=extension)
        return by_name or "application/octet-stream"
    if extension and extension not in _family(kind.extension):
        raise InvalidInputError(
            CONTRADICTS,
            what=FILE,
            filename=filename,
            found=f".{kind.extension}",
            media_type=kind.mime,
            ending=extension,
        )
    return str(kind.mime) if extension in ("", kind.extension) or by_name is None else by_name


# -- filing -----------------------------------------------------------------------------------------


def _where(
    tx: Transaction, reference: str, party: str | None, replaces: int | None
) -> tuple[str | None, int, int]:
    """The case's party key for `party`, and the new document's number and version; the case,
    the party and the document replaced must exist."""
    case = tx.cases.get(reference)
    key = find_party(case.parties, party, reference=reference) if party else None
    existing = tx.documents.of_case(reference)
    if replaces is None:
        return key, next_number(existing), 1
    return key, replaces, next_version(existing, replaces, reference=reference)


def _content(source: Source | Spooled, filename: str, rules: DocumentRules) -> tuple[Spooled, str]:
    """The content, read (unless read already) with its size checked, and its media type from
    its real type checked against its name; a refused one is not kept."""
    spooled = (
        source if isinstance(source, Spooled) else spool(source, filename=filename, max_size=rules.max_size)
    )
    try:
        if spooled.size > rules.max_size:
            raise InvalidInputError(TOO_LARGE, what=FILE, filename=filename, limit=size_text(rules.max_size))
        return spooled, media_type(filename, spooled.head)
    except BaseException:
        if spooled is not source:
            spooled.close()
        raise


def _filing(
    rules: DocumentRules,
    *,
    title: str,
    direction: str,
    access: str,
    exemption: str | None,
    filename: str,
    actor: str,
) -> Filing:
    check_text(actor, ACTOR, limit=NAME_MAX)
    return check_filing(
        rules, title=title, direction=direction, access=access, exemption=exemption, filename=filename
    )


def added(document: Document) -> records.DocumentAdded:
    """The `document_added` record of a document version: the chain binds its metadata and
    its content's sha256."""
    return records.DocumentAdded(
        number=document.number,
        version=document.version,
        title=document.title,
        direction=document.direction,
        party=document.party,
        access=document.access,
        exemption=document.exemption,
        filename=document.filename,
        media_type=document.media_type,
        size=document.size,
        sha256=document.sha256,
    )


def file_document(
    tx: Transaction,
    *,
    reference: str,
    source: Source | Spooled,
    filename: str,
    title: str,
    direction: str,
    party: str | None,
    access: str,
    exemption: str | None,
    actor: str,
    at: datetime,
    replaces: int | None = None,
    rules: DocumentRules | None = None,
    reason: str | None = None,
) -> Document:
    """File a document of case `reference` (or, with `replaces`, a new version of that document)
    inside the caller's write transaction `tx`: its content (once per sha256), its row and its
    `document_added` entry. `party` is a party's key or name (states/parties.py); `rules` are
    `[documents]`'s (default: the built-in ones). Every refusal is an InvalidInputError (an
    unknown case CaseNotFoundError) raised before anything is written. `reason`: the entry's
    reason (what a party sent through its link names the link)."""
    rules = rules or DocumentRules()
    filing = _filing(
        rules,
        title=title,
        direction=direction,
        access=access,
        exemption=exemption,
        filename=filename,
        actor=actor,
    )
    key, number, version = _where(tx, reference, party, replaces)
    spooled, kind = _content(source, filing.filename, rules)
    try:
        state = tx.cases.get(reference).state
        if not tx.documents.has_content(spooled.sha256):
            tx.documents.add_content(sha256=spooled.sha256, size=spooled.size, chunks=spooled.chunks(), at=at)
        document = Document(
            reference=reference,
            number=number,
            version=version,
            title=filing.title,
            direction=filing.direction,
            party=key,
            access=filing.access,
            exemption=filing.exemption,
            filename=filing.filename,
            media_type=kind,
            size=spooled.size,
            sha256=spooled.sha256,
            added_at=at,
            added_by=actor,
        )
        tx.documents.add(document)
        tx.audit.append(
            case_ref=reference,
            actor=actor,
            at=at,
            from_state=state,
            to_state=state,
            reason=reason,
            record=added(document),
        )
    finally:
        if spooled is not source:
            spooled.close()
    return document


def add_document(
    *,
    uow: UnitOfWork,
    clock: Clock,
    rules: DocumentRules,
    reference: str,
    source: Source | Spooled,
    filename: str,
    title: str,
    direction: str,
    access: str,
    actor: str,
    party: str | None = None,
    exemption: str | None = None,
    replaces: int | None = None,
) -> Document:
    """`doc add`: file a document in one write transaction with its audit entry. The metadata,
    the case, the party and the document replaced are checked first, then the content is read
    (size and type checked) before the writer's turn is taken. `source` may be read already (a
    `Spooled` upload: the caller closes it)."""
    filing = _filing(
        rules,
        title=title,
        direction=direction,
        access=access,
        exemption=exemption,
        filename=filename,
        actor=actor,
    )
    with uow.read() as tx:
        _where(tx, reference, party, replaces)
    spooled, _kind = _content(source, filing.filename, rules)  # refused before the writer's turn
    try:
        with uow.write() as tx:
            document = file_document(
                tx,
                reference=reference,
                source=spooled,
                filename=filing.filename,
                title=filing.title,
                direction=filing.direction,
                party=party,
                access=filing.access,
                exemption=filing.exemption,
                actor=actor,
                at=clock.now(),
                replaces=replaces,
                rules=rules,
            )
    finally:
        if spooled is not source:  # an upload read already: its reader closes it
            spooled.close()
    log.info(
        "document_added",
        case=reference,
        number=document.number,
        version=document.version,
        size=document.size,
        sha256=document.sha256,
        actor=actor,
    )
    return document


# -- reading ------------------------------------------------------------------------------------------


def may_read_internal(viewer: User | None) -> bool:
    """Whether `viewer` reads NCP-internal (`ncp`) documents: the command line (no viewer) does."""
    return viewer is None or allows(viewer.role, Action.READ_INTERNAL)


def _version_view(
    document: Document, names: dict[str, str], *, internal: bool
) -> read_models.DocumentVersion:
    hidden = document.internal and not internal
    return read_models.DocumentVersion(
        number=document.number,
        version=document.version,
        title=HIDDEN_TITLE if hidden else document.title,
        direction=document.direction,  # type: ignore[arg-type]
        party=document.party,
        party_name=names.get(document.party) if document.party else None,
        access=document.access,
        exemption=document.exemption,
        filename=_hidden_name(document) if hidden else document.filename,
        media_type=document.media_type,
        size=document.size,
        sha256=document.sha256,
        added_at=document.added_at.isoformat(),
        added_by=document.added_by,
        hidden=hidden,
    )


def _hidden_name(document: Document) -> str:
    suffix = PurePath(document.filename).suffix
    return f"{HIDDEN_FILENAME}-{document.number}{suffix if len(suffix) <= 10 else ''}"


def document_views(
    documents: Iterable[Document], names: dict[str, str], *, internal: bool
) -> list[read_models.CaseDocument]:
    """Each document with its versions (oldest first), its latest version's fields on top."""
    by_number: dict[int, list[read_models.DocumentVersion]] = {}
    for document in documents:
        by_number.setdefault(document.number, []).append(_version_view(document, names, internal=internal))
    return [
        read_models.CaseDocument(**versions[-1].model_dump(), versions=versions)
        for _number, versions in sorted(by_number.items())
    ]


def _read(
    uow: UnitOfWork, reference: str, viewer: User | None, language: str
) -> tuple[list[Document], dict[str, str], Redaction]:
    from states.redaction import NOTHING
    from workflow import redaction as redactions

    with uow.read() as tx:
        case = tx.cases.get(reference)
        documents = tx.documents.of_case(reference)
        names = {key: party.name for key, party in party_keys(case.parties)}
        redaction = NOTHING if viewer is None else redactions.for_viewer(tx, viewer, language)
    return documents, names, redaction


_IDENTIFIERS = frozenset({"documents", "versions"})


def list_documents(
    *, uow: UnitOfWork, reference: str, viewer: User | None = None, language: str = "en"
) -> read_models.CaseDocuments:
    """`doc list`: the case's documents as `viewer` may see them (no viewer: all of it), the
    pseudonyms in `language`."""
    from workflow.views import redacted

    documents, names, redaction = _read(uow, reference, viewer, language)
    found = read_models.CaseDocuments(
        reference=reference,
        documents=document_views(documents, names, internal=may_read_internal(viewer)),
    )
    return redacted(found, redaction, reference)


def get_document(
    *, uow: UnitOfWork, reference: str, number: int, viewer: User | None = None
) -> read_models.CaseDocument:
    """One document of the case with its versions; refused when the case has no such document."""
    listed = list_documents(uow=uow, reference=reference, viewer=viewer)
    for document in listed.documents:
        if document.number == number:
            return document
    raise InvalidInputError(
        N_("case {reference} has no document {number}"), reference=reference, number=number
    )


@dataclass(frozen=True)
class OpenDocument:
    """A document version and its content, streamed: `chunks` reads one chunk at a time."""

    document: Document
    chunks: Iterator[bytes]


def open_document(
    *, uow: UnitOfWork, reference: str, number: int, version: int | None = None, viewer: User | None = None
) -> OpenDocument:
    """Version `version` (default: the latest) of document `number`, with its content as an
    iterator of chunks. A viewer without the right to read NCP-internal documents is refused an
    `ncp` one, and one who may not see the party a document came from or went to (its identity
    withheld, or at risk of reprisal: `states.parties.may_see`) is refused its content, which names
    it (PermissionDeniedError); the file's name is redacted as that viewer reads names. The iterator
    raises StorageError at its end when the content read does not hash to the document's sha256
    (content altered in the database)."""
    from states.redaction import NOTHING
    from workflow import parties
    from workflow import redaction as redactions

    with uow.read() as tx:
        case = tx.cases.get(reference)
        document = find(tx.documents.of_case(reference), number, version, reference=reference)
        redaction = NOTHING if viewer is None else redactions.for_viewer(tx, viewer)
    if viewer is None:
        return OpenDocument(document, _stream(uow, document))
    if document.internal and not may_read_internal(viewer):
        raise PermissionDeniedError(viewer.role, Action.READ_INTERNAL)
    party = dict(party_keys(case.parties)).get(document.party or "")
    if party is not None and not may_see(party, role=viewer.role, leads=parties.leads(viewer, case)):
        hidden = Action.SEE_AT_RISK_IDENTITIES if party.reprisal_risk else Action.SEE_IDENTITIES
        raise PermissionDeniedError(viewer.role, hidden)
    shown = replace(document, filename=redaction.text(document.filename, reference))
    return OpenDocument(shown, _stream(uow, document))


def _stream(uow: UnitOfWork, document: Document) -> Iterator[bytes]:
    return content_chunks(uow, document.sha256, document.size, altered(document))


def content_chunks(uow: UnitOfWork, sha256: str, size: int, problem: str) -> Iterator[bytes]:
    """A stored content's chunks, each read in a short read of its own; StorageError(`problem`)
    after the last one when they do not hash to `sha256` or add up to `size`."""
    digest = hashlib.sha256()
    total = 0
    seq = 0
    while True:
        with uow.read() as tx:
            chunk = tx.documents.chunk(sha256, seq)
        if chunk is None:
            break
        digest.update(chunk)
        total += len(chunk)
        seq += 1
        yield chunk
    if total != size or digest.hexdigest() != sha256:
        raise StorageError(problem)


def altered(document: Document) -> str:
    """The sentence naming a document whose stored content no longer hashes to its sha256."""
    return (
        f"document {document.number} version {document.version} of case {document.reference} "
        f"(sha256 {document.sha256}): its stored content has changed"
    )


# -- verification ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentFinding:
    """A document whose stored content, row or audit entry do not agree."""

    reference: str
    number: int
    version: int
    sha256: str
    problem: str

    @property
    def message(self) -> str:
        return (
            f"document {self.number} version {self.version} of case {self.reference} "
            f"(sha256 {self.sha256}): {self.problem}"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "case": self.reference,
            "number": self.number,
            "version": self.version,
            "sha256": self.sha256,
            "problem": self.problem,
            "message": self.message,
        }


Recorded = dict[tuple[str, object, object], tuple[int, dict[str, object]]]
"""The `document_added` entries of a log: (case, number, version) -> (seq, data)."""


def _rehash(tx: Transaction, sha256: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    seq = 0
    while (chunk := tx.documents.chunk(sha256, seq)) is not None:
        digest.update(chunk)
        size += len(chunk)
        seq += 1
    return digest.hexdigest(), size


def check_documents(tx: Transaction, recorded: Recorded) -> tuple[int, list[DocumentFinding]]:
    """Every stored content hashed again (chunk by chunk) and compared with its sha256 and size;
    every document row compared with its `document_added` entry in `recorded` (read from the
    chain as it was verified), and every entry with its row. Returns how many document versions
    were checked, and what does not agree."""
    findings: list[DocumentFinding] = []
    documents = list(tx.documents.every())
    changed: dict[str, str] = {}
    for content in tx.documents.contents():
        found, size = _rehash(tx, content.sha256)
        if found != content.sha256 or size != content.size:
            changed[content.sha256] = (
                f"its stored content has changed: it hashes to {found} ({size} bytes, {content.size} filed)"
            )
    unmatched = dict(recorded)
    for document in documents:
        key: tuple[str, object, object] = (document.reference, document.number, document.version)
        problems: list[str] = []
        if document.sha256 in changed:
            problems.append(changed[document.sha256])
        elif tx.documents.content(document.sha256) is None:
            problems.append("its content is missing")
        entry = unmatched.pop(key, None)
        if entry is None:
            problems.append("it has no document_added entry in the audit log")
        else:
            seq, data = entry
            row = added(document).to_data()
            differing = sorted(k for k in set(row) | set(data) if row.get(k) != data.get(k))
            if differing:
                problems.append(
                    f"its row does not match its document_added entry (seq {seq}): {', '.join(differing)}"
                )
        findings += [
            DocumentFinding(document.reference, document.number, document.version, document.sha256, problem)
            for problem in problems
        ]
    for (reference, number, version), (seq, data) in sorted(unmatched.items(), key=lambda i: i[1][0]):
        findings.append(
            DocumentFinding(
                reference,
                number if isinstance(number, int) else 0,
                version if isinstance(version, int) else 0,
                str(data.get("sha256", "")),
                f"its document_added entry (seq {seq}) has no document in the database",
            )
        )
    return len(documents), findings
