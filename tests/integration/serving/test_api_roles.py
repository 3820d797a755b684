from __future__ import annotations

from typing import Any

import pytest

from tests.utils.serving import ROLES, TEXT, Service

# route -> (method, path, body, roles allowed)
ROUTES: dict[str, tuple[str, str, Any, set[str]]] = {
    "score": ("POST", "/v1/score", {"text": TEXT}, {"screener"}),
    "batch": ("POST", "/v1/score/batch", {"items": [{"text": TEXT}]}, {"screener"}),
    "decision": ("POST", "/v1/contacts/c-1/decision", {"decision": "nfa"}, {"screener"}),
    "model": ("GET", "/v1/model", None, {"screener", "auditor", "admin"}),
    "audit": ("GET", "/v1/audit/events", None, {"auditor", "admin"}),
    "reload": ("POST", "/v1/admin/reload", None, {"admin"}),
    # The referrer's one route; no other role may use it (decision 0030).
    "check": ("POST", "/v1/check", {"text": TEXT}, {"referrer"}),
}


def _call(service: Service, route: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    method, path, body, _ = ROUTES[route]
    return service.client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_every_route_refuses_requests_without_a_key(service: Service, route: str) -> None:
    r = _call(service, route, {})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_every_route_refuses_an_invalid_or_malformed_key(service: Service, route: str) -> None:
    forged = service.keys["admin"][:-4] + "AAAA"
    for key in (forged, "not-a-key", "cs_000000000000_" + "x" * 43):
        assert _call(service, route, {"X-API-Key": key}).status_code == 401


@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(service: Service, route: str, role: str) -> None:
    r = _call(service, route, service.h(role))
    allowed = ROUTES[route][3]
    if role in allowed:
        assert r.status_code in (200, 201), r.text
    else:
        assert r.status_code == 403
        assert r.json()["error"]["code"] == "forbidden"


def test_the_matrix_covers_every_role_and_every_keyed_v1_route(service: Service) -> None:
    assert set(ROLES) == {"screener", "auditor", "admin", "referrer"}
    paths = {path.replace("c-1", "{contact_id}") for _, path, _, _ in ROUTES.values()}
    doc = service.client.get("/openapi.json").json()
    assert {p for p in doc["paths"] if p.startswith("/v1/")} == paths


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_probes_need_no_key(service: Service, path: str) -> None:
    assert service.client.get(path).status_code == 200


def test_revoked_key_is_refused_after_the_cache_expires(make_service) -> None:  # type: ignore[no-untyped-def]
    from serving.keys import revoke_key

    svc = make_service(key_cache_seconds=0)
    assert svc.client.get("/v1/model", headers=svc.h("auditor")).status_code == 200
    assert revoke_key(svc.key_ids["auditor"], engine=svc.engine)
    assert svc.client.get("/v1/model", headers=svc.h("auditor")).status_code == 401


def test_openapi_documents_every_route_with_roles_and_errors(service: Service) -> None:
    doc = service.client.get("/openapi.json").json()
    paths = doc["paths"]
    for _, (method, path, _body, _roles) in ROUTES.items():
        path_key = path.replace("c-1", "{contact_id}")
        op = paths[path_key][method.lower()]
        assert "role" in op["summary"] or "any role" in op["summary"]
        assert "401" in op["responses"]
    assert "| `GET /v1/audit/events` | no | yes | yes |" in doc["info"]["description"]
    assert paths["/v1/score"]["post"]["responses"]["503"]
    assert "X-API-Key" in str(doc["components"]["securitySchemes"])
    for p in ("/healthz", "/readyz", "/metrics"):
        assert p in paths
