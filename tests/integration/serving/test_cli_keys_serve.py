from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from serving.cli import app
from serving.settings import get_settings
from tests.utils.deployment import SECRETS_ENV


@pytest.fixture
def db_env(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_keys_create_list_revoke(db_env: str) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["keys", "create", "--role", "auditor", "--label", "QA"])
    assert r.exit_code == 0, r.output
    lines = r.output.strip().splitlines()
    key = lines[-1]
    assert key.startswith("cs_") and " " not in key and len(lines) >= 2
    key_id = key.split("_")[1]
    listed = runner.invoke(app, ["keys", "list"])
    assert key_id in listed.output and "auditor" in listed.output and key not in listed.output
    assert runner.invoke(app, ["keys", "revoke", key_id]).exit_code == 0
    assert runner.invoke(app, ["keys", "revoke", key_id]).exit_code == 1
    assert "revoked 20" in runner.invoke(app, ["keys", "list"]).output
    bad = runner.invoke(app, ["keys", "create", "--role", "root"])
    assert bad.exit_code == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_screener_serve_runs_the_api(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "MODEL_URI": "fake:?version=3",
        **SECRETS_ENV,
    }
    screener = [sys.executable, "-c", "from serving.cli import app; app()"]
    out = subprocess.run(
        [*screener, "keys", "create", "--role", "screener"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    key = out.stdout.strip().splitlines()[-1]
    port = _free_port()
    proc = subprocess.Popen(
        [*screener, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        r = httpx.post(
            f"{base}/v1/score", json={"text": "Secret-Marigold was hit"}, headers={"X-API-Key": key}
        )
        assert r.status_code == 200 and r.json()["model"]["version"] == "3"
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert "Secret-Marigold" not in err
    assert '"route": "/v1/score"' in err
