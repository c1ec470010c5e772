"""A case's documents page (`/cases/{ref}/documents`): the list with each document's versions
and downloads, and the upload form.

The form is multipart (CSRF token first, the file last). Its body is read as it arrives
(`ncpflow.web.uploads`): who may add documents is checked before any of it is read, the CSRF
token before the file, and the size limit while the file arrives. A refusal (too large, a type
that contradicts the name, an unknown party, access level or exemption) comes back as the page,
in its language, with the typed fields kept (a browser never refills a file input); nothing is
written. Downloads are attachments that never run (`ncpflow.web.downloads`); an auditor gets no
title and no content of an NCP-internal document. Listed in `AREAS` before `cases`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from babel.numbers import format_decimal
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.web import auth
from ncpflow.web.auth import ApiError, application_of
from ncpflow.web.downloads import document_response
from ncpflow.web.pages.common import guard, int_param, language, redirect, render, spelling, whole_number
from ncpflow.web.uploads import Upload, read_upload
from states.documents import DIRECTIONS, HIDDEN_TITLE
from states.errors import CaseNotFoundError, Input, InvalidInputError, NcpflowError
from states.messages import N_
from states.parties import party_keys
from states.permissions import Action, PermissionDeniedError, allows
from states.users import User
from translations import translator
from workflow import commands

router = APIRouter(include_in_schema=False)

FIELDS = ("title", "direction", "party", "access", "exemption", "replaces")
LABELS = {
    "title": N_("Title"),
    "direction": N_("Direction"),
    "party": N_("Party"),
    "access": N_("Access"),
    "exemption": N_("Exemption"),
    "replaces": N_("New version of"),
    "file": N_("File"),
}
DIRECTION_WORDS = {"in": N_("Received"), "out": N_("Sent"), "internal": N_("Internal")}
ACCESS_WORDS = {"public": N_("Public"), "parties": N_("The parties"), "ncp": N_("NCP only")}


def _size(size: int, lang: str) -> str:
    """A size in decimal units, the number in the page's language (1,5 MB on a Norwegian page)."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{format_decimal(round(size / scale, 1), locale=lang)} {unit}"
    return f"{size} B"


def _page(
    request: Request,
    ref: str,
    user: User,
    *,
    kept: dict[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    app = application_of(request)
    lang = language(request)
    tr = translator(lang)
    case = app.cases.get(reference=ref)  # an unknown case: the 404 page naming it
    view = app.cases.view(case=case, viewer=user, language=lang)
    listed = app.documents.list(reference=ref, viewer=user, language=lang)
    rules = app.documents.rules
    names = {
        key: party.name
        for key, party in zip((k for k, _p in party_keys(case.parties)), view.parties, strict=True)
    }
    extra: dict[str, Any] = {} if error is None else {"flash_error": error, "flash_ok": None}
    response = render(
        request,
        "documents.html",
        user,
        "dashboard",
        **extra,
        case=view,
        documents=listed.documents,
        can_add=allows(user.role, Action.ADD_DOCUMENT),
        directions=DIRECTIONS,
        access_levels=rules.access,
        exemptions=rules.exemptions,
        parties=list(names.items()),
        kept=kept or {},
        size=lambda n: _size(n, lang),
        direction_word=lambda d: tr.gettext(DIRECTION_WORDS[d]) if d in DIRECTION_WORDS else d,
        access_word=lambda a: tr.gettext(ACCESS_WORDS[a]) if a in ACCESS_WORDS else a,
        hidden_title=tr.gettext(HIDDEN_TITLE),
        max_size=_size(rules.max_size, lang),
    )
    response.status_code = status
    return response


@router.get("/cases/{ref}/documents", response_class=HTMLResponse)
@guard(Action.READ_CASES, one_snapshot=True)
def documents_page(request: Request, ref: str, user: User) -> Response:
    return _page(request, ref, user)


@router.get("/cases/{ref}/documents/{number}/content")
@guard(Action.READ_CASES)
def download(request: Request, ref: str, number: str, user: User) -> Response:
    """A version's content (`?version=`, default the latest), streamed as an attachment."""
    try:
        chosen = whole_number(number, "number")
    except InvalidInputError as exc:
        raise ApiError(422, "invalid_input", exc.words(translator(language(request)))) from None
    if chosen is None:
        raise ApiError(404, "not_found", "no such document")
    version = int_param(request, "version")
    opened = application_of(request).documents.open(
        reference=ref, number=chosen, version=version, viewer=user
    )
    return document_response(opened)


@dataclass
class Posted:
    """The upload form as read: its fields and file, or why it could not be read."""

    upload: Upload
    refusal: NcpflowError | None = None


async def uploaded(request: Request) -> Posted:
    """The form's body, read only for a user who may add documents, its CSRF token checked
    before its file is read; a refusal met while reading (too large, not multipart) is kept for
    the page to say, with the fields read so far."""
    auth.PageAllow(Action.ADD_DOCUMENT)(request)
    upload = Upload()
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form(max_files=0, max_fields=20) as form:
            upload.fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return Posted(upload, InvalidInputError(N_("{what} is required and must not be blank"), what=_FILE))

    def before_file(fields: dict[str, str]) -> None:
        auth.check_csrf(request, fields.get("csrf_token"))

    try:
        await read_upload(
            request,
            max_size=application_of(request).documents.rules.max_size,
            into=upload,
            before_file=before_file,
        )
    except InvalidInputError as exc:
        return Posted(upload, exc)
    return Posted(upload)


_FILE = Input("", "file")


@router.post("/cases/{ref}/documents")
@guard(Action.ADD_DOCUMENT)
def add_document(
    request: Request, ref: str, posted: Annotated[Posted, Depends(uploaded)], *, user: User
) -> Response:
    upload = posted.upload
    try:
        auth.check_csrf(request, upload.fields.get("csrf_token"))
        kept = {name: upload.fields.get(name, "") for name in FIELDS}
        spell = spelling(request, LABELS)
        tr = translator(language(request))
        try:
            if posted.refusal is not None:
                raise posted.refusal
            if upload.file is None:
                raise InvalidInputError(N_("{what} is required and must not be blank"), what=_FILE)
            command = commands.validate(commands.AddDocument, {n: v or None for n, v in kept.items()}, spell)
            document = application_of(request).documents.add(
                reference=ref,
                source=upload.file,
                filename=upload.filename,
                actor=user.name,
                **command.arguments(),
            )
        except (PermissionDeniedError, CaseNotFoundError):
            raise
        except NcpflowError as exc:
            return _page(request, ref, user, kept=kept, error=exc.words(tr, spell), status=422)
    finally:
        upload.close()
    said = tr.gettext(N_("Document {number}, version {version}, added: {title}.")).format(
        number=document.number, version=document.version, title=document.title
    )
    return redirect(f"/cases/{ref}/documents", request, ok=said)
