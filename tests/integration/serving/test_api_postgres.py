from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import func, select, text

from serving.audit.tables import decisions, score_events
from serving.keys import list_keys, revoke_key
from serving.testing import FLOOR_SAYS, FLOORED_EXAMPLE
from tests.utils.deployment import HASH_KEY
from tests.utils.serving import ROLES, TEXT

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_service(make_service, postgres_url):  # type: ignore[no-untyped-def]
    # No rate limit: a batch of 1,000 after a score would wait for a full bucket.
    return make_service(database_url=postgres_url, key_cache_seconds=0, rate_limit_per_minute=0)


def test_core_flows_on_postgres(pg_service) -> None:  # type: ignore[no-untyped-def]
    svc = pg_service
    assert svc.engine.dialect.name == "postgresql"
    h = svc.h("screener")
    r = svc.client.post(
        "/v1/score", json={"text": TEXT, "contact_id": "pg1", "source": "police"}, headers=h
    )
    assert r.status_code == 200
    items = [{"text": f"{TEXT} {i}", "contact_id": f"b{i}"} for i in range(1000)]
    r = svc.client.post("/v1/score/batch", json={"items": items}, headers=h)
    assert r.status_code == 200 and len(r.json()["results"]) == 1000
    d = svc.client.post(
        "/v1/contacts/pg1/decision", json={"decision": "child_protection"}, headers=h
    )
    assert d.status_code == 201
    with svc.engine.connect() as conn:
        first = conn.execute(
            select(score_events.c.id).where(score_events.c.contact_id == "pg1")
        ).scalar()
        assert conn.execute(select(func.count()).select_from(score_events)).scalar() == 1001
        assert conn.execute(select(decisions.c.score_event_id)).scalar() == first
    assert d.json()["score_event_id"] == first
    page = svc.client.get(
        "/v1/audit/events", params={"type": "decision"}, headers=svc.h("auditor")
    ).json()
    assert page["events"][0]["score"] is not None
    assert svc.client.get("/readyz").status_code == 200
    assert svc.app.state.screener.hash_key == HASH_KEY.encode()
    assert svc.client.post("/v1/admin/reload", headers=svc.h("admin")).json()["generation"] == 1


def test_parallel_scores_on_postgres_are_audited_once(pg_service) -> None:  # type: ignore[no-untyped-def]
    from test_api_concurrency import _count, _fire

    responses = asyncio.run(_fire(pg_service, 200, concurrency=50))
    assert [r.status_code for r in responses] == [200] * 200
    assert _count(pg_service) == 200


def test_fail_closed_and_recovery_on_postgres(pg_service) -> None:  # type: ignore[no-untyped-def]
    svc = pg_service
    h = svc.h("screener")
    with svc.engine.begin() as conn:
        conn.execute(text("ALTER TABLE score_events RENAME TO score_events_away"))
    assert svc.client.post("/v1/score", json={"text": TEXT}, headers=h).status_code == 503
    assert svc.client.get("/readyz").status_code == 503
    with svc.engine.begin() as conn:
        conn.execute(text("ALTER TABLE score_events_away RENAME TO score_events"))
    assert svc.client.get("/readyz").status_code == 200
    assert svc.client.post("/v1/score", json={"text": TEXT}, headers=h).status_code == 200


def test_keys_on_postgres(pg_service) -> None:  # type: ignore[no-untyped-def]
    svc = pg_service
    assert {k.role for k in list_keys(engine=svc.engine)} == set(ROLES)
    assert revoke_key(svc.key_ids["screener"], engine=svc.engine)
    assert not revoke_key(svc.key_ids["screener"], engine=svc.engine)
    r = svc.client.post("/v1/score", json={"text": TEXT}, headers=svc.h("screener"))
    assert r.status_code == 401


def test_level_differ_flag_and_floor_are_audited_on_postgres(pg_service) -> None:  # type: ignore[no-untyped-def]
    svc = pg_service
    items = [{"text": TEXT, "contact_id": "p"}, {"text": FLOORED_EXAMPLE, "contact_id": "b"}]
    r = svc.client.post("/v1/score/batch", json={"items": items}, headers=svc.h("screener"))
    assert r.status_code == 200
    assert [x["floor"] for x in r.json()["results"]] == [None, {"says": FLOOR_SAYS}]
    with svc.engine.connect() as conn:
        rows = conn.execute(
            select(
                score_events.c.level,
                score_events.c.practice_and_guidance_differ,
                score_events.c.floor,
            ).order_by(score_events.c.id)
        ).all()
    assert [tuple(row) for row in rows] == [(3, False, None), (4, True, FLOOR_SAYS)]
    events = svc.client.get("/v1/audit/events", headers=svc.h("auditor")).json()["events"]
    assert [(e["level"], e["practice_and_guidance_differ"], e["floor"]) for e in events] == [
        (3, False, None),
        (4, True, FLOOR_SAYS),
    ]


def test_a_lock_held_on_postgres_is_503_within_2_s_and_then_heals(pg_service) -> None:  # type: ignore[no-untyped-def]
    svc = pg_service
    h = svc.h("screener")
    with svc.engine.connect() as other:
        other.execute(text("LOCK TABLE score_events, decisions IN ACCESS EXCLUSIVE MODE"))
        for path, body in (
            ("/v1/score", {"text": TEXT}),
            ("/v1/contacts/c-1/decision", {"decision": "nfa"}),
        ):
            started = time.monotonic()
            r = svc.client.post(path, json=body, headers=h)
            assert r.status_code == 503 and time.monotonic() - started < 2.0
        other.rollback()
    assert svc.client.post("/v1/score", json={"text": TEXT}, headers=h).status_code == 200
    assert svc.client.get("/readyz").status_code == 200
