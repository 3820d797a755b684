"""Integration fixtures: generated data files and an isolated MLflow store with a model.

Training is the slow part, so one small model is trained per session and shared by the
tests that only read it (CLI evaluate, pyfunc contract, serving with a real model).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.utils.signing import SIGNING_KEY

SMALL_ROWS = 1500

#: Enough contacts for a training whose subject is the plumbing around it (a server, the
#: weighted parts), not the model: every split holds both outcomes.
TINY_ROWS = 600


def screener_bin() -> str:
    return str(Path(sys.executable).with_name("screener"))


def run_screener(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [screener_bin(), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def stored_folder(version: str) -> Path:
    """The version's artifact folder in the local store (what an attacker would write)."""
    from urllib.parse import urlparse

    from training.lifecycle import registry

    uri = registry.configure().get_model_version_download_uri("concern-screener", version)
    return Path(urlparse(uri).path)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def generated_small(data_dir: Path) -> Path:
    from training.data.generate import write_contacts

    path = data_dir / "small.parquet"
    write_contacts(path, SMALL_ROWS, seed=101)
    return path


@pytest.fixture(scope="session")
def generated_tiny(data_dir: Path) -> Path:
    from training.data.generate import write_contacts

    path = data_dir / "tiny.parquet"
    write_contacts(path, TINY_ROWS, seed=104)
    return path


@pytest.fixture(scope="session")
def generated_holdout(data_dir: Path) -> Path:
    from training.data.generate import write_contacts

    path = data_dir / "holdout.parquet"
    write_contacts(path, 2000, seed=202)
    return path


@pytest.fixture(scope="session")
def mlflow_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for subprocesses pointing at a private MLflow store."""
    root = tmp_path_factory.mktemp("mlflow")
    return dict(
        os.environ,
        MLFLOW_TRACKING_URI=f"sqlite:///{root}/mlflow.db",
        MLFLOW_ARTIFACT_ROOT=str(root / "mlruns"),
        # Versions are signed at registration and verified before loading (decision 0024).
        SCREENER_MODEL_SIGNING_KEYS=SIGNING_KEY,
    )


@pytest.fixture(scope="session")
def trained_version(
    mlflow_env: dict[str, str], generated_small: Path, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """Version 1 of the screener, trained by the real CLI on the small generated file."""
    out = run_screener(
        "train", "--data", str(generated_small), env=mlflow_env, cwd=tmp_path_factory.mktemp("work")
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return "1"


@pytest.fixture
def use_mlflow_env(
    mlflow_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """Point this process (not only subprocesses) at the private store."""
    from training.settings import get_settings

    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_env["MLFLOW_TRACKING_URI"])
    monkeypatch.setenv("MLFLOW_ARTIFACT_ROOT", mlflow_env["MLFLOW_ARTIFACT_ROOT"])
    monkeypatch.setenv("SCREENER_MODEL_SIGNING_KEYS", mlflow_env["SCREENER_MODEL_SIGNING_KEYS"])
    get_settings.cache_clear()
    yield mlflow_env
    get_settings.cache_clear()
