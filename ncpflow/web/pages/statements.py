"""A case's statements and comment rounds: `/cases/{ref}/statements` (before `cases` in AREAS).

The page lists the case's statements (drafts and published) with their PDF and DOCX to download,
drafts a statement of a kind the case's state offers, takes a DOCX edited in Word as a draft's
new version, circulates a draft to the parties chosen (checkboxes) with a window of days, logs a
comment received (its text, and a document if one came), closes an open round, and publishes a
draft after a confirmation page (`confirm.html`; Confirm publishes, Back returns with the choice
kept). The multipart forms (the DOCX, a comment's document) check the CSRF token before the file
is read. Each form is validated by its command's input model (workflow/commands.py) and refused
in the page's language, each field by its label, with what was typed kept; nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.web import auth, i18n
from ncpflow.web.auth import ApiError, application_of
from ncpflow.web.pages.common import FormText, guard, language, redirect, render, spelling, whole_number
from ncpflow.web.uploads import Upload, read_upload
from states import statements as statement_rules
from states.correspondence import party_words
from states.errors import CaseNotFoundError, Input, InvalidInputError, NcpflowError, StepRefusedError
from states.messages import N_, Translator
from states.permissions import Action, PermissionDeniedError, allows
from states.users import User
from translations import translator
from workflow import commands

router = APIRouter(include_in_schema=False)

Csrf = Annotated[str, Form(max_length=500)]
Parties = Annotated[list[str], Form(max_length=50)]

LABELS = {
    "kind": N_("Kind of statement"),
    "language": N_("Language"),
    "parties": N_("Parties"),
    "days": N_("Days to comment"),
    "party": N_("Party"),
    "via": N_("Came by"),
    "text": N_("Comment"),
    "file": N_("File"),
    "trigger": N_("Step"),
    "reason": N_("Reason"),
    "csrf_token": N_("the form"),
    "number": N_("the number"),
}
LANGUAGES = {"en": N_("English"), "nb": N_("Norwegian")}
STATUS = {"draft": N_("draft"), "published": N_("published")}

Kept = tuple[str, Mapping[str, Any]]
"""A form sent back to be filled again: its id on the page ("draft", "circulate-2") and values."""


def _spell(request: Request) -> Callable[[str], str]:
    return spelling(request, LABELS)


def _refused(exc: NcpflowError, request: Request) -> str:
    lang = language(request)
    term = i18n.helpers(lang, application_of(request).words(lang))["term"]
    return exc.words(translator(lang), _spell(request), term) or type(exc).__name__


def _number(value: str) -> int:
    number = whole_number(value, "number", 1_000_000)
    if not number:
        raise InvalidInputError(N_("{what} is required"), what=Input("", "number"))
    return number


def _kind(kind: str, tr: Translator) -> str:
    return i18n.upper_first(statement_rules.label(kind, tr))


@router.get("/cases/{ref}/statements", response_class=HTMLResponse)
@guard(Action.READ_INTERNAL, one_snapshot=True)
def statements_page(request: Request, ref: str, user: User) -> Response:
    return show(request, ref, user)


def show(
    request: Request,
    ref: str,
    user: User,
    *,
    kept: Kept | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The statements page; after a refused form, the message and the form as the user left it."""
    app = application_of(request)
    lang = language(request)
    tr = translator(lang)
    helpers = i18n.helpers(lang, app.words(lang))
    case = app.cases.view(case=app.cases.get(reference=ref), viewer=user, language=lang)
    listed = app.statements.list(reference=ref, viewer=user, language=lang)
    names = {p.key: p.name for p in app.parties.list(reference=ref, viewer=user, language=lang).parties}
    term = helpers["term"]
    extra: dict[str, Any] = {} if error is None else {"flash_error": error, "flash_ok": None}
    response = render(
        request,
        "statements.html",
        user,
        "dashboard",
        **extra,
        case=case,
        listed=listed,
        drafted=[(kind, _kind(kind, tr)) for kind in listed.drafted],
        kind_label=lambda kind: _kind(kind, tr),
        party_label=lambda key: f"{names.get(key, key)} ({party_words(key, tr)})",
        parties=list(names),
        languages=[(code, tr.gettext(name)) for code, name in LANGUAGES.items()],
        status_words={key: tr.gettext(words) for key, words in STATUS.items()},
        vias=[(code, tr.gettext(words)) for code, words in statement_rules.VIAS.items()],
        via_words={code: tr.gettext(words) for code, words in statement_rules.VIAS.items()},
        trigger_label=lambda name: term(name),
        comment_days=app.settings.statements.comment_days,
        days_min=statement_rules.DAYS_MIN,
        days_max=statement_rules.DAYS_MAX,
        may_manage=allows(user.role, Action.MANAGE_STATEMENTS),
        may_publish=allows(user.role, Action.PUBLISH_STATEMENT),
        kept_form=kept[0] if kept else "",
        kept=kept[1] if kept else {},
    )
    response.status_code = status
    return response


