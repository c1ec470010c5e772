"""The JSON API of a case's statements and comment rounds, under /api/cases/{ref}: thin routes
calling the bound use cases as the signed-in user (the conventions of `ncpflow.web.api`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from starlette.concurrency import run_in_threadpool

from ncpflow.web.api import ERRORS, App, Reference
from ncpflow.web.auth import ApiAllow
from ncpflow.web.writes import run_write
from states.errors import Input, InvalidInputError
from states.messages import N_
from states.permissions import Action
from states.users import User
from workflow import read_models
from workflow.commands import CirculateStatement, DraftStatement, LogComment, PublishStatement

router = APIRouter(prefix="/api", responses=ERRORS)

ReadsInternal = Annotated[User, Depends(ApiAllow(Action.READ_INTERNAL))]
ManagesStatements = Annotated[User, Depends(ApiAllow(Action.MANAGE_STATEMENTS))]
PublishesStatements = Annotated[User, Depends(ApiAllow(Action.PUBLISH_STATEMENT))]
StatementNumber = Annotated[
    int, Path(ge=1, le=1_000_000, description="The statement's number within the case.")
]
RoundNumber = Annotated[
    int, Path(ge=1, le=1_000_000, description="The comment round's number within the case.")
]

_DOCX_BODY = {
    "required": True,
    "description": "The statement's DOCX as edited in Word, as the `file` field of a multipart form.",
    "content": {
        "multipart/form-data": {
            "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        }
    },
}


@router.get(
    "/cases/{ref}/statements",
    summary="The case's statements, comment rounds and comments (`statement list`)",
    response_model=read_models.CaseStatements,
)
def list_statements(ref: Reference, user: ReadsInternal, app: App) -> read_models.CaseStatements:
    return app.statements.list(reference=ref, viewer=user)


@router.post(
    "/cases/{ref}/statements",
    status_code=201,
    summary="Draft a statement from its template (`statement draft`): DOCX and PDF filed, internal",
    response_model=read_models.CaseStatements,
)
async def draft_statement(
    ref: Reference, body: DraftStatement, user: ManagesStatements, app: App
) -> read_models.CaseStatements:
    def work() -> read_models.CaseStatements:
        app.statements.draft(reference=ref, actor=user.name, **body.arguments())
        return app.statements.list(reference=ref, viewer=user)

    return await run_in_threadpool(work)  # rendering the PDF: not on the event loop


@router.post(
    "/cases/{ref}/statements/{number}/docx",
    summary="File a DOCX edited in Word as the draft's new version, with its PDF (`statement edit`)",
    response_model=read_models.CaseStatements,
    openapi_extra={"requestBody": _DOCX_BODY},
)
async def edit_statement(
    ref: Reference, number: StatementNumber, request: Request, user: ManagesStatements, app: App
) -> read_models.CaseStatements:
    from ncpflow.web.uploads import read_upload

    upload = await read_upload(request, max_size=app.documents.rules.max_size)
    try:
        file = upload.file
        if file is None:
            raise InvalidInputError(N_("{what} is required and must not be blank"), what=Input("", "file"))

        def work() -> read_models.CaseStatements:
            app.statements.edit(reference=ref, statement=number, upload=file, actor=user.name)
            return app.statements.list(reference=ref, viewer=user)

        return await run_in_threadpool(work)
    finally:
        upload.close()


@router.post(
    "/cases/{ref}/statements/{number}/circulate",
    status_code=201,
    summary="Circulate the draft for comment (`statement circulate`): e-mails with its PDF, a window",
    response_model=read_models.CaseStatements,
)
async def circulate_statement(
    ref: Reference, number: StatementNumber, body: CirculateStatement, user: ManagesStatements, app: App
) -> read_models.CaseStatements:
    def work() -> read_models.CaseStatements:
        app.statements.circulate(reference=ref, statement=number, actor=user.name, **body.arguments())
        return app.statements.list(reference=ref, viewer=user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/rounds/{number}/comments",
    status_code=201,
    summary="Log a comment received in an open round (`statement comment`)",
    response_model=read_models.CaseStatements,
)
async def log_comment(
    ref: Reference, number: RoundNumber, body: LogComment, user: ManagesStatements, app: App
) -> read_models.CaseStatements:
    def work() -> read_models.CaseStatements:
        app.statements.comment(reference=ref, round=number, actor=user.name, **body.arguments())
        return app.statements.list(reference=ref, viewer=user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/rounds/{number}/close",
    summary="Close an open comment round (`statement close`)",
    response_model=read_models.CaseStatements,
)
async def close_round(
    ref: Reference, number: RoundNumber, user: ManagesStatements, app: App
) -> read_models.CaseStatements:
    def work() -> read_models.CaseStatements:
        app.statements.close(reference=ref, round=number, actor=user.name)
        return app.statements.list(reference=ref, viewer=user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/statements/{number}/publish",
    summary="Publish a draft (`statement publish`): its public PDF, and the procedure's step or fact",
    response_model=read_models.CaseStatements,
)
async def publish_statement(
    ref: Reference, number: StatementNumber, body: PublishStatement, user: PublishesStatements, app: App
) -> read_models.CaseStatements:
    def work() -> read_models.CaseStatements:
        app.statements.publish(reference=ref, statement=number, actor=user.name, **body.arguments())
        return app.statements.list(reference=ref, viewer=user)

    return await run_write(app, work)
