"""The JSON API of external mediators: the register under /api/mediators, a case's mediation
under /api/cases/{ref} (thin routes calling the bound use cases as the signed-in user, the
conventions of `ncpflow.web.api`). A mediator's user reaches only its own cases' routes (any
other case answers 404: `ncpflow.web.auth.Allow`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from ncpflow.web.api import ERRORS, App, ReadsCases, Reference
from ncpflow.web.auth import ApiAllow
from ncpflow.web.writes import run_write
from states.permissions import Action
from states.users import User
from workflow import read_models
from workflow.commands import AddMediator, AssignMediator, ChangeMediator, RecordSession

router = APIRouter(prefix="/api", responses=ERRORS)

ManagesMediators = Annotated[User, Depends(ApiAllow(Action.MANAGE_MEDIATORS))]
RecordsMediation = Annotated[User, Depends(ApiAllow(Action.RECORD_MEDIATION))]
MediatorId = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,100}$", description="The mediator's id.")]


@router.get(
    "/mediators",
    summary="The register of external mediators, each with the cases it is assigned to (`mediator list`)",
    response_model=list[read_models.MediatorView],
)
def list_mediators(user: ManagesMediators, app: App) -> list[read_models.MediatorView]:
    return app.mediators.list()


@router.post(
    "/mediators",
    status_code=201,
    summary="Add a mediator to the register, with its declared conflicts (`mediator add`)",
    response_model=read_models.MediatorView,
)
async def add_mediator(body: AddMediator, user: ManagesMediators, app: App) -> read_models.MediatorView:
    def work() -> read_models.MediatorView:
        made = app.mediators.add(actor=user.name, **body.arguments())
        return app.mediators.get(mediator_id=made.id)

    return await run_write(app, work)


@router.patch(
    "/mediators/{mediator}",
    summary="Change a mediator's entry: the fields given replace what is there (`mediator change`)",
    response_model=read_models.MediatorView,
)
async def change_mediator(
    mediator: MediatorId, body: ChangeMediator, user: ManagesMediators, app: App
) -> read_models.MediatorView:
    def work() -> read_models.MediatorView:
        app.mediators.change(actor=user.name, mediator_id=mediator, **body.arguments())
        return app.mediators.get(mediator_id=mediator)

    return await run_write(app, work)


@router.get(
    "/cases/{ref}/mediation",
    summary="The case's mediators (with conflicts with today's parties) and its sessions "
    "(`mediator sessions`)",
    response_model=read_models.Mediation,
)
def case_mediation(ref: Reference, user: ReadsCases, app: App) -> read_models.Mediation:
    return app.mediators.sessions(reference=ref, viewer=user)


@router.post(
    "/cases/{ref}/mediators",
    status_code=201,
    summary="Assign a mediator to the case: a hard conflict with a party refuses it unless `override` "
    "gives the reason (`mediator assign`)",
    response_model=read_models.Mediation,
)
async def assign_mediator(
    ref: Reference, body: AssignMediator, user: ManagesMediators, app: App
) -> read_models.Mediation:
    def work() -> read_models.Mediation:
        app.mediators.assign(reference=ref, actor=user.name, **body.arguments())
        return app.mediators.sessions(reference=ref, viewer=user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/mediators/{mediator}/unassign",
    summary="End a mediator's assignment to the case (`mediator unassign`)",
    response_model=read_models.Mediation,
)
async def unassign_mediator(
    ref: Reference, mediator: MediatorId, user: ManagesMediators, app: App
) -> read_models.Mediation:
    def work() -> read_models.Mediation:
        app.mediators.unassign(reference=ref, mediator=mediator, actor=user.name)
        return app.mediators.sessions(reference=ref, viewer=user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/sessions",
    status_code=201,
    summary="Record a mediation session of the case (`mediator session`)",
    response_model=read_models.Mediation,
)
async def record_session(
    ref: Reference, body: RecordSession, user: RecordsMediation, app: App
) -> read_models.Mediation:
    def work() -> read_models.Mediation:
        app.mediators.add_session(reference=ref, actor=user.name, **body.arguments())
        return app.mediators.sessions(reference=ref, viewer=user)

    return await run_write(app, work)
