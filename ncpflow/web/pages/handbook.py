"""`/handbook`: the procedure handbook for every signed-in role, in the page's language; an older
version with `?version=N` (an unknown one: the 404 page naming the versions there are);
`/handbook.pdf` the same handbook as a PDF to keep (an attachment)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from ncpflow.web.auth import application_of
from ncpflow.web.pages.common import guard, language, render
from ncpflow.web.pages.errors import error_page
from states.errors import NcpflowError
from states.permissions import Action
from states.users import User

router = APIRouter(include_in_schema=False)


def _version(request: Request) -> str | None:
    return (request.query_params.get("version") or "").strip()[:100] or None


@router.get("/handbook.pdf")
@guard(Action.READ_HANDBOOK)
def handbook_pdf(request: Request, user: User) -> Response:
    lang = language(request)
    try:
        data = application_of(request).handbook.document(
            language=lang, format="pdf", version=_version(request)
        )
    except NcpflowError as exc:
        return error_page(request, 404, exc)
    headers = {
        "Content-Disposition": f'attachment; filename="ncpflow-handbook-{lang}.pdf"',
        "Cache-Control": "no-store",
    }
    return Response(data, media_type="application/pdf", headers=headers)


@router.get("/handbook", response_class=HTMLResponse)
@guard(Action.READ_HANDBOOK)
def handbook_page(request: Request, user: User) -> Response:
    app = application_of(request)
    asked = _version(request)
    try:
        made, body = app.handbook.body(language=language(request), version=asked)
    except NcpflowError as exc:
        return error_page(request, 404, exc)
    versions = [entry.version for entry in made.history]
    return render(
        request,
        "handbook.html",
        user,
        "handbook",
        book=made,
        body=Markup(body),  # noqa: S704  # drawn by the autoescaping handbook templates
        versions=versions,
        current=app.policy.procedure.version,
    )
