"""The start page, "Start here" (`/start`): for the signed-in user, the handbook, the open cases
it is involved in, the members' conflicts rules (and its own declared conflicts), and where each
report is, on the pages and on the command line (workflow/start.py gathers the reads)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.web.auth import application_of
from ncpflow.web.pages.common import guard, language, render
from states.messages import N_
from states.permissions import Action, allows
from states.users import User

router = APIRouter(include_in_schema=False)

INVOLVEMENT = {
    "lead": N_("you lead it"),
    "panel": N_("you take part (panel)"),
    "mediator": N_("you mediate"),
    "handler": N_("you handled it (opened it or moved it on)"),
}

# Where each report is: its page (None: none) and its command; which action reads it.
REPORTS: tuple[tuple[str, str | None, str, Action], ...] = (
    (N_("Timeline compliance"), "/reports/timelines", "ncpflow report timelines", Action.READ_REPORTS),
    (N_("Annual report"), "/reports/annual", "ncpflow report annual", Action.READ_REPORTS),
    (N_("Rotation of the lead"), "/reports/rotation", "ncpflow report rotation", Action.READ_REPORTS),
    (N_("Company engagement"), "/reports/engagement", "ncpflow report engagement", Action.READ_REPORTS),
    (N_("Follow-up of commitments"), "/reports/follow-up", "ncpflow report follow-up", Action.READ_REPORTS),
    (N_("The OECD database's fields"), None, "ncpflow report oecd", Action.READ_REPORTS),
    (N_("Audit log"), "/audit", "ncpflow audit log", Action.READ_AUDIT),
    (N_("Journal"), "/journal", "ncpflow journal export", Action.READ_INTERNAL),
    (N_("Register of specific instances"), "/register", "ncpflow register export", Action.READ_SESSION),
)


@router.get("/start", response_class=HTMLResponse)
@guard(Action.READ_SESSION, one_snapshot=True)
def start_page(request: Request, user: User) -> Response:
    app = application_of(request)
    page = app.users.start(viewer=user, language=language(request))
    return render(
        request,
        "start.html",
        user,
        "start",
        page=page,
        involvement=INVOLVEMENT,
        reports=[
            (name, path, command) for name, path, command, action in REPORTS if allows(user.role, action)
        ],
    )
