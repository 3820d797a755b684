from __future__ import annotations

import json

import pytest

from tests.utils.serving import Service
from training.data.contract import MAX_TEXT_CHARS

SECRET = "Zelda Quartermain-Smythe lives at 14 Orchard Row and her stepfather hits her"


def _cases() -> list[tuple[str, str, bytes, int]]:
    j = json.dumps
    return [
        ("empty", "/v1/score", j({"text": ""}).encode(), 422),
        ("whitespace", "/v1/score", j({"text": " \n\t "}).encode(), 422),
        ("too long", "/v1/score", j({"text": SECRET + "x" * MAX_TEXT_CHARS}).encode(), 422),
        ("wrong type text", "/v1/score", j({"text": 12345}).encode(), 422),
        ("wrong type source", "/v1/score", j({"text": SECRET, "source": 3}).encode(), 422),
        ("unknown source", "/v1/score", j({"text": SECRET, "source": "martian"}).encode(), 422),
        ("unknown field", "/v1/score", j({"text": SECRET, "urgency": "high"}).encode(), 422),
        ("missing text", "/v1/score", j({"source": "police"}).encode(), 422),
        ("array body", "/v1/score", j([SECRET]).encode(), 422),
        ("malformed json", "/v1/score", b'{"text": "' + SECRET.encode() + b'"', 400),
        ("invalid utf-8", "/v1/score", b'{"text": "' + SECRET.encode() + b'\xff\xfe"}', 400),
        ("batch empty", "/v1/score/batch", j({"items": []}).encode(), 422),
        (
            "batch 1001",
            "/v1/score/batch",
            j({"items": [{"text": "a"}] * 1001 + [{"text": SECRET}]}).encode(),
            422,
        ),
        (
            "batch bad item",
            "/v1/score/batch",
            j({"items": [{"text": SECRET}, {"text": "  "}]}).encode(),
            422,
        ),
        ("batch wrong type", "/v1/score/batch", j({"items": SECRET}).encode(), 422),
        (
            "body over limit",
            "/v1/score",
            j({"text": SECRET + "y" * (5 * 1024 * 1024)}).encode(),
            413,
        ),
        (
            "decision unknown outcome",
            "/v1/contacts/c1/decision",
            j({"decision": "jail", "note": SECRET}).encode(),
            422,
        ),
        (
            "decision unknown field",
            "/v1/contacts/c1/decision",
            j({"decision": "nfa", "text": SECRET}).encode(),
            422,
        ),
    ]


@pytest.mark.parametrize(("name", "path", "body", "status"), _cases(), ids=[c[0] for c in _cases()])
def test_bad_input_gets_a_clear_4xx_json_error_without_the_text(
    service: Service, name: str, path: str, body: bytes, status: int
) -> None:
    r = service.client.post(
        path, content=body, headers={**service.h("screener"), "content-type": "application/json"}
    )
    assert r.status_code == status, r.text
    payload = r.json()
    assert payload["error"]["code"]
    assert payload["error"]["message"]
    assert "Zelda" not in r.text and "Orchard" not in r.text
    if status == 422:
        assert all("input" not in f for f in payload["error"].get("fields", []))


def test_body_over_limit_is_refused_while_streaming_without_content_length(
    service: Service,
) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"text": "'
        for _ in range(6):
            yield b"z" * (1024 * 1024)
        yield b'"}'

    r = service.client.post(
        "/v1/score",
        content=chunks(),
        headers={**service.h("screener"), "content-type": "application/json"},
    )
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "body_too_large"


def test_text_at_the_limit_is_scored(service: Service) -> None:
    r = service.client.post(
        "/v1/score", json={"text": "a" * MAX_TEXT_CHARS}, headers=service.h("screener")
    )
    assert r.status_code == 200


def test_a_batch_of_1000_is_scored_and_audited(service: Service) -> None:
    items = [{"text": f"contact {i} bruise", "contact_id": f"c{i}"} for i in range(1000)]
    r = service.client.post("/v1/score/batch", json={"items": items}, headers=service.h("screener"))
    assert r.status_code == 200
    body = r.json()
    assert len(body["results"]) == 1000
    assert [x["contact_id"] for x in body["results"]] == [f"c{i}" for i in range(1000)]
    assert "professional judgement" in body["advisory"]
    with service.engine.connect() as conn:
        from sqlalchemy import func, select

        from serving.audit.tables import score_events

        n = conn.execute(
            select(func.count()).where(score_events.c.request_id == body["request_id"])
        ).scalar()
    assert n == 1000


def test_unknown_route_and_method_are_json(service: Service) -> None:
    assert service.client.get("/v2/nothing").json()["error"]["code"] == "not_found"
    r = service.client.get("/v1/score", headers=service.h("screener"))
    assert r.status_code == 405
    assert r.json()["error"]["code"] == "method_not_allowed"


def test_bad_audit_query_parameters_are_422(service: Service) -> None:
    for params in (
        {"limit": 501},
        {"type": "everything"},
        {"since": "yesterday"},
        {"cursor": -1},
        {"cursor": 2**63},  # past a 64-bit id: refused, not a 500 from the database driver
    ):
        r = service.client.get("/v1/audit/events", params=params, headers=service.h("auditor"))
        assert r.status_code == 422, params
