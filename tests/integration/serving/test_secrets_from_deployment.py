"""Secrets from the deployment, never from the data (issue 18, decision 0025): the page
session key and the audit-hash key come from key rings; the audit database holds none,
and one that still does from an earlier version has them removed on start."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select
from typer.testing import CliRunner

from serving.audit.db import make_engine
from serving.audit.migrations import upgrade_to_head
from serving.audit.tables import page_sessions, settings
from serving.web.session import SESSION_COOKIE, make_session_token
from tests.integration.serving.test_web_pages import sign_in
from tests.utils.deployment import HASH_KEY, OLD_SESSION_KEY, SESSION_KEY
from tests.utils.serving import TEXT, MakeService, Service

ROOT = Path(__file__).resolve().parents[3]
#: What the settings table may hold: the model reload generation and the last committed
#: readiness write, nothing secret.
NOT_SECRET = {"model_generation", "audit_heartbeat"}


def _settings(service: Service) -> dict[str, str]:
    with service.engine.connect() as conn:
        return {r.key: r.value for r in conn.execute(select(settings))}


def _database_text(path: Path) -> str:
    """Every row of every table, as SQL."""
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def _score_on_the_page(service: Service, csrf: str) -> None:
    r = service.client.post("/score", data={"text": TEXT, "source": "school", "csrf_token": csrf})
    assert r.status_code == 200, r.text


def test_no_secret_reaches_the_database_after_start_scoring_and_sign_in(
    service: Service, tmp_path: Path
) -> None:
    h = service.h("screener")
    assert service.client.post("/v1/score", json={"text": TEXT}, headers=h).status_code == 200
    _score_on_the_page(service, sign_in(service))
    assert service.client.post("/v1/admin/reload", headers=service.h("admin")).status_code == 200
    assert set(_settings(service)) <= NOT_SECRET
    dump = _database_text(tmp_path / "audit.db")
    for secret in (SESSION_KEY, HASH_KEY, service.client.cookies[SESSION_COOKIE]):
        assert secret not in dump


def test_a_session_forged_with_anything_the_database_holds_is_refused(service: Service) -> None:
    sign_in(service)
    service.client.cookies.clear()
    with service.engine.connect() as conn:
        candidates = list(_settings(service).values())
        candidates += [r.id for r in conn.execute(select(page_sessions))]
    assert candidates
    for value in candidates:
        forged = make_session_token(
            value.encode(), key_id=service.key_ids["screener"], role="screener", now=time.time()
        )
        service.client.cookies.set(SESSION_COOKIE, forged)
        assert "Sign in" in service.client.get("/").text


def test_a_cookie_signed_with_an_older_key_of_the_ring_still_signs_in(
    make_service: MakeService, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    before = make_service(database_url=url, screener_session_keys=OLD_SESSION_KEY)
    sign_in(before)
    cookie = before.client.cookies[SESSION_COOKIE]
    rotated = make_service(
        database_url=url, screener_session_keys=f"{SESSION_KEY},{OLD_SESSION_KEY}"
    )
    rotated.client.cookies.set(SESSION_COOKIE, cookie)
    assert "Sign out" in rotated.client.get("/").text
    dropped = make_service(database_url=url, screener_session_keys=SESSION_KEY)
    dropped.client.cookies.set(SESSION_COOKIE, cookie)
    assert "Sign in" in dropped.client.get("/").text


def _database_with_old_secrets(path: Path, hash_value: str) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade_to_head(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(settings),
            [
                {"key": "page_session_key", "value": "a" * 64},
                {"key": "audit_hash_key", "value": hash_value},
                {"key": "model_generation", "value": "3"},
            ],
        )
    engine.dispose()
    return url


@pytest.mark.parametrize("kept", [False, True])
def test_secrets_an_earlier_version_stored_are_removed_on_start_with_a_warning(
    make_service: MakeService, tmp_path: Path, caplog: pytest.LogCaptureFixture, kept: bool
) -> None:
    old_hash = "b" * 64
    url = _database_with_old_secrets(tmp_path / "old.db", old_hash)
    rings: dict[str, Any] = {"screener_audit_hash_keys": f"{HASH_KEY},{old_hash}"} if kept else {}
    with caplog.at_level(logging.WARNING, logger="serving"):
        service = make_service(database_url=url, **rings)
    assert _settings(service) == {"model_generation": "3"}
    [warning] = [r.getMessage() for r in caplog.records if "removed secrets" in r.getMessage()]
    assert "audit_hash_key, page_session_key" in warning
    if kept:
        assert "old hashes still verify" in warning
    else:
        assert "made with the removed key" in warning
    assert old_hash not in caplog.text and "a" * 64 not in caplog.text
    assert service.app.state.screener.hash_key == HASH_KEY.encode()


def _no_rings(env: dict[str, str]) -> dict[str, str]:
    drop = {"SCREENER_SESSION_KEYS", "SCREENER_AUDIT_HASH_KEYS", "SCREENER_SECRETS_FILE"}
    return {k: v for k, v in env.items() if k not in drop and k != "AUDIT_HASH_KEY"}


def test_screener_serve_in_production_without_rings_exits_with_one_line(tmp_path: Path) -> None:
    env = _no_rings(
        {
            **os.environ,
            "SCREENER_ENV": "production",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}",
            "MODEL_URI": "fake:",
            # run from tmp_path (where a development file would go): import this checkout
            "PYTHONPATH": str(ROOT),
        }
    )
    out = subprocess.run(
        [sys.executable, "-c", "from serving.cli import app; app()", "serve", "--workers", "1"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: SCREENER_ENV=production needs")
    assert "SCREENER_SESSION_KEYS" in lines[0] and "SCREENER_AUDIT_HASH_KEYS" in lines[0]
    assert "Traceback" not in out.stderr and not list(tmp_path.glob(".screener-secrets*"))


def test_screener_serve_in_development_writes_the_secrets_file_for_its_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import serving.cli
    from serving.cli import app
    from serving.settings import get_settings

    for name in ("SCREENER_SESSION_KEYS", "SCREENER_AUDIT_HASH_KEYS"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'dev.db'}")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.7")
    monkeypatch.chdir(tmp_path)
    seen: dict[str, Any] = {}

    def run(workers: int, **kwargs: Any) -> None:
        seen.update(kwargs, secrets_file=os.environ.get("SCREENER_SECRETS_FILE"))

    monkeypatch.setattr(serving.cli, "_run_uvicorn", run)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["serve", "--workers", "1"])
    finally:
        get_settings.cache_clear()
        os.environ.pop("SCREENER_SECRETS_FILE", None)
    assert result.exit_code == 0, result.output
    assert seen["secrets_file"] == ".screener-secrets.toml"
    assert (tmp_path / ".screener-secrets.toml").stat().st_mode & 0o077 == 0
    assert seen["forwarded_allow_ips"] == "10.0.0.7"


def test_uvicorn_gets_the_trusted_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    import serving.cli

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: seen.update(kw))
    serving.cli._run_uvicorn(
        1, host="127.0.0.1", port=1, level="INFO", forwarded_allow_ips="127.0.0.1,10.0.0.0/8"
    )
    assert seen["proxy_headers"] is True
    assert seen["forwarded_allow_ips"] == "127.0.0.1,10.0.0.0/8"
