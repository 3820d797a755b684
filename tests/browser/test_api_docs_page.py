"""Swagger UI renders the API in Chromium from this service's own files, under
its content security policy: no request leaves the origin and nothing is blocked (a CSP
violation or a failed asset fails the page fixture)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.utils.browser import LiveServer

pytestmark = pytest.mark.browser


def test_the_docs_render_from_this_origin_only(page: Any, live_server: LiveServer) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(live_server.url + "/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".opblock-summary-path").first.wait_for(state="visible")
    assert "/v1/score" in page.content()
    origin = urlsplit(live_server.url).netloc
    elsewhere = [
        u
        for u in requested
        if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != origin
    ]
    assert elsewhere == [] and any(u.endswith("/openapi.json") for u in requested)
