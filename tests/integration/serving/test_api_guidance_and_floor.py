from __future__ import annotations

import pytest
from sqlalchemy import select

from serving.audit.tables import score_events
from serving.testing import FLOOR_SAYS, FLOORED_EXAMPLE, fake_loaded_model
from tests.utils.serving import TEXT, MakeService, Service


def _score(service: Service, text: str, **extra: str) -> dict:  # type: ignore[type-arg]
    r = service.client.post(
        "/v1/score", json={"text": text, **extra}, headers=service.h("screener")
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _score_rows(service: Service) -> list[dict]:  # type: ignore[type-arg]
    with service.engine.connect() as conn:
        rows = conn.execute(select(score_events).order_by(score_events.c.id))
        return [dict(r._mapping) for r in rows]


def test_a_score_carries_the_guidance_level_and_its_probabilities(service: Service) -> None:
    body = _score(service, TEXT)
    assert body["level"] == 3
    probabilities = body["level_probabilities"]
    assert len(probabilities) == 4 and sum(probabilities) == pytest.approx(1)
    assert max(range(4), key=lambda k: probabilities[k]) == body["level"] - 1
    # Here practice and guidance agree, and no floor applies.
    assert body["practice_and_guidance_differ"] is False
    assert body["floor"] is None
    # The existing fields are as before.
    assert {"score", "priority", "band", "explanation", "indicators", "advisory"} <= set(body)


def test_a_floor_raises_band_and_priority_and_leaves_the_score_and_says_why(
    service: Service,
) -> None:
    body = _score(service, FLOORED_EXAMPLE)
    assert body["floor"] == {"says": FLOOR_SAYS}
    assert body["band"] == "high" and body["priority"] >= 9
    assert body["score"] < 0.3  # the model's own score, not raised by the floor
    assert body["level"] == 4
    assert body["practice_and_guidance_differ"] is True


def test_a_batch_carries_each_contacts_level_differ_flag_and_floor_in_order(
    service: Service,
) -> None:
    items = [
        {"text": TEXT},
        {"text": FLOORED_EXAMPLE},
        {"text": "She disclosed that she is scared."},
    ]
    r = service.client.post("/v1/score/batch", json={"items": items}, headers=service.h("screener"))
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x["level"] for x in results] == [3, 4, 4]
    assert [x["practice_and_guidance_differ"] for x in results] == [False, True, True]
    assert [x["floor"] for x in results] == [None, {"says": FLOOR_SAYS}, None]
    assert all(len(x["level_probabilities"]) == 4 for x in results)


def test_a_model_without_a_level_estimate_still_serves_with_nulls(
    make_service: MakeService,
) -> None:
    svc = make_service(model=fake_loaded_model(guidance=False))
    body = _score(svc, FLOORED_EXAMPLE)
    assert body["level"] is None and body["level_probabilities"] == []
    assert body["practice_and_guidance_differ"] is False and body["floor"] is None
    assert body["band"] == "low"  # no floor policy in such a model
    [row] = _score_rows(svc)
    assert row["level"] is None and row["floor"] is None
    [event] = svc.client.get("/v1/audit/events", headers=svc.h("auditor")).json()["events"]
    assert event["level"] is None and event["floor"] is None
    assert event["practice_and_guidance_differ"] is False


def test_the_audit_trail_records_and_returns_level_differ_flag_and_floor(
    service: Service,
) -> None:
    plain = _score(service, TEXT, contact_id="plain")
    floored = _score(service, FLOORED_EXAMPLE, contact_id="baby")
    rows = _score_rows(service)
    assert [(r["level"], r["practice_and_guidance_differ"], r["floor"]) for r in rows] == [
        (3, False, None),
        (4, True, FLOOR_SAYS),
    ]
    assert [(r["band"], r["priority"]) for r in rows] == [
        (plain["band"], plain["priority"]),
        (floored["band"], floored["priority"]),
    ]
    auditor = service.h("auditor")
    events = service.client.get("/v1/audit/events", headers=auditor).json()["events"]
    assert [(e["level"], e["practice_and_guidance_differ"], e["floor"]) for e in events] == [
        (3, False, None),
        (4, True, FLOOR_SAYS),
    ]
    # The floor is the policy's words, not the text's. (Indicator labels are the model's
    # catalogue names; the fake's happen to name the word it matched, so they are left out.)
    assert "bruise" not in str([{k: v for k, v in e.items() if k != "indicators"} for e in events])
    # A decision carries its linked score's level and floor too.
    service.client.post(
        "/v1/contacts/baby/decision",
        json={"decision": "child_protection"},
        headers=service.h("screener"),
    )
    [decision] = service.client.get(
        "/v1/audit/events", params={"type": "decision"}, headers=auditor
    ).json()["events"]
    assert (decision["level"], decision["practice_and_guidance_differ"], decision["floor"]) == (
        4,
        True,
        FLOOR_SAYS,
    )


def test_openapi_documents_the_level_as_advisory_and_the_floor_as_a_rule_beside_the_score(
    service: Service,
) -> None:
    schemas = service.client.get("/openapi.json").json()["components"]["schemas"]
    scored = schemas["ScoredContact"]["properties"]
    new = {"level", "level_probabilities", "practice_and_guidance_differ", "floor"}
    assert new <= set(scored) and new <= set(schemas["ScoredContact"]["required"])
    level = scored["level"]
    assert "Advisory" in level["description"] and "guidance" in level["description"]
    assert {"type": "integer", "minimum": 1, "maximum": 4} in level["anyOf"]
    assert scored["level_probabilities"]["maxItems"] == 4
    assert scored["level_probabilities"]["items"] == {"type": "number", "minimum": 0, "maximum": 1}
    assert "past practice" in scored["practice_and_guidance_differ"]["description"]
    assert "beside the score" in scored["floor"]["description"]
    assert {"$ref": "#/components/schemas/FloorPublic"} in scored["floor"]["anyOf"]
    assert schemas["FloorPublic"]["required"] == ["says"]
    assert "never changes it" in scored["score"]["description"]
    # The single-score response inherits them; the audit event documents its columns.
    assert "floor" in schemas["ScoreResponse"]["properties"]
    audit = schemas["AuditEvent"]["properties"]
    assert {"level", "practice_and_guidance_differ", "floor"} <= set(audit)
    assert "policy text" in audit["floor"]["description"]
