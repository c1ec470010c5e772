"""External mediators: the register (`/mediators`, one mediator's page `/mediators/{mediator}`)
and a case's mediation (`/cases/{ref}/mediation`): its mediators with their conflicts with the
case's parties, the assignment form (a hard conflict refuses it unless an override reason is
given, audited; a soft one is shown), and its sessions.

Who may do what: the register and assignments `MANAGE_MEDIATORS` (handlers, admins); sessions
`RECORD_MEDIATION` (handlers, and a mediator's user on its own cases, the only cases it sees:
`ncpflow.web.auth.Allow`). Each form is validated by its `workflow.commands` model; a refusal
shows the page again (422) in its language with what was typed. Before `cases` in `AREAS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import AfterValidator, BaseModel, Field

from ncpflow.web import auth
from ncpflow.web.auth import application_of
from ncpflow.web.fields import clean_text
from ncpflow.web.pages.common import FORM_MAX, guard, language, redirect, render, spelling
from ncpflow.web.pages.parties import key_words
from states.errors import NcpflowError
from states.mediators import Format
from states.messages import N_
from states.parties import party_keys
from states.permissions import Action, allows
from states.users import User
from translations import translator
from workflow import commands, read_models

router = APIRouter(include_in_schema=False)

FormField = Annotated[str, Field(max_length=FORM_MAX), AfterValidator(clean_text)]

# The pages' fields by their labels (the shared FORM_LABELS has the rest).
LABELS = {
    "id": N_("Mediator id"),
    "name": N_("Name"),
    "email": N_("E-mail"),
    "organisation": N_("Organisation"),
    "languages": N_("Languages"),
    "competence": N_("Competence"),
    "conflicts": N_("Hard conflicts"),
    "soft_conflicts": N_("Soft conflicts"),
    "active": N_("Active"),
    "mediator": N_("Mediator"),
    "override": N_("Override reason"),
    "starts": N_("Starts"),
    "format": N_("Format"),
    "place": N_("Place"),
    "interpreters": N_("Interpreters"),
    "attendees": N_("Attendees"),
    "notes": N_("Notes"),
}
FORMATS = tuple(f.value for f in Format)


def _split(text: str, sep: str = ",") -> list[str]:
    """A form's list: comma-separated (languages) or one a line (conflicts), blanks left out."""
    parts = text.splitlines() if sep == "\n" else text.split(sep)
    return [p.strip() for p in parts if p.strip()]


class _Form(BaseModel):
    csrf_token: Annotated[str, Field(max_length=500)] = ""


class MediatorForm(_Form):
    id: FormField = ""
    name: FormField = ""
    email: FormField = ""
    organisation: FormField = ""
    languages: FormField = ""
    competence: FormField = ""
    conflicts: FormField = ""
    soft_conflicts: FormField = ""
    active: FormField = ""

    def typed(self) -> dict[str, str]:
        return self.model_dump(exclude={"csrf_token"})

    def values(self, *, change: bool = False) -> dict[str, Any]:
        """The model's inputs: lists split; on a change every field is given (the form shows
        each value), so an emptied list or text clears it."""
        values: dict[str, Any] = {
            "name": self.name or None,
            "email": self.email or None,
            "organisation": self.organisation if change else (self.organisation or None),
            "languages": _split(self.languages),
            "competence": self.competence if change else (self.competence or None),
            "conflicts": _split(self.conflicts, "\n"),
            "soft_conflicts": _split(self.soft_conflicts, "\n"),
        }
        if change:
            values["active"] = self.active not in ("", "0", "false", "off")
        else:
            values["id"] = self.id or None
        return values


def _page(request: Request, name: str, user: User, nav: str, error: str | None, **context: Any) -> Response:
    """A page of this area; after a refusal (`error`), with its message and status 422."""
    extra: dict[str, Any] = {} if error is None else {"flash_error": error, "flash_ok": None}
    page = render(request, name, user, nav, **extra, **context)
    page.status_code = 200 if error is None else 422
    return page


# ---- the register ------------------------------------------------------------------------------


def _register(
    request: Request, user: User, *, error: str | None = None, typed: dict[str, str] | None = None
) -> Response:
    return _page(
        request,
        "mediators.html",
        user,
        "mediators",
        error,
        mediators=application_of(request).mediators.list(),
        form=typed or {},
    )


