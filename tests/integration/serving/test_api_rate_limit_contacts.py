"""The per-key rate limit counts contacts: a batch spends one token per item, so one key
cannot score 1,000 contacts a request at the price of one."""

from __future__ import annotations

from tests.utils.serving import TEXT, MakeService, Service


def _batch(n: int) -> dict[str, list[dict[str, str]]]:
    return {"items": [{"text": f"{TEXT} {i}"} for i in range(n)]}


def test_a_batch_spends_a_token_per_contact(make_service: MakeService) -> None:
    svc: Service = make_service(rate_limit_per_minute=10)
    h = svc.h("screener")
    assert svc.client.post("/v1/score/batch", json=_batch(10), headers=h).status_code == 200
    r = svc.client.post("/v1/score", json={"text": TEXT}, headers=h)
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(r.headers["retry-after"]) <= 6  # one token at 10 a minute
    assert TEXT not in r.text


def test_a_batch_over_the_limit_is_admitted_once_then_the_key_repays_it(
    make_service: MakeService,
) -> None:
    svc: Service = make_service(rate_limit_per_minute=10)
    h = svc.h("screener")
    r = svc.client.post("/v1/score/batch", json=_batch(25), headers=h)
    assert r.status_code == 200 and len(r.json()["results"]) == 25
    r = svc.client.post("/v1/score", json={"text": TEXT}, headers=h)
    assert r.status_code == 429
    assert 90 <= int(r.headers["retry-after"]) <= 96  # 15 contacts of debt, then one
    r = svc.client.post("/v1/score/batch", json=_batch(3), headers=h)
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 90
    assert r.json()["error"]["code"] == "rate_limited"
    # other keys keep their own buckets
    assert svc.client.get("/v1/model", headers=svc.h("auditor")).status_code == 200


def test_a_refused_batch_says_so_and_scores_nothing(make_service: MakeService) -> None:
    from sqlalchemy import func, select

    from serving.audit.tables import score_events

    svc: Service = make_service(rate_limit_per_minute=10)
    h = svc.h("screener")
    for _ in range(5):
        assert svc.client.post("/v1/score", json={"text": TEXT}, headers=h).status_code == 200
    r = svc.client.post("/v1/score/batch", json=_batch(8), headers=h)
    assert r.status_code == 429
    assert "A batch of 8 contacts" in r.json()["error"]["message"]
    assert 1 <= int(r.headers["retry-after"]) <= 18  # 8 needed, 4 held, 10 a minute
    with svc.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(score_events)).scalar() == 5


def test_openapi_says_the_limit_counts_contacts(service: Service) -> None:
    paths = service.client.get("/openapi.json").json()["paths"]
    text = paths["/v1/score/batch"]["post"]["responses"]["429"]["description"]
    assert "contacts a minute" in text and "one per item" in text
    assert "counts contacts" in paths["/v1/score/batch"]["post"]["description"]
