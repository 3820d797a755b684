"""Training against an MLflow tracking server backed by the CI PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ADMIN = os.environ.get("TEST_POSTGRES_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture
def postgres_database():
    import psycopg

    try:
        admin = psycopg.connect(ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL unreachable under CI: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    name = f"mlflow_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        finally:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_train_registers_against_an_mlflow_server_on_postgresql(postgres_database, tmp_path, generated_small):
    port = free_port()
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [
            str(bin_dir / "mlflow"), "server",
            "--backend-store-uri", postgres_database,
            "--artifacts-destination", (tmp_path / "artifacts").as_uri(),
            "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "server.log", "wb"),  # noqa: SIM115  (the server holds it)
    )
    try:
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.time() > deadline:
                pytest.fail("mlflow server did not start: " + (tmp_path / "server.log").read_text()[-2000:])
            time.sleep(0.5)
        env = dict(os.environ, MLFLOW_TRACKING_URI=f"http://127.0.0.1:{port}")
        work = tmp_path / "work"
        work.mkdir()
        out = subprocess.run(
            [str(bin_dir / "screener"), "train", "--data", str(generated_small), "--candidates", "logreg_words_chars"],
            env=env, cwd=work, capture_output=True, text=True, timeout=600,
        )
        assert out.returncode == 0, out.stderr[-3000:]
        assert "registered concern-screener version 1" in out.stdout
        # Nothing was written to a local store: the server holds the run and the model.
        assert not (work / "mlflow.db").exists() and not (work / "mlruns").exists()
        check = subprocess.run(
            [
                sys.executable, "-c",
                "import mlflow, pandas as pd;"
                "m = mlflow.pyfunc.load_model('models:/concern-screener/1');"
                "print(float(m.predict(pd.DataFrame({'text': ['Dad hit the baby, bruise on her face.']}))['score'][0]))",
            ],
            env=env, cwd=work, capture_output=True, text=True, timeout=300,
        )
        assert check.returncode == 0, check.stderr[-3000:]
        assert 0.0 <= float(check.stdout.strip().splitlines()[-1]) <= 1.0
    finally:
        server.terminate()
        server.wait(timeout=30)
