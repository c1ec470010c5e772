"""A case's follow-up page (`/cases/{ref}/follow-up`): its commitments and recommendations with
their status histories, the forms to record one, to set a status (with an evidence file, or
evidence already filed) and to ask a party for an update; before `cases` in AREAS.

Each form is validated by its command's input model (workflow/commands.py) and refused in the
page's language, naming the field by its label, with what was typed kept (422). The status form
is multipart (CSRF token first, the file last): who may track the follow-up is checked before
any of it is read, the CSRF token before the file, the size limit while the file arrives; a
file input left empty is no file. Texts, notes and names are shown as the reader may see them
(pseudonyms for auditors).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.web import auth, i18n
from ncpflow.web.auth import ApiError, application_of
from ncpflow.web.pages.common import FormText, guard, language, redirect, spelling, whole_number
from ncpflow.web.pages.letters import LABELS as LETTER_LABELS
from ncpflow.web.pages.letters import _case, _page, _parties, _status, _words
from ncpflow.web.uploads import Upload, read_upload
from states.commitments import OWNERS, SOURCES, STATUSES
from states.errors import CaseNotFoundError, InvalidInputError, NcpflowError
from states.messages import N_
from states.permissions import Action, PermissionDeniedError, allows
from states.users import User
from translations import translator
from workflow import commands
from workflow.follow_up import Evidence

router = APIRouter(include_in_schema=False)

Csrf = Annotated[str, Form(max_length=500)]
Numbers = Annotated[list[str], Form(max_length=100)]

# The forms' fields by their labels (the letters pages' labels serve the shared ones).
LABELS = {
    **LETTER_LABELS,
    "source": N_("Source"),
    "owner": N_("Owner"),
    "text": N_("Commitment or recommendation"),
    "document": N_("Document holding it"),
    "due": N_("Due date"),
    "made_on": N_("Date of the agreement or statement"),
    "status": N_("Status"),
    "on": N_("Holds from (if not today)"),
    "note": N_("Note"),
    "evidence": N_("Evidence already filed"),
    "file": N_("Evidence file"),
    "title": N_("Title of the evidence file"),
    "commitment": N_("Commitment"),
    "commitments": N_("Commitments"),
}
SOURCE_WORDS = {"agreement": N_("agreement"), "statement": N_("statement")}
OWNER_WORDS = {"enterprise": N_("the enterprise"), "ncp": N_("the NCP"), "submitter": N_("the submitter")}
STATUS_WORDS = {
    "implemented": N_("implemented"),
    "partly": N_("partly implemented"),
    "not": N_("not implemented"),
    "unknown": N_("status unknown"),
}


def _validate(request: Request, model: type[commands.C], values: Mapping[str, object]) -> commands.C:
    return commands.validate(model, {k: v or None for k, v in values.items()}, spelling(request, LABELS))


def _refused(exc: NcpflowError, request: Request) -> str:
    """A refusal in the page's language, each input by its label on this page."""
    lang = language(request)
    term = i18n.helpers(lang, application_of(request).words(lang))["term"]
    return exc.words(translator(lang), spelling(request, LABELS), term) or type(exc).__name__


def _words_of(tr: Any) -> dict[str, Any]:
    """The template's words for the follow-up's codes."""
    return {
        "sources": [(code, tr.gettext(SOURCE_WORDS[code])) for code in SOURCES],
        "owners": [(code, tr.gettext(OWNER_WORDS[code])) for code in OWNERS],
        "statuses": [(code, tr.gettext(STATUS_WORDS[code])) for code in STATUSES],
    }


@router.get("/cases/{ref}/follow-up", response_class=HTMLResponse)
@guard(Action.READ_CASES, one_snapshot=True)
def follow_up_page(request: Request, ref: str, user: User) -> Response:
    return show_follow_up(request, ref, user)


