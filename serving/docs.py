"""The API's documentation page, ``/docs`` (Swagger UI), served with its assets from this
service under a content security policy.

FastAPI's own pages load Swagger UI and ReDoc from a CDN and start them with an inline
script, so they could run no policy: whoever could change the CDN's files ran script in
the service's origin, beside the screener's session cookie. Here the assets are the
files that the ``fastapi-offline`` package ships (no network at run time), the page holds
no inline script, and the policy ``serving.middleware`` sets on it admits scripts from this
origin only. ReDoc is not served: it fetches its logo from its vendor's site.
``DOCS_ENABLED`` (``ServiceSettings.docs_enabled``) turns the page off, e.g. in
production; ``/openapi.json``, the contract clients read, is always served.
"""

from __future__ import annotations

from typing import Final

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

__all__ = ["DOCS_ASSETS", "install_docs"]

#: Where the Swagger UI and ReDoc files are served from.
DOCS_ASSETS: Final = "/docs/assets"

_SWAGGER_HTML: Final = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>concern-screener API</title>
<link rel="icon" href="{DOCS_ASSETS}/favicon.png">
<link rel="stylesheet" href="{DOCS_ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{DOCS_ASSETS}/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-init.js"></script>
</body>
</html>
"""
_SWAGGER_INIT: Final = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
"""


def install_docs(app: FastAPI) -> None:
    """Serve ``/docs`` and its assets on ``app`` (built with ``docs_url=None``)."""
    app.mount(
        DOCS_ASSETS,
        StaticFiles(packages=[("fastapi_offline", "static")]),
        name="docs-assets",
    )

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(_SWAGGER_HTML)

    @app.get("/docs/swagger-init.js", include_in_schema=False)
    async def swagger_init() -> Response:
        return Response(_SWAGGER_INIT, media_type="text/javascript")
