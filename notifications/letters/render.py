"""Letters rendered from their Word templates (docxtpl), and the same text laid out as a PDF.

- `render_letter(kind, language, context)`: the template LANGUAGE/KIND.docx rendered with the
  one strict environment (StrictUndefined: a variable the context lacks is an error, never an
  empty gap; autoescaped, so a value is text in the XML, never markup);
- `parts_of(docx)`: a rendered letter's paragraphs sorted into its parts by their styles
  (parts.py); `paragraphs_of(docx)`: the editable ones (subject, body, signature) as
  plain text, the editor's first content; `text_of(docx)`: the whole letter as plain text;
- `pdf_of(docx, language)`: the PDF of exactly the text the DOCX holds: its parts laid out as an
  HTML letter (letterhead, recipient, date, reference, subject, body, signature) and printed by
  WeasyPrint, which fetches nothing;
- `render_edited(paragraphs, context, language)`: a letter the handler edited (its first
  paragraph the subject) in the generic layout LANGUAGE/letter.docx, as DOCX and PDF.

`Stationery(folder)` does all of this with an NCP's own templates: a file in `folder` by the same
relative name ("nb/acknowledgement.docx") is used instead of the shipped one.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notifications.letters import parts
from states.letters import KINDS, LetterTemplateError
from states.statements import KINDS as STATEMENT_KINDS
from translations import LANGUAGES

if TYPE_CHECKING:
    from jinja2 import Environment

LAYOUT = "letter"  # the edited letters' layout: LANGUAGE/letter.docx
# A statement's template: LANGUAGE/statement_KIND.docx (rendered by `render_letter` by that name).
STATEMENTS = tuple(f"statement_{kind}" for kind in STATEMENT_KINDS)
MAX_TEMPLATE_BYTES = 16 * 2**20
# What XML 1.0 cannot hold, and the characters docxtpl turns into new paragraphs or pages
# (\a, \f): dropped from every value. Tabs and line breaks stay.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one environment every letter renders in: a missing variable is an error; values are
    escaped for XML. docxtpl compiles each part of a template from its XML text at every render:
    the compiled template is kept per text (the same template's parts are the same text)."""
    from jinja2 import Environment, StrictUndefined, Template

    class Compiled(Environment):
        def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            with _COMPILED_LOCK:
                found = _COMPILED.get(source)
            if found is None:
                found = super().from_string(source)
                with _COMPILED_LOCK:
                    if len(_COMPILED) >= _COMPILED_MAX:
                        _COMPILED.pop(next(iter(_COMPILED)))
                    _COMPILED[source] = found
            return found

    return Compiled(undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True)


_COMPILED: dict[str, Any] = {}
_COMPILED_MAX = 256  # the parts of every template in both languages, and some NCP ones
_COMPILED_LOCK = threading.Lock()


def clean(value: Any) -> Any:
    """`value` with every string in it (all the way down) free of characters a Word document
    cannot hold or that docxtpl would read as a paragraph or page break."""
    if isinstance(value, str):
        return _NOT_TEXT.sub("", value)
    if isinstance(value, Mapping):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean(item) for item in value]
    return value


@dataclass(frozen=True)
class LetterParts:
    """A rendered letter, paragraph by paragraph, sorted into its parts."""

    letterhead: tuple[str, ...] = ()
    recipient: tuple[str, ...] = ()
    date: str = ""
    reference: str = ""
    subject: str = ""
    body: tuple[tuple[str, str], ...] = ()  # ("p" or "quote", text), in order
    signature: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stationery:
    """The letter templates: the shipped ones, each replaced by a file of the same relative name
    in `folder` when it has one (config.toml's `[letters] templates`)."""

    folder: Path | None = None
    _cache: dict[str, tuple[float, bytes]] = field(default_factory=dict, repr=False, compare=False)

    def template(self, name: str, language: str) -> tuple[str, bytes]:
        """The template `name` ("acknowledgement", "letter") in `language`: where it comes from
        (for messages) and its bytes."""
        if language not in LANGUAGES:
            raise LetterTemplateError(
                template=f"{language}/{name}.docx", problem=f"no such language; one of {', '.join(LANGUAGES)}"
            )
        if name not in KINDS and name != LAYOUT and name not in STATEMENTS:
            raise LetterTemplateError(
                template=f"{language}/{name}.docx",
                problem=f"no such letter kind; one of {', '.join((*KINDS, *STATEMENTS))}",
            )
        relative = f"{language}/{name}.docx"
        if self.folder is not None:
            path = self.folder / relative
            if path.is_file():
                return str(path), self._read(path)
        shipped = resources.files("notifications.letters").joinpath(relative)
        return f"{relative} (shipped)", shipped.read_bytes()

    def _read(self, path: Path) -> bytes:
        """An NCP's template, read again only when the file changed (edited in Word meanwhile)."""
        try:
            stamp = path.stat().st_mtime
            cached = self._cache.get(str(path))
            if cached is not None and cached[0] == stamp:
                return cached[1]
            with path.open("rb") as handle:
                data = handle.read(MAX_TEMPLATE_BYTES + 1)
        except OSError as exc:
            raise LetterTemplateError(template=str(path), problem=f"cannot be read: {exc.strerror}") from None
        if len(data) > MAX_TEMPLATE_BYTES:
            raise LetterTemplateError(template=str(path), problem="larger than 16 MiB")
        self._cache[str(path)] = (stamp, data)
        return data

    def render_letter(self, kind: str, language: str, context: Mapping[str, Any]) -> bytes:
        """The letter `kind` in `language` as DOCX: its template rendered with `context`."""
        source, template = self.template(kind, language)
        return _render(source, template, context)

    def render_edited(
        self, paragraphs: Sequence[str], context: Mapping[str, Any], language: str
    ) -> tuple[bytes, bytes]:
        """A letter the handler edited, as (DOCX, PDF): `paragraphs` (the first its subject) in
        the layout LANGUAGE/letter.docx, around the letterhead, recipient, date and reference
        `context` gives."""
        texts = [text.strip() for text in paragraphs if text.strip()]
        if not texts:
            raise LetterTemplateError(template=f"{language}/{LAYOUT}.docx", problem="the letter is empty")
        source, template = self.template(LAYOUT, language)
        docx = _render(source, template, {**context, "subject": texts[0], "paragraphs": texts[1:]})
        return docx, pdf_of(docx, language)

    def pdf(self, docx: bytes, language: str) -> bytes:
        """The PDF of the letter in `docx` (`pdf_of`)."""
        return pdf_of(docx, language)

    def paragraphs_of(self, docx: bytes) -> list[str]:
        """What the handler edits of the letter in `docx` (`paragraphs_of`)."""
        return paragraphs_of(docx)

    def text_of(self, docx: bytes) -> str:
        """The letter in `docx` as plain text (`text_of`)."""
        return text_of(docx)


