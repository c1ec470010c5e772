"""Sharing a case with another NCP in the browser (docs/bundle-format.md): `/cases/{ref}/sharing`
lists the case's bundles and holds the forms; `/sharing` takes in a bundle another NCP sent.

Sharing: choose the NCP (`[[peers]]`) and the documents (those more restricted than `parties` are
listed as not shareable, each with why), then a confirmation page, then Confirm answers the signed
bundle as a download (the sender's chain records it; `workflow.bundles`). Receiving: upload the
file; the case it opened or updated is shown, or the page again with the refusal named (the
refusal's name, e.g. `tampered`, then its message in the page's language; 422; a file larger
than `[sharing] max_bundle_bytes` 413, refused as soon as the upload passes it) and nothing
changed. Who may: sharing `EDIT_CASE`, receiving `OPEN_CASE`, as `case share|receive`. Plain forms,
no JavaScript. Before `cases` in `AREAS`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.web import auth
from ncpflow.web.auth import application_of
from ncpflow.web.pages.common import FormText, NoteText, guard, language, redirect, render, spelling
from ncpflow.web.pages.ncps import country_words
from ncpflow.web.uploads import Upload, read_upload
from states.bundles import SHAREABLE
from states.errors import (
    BundleRefusedError,
    CaseNotFoundError,
    Input,
    InvalidInputError,
    NcpflowError,
    TooLargeError,
)
from states.messages import N_, Translator
from states.permissions import Action, PermissionDeniedError, allows
from states.users import User
from translations import translator
from workflow import commands

router = APIRouter(include_in_schema=False)

Csrf = Annotated[str, Form(max_length=500)]
DOCUMENTS_READ = 200  # document choices read from one form

LABELS = {
    "to": N_("Share with"),
    "documents": N_("Documents"),
    "handover": N_("Hand the lead over"),
    "reason": N_("Why the lead is handed over"),
    "review_comment": N_("Review comment"),
    "review_statement": N_("Draft number"),
    "bundle": N_("Bundle file"),
    "csrf_token": N_("the form"),
}
KIND_WORDS = {"share": N_("shared"), "handover": N_("handover")}
DIRECTION_WORDS = {"sent": N_("sent to"), "received": N_("received from")}
ACCESS_WORDS = {
    "public": N_("public"),
    "parties": N_("the parties"),
    "ncp": N_("NCP-internal"),
    "exempt": N_("exempt from public access"),
}
_BUNDLE = Input("", "bundle")  # named by its label on the page


def _at(ref: str) -> str:
    return f"/cases/{quote(ref, safe='')}/sharing"


def show_sharing(
    request: Request,
    ref: str,
    user: User,
    *,
    kept: dict[str, Any] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The case's bundles and the forms; after a refusal, its message and the form as typed."""
    app = application_of(request)
    lang = language(request)
    case = app.cases.get(reference=ref)  # an unknown case: the 404 page naming it
    view = app.cases.view(case=case, viewer=user, language=lang)
    can_share = allows(user.role, Action.EDIT_CASE) and not case.is_terminal
    documents = app.documents.list(reference=ref, viewer=user, language=lang).documents if can_share else []
    extra: dict[str, Any] = {} if error is None else {"flash_error": error, "flash_ok": None}
    page = render(
        request,
        "sharing.html",
        user,
        "dashboard",
        **extra,
        case=view,
        bundles=app.bundles.view(reference=ref).bundles,
        peers=app.bundles.peers(),
        shareable=[d for d in documents if d.access in SHAREABLE],
        withheld=[d for d in documents if d.access not in SHAREABLE],
        can_share=can_share,
        can_receive=allows(user.role, Action.OPEN_CASE),
        country=country_words(lang),
        kind_words=KIND_WORDS,
        direction_words=DIRECTION_WORDS,
        access_words=ACCESS_WORDS,
        kept=kept or {},
    )
    page.status_code = status
    return page


@router.get("/cases/{ref}/sharing", response_class=HTMLResponse)
@guard(Action.READ_CASES, one_snapshot=True)
def sharing_page(request: Request, ref: str, user: User) -> Response:
    return show_sharing(request, ref, user)