@router.get("/mediators", response_class=HTMLResponse)
@guard(Action.MANAGE_MEDIATORS, one_snapshot=True)
def mediators_page(request: Request, user: User) -> Response:
    return _register(request, user)


@router.post("/mediators")
@guard(Action.MANAGE_MEDIATORS)
def add_mediator(request: Request, form: Annotated[MediatorForm, Form()], *, user: User) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    spell = spelling(request, LABELS)
    try:
        command = commands.validate(commands.AddMediator, form.values(), spell)
        made = application_of(request).mediators.add(actor=user.name, **command.arguments())
    except NcpflowError as exc:
        return _register(request, user, error=exc.words(tr, spell), typed=form.typed())
    said = tr.gettext(N_("Mediator {mediator} added: {name}")).format(mediator=made.id, name=made.name)
    return redirect("/mediators", request, ok=said)


def _at(mediator: str) -> str:
    return "/mediators/" + quote(mediator, safe="")


def _mediator_page(
    request: Request,
    user: User,
    mediator: str,
    *,
    error: str | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    app = application_of(request)
    tr = translator(language(request))
    try:
        found = app.mediators.get(mediator_id=mediator)
    except NcpflowError as exc:
        page = render(request, "base.html", user, "mediators", flash_error=exc.words(tr))
        page.status_code = 404
        return page
    stored = {
        "name": found.name,
        "email": found.email,
        "organisation": found.organisation or "",
        "languages": ", ".join(found.languages),
        "competence": found.competence or "",
        "conflicts": "\n".join(found.conflicts),
        "soft_conflicts": "\n".join(found.soft_conflicts),
        "active": "1" if found.active else "",
    }
    return _page(request, "mediator.html", user, "mediators", error, mediator=found, form=typed or stored)


@router.get("/mediators/{mediator}", response_class=HTMLResponse)
@guard(Action.MANAGE_MEDIATORS, one_snapshot=True)
def mediator_page(request: Request, mediator: str, user: User) -> Response:
    return _mediator_page(request, user, mediator)


@router.post("/mediators/{mediator}")
@guard(Action.MANAGE_MEDIATORS)
def change_mediator(
    request: Request, mediator: str, form: Annotated[MediatorForm, Form()], *, user: User
) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    spell = spelling(request, LABELS)
    try:
        command = commands.validate(commands.ChangeMediator, form.values(change=True), spell)
        fields = application_of(request).mediators.change(
            actor=user.name, mediator_id=mediator, **command.arguments()
        )
    except NcpflowError as exc:
        return _mediator_page(request, user, mediator, error=exc.words(tr, spell), typed=form.typed())
    said = (
        tr.gettext(N_("Mediator {mediator} saved: {fields}")).format(
            mediator=mediator, fields=", ".join(tr.gettext(LABELS[f]) for f in fields)
        )
        if fields
        else tr.gettext(N_("Mediator {mediator}: nothing changed")).format(mediator=mediator)
    )
    return redirect(_at(mediator), request, ok=said)


# ---- a case's mediation ------------------------------------------------------------------------


def hard_conflicts(mediation: read_models.Mediation) -> list[str]:
    """The assigned mediators (names) with a hard conflict with a party of the case as it is now
    (a party added after the assignment): the case's pages warn of them."""
    return [a.name for a in mediation.assignments if a.active and any(not c.soft for c in a.now)]


def _mediation_at(ref: str) -> str:
    return f"/cases/{quote(ref, safe='')}/mediation"


def show_mediation(
    request: Request,
    ref: str,
    user: User,
    *,
    kept: tuple[str, dict[str, str]] | None = None,
    error: str | None = None,
) -> Response:
    """The case's mediation; after a refusal, its message and the form as the user typed it."""
    app = application_of(request)
    lang = language(request)
    tr = translator(lang)
    case = app.cases.get(reference=ref)  # an unknown case: the 404 page naming it
    view = app.cases.view(case=case, viewer=user, language=lang)
    mediation = app.mediators.sessions(reference=ref, viewer=user, language=lang)
    manage = allows(user.role, Action.MANAGE_MEDIATORS)
    assigned = {a.mediator for a in mediation.assignments if a.active}
    choices = (
        [(m.id, m.name) for m in app.mediators.list() if m.active and m.id not in assigned] if manage else []
    )
    return _page(
        request,
        "mediation.html",
        user,
        "dashboard",
        error,
        case=view,
        mediation=mediation,
        can_manage=manage,
        can_record=allows(user.role, Action.RECORD_MEDIATION),
        choices=choices,
        hard_now=hard_conflicts(mediation),
        formats=FORMATS,
        party_keys=[key for key, _ in party_keys(case.parties)],
        key_words=lambda key: key_words(key, tr),
        kept_form=kept[0] if kept else "",
        kept=kept[1] if kept else {},
        timezone=app.settings.ncp.timezone,
    )


@router.get("/cases/{ref}/mediation", response_class=HTMLResponse)
@guard(Action.READ_CASES, one_snapshot=True)
def mediation_page(request: Request, ref: str, user: User) -> Response:
    return show_mediation(request, ref, user)


def _step(
    request: Request,
    ref: str,
    user: User,
    form_id: str,
    typed: dict[str, str],
    run: Callable[[Callable[[str], str]], str],
) -> Response:
    tr = translator(language(request))
    spell = spelling(request, LABELS)
    try:
        said = run(spell)
    except NcpflowError as exc:
        return show_mediation(request, ref, user, kept=(form_id, typed), error=exc.words(tr, spell))
    return redirect(_mediation_at(ref), request, ok=said)


class AssignForm(_Form):
    mediator: FormField = ""
    override: FormField = ""


@router.post("/cases/{ref}/mediation/assign")
@guard(Action.MANAGE_MEDIATORS)
def assign(request: Request, ref: str, form: Annotated[AssignForm, Form()], *, user: User) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    mediators = application_of(request).mediators

    def run(spell: Callable[[str], str]) -> str:
        command = commands.validate(
            commands.AssignMediator,
            {"mediator": form.mediator or None, "override": form.override or None},
            spell,
        )
        found = mediators.assign(reference=ref, actor=user.name, **command.arguments())
        said = tr.gettext(N_("Mediator {mediator} assigned")).format(mediator=command.mediator)
        if found:
            said += ": " + "; ".join(f"{key_words(f.party, tr)}: {f.describe(tr=tr)}" for f in found)
        return said

    return _step(request, ref, user, "assign", form.model_dump(exclude={"csrf_token"}), run)


@router.post("/cases/{ref}/mediation/{mediator}/unassign")
@guard(Action.MANAGE_MEDIATORS)
def unassign(
    request: Request, ref: str, mediator: str, form: Annotated[_Form, Form()], *, user: User
) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    mediators = application_of(request).mediators

    def run(spell: Callable[[str], str]) -> str:
        command = commands.validate(commands.UnassignMediator, {"mediator": mediator}, spell)
        mediators.unassign(reference=ref, actor=user.name, **command.arguments())
        return tr.gettext(N_("Mediator {mediator} unassigned")).format(mediator=command.mediator)

    return _step(request, ref, user, "unassign", {}, run)


class SessionForm(_Form):
    starts: FormField = ""
    format: FormField = ""
    place: FormField = ""
    interpreters: FormField = ""
    attendees: list[Annotated[str, Field(max_length=300), AfterValidator(clean_text)]] = []
    others: FormField = ""
    notes: FormField = ""


@router.post("/cases/{ref}/mediation/sessions")
@guard(Action.RECORD_MEDIATION)
def record_session(
    request: Request, ref: str, form: Annotated[SessionForm, Form()], *, user: User
) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    mediators = application_of(request).mediators
    typed = {
        "starts": form.starts,
        "format": form.format,
        "place": form.place,
        "interpreters": form.interpreters,
        "attendees": "\n".join(form.attendees),
        "others": form.others,
        "notes": form.notes,
    }

    def run(spell: Callable[[str], str]) -> str:
        values = {
            "starts": form.starts or None,
            "format": form.format or None,
            "place": form.place or None,
            "interpreters": _split(form.interpreters),
            "attendees": [*form.attendees, *_split(form.others)],
            "notes": form.notes or None,
        }
        command = commands.validate(commands.RecordSession, values, spell)
        session = mediators.add_session(reference=ref, actor=user.name, **command.arguments())
        return tr.gettext(N_("Session {number} recorded")).format(number=session.number)

    return _step(request, ref, user, "session", typed, run)
