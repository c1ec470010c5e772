"""The members, their leave and conflicts, and the rotation; the sync from config.toml.

A member's leave periods and conflicts come from config.toml (changed only in the file, then
synced) or are set here, in the browser (kept in the database; every sync keeps them until they
are removed here). Both count for the rotation. The members page shows what a sync would change
(a diff), and the sync runs after a confirmation page. Who may change them: `MANAGE_MEMBERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.web import auth
from ncpflow.web.auth import application_of
from ncpflow.web.pages.common import (
    FormText,
    guard,
    language,
    redirect,
    render,
    spelling,
    whole_number,
)
from states.errors import NcpflowError
from states.members import MemberSetting
from states.messages import N_
from states.permissions import Action, allows
from states.users import User
from translations import translator
from workflow import commands

router = APIRouter(include_in_schema=False)

Csrf = Annotated[str, Form(max_length=500)]

# The member page's fields by their labels (the shared FORM_LABELS has the rest).
LABELS = {
    "first_day": N_("First day away"),
    "last_day": N_("Last day away"),
    "party_name": N_("Party name"),
    "org_number": N_("Organisation number"),
    "kind": N_("Kind of conflict"),
    "member": N_("Member"),
    "setting": N_("the value"),
}
# A changed field in the sync's diff, by its words.
SYNC_FIELDS = {
    "name": N_("Name"),
    "email": N_("E-mail"),
    "role": N_("Role"),
    "language": N_("Language"),
    "conflicts": N_("Conflicts"),
    "soft_conflicts": N_("Soft conflicts"),
    "leave": N_("Leave"),
}


def _at(member: str) -> str:
    return "/members/" + quote(member, safe="")


@router.get("/members", response_class=HTMLResponse)
@guard(Action.READ_MEMBERS, one_snapshot=True)
def members_page(request: Request, user: User) -> Response:
    app = application_of(request)
    lang = language(request)
    members, rotation = app.members.page(viewer=user, language=lang)
    return render(
        request,
        "members.html",
        user,
        "members",
        members=members,
        rotation=rotation,
        preview=app.members.sync_preview(viewer=user, language=lang),
        sync_fields=SYNC_FIELDS,
        can_manage=allows(user.role, Action.MANAGE_MEMBERS),
    )


# ---- the sync from config.toml (before /members/{member}: a fixed path first) ------------------


@router.get("/members/sync", response_class=HTMLResponse)
@guard(Action.MANAGE_MEMBERS, one_snapshot=True)
def confirm_sync(request: Request, user: User) -> Response:
    """What `members sync` would change, and the button that runs it."""
    preview = application_of(request).members.sync_preview(viewer=user, language=language(request))
    return render(request, "members_sync.html", user, "members", preview=preview, sync_fields=SYNC_FIELDS)


@router.post("/members/sync")
@guard(Action.MANAGE_MEMBERS)
def sync(request: Request, csrf_token: Csrf = "", *, user: User) -> Response:
    auth.check_csrf(request, csrf_token)
    tr = translator(language(request))
    try:
        changes = application_of(request).members.sync(actor=user.name)
    except NcpflowError as exc:
        return redirect("/members", request, error=exc.words(tr, spelling(request, LABELS)))
    if changes.empty:
        return redirect(
            "/members", request, ok=tr.gettext(N_("Nothing to sync: the database matches config.toml"))
        )
    said = tr.gettext(N_("Members synced from config.toml: {changes}")).format(
        changes=changes.describe(tr=tr)
    )
    return redirect("/members", request, ok=said)


# ---- one member: its leave and conflicts -------------------------------------------------------------


def _member_page(
    request: Request,
    user: User,
    member: str,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    app = application_of(request)
    try:
        detail = app.members.detail(member=member, viewer=user, language=language(request))
    except NcpflowError as exc:
        page = render(
            request, "base.html", user, "members", flash_error=exc.words(translator(language(request)))
        )
        page.status_code = 404
        return page
    page = render(
        request,
        "member.html",
        user,
        "members",
        detail=detail,
        can_manage=allows(user.role, Action.MANAGE_MEMBERS),
        form={
            "first_day": "",
            "last_day": "",
            "leave_reason": "",
            "party_name": "",
            "org_number": "",
            "kind": "conflict",
            "conflict_reason": "",
            **(form or {}),
        },
        **({"flash_error": error} if error else {}),
    )
    page.status_code = status
    return page


@router.get("/members/{member}", response_class=HTMLResponse)
@guard(Action.READ_MEMBERS, one_snapshot=True)
def member_page(request: Request, member: str, user: User) -> Response:
    return _member_page(request, user, member)


def _refused(request: Request, user: User, member: str, exc: NcpflowError, form: dict[str, str]) -> Response:
    """A refused form on the member page: the page again, 422, naming the field in its
    language, with what was typed."""
    tr = translator(language(request))
    return _member_page(
        request, user, member, status=422, error=exc.words(tr, spelling(request, LABELS)), form=form
    )


def _save(
    request: Request,
    user: User,
    member: str,
    model: type[commands.C],
    typed: dict[str, str],
    save: Callable[[commands.C], MemberSetting],
    said: str,
) -> Response:
    """A value from its form (`typed`, by the model's field names; empty: left out): saved and
    said (`said` over member, start, end), or refused on the member page with what was typed."""
    try:
        command = commands.validate(
            model, {k: v or None for k, v in typed.items()}, spelling(request, LABELS)
        )
        made = save(command)
    except NcpflowError as exc:
        # Both forms have a reason: each keeps its own.
        reason_of = "leave_reason" if model is commands.AddLeave else "conflict_reason"
        kept = {reason_of if k == "reason" else k: v for k, v in typed.items()}
        return _refused(request, user, member, exc, kept)
    period = made.leave
    words = translator(language(request)).gettext(said)
    ok = words.format(member=member, start=period.start if period else "", end=period.end if period else "")
    return redirect(_at(member), request, ok=ok)


@router.post("/members/{member}/leave")
@guard(Action.MANAGE_MEMBERS)
def add_leave(
    request: Request,
    member: str,
    first_day: FormText = "",
    last_day: FormText = "",
    reason: FormText = "",
    csrf_token: Csrf = "",
    *,
    user: User,
) -> Response:
    auth.check_csrf(request, csrf_token)
    members = application_of(request).members
    return _save(
        request,
        user,
        member,
        commands.AddLeave,
        {"first_day": first_day, "last_day": last_day, "reason": reason},
        lambda command: members.add_leave(member=member, actor=user.name, **command.arguments()),
        N_("Leave of {member} from {start} to {end} saved"),
    )


@router.post("/members/{member}/conflicts")
@guard(Action.MANAGE_MEMBERS)
def add_conflict(
    request: Request,
    member: str,
    party_name: FormText = "",
    org_number: FormText = "",
    kind: FormText = "conflict",
    reason: FormText = "",
    csrf_token: Csrf = "",
    *,
    user: User,
) -> Response:
    auth.check_csrf(request, csrf_token)
    members = application_of(request).members
    return _save(
        request,
        user,
        member,
        commands.AddConflict,
        {"party_name": party_name, "org_number": org_number, "kind": kind, "reason": reason},
        lambda command: members.add_conflict(member=member, actor=user.name, **command.arguments()),
        N_("Conflict of {member} saved"),
    )


@router.post("/members/{member}/values/{setting}/remove")
@guard(Action.MANAGE_MEMBERS)
def remove_value(
    request: Request, member: str, setting: str, csrf_token: Csrf = "", *, user: User
) -> Response:
    """Remove a leave period or conflict set in the browser (those from config.toml stay)."""
    auth.check_csrf(request, csrf_token)
    tr = translator(language(request))
    try:
        number = whole_number(setting, "setting") or 0
        removed = application_of(request).members.remove_setting(
            member=member, setting_id=number, actor=user.name
        )
    except NcpflowError as exc:
        return _refused(request, user, member, exc, {})
    said = tr.gettext(
        N_("Leave of {member} removed") if removed.leave else N_("Conflict of {member} removed")
    )
    return redirect(_at(member), request, ok=said.format(member=member))
