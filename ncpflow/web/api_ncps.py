"""The JSON API of a case's NCPs under /api/cases/{ref}/ncps: the lead (one, or two jointly),
supporting NCPs and their roles, the complainant's preference, coordination, the handover of the
lead and review tasks (thin routes calling `app.ncps` as the signed-in user, the conventions of
`ncpflow.web.api`). Review comments are NCP-internal: readers without `READ_INTERNAL` get the
tasks without them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from ncpflow.web.api import ERRORS, App, ReadsCases, Reference
from ncpflow.web.auth import ApiAllow
from ncpflow.web.writes import run_write
from states.permissions import Action, allows
from states.users import User
from workflow import read_models
from workflow.commands import (
    BeginCoordination,
    PreferLead,
    RecordReview,
    RemoveSupporting,
    RequestReview,
    SetLead,
    SupportingNcp,
    TransferLead,
)

router = APIRouter(prefix="/api", responses=ERRORS)

EditsCases = Annotated[User, Depends(ApiAllow(Action.EDIT_CASE))]
ManagesStatements = Annotated[User, Depends(ApiAllow(Action.MANAGE_STATEMENTS))]
Shown = read_models.CaseNcpsView


def _shown(app: App, ref: str, user: User) -> Shown:
    return app.ncps.show(reference=ref, comments=allows(user.role, Action.READ_INTERNAL))


@router.get(
    "/cases/{ref}/ncps",
    summary="The case's NCPs: lead, supporting NCPs and their roles, preference, coordination, "
    "review tasks (`case ncp show`)",
    response_model=Shown,
)
def case_ncps(ref: Reference, user: ReadsCases, app: App) -> Shown:
    return _shown(app, ref, user)


@router.post(
    "/cases/{ref}/ncps/lead",
    summary="Record the lead NCP, or two that lead jointly; agrees an open coordination (`case ncp lead`)",
    response_model=Shown,
)
async def set_lead(ref: Reference, body: SetLead, user: EditsCases, app: App) -> Shown:
    def work() -> Shown:
        app.ncps.set_lead(reference=ref, actor=user.name, **body.arguments())
        return _shown(app, ref, user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/ncps/transfer",
    summary="Hand the lead over to another NCP (`case ncp transfer`)",
    response_model=Shown,
)
async def transfer_lead(ref: Reference, body: TransferLead, user: EditsCases, app: App) -> Shown:
    def work() -> Shown:
        app.ncps.transfer(reference=ref, actor=user.name, **body.arguments())
        return _shown(app, ref, user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/ncps/supporting",
    status_code=201,
    summary="Add a supporting NCP in a role (`case ncp add`)",
    response_model=Shown,
)
async def add_supporting(ref: Reference, body: SupportingNcp, user: EditsCases, app: App) -> Shown:
    def work() -> Shown:
        app.ncps.add_supporting(reference=ref, actor=user.name, **body.arguments())
        return _shown(app, ref, user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/ncps/role",
    summary="Change a supporting NCP's role (`case ncp role`)",
    response_model=Shown,
)
async def change_role(ref: Reference, body: SupportingNcp, user: EditsCases, app: App) -> Shown:
    def work() -> Shown:
        app.ncps.change_role(reference=ref, actor=user.name, **body.arguments())
        return _shown(app, ref, user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/ncps/remove",
    summary="A supporting NCP no longer supports the case (`case ncp remove`)",
    response_model=Shown,
)
async def remove_supporting(ref: Reference, body: RemoveSupporting, user: EditsCases, app: App) -> Shown:
    def work() -> Shown:
        app.ncps.remove_supporting(reference=ref, actor=user.name, **body.arguments())
        return _shown(app, ref, user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/ncps/preference",
    summary="Record the complainant's preference for the lead NCP (`case ncp prefer`)",
    response_model=Shown,
)
async def prefer_lead(ref: Reference, body: PreferLead, user: EditsCases, app: App) -> Shown:
    def work() -> Shown:
        app.ncps.prefer(reference=ref, actor=user.name, **body.arguments())
        return _shown(app, ref, user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/ncps/coordination",
    summary="The NCPs begin to agree on the lead: the coordination clock starts (`case ncp coordinate`)",
    response_model=Shown,
)
async def begin_coordination(ref: Reference, body: BeginCoordination, user: EditsCases, app: App) -> Shown:
    def work() -> Shown:
        app.ncps.begin_coordination(reference=ref, actor=user.name, **body.arguments())
        return _shown(app, ref, user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/ncps/reviews",
    status_code=201,
    summary="Review tasks on a statement draft for the supporting NCPs that review drafts "
    "(`case ncp review-request`)",
    response_model=Shown,
)
async def request_review(ref: Reference, body: RequestReview, user: ManagesStatements, app: App) -> Shown:
    def work() -> Shown:
        app.ncps.request_review(reference=ref, actor=user.name, **body.arguments())
        return _shown(app, ref, user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/ncps/reviews/answer",
    summary="Record a supporting NCP's review comment, answering its task (`case ncp review`)",
    response_model=Shown,
)
async def record_review(ref: Reference, body: RecordReview, user: ManagesStatements, app: App) -> Shown:
    def work() -> Shown:
        app.ncps.record_review(reference=ref, actor=user.name, **body.arguments())
        return _shown(app, ref, user)

    return await run_write(app, work)
