"""The JSON API of related instances, under /api: a case's links to related cases
(`/api/cases/{ref}/related...`: a parallel complaint at another NCP, a follow-on complaint, a
case here about the same facts), and its precedents (`/api/cases/{ref}/similar`): thin routes
calling the bound use cases as the signed-in user (the conventions of `ncpflow.web.api`).
`/api/cases/{ref}/links` is the parties' links (`api_links`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from ncpflow.web.api import ERRORS, App, ReadsCases, Reference
from ncpflow.web.auth import ApiAllow
from ncpflow.web.writes import run_write
from states.permissions import Action
from states.users import User
from workflow import read_models
from workflow.commands import LinkCase, UnlinkCase

router = APIRouter(prefix="/api", responses=ERRORS)

LinksCases = Annotated[User, Depends(ApiAllow(Action.LINK_CASES))]
Number = Annotated[int, Path(ge=1, le=2**31 - 1, description="The link's number (`case links`).")]


@router.get(
    "/cases/{ref}/related",
    summary="The case's standing links to related cases (`case links`)",
    response_model=read_models.CaseLinks,
)
def list_related(ref: Reference, user: ReadsCases, app: App) -> read_models.CaseLinks:
    """Titles are redacted as the reader sees titles; a case here the reader may not see (a
    mediator not assigned to it) is withheld: the link shows, not which case."""
    return app.case_links.list(reference=ref, viewer=user)


@router.get(
    "/cases/{ref}/similar",
    summary="Similar past cases, best first (`case similar`): precedents among the concluded cases "
    "here and the imported ones",
    response_model=read_models.Precedents,
)
def list_similar(
    ref: Reference,
    user: ReadsCases,
    app: App,
    limit: Annotated[int, Query(ge=1, le=100, description="At most this many precedents.")] = 10,
) -> read_models.Precedents:
    """Matched only on what the reader may see (a protected enterprise the reader may not see is
    not matched on), titles redacted as the reader sees titles; a mediator's user gets
    precedents among its assigned cases only."""
    return app.cases.similar(reference=ref, viewer=user, limit=limit)


@router.post(
    "/cases/{ref}/related",
    status_code=201,
    summary="Link the case to a related one (`case link`): a case here (`case`) or at another NCP "
    "(`ncp`, `external_reference`, `url`); answers the link",
    response_model=read_models.RelatedCase,
)
async def link_case(ref: Reference, body: LinkCase, user: LinksCases, app: App) -> read_models.RelatedCase:
    def work() -> read_models.RelatedCase:
        made = app.case_links.link(reference=ref, actor=user.name, **body.arguments())
        listed = app.case_links.list(reference=ref, viewer=user)
        return next(link for link in listed.links if link.number == made.number)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/related/{number}/remove",
    summary="Remove a link to a related case (`case unlink`); answers the links that still stand",
    response_model=read_models.CaseLinks,
)
async def unlink_case(
    ref: Reference, number: Number, body: UnlinkCase, user: LinksCases, app: App
) -> read_models.CaseLinks:
    def work() -> read_models.CaseLinks:
        app.case_links.unlink(reference=ref, number=number, actor=user.name, **body.arguments())
        return app.case_links.list(reference=ref, viewer=user)

    return await run_write(app, work)
