"""Swagger UI at /docs and ReDoc at /redoc from assets the service ships, so they work offline.

FastAPI's own pages load their scripts, styles and favicon from CDNs (and ReDoc's from Google
Fonts); here the same pages (FastAPI's `get_swagger_ui_html` and `get_redoc_html`) point at the
Swagger UI and ReDoc builds that the `fastapi-offline` wheel carries, mounted at STATIC_URL, and
a Content-Security-Policy keeps the pages to this origin: ReDoc's side menu always loads the
Redocly logo from cdn.redoc.ly (no option turns it off), and the browser refuses that request
instead of sending it (the logo's `onError` then hides it).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC_URL = "/static/docs"
# swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js, favicon.png. The package's documented
# API is a FastAPI factory; only its files are used, so the range in pyproject.toml is capped.
ASSETS = Path(str(files("fastapi_offline") / "static"))

# Everything from this origin. Inline: Swagger UI's start-up script (FastAPI writes it; it holds
# no request data) and both UIs' generated styles; data: images in Swagger's CSS; ReDoc's search
# runs in a blob: worker.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:"
)

SWAGGER_UI_PARAMETERS: dict[str, Any] = {
    # The Bearer key entered under "Authorize" survives a reload of the page.
    "persistAuthorization": True,
    # No badge fetched from validator.swagger.io.
    "validatorUrl": None,
}


def install_docs(app: FastAPI) -> None:
    """Serve /docs and /redoc (out of the OpenAPI document) and their assets under STATIC_URL.
    The app must be made with `docs_url=None, redoc_url=None`, or FastAPI's CDN pages win."""
    if app.docs_url or app.redoc_url or not app.openapi_url:
        raise ValueError("create the app with docs_url=None, redoc_url=None and an openapi_url")
    openapi_url = app.openapi_url
    app.mount(STATIC_URL, StaticFiles(directory=ASSETS), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{STATIC_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{STATIC_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{STATIC_URL}/favicon.png",
            swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
        )
        return _same_origin_only(page)

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_redoc_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{STATIC_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{STATIC_URL}/favicon.png",
            with_google_fonts=False,
        )
        return _same_origin_only(page)


def _same_origin_only(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return page
