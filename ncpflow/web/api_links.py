"""The JSON API of a case's party links, under /api/cases/{ref}/links: issue one (its address,
with the token, answered this once), list them, revoke one (the conventions of `ncpflow.web.api`).
A party's token is no API credential: the API answers it 401 like any unknown token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from ncpflow.web.api import ERRORS, App, ReadsCases, Reference
from ncpflow.web.auth import ApiAllow
from ncpflow.web.feeds import base_url
from ncpflow.web.writes import run_write
from states.permissions import Action
from states.users import User
from workflow import read_models
from workflow.commands import IssuePartyLink
from workflow.party_links import link_view

router = APIRouter(prefix="/api", responses=ERRORS)

ManagesLinks = Annotated[User, Depends(ApiAllow(Action.MANAGE_PARTY_LINKS))]
LinkNumber = Annotated[int, Path(ge=1, le=2**31 - 1, description="The link's number (`link list`).")]


@router.get(
    "/cases/{ref}/links",
    summary="The case's party links, oldest first, each active, expired or revoked (`link list`); "
    "never their tokens",
    response_model=read_models.CasePartyLinks,
)
def list_links(ref: Reference, user: ReadsCases, app: App) -> read_models.CasePartyLinks:
    listed = app.party_links.list(reference=ref)
    return read_models.CasePartyLinks(
        reference=ref, links=[link_view(item.link, item.state) for item in listed]
    )


@router.post(
    "/cases/{ref}/links",
    status_code=201,
    summary="Issue a party a signed, expiring link to the case (`link issue`); its address is "
    "answered this once",
    response_model=read_models.PartyLink,
)
async def issue_link(
    request: Request, ref: Reference, body: IssuePartyLink, user: ManagesLinks, app: App
) -> read_models.PartyLink:
    site = base_url(request)

    def work() -> read_models.PartyLink:
        new = app.party_links.issue(reference=ref, actor=user.name, url_base=site, **body.arguments())
        return link_view(new.link, new.link.state(new.link.issued_at), f"{site}/p/{new.token}", new.sent_to)

    return await run_write(app, work)


@router.post(
    "/cases/{ref}/links/{link}/revoke",
    summary="Revoke a party's link (`link revoke`): it opens nothing from now on",
    response_model=read_models.PartyLink,
)
async def revoke_link(
    ref: Reference, link: LinkNumber, user: ManagesLinks, app: App
) -> read_models.PartyLink:
    def work() -> read_models.PartyLink:
        revoked = app.party_links.revoke(reference=ref, link=link, actor=user.name)
        return link_view(revoked, revoked.state(revoked.issued_at))

    return await run_write(app, work)
