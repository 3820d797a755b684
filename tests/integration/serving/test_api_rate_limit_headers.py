from __future__ import annotations

from tests.utils.serving import TEXT, Service


def test_a_key_over_its_limit_gets_429_with_retry_after_and_others_do_not(make_service) -> None:  # type: ignore[no-untyped-def]
    svc: Service = make_service(rate_limit_per_minute=5)
    h = svc.h("screener")
    codes = [
        svc.client.post("/v1/score", json={"text": TEXT}, headers=h).status_code for _ in range(5)
    ]
    assert codes == [200] * 5
    r = svc.client.post("/v1/score", json={"text": TEXT}, headers=h)
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(r.headers["retry-after"]) <= 12
    assert TEXT not in r.text
    # another key is not affected, and probes take no key so are never limited
    assert svc.client.get("/v1/model", headers=svc.h("auditor")).status_code == 200
    assert svc.client.get("/healthz").status_code == 200
    # an invalid key is refused before it can spend anyone's bucket
    assert svc.client.get("/v1/model", headers={"X-API-Key": "nope"}).status_code == 401


def test_limit_zero_means_off(make_service) -> None:  # type: ignore[no-untyped-def]
    svc: Service = make_service(rate_limit_per_minute=0)
    h = svc.h("auditor")
    assert all(svc.client.get("/v1/model", headers=h).status_code == 200 for _ in range(50))


def test_openapi_documents_429_on_keyed_routes(service: Service) -> None:
    paths = service.client.get("/openapi.json").json()["paths"]
    assert "429" in paths["/v1/score"]["post"]["responses"]
    assert "429" in paths["/v1/audit/events"]["get"]["responses"]


def test_every_response_carries_security_headers(service: Service) -> None:
    responses = [
        service.client.get("/healthz"),
        service.client.get("/v1/model", headers=service.h("auditor")),
        service.client.post("/v1/score", json={"text": TEXT}, headers=service.h("screener")),
        service.client.get("/v1/model"),  # 401
        service.client.get("/nowhere"),  # 404
        service.client.post(
            "/v1/score",
            content=b"x" * (service.settings.max_body_bytes + 1),
            headers=service.h("screener"),
        ),  # 413 from the middleware
    ]
    for r in responses:
        assert r.headers["x-content-type-options"] == "nosniff", r.status_code
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["cache-control"] == "no-store"
        assert "default-src 'none'" in r.headers["content-security-policy"]
    assert [r.status_code for r in responses[3:]] == [401, 404, 413]
