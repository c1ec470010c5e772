"""The pages' own static files: the stylesheets."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from ncpflow.web.pages.common import HERE

router = APIRouter(include_in_schema=False)
STATIC = {"style.css", "print.css"}


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in STATIC:
        return Response(status_code=404)
    return FileResponse(
        HERE / "static" / name, media_type="text/css", headers={"Cache-Control": "max-age=3600"}
    )
