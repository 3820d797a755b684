from __future__ import annotations

import hashlib
import hmac

import pytest
from sqlalchemy import select, text

from serving.audit.tables import decisions, metadata, score_events
from tests.utils.deployment import HASH_KEY, OLD_HASH_KEY
from tests.utils.serving import ROLES, TEXT, Service


def _rows(service: Service, table):  # type: ignore[no-untyped-def]
    with service.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.id))]


def test_score_is_audited_with_a_keyed_hash_and_no_text(service: Service) -> None:
    r = service.client.post(
        "/v1/score",
        json={"text": TEXT, "source": "school", "contact_id": "c-9"},
        headers=service.h("screener"),
    )
    body = r.json()
    assert r.status_code == 200
    assert 0 <= body["score"] <= 1 and 1 <= body["priority"] <= 10
    assert body["band"] in {"low", "medium", "high"}
    assert body["model"] == {"name": "concern-screener", "version": "1"}
    assert "never replaces" in body["advisory"]
    bruise = TEXT.index("bruise")
    assert any(p["spans"] == [[bruise, bruise + 6]] for p in body["explanation"])
    assert any(i["span"] == [bruise, bruise + 6] and not i["negated"] for i in body["indicators"])
    [row] = _rows(service, score_events)
    assert row["request_id"] == body["request_id"] == r.headers["x-request-id"]
    assert row["key_id"] == service.key_ids["screener"] and row["role"] == "screener"
    assert (row["model_name"], row["model_version"]) == ("concern-screener", "1")
    assert row["score"] == pytest.approx(body["score"])
    assert (row["priority"], row["band"], row["source"], row["contact_id"]) == (
        body["priority"],
        body["band"],
        "school",
        "c-9",
    )
    expected = hmac.new(HASH_KEY.encode(), TEXT.encode(), hashlib.sha256).hexdigest()
    assert row["text_hmac"] == expected
    assert row["redacted_text"] is None
    assert TEXT not in str(row)


