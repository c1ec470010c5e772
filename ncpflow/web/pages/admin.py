"""The users of the web app and API, for admins: list, create, disable and enable, reset a
password, revoke API tokens, remove a second factor, revoke a calendar subscription URL.

Every action is a POST form with its CSRF token, done by the use case the command line's
`users ...` calls (same audit entries, same refusals: nobody disables themselves or the last
enabled admin); destructive ones (disable, revoke every token, remove the second factor, revoke
the calendar URL) first show a confirmation page. A password or API token is never shown again,
and neither are token hashes: a generated password is shown once, on the answer to the form that
made it. A calendar URL is shown as listed (its id, when it was made, its language and cases),
never its token: the URL itself is the user's own, shown to them once (workflow/feeds.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.web import auth
from ncpflow.web.auth import application_of
from ncpflow.web.pages.calendar import LANGUAGE_NAMES
from ncpflow.web.pages.common import FormText, guard, language, redirect, render, spelling
from states.errors import NcpflowError
from states.messages import N_
from states.permissions import Action
from states.users import Role, User
from translations import translator
from workflow import commands, read_models
from workflow.application import Application

router = APIRouter(include_in_schema=False)

Csrf = Annotated[str, Form(max_length=500)]
Password = Annotated[str, Form(max_length=1000)]  # never echoed back, never logged

# The users pages' fields by their labels (the shared FORM_LABELS has the rest).
LABELS = {
    "name": N_("User name"),
    "role": N_("Role"),
    "member": N_("Member"),
    "mediator": N_("Mediator"),
    "password": N_("Password"),
}


def _at(name: str) -> str:
    """The user's page: the name as one path segment."""
    return "/admin/users/" + quote(name, safe="")


def _words(request: Request) -> Any:
    return translator(language(request))


def _refusal(exc: NcpflowError, request: Request) -> str:
    return exc.words(_words(request), spelling(request, LABELS))


def _listed(request: Request, name: str) -> read_models.UserListed | None:
    return next((u for u in application_of(request).users.summaries() if u.name == name), None)


