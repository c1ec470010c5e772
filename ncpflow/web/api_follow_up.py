"""The JSON API of the follow-up of commitments, under /api/cases/{ref}/follow-up, and the
`report follow-up` under /api/reports: thin routes calling the bound use cases as the signed-in
user (the conventions of `ncpflow.web.api`). Evidence is named by document number here: a file is
filed first through the documents route."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from ncpflow.web.api import ERRORS, AnyYear, App, ReadsCases, ReadsReports, Reference
from ncpflow.web.auth import ApiAllow
from ncpflow.web.writes import run_write
from states.commitments import COMMITMENTS_MAX
from states.permissions import Action
from states.users import User
from workflow import read_models
from workflow.application import Application
from workflow.commands import AddCommitment, RequestUpdate, SetCommitmentStatus

router = APIRouter(prefix="/api", responses=ERRORS)

Tracks = Annotated[User, Depends(ApiAllow(Action.TRACK_FOLLOW_UP))]
Number = Annotated[
    int, Path(ge=1, le=COMMITMENTS_MAX, description="The commitment's number within the case.")
]


def _commitment(app: Application, ref: str, number: int, user: User) -> read_models.Commitment:
    listed = app.follow_up.list(reference=ref, viewer=user)
    return next(c for c in listed.commitments if c.number == number)


@router.get(
    "/cases/{ref}/follow-up",
    summary="The case's commitments with their status histories, and its update requests (`followup list`)",
    response_model=read_models.CaseCommitments,
)
def list_follow_up(ref: Reference, user: ReadsCases, app: App) -> read_models.CaseCommitments:
    """Texts, notes and names are pseudonymised for readers who may not see protected identities."""
    return app.follow_up.list(reference=ref, viewer=user)


@router.post(
    "/cases/{ref}/follow-up",
    status_code=201,
    summary="Record a commitment of an agreement or a recommendation of a statement (`followup add`)",
    response_model=read_models.Commitment,
)
async def add_commitment(
    ref: Reference, body: AddCommitment, user: Tracks, app: App
) -> read_models.Commitment:
    def work() -> read_models.Commitment:
        made = app.follow_up.add(reference=ref, actor=user.name, **body.arguments())
        return _commitment(app, ref, made.number, user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/follow-up/{number}/status",
    summary="Add a status to a commitment's history (`followup status`); answers the commitment",
    response_model=read_models.Commitment,
)
async def set_commitment_status(
    ref: Reference, number: Number, body: SetCommitmentStatus, user: Tracks, app: App
) -> read_models.Commitment:
    def work() -> read_models.Commitment:
        app.follow_up.set_status(reference=ref, commitment=number, actor=user.name, **body.arguments())
        return _commitment(app, ref, number, user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/follow-up/requests",
    status_code=201,
    summary="Ask a party for news of its commitments by a due date (`followup request`)",
    response_model=read_models.UpdateRequest,
)
async def request_update(
    ref: Reference, body: RequestUpdate, user: Tracks, app: App
) -> read_models.UpdateRequest:
    def work() -> read_models.UpdateRequest:
        made = app.follow_up.request_update(reference=ref, actor=user.name, **body.arguments())
        listed = app.follow_up.list(reference=ref, viewer=user)
        return next(r for r in listed.requests if r.number == made.number)

    return await run_write(app, work)


@router.get(
    "/reports/follow-up",
    summary="`report follow-up`: the implementation rate of commitments by year and by theme",
    response_model=read_models.FollowUpReport,
)
def report_follow_up(user: ReadsReports, app: App, year: AnyYear = None) -> read_models.FollowUpReport:
    return app.reports.follow_up(year=year)