def _lines(text: str) -> str:
    """A textarea's text with the browser's CRLF line ends as `\n`."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@router.post("/cases/{ref}/sharing")
@guard(Action.EDIT_CASE)
def share(
    request: Request,
    ref: str,
    user: User,
    to: FormText = "",
    documents: Annotated[list[str], Form()] = [],  # noqa: B006  (FastAPI reads the default)
    handover: FormText = "",
    reason: FormText = "",
    review_comment: NoteText = "",
    review_statement: FormText = "",
    confirm: FormText = "",
    csrf_token: Csrf = "",
) -> Response:
    """Checked first, then a confirmation page (Back keeps the choice); Confirm writes the bundle
    (a handover: the lead passes to the recipient and the case takes its `transfer` step; a
    review comment on the recipient's draft) and answers it as a download."""
    auth.check_csrf(request, csrf_token)
    lang = language(request)
    tr = translator(lang)
    spell = spelling(request, LABELS)
    app = application_of(request)
    reason, review_comment = _lines(reason), _lines(review_comment)
    typed: dict[str, Any] = {
        "to": to,
        "documents": documents[:DOCUMENTS_READ],
        "handover": handover,
        "reason": reason,
        "review_comment": review_comment,
        "review_statement": review_statement,
    }
    if confirm == "back":
        return show_sharing(request, ref, user, kept=typed)
    try:
        if len(documents) > DOCUMENTS_READ:
            raise InvalidInputError(
                N_("{what}: at most {count}"),
                what=Input("", "documents"),
                count=DOCUMENTS_READ,
            )
        command = commands.validate(
            commands.ShareCase,
            {
                "to": to.strip() or None,
                "documents": documents,
                "handover": handover == "yes",
                "reason": reason.strip() or None,
                "review_comment": review_comment.strip() or None,
                "review_statement": review_statement.strip() or None,
            },
            spell,
        )
        sending = command.sending(app.today())
        if confirm != "yes":
            app.bundles.check(reference=ref, **command.arguments(), **sending)
            return _confirm(request, ref, user, command)
        with tempfile.TemporaryDirectory(prefix="ncpflow-share-") as folder:
            shared = app.bundles.share(
                reference=ref,
                actor=user.name,
                out=Path(folder) / "bundle.json",
                **command.arguments(),
                **sending,
            )
            raw = shared.path.read_bytes()
    except (PermissionDeniedError, CaseNotFoundError):
        raise
    except NcpflowError as exc:
        return show_sharing(request, ref, user, kept=typed, error=_worded(exc, tr, spell), status=422)
    name = f"{shared.reference}-to-{shared.to}-{shared.sequence}.bundle.json"
    return Response(
        raw,
        media_type="application/json",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}",
            "Content-Security-Policy": "sandbox",
            "Cache-Control": "private, no-store",
            "X-Bundle-Sha256": shared.sha256,
        },
    )


def _confirm(request: Request, ref: str, user: User, command: commands.ShareCase) -> Response:
    """What will be sent, for the user to confirm: the NCP, the documents by title."""
    app = application_of(request)
    lang = language(request)
    tr = translator(lang)
    case = app.cases.get(reference=ref)
    view = app.cases.view(case=case, viewer=user, language=lang)
    titles = {
        d.number: d.title for d in app.documents.list(reference=ref, viewer=user, language=lang).documents
    }
    arguments = command.arguments()
    chosen = [f"{number}. {titles.get(number, '')}".strip() for number in arguments["documents"]]
    country = country_words(lang)
    ncp = country(command.to)
    summary = [
        (tr.gettext(LABELS["to"]), ncp),
        (tr.gettext(LABELS["documents"]), "; ".join(chosen) or tr.gettext(N_("none"))),
        (
            tr.gettext(N_("What is sent")),
            tr.gettext(
                N_(
                    "The case's facts and audit entries, redacted for the other NCP (a protected "
                    "party by its pseudonym), signed with this NCP's key."
                )
            ),
        ),
    ]
    hidden = [("to", command.to), *(("documents", str(n)) for n in arguments["documents"])]
    if command.review_comment is not None:
        on = (
            tr.gettext(N_("on draft {number}")).format(number=command.review_statement)
            if command.review_statement is not None
            else tr.gettext(N_("on the earliest draft it asked this NCP to review"))
        )
        summary.append((tr.gettext(LABELS["review_comment"]), f"{command.review_comment} ({on})"))
        hidden.append(("review_comment", command.review_comment))
        if command.review_statement is not None:
            hidden.append(("review_statement", str(command.review_statement)))
    heading = N_("Share the case with {ncp}?")
    if command.handover:
        heading = N_("Hand the lead over to {ncp}?")
        summary.append(
            (
                tr.gettext(LABELS["handover"]),
                tr.gettext(
                    N_("{ncp} leads the case from now; here the case takes its transfer step and is closed.")
                ).format(ncp=ncp),
            )
        )
        summary.append((tr.gettext(LABELS["reason"]), command.reason or ""))
        hidden += [("handover", "yes"), ("reason", command.reason or "")]
    return render(
        request,
        "confirm.html",
        user,
        "dashboard",
        reference=ref,
        title=view.title,
        heading=tr.gettext(heading).format(ncp=ncp),
        summary=summary,
        action=_at(ref),
        hidden=hidden,
    )


