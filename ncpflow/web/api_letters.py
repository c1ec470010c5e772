"""The JSON API of a case's correspondence log and letters, under /api/cases/{ref}: thin routes
calling the bound use cases as the signed-in user (the conventions of `ncpflow.web.api`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from ncpflow.web.api import ERRORS, App, ReadsCases, Reference
from ncpflow.web.auth import ApiAllow
from ncpflow.web.writes import run_write
from states.permissions import Action
from states.users import User
from workflow import read_models
from workflow.commands import LogCorrespondence

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
