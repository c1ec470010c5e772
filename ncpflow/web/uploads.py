"""A multipart/form-data upload read as it arrives: the form's text fields, and its one file fed
straight into a `workflow.documents.Spooler`, which hashes it, counts it and refuses it as soon
as it passes `[documents] max_size` (the rest of the body is not read). Memory holds one network
chunk of the file at a time (the spool keeps up to 1 MiB in memory, the rest on disk); the
writes go to the thread pool, so the event loop does not wait on the disk.

The API's `POST /api/cases/{ref}/documents` and the documents page's form both read their body
here (python-multipart's streaming parser, as Starlette's own form parser uses it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from states.errors import InvalidInputError
from workflow.documents import Spooled, Spooler

FIELDS_MAX = 32  # text fields in one form
FIELD_MAX = 64 * 1024  # bytes of one text field
HEADERS_MAX = 16 * 1024  # bytes of one part's headers


@dataclass
class Upload:
    """A form's text fields and its file (None when it sent none), read already."""

    fields: dict[str, str] = field(default_factory=dict)
    file: Spooled | None = None
    filename: str = ""

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class _Parts:
    """The parser's callbacks: text fields gathered, file data queued for the spool."""

    def __init__(
        self,
        file_field: str,
        spooler: Callable[[str], Spooler],
        upload: Upload,
        before_file: Callable[[dict[str, str]], None] | None,
    ) -> None:
        self.file_field, self.spooler, self.before_file = file_field, spooler, before_file
        self.upload = upload
        self.pending: list[bytes] = []  # file data to write, taken after each network chunk
        self._spool: Spooler | None = None
        self._name: str | None = None
        self._is_file = False
        self._data = bytearray()
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._headers = 0
        self._disposition = b""

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self.part_begin,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
            "on_header_field": self.header_field,
            "on_header_value": self.header_value,
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
        }

    def part_begin(self) -> None:
        self._name, self._is_file, self._disposition, self._headers = None, False, b"", 0
        self._data.clear()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._count(end - start)
        self._header_name += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._count(end - start)
        self._header_value += data[start:end]

    def _count(self, size: int) -> None:
        self._headers += size
        if self._headers > HEADERS_MAX:
            raise InvalidInputError("the request body: a part's headers are too long")

    def header_end(self) -> None:
        if bytes(self._header_name).lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
        self._header_name.clear()
        self._header_value.clear()

    def headers_finished(self) -> None:
        _kind, options = parse_options_header(self._disposition)
        if b"name" not in options:
            raise InvalidInputError("the request body: a part names no field (Content-Disposition name)")
        self._name = _text(options[b"name"])
        if b"filename" in options and self._name == self.file_field and not options[b"filename"]:
            # A browser's file input left empty sends a part with no file name and no bytes: no file.
            self._is_file = True
        elif b"filename" in options and self._name == self.file_field:
            if self._spool is not None or self.upload.file is not None:
                raise InvalidInputError(f"the request body: give one file ({self.file_field}), not several")
            if self.before_file is not None:
                self.before_file(self.upload.fields)
            self._is_file = True
            self.upload.filename = _text(options[b"filename"])
            self._spool = self.spooler(self.upload.filename)
        elif len(self.upload.fields) >= FIELDS_MAX:
            raise InvalidInputError(f"the request body: more than {FIELDS_MAX} fields")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self._is_file:
            if self._spool is not None:
                self.pending.append(data[start:end])
            return
        if len(self._data) + end - start > FIELD_MAX:
            raise InvalidInputError(f"{self._name}: longer than {FIELD_MAX} bytes")
        self._data += data[start:end]

    def part_end(self) -> None:
        if self._is_file or self._name is None:
            return
        self.upload.fields[self._name] = _text(bytes(self._data))

    async def flush(self) -> None:
        """Write the queued file data into the spool (in the thread pool)."""
        if not self.pending:
            return
        spool = self._spool
        assert spool is not None
        pieces, self.pending = b"".join(self.pending), []
        await run_in_threadpool(spool.write, pieces)

    async def finish(self) -> Upload:
        await self.flush()
        if self._spool is not None:
            self.upload.file = await run_in_threadpool(self._spool.done)
            self._spool = None
        return self.upload

    def discard(self) -> None:
        if self._spool is not None:
            self._spool.discard()
        self.upload.close()


async def read_upload(
    request: Request,
    *,
    max_size: int,
    file_field: str = "file",
    into: Upload | None = None,
    before_file: Callable[[dict[str, str]], None] | None = None,
    too_large: Callable[[], InvalidInputError] | None = None,
) -> Upload:
    """The request's multipart form, its file (the part named `file_field`) spooled with the size
    limit checked as it arrives. Refused (InvalidInputError: 422, or the page's refusal) when the
    body is not multipart/form-data, malformed, or the file is too large or empty. `into` gets
    the fields as they are read (a page keeps them after a refusal); `before_file(fields)` runs
    before the file's first byte is read (a page's CSRF check); `too_large()` is the refusal of a
    file past `max_size` (else a document's). The caller closes the upload."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise InvalidInputError(
            f"the request body must be multipart/form-data, with the file in the field '{file_field}'"
        )
    upload = into if into is not None else Upload()
    parts = _Parts(
        file_field,
        lambda name: Spooler(filename=name, max_size=max_size, too_large=too_large),
        upload,
        before_file,
    )
    try:
        parser = MultipartParser(boundary, parts.callbacks())  # type: ignore[arg-type]
        async for chunk in request.stream():
            parser.write(chunk)
            await parts.flush()
        parser.finalize()
        return await parts.finish()
    except MultipartParseError:
        parts.discard()
        raise InvalidInputError("the request body is not valid multipart/form-data (cut short?)") from None
    except BaseException:
        parts.discard()
        raise
