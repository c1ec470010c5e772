"""The NCPs of a case (`/cases/{ref}/ncps`): who leads (one NCP, or two jointly; none recorded:
`[ncp] country`), the supporting NCPs and their roles, the complainant's preference, the
coordination step and its clock, the review tasks; a form for each change. Handing the lead over
asks first (a confirmation page: Confirm, or Back with the input kept).

Who may do what: the NCPs `EDIT_CASE`; review tasks and their comments `MANAGE_STATEMENTS`; the
comments are NCP-internal (shown to `READ_INTERNAL`). Each form is validated by its
`workflow.commands` model; a refusal shows the page again (422) in its language with what was
typed. NCPs are shown by their country's name in the page's language and their code. Before
`cases` in `AREAS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from babel import Locale
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import AfterValidator, BaseModel, Field

from ncpflow.web import auth
from ncpflow.web.auth import application_of
from ncpflow.web.fields import clean_text
from ncpflow.web.pages.common import FORM_MAX, guard, language, redirect, render, spelling
from states.errors import NcpflowError
from states.messages import N_
from states.ncp_roles import ROLE_WORDS, Role
from states.permissions import Action, allows
from states.reviews import STATUS_WORDS, Status
from states.users import User
from translations import translator
from workflow import commands

router = APIRouter(include_in_schema=False)

FormField = Annotated[str, Field(max_length=FORM_MAX), AfterValidator(clean_text)]

LABELS = {
    "lead": N_("Lead NCP"),
    "ncp": N_("NCP"),
    "ncps": N_("NCPs"),
    "role": N_("Role"),
    "to": N_("New lead NCP"),
    "keep_as": N_("Role kept by the NCPs that led"),
    "note": N_("Note"),
    "on": N_("Date"),
    "statement": N_("Statement"),
    "due": N_("Due"),
    "comment": N_("Review comment"),
}
ROLES = tuple(r.value for r in Role)


def country_words(lang: str) -> Callable[[str], str]:
    """An NCP in the page's words: its country's name and code, "Sverige (SE)"."""
    territories = Locale.parse("nb_NO" if lang == "nb" else "en").territories
    return lambda code: f"{territories.get(code, code)} ({code})"


def role_words(lang: str) -> Callable[[str], str]:
    tr = translator(lang)
    return lambda value: tr.gettext(ROLE_WORDS[Role(value)]) if value in ROLES else value


def status_words(lang: str) -> Callable[[str], str]:
    tr = translator(lang)
    return lambda value: tr.gettext(STATUS_WORDS[Status(value)])


def _at(ref: str) -> str:
    return f"/cases/{quote(ref, safe='')}/ncps"


class _Form(BaseModel):
    csrf_token: Annotated[str, Field(max_length=500)] = ""


def show_ncps(
    request: Request,
    ref: str,
    user: User,
    *,
    kept: tuple[str, dict[str, str]] | None = None,
    error: str | None = None,
) -> Response:
    """The case's NCPs; after a refusal, its message and the form as the user typed it."""
    app = application_of(request)
    lang = language(request)
    case = app.cases.get(reference=ref)  # an unknown case: the 404 page naming it
    view = app.cases.view(case=case, viewer=user, language=lang)
    shown = app.ncps.show(reference=ref, comments=allows(user.role, Action.READ_INTERNAL))
    statements = (
        app.statements.list(reference=ref, viewer=user, language=lang)
        if allows(user.role, Action.MANAGE_STATEMENTS)
        else None
    )
    drafts = [s.number for s in statements.statements if s.status == "draft"] if statements else []
    extra: dict[str, Any] = {} if error is None else {"flash_error": error, "flash_ok": None}
    page = render(
        request,
        "ncps.html",
        user,
        "dashboard",
        **extra,
        case=view,
        ncps=shown,
        terminal=case.is_terminal,
        country=country_words(lang),
        role_words=role_words(lang),
        status_words=status_words(lang),
        roles=ROLES,
        drafts=drafts,
        can_edit=allows(user.role, Action.EDIT_CASE) and not case.is_terminal,
        can_review=allows(user.role, Action.MANAGE_STATEMENTS),
        coordinates="coordination_begun" in case.procedure.facts,
        kept_form=kept[0] if kept else "",
        kept=kept[1] if kept else {},
    )
    page.status_code = 200 if error is None else 422
    return page


