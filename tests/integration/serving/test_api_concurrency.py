from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest
from sqlalchemy import func, select

from serving.audit.tables import score_events
from serving.testing import fake_loaded_model
from tests.utils.serving import TEXT, Service


async def _fire(service: Service, n: int, *, concurrency: int) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=service.app)
    sem = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:

        async def one(i: int) -> httpx.Response:
            async with sem:
                return await client.post(
                    "/v1/score",
                    json={"text": f"{TEXT} {i}", "contact_id": f"c{i}"},
                    headers=service.h("screener"),
                )

        return await asyncio.gather(*(one(i) for i in range(n)))


def _count(service: Service) -> int:
    with service.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(score_events)).scalar_one())


@pytest.mark.parametrize("scoring_threads", [0, 1, 4])
def test_200_parallel_scores_are_each_audited_exactly_once(make_service, scoring_threads) -> None:  # type: ignore[no-untyped-def]
    service = make_service(scoring_threads=scoring_threads)
    responses = asyncio.run(_fire(service, 200, concurrency=200))
    assert [r.status_code for r in responses] == [200] * 200
    assert _count(service) == 200
    with service.engine.connect() as conn:
        rows = conn.execute(select(score_events.c.request_id, score_events.c.contact_id)).all()
    assert {r.request_id for r in rows} == {r.json()["request_id"] for r in responses}
    assert sorted(r.contact_id for r in rows) == sorted(f"c{i}" for i in range(200))


def test_reload_under_load_fails_no_request_and_serves_both_versions(make_service) -> None:  # type: ignore[no-untyped-def]
    counter = {"n": 0}

    def loader():  # type: ignore[no-untyped-def]
        counter["n"] += 1
        time.sleep(0.02)  # a model takes a while to load; requests go on meanwhile
        return fake_loaded_model(version=str(1 + counter["n"] % 2))

    svc = make_service(loader=loader)
    stop = threading.Event()
    statuses: list[int] = []
    versions: set[str] = set()

    def hammer() -> None:
        while not stop.is_set():
            r = svc.client.post("/v1/score", json={"text": TEXT}, headers=svc.h("screener"))
            statuses.append(r.status_code)
            if r.status_code == 200:
                versions.add(r.json()["model"]["version"])

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    reloads = []
    for _ in range(8):
        reloads.append(svc.client.post("/v1/admin/reload", headers=svc.h("admin")).status_code)
        time.sleep(0.02)
    stop.set()
    for t in threads:
        t.join()
    assert reloads == [200] * 8
    assert statuses and set(statuses) == {200}
    assert versions == {"1", "2"}
    assert _count(svc) == len(statuses)


def test_other_workers_follow_a_reload_through_the_database(make_service) -> None:  # type: ignore[no-untyped-def]
    versions = iter(["2", "3", "4"])

    def loader():  # type: ignore[no-untyped-def]
        return fake_loaded_model(version=next(versions))

    a = make_service(loader=loader, reload_poll_seconds=0.05)
    b = make_service(loader=loader, reload_poll_seconds=0.05)  # same database: a second worker
    assert (
        a.client.post("/v1/admin/reload", headers=a.h("admin")).json()["current"]["version"] == "2"
    )
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        if b.client.get("/v1/model", headers=b.h("admin")).json()["version"] == "3":
            break
        time.sleep(0.05)
    assert b.client.get("/v1/model", headers=b.h("admin")).json()["version"] == "3"