def _form(
    request: Request, ref: str, user: User, form: str, values: Mapping[str, Any], work: Callable[[], Response]
) -> Response:
    """`work`'s answer, or the page again with the refusal and the user's values."""
    try:
        return work()
    except PermissionDeniedError as exc:
        raise ApiError(403, "forbidden", _refused(exc, request)) from None
    except CaseNotFoundError:
        raise
    except NcpflowError as exc:
        with application_of(request).uow.read():
            code = 409 if isinstance(exc, StepRefusedError) else 422
            return show(request, ref, user, kept=(form, values), error=_refused(exc, request), status=code)


def _validate(request: Request, model: type[commands.C], values: Mapping[str, object]) -> commands.C:
    return commands.validate(model, {k: v or None for k, v in values.items()}, _spell(request))


def _said(request: Request, message: str, **params: object) -> str:
    return translator(language(request)).gettext(message).format(**params)


@router.post("/cases/{ref}/statements")
@guard(Action.MANAGE_STATEMENTS)
def draft_statement(
    request: Request,
    ref: str,
    user: User,
    kind: FormText = "",
    language_: Annotated[str, Form(alias="language", max_length=20)] = "",
    csrf_token: Csrf = "",
) -> Response:
    auth.check_csrf(request, csrf_token)
    values = {"kind": kind, "language": language_}

    def work() -> Response:
        command = _validate(request, commands.DraftStatement, values)
        drafted = application_of(request).statements.draft(
            reference=ref, actor=user.name, **command.arguments()
        )
        tr = translator(language(request))
        message = _said(
            request,
            N_("Statement {number} drafted: {kind}; its DOCX and PDF are filed as internal documents."),
            number=drafted.number,
            kind=statement_rules.label(drafted.kind, tr),
        )
        return redirect(f"/cases/{ref}/statements#statement-{drafted.number}", request, ok=message)

    return _form(request, ref, user, "draft", values, work)


@router.post("/cases/{ref}/statements/{number}/circulate")
@guard(Action.MANAGE_STATEMENTS)
def circulate_statement(
    request: Request,
    ref: str,
    number: str,
    user: User,
    parties: Parties = [],  # noqa: B006 - FastAPI copies form defaults
    days: FormText = "",
    csrf_token: Csrf = "",
) -> Response:
    auth.check_csrf(request, csrf_token)
    values: dict[str, Any] = {"parties": parties, "days": days}

    def work() -> Response:
        command = commands.validate(
            commands.CirculateStatement, {"parties": parties, "days": days or None}, _spell(request)
        )
        held = application_of(request).statements.circulate(
            reference=ref, statement=_number(number), actor=user.name, **command.arguments()
        )
        tr = translator(language(request))
        message = _said(
            request,
            N_("Statement {number} circulated for comment to {parties} until {due} (round {round})."),
            number=held.statement,
            parties=", ".join(party_words(key, tr) for key in held.parties),
            due=held.due_on.isoformat(),
            round=held.number,
        )
        return redirect(f"/cases/{ref}/statements#round-{held.number}", request, ok=message)

    return _form(request, ref, user, f"circulate-{number}", values, work)


@router.post("/cases/{ref}/rounds/{number}/close")
@guard(Action.MANAGE_STATEMENTS)
def close_round(request: Request, ref: str, number: str, user: User, csrf_token: Csrf = "") -> Response:
    auth.check_csrf(request, csrf_token)

    def work() -> Response:
        closed = application_of(request).statements.close(
            reference=ref, round=_number(number), actor=user.name
        )
        message = _said(request, N_("Comment round {round} closed."), round=closed.number)
        return redirect(f"/cases/{ref}/statements#round-{closed.number}", request, ok=message)

    return _form(request, ref, user, f"close-{number}", {}, work)


@router.post("/cases/{ref}/statements/{number}/publish")
@guard(Action.PUBLISH_STATEMENT)
def publish_statement(
    request: Request,
    ref: str,
    number: str,
    user: User,
    trigger: FormText = "",
    confirm: FormText = "",
    csrf_token: Csrf = "",
) -> Response:
    """First the confirmation page; `confirm=yes` publishes, `confirm=back` returns."""
    auth.check_csrf(request, csrf_token)
    values = {"trigger": trigger}
    form = f"publish-{number}"
    app = application_of(request)
    if confirm == "back":
        with app.uow.read():
            return show(request, ref, user, kept=(form, values))

    def work() -> Response:
        command = _validate(request, commands.PublishStatement, values)
        chosen = _number(number)
        tr = translator(language(request))
        if confirm != "yes":
            return _confirm(request, ref, chosen, user, command.trigger, tr)
        published = app.statements.publish(
            reference=ref, statement=chosen, actor=user.name, **command.arguments()
        )
        message = _said(
            request,
            N_("Statement {number} published: its PDF is a public document."),
            number=published.number,
        )
        return redirect(f"/cases/{ref}/statements#statement-{chosen}", request, ok=message)

    return _form(request, ref, user, form, values, work)