def test_redacted_text_and_note_are_stored_only_when_configured(make_service, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import serving.main

    monkeypatch.setattr(
        serving.main, "load_redactor", lambda: lambda t: t.replace("dad", "[PERSON]")
    )
    svc = make_service(audit_store_redacted_text=True)
    svc.client.post("/v1/score", json={"text": TEXT, "contact_id": "k"}, headers=svc.h("screener"))
    svc.client.post(
        "/v1/contacts/k/decision",
        json={"decision": "referral", "note": "dad was there"},
        headers=svc.h("screener"),
    )
    [row] = _rows(svc, score_events)
    assert row["redacted_text"] == TEXT.replace("dad", "[PERSON]")
    [dec] = _rows(svc, decisions)
    assert dec["note_redacted"] == "[PERSON] was there"


def test_redaction_configured_without_a_redactor_refuses_to_start(
    make_service, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import serving.main

    def missing():  # type: ignore[no-untyped-def]
        raise ImportError("no redact yet")

    monkeypatch.setattr(serving.main, "load_redactor", missing)
    with pytest.raises(RuntimeError, match="AUDIT_STORE_REDACTED_TEXT"):
        make_service(audit_store_redacted_text=True)


def test_the_hash_key_is_the_first_of_the_deployments_ring(make_service) -> None:  # type: ignore[no-untyped-def]
    a = make_service(screener_audit_hash_keys=f"{HASH_KEY},{OLD_HASH_KEY}")
    assert a.app.state.screener.hash_key == HASH_KEY.encode()
    b = make_service(screener_audit_hash_keys=None, audit_hash_key="deprecated-one-key")
    assert b.app.state.screener.hash_key == b"deprecated-one-key"


def test_decision_links_to_the_latest_score_of_the_contact(service: Service) -> None:
    h = service.h("screener")
    service.client.post("/v1/score", json={"text": TEXT, "contact_id": "A"}, headers=h)
    service.client.post("/v1/score", json={"text": TEXT + " again", "contact_id": "A"}, headers=h)
    service.client.post("/v1/score", json={"text": TEXT, "contact_id": "B"}, headers=h)
    latest_a = max(r["id"] for r in _rows(service, score_events) if r["contact_id"] == "A")
    r = service.client.post(
        "/v1/contacts/A/decision", json={"decision": "early_help", "note": "x"}, headers=h
    )
    assert r.status_code == 201
    body = r.json()
    assert body["score_event_id"] == latest_a
    assert body["decision"] == "early_help" and body["contact_id"] == "A"
    [dec] = _rows(service, decisions)
    assert dec["id"] == body["id"] and dec["note_redacted"] is None  # not configured
    r = service.client.post(
        "/v1/contacts/never-scored/decision", json={"decision": "nfa"}, headers=h
    )
    assert r.status_code == 201 and r.json()["score_event_id"] is None


def test_audit_events_filter_and_page(service: Service) -> None:
    h = service.h("screener")
    for i in range(7):
        service.client.post(
            "/v1/score", json={"text": f"{TEXT} {i}", "contact_id": f"p{i % 2}"}, headers=h
        )
    service.client.post("/v1/contacts/p1/decision", json={"decision": "referral"}, headers=h)
    a = service.h("auditor")
    seen: list[int] = []
    cursor = 0
    while True:
        page = service.client.get(
            "/v1/audit/events", params={"type": "score", "limit": 3, "cursor": cursor}, headers=a
        ).json()
        seen += [e["id"] for e in page["events"]]
        if page["next_cursor"] is None:
            break
        cursor = page["next_cursor"]
    assert seen == sorted(seen) and len(seen) == 7
    only = service.client.get("/v1/audit/events", params={"contact_id": "p1"}, headers=a).json()
    assert {e["contact_id"] for e in only["events"]} == {"p1"} and len(only["events"]) == 3
    assert (
        service.client.get("/v1/audit/events", params={"model_version": "nope"}, headers=a).json()[
            "events"
        ]
        == []
    )
    future = service.client.get(
        "/v1/audit/events", params={"since": "2999-01-01T00:00:00Z"}, headers=a
    ).json()
    assert future["events"] == []
    past = service.client.get(
        "/v1/audit/events", params={"until": "2999-01-01T00:00:00Z"}, headers=a
    ).json()
    assert len(past["events"]) == 7
    [dec] = service.client.get("/v1/audit/events", params={"type": "decision"}, headers=a).json()[
        "events"
    ]
    assert (
        dec["decision"] == "referral" and dec["model_version"] == "1" and dec["score"] is not None
    )
    keys = service.client.get("/v1/audit/events", params={"type": "key"}, headers=a).json()[
        "events"
    ]
    assert {k["event"] for k in keys} == {"created"} and len(keys) == len(ROLES)
    assert TEXT not in str(service.client.get("/v1/audit/events", headers=a).text)


def test_fail_closed_when_the_audit_table_is_gone_and_recovery_without_restart(
    service: Service,
) -> None:
    h = service.h("screener")
    assert service.client.post("/v1/score", json={"text": TEXT}, headers=h).status_code == 200
    with service.engine.begin() as conn:
        conn.execute(text("ALTER TABLE score_events RENAME TO score_events_away"))
    r = service.client.post("/v1/score", json={"text": TEXT}, headers=h)
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "audit_unavailable"
    assert "score" not in r.json()
    r = service.client.post("/v1/score/batch", json={"items": [{"text": TEXT}]}, headers=h)
    assert r.status_code == 503
    ready = service.client.get("/readyz")
    assert ready.status_code == 503
    assert any("audit database unavailable" in reason for reason in ready.json()["reasons"])
    with service.engine.begin() as conn:
        conn.execute(text("ALTER TABLE score_events_away RENAME TO score_events"))
    assert service.client.get("/readyz").status_code == 200
    assert service.client.post("/v1/score", json={"text": TEXT}, headers=h).status_code == 200
    assert len(_rows(service, score_events)) == 2


def test_no_model_at_start_means_503_until_a_reload_succeeds(make_service) -> None:  # type: ignore[no-untyped-def]
    from serving.model_store import ModelLoadError
    from serving.testing import fake_loaded_model

    available: list[str] = []

    def loader():  # type: ignore[no-untyped-def]
        if not available:
            raise ModelLoadError("registry has no champion")
        return fake_loaded_model(version=available[-1])

    svc = make_service(inject_model=False, loader=loader)
    r = svc.client.post("/v1/score", json={"text": TEXT}, headers=svc.h("screener"))
    assert r.status_code == 503 and r.json()["error"]["code"] == "no_model"
    ready = svc.client.get("/readyz")
    assert ready.status_code == 503 and "model not loaded" in ready.json()["reasons"]
    r = svc.client.post("/v1/admin/reload", headers=svc.h("admin"))
    assert r.status_code == 503 and r.json()["error"]["code"] == "reload_failed"
    available.append("7")
    r = svc.client.post("/v1/admin/reload", headers=svc.h("admin"))
    assert r.status_code == 200 and r.json()["current"]["version"] == "7"
    assert svc.client.get("/readyz").status_code == 200
    r = svc.client.post("/v1/score", json={"text": TEXT}, headers=svc.h("screener"))
    assert r.json()["model"]["version"] == "7"


def test_require_model_refuses_to_start_without_one(make_service) -> None:  # type: ignore[no-untyped-def]
    from serving.model_store import ModelLoadError

    def loader():  # type: ignore[no-untyped-def]
        raise ModelLoadError("registry has no champion")

    with pytest.raises(ModelLoadError):
        make_service(inject_model=False, loader=loader, require_model=True)


def test_model_endpoint_reports_metrics_and_card(service: Service) -> None:
    body = service.client.get("/v1/model", headers=service.h("screener")).json()
    assert body["name"] == "concern-screener" and body["version"] == "1"
    assert body["metrics"] == {"roc_auc": 0.5}
    assert body["model_card"].startswith("# Fake model")
    assert "fairness_summary" in body


def test_metrics_count_requests_and_bands(service: Service) -> None:
    service.client.post("/v1/score", json={"text": TEXT}, headers=service.h("screener"))
    text_ = service.client.get("/metrics").text
    assert 'screener_http_requests_total{route="/v1/score",status="200"}' in text_
    assert "screener_scores_total" in text_
    assert "screener_model_info" in text_
    assert TEXT not in text_


def test_tables_match_the_migration(service: Service) -> None:
    from sqlalchemy import inspect

    insp = inspect(service.engine)
    for table in metadata.sorted_tables:
        cols = {c["name"] for c in insp.get_columns(table.name)}
        assert cols == {c.name for c in table.columns}, table.name


def test_the_real_redactor_keeps_no_detected_name_in_the_trail(make_service) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("training.text.redact")
    svc = make_service(audit_store_redacted_text=True)
    contact = (
        "Jane Smith, born 12/03/2015, lives at 14 Orchard Row; call 07700 900123. Dad hit her."
    )
    r = svc.client.post("/v1/score", json={"text": contact}, headers=svc.h("screener"))
    assert r.status_code == 200
    [row] = _rows(svc, score_events)
    assert row["redacted_text"] and "Dad hit her" in row["redacted_text"]
    for pii in ("Jane Smith", "12/03/2015", "07700 900123"):
        assert pii not in row["redacted_text"]


def test_promotion_decisions_are_in_the_audit_trail_for_auditors(service: Service) -> None:
    from datetime import UTC, datetime

    from serving.audit.store import insert_model_event

    insert_model_event(
        engine=service.engine,
        event="forced",
        model_name="concern-screener",
        model_version="2",
        previous_version="1",
        actor="analyst",
        reason="pilot",
        failed_checks="fairness: 1 new flag",
        created_at=datetime.now(UTC),
    )
    r = service.client.get("/v1/audit/events?type=model", headers=service.h("auditor"))
    assert r.status_code == 200, r.text
    [event] = r.json()["events"]
    assert (event["type"], event["event"], event["model_version"], event["previous_version"]) == (
        "model",
        "forced",
        "2",
        "1",
    )
    assert event["reason"] == "pilot" and event["failed_checks"] == "fairness: 1 new flag"
    assert (
        service.client.get("/v1/audit/events?type=model", headers=service.h("screener")).status_code
        == 403
    )