def show_follow_up(
    request: Request,
    ref: str,
    user: User,
    *,
    form: str = "",
    kept: Mapping[str, Any] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The page; after a refused form (`form`: its id on the page), with the message and the form
    as the user left it."""
    app = application_of(request)
    lang, tr, helpers = _words(request)
    case = _case(app, ref, user, lang)
    found = app.follow_up.list(reference=ref, viewer=user, language=lang)
    documents = app.documents.list(reference=ref, viewer=user, language=lang).documents
    return _page(
        request,
        "follow_up.html",
        user,
        error,
        status,
        **helpers,
        **_words_of(tr),
        case=case,
        commitments=found.commitments,
        requests=found.requests,
        parties=_parties(app, ref, user, lang),
        documents=[(d.number, d.title) for d in documents],
        may_track=allows(user.role, Action.TRACK_FOLLOW_UP),
        form=form,
        kept=kept or {},
    )


def _refusal(
    request: Request, ref: str, user: User, form: str, values: Mapping[str, Any], exc: NcpflowError
) -> Response:
    app = application_of(request)
    with app.uow.read():
        return show_follow_up(
            request, ref, user, form=form, kept=values, error=_refused(exc, request), status=_status(exc)
        )


@router.post("/cases/{ref}/follow-up")
@guard(Action.TRACK_FOLLOW_UP)
def add_commitment(
    request: Request,
    ref: str,
    user: User,
    source: FormText = "",
    owner: FormText = "",
    text: FormText = "",
    party: FormText = "",
    document: FormText = "",
    due: FormText = "",
    made_on: FormText = "",
    csrf_token: Csrf = "",
) -> Response:
    auth.check_csrf(request, csrf_token)
    values = {
        "source": source,
        "owner": owner,
        "text": text,
        "party": party,
        "document": document,
        "due": due,
        "made_on": made_on,
    }
    app = application_of(request)
    try:
        command = _validate(request, commands.AddCommitment, values)
        made = app.follow_up.add(reference=ref, actor=user.name, **command.arguments())
    except PermissionDeniedError as exc:
        raise ApiError(403, "forbidden", _refused(exc, request)) from None
    except CaseNotFoundError:
        raise
    except NcpflowError as exc:
        return _refusal(request, ref, user, "add", values, exc)
    _, tr, _ = _words(request)
    message = tr.gettext(N_("Commitment {number} recorded.")).format(number=made.number)
    return redirect(f"/cases/{ref}/follow-up#commitment-{made.number}", request, ok=message)


@dataclass
class Posted:
    """The status form as read: its fields and file, or why it could not be read."""

    upload: Upload
    refusal: NcpflowError | None = None


async def posted_status(request: Request) -> Posted:
    """The status form's body, read only for a user who may track the follow-up, its CSRF token
    checked before its file is read; an empty file input is no file."""
    auth.PageAllow(Action.TRACK_FOLLOW_UP)(request)
    upload = Upload()
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form(max_files=0, max_fields=120) as form:
            upload.fields = {k: v for k, v in form.items() if isinstance(v, str)}
            upload.fields["evidence"] = ",".join(v for v in form.getlist("evidence") if isinstance(v, str))
        return Posted(upload)

    def before_file(fields: dict[str, str]) -> None:
        auth.check_csrf(request, fields.get("csrf_token"))

    try:
        await read_upload(
            request,
            max_size=application_of(request).documents.rules.max_size,
            into=upload,
            before_file=before_file,
        )
    except InvalidInputError as exc:
        if upload.filename == "":  # no file chosen: the browser sends an empty part
            upload.file = None
            return Posted(upload)
        return Posted(upload, exc)
    return Posted(upload)


@router.post("/cases/{ref}/follow-up/{number}/status")
@guard(Action.TRACK_FOLLOW_UP)
def set_status(
    request: Request, ref: str, number: str, posted: Annotated[Posted, Depends(posted_status)], *, user: User
) -> Response:
    upload = posted.upload
    form = f"status-{number[:12]}"
    try:
        auth.check_csrf(request, upload.fields.get("csrf_token"))
        fields = upload.fields
        values: dict[str, Any] = {name: fields.get(name, "") for name in ("status", "on", "note", "title")}
        evidence = [n for n in fields.get("evidence", "").split(",") if n]
        app = application_of(request)
        try:
            if posted.refusal is not None:
                raise posted.refusal
            chosen = whole_number(number, "commitment")
            if chosen is None:
                raise ApiError(404, "not_found", "no such commitment")
            command = _validate(
                request,
                commands.SetCommitmentStatus,
                {
                    "status": values["status"],
                    "on": values["on"],
                    "note": values["note"],
                    "evidence": evidence,
                },
            )
            file = None
            if upload.file is not None:
                title = values["title"].strip() or upload.filename
                file = Evidence(upload.file, upload.filename, title)
            entry = app.follow_up.set_status(
                reference=ref, commitment=chosen, actor=user.name, upload=file, **command.arguments()
            )
        except PermissionDeniedError as exc:
            raise ApiError(403, "forbidden", _refused(exc, request)) from None
        except CaseNotFoundError:
            raise
        except NcpflowError as exc:
            return _refusal(request, ref, user, form, {**values, "evidence": evidence}, exc)
    finally:
        upload.close()
    _, tr, _ = _words(request)
    message = tr.gettext(N_("Commitment {number}: status set to “{status}” from {on}.")).format(
        number=chosen, status=tr.gettext(STATUS_WORDS[entry.status]), on=entry.on.isoformat()
    )
    if entry.evidence:
        message += " " + tr.gettext(N_("Evidence: documents {numbers}.")).format(
            numbers=", ".join(map(str, entry.evidence))
        )
    return redirect(f"/cases/{ref}/follow-up#commitment-{chosen}", request, ok=message)


@router.post("/cases/{ref}/follow-up/requests")
@guard(Action.TRACK_FOLLOW_UP)
def request_update(
    request: Request,
    ref: str,
    user: User,
    party: FormText = "",
    due: FormText = "",
    commitments: Numbers = [],  # noqa: B006  # FastAPI copies a form default
    csrf_token: Csrf = "",
) -> Response:
    auth.check_csrf(request, csrf_token)
    values: dict[str, Any] = {"party": party, "due": due, "commitments": commitments}
    app = application_of(request)
    try:
        command = _validate(request, commands.RequestUpdate, values)
        made = app.follow_up.request_update(reference=ref, actor=user.name, **command.arguments())
    except PermissionDeniedError as exc:
        raise ApiError(403, "forbidden", _refused(exc, request)) from None
    except CaseNotFoundError:
        raise
    except NcpflowError as exc:
        return _refusal(request, ref, user, "request", values, exc)
    _, tr, _ = _words(request)
    message = tr.gettext(
        N_("Update {number} asked of {party} by e-mail, due {due}; logged in the correspondence.")
    ).format(number=made.number, party=made.party, due=made.due.isoformat())
    return redirect(f"/cases/{ref}/follow-up#requests", request, ok=message)