def _render(source: str, template: bytes, context: Mapping[str, Any]) -> bytes:
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError, UndefinedError

    try:
        document = DocxTemplate(io.BytesIO(template))
        document.render(clean(context), jinja_env=environment())
    except UndefinedError as exc:
        problem = f"{exc.message} (the context gives no such variable)"
        raise LetterTemplateError(template=source, problem=problem) from None
    except TemplateError as exc:
        raise LetterTemplateError(template=source, problem=f"not a valid template: {exc}") from None
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LetterTemplateError(template=source, problem=f"not a Word document (.docx): {exc}") from None
    out = io.BytesIO()
    document.save(out)
    return stable(out.getvalue())


def stable(docx: bytes) -> bytes:
    """The same letter, the same bytes (so the same sha256 and one stored content): the zip's
    members stamped with a fixed time instead of the wall clock's."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type, member.external_attr = info.compress_type, info.external_attr
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def _document(docx: bytes) -> Any:
    from docx import Document

    return Document(io.BytesIO(docx))


def parts_of(docx: bytes) -> LetterParts:
    """The paragraphs of a rendered letter by part, as their styles name them; a paragraph of
    any other style is body text, and empty ones are left out."""
    letterhead: list[str] = []
    recipient: list[str] = []
    dates: list[str] = []
    references: list[str] = []
    subjects: list[str] = []
    body: list[tuple[str, str]] = []
    signature: list[str] = []
    simple = {
        parts.LETTERHEAD: letterhead,
        parts.RECIPIENT: recipient,
        parts.DATE: dates,
        parts.REFERENCE: references,
    }
    for paragraph in _document(docx).paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = paragraph.style.name if paragraph.style is not None else ""
        if style in simple:
            simple[style].append(text)
        elif style == parts.SUBJECT and not subjects:
            subjects.append(text)
        elif style == parts.SIGNATURE:
            signature.append(text)
        else:
            body.append(("quote" if style == parts.QUOTE else "p", text))
    return LetterParts(
        letterhead=tuple(letterhead),
        recipient=tuple(recipient),
        date=" ".join(dates),
        reference=" ".join(references),
        subject=subjects[0] if subjects else "",
        body=tuple(body),
        signature=tuple(signature),
    )


def paragraphs_of(docx: bytes) -> list[str]:
    """What the handler edits of a rendered letter, as plain text paragraphs: its subject, the
    body, and the signature as one paragraph of lines (`render_edited` takes them back)."""
    letter = parts_of(docx)
    found = [letter.subject] if letter.subject else []
    found.extend(text for _kind, text in letter.body)
    if letter.signature:
        found.append("\n".join(letter.signature))
    return found


def text_of(docx: bytes) -> str:
    """The whole letter as plain text, a blank line between its parts and paragraphs."""
    letter = parts_of(docx)
    blocks = [
        "\n".join(letter.letterhead),
        "\n".join(letter.recipient),
        letter.date,
        letter.reference,
        *paragraphs_of(docx),
    ]
    return "\n\n".join(block for block in blocks if block) + "\n"


@lru_cache(maxsize=1)
def _page() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("notifications.letters", "."),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("letter.html.j2")


def html_of(docx: bytes, language: str) -> str:
    """The letter in `docx` laid out as one HTML page (the PDF's source)."""
    return str(_page().render(letter=parts_of(docx), language=language))


def pdf_of(docx: bytes, language: str) -> bytes:
    """The PDF of the letter in `docx`: the same paragraphs, laid out by `html_of`, as PDF/A-2u
    (for the archive: fonts embedded, text as Unicode) and tagged, with the letter's language (a
    screen reader reads it in order). The page names no resource, and WeasyPrint may fetch none
    (no protocol allowed): nothing from the network or the disk gets into a letter."""
    from weasyprint import HTML, URLFetcher

    document = HTML(string=html_of(docx, language), url_fetcher=URLFetcher(allowed_protocols=()))
    pdf: bytes = document.write_pdf(pdf_variant="pdf/a-2u", pdf_tags=True)
    return pdf


_SHIPPED = Stationery()


def render_letter(kind: str, language: str, context: Mapping[str, Any]) -> bytes:
    """`Stationery().render_letter`: a shipped template rendered."""
    return _SHIPPED.render_letter(kind, language, context)


def render_edited(
    paragraphs: Sequence[str], context: Mapping[str, Any], language: str
) -> tuple[bytes, bytes]:
    """`Stationery().render_edited`: an edited letter in the shipped layout, as (DOCX, PDF)."""
    return _SHIPPED.render_edited(paragraphs, context, language)
