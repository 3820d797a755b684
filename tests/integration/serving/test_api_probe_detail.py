"""What the unkeyed probes tell a caller on another host: /readyz its status alone (no
model URI, digest, database error or version), /metrics nothing without an admin key.
The service's own host (loopback) and an admin key see everything."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from serving.model_store import ModelLoadError
from tests.utils.serving import MakeService, Service

DIGEST = "9f2c4e1d0a7b"
URI = "models:/concern-screener@champion"


def _elsewhere(svc: Service) -> TestClient:
    # Another host (TEST-NET-3). The app is already started by svc.client.
    return TestClient(svc.app, client=("203.0.113.9", 40000))


@pytest.fixture
def broken(make_service: MakeService) -> Service:
    def loader():  # type: ignore[no-untyped-def]
        raise ModelLoadError(f"could not load {URI}: digest {DIGEST} does not match")

    return make_service(inject_model=False, loader=loader)


def test_readyz_tells_another_host_the_status_alone(broken: Service) -> None:
    r = _elsewhere(broken).get("/readyz")
    assert r.status_code == 503
    assert r.json() == {"status": "not ready"}
    assert DIGEST not in r.text and "models:/" not in r.text


@pytest.mark.parametrize("role", ["screener", "auditor"])
def test_readyz_detail_needs_an_admin_key_from_another_host(broken: Service, role: str) -> None:
    other = _elsewhere(broken)
    assert other.get("/readyz", headers=broken.h(role)).json() == {"status": "not ready"}
    assert other.get("/readyz", headers={"X-API-Key": "sk_forged"}).json() == {
        "status": "not ready"
    }
    r = other.get("/readyz", headers=broken.h("admin"))
    assert r.status_code == 503
    assert any(DIGEST in reason for reason in r.json()["reasons"])


def test_readyz_detail_from_the_services_own_host(broken: Service) -> None:
    r = broken.client.get("/readyz")  # the fixture's client is on 127.0.0.1
    assert any(DIGEST in reason for reason in r.json()["reasons"])


def test_a_ready_service_names_its_model_only_to_admins_and_loopback(service: Service) -> None:
    other = _elsewhere(service)
    assert other.get("/readyz").json() == {"status": "ready"}
    assert other.get("/readyz", headers=service.h("admin")).json()["model"]["version"] == "1"
    assert service.client.get("/readyz").json()["model"]["version"] == "1"


def test_metrics_need_an_admin_key_from_another_host(service: Service) -> None:
    other = _elsewhere(service)
    r = other.get("/metrics")
    assert r.status_code == 401 and "screener_" not in r.text
    assert r.json()["error"]["code"] == "unauthorized"
    r = other.get("/metrics", headers=service.h("screener"))
    assert r.status_code == 403 and "screener_model_info" not in r.text
    r = other.get("/metrics", headers=service.h("admin"))
    assert r.status_code == 200 and "screener_model_info" in r.text
    assert service.client.get("/metrics").status_code == 200  # a scraper on this host


def test_liveness_stays_open_to_everyone(service: Service) -> None:
    assert _elsewhere(service).get("/healthz").json() == {"status": "ok"}
