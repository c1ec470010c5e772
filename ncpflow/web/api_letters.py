"""The JSON API of a case's correspondence log and letters, under /api/cases/{ref}: thin routes
calling the bound use cases as the signed-in user (the conventions of `ncpflow.web.api`)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from ncpflow.web.api import ERRORS, App, ReadsCases, Reference
from ncpflow.web.auth import ApiAllow
from ncpflow.web.writes import run_write
from states.permissions import Action
from states.users import User
from workflow import read_models
from workflow.application import Application
from workflow.commands import DraftLetter, EditLetter, LogCorrespondence, SendLetter
from workflow.documents import OpenDocument

router = APIRouter(prefix="/api", responses=ERRORS)

LogsCorrespondence = Annotated[User, Depends(ApiAllow(Action.LOG_CORRESPONDENCE))]


@router.get(
    "/cases/{ref}/correspondence",
    summary="The case's correspondence log, oldest first (`correspondence list`)",
    response_model=read_models.CaseCorrespondence,
)
def list_correspondence(ref: Reference, user: ReadsCases, app: App) -> read_models.CaseCorrespondence:
    """Names and subjects are pseudonymised for readers who may not see protected identities."""
    return app.correspondence.list(reference=ref, viewer=user)


@router.post(
    "/cases/{ref}/correspondence",
    status_code=201,
    summary="Log a communication with a party (`correspondence add`); answers the entry",
    response_model=read_models.CorrespondenceEntry,
)
async def log_correspondence(
    ref: Reference, body: LogCorrespondence, user: LogsCorrespondence, app: App
) -> read_models.CorrespondenceEntry:
    def work() -> read_models.CorrespondenceEntry:
        entry = app.correspondence.log(reference=ref, actor=user.name, **body.arguments())
        listed = app.correspondence.list(reference=ref, viewer=user)
        return next(e for e in listed.entries if e.number == entry.number)

    return await run_write(app, work)


SendsLetters = Annotated[User, Depends(ApiAllow(Action.SEND_LETTER))]
LetterNumber = Annotated[int, Path(ge=1, le=1_000_000, description="The letter's number within the case.")]


def _letter(app: Application, ref: str, number: int, user: User) -> read_models.CaseLetter:
    listed = app.letters.list(reference=ref, viewer=user)
    return next(letter for letter in listed.letters if letter.number == number)


@router.get(
    "/cases/{ref}/letters",
    summary="The case's letters (`letter list`), and the kinds its current step offers",
    response_model=read_models.CaseLetters,
)
def list_letters(ref: Reference, user: ReadsCases, app: App) -> read_models.CaseLetters:
    return app.letters.list(reference=ref, viewer=user)


@router.post(
    "/cases/{ref}/letters",
    status_code=201,
    summary="Draft a letter from its template (`letter draft`): its DOCX and PDF filed as documents",
    response_model=read_models.CaseLetter,
)
async def draft_letter(
    ref: Reference, body: DraftLetter, user: SendsLetters, app: App
) -> read_models.CaseLetter:
    def work() -> read_models.CaseLetter:
        letter = app.letters.draft(reference=ref, actor=user.name, **body.arguments())
        return _letter(app, ref, letter.number, user)

    return await run_in_threadpool(work)  # rendering a PDF takes a while: never on the event loop


@router.post(
    "/cases/{ref}/letters/{number}/text",
    summary="Replace a draft letter's text (`letter edit`): new versions of its DOCX and PDF",
    response_model=read_models.CaseLetter,
)
async def edit_letter(
    ref: Reference, number: LetterNumber, body: EditLetter, user: SendsLetters, app: App
) -> read_models.CaseLetter:
    def work() -> read_models.CaseLetter:
        app.letters.edit(reference=ref, letter=number, actor=user.name, **body.arguments())
        return _letter(app, ref, number, user)

    return await run_in_threadpool(work)


@router.post(
    "/cases/{ref}/letters/{number}/send",
    summary="Send a draft letter once (`letter send`): by e-mail through the outbox, or marked posted",
    response_model=read_models.CaseLetter,
)
async def send_letter(
    ref: Reference, number: LetterNumber, body: SendLetter, user: SendsLetters, app: App
) -> read_models.CaseLetter:
    def work() -> read_models.CaseLetter:
        app.letters.send(reference=ref, letter=number, actor=user.name, **body.arguments())
        return _letter(app, ref, number, user)

    return await run_in_threadpool(work)


FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _download_route(format: str) -> None:
    def endpoint(ref: Reference, number: LetterNumber, user: ReadsCases, app: App) -> StreamingResponse:
        return download(app.letters.get(reference=ref, letter=number, format=format, viewer=user))

    endpoint.__name__ = f"download_letter_{format}"
    router.add_api_route(
        f"/cases/{{ref}}/letters/{{number}}/{format}",
        endpoint,
        methods=["GET"],
        summary=f"Download a letter's {format.upper()}, its latest version (streamed, as an attachment)",
        response_class=StreamingResponse,
        responses={200: {"content": {FORMATS[format]: {}}}},
    )


for _format in FORMATS:
    _download_route(_format)


def download(opened: OpenDocument) -> StreamingResponse:
    """A stored document as an attachment (never shown inline), streamed chunk by chunk."""
    document = opened.document
    return StreamingResponse(
        opened.chunks,
        media_type=document.media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.filename)}",
            "Content-Length": str(document.size),
            "Cache-Control": "no-store",
        },
    )
