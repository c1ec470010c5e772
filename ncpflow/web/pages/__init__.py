"""Server-rendered pages in English and Norwegian, one module per area.

Plain HTML forms (POST, then redirect) that work without JavaScript; every form carries the CSRF
token of `auth.csrf_token`. The handlers only gather read models and call use cases through the
application; `common` holds what every page shares (the guard, rendering, refusals).
"""

from __future__ import annotations

from fastapi import APIRouter

from ncpflow.web.pages import (
    admin,
    assets,
    audit,
    calendar,
    case_steps,
    cases,
    checklists,
    documents,
    engagement,
    follow_up,
    handbook,
    journal,
    letters,
    mediators,
    members,
    ncps,
    newcase,
    parties,
    party,
    party_links,
    register,
    related,
    reports,
    search,
    sharing,
    signin,
    start,
    statements,
)
from ncpflow.web.pages.errors import error_page
from ncpflow.web.pages.signin import SIGNIN_PROBLEMS, form_refused, stale_form

# Order matters where paths overlap: a fixed path (`/cases/new`) before a pattern (`/cases/{ref}`).
AREAS = (
    assets,
    signin,
    newcase,
    documents,
    parties,
    party_links,
    party,
    letters,
    mediators,
    ncps,
    follow_up,
    engagement,
    statements,
    related,
    checklists,
    sharing,
    cases,
    case_steps,
    audit,
    members,
    reports,
    admin,
    calendar,
    search,
    journal,
    register,
    start,
    handbook,
)

router = APIRouter(include_in_schema=False)
for area in AREAS:
    router.include_router(area.router)

__all__ = ["SIGNIN_PROBLEMS", "error_page", "form_refused", "router", "stale_form"]
