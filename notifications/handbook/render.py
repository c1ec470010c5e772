"""The procedure handbook (states/handbook.py's `Handbook`) as HTML and PDF.

One template draws the handbook's body (`body.html.j2`): the page /handbook places it inside the
site's layout, and `document.html.j2` wraps it as a file of its own (inline style, no script,
A4 print). The PDF is that file laid out by WeasyPrint (DejaVu fonts, tagged, in the handbook's
language), which may fetch nothing: no protocol is allowed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from states.handbook import Handbook

if TYPE_CHECKING:
    from jinja2 import Environment


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("notifications.handbook", "."),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def body(handbook: Handbook, *, level: int = 2) -> str:
    """The handbook's body as an HTML fragment, its headings starting at `level` (h2 on the page,
    under the page's h1)."""
    return str(_environment().get_template("body.html.j2").render(book=handbook, level=level))


def document(handbook: Handbook) -> str:
    """The handbook as one HTML file in its language."""
    return str(_environment().get_template("document.html.j2").render(book=handbook, body=body(handbook)))


def pdf(handbook: Handbook) -> bytes:
    """The handbook as a tagged PDF; the same file (the same handbook) is laid out once."""
    return _laid_out(document(handbook))


@lru_cache(maxsize=4)  # a few languages and versions; a PDF is a few hundred kB
def _laid_out(file: str) -> bytes:
    """`file` laid out as a PDF: about a second of CPU, which every signed-in role could ask
    for again and again at /handbook.pdf; a changed procedure, duration or history is another
    file."""
    from weasyprint import HTML, URLFetcher

    made: bytes = HTML(string=file, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf(pdf_tags=True)
    return made


class Printer:
    """The `workflow.ports.HandbookPrinter` bootstrap wires."""

    def body(self, handbook: Handbook) -> str:
        return body(handbook)

    def html(self, handbook: Handbook) -> str:
        return document(handbook)

    def pdf(self, handbook: Handbook) -> bytes:
        return pdf(handbook)
