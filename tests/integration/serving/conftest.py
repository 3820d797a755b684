from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from serving.audit.db import make_engine
from serving.audit.migrations import upgrade_to_head
from serving.keys import create_key
from serving.main import create_app
from serving.model_store import LoadedModel
from serving.settings import ServiceSettings
from serving.testing import fake_loaded_model
from tests.utils.deployment import HASH_KEY, SESSION_KEY
from tests.utils.serving import ROLES, MakeService, Service


@pytest.fixture
def make_service(tmp_path: Path) -> Iterator[MakeService]:
    """Build a started service on a database (default: a fresh SQLite file) with one key
    per role; everything is closed at teardown."""
    opened: list[tuple[TestClient, Engine]] = []

    def factory(
        *,
        database_url: str | None = None,
        model: LoadedModel | None = None,
        loader: Callable[[], LoadedModel] | None = None,
        inject_model: bool = True,
        **overrides: Any,
    ) -> Service:
        url = database_url or f"sqlite:///{tmp_path / 'audit.db'}"
        values: dict[str, Any] = {
            "database_url": url,
            "model_uri": "fake:",
            "reload_poll_seconds": 0,
            "screener_session_keys": SESSION_KEY,
            "screener_audit_hash_keys": HASH_KEY,
        }
        values.update(overrides)
        settings = ServiceSettings(**values)
        engine = make_engine(url)
        upgrade_to_head(engine)
        keys: dict[str, str] = {}
        key_ids: dict[str, str] = {}
        for role in ROLES:
            key_ids[role], keys[role] = create_key(role, engine=engine)
        app = create_app(
            settings=settings,
            model=model if model is not None or not inject_model else fake_loaded_model(),
            loader=loader,
        )
        # The operator's view, from the service's own host: /readyz reasons and /metrics
        # without a key (tests of what other hosts see make their own client).
        client = TestClient(app, client=("127.0.0.1", 50000))
        client.__enter__()
        opened.append((client, engine))
        return Service(app, client, engine, keys, key_ids, settings)

    yield factory
    for client, engine in opened:
        client.__exit__(None, None, None)
        engine.dispose()


@pytest.fixture
def service(make_service: MakeService) -> Service:
    return make_service()
