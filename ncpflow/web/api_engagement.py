"""The JSON API of company engagement, under /api: a case's invitations, responses and concerns
about good faith (`/api/cases/{ref}/engagement...`), and `report engagement`
(`/api/reports/engagement`): thin routes calling the bound use cases as the signed-in user (the
conventions of `ncpflow.web.api`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from ncpflow.web.api import ERRORS, AnyYear, App, ReadsCases, ReadsReports, Reference
from ncpflow.web.auth import ApiAllow
from ncpflow.web.writes import run_write
from states.permissions import Action
from states.users import User
from workflow import read_models
from workflow.commands import InviteEnterprise, RaiseConcern, RecordResponse

router = APIRouter(prefix="/api", responses=ERRORS)

LogsEngagement = Annotated[User, Depends(ApiAllow(Action.LOG_ENGAGEMENT))]


@router.get(
    "/cases/{ref}/engagement",
    summary="The case's invitations (where each stands today, with its responses) and concerns about "
    "good faith (`engagement list`)",
    response_model=read_models.CaseEngagement,
)
def list_engagement(ref: Reference, user: ReadsCases, app: App) -> read_models.CaseEngagement:
    """Names are pseudonymised for readers who may not see protected identities; a concern's
    text is withheld from readers who may not read internal material (auditors)."""
    return app.engagement.list(reference=ref, viewer=user)


@router.post(
    "/cases/{ref}/engagement/invitations",
    status_code=201,
    summary="Invite an enterprise party of the case (`engagement invite`); answers the invitation",
    response_model=read_models.EngagementInvitation,
)
async def invite(
    ref: Reference, body: InviteEnterprise, user: LogsEngagement, app: App
) -> read_models.EngagementInvitation:
    def work() -> read_models.EngagementInvitation:
        made = app.engagement.invite(reference=ref, actor=user.name, **body.arguments())
        listed = app.engagement.list(reference=ref, viewer=user)
        return next(i for i in listed.invitations if i.number == made.number)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/engagement/responses",
    status_code=201,
    summary="Record the answer to an invitation (`engagement respond`); answers the invitation",
    response_model=read_models.EngagementInvitation,
)
async def respond(
    ref: Reference, body: RecordResponse, user: LogsEngagement, app: App
) -> read_models.EngagementInvitation:
    def work() -> read_models.EngagementInvitation:
        made = app.engagement.respond(reference=ref, actor=user.name, **body.arguments())
        listed = app.engagement.list(reference=ref, viewer=user)
        return next(i for i in listed.invitations if i.number == made.invitation)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/engagement/concerns",
    status_code=201,
    summary="Record a concern about good faith (`engagement concern`); the audit log holds its hash",
    response_model=read_models.GoodFaithConcern,
)
async def concern(
    ref: Reference, body: RaiseConcern, user: LogsEngagement, app: App
) -> read_models.GoodFaithConcern:
    def work() -> read_models.GoodFaithConcern:
        made = app.engagement.concern(reference=ref, actor=user.name, **body.arguments())
        listed = app.engagement.list(reference=ref, viewer=user)
        return next(c for c in listed.concerns if c.number == made.number)

    return await run_write(app, work)


@router.get(
    "/reports/engagement",
    summary="`report engagement`: the participation rate and the reasons for declining, by year and "
    "by sector (accepted over invitations answered or past their day to answer)",
    response_model=read_models.EngagementReport,
)
def report_engagement(user: ReadsReports, app: App, year: AnyYear = None) -> Response:
    """The same JSON as `report engagement --json`, key for key."""
    return JSONResponse(app.reports.engagement(year=year))
