"""A case's parties and their contacts (`/cases/{ref}/parties`): each party with its key, flags
(identity withheld, reprisal risk and measures) and contacts; forms to add a party, change one,
and add, change or remove its contacts. Who may change them: `MANAGE_PARTIES`; a closed case's
parties no longer change.

Each form is validated by its `workflow.commands` model and the use case; a refusal shows the
page again (422, 409) in its language, naming the field by its label, with what was typed. A
reader who may not see a party (auditors: withheld parties; all but handlers, admins and the
case's lead: parties at risk of reprisal) reads its pseudonym and none of its contacts
(`workflow.parties.parties_view`). Before `cases` in `AREAS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import AfterValidator, BaseModel, Field

from ncpflow.web import auth, i18n
from ncpflow.web.auth import application_of
from ncpflow.web.fields import clean_text
from ncpflow.web.pages.common import (
    FORM_MAX,
    guard,
    language,
    redirect,
    render,
    spelling,
    whole_number,
)
from states.contacts import CHANNELS, CONTACT_ROLES, LANGUAGES, Contact
from states.errors import NcpflowError, StepRefusedError
from states.guidelines import SUBMITTER_TYPES
from states.messages import N_, Translator
from states.permissions import Action, allows
from states.users import User
from translations import translator
from workflow import commands

router = APIRouter(include_in_schema=False)

FormField = Annotated[str, Field(max_length=FORM_MAX), AfterValidator(clean_text)]

# The page's fields by their labels (the shared FORM_LABELS has the reason).
LABELS = {
    "name": N_("Name"),
    "type": N_("Type"),
    "org_number": N_("Organisation number"),
    "withheld": N_("Identity withheld"),
    "reprisal_risk": N_("At risk of reprisal"),
    "measures": N_("Measures against reprisals"),
    "role": N_("Role"),
    "email": N_("E-mail"),
    "address": N_("Postal address"),
    "language": N_("Language of letters"),
    "channel": N_("Preferred channel"),
    "number": N_("the contact"),
    "party": N_("the party"),
}
CONTACT_ROLE_WORDS = {"representative": N_("representative"), "contact": N_("contact person")}
CHANNEL_WORDS = {"email": N_("e-mail"), "post": N_("post")}
LANGUAGE_WORDS = {"en": N_("English"), "nb": N_("Norwegian")}

Kept = tuple[str, Mapping[str, str]]
"""A refused form to fill again: its id on the page and the values typed."""


def key_words(key: str, tr: Translator) -> str:
    """A party's key in the page's words: `submitter-2` is "Submitter 2" ("Klager 2")."""
    role, _, number = key.rpartition("-")
    if role not in ("submitter", "enterprise") or not number.isdigit():
        return key  # a party named by its name (a hand-made address)
    return f"{i18n.upper_first(tr.gettext(i18n.PAGE_TERMS[role]))} {number}"


def _at(ref: str) -> str:
    return f"/cases/{quote(ref, safe='')}/parties"


def _flag(value: str) -> bool:
    return value not in ("", "0", "false", "off")


def show_parties(
    request: Request,
    ref: str,
    user: User,
    *,
    kept: Kept | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The parties page; after a refusal, with its message and the form the user filled in."""
    from ncpflow.web.pages import party_links  # the links section (it imports this module)

    app = application_of(request)
    lang = language(request)
    case = app.cases.get(reference=ref)  # an unknown case: the 404 page naming it
    view = app.cases.view(case=case, viewer=user, language=lang)  # the title as the user may see it
    parties = app.parties.list(reference=ref, viewer=user, language=lang)
    extra: dict[str, Any] = {} if error is None else {"flash_error": error, "flash_ok": None}
    page = render(
        request,
        "parties.html",
        user,
        "dashboard",
        **extra,
        case=view,
        parties=parties,
        can_manage=allows(user.role, Action.MANAGE_PARTIES) and not parties.closed,
        kept_form=kept[0] if kept else "",
        kept=dict(kept[1]) if kept else {},
        submitter_types=SUBMITTER_TYPES,
        contact_roles=CONTACT_ROLES,
        channels=CHANNELS,
        languages=LANGUAGES,
        contact_role_words=CONTACT_ROLE_WORDS,
        channel_words=CHANNEL_WORDS,
        language_words=LANGUAGE_WORDS,
        key_words=lambda key: key_words(key, translator(lang)),
        **party_links.section(request, ref, user),
    )
    page.status_code = status
    return party_links.done(request, ref, page)


@router.get("/cases/{ref}/parties", response_class=HTMLResponse)
@guard(Action.READ_CASES, one_snapshot=True)
def parties_page(request: Request, ref: str, user: User) -> Response:
    return show_parties(request, ref, user)