def _users_page(
    request: Request,
    user: User,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    app = application_of(request)
    page = render(
        request,
        "admin_users.html",
        user,
        "users",
        users=app.users.summaries(),
        members=app.members.list(language=language(request)).members,
        roles=[r.value for r in Role],
        mediators=[m for m in app.mediators.list() if m.active],
        form=form or {"name": "", "role": "", "member": "", "mediator": ""},
        **({"flash_error": error} if error else {}),
    )
    page.status_code = status
    return page


def _unknown(request: Request, user: User, name: str) -> Response:
    message = _words(request).gettext(N_("There is no user named '{name}'.")).format(name=name)
    page = render(request, "base.html", user, "users", flash_error=message)
    page.status_code = 404
    return page


def _user_page(
    request: Request, user: User, name: str, *, status: int = 200, error: str | None = None
) -> Response:
    listed = _listed(request, name)
    if listed is None:
        return _unknown(request, user, name)
    app = application_of(request)
    page = render(
        request,
        "admin_user.html",
        user,
        "users",
        shown=listed,
        tokens=app.users.tokens(name=name),
        feed=app.calendar.active_feed(name=name),
        languages=LANGUAGE_NAMES,
        itself=name == user.name,
        **({"flash_error": error} if error else {}),
    )
    page.status_code = status
    return page


def _refused_on_user(request: Request, user: User, name: str, exc: NcpflowError) -> Response:
    """A refused action on a user: the user's page again, 422, saying why in its language."""
    return _user_page(request, user, name, status=422, error=_refusal(exc, request))


def _shown_once(request: Request, user: User, *, heading: str, name: str, secret: str) -> Response:
    """The answer to a form that made a password: shown this once, never stored in the clear."""
    return render(request, "admin_secret.html", user, "users", heading=heading, who=name, secret=secret)


def _said(request: Request, message: str, **params: object) -> str:
    return str(_words(request).gettext(message).format(**params))


# ---- the list, and a new user ---------------------------------------------------------------------


@router.get("/admin/users", response_class=HTMLResponse)
@guard(Action.MANAGE_USERS)
def users_page(request: Request, user: User) -> Response:
    return _users_page(request, user)


@router.post("/admin/users")
@guard(Action.MANAGE_USERS)
def add_user(
    request: Request,
    name: FormText = "",
    role: FormText = "",
    member: FormText = "",
    mediator: FormText = "",
    password: Password = "",
    csrf_token: Csrf = "",
    *,
    user: User,
) -> Response:
    """A new user who signs in with a password: the one typed, or one generated and shown once."""
    auth.check_csrf(request, csrf_token)
    app = application_of(request)
    # Kept on a refusal; the password never.
    typed = {"name": name, "role": role, "member": member, "mediator": mediator}
    try:
        command = commands.validate(
            commands.AddUser,
            {
                "name": name or None,
                "role": role or None,
                "member": member or None,
                "mediator": mediator or None,
            },
            spelling(request, LABELS),
        )
        secret = password or app.users.generated_password()
        made = app.users.add(actor=user.name, password=secret, with_token=False, **command.arguments())
    except NcpflowError as exc:
        return _users_page(request, user, status=422, error=_refusal(exc, request), form=typed)
    created = _said(request, N_("User {name} created"), name=made.user.name)
    if password:
        return redirect(_at(made.user.name), request, ok=created)
    return _shown_once(request, user, heading=created, name=made.user.name, secret=secret)


# ---- one user ------------------------------------------------------------------------------------


@router.get("/admin/users/{name}", response_class=HTMLResponse)
@guard(Action.MANAGE_USERS)
def user_page(request: Request, name: str, user: User) -> Response:
    return _user_page(request, user, name)


@router.post("/admin/users/{name}/password")
@guard(Action.MANAGE_USERS)
def reset_password(
    request: Request, name: str, password: Password = "", csrf_token: Csrf = "", *, user: User
) -> Response:
    """A new password (typed, or generated and shown once); every session of the user ends."""
    auth.check_csrf(request, csrf_token)
    app = application_of(request)
    if _listed(request, name) is None:
        return _unknown(request, user, name)
    secret = password or app.users.generated_password()
    try:
        ended = app.users.set_password(name=name, password=secret, actor=user.name)
    except NcpflowError as exc:
        return _refused_on_user(request, user, name, exc)
    said = _words(request).ngettext(
        "Password of {name} set; {count} session ended",
        "Password of {name} set; {count} sessions ended",
        ended,
    )
    message = str(said).format(name=name, count=ended)
    if password:
        return redirect(_at(name), request, ok=message)
    return _shown_once(request, user, heading=message, name=name, secret=secret)


# What each confirmation page asks, and the button that confirms.
CONFIRM = {
    "disable": (
        N_("Disable the user {name}?"),
        N_(
            "Their sessions end at once, and their sign-in and API tokens are refused until an "
            "administrator enables them again."
        ),
        N_("Disable {name}"),
    ),
    "tokens/revoke": (
        N_("Revoke every API token of {name}?"),
        N_("Programs using these tokens are refused at once. Revoked tokens cannot be used again."),
        N_("Revoke every token"),
    ),
    "totp/remove": (
        N_("Remove the second factor of {name}?"),
        N_(
            "Their sessions end, and they sign in with their password alone until a second factor "
            "is enrolled again (a role that requires one cannot sign in until then)."
        ),
        N_("Remove the second factor"),
    ),
    "calendar/revoke": (
        N_("Revoke the calendar URL of {name}?"),
        N_(
            "Calendar programs subscribed with it get nothing more from it, at once. The user can "
            "make a new one on their calendar page."
        ),
        N_("Revoke the calendar URL"),
    ),
}


def _confirm(request: Request, user: User, name: str, action: str) -> Response:
    if _listed(request, name) is None:
        return _unknown(request, user, name)
    question, detail, button = CONFIRM[action]
    return render(
        request,
        "admin_confirm.html",
        user,
        "users",
        question=_said(request, question, name=name),
        detail=detail,
        button=_said(request, button, name=name),
        action=f"{_at(name)}/{action}",
        back=_at(name),
    )


Done = Callable[[Any], str]  # what the flash says, given what the action returned


def _act(request: Request, user: User, name: str, act: Callable[[], object], done: Done) -> Response:
    """One action on an existing user: done, then back to the user's page saying what was
    done; refused, the user's page again (422) saying why."""
    if _listed(request, name) is None:
        return _unknown(request, user, name)
    try:
        result = act()
    except NcpflowError as exc:
        return _refused_on_user(request, user, name, exc)
    return redirect(_at(name), request, ok=done(result))


def _saying(request: Request, message: str, name: str) -> Done:
    return lambda _: _said(request, message, name=name)


def _confirmed(action: str, act: Callable[[Application, str, User], object], message: str) -> None:
    """A destructive action on a user, asked first: `GET /admin/users/{name}/ACTION`, the
    confirmation page (CONFIRM[action]), and its form's `POST`: `act(app, name, admin)`, then
    the user's page saying `message` (`_act`)."""
    path = f"/admin/users/{{name}}/{action}"
    named = action.replace("/", "_")

    @guard(Action.MANAGE_USERS)
    def ask(request: Request, name: str, user: User) -> Response:
        return _confirm(request, user, name, action)

    @guard(Action.MANAGE_USERS)
    def confirmed(request: Request, name: str, csrf_token: Csrf = "", *, user: User) -> Response:
        auth.check_csrf(request, csrf_token)
        app = application_of(request)
        return _act(request, user, name, lambda: act(app, name, user), _saying(request, message, name))

    router.get(path, response_class=HTMLResponse, name=f"confirm_{named}")(ask)
    router.post(path, name=named)(confirmed)


_confirmed(
    "disable",
    lambda app, name, admin: app.users.set_disabled(name=name, disabled=True, actor=admin.name),
    N_("User {name} disabled; their sessions ended"),
)


@router.post("/admin/users/{name}/enable")
@guard(Action.MANAGE_USERS)
def enable(request: Request, name: str, csrf_token: Csrf = "", *, user: User) -> Response:
    auth.check_csrf(request, csrf_token)
    users = application_of(request).users
    return _act(
        request,
        user,
        name,
        lambda: users.set_disabled(name=name, disabled=False, actor=user.name),
        _saying(request, N_("User {name} enabled"), name),
    )


def _revoke(request: Request, user: User, name: str, token: str | None) -> Response:
    users, words = application_of(request).users, _words(request)
    return _act(
        request,
        user,
        name,
        lambda: users.revoke_token(name=name, token_id=token, actor=user.name),
        lambda count: str(
            words.ngettext("{count} token revoked", "{count} tokens revoked", count or 0)
        ).format(count=count),
    )


@router.post("/admin/users/{name}/tokens/{token}/revoke")
@guard(Action.MANAGE_USERS)
def revoke_token(request: Request, name: str, token: str, csrf_token: Csrf = "", *, user: User) -> Response:
    auth.check_csrf(request, csrf_token)
    return _revoke(request, user, name, token)


@router.get("/admin/users/{name}/tokens/revoke", response_class=HTMLResponse)
@guard(Action.MANAGE_USERS)
def confirm_revoke_all(request: Request, name: str, user: User) -> Response:
    return _confirm(request, user, name, "tokens/revoke")


@router.post("/admin/users/{name}/tokens/revoke")
@guard(Action.MANAGE_USERS)
def revoke_all(request: Request, name: str, csrf_token: Csrf = "", *, user: User) -> Response:
    auth.check_csrf(request, csrf_token)
    return _revoke(request, user, name, None)


_confirmed(
    "totp/remove",
    lambda app, name, admin: app.users.remove_totp(name=name, actor=admin.name),
    N_("Second factor of {name} removed"),
)
_confirmed(  # the user's calendar URL stops working (`calendar_feed_revoked`, the admin as actor)
    "calendar/revoke",
    lambda app, name, admin: app.calendar.revoke_feed(name=name, actor=admin.name),
    N_("Calendar URL of {name} revoked; it no longer works"),
)
