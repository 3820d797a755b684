"""Similar cases beside a score: the API gives the nearest guidance examples (and past
contacts only when the service shows them and the version indexed them), labelled as
advisory context, documented in OpenAPI; the audit trail records the ids shown, never text."""

from __future__ import annotations

from sqlalchemy import select

from serving.audit.tables import score_events
from serving.schemas import SIMILAR_HEADING
from serving.testing import FAKE_GUIDANCE_IDS, FAKE_PAST_ID, fake_loaded_model
from tests.utils.serving import TEXT, MakeService, Service

GUIDANCE_KEYS = {"kind", "id", "similarity", "reason", "indicators", "level", "level_reason"}


def _score(service: Service, text: str = TEXT) -> dict:  # type: ignore[type-arg]
    r = service.client.post("/v1/score", json={"text": text}, headers=service.h("screener"))
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _stored_ids(service: Service) -> list[str | None]:
    with service.engine.connect() as conn:
        return [
            r.similar_ids for r in conn.execute(select(score_events).order_by(score_events.c.id))
        ]


def test_a_score_carries_the_three_nearest_guidance_examples_and_no_past_contact_by_default(
    service: Service,
) -> None:
    body = _score(service)
    similar = body["similar"]
    assert [c["kind"] for c in similar] == ["guidance"] * 3
    assert {c["id"] for c in similar} <= set(FAKE_GUIDANCE_IDS)
    nearest = similar[0]
    assert nearest["id"] == "fake-g3" and nearest["level"] == 3  # bruise, hit
    assert nearest["indicators"] == ["physical_abuse"]
    assert nearest["reason"] == 'Shared words "bruise", "hit"'
    assert nearest["level_reason"]
    assert [c["similarity"] for c in similar] == sorted(
        (c["similarity"] for c in similar), reverse=True
    )
    assert all(c["text"] is None and c["outcome"] is None for c in similar)
    assert set(nearest) >= GUIDANCE_KEYS
    assert TEXT not in str(similar)


def test_past_contacts_show_only_with_the_setting_on_and_a_version_that_indexed_them(
    make_service: MakeService,
) -> None:
    indexed = fake_loaded_model(past_contacts=True)
    hidden = make_service(model=indexed)
    assert hidden.settings.similar_past_contacts == "off"
    similar = _score(hidden)["similar"]
    assert [c["kind"] for c in similar] == ["guidance"] * 3
    # Only what was shown is audited: the hidden past contact is not.
    assert _stored_ids(hidden) == [" ".join(c["id"] for c in similar)]
    assert FAKE_PAST_ID not in str(_stored_ids(hidden))


def test_past_contacts_show_redacted_with_outcome_and_date_band_when_on(
    make_service: MakeService,
) -> None:
    svc = make_service(model=fake_loaded_model(past_contacts=True), similar_past_contacts="on")
    similar = _score(svc)["similar"]
    assert [c["kind"] for c in similar] == ["guidance"] * 3 + ["past_contact"]
    past = similar[-1]
    assert past["id"] == FAKE_PAST_ID and past["id"].startswith("past-")
    assert "[name]" in past["text"] and past["outcome"] == "referral"
    assert past["date_band"] == "2025 Q2" and past["level"] is None
    # On, but a version that indexed none gives none.
    plain = make_service(similar_past_contacts="on")
    assert all(c["kind"] == "guidance" for c in _score(plain)["similar"])


def test_the_batch_carries_each_contacts_examples_in_order(service: Service) -> None:
    items = [{"text": TEXT}, {"text": "Health visitor: baby has a bruise."}, {"text": "Fine."}]
    r = service.client.post("/v1/score/batch", json={"items": items}, headers=service.h("screener"))
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x["similar"][0]["id"] for x in results] == ["fake-g3", "fake-g4", "fake-g1"]
    assert all(len(x["similar"]) == 3 for x in results)


def test_a_model_without_an_index_gives_an_empty_list_and_records_none(
    make_service: MakeService,
) -> None:
    svc = make_service(model=fake_loaded_model(guidance=False))
    assert _score(svc)["similar"] == []
    assert _stored_ids(svc) == [""]
    [event] = svc.client.get("/v1/audit/events", headers=svc.h("auditor")).json()["events"]
    assert event["similar"] == []


def test_the_audit_trail_records_and_returns_the_ids_shown_never_their_text(
    make_service: MakeService,
) -> None:
    svc = make_service(model=fake_loaded_model(past_contacts=True), similar_past_contacts="on")
    body = _score(svc)
    shown = [c["id"] for c in body["similar"]]
    assert _stored_ids(svc) == [" ".join(shown)]
    [event] = svc.client.get("/v1/audit/events", headers=svc.h("auditor")).json()["events"]
    assert event["similar"] == shown
    with svc.engine.connect() as conn:
        row = conn.execute(select(score_events)).one()
    stored = str(dict(row._mapping))
    for case in body["similar"]:
        assert case["reason"] not in stored
        assert not case["text"] or case["text"] not in stored
        assert not case["level_reason"] or case["level_reason"] not in stored


def test_openapi_documents_the_similar_examples_as_advisory_context(service: Service) -> None:
    schemas = service.client.get("/openapi.json").json()["components"]["schemas"]
    similar = schemas["ScoredContact"]["properties"]["similar"]
    assert similar["items"] == {"$ref": "#/components/schemas/SimilarExamplePublic"}
    assert SIMILAR_HEADING in similar["description"]
    assert "not a decision" in similar["description"]
    assert "audit trail" in similar["description"]
    example = schemas["SimilarExamplePublic"]
    assert example["description"].startswith("Advisory context, not a decision")
    assert {
        "kind",
        "id",
        "similarity",
        "reason",
        "indicators",
        "level",
        "text",
        "outcome",
        "date_band",
    } <= set(example["properties"])
    assert "redacted" in example["properties"]["text"]["description"]
    assert "similar" in schemas["AuditEvent"]["properties"]
    assert "never their text" in schemas["AuditEvent"]["properties"]["similar"]["description"]
