"""A case's company engagement: `/cases/{ref}/engagement` (before the `cases` module in AREAS).

The page lists the invitations to the case's enterprises (when, to what, how, the day an answer
is due, where each stands today, with its responses and a decline's reasons in words) and the
concerns about good faith (their text withheld from readers who may not read NCP-internal
material: auditors see that a concern was raised, by which side and when). Handlers log an
invitation, a response (the reasons as checkboxes, from `[engagement] decline_reasons`) and a
concern. Each form is validated by its command's input model (workflow/commands.py) and refused
in the page's language, naming the field by its label, with what was typed kept (422).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.web import auth, i18n
from ncpflow.web.auth import ApiError, application_of
from ncpflow.web.pages.common import FormText, NoteText, guard, language, redirect, render, spelling
from states import engagement as rules
from states.correspondence import CHANNELS
from states.errors import CaseNotFoundError, NcpflowError
from states.messages import N_
from states.permissions import Action, PermissionDeniedError, allows
from states.users import User
from translations import translator
from workflow import commands

router = APIRouter(include_in_schema=False)

Csrf = Annotated[str, Form(max_length=500)]
Reasons = Annotated[list[str], Form(max_length=100)]

# The forms' fields by their labels on the page.
LABELS = {
    "party": N_("Enterprise"),
    "to": N_("Invited to"),
    "channel": N_("Channel"),
    "at": N_("Date (if not today)"),
    "respond_by": N_("Answer due by (if not the usual wait)"),
    "invitation": N_("Invitation"),
    "response": N_("Response"),
    "reasons": N_("Reasons for declining"),
    "side": N_("Raised by"),
    "text": N_("Concern"),
    "csrf_token": N_("the form"),
}

Kept = tuple[str, Mapping[str, Any]]
"""A form sent back to be filled again: its name on the page and its values."""


def _refused(exc: NcpflowError, request: Request) -> str:
    """A refusal in the page's language, each input by its label, each name in words."""
    lang = language(request)
    term = i18n.helpers(lang, application_of(request).words(lang))["term"]
    return exc.words(translator(lang), spelling(request, LABELS), term) or type(exc).__name__


def _validate(request: Request, model: type[commands.C], values: Mapping[str, object]) -> commands.C:
    """The form's input model; an empty field is left out (a list of checkboxes stays a list)."""
    given = {k: v if isinstance(v, list) else v or None for k, v in values.items()}
    return commands.validate(model, given, spelling(request, LABELS))


@router.get("/cases/{ref}/engagement", response_class=HTMLResponse)
@guard(Action.READ_CASES, one_snapshot=True)
def engagement_page(request: Request, ref: str, user: User) -> Response:
    return show_engagement(request, ref, user)


