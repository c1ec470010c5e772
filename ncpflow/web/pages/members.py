"""The members, their leave and conflicts, and the rotation."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.web.auth import application_of
from ncpflow.web.pages.common import guard, language, render
from states.permissions import Action
from states.users import User

router = APIRouter(include_in_schema=False)


@router.get("/members", response_class=HTMLResponse)
@guard(Action.READ_MEMBERS, one_snapshot=True)
def members_page(request: Request, user: User) -> Response:
    members, rotation = application_of(request).members.page(viewer=user, language=language(request))
    return render(request, "members.html", user, "members", members=members, rotation=rotation)
