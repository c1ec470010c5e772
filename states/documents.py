"""A case's documents (pure): what a document version is, the rules a filing must meet, and who
sees what of it.

The content itself lives elsewhere (storage: content-addressed, by sha256); here a document is
its metadata. The versions of one document share its number. A filing is refused, with a message
naming the input, when its title, direction, access level, exemption or file name is not one the
rules allow; the size and the real type are checked while the content is read
(`workflow.documents`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from states.errors import Input, InvalidInputError
from states.limits import NAME_MAX, check_text, has_control
from states.messages import N_

DIRECTIONS = ("in", "out", "internal")
ACCESS_LEVELS = ("public", "parties", "ncp")
INTERNAL = "ncp"  # the access level only readers of NCP-internal documents see
EXEMPTIONS = (
    "offentleglova § 13",
    "offentleglova § 14",
    "offentleglova § 15",
    "offentleglova § 20",
    "offentleglova § 24",
)
MAX_SIZE = 50_000_000  # bytes: "50MB"
FILENAME_MAX = 255

TITLE = Input(N_("a title"), "title")
DIRECTION = Input(N_("a direction"), "direction")
ACCESS = Input(N_("an access level"), "access")
EXEMPTION = Input(N_("an exemption"), "exemption")
FILENAME = Input(N_("a file name"), "filename")
FILE = Input(N_("the file"), "file")
REPLACES = Input(N_("the document replaced"), "replaces")
NUMBER = Input(N_("a document number"), "number")
VERSION = Input(N_("a version"), "version")

UNKNOWN = N_("{what}: unknown {kind} '{value}'; one of: {choices}")
HIDDEN_TITLE = N_("[internal document]")
"""What a reader who may not read NCP-internal documents sees for such a document's title."""


@dataclass(frozen=True)
class DocumentRules:
    """What `[documents]` allows: the largest file (bytes), the access levels and the exemption
    grounds."""

    max_size: int = MAX_SIZE
    access: tuple[str, ...] = ACCESS_LEVELS
    exemptions: tuple[str, ...] = EXEMPTIONS


@dataclass(frozen=True)
class Document:
    """One version of a document of a case."""

    reference: str
    number: int
    version: int
    title: str
    direction: str
    party: str | None  # the party's key (states/parties.py)
    access: str
    exemption: str | None
    filename: str
    media_type: str
    size: int
    sha256: str
    added_at: datetime
    added_by: str

    @property
    def internal(self) -> bool:
        return self.access == INTERNAL


@dataclass(frozen=True)
class Filing:
    """A document's metadata as checked, before its content is read."""

    title: str
    direction: str
    access: str
    exemption: str | None
    filename: str


def _one_of(value: str, allowed: Sequence[str], what: Input, kind: str) -> str:
    if value not in allowed:
        raise InvalidInputError(
            UNKNOWN, what=what, kind=Input(kind), value=value[:40], choices=", ".join(allowed)
        )
    return value


def check_filing(
    rules: DocumentRules,
    *,
    title: str,
    direction: str,
    access: str,
    exemption: str | None,
    filename: str,
) -> Filing:
    """The metadata of a filing as the rules allow it, or InvalidInputError naming the input.

    `filename` loses any folder a browser or an archive put before it (`C:\\scans\\a.pdf` is
    `a.pdf`); an exemption on a `public` document is kept (the ground is recorded even where the
    NCP chose to publish), but it must be one of the configured grounds."""
    check_text(title, TITLE, limit=NAME_MAX)
    if has_control(title):
        raise InvalidInputError(N_("{what} must not contain control characters"), what=TITLE)
    _one_of(direction, DIRECTIONS, DIRECTION, N_("direction"))
    _one_of(access, rules.access, ACCESS, N_("access level"))
    ground = exemption.strip() if exemption else None
    if ground is not None:
        _one_of(ground, rules.exemptions, EXEMPTION, N_("exemption"))
    return Filing(title.strip(), direction, access, ground, plain_filename(filename))


def plain_filename(filename: str) -> str:
    """The file's own name, without any folder; refused when empty, too long or holding control
    characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or name in {".", ".."}:
        raise InvalidInputError(N_("{what} is required and must not be blank"), what=FILENAME)
    if len(name) > FILENAME_MAX:
        raise InvalidInputError(
            N_("{what} is {length} characters long; at most {limit}"),
            what=FILENAME,
            length=len(name),
            limit=FILENAME_MAX,
        )
    if has_control(name):
        raise InvalidInputError(N_("{what} must not contain control characters"), what=FILENAME)
    return name


def next_number(documents: Sequence[Document]) -> int:
    """The number a new document of the case gets: one after the highest."""
    return max((d.number for d in documents), default=0) + 1


def next_version(documents: Sequence[Document], number: int, *, reference: str) -> int:
    """The version a replacement of document `number` gets; refused when the case has no such
    document."""
    versions = [d.version for d in documents if d.number == number]
    if not versions:
        raise InvalidInputError(
            N_("case {reference} has no document {number} to replace"),
            reference=reference,
            number=number,
        )
    return max(versions) + 1


def find(documents: Sequence[Document], number: int, version: int | None, *, reference: str) -> Document:
    """Version `version` (default: the latest) of document `number`; refused when there is none."""
    versions = sorted((d for d in documents if d.number == number), key=lambda d: d.version)
    if not versions:
        raise InvalidInputError(
            N_("case {reference} has no document {number}"), reference=reference, number=number
        )
    if version is None:
        return versions[-1]
    for document in versions:
        if document.version == version:
            return document
    raise InvalidInputError(
        N_("document {number} of case {reference} has no version {version}; its versions are {versions}"),
        reference=reference,
        number=number,
        version=version,
        versions=", ".join(str(d.version) for d in versions),
    )


def size_text(size: int) -> str:
    """A size in bytes as people read it, in decimal units as `[documents] max_size` is given:
    `50 MB`, `1.5 kB`, `512 bytes`."""
    if size < 1000:
        return f"{size} bytes"
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            amount = size / scale
            return f"{amount:.0f} {unit}" if amount == int(amount) else f"{amount:.1f} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def withheld_data(kind: str, data: Mapping[str, Any]) -> dict[str, Any] | None:
    """A `document_added` entry's data as a reader without the right to read NCP-internal
    documents sees it: an `ncp` document's title and file name replaced by `HIDDEN_TITLE` (the
    sha256 stays); None when nothing is hidden."""
    if kind != "document_added" or data.get("access") != INTERNAL:
        return None
    return {**data, "title": HIDDEN_TITLE, "filename": HIDDEN_TITLE}
