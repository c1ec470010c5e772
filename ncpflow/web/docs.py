"""The API's reference at /docs: Swagger UI with its files served from the installed package
(`fastapi-swagger` ships swagger-ui's dist files), so the page works offline and asks no third
party for anything. ReDoc (`/redoc`) is off: it would need a CDN."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

router = APIRouter(include_in_schema=False)

PACKAGE = "fastapi_swagger.resources"  # swagger-ui-bundle.js, swagger-ui.css, favicon-32x32.png
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over /openapi.json; no validator badge (it would call validator.swagger.io)."""
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} API",
        swagger_js_url="/docs/swagger-ui-bundle.js",
        swagger_css_url="/docs/swagger-ui.css",
        swagger_favicon_url="/docs/favicon-32x32.png",
        swagger_ui_parameters={"validatorUrl": None},
    )


@router.get("/docs/{asset}")
def swagger_asset(asset: str) -> Response:
    """One of Swagger UI's files, from the package."""
    if asset not in ASSETS:
        return Response(status_code=404)
    body = resources.files(PACKAGE).joinpath(asset).read_bytes()
    return Response(body, media_type=ASSETS[asset], headers={"Cache-Control": "max-age=86400"})
