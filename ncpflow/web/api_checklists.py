"""The JSON API of stage checklists, under /api: the checklist of a case's current stage
(`GET /api/cases/{ref}/checklist`), and ticking or unticking one of its items (`POST
.../checklist/{item}/tick|untick`, answering the checklist): thin routes calling the bound use
cases as the signed-in user (the conventions of `ncpflow.web.api`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from ncpflow.web.api import ERRORS, App, ReadsCases, Reference
from ncpflow.web.auth import ApiAllow
from ncpflow.web.writes import run_write
from states.permissions import Action
from states.users import User
from workflow import read_models

router = APIRouter(prefix="/api", responses=ERRORS)

Ticks = Annotated[User, Depends(ApiAllow(Action.TICK_CHECKLIST))]
Item = Annotated[str, Path(min_length=1, max_length=200, description="The item's id (`case checklist`).")]


@router.get(
    "/cases/{ref}/checklist",
    summary="The checklist of the case's current stage (`case checklist`): each item ticked or not, "
    "by whom and when",
    response_model=read_models.CaseChecklist,
)
def show_checklist(ref: Reference, user: ReadsCases, app: App) -> read_models.CaseChecklist:
    return app.checklists.show(reference=ref, viewer=user)


@router.post(
    "/cases/{ref}/checklist/{item}/tick",
    summary="Tick an item of the checklist of the case's current stage (`case tick`); answers the checklist",
    response_model=read_models.CaseChecklist,
)
async def tick_item(ref: Reference, item: Item, user: Ticks, app: App) -> read_models.CaseChecklist:
    def work() -> read_models.CaseChecklist:
        app.checklists.tick(reference=ref, item=item, actor=user.name)
        return app.checklists.show(reference=ref, viewer=user)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/checklist/{item}/untick",
    summary="Untick a ticked item of the checklist of the case's current stage (`case untick`); "
    "answers the checklist",
    response_model=read_models.CaseChecklist,
)
async def untick_item(ref: Reference, item: Item, user: Ticks, app: App) -> read_models.CaseChecklist:
    def work() -> read_models.CaseChecklist:
        app.checklists.untick(reference=ref, item=item, actor=user.name)
        return app.checklists.show(reference=ref, viewer=user)

    return await run_write(app, work)