@router.get("/cases/{ref}/ncps", response_class=HTMLResponse)
@guard(Action.READ_CASES, one_snapshot=True)
def ncps_page(request: Request, ref: str, user: User) -> Response:
    return show_ncps(request, ref, user)


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
        return show_ncps(request, ref, user, kept=(form_id, typed), error=exc.words(tr, spell))
    return redirect(_at(ref), request, ok=said)


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", " ").split() if part.strip()]


class LeadForm(_Form):
    lead: FormField = ""
    reason: FormField = ""
    on: FormField = ""


@router.post("/cases/{ref}/ncps/lead")
@guard(Action.EDIT_CASE)
def set_lead(request: Request, ref: str, form: Annotated[LeadForm, Form()], *, user: User) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    ncps = application_of(request).ncps

    def run(spell: Callable[[str], str]) -> str:
        values = {"lead": _codes(form.lead), "reason": form.reason or None, "on": form.on or None}
        command = commands.validate(commands.SetLead, values, spell)
        ncps.set_lead(reference=ref, actor=user.name, **command.arguments())
        return tr.gettext(N_("Lead NCP recorded: {lead}")).format(lead=", ".join(command.lead))

    return _step(request, ref, user, "lead", form.model_dump(exclude={"csrf_token"}), run)


class SupportingForm(_Form):
    ncp: FormField = ""
    role: FormField = ""
    reason: FormField = ""


@router.post("/cases/{ref}/ncps/supporting")
@guard(Action.EDIT_CASE)
def add_supporting(
    request: Request, ref: str, form: Annotated[SupportingForm, Form()], *, user: User
) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    ncps = application_of(request).ncps

    def run(spell: Callable[[str], str]) -> str:
        values = {"ncp": form.ncp or None, "role": form.role or None, "reason": form.reason or None}
        command = commands.validate(commands.SupportingNcp, values, spell)
        ncps.add_supporting(reference=ref, actor=user.name, **command.arguments())
        return tr.gettext(N_("Supporting NCP added: {code}")).format(code=command.ncp)

    return _step(request, ref, user, "supporting", form.model_dump(exclude={"csrf_token"}), run)


@router.post("/cases/{ref}/ncps/role")
@guard(Action.EDIT_CASE)
def change_role(
    request: Request, ref: str, form: Annotated[SupportingForm, Form()], *, user: User
) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    ncps = application_of(request).ncps

    def run(spell: Callable[[str], str]) -> str:
        values = {"ncp": form.ncp or None, "role": form.role or None, "reason": form.reason or None}
        command = commands.validate(commands.SupportingNcp, values, spell)
        ncps.change_role(reference=ref, actor=user.name, **command.arguments())
        return tr.gettext(N_("Role changed: {code}")).format(code=command.ncp)

    return _step(request, ref, user, "role-" + form.ncp, form.model_dump(exclude={"csrf_token"}), run)


class RemoveForm(_Form):
    ncp: FormField = ""


@router.post("/cases/{ref}/ncps/remove")
@guard(Action.EDIT_CASE)
def remove_supporting(
    request: Request, ref: str, form: Annotated[RemoveForm, Form()], *, user: User
) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    ncps = application_of(request).ncps

    def run(spell: Callable[[str], str]) -> str:
        command = commands.validate(commands.RemoveSupporting, {"ncp": form.ncp or None}, spell)
        ncps.remove_supporting(reference=ref, actor=user.name, **command.arguments())
        return tr.gettext(N_("Supporting NCP removed: {code}")).format(code=command.ncp)

    return _step(request, ref, user, "remove", {}, run)


class TransferForm(_Form):
    to: FormField = ""
    reason: FormField = ""
    keep_as: FormField = "consulted"
    confirm: FormField = ""