def _step(
    request: Request,
    ref: str,
    user: User,
    form_id: str,
    model: type[commands.C],
    typed: dict[str, str],
    save: Callable[[commands.C], str],
) -> Response:
    """A form's values (`typed`, by the model's field names; empty: left out, but for flags)
    checked by `model`, saved by `save` (which says what was saved, in the page's words), or
    refused on the page with what was typed."""
    tr = translator(language(request))
    values: dict[str, Any] = {
        k: (_flag(v) if k in ("withheld", "reprisal_risk") else (v or None)) for k, v in typed.items()
    }
    try:
        command = commands.validate(model, values, spelling(request, LABELS))
        said = save(command)
    except NcpflowError as exc:
        status = 409 if isinstance(exc, StepRefusedError) else 422
        return show_parties(
            request,
            ref,
            user,
            kept=(form_id, typed),
            error=exc.words(tr, spelling(request, LABELS)),
            status=status,
        )
    return redirect(_at(ref), request, ok=said)


class _Form(BaseModel):
    """A form of the page: its fields as typed (each capped like every page field), its token."""

    csrf_token: Annotated[str, Field(max_length=500)] = ""
    reason: FormField = ""

    def typed(self, *, leave_out: tuple[str, ...] = ()) -> dict[str, str]:
        return self.model_dump(exclude={"csrf_token", *leave_out})


class PartyForm(_Form):
    role: FormField = ""
    name: FormField = ""
    type: FormField = ""
    org_number: FormField = ""
    withheld: FormField = ""
    reprisal_risk: FormField = ""
    measures: FormField = ""


class ContactForm(_Form):
    name: FormField = ""
    email: FormField = ""
    address: FormField = ""
    language: FormField = ""
    channel: FormField = ""
    role: FormField = ""


@router.post("/cases/{ref}/parties/add")
@guard(Action.MANAGE_PARTIES)
def add_party(request: Request, ref: str, form: Annotated[PartyForm, Form()], *, user: User) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    parties = application_of(request).parties

    def save(command: commands.AddParty) -> str:
        key = parties.add_party(reference=ref, actor=user.name, **command.arguments())
        return tr.gettext(N_("Party {key} added: {name}")).format(key=key_words(key, tr), name=command.name)

    return _step(request, ref, user, "add-party", commands.AddParty, form.typed(), save)


@router.post("/cases/{ref}/parties/{party}/edit")
@guard(Action.MANAGE_PARTIES)
def change_party(
    request: Request, ref: str, party: str, form: Annotated[PartyForm, Form()], *, user: User
) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    parties = application_of(request).parties

    def save(command: commands.ChangeParty) -> str:
        # The form shows every value: an empty type, number or measures clears it.
        given = command.arguments()
        for field in ("type", "org_number", "measures"):
            given[field] = given[field] or ""
        key = parties.change_party(reference=ref, party=party, actor=user.name, **given)
        return tr.gettext(N_("Party {key} saved")).format(key=key_words(key, tr))

    typed = form.typed(leave_out=("role",))
    return _step(request, ref, user, f"edit-{party}", commands.ChangeParty, typed, save)


def _contact_said(tr: Translator, said: str, party: str, contact: Contact) -> str:
    return tr.gettext(said).format(number=contact.number, party=key_words(party, tr), name=contact.name)


@router.post("/cases/{ref}/parties/{party}/contacts")
@guard(Action.MANAGE_PARTIES)
def add_contact(
    request: Request, ref: str, party: str, form: Annotated[ContactForm, Form()], *, user: User
) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    parties = application_of(request).parties

    def save(command: commands.AddContact) -> str:
        contact = parties.add_contact(reference=ref, party=party, actor=user.name, **command.arguments())
        return _contact_said(tr, N_("Contact {number} of {party} added: {name}"), party, contact)

    return _step(request, ref, user, f"contact-{party}", commands.AddContact, form.typed(), save)


@router.post("/cases/{ref}/parties/{party}/contacts/{number}/edit")
@guard(Action.MANAGE_PARTIES)
def change_contact(
    request: Request, ref: str, party: str, number: str, form: Annotated[ContactForm, Form()], *, user: User
) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    parties = application_of(request).parties

    def save(command: commands.ChangeContact) -> str:
        given = command.arguments()
        for field in ("email", "address"):  # the form shows every value: empty clears it
            given[field] = given[field] or ""
        which = whole_number(number, "number") or 0
        contact = parties.change_contact(reference=ref, party=party, number=which, actor=user.name, **given)
        return _contact_said(tr, N_("Contact {number} of {party} saved: {name}"), party, contact)

    return _step(request, ref, user, f"contact-{party}-{number}", commands.ChangeContact, form.typed(), save)


@router.post("/cases/{ref}/parties/{party}/contacts/{number}/remove")
@guard(Action.MANAGE_PARTIES)
def remove_contact(
    request: Request, ref: str, party: str, number: str, form: Annotated[_Form, Form()], *, user: User
) -> Response:
    auth.check_csrf(request, form.csrf_token)
    tr = translator(language(request))
    parties = application_of(request).parties

    def save(command: commands.RemoveContact) -> str:
        which = whole_number(number, "number") or 0
        contact = parties.remove_contact(
            reference=ref, party=party, number=which, actor=user.name, **command.arguments()
        )
        return _contact_said(tr, N_("Contact {number} of {party} removed: {name}"), party, contact)

    return _step(request, ref, user, f"remove-{party}-{number}", commands.RemoveContact, form.typed(), save)
