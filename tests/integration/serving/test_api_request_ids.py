"""Request ids are the server's: a caller's ``X-Request-ID`` never becomes the audit
trail's request id (it could repeat, or copy another request's), and is kept beside it,
as the caller's, only when it is a short token."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from serving.audit.tables import score_events
from serving.logs import JsonFormatter
from tests.utils.serving import TEXT, Service


@pytest.fixture
def access_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("serving.access")
    old = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(old)


def test_a_callers_request_id_is_kept_beside_the_servers_never_as_the_audit_id(
    service: Service, access_log: io.StringIO
) -> None:
    h = {**service.h("screener"), "X-Request-ID": "batch-42"}
    first = service.client.post("/v1/score", json={"text": TEXT}, headers=h)
    second = service.client.post("/v1/score", json={"text": TEXT}, headers=h)
    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert "batch-42" not in ids and ids[0] != ids[1]
    assert [first.json()["request_id"], second.json()["request_id"]] == ids
    assert first.headers["x-client-request-id"] == "batch-42"
    with service.engine.connect() as conn:
        audited = conn.execute(select(score_events.c.request_id)).scalars().all()
    assert sorted(audited) == sorted(ids)
    lines = [json.loads(line) for line in access_log.getvalue().splitlines()]
    scored = [x for x in lines if x.get("route") == "/v1/score"]
    assert [(x["request_id"], x["client_request_id"]) for x in scored] == [
        (ids[0], "batch-42"),
        (ids[1], "batch-42"),
    ]


@pytest.mark.parametrize(
    "sent", ["x" * 65, "two words", "id;drop", '"quoted"', "caf\u00e9", '{"json": 1}']
)
def test_a_client_id_that_is_not_a_short_token_is_dropped(
    service: Service, access_log: io.StringIO, sent: str
) -> None:
    r = service.client.get("/healthz", headers={"X-Request-ID": sent.encode("utf-8")})
    assert r.status_code == 200
    assert "x-client-request-id" not in r.headers
    assert len(r.headers["x-request-id"]) == 32
    [line] = [json.loads(x) for x in access_log.getvalue().splitlines()]
    assert "client_request_id" not in line


def test_errors_from_the_middleware_carry_both_ids(service: Service) -> None:
    r = service.client.post(
        "/v1/score",
        content=b"x" * (service.settings.max_body_bytes + 1),
        headers={**service.h("screener"), "X-Request-ID": "big-1"},
    )
    assert r.status_code == 413
    assert r.json()["error"]["request_id"] == r.headers["x-request-id"] != "big-1"
    assert r.headers["x-client-request-id"] == "big-1"
