"""A party's own pages, `/p/{token}`: no sign-in, the signed link is the credential
(workflow/party_links.py). The party reads its case's reference, stage and next indicative date
in its words (`?lang=`, else its contact's language, else the NCP's), and sends a comment or a
document (the case file's checks), in plain forms with CSRF tokens bound to the browser's
pre-session (no JavaScript).

Every answer says `Referrer-Policy: no-referrer` (the token in the address never leaves in a
Referer), `Cache-Control: no-store` and `X-Robots-Tag: noindex`. A link that does not open (forged,
altered, expired, revoked, its case closed) answers a page in the page's language saying so (404
for a link that is no link, 410 for one that no longer opens), and writes nothing. The token never
reaches a log (`ncpflow.web.feeds.loggable`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ncpflow.web import auth
from ncpflow.web.auth import ApiError, application_of
from ncpflow.web.downloads import document_response
from ncpflow.web.pages.common import FORM_MAX, language, redirect, render, spelling, whole_number
from ncpflow.web.pages.parties import key_words
from ncpflow.web.uploads import Upload, read_upload
from states.errors import Input, InvalidInputError, NcpflowError
from states.messages import N_
from states.party_links import Refusal
from translations import translator
from workflow.party_links import COMMENT, NO_DRAFT, LinkRefusedError, PartyView

router = APIRouter(include_in_schema=False)

PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
LABELS = {
    "text": N_("Your comment"),
    "title": N_("What the document is"),
    "file": N_("File"),
}
REFUSED_TITLES = {
    Refusal.INVALID: N_("This link does not open"),
    Refusal.REVOKED: N_("This link has been withdrawn"),
    Refusal.EXPIRED: N_("This link has expired"),
    Refusal.CLOSED: N_("This case is closed"),
    Refusal.GONE: N_("This link does not open"),
}
COMMENT_TITLE = N_("Comment from {party}")
_FILE = Input(N_("File"), "file")


def _private(response: Response) -> Response:
    response.headers.update(PRIVATE)
    return response


def _stale_page(request: Request, exc: ApiError) -> Response:
    """A form whose CSRF token does not fit this browser: said in the page's language, 403."""
    tr = translator(language(request))
    page = render(
        request,
        "party_refused.html",
        None,
        "",
        title=tr.gettext(N_("The form has expired")),
        message=tr.gettext(N_("Go back to your link's page, reload it, and send the form again.")),
        here="/",
    )
    page.status_code = exc.status
    return _private(page)


def _refused_page(request: Request, exc: LinkRefusedError) -> Response:
    tr = translator(language(request))
    page = render(
        request,
        "party_refused.html",
        None,
        "",
        title=tr.gettext(REFUSED_TITLES[exc.why]),
        message=exc.words(tr),
        here="/",
    )
    page.status_code = 404 if exc.why is Refusal.INVALID else 410
    return _private(page)


def _view(request: Request, token: str) -> PartyView:
    """The party's view of its case; LinkRefusedError when the link does not open. The page's
    language falls back on the party's contact's."""
    party_links = application_of(request).party_links
    opened = party_links.open(token=token)
    first = party_links.view(opened=opened, language="en")
    if first.contact_language:
        request.state.default_language = first.contact_language
    lang = language(request)
    return first if lang == "en" else party_links.view(opened=opened, language=lang)


