"""The API docs page loads nothing from another origin and runs under a policy that admits
this origin's scripts only; DOCS_ENABLED=false turns it off. ReDoc, which fetches its
vendor's logo, is not served."""

from __future__ import annotations

import re

from tests.utils.serving import MakeService, Service


def test_the_docs_page_uses_local_assets_under_a_script_policy(service: Service) -> None:
    r = service.client.get("/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    sources = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources)
    assert "<script>" not in r.text  # no inline script: every <script> has a src
    policy = r.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    for source in sources:
        asset = service.client.get(source)
        assert asset.status_code == 200, source
        assert asset.headers["content-security-policy"] == policy
    assert service.client.get("/redoc").status_code == 404


def test_docs_can_be_turned_off_and_the_api_document_stays(make_service: MakeService) -> None:
    svc = make_service(docs_enabled=False)
    for path in ("/docs", "/docs/assets/swagger-ui-bundle.js", "/docs/swagger-init.js"):
        assert svc.client.get(path).status_code == 404, path
    assert svc.client.get("/openapi.json").json()["info"]["title"] == "concern-screener"