def _confirm(
    request: Request, ref: str, number: int, user: User, trigger: str | None, tr: Translator
) -> Response:
    app = application_of(request)
    lang = language(request)
    term = i18n.helpers(lang, app.words(lang))["term"]
    case = app.cases.view(case=app.cases.get(reference=ref), viewer=user, language=lang)
    listed = app.statements.list(reference=ref, viewer=user, language=lang)
    found = next((s for s in listed.statements if s.number == number), None)
    if found is None:
        raise InvalidInputError(
            N_("case {reference} has no statement {number} ({what}); its statements are {numbers}"),
            reference=ref,
            number=number,
            what=statement_rules.STATEMENT,
            numbers=", ".join(str(s.number) for s in listed.statements) or "-",
        )
    steps = listed.triggers.get(found.kind, [])
    chosen = trigger or (steps[0] if steps else None)
    summary = [
        (tr.gettext(N_("Statement")), f"{number}: {_kind(found.kind, tr)}"),
        (tr.gettext(N_("Step")), term(chosen) if chosen else tr.gettext(N_("none"))),
    ]
    return render(
        request,
        "confirm.html",
        user,
        "dashboard",
        reference=ref,
        title=case.title,
        heading=tr.gettext(N_("Publish statement {number}?")).format(number=number),
        summary=summary,
        action=f"/cases/{ref}/statements/{number}/publish",
        hidden=[("trigger", trigger)] if trigger else [],
        here=f"/cases/{ref}/statements",
    )


# ---- the multipart forms: an edited DOCX, a comment with its document ------------------------------


@dataclass
class Posted:
    """A multipart form as read: its fields and file, or why it could not be read."""

    upload: Upload
    refusal: NcpflowError | None = None


def _reader(action: Action) -> Callable[[Request], Any]:
    async def uploaded(request: Request) -> Posted:
        """The body, read only for a user who may do `action`, its CSRF token checked before
        its file; a refusal met while reading is kept for the page to say."""
        auth.PageAllow(action)(request)
        upload = Upload()
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            async with request.form(max_files=0, max_fields=20) as form:
                upload.fields = {k: v for k, v in form.items() if isinstance(v, str)}
            return Posted(upload)

        def before_file(fields: dict[str, str]) -> None:
            auth.check_csrf(request, fields.get("csrf_token"))

        try:
            await read_upload(
                request, max_size=application_of(request).documents.rules.max_size, into=upload,
                before_file=before_file,
            )  # fmt: skip
        except InvalidInputError as exc:
            return Posted(upload, exc)
        return Posted(upload)

    return uploaded


_FILE = Input("", "file")


@router.post("/cases/{ref}/statements/{number}/docx")
@guard(Action.MANAGE_STATEMENTS)
def edit_statement(
    request: Request,
    ref: str,
    number: str,
    posted: Annotated[Posted, Depends(_reader(Action.MANAGE_STATEMENTS))],
    *,
    user: User,
) -> Response:
    upload = posted.upload
    try:
        auth.check_csrf(request, upload.fields.get("csrf_token"))

        def work() -> Response:
            if posted.refusal is not None:
                raise posted.refusal
            if upload.file is None:
                raise InvalidInputError(N_("{what} is required and must not be blank"), what=_FILE)
            app = application_of(request)
            app.statements.edit(reference=ref, statement=_number(number), upload=upload.file, actor=user.name)
            message = _said(
                request,
                N_(
                    "Statement {number}: the edited DOCX and a PDF made from it are filed as its new version."
                ),
                number=number,
            )
            return redirect(f"/cases/{ref}/statements#statement-{number}", request, ok=message)

        return _form(request, ref, user, f"docx-{number}", {}, work)
    finally:
        upload.close()


@router.post("/cases/{ref}/rounds/{number}/comments")
@guard(Action.MANAGE_STATEMENTS)
def log_comment(
    request: Request,
    ref: str,
    number: str,
    posted: Annotated[Posted, Depends(_reader(Action.MANAGE_STATEMENTS))],
    *,
    user: User,
) -> Response:
    upload = posted.upload
    try:
        auth.check_csrf(request, upload.fields.get("csrf_token"))
        values = {name: upload.fields.get(name, "") for name in ("party", "via", "text")}

        def work() -> Response:
            refusal = posted.refusal
            if refusal is not None and upload.filename:  # an empty file field: no document came
                raise refusal
            command = _validate(request, commands.LogComment, values)
            received = application_of(request).statements.comment(
                reference=ref,
                round=_number(number),
                actor=user.name,
                upload=upload.file,
                **command.arguments(),
            )
            tr = translator(language(request))
            message = _said(
                request,
                N_("Comment {number} from {party} logged in round {round}."),
                number=received.number,
                party=party_words(received.party, tr),
                round=received.round,
            )
            return redirect(f"/cases/{ref}/statements#round-{received.round}", request, ok=message)

        return _form(request, ref, user, f"comment-{number}", values, work)
    finally:
        upload.close()
