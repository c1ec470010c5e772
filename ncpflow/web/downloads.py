"""A document's content as a download: streamed, always an attachment, never active content.

`Content-Disposition: attachment` with the file's name (RFC 6266: an ASCII `filename` and the
UTF-8 `filename*`), `X-Content-Type-Options: nosniff` (web/headers.py, on every answer),
`Content-Security-Policy: sandbox` (were it
ever rendered, it could run nothing), and a media type that no browser renders as a page: HTML,
XML, SVG and scripts go as application/octet-stream. The API and the documents page both answer
with it.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import StreamingResponse

from workflow.documents import OpenDocument

# Media types a browser may run or render as a document of its own: served as bytes.
_ACTIVE = ("html", "xml", "svg", "javascript", "ecmascript", "x-sh", "x-shockwave")


def safe_media_type(media_type: str) -> str:
    kind = media_type.lower()
    if any(word in kind for word in _ACTIVE) or not kind.isascii() or "/" not in kind:
        return "application/octet-stream"
    return kind


def disposition(filename: str) -> str:
    """`attachment` with the name as an ASCII fallback (quotes, backslashes and anything outside
    printable ASCII replaced) and in full as RFC 5987 UTF-8."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\%' else "_" for c in filename) or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def document_response(opened: OpenDocument) -> StreamingResponse:
    document = opened.document
    return StreamingResponse(
        opened.chunks,
        media_type=safe_media_type(document.media_type),
        headers={
            "Content-Disposition": disposition(document.filename),
            "Content-Length": str(document.size),
            "Content-Security-Policy": "sandbox",
            "Cache-Control": "private, no-store",
            "ETag": f'"{document.sha256}"',
        },
    )
