"""A case's page with the steps that may come next (the dashboard: pages/search.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.web import auth, i18n
from ncpflow.web.auth import ApiError, application_of
from ncpflow.web.pages.common import (
    FormText,
    form_command,
    guard,
    language,
    redirect,
    refused,
    render,
    urgency,
)
from states.case import duration_of
from states.deadlines import human_month
from states.errors import NcpflowError
from states.messages import N_
from states.permissions import Action, allows
from states.precision import Precision
from states.procedure import Procedure
from states.users import User
from translations import translator
from workflow import commands, read_models, views
from workflow.application import Application

router = APIRouter(include_in_schema=False)


def _may_change(user: User, case: Any) -> str | None:
    """None when the user may advance the case, else the message saying why not."""
    try:
        views.may_advance(user, case)
    except views.ForbiddenError:
        return (
            N_("Only the case's lead can change it.")
            if allows(user.role, Action.ADVANCE_LED_CASE)
            else N_("You can read this case but not change it.")
        )
    return None


def _day_of(entry: read_models.AuditEntry, zone: ZoneInfo) -> str:
    """The day an entry took effect, in the NCP's zone; an imported entry's date as its file gave
    it, which may be only a month (`2007-02`): never an invented day (states/precision.py)."""
    imported = entry.data.get("imported")
    if isinstance(imported, dict) and isinstance(imported.get("date"), str):
        return str(imported["date"])
    return datetime.fromisoformat(entry.at).astimezone(zone).date().isoformat()


def _timeline(
    view: read_models.Case,
    entries: list[read_models.AuditEntry],
    app: Application,
    language: str,
    procedure: Procedure,
) -> list[dict[str, Any]]:
    """The stages in order, when each was entered, and its indicative timeline: those of
    `procedure`, the one the case follows."""
    entered: dict[str, str] = {}
    zone = ZoneInfo(view.timezone)
    for entry in entries:
        to_state = entry.to_state
        if to_state and to_state != entry.from_state and to_state not in entered:
            entered[to_state] = _day_of(entry, zone)
    deadlines = {d.name: d for d in view.deadlines}
    durations = {name: duration_of(procedure, name, app.policy) for name in procedure.deadlines}
    order = list(procedure.states)
    current = order.index(view.state) if view.state in order else len(order)
    steps = []
    for index, state in enumerate(order):
        name = procedure.stage_deadline(state)
        if state == view.state:
            status = "current"
        elif state in entered:
            status = "done"
        elif index < current:
            status = "skipped"
        else:
            status = "future"
        steps.append(
            {
                "state": state,
                "status": status,
                "entered": entered.get(state),
                "deadline": deadlines.get(name) if name else None,
                "duration": durations[name].describe(translator(language)) if name else None,
            }
        )
    return steps


@router.get("/cases/{ref}", response_class=HTMLResponse)
@guard(Action.READ_CASES, one_snapshot=True)
def case_page(request: Request, ref: str, user: User) -> Response:
    app = application_of(request)
    try:
        case = app.cases.get(reference=ref)
    except NcpflowError as exc:
        response = render(request, "base.html", user, "dashboard", flash_error=refused(exc, request))
        response.status_code = 404
        return response
    lang = language(request)
    view = app.cases.view(case=case, viewer=user, language=lang)
    entries = app.audit.page(viewer=user, case_ref=ref, limit=100_000).items
    options = app.cases.triggers(case=case, language=lang)
    blocked_reason = _may_change(user, case)
    words = app.words(lang, procedure=case.procedure)  # the case's own procedure names its states
    return render(
        request,
        "case.html",
        user,
        "dashboard",
        **i18n.helpers(lang, words),
        received=(
            human_month(case.received_on, words)
            if case.received_precision is Precision.MONTH
            else view.received
        ),
        procedure_title=case.procedure.title.get(lang),
        case=view,
        parties=view.parties,
        urgency=urgency,
        terminal=case.is_terminal,
        timeline=_timeline(view, entries, app, lang, case.procedure),
        entries=entries,
        show_case=False,
        allowed=[o for o in options if o.allowed] if blocked_reason is None else [],
        blocked=[o for o in options if not o.allowed and o.to_state],
        can_change=blocked_reason is None,
        change_blocked=blocked_reason or "",
        can_pause=allows(user.role, Action.PAUSE_CASE),
    )


@router.post("/cases/{ref}/advance")
@guard(Action.ADVANCE_ANY_CASE, Action.ADVANCE_LED_CASE)
def advance(
    request: Request,
    ref: str,
    trigger: FormText,
    reason: FormText = "",
    outcome: FormText = "",
    scope: FormText = "",
    version: FormText = "",
    csrf_token: Annotated[str, Form(max_length=500)] = "",
    *,
    user: User,
) -> Response:
    auth.check_csrf(request, csrf_token)
    back = f"/cases/{ref}"
    try:
        command = form_command(
            request,
            commands.AdvanceCase,
            trigger=trigger,
            reason=reason,
            outcome=outcome,
            scope=scope,
            expected_version=version,
        )
        application_of(request).cases.advance_as(user=user, reference=ref, **command.arguments())
    except views.ForbiddenError as exc:
        raise ApiError(403, "forbidden", refused(exc, request)) from None
    except NcpflowError as exc:
        return redirect(back, request, error=refused(exc, request))
    return redirect(back, request, ok=N_("Saved."))


@router.post("/cases/{ref}/pause")
@guard(Action.PAUSE_CASE)
def pause(
    request: Request,
    ref: str,
    reason: FormText = "",
    requested_by: FormText = "",
    csrf_token: Annotated[str, Form(max_length=500)] = "",
    *,
    user: User,
) -> Response:
    auth.check_csrf(request, csrf_token)
    try:
        command = form_command(request, commands.PauseCase, reason=reason, requested_by=requested_by)
        application_of(request).cases.pause(reference=ref, actor=user.name, **command.arguments())
    except NcpflowError as exc:
        return redirect(f"/cases/{ref}", request, error=refused(exc, request))
    return redirect(f"/cases/{ref}", request, ok=N_("Saved."))


@router.post("/cases/{ref}/resume")
@guard(Action.RESUME_CASE)
def resume(
    request: Request,
    ref: str,
    reason: FormText = "",
    csrf_token: Annotated[str, Form(max_length=500)] = "",
    *,
    user: User,
) -> Response:
    auth.check_csrf(request, csrf_token)
    try:
        command = form_command(request, commands.ResumeCase, reason=reason)
        application_of(request).cases.resume(reference=ref, actor=user.name, **command.arguments())
    except NcpflowError as exc:
        return redirect(f"/cases/{ref}", request, error=refused(exc, request))
    return redirect(f"/cases/{ref}", request, ok=N_("Saved."))