def _page(
    request: Request,
    token: str,
    view: PartyView,
    *,
    kept: dict[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    app = application_of(request)
    lang = language(request)
    tr = translator(lang)
    extra: dict[str, Any] = {} if error is None else {"flash_error": error, "flash_ok": None}
    page = render(
        request,
        "party.html",
        None,
        "",
        **extra,
        view=view,
        token=token,
        party_words=key_words(view.party, tr),
        expires=view.expires_at.isoformat(),
        kept=kept or {},
        max_size=_size(app.documents.rules.max_size),
    )
    page.status_code = status
    return _private(page)


def _size(limit: int) -> str:
    from states.documents import size_text

    return size_text(limit)


@router.get("/p/{token}", response_class=HTMLResponse)
def party_page(request: Request, token: str) -> Response:
    try:
        view = _view(request, token)
    except LinkRefusedError as exc:
        return _refused_page(request, exc)
    return _page(request, token, view)


@router.post("/p/{token}/comment")
def send_comment(
    request: Request,
    token: str,
    text: Annotated[str, Form(max_length=2 * FORM_MAX)] = "",
    csrf_token: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    try:
        view = _view(request, token)
    except LinkRefusedError as exc:
        return _refused_page(request, exc)
    try:
        auth.check_csrf(request, csrf_token)
    except ApiError as exc:
        return _stale_page(request, exc)
    tr = translator(language(request))
    spell = spelling(request, LABELS)
    try:
        filed = application_of(request).party_links.send_comment(
            token=token, text=text.replace("\x00", ""), title=COMMENT_TITLE.format(party=view.party)
        )
    except LinkRefusedError as exc:
        return _refused_page(request, exc)
    except NcpflowError as exc:
        return _page(request, token, view, kept={"text": text}, error=exc.words(tr, spell), status=422)
    said = tr.gettext(N_("Your comment was received (document {number}). Thank you.")).format(
        number=filed.number
    )
    return _private(redirect(f"/p/{token}", request, ok=said))


REQUIRED = N_("{what} is required and must not be blank")


async def _multipart(
    request: Request,
    token: str,
    view: PartyView,
    *,
    what: Input,
    kept: Callable[[Upload], dict[str, str]],
    act: Callable[[Upload], str],
) -> Response:
    """A multipart form of the party's page: read with the case file's size limit, its CSRF token
    checked before its file's first byte; `act(upload)` sends it and says what was received
    (then back to the page), or the page again with the refusal and what was typed."""
    tr = translator(language(request))
    spell = spelling(request, LABELS)
    upload = Upload()
    try:
        try:
            if not request.headers.get("content-type", "").startswith("multipart/form-data"):
                raise InvalidInputError(REQUIRED, what=what)
            await read_upload(
                request,
                max_size=application_of(request).documents.rules.max_size,
                into=upload,
                before_file=lambda fields: auth.check_csrf(request, fields.get("csrf_token")),
            )
            auth.check_csrf(request, upload.fields.get("csrf_token"))
            said = act(upload)
        except (LinkRefusedError, ApiError):
            raise
        except NcpflowError as exc:
            return _page(request, token, view, kept=kept(upload), error=exc.words(tr, spell), status=422)
    except LinkRefusedError as exc:
        return _refused_page(request, exc)
    except ApiError as exc:
        return _stale_page(request, exc)
    finally:
        upload.close()
    return _private(redirect(f"/p/{token}", request, ok=said))


@router.post("/p/{token}/document")
async def send_document(request: Request, token: str) -> Response:
    # The link is checked before the body is read: a link that does not open reads nothing.
    try:
        view = _view(request, token)
    except LinkRefusedError as exc:
        return _refused_page(request, exc)
    tr = translator(language(request))

    def act(upload: Upload) -> str:
        if upload.file is None or not upload.filename:
            raise InvalidInputError(REQUIRED, what=_FILE)
        title = upload.fields.get("title", "").replace("\x00", "").strip() or upload.filename
        filed = application_of(request).party_links.send_document(
            token=token, source=upload.file, filename=upload.filename, title=title[:300]
        )
        return tr.gettext(N_("Your document was received (document {number}): {title}. Thank you.")).format(
            number=filed.number, title=filed.title
        )

    return await _multipart(
        request,
        token,
        view,
        what=_FILE,
        kept=lambda upload: {"title": upload.fields.get("title", "")},
        act=act,
    )


def _round(value: str) -> int | None:
    try:
        return whole_number(value, "round")
    except InvalidInputError:
        return None


@router.get("/p/{token}/drafts/{round}")
def draft(request: Request, token: str, round: str) -> Response:
    """The draft PDF of a round circulated to the link's party, as it was sent."""
    chosen = _round(round)
    try:
        _view(request, token)
        if chosen is None:
            raise InvalidInputError(NO_DRAFT, round=round[:20])
        opened = application_of(request).party_links.open_draft(token=token, round=chosen)
    except LinkRefusedError as exc:
        return _refused_page(request, exc)
    except InvalidInputError as exc:
        return _missing_page(request, exc)
    return _private(document_response(opened))


def _missing_page(request: Request, exc: NcpflowError) -> Response:
    tr = translator(language(request))
    page = render(
        request,
        "party_refused.html",
        None,
        "",
        title=tr.gettext(N_("Not found")),
        message=exc.words(tr),
        here="/",
    )
    page.status_code = 404
    return _private(page)


@router.post("/p/{token}/rounds/{round}/comment")
async def comment_on_round(request: Request, token: str, round: str) -> Response:
    """A comment (text and/or a file) on an open round circulated to the link's party."""
    try:
        view = _view(request, token)
    except LinkRefusedError as exc:
        return _refused_page(request, exc)
    chosen = _round(round)
    if chosen is None or all(d.round != chosen for d in view.drafts):
        return _missing_page(request, InvalidInputError(NO_DRAFT, round=round[:20]))
    tr = translator(language(request))

    def act(upload: Upload) -> str:
        text = upload.fields.get("text", "").replace("\x00", "").strip() or None
        file = upload.file if upload.file is not None and upload.filename else None
        if text is None and file is None:
            raise InvalidInputError(REQUIRED, what=COMMENT)
        number = application_of(request).party_links.comment_on_round(
            token=token, round=chosen, text=text, upload=file
        )
        return tr.gettext(
            N_("Your comment on round {round} was received (comment {number}). Thank you.")
        ).format(round=chosen, number=number)

    return await _multipart(
        request,
        token,
        view,
        what=COMMENT,
        kept=lambda upload: {f"round-{chosen}": upload.fields.get("text", "")},
        act=act,
    )