@router.post("/cases/{ref}/ncps/transfer")
@guard(Action.EDIT_CASE)
def transfer(request: Request, ref: str, form: Annotated[TransferForm, Form()], *, user: User) -> Response:
    """Checked first; then a confirmation page (Confirm writes it, Back keeps the input)."""
    auth.check_csrf(request, form.csrf_token)
    lang = language(request)
    tr = translator(lang)
    app = application_of(request)
    typed = form.model_dump(exclude={"csrf_token", "confirm"})
    if form.confirm == "back":
        return show_ncps(request, ref, user, kept=("transfer", typed))

    def run(spell: Callable[[str], str]) -> str:
        values = {"to": form.to or None, "reason": form.reason or None, "keep_as": form.keep_as or None}
        command = commands.validate(commands.TransferLead, values, spell)
        app.ncps.transfer(reference=ref, actor=user.name, **command.arguments())
        return tr.gettext(N_("Lead handed over to {code}")).format(code=command.to)

    if form.confirm != "yes":
        spell = spelling(request, LABELS)
        values = {"to": form.to or None, "reason": form.reason or None, "keep_as": form.keep_as or None}
        try:
            command = commands.validate(commands.TransferLead, values, spell)
        except NcpflowError as exc:
            return show_ncps(request, ref, user, kept=("transfer", typed), error=exc.words(tr, spell))
        case = app.cases.get(reference=ref)
        country = country_words(lang)
        kept = command.keep_as
        return render(
            request,
            "confirm.html",
            user,
            "dashboard",
            reference=ref,
            title=case.title,
            heading=tr.gettext(N_("Hand the lead over to {code}?")).format(code=country(command.to)),
            summary=[
                (tr.gettext(LABELS["to"]), country(command.to)),
                (
                    tr.gettext(LABELS["keep_as"]),
                    tr.gettext(N_("none: they leave the case")) if kept == "none" else role_words(lang)(kept),
                ),
                (tr.gettext(N_("Reason")), command.reason),
            ],
            action=_at(ref) + "/transfer",
            hidden=list(typed.items()),
        )
    return _step(request, ref, user, "transfer", typed, run)


class PreferenceForm(_Form):
    ncp: FormField = ""
    note: FormField = ""


@router.post("/cases/{ref}/ncps/preference")
@guard(Action.EDIT_CASE)
def prefer(request: Request, ref: str, form: Annotated[PreferenceForm, Form()], *, user: User) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    ncps = application_of(request).ncps

    def run(spell: Callable[[str], str]) -> str:
        command = commands.validate(
            commands.PreferLead, {"ncp": form.ncp or None, "note": form.note or None}, spell
        )
        ncps.prefer(reference=ref, actor=user.name, **command.arguments())
        return tr.gettext(N_("The complainant's preference recorded: {code}")).format(code=command.ncp)

    return _step(request, ref, user, "preference", form.model_dump(exclude={"csrf_token"}), run)


class CoordinationForm(_Form):
    on: FormField = ""


@router.post("/cases/{ref}/ncps/coordination")
@guard(Action.EDIT_CASE)
def coordinate(
    request: Request, ref: str, form: Annotated[CoordinationForm, Form()], *, user: User
) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    ncps = application_of(request).ncps

    def run(spell: Callable[[str], str]) -> str:
        command = commands.validate(commands.BeginCoordination, {"on": form.on or None}, spell)
        ncps.begin_coordination(reference=ref, actor=user.name, **command.arguments())
        return tr.gettext(N_("Coordination begun"))

    return _step(request, ref, user, "coordination", form.model_dump(exclude={"csrf_token"}), run)


class ReviewRequestForm(_Form):
    statement: FormField = ""
    due: FormField = ""


@router.post("/cases/{ref}/ncps/reviews")
@guard(Action.MANAGE_STATEMENTS)
def request_review(
    request: Request, ref: str, form: Annotated[ReviewRequestForm, Form()], *, user: User
) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    ncps = application_of(request).ncps

    def run(spell: Callable[[str], str]) -> str:
        values = {"statement": form.statement or None, "due": form.due or None}
        command = commands.validate(commands.RequestReview, values, spell)
        made = ncps.request_review(reference=ref, actor=user.name, **command.arguments())
        return tr.gettext(N_("Review asked of {codes}")).format(codes=", ".join(t.ncp for t in made))

    return _step(request, ref, user, "review-request", form.model_dump(exclude={"csrf_token"}), run)


class ReviewForm(_Form):
    ncp: FormField = ""
    statement: FormField = ""
    comment: Annotated[str, Field(max_length=30_000), AfterValidator(clean_text)] = ""
    on: FormField = ""


@router.post("/cases/{ref}/ncps/reviews/answer")
@guard(Action.MANAGE_STATEMENTS)
def record_review(request: Request, ref: str, form: Annotated[ReviewForm, Form()], *, user: User) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    ncps = application_of(request).ncps

    def run(spell: Callable[[str], str]) -> str:
        values = {
            "ncp": form.ncp or None,
            "statement": form.statement or None,
            "comment": form.comment or None,
            "on": form.on or None,
        }
        command = commands.validate(commands.RecordReview, values, spell)
        ncps.record_review(reference=ref, actor=user.name, **command.arguments())
        return tr.gettext(N_("Review comment recorded: {code}")).format(code=command.ncp)

    return _step(
        request,
        ref,
        user,
        "review-" + form.ncp + "-" + form.statement,
        form.model_dump(exclude={"csrf_token"}),
        run,
    )
