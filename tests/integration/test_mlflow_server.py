"""Training against an MLflow tracking server backed by the CI PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.utils.mlflow_server import free_port, postgres_database, running_server

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_train_registers_against_an_mlflow_server_on_postgresql(tmp_path, generated_tiny):
    port = free_port()
    bin_dir = Path(sys.executable).parent
    with (
        postgres_database() as database,
        running_server(
            [
                str(bin_dir / "mlflow"),
                "server",
                "--backend-store-uri",
                database.replace("postgresql://", "postgresql+psycopg://"),
                "--artifacts-destination",
                (tmp_path / "artifacts").as_uri(),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "1",
            ],
            port=port,
            log=tmp_path / "server.log",
        ),
    ):
        env = dict(os.environ, MLFLOW_TRACKING_URI=f"http://127.0.0.1:{port}")
        work = tmp_path / "work"
        work.mkdir()
        out = subprocess.run(
            [
                str(bin_dir / "screener"),
                "train",
                "--data",
                str(generated_tiny),
                "--candidates",
                "logreg_words_chars",
            ],
            env=env,
            cwd=work,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert out.returncode == 0, out.stderr[-3000:]
        assert "registered concern-screener version 1" in out.stdout
        # Nothing was written to a local store: the server holds the run and the model.
        assert not (work / "mlflow.db").exists() and not (work / "mlruns").exists()
        check = subprocess.run(
            [
                sys.executable,
                "-c",
                "import mlflow, pandas as pd;"
                "m = mlflow.pyfunc.load_model('models:/concern-screener/1');"
                "print(float(m.predict(pd.DataFrame({'text': ['Dad hit the baby, bruise on her face.']}))['score'][0]))",
            ],
            env=env,
            cwd=work,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert check.returncode == 0, check.stderr[-3000:]
        assert 0.0 <= float(check.stdout.strip().splitlines()[-1]) <= 1.0
