"""A case's letters and its correspondence log: `/cases/{ref}/letters` and
`/cases/{ref}/correspondence` (before the `cases` module in AREAS).

The letters page lists the case's letters (drafts, sent, posted) with their DOCX and PDF to
download, drafts a letter of a kind the case's current step offers to one party, edits a draft's
text in a textarea (paragraphs separated by a blank line, the first the subject), and sends it
by e-mail or marks it posted. Sending asks first: the form's first answer is a confirmation page
(`confirm.html`) naming the letter, who it goes to and what is attached; Confirm sends it (the
same values again with `confirm=yes`), Back returns to the letters page with the choice kept.

The correspondence page shows the log, oldest first, times in the NCP's zone, and adds an entry.

Each form is validated by its command's input model (workflow/commands.py) and refused in the
page's language, naming the field by its label, with what was typed kept (422 bad input, 409 a
letter sent already).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from ncpflow.web import auth, i18n
from ncpflow.web.api_letters import download
from ncpflow.web.auth import ApiError, application_of
from ncpflow.web.pages.common import FormText, guard, language, redirect, render, whole_number
from states.correspondence import CHANNELS, DIRECTIONS, SEND_CHANNELS, joined_paragraphs, party_words
from states.errors import CaseNotFoundError, Input, InvalidInputError, NcpflowError, StepRefusedError
from states.letters import label
from states.messages import N_, Translator
from states.permissions import Action, PermissionDeniedError, allows
from states.users import User
from translations import translator
from workflow import commands, read_models
from workflow.application import Application

router = APIRouter(include_in_schema=False)

Csrf = Annotated[str, Form(max_length=500)]
LetterText = Annotated[str, Form(max_length=100_000)]
Documents = Annotated[list[str], Form(max_length=100)]

# The forms' fields by their labels on the pages.
LABELS = {
    "kind": N_("Kind of letter"),
    "party": N_("Party"),
    "language": N_("Language"),
    "deadline": N_("Deadline"),
    "text": N_("Text of the letter"),
    "channel": N_("Send by"),
    "to": N_("E-mail address"),
    "direction": N_("Direction"),
    "subject": N_("Subject"),
    "at": N_("Date (if not today)"),
    "documents": N_("Documents"),
    "csrf_token": N_("the form"),
    "number": N_("the letter's number"),
}
LANGUAGES = {"en": N_("English"), "nb": N_("Norwegian")}
STATUS = {"draft": N_("draft"), "sent": N_("sent by e-mail"), "posted": N_("sent by post")}
NOTICES = {"pause": N_("queued by the pause"), "extension": N_("queued by the extension")}

Kept = tuple[str, Mapping[str, Any]]
"""A form sent back to be filled again: its id on the page ("draft", "text-2") and its values."""


def _spell(tr: Translator) -> Callable[[str], str]:
    return lambda field: tr.gettext(LABELS[field]) if field in LABELS else field


def _refused(exc: NcpflowError, request: Request) -> str:
    """A refusal in the page's language, each input by its label."""
    lang = language(request)
    tr = translator(lang)
    term = i18n.helpers(lang, application_of(request).words(lang))["term"]
    return exc.words(tr, _spell(tr), term) or type(exc).__name__


def _status(exc: NcpflowError) -> int:
    return 409 if isinstance(exc, StepRefusedError) else 422


def _validate(request: Request, model: type[commands.C], values: Mapping[str, object]) -> commands.C:
    return commands.validate(
        model, {k: v or None for k, v in values.items()}, _spell(translator(language(request)))
    )


def _words(request: Request) -> tuple[str, Translator, dict[str, Any]]:
    lang = language(request)
    app = application_of(request)
    return lang, translator(lang), i18n.helpers(lang, app.words(lang))


def _case(app: Application, ref: str, user: User, lang: str) -> read_models.Case:
    """The case as `user` may see it (its title redacted like any free text)."""
    return app.cases.view(case=app.cases.get(reference=ref), viewer=user, language=lang)


