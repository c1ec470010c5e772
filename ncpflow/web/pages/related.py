"""The related cases on a case's page (`/cases/{ref}`, its `#related-cases` section): linking a
case to a related one (a case here, or a case at another NCP) and removing a link.

The section itself is drawn by case.html from the case's view (`links`), as the reader may see
it. Handlers (`LINK_CASES`) get the forms: each is validated by its command's input model
(`commands.LinkCase`, `commands.UnlinkCase`) and refused in the page's language, naming the field
by its label, with the case's page shown again and what was typed kept (422; a link that already
stands, or one already removed, 409).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ncpflow.web import auth, i18n
from ncpflow.web.auth import ApiError, application_of
from ncpflow.web.pages.cases import show_case
from ncpflow.web.pages.common import FormText, guard, language, redirect, spelling
from states.errors import CaseNotFoundError, NcpflowError, StepRefusedError
from states.messages import N_
from states.permissions import Action, PermissionDeniedError
from states.users import User
from translations import translator
from workflow import commands

router = APIRouter(include_in_schema=False)

Csrf = Annotated[str, Form(max_length=500)]

# The forms' fields by their labels on the page.
LABELS = {
    "kind": N_("How they relate"),
    "case": N_("Case here (reference)"),
    "ncp": N_("Other NCP (country code)"),
    "external_reference": N_("The other NCP's reference"),
    "url": N_("Address of the other case (if any)"),
    "link": N_("Link"),
    "reason": N_("Reason (optional)"),
    "csrf_token": N_("the form"),
}


def _refused(exc: NcpflowError, request: Request) -> str:
    """A refusal in the page's language, each input by its label, each name in words."""
    lang = language(request)
    term = i18n.helpers(lang, application_of(request).words(lang))["term"]
    return exc.words(translator(lang), spelling(request, LABELS), term) or type(exc).__name__


def _submit(
    request: Request,
    ref: str,
    user: User,
    form: str,
    values: Mapping[str, Any],
    act: Callable[[], str],
) -> Response:
    """Run the form's step: on success, back to the case's related cases with what was done
    said; refused, the case's page again with the refusal and the form as typed."""
    auth.check_csrf(request, str(values.get("csrf_token", "")))
    app = application_of(request)
    try:
        message = act()
    except PermissionDeniedError as exc:
        raise ApiError(403, "forbidden", _refused(exc, request)) from None
    except CaseNotFoundError:
        raise
    except NcpflowError as exc:
        status = 409 if isinstance(exc, StepRefusedError) else 422
        with app.uow.read():
            return show_case(
                request,
                ref,
                user,
                kept=(form, values),
                error=_refused(exc, request),
                status=status,
            )
    return redirect(f"/cases/{ref}#related-cases", request, ok=message)


@router.post("/cases/{ref}/related")
@guard(Action.LINK_CASES)
def link_case(
    request: Request,
    ref: str,
    user: User,
    kind: FormText = "",
    case: FormText = "",
    ncp: FormText = "",
    external_reference: FormText = "",
    url: FormText = "",
    csrf_token: Csrf = "",
) -> Response:
    values = {"kind": kind, "case": case, "ncp": ncp, "external_reference": external_reference, "url": url}

    def act() -> str:
        given = {k: v.strip() or None for k, v in values.items()}
        command = commands.validate(commands.LinkCase, given, spelling(request, LABELS))
        made = application_of(request).case_links.link(reference=ref, actor=user.name, **command.arguments())
        said = translator(language(request)).gettext(N_("Link {number} to a related case made."))
        return said.format(number=made.number)

    return _submit(request, ref, user, "related", {**values, "csrf_token": csrf_token}, act)


@router.post("/cases/{ref}/related/{number}/remove")
@guard(Action.LINK_CASES)
def unlink_case(
    request: Request,
    ref: str,
    number: str,
    user: User,
    reason: FormText = "",
    csrf_token: Csrf = "",
) -> Response:
    values = {"reason": reason}

    def act() -> str:
        link = commands.validate(commands.LinkNumber, {"link": number}, spelling(request, LABELS)).link
        command = commands.validate(
            commands.UnlinkCase, {"reason": reason.strip() or None}, spelling(request, LABELS)
        )
        application_of(request).case_links.unlink(
            reference=ref, number=link, actor=user.name, **command.arguments()
        )
        said = translator(language(request)).gettext(N_("Link {number} removed."))
        return said.format(number=link)

    return _submit(request, ref, user, f"unlink-{number[:12]}", {**values, "csrf_token": csrf_token}, act)
