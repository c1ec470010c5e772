"""The JSON API of sharing cases with other NCPs (docs/bundle-format.md), under /api: a case's
bundles (`GET /api/cases/{ref}/bundles`), its next bundle written for another NCP and answered as
the signed file (`POST /api/cases/{ref}/bundles`, as `case share`: `EDIT_CASE`; a handover of the
lead with `handover` and `reason`, a review comment with `review_comment` and `review_statement`),
and a bundle taken in (`POST /api/bundles` with the file as the body, as `case receive`:
`OPEN_CASE`). A refused bundle is 422 `bundle_refused`, its reason's name first in `detail`; one
larger than `[sharing] max_bundle_bytes` is 413 `too_large`, refused as soon as it passes the limit
(by its Content-Length, else while it is read; the rest is not read). Nothing is changed."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ncpflow.web.api import ERRORS, App, ReadsCases, Reference
from ncpflow.web.auth import ApiAllow
from ncpflow.web.writes import run_write
from states.permissions import Action
from states.users import User
from workflow import read_models
from workflow.application import Application
from workflow.commands import ShareCase

router = APIRouter(prefix="/api", responses=ERRORS)

Shares = Annotated[User, Depends(ApiAllow(Action.EDIT_CASE))]
Receives = Annotated[User, Depends(ApiAllow(Action.OPEN_CASE))]


@router.get(
    "/cases/{ref}/bundles",
    summary="The case's bundles sent to and received from other NCPs, oldest first (`case bundles`)",
    response_model=read_models.CaseBundles,
)
def list_bundles(ref: Reference, user: ReadsCases, app: App) -> read_models.CaseBundles:
    return app.bundles.view(reference=ref)


@router.post(
    "/cases/{ref}/bundles",
    status_code=201,
    summary="Write the case's next signed bundle for another NCP (`case share`); answers the bundle "
    "file itself (its SHA-256 in `X-Bundle-Sha256`)",
    response_class=Response,
    responses={201: {"content": {"application/json": {}}, "description": "The signed bundle file."}},
)
async def share_case(ref: Reference, body: ShareCase, user: Shares, app: App) -> Response:
    def work() -> Response:
        with tempfile.TemporaryDirectory(prefix="ncpflow-share-") as folder:
            shared = app.bundles.share(
                reference=ref,
                actor=user.name,
                out=Path(folder) / "bundle.json",
                **body.arguments(),
                **body.sending(app.today()),
            )
            raw = shared.path.read_bytes()
        name = f"{shared.reference}-to-{shared.to}-{shared.sequence}.bundle.json"
        return Response(
            raw,
            status_code=201,
            media_type="application/json",
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}",
                "Cache-Control": "private, no-store",
                "X-Bundle-Sha256": shared.sha256,
                "X-Bundle-Sequence": str(shared.sequence),
            },
        )

    return await run_write(app, work)


def _declared(request: Request) -> int | None:
    """The body's Content-Length when it gives one (a malformed one counts as none)."""
    value = request.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


async def _body(request: Request, app: Application) -> bytes:
    """The request's body, refused (413) before it is read when its Content-Length is over
    `[sharing] max_bundle_bytes`, else as soon as what arrived passes it (the rest is not read)."""
    limit = app.bundles.max_bytes
    declared = _declared(request)
    if declared is not None and declared > limit:
        raise app.bundles.too_large()
    read = bytearray()
    async for chunk in request.stream():
        read += chunk
        if len(read) > limit:
            raise app.bundles.too_large()
    return bytes(read)


@router.post(
    "/bundles",
    status_code=201,
    summary="Take in a bundle another NCP sent (`case receive`): the file is the request body; "
    "answers the case it opened or updated (413 when larger than `[sharing] max_bundle_bytes`)",
    response_model=read_models.BundleReceipt,
    responses={413: {"description": "The bundle is larger than `[sharing] max_bundle_bytes`."}},
)
async def receive_bundle(request: Request, user: Receives, app: App) -> read_models.BundleReceipt:
    raw = await _body(request, app)

    def work() -> read_models.BundleReceipt:
        return app.bundles.receipt(app.bundles.take_in(raw=raw, actor=user.name))

    return await run_write(app, work)