def _parties(app: Application, ref: str, user: User, lang: str) -> list[tuple[str, str]]:
    """The case's parties as the form offers them: (key, "name (role)"), as `user` may see them."""
    listed = app.parties.list(reference=ref, viewer=user, language=lang)
    term = i18n.helpers(lang, app.words(lang))["term"]
    return [(p.key, f"{p.name} ({term(p.role)})") for p in listed.parties]


def _page(
    request: Request, template: str, user: User, error: str | None, status: int, **context: Any
) -> Response:
    """A page of the case's file; after a refused form, its message (`error`) and `status`."""
    extra: dict[str, Any] = {} if error is None else {"flash_error": error, "flash_ok": None}
    response = render(request, template, user, "dashboard", **context, **extra)
    response.status_code = status
    return response


# ---- the letters page ----------------------------------------------------------------------------


@router.get("/cases/{ref}/letters", response_class=HTMLResponse)
@guard(Action.READ_CASES, one_snapshot=True)
def letters_page(request: Request, ref: str, user: User) -> Response:
    return show_letters(request, ref, user)


def show_letters(
    request: Request,
    ref: str,
    user: User,
    *,
    kept: Kept | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The letters page; after a refused form, with the message and the form as the user left it."""
    app = application_of(request)
    lang, tr, helpers = _words(request)
    case = _case(app, ref, user, lang)
    listed = app.letters.list(reference=ref, viewer=user, language=lang)
    may_send = allows(user.role, Action.SEND_LETTER)
    goes_to: dict[str, list[str]] = {}
    if may_send:
        for letter in listed.letters:
            if letter.status == "draft" and letter.party not in goes_to:
                goes_to[letter.party] = [
                    f"{r.name} <{r.email}>"
                    for r in app.parties.recipients(reference=ref, party=letter.party)
                    if r.channel.value == "email" and r.email
                ]
    return _page(
        request,
        "letters.html",
        user,
        error,
        status,
        **helpers,
        case=case,
        letters=listed.letters,
        offered=[(kind, i18n.upper_first(label(kind, tr))) for kind in listed.offered],
        kind_label=lambda kind: i18n.upper_first(label(kind, tr)),
        parties=_parties(app, ref, user, lang),
        languages=[(code, tr.gettext(name)) for code, name in LANGUAGES.items()],
        status_words={key: tr.gettext(words) for key, words in STATUS.items()},
        notice_words={key: tr.gettext(words) for key, words in NOTICES.items()},
        channels=[(code, tr.gettext(words)) for code, words in SEND_CHANNELS.items()],
        goes_to=goes_to,
        text_of=lambda letter: joined_paragraphs([letter.subject, *letter.paragraphs]),
        party_word=lambda key: party_words(key, tr),
        may_send=may_send,
        kept_form=kept[0] if kept else "",
        kept=kept[1] if kept else {},
    )


def _number(value: str) -> int:
    """A letter's number from the page's address (refused, naming it, when not one)."""
    number = whole_number(value, "number", 1_000_000)
    if not number:
        raise InvalidInputError(N_("{what} is required"), what=Input("", "number"))
    return number


def _letter_form(
    request: Request, ref: str, user: User, form: str, values: Mapping[str, Any], work: Callable[[], Response]
) -> Response:
    """`work`'s answer, or the letters page again with the refusal and the user's values."""
    try:
        return work()
    except PermissionDeniedError as exc:
        raise ApiError(403, "forbidden", _refused(exc, request)) from None
    except CaseNotFoundError:
        raise
    except NcpflowError as exc:
        app = application_of(request)
        with app.uow.read():
            return show_letters(
                request, ref, user, kept=(form, values), error=_refused(exc, request), status=_status(exc)
            )


@router.post("/cases/{ref}/letters")
@guard(Action.SEND_LETTER)
def draft_letter(
    request: Request,
    ref: str,
    user: User,
    kind: FormText = "",
    party: FormText = "",
    language_: Annotated[str, Form(alias="language", max_length=20)] = "",
    csrf_token: Csrf = "",
) -> Response:
    auth.check_csrf(request, csrf_token)
    values = {"kind": kind, "party": party, "language": language_}
    app = application_of(request)

    def work() -> Response:
        command = _validate(request, commands.DraftLetter, values)
        letter = app.letters.draft(reference=ref, actor=user.name, **command.arguments())
        _, tr, _ = _words(request)
        message = tr.gettext(N_("Letter {number} drafted: {kind} to {party}; its DOCX and PDF are filed."))
        return redirect(
            f"/cases/{ref}/letters#letter-{letter.number}",
            request,
            ok=message.format(
                number=letter.number, kind=label(letter.kind, tr), party=party_words(letter.party, tr)
            ),
        )

    return _letter_form(request, ref, user, "draft", values, work)


@router.post("/cases/{ref}/letters/{number}/text")
@guard(Action.SEND_LETTER)
def edit_letter(
    request: Request, ref: str, number: str, user: User, text: LetterText = "", csrf_token: Csrf = ""
) -> Response:
    auth.check_csrf(request, csrf_token)
    values = {"text": text}
    app = application_of(request)

    def work() -> Response:
        command = _validate(request, commands.EditLetter, values)
        app.letters.edit(reference=ref, letter=_number(number), actor=user.name, **command.arguments())
        _, tr, _ = _words(request)
        message = tr.gettext(N_("Letter {number} saved: its DOCX and PDF were made again from the text."))
        return redirect(f"/cases/{ref}/letters#letter-{number}", request, ok=message.format(number=number))

    return _letter_form(request, ref, user, f"text-{number}", values, work)


@router.post("/cases/{ref}/letters/{number}/send")
@guard(Action.SEND_LETTER)
def send_letter(
    request: Request,
    ref: str,
    number: str,
    user: User,
    channel: FormText = "",
    to: FormText = "",
    confirm: FormText = "",
    csrf_token: Csrf = "",
) -> Response:
    """First the confirmation page; `confirm=yes` sends, `confirm=back` returns with the values."""
    auth.check_csrf(request, csrf_token)
    values = {"channel": channel, "to": to}
    form = f"send-{number}"
    app = application_of(request)
    if confirm == "back":
        with app.uow.read():
            return show_letters(request, ref, user, kept=(form, values))

    def work() -> Response:
        command = _validate(request, commands.SendLetter, values)
        _, tr, _ = _words(request)
        if confirm != "yes":
            return _confirm(request, ref, _number(number), user, command)
        sent = app.letters.send(reference=ref, letter=_number(number), actor=user.name, **command.arguments())
        if sent.channel == "email":
            message = tr.gettext(
                N_(
                    "Letter {number} sent by e-mail: it goes out with the next dispatch, "
                    "and is in the correspondence log."
                )
            )
        else:
            message = tr.gettext(
                N_("Letter {number} marked as sent by post: print its PDF; it is in the correspondence log.")
            )
        return redirect(f"/cases/{ref}/letters#letter-{number}", request, ok=message.format(number=number))

    return _letter_form(request, ref, user, form, values, work)


def _confirm(request: Request, ref: str, number: int, user: User, command: commands.SendLetter) -> Response:
    """The page that asks before a letter goes out: which letter, how, to whom, with what."""
    app = application_of(request)
    lang, tr, _ = _words(request)
    case = _case(app, ref, user, lang)
    letters = {x.number: x for x in app.letters.list(reference=ref, viewer=user).letters}
    if number not in letters:
        raise InvalidInputError(
            N_("case {reference} has no letter {number}; its letters are {numbers}"),
            reference=ref,
            number=number,
            numbers=", ".join(map(str, letters)) or "-",
        )
    letter = letters[number]
    if command.channel == "email":
        recipients = command.to or ", ".join(
            f"{r.name} <{r.email}>"
            for r in app.parties.recipients(reference=ref, party=letter.party)
            if r.channel.value == "email" and r.email
        )
        heading = tr.gettext(N_("Send letter {number} by e-mail?")).format(number=number)
        files = [letter.pdf.filename] + ([letter.docx.filename] if app.settings.letters.attach_docx else [])
    else:
        recipients = letter.party_name
        heading = tr.gettext(N_("Mark letter {number} as sent by post?")).format(number=number)
        files = [letter.pdf.filename]
    summary = [
        (tr.gettext(N_("Letter")), f"{letter.subject}"),
        (tr.gettext(N_("Kind of letter")), i18n.upper_first(label(letter.kind, tr))),
        (tr.gettext(N_("To")), recipients or "—"),
        (tr.gettext(N_("Files")), ", ".join(files)),
    ]
    return render(
        request,
        "confirm.html",
        user,
        "dashboard",
        reference=ref,
        title=case.title,
        heading=heading,
        summary=summary,
        action=f"/cases/{ref}/letters/{number}/send",
        hidden=[(k, v) for k, v in (("channel", command.channel), ("to", command.to or "")) if v],
        here=f"/cases/{ref}/letters",
    )


def _file_page(format: str) -> None:
    def letter_file(request: Request, ref: str, number: str, user: User) -> StreamingResponse:
        """A letter's PDF or DOCX (its latest version), as an attachment."""
        try:
            letter = _number(number)
        except InvalidInputError as exc:
            raise ApiError(422, "invalid_input", _refused(exc, request)) from None
        opened = application_of(request).letters.get(reference=ref, letter=letter, format=format, viewer=user)
        return download(opened)

    letter_file.__name__ = f"letter_{format}"
    router.get(f"/cases/{{ref}}/letters/{{number}}/{format}")(guard(Action.READ_CASES)(letter_file))


for _format in ("pdf", "docx"):
    _file_page(_format)


# ---- the correspondence page ---------------------------------------------------------------------


@router.get("/cases/{ref}/correspondence", response_class=HTMLResponse)
@guard(Action.READ_CASES, one_snapshot=True)
def correspondence_page(request: Request, ref: str, user: User) -> Response:
    return show_correspondence(request, ref, user)


def show_correspondence(
    request: Request,
    ref: str,
    user: User,
    *,
    kept: Mapping[str, Any] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    app = application_of(request)
    lang, tr, helpers = _words(request)
    case = _case(app, ref, user, lang)
    log = app.correspondence.list(reference=ref, viewer=user, language=lang)
    documents = app.documents.list(reference=ref, viewer=user).documents
    return _page(
        request,
        "correspondence.html",
        user,
        error,
        status,
        **helpers,
        case=case,
        entries=log.entries,
        parties=_parties(app, ref, user, lang),
        directions=[(code, tr.gettext(words)) for code, words in DIRECTIONS.items()],
        channels=[(code, tr.gettext(words)) for code, words in CHANNELS.items()],
        documents=[
            (d.number, f"{d.title} ({PurePath(d.filename).suffix.lstrip('.').upper()})") for d in documents
        ],
        party_word=lambda key: party_words(key, tr),
        may_log=allows(user.role, Action.LOG_CORRESPONDENCE),
        kept=kept or {},
    )


@router.post("/cases/{ref}/correspondence")
@guard(Action.LOG_CORRESPONDENCE)
def log_correspondence(
    request: Request,
    ref: str,
    user: User,
    direction: FormText = "",
    party: FormText = "",
    channel: FormText = "",
    subject: FormText = "",
    at: FormText = "",
    documents: Documents = [],  # noqa: B006  # FastAPI copies a form default
    csrf_token: Csrf = "",
) -> Response:
    auth.check_csrf(request, csrf_token)
    values: dict[str, Any] = {
        "direction": direction,
        "party": party,
        "channel": channel,
        "subject": subject,
        "at": at,
        "documents": documents,
    }
    app = application_of(request)
    try:
        command = _validate(request, commands.LogCorrespondence, values)
        entry = app.correspondence.log(reference=ref, actor=user.name, **command.arguments())
    except PermissionDeniedError as exc:
        raise ApiError(403, "forbidden", _refused(exc, request)) from None
    except CaseNotFoundError:
        raise
    except NcpflowError as exc:
        with app.uow.read():
            return show_correspondence(
                request, ref, user, kept=values, error=_refused(exc, request), status=_status(exc)
            )
    _, tr, _ = _words(request)
    message = tr.gettext(N_("Entry {number} added to the correspondence log.")).format(number=entry.number)
    return redirect(f"/cases/{ref}/correspondence#entry-{entry.number}", request, ok=message)
