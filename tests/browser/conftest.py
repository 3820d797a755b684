"""Fixtures for the browser tests: a real uvicorn server on a free local port (fake model,
temporary SQLite audit DB, one key per role) and Debian's headless Chromium via Playwright.

Skips when /usr/bin/chromium is absent, except under CI=true where that is a failure.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from serving.audit.db import make_engine
from serving.audit.migrations import upgrade_to_head
from serving.keys import create_key
from serving.main import create_app
from serving.settings import ServiceSettings
from serving.testing import fake_loaded_model
from tests.utils.browser import LiveServer
from tests.utils.deployment import HASH_KEY, SESSION_KEY

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} is missing under CI (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    return str(CHROMIUM)


@contextlib.contextmanager
def _running_server(folder: Path, model: Any, **overrides: Any) -> Iterator[LiveServer]:
    """A uvicorn server of ``model`` on a fresh SQLite audit DB in ``folder``, one key per role."""
    url = f"sqlite:///{folder / 'audit.db'}"
    engine = make_engine(url)
    upgrade_to_head(engine)
    keys: dict[str, str] = {}
    key_ids: dict[str, str] = {}
    for role in ("screener", "auditor", "admin", "referrer"):
        key_ids[role], keys[role] = create_key(role, engine=engine)
    settings = ServiceSettings(
        database_url=url,
        model_uri="fake:",
        reload_poll_seconds=0,
        screener_session_keys=SESSION_KEY,
        screener_audit_hash_keys=HASH_KEY,
        **overrides,
    )
    app = create_app(settings=settings, model=model)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(base, engine, keys, key_ids)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with _running_server(tmp_path_factory.mktemp("browser"), fake_loaded_model()) as server:
        yield server


@pytest.fixture(scope="module")
def live_server_with_past_contacts(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    """A server of a version that indexed past contacts, shown (SIMILAR_PAST_CONTACTS=on)."""
    with _running_server(
        tmp_path_factory.mktemp("browser-past"),
        fake_loaded_model(past_contacts=True),
        similar_past_contacts="on",
    ) as server:
        yield server


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    errors: list[str] = []
    # A CSP violation, a script error or a missing script/style shows up here; none is
    # expected. (Pages answered 4xx on purpose are documents, not subresources.)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    pg.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    yield pg
    context.close()
    assert errors == [], errors
