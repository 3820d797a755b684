from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Engine, column, insert, inspect, table

import serving.audit.migrations as migrations
from serving.audit.db import make_engine
from serving.audit.migrations import current_revision, head_revision
from serving.keys import create_key
from serving.main import create_app
from serving.settings import ServiceSettings
from serving.testing import FLOOR_SAYS, FLOORED_EXAMPLE

BEFORE_LEVELS = "0002_model_events"
NEW_COLUMNS = {"level", "practice_and_guidance_differ", "floor", "similar_ids", "indicators"}


def _alembic(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    cfg.attributes["engine"] = engine
    return cfg


def _score_columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("score_events")}


def _old_trail(url: str) -> tuple[Engine, dict[str, str]]:
    """An audit database as a service without levels left it: the schema at 0002, keys,
    and one score event."""
    engine = make_engine(url)
    command.upgrade(_alembic(engine), BEFORE_LEVELS)
    keys = {role: create_key(role, engine=engine)[1] for role in ("screener", "auditor")}
    assert not NEW_COLUMNS & _score_columns(engine)
    row = {
        "request_id": "old-request",
        "created_at": datetime.now(UTC),
        "key_id": "old-key",
        "role": "screener",
        "model_name": "concern-screener",
        "model_version": "1",
        "score": 0.42,
        "priority": 5,
        "band": "medium",
        "contact_id": "old",
        "text_hmac": "0" * 64,
    }
    # The table as it was at 0002 (only these columns), not today's.
    old_score_events = table("score_events", *(column(name) for name in row))
    with engine.begin() as conn:
        conn.execute(insert(old_score_events).values(**row))
    return engine, keys


def _start_and_score(url: str, keys: dict[str, str]) -> list[dict]:  # type: ignore[type-arg]
    """Start a service on ``url`` (AUTO_MIGRATE on, as by default), score one contact,
    and return the score events as an auditor reads them."""
    settings = ServiceSettings(
        database_url=url, model_uri="fake:", reload_poll_seconds=0, audit_hash_key="k"
    )
    assert settings.auto_migrate
    with TestClient(create_app(settings=settings)) as client:
        r = client.post(
            "/v1/score",
            json={"text": FLOORED_EXAMPLE, "contact_id": "new"},
            headers={"X-API-Key": keys["screener"]},
        )
        assert r.status_code == 200, r.text
        page = client.get("/v1/audit/events", headers={"X-API-Key": keys["auditor"]})
        assert page.status_code == 200, page.text
        return page.json()["events"]  # type: ignore[no-any-return]


def _check_migrated(engine: Engine, events: list[dict]) -> None:  # type: ignore[type-arg]
    assert current_revision(engine) == head_revision() == "0007_score_indicators"
    assert _score_columns(engine) >= NEW_COLUMNS
    old, new = events
    assert (old["contact_id"], old["score"], old["band"]) == ("old", 0.42, "medium")
    assert (old["level"], old["practice_and_guidance_differ"], old["floor"]) == (
        None,
        None,
        None,
    )
    assert (new["contact_id"], new["level"], new["practice_and_guidance_differ"]) == (
        "new",
        4,
        True,
    )
    assert new["floor"] == FLOOR_SAYS
    # The ids of the similar examples shown: none recorded before, the fake's after.
    assert old["similar"] is None
    assert new["similar"] and all(i.startswith("fake-g") for i in new["similar"])
    # The labels of the live indicators found: none recorded before, the fake's after.
    assert old["indicators"] is None
    assert new["indicators"] == ["physical_bruise"]


def test_a_sqlite_trail_with_score_events_migrates_on_start_and_old_rows_read_null(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine, keys = _old_trail(url)
    try:
        _check_migrated(engine, _start_and_score(url, keys))
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_postgres_trail_with_score_events_migrates_on_start_and_old_rows_read_null(
    postgres_url: str,
) -> None:
    engine, keys = _old_trail(postgres_url)
    try:
        _check_migrated(engine, _start_and_score(postgres_url, keys))
    finally:
        engine.dispose()


def test_the_migration_downgrades_keeping_the_score_events(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine, _keys = _old_trail(url)
    try:
        command.upgrade(_alembic(engine), "head")
        command.downgrade(_alembic(engine), BEFORE_LEVELS)
        assert current_revision(engine) == BEFORE_LEVELS
        assert not NEW_COLUMNS & _score_columns(engine)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT contact_id FROM score_events").all() == [("old",)]
    finally:
        engine.dispose()