def show_engagement(
    request: Request,
    ref: str,
    user: User,
    *,
    kept: Kept | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The page; after a refused form, with its message and the form as the user left it."""
    app = application_of(request)
    lang = language(request)
    tr = translator(lang)
    case = app.cases.view(case=app.cases.get(reference=ref), viewer=user, language=lang)
    found = app.engagement.list(reference=ref, viewer=user, language=lang)
    parties = app.parties.list(reference=ref, viewer=user, language=lang).parties
    reasons = {r.code: r.words(tr, lang) for r in app.engagement.reasons()}
    invited_to = {code: tr.gettext(words) for code, words in rules.INVITED_TO.items()}
    extra: dict[str, Any] = {} if error is None else {"flash_error": error, "flash_ok": None}
    form, values = kept or ("", {})
    response = render(
        request,
        "engagement.html",
        user,
        "dashboard",
        case=case,
        invitations=found.invitations,
        concerns=found.concerns,
        enterprises=[(p.key, p.name) for p in parties if p.role == "enterprise"],
        invited_to=invited_to,
        channels={code: tr.gettext(words) for code, words in CHANNELS.items()},
        responses={code: tr.gettext(words) for code, words in rules.RESPONSES.items()},
        standings={code: tr.gettext(words) for code, words in rules.STANDINGS.items()},
        sides={code: tr.gettext(words) for code, words in rules.SIDES.items()},
        reasons=reasons,
        reason_words=lambda code: reasons.get(code) or code.replace("_", " "),
        may_log=allows(user.role, Action.LOG_ENGAGEMENT),
        form=form,
        kept=values,
        **extra,
    )
    response.status_code = status
    return response


def _submit(
    request: Request,
    ref: str,
    user: User,
    form: str,
    values: Mapping[str, Any],
    act: Callable[[], tuple[str, str]],
) -> Response:
    """Run the form's step: on success, back to the page with what was saved said; refused, the
    page again with the refusal and the form as typed (422; 403 without the permission)."""
    auth.check_csrf(request, str(values.get("csrf_token", "")))
    app = application_of(request)
    try:
        message, anchor = act()
    except PermissionDeniedError as exc:
        raise ApiError(403, "forbidden", _refused(exc, request)) from None
    except CaseNotFoundError:
        raise
    except NcpflowError as exc:
        with app.uow.read():
            return show_engagement(
                request, ref, user, kept=(form, values), error=_refused(exc, request), status=422
            )
    return redirect(f"/cases/{ref}/engagement#{anchor}", request, ok=message)


@router.post("/cases/{ref}/engagement/invite")
@guard(Action.LOG_ENGAGEMENT)
def invite(
    request: Request,
    ref: str,
    user: User,
    party: FormText = "",
    to: FormText = "",
    channel: FormText = "",
    at: FormText = "",
    respond_by: FormText = "",
    csrf_token: Csrf = "",
) -> Response:
    values = {"party": party, "to": to, "channel": channel, "at": at, "respond_by": respond_by}

    def act() -> tuple[str, str]:
        command = _validate(request, commands.InviteEnterprise, values)
        made = application_of(request).engagement.invite(
            reference=ref, actor=user.name, **command.arguments()
        )
        said = translator(language(request)).gettext(N_("Invitation {number} recorded."))
        return said.format(number=made.number), f"invitation-{made.number}"

    return _submit(request, ref, user, "invite", {**values, "csrf_token": csrf_token}, act)


@router.post("/cases/{ref}/engagement/respond")
@guard(Action.LOG_ENGAGEMENT)
def respond(
    request: Request,
    ref: str,
    user: User,
    invitation: FormText = "",
    response: FormText = "",
    reasons: Reasons = [],  # noqa: B006  # FastAPI copies a form default
    at: FormText = "",
    csrf_token: Csrf = "",
) -> Response:
    values: dict[str, Any] = {"invitation": invitation, "response": response, "reasons": reasons, "at": at}

    def act() -> tuple[str, str]:
        command = _validate(request, commands.RecordResponse, values)
        made = application_of(request).engagement.respond(
            reference=ref, actor=user.name, **command.arguments()
        )
        said = translator(language(request)).gettext(N_("Response to invitation {number} recorded."))
        return said.format(number=made.invitation), f"invitation-{made.invitation}"

    return _submit(request, ref, user, "respond", {**values, "csrf_token": csrf_token}, act)


@router.post("/cases/{ref}/engagement/concern")
@guard(Action.LOG_ENGAGEMENT)
def concern(
    request: Request,
    ref: str,
    user: User,
    side: FormText = "",
    text: NoteText = "",
    at: FormText = "",
    csrf_token: Csrf = "",
) -> Response:
    values = {"side": side, "text": text, "at": at}

    def act() -> tuple[str, str]:
        command = _validate(request, commands.RaiseConcern, values)
        made = application_of(request).engagement.concern(
            reference=ref, actor=user.name, **command.arguments()
        )
        said = translator(language(request)).gettext(N_("Concern about good faith {number} recorded."))
        return said.format(number=made.number), f"concern-{made.number}"

    return _submit(request, ref, user, "concern", {**values, "csrf_token": csrf_token}, act)