# ---- receiving --------------------------------------------------------------------------------


@dataclass
class Posted:
    """The upload as read: its fields and file, or why it could not be read."""

    upload: Upload
    refusal: NcpflowError | None = None


async def uploaded(request: Request) -> Posted:
    """The form's body, read only for a user who may take bundles in, its CSRF token checked
    before the file's first byte is read."""
    auth.PageAllow(Action.OPEN_CASE)(request)
    upload = Upload()
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form(max_files=0, max_fields=20) as form:
            upload.fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return Posted(upload, InvalidInputError(N_("{what} is required and must not be blank"), what=_BUNDLE))

    def before_file(fields: dict[str, str]) -> None:
        auth.check_csrf(request, fields.get("csrf_token"))

    bundles = application_of(request).bundles
    try:
        await read_upload(
            request,
            max_size=bundles.max_bytes,
            file_field="bundle",
            into=upload,
            before_file=before_file,
            too_large=bundles.too_large,
        )
    except InvalidInputError as exc:
        return Posted(upload, exc)
    return Posted(upload)


def show_receive(request: Request, user: User, *, error: str | None = None, status: int = 200) -> Response:
    app = application_of(request)
    lang = language(request)
    extra: dict[str, Any] = {} if error is None else {"flash_error": error, "flash_ok": None}
    page = render(
        request,
        "sharing_receive.html",
        user,
        "dashboard",
        **extra,
        peers=app.bundles.peers(),
        country=country_words(lang),
        can_receive=allows(user.role, Action.OPEN_CASE),
    )
    page.status_code = status
    return page


@router.get("/sharing", response_class=HTMLResponse)
@guard(Action.READ_CASES)
def receive_page(request: Request, user: User) -> Response:
    return show_receive(request, user)


@router.post("/sharing/receive")
@guard(Action.OPEN_CASE)
def receive(request: Request, posted: Annotated[Posted, Depends(uploaded)], *, user: User) -> Response:
    upload = posted.upload
    tr = translator(language(request))
    spell = spelling(request, LABELS)
    try:
        auth.check_csrf(request, upload.fields.get("csrf_token"))
        try:
            if posted.refusal is not None:
                raise posted.refusal
            if upload.file is None:
                raise InvalidInputError(N_("{what} is required and must not be blank"), what=_BUNDLE)
            raw = b"".join(upload.file.chunks())
            received = application_of(request).bundles.take_in(raw=raw, actor=user.name)
        except PermissionDeniedError:
            raise
        except NcpflowError as exc:
            status = 413 if isinstance(exc, TooLargeError) else 422
            return show_receive(request, user, error=_worded(exc, tr, spell), status=status)
    finally:
        upload.close()
    said = (
        N_("Case {reference} opened from {ncp}'s {peer_reference} (bundle {sequence}).")
        if received.opened
        else N_("Case {reference} updated from {ncp}'s {peer_reference} (bundle {sequence}).")
    )
    message = tr.gettext(said).format(
        reference=received.reference,
        ncp=received.sender,
        peer_reference=received.peer_reference,
        sequence=received.sequence,
    )
    return redirect(_at(received.reference) + "#bundles", request, ok=message)


def _worded(error: NcpflowError, tr: Translator, spell: Callable[[str], str]) -> str:
    """A refusal as a reader reads it: a refused bundle's message without its reason's name
    (scripts read that name from the CLI and the API)."""
    if isinstance(error, BundleRefusedError):
        return error.said(tr, spell)
    return error.words(tr, spell)
