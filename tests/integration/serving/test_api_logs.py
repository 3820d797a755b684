from __future__ import annotations

import io
import json
import logging

import pytest

from serving.logs import JsonFormatter
from serving.model_store import LoadedModel
from tests.utils.serving import Service

SECRET = "Ottoline Brackenbury-Vance says her uncle Jerrold burns her with cigarettes"


class _Exploding:
    def score_records(self, texts, sources):  # type: ignore[no-untyped-def]
        raise ValueError(f"cannot score {texts[0]!r}")


@pytest.fixture
def json_log() -> io.StringIO:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(n) for n in ("", "serving", "uvicorn", "sqlalchemy", "fastapi")]
    old = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    yield stream
    for lg, level in old:
        lg.removeHandler(handler)
        lg.setLevel(level)


def test_concern_text_never_reaches_logs_or_error_bodies(make_service, json_log, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    svc: Service = make_service()
    h = svc.h("screener")
    bodies = [
        svc.client.post("/v1/score", json={"text": SECRET, "contact_id": "L1"}, headers=h).text,
        svc.client.post("/v1/score/batch", json={"items": [{"text": SECRET}]}, headers=h).text,
        svc.client.post("/v1/score", json={"text": SECRET, "source": "x"}, headers=h).text,
        svc.client.post("/v1/score", content=SECRET.encode(), headers=h).text,
        svc.client.post("/v1/score", json={"text": SECRET, "extra": SECRET}, headers=h).text,
        svc.client.post(
            "/v1/contacts/L1/decision", json={"decision": "nfa", "note": SECRET}, headers=h
        ).text,
    ]
    # a genuine fault whose exception message quotes the text
    boom = make_service(model=LoadedModel(name="m", version="9", run_id=None, scorer=_Exploding()))
    r = boom.client.post("/v1/score", json={"text": SECRET}, headers=boom.h("screener"))
    assert r.status_code == 500 and r.json()["error"]["code"] == "internal_error"
    bodies.append(r.text)
    logged = json_log.getvalue()
    lines = [json.loads(line) for line in logged.splitlines() if line.strip()]
    assert any(line.get("route") == "/v1/score" and line.get("status") == 200 for line in lines)
    assert any(
        "exception" in line or "reason" in line for line in lines if line["level"] == "ERROR"
    )
    for fragment in ("Ottoline", "Jerrold", "cigarettes"):
        assert fragment not in logged
        assert fragment not in caplog.text
        assert all(fragment not in b for b in bodies)
