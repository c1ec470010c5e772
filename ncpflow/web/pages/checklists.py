"""The checklist on a case's page (`/cases/{ref}`, its `#checklist` section): ticking and
unticking an item of the current stage's checklist, one small form per item (no JavaScript).

The section itself is drawn by case.html from `app.checklists.show`. Handlers
(`TICK_CHECKLIST`) get the buttons; everyone else who reads the case reads the checklist. A
refusal (an item not on this stage's checklist, one ticked already, a closed case) shows the
case's page again with the refusal in its language (409 for a mark that does not fit, 422 for
an unknown item), nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ncpflow.web import auth, i18n
from ncpflow.web.auth import ApiError, application_of
from ncpflow.web.pages.cases import show_case
from ncpflow.web.pages.common import guard, language, redirect
from states.errors import CaseNotFoundError, NcpflowError, StepRefusedError
from states.messages import N_
from states.permissions import Action, PermissionDeniedError
from states.users import User
from translations import translator

router = APIRouter(include_in_schema=False)

Csrf = Annotated[str, Form(max_length=500)]


def _refused(exc: NcpflowError, request: Request) -> str:
    """A refusal in the page's language, each name (a state, an item) in words."""
    lang = language(request)
    term = i18n.helpers(lang, application_of(request).words(lang))["term"]
    return exc.words(translator(lang), lambda field: field, term) or type(exc).__name__


def _submit(request: Request, ref: str, user: User, csrf_token: str, act: Callable[[], str]) -> Response:
    auth.check_csrf(request, csrf_token)
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
            return show_case(request, ref, user, error=_refused(exc, request), status=status)
    return redirect(f"/cases/{ref}#checklist", request, ok=message)


@router.post("/cases/{ref}/checklist/{item}/tick")
@guard(Action.TICK_CHECKLIST)
def tick_item(request: Request, ref: str, item: str, user: User, csrf_token: Csrf = "") -> Response:
    def act() -> str:
        application_of(request).checklists.tick(reference=ref, item=item[:200], actor=user.name)
        return translator(language(request)).gettext(N_("Checklist item ticked."))

    return _submit(request, ref, user, csrf_token, act)


@router.post("/cases/{ref}/checklist/{item}/untick")
@guard(Action.TICK_CHECKLIST)
def untick_item(request: Request, ref: str, item: str, user: User, csrf_token: Csrf = "") -> Response:
    def act() -> str:
        application_of(request).checklists.untick(reference=ref, item=item[:200], actor=user.name)
        return translator(language(request)).gettext(N_("Checklist item unticked."))

    return _submit(request, ref, user, csrf_token, act)
