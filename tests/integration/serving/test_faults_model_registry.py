"""Faults around the model: a corrupted or missing artifact is refused before anything is
unpickled, and the service says why; an interrupted training run promotes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serving_helpers import MakeService

from serving.model_store import ModelLoadError, load_model

pytestmark = pytest.mark.slow
CHAMPION = "models:/concern-screener@champion"


@pytest.fixture(scope="module")
def registry_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A temporary MLflow store with one tiny model registered and made @champion."""
    from training import registry
    from training.config import TrainConfig
    from training.generate import generate_frame
    from training.settings import get_settings as training_settings
    from training.workflows import train_and_register

    root = tmp_path_factory.mktemp("mlflow")
    mp = pytest.MonkeyPatch()
    tracking = f"sqlite:///{root / 'mlflow.db'}"
    mp.setenv("MLFLOW_TRACKING_URI", tracking)
    mp.setenv("MLFLOW_ARTIFACT_ROOT", str(root / "artifacts"))
    mp.chdir(root)
    training_settings.cache_clear()
    frame = generate_frame(300, seed=1)
    data_path = root / "contacts.csv"
    frame.to_csv(data_path, index=False)
    config = TrainConfig().with_overrides(
        {
            "candidates.names": ["logreg_words_chars"],
            "features.word_min_df": 1,
            "evaluation.n_boot": 5,
        }
    )
    outcome = train_and_register(frame, data_path=data_path, config=config)
    registry.set_alias(outcome.version)
    [artifact] = list((root / "artifacts").rglob("screener.joblib"))
    yield {
        "tracking": tracking,
        "frame": frame,
        "data_path": data_path,
        "config": config,
        "version": outcome.version,
        "artifact": artifact,
    }
    mp.undo()
    training_settings.cache_clear()


@pytest.fixture
def no_unpickling(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import joblib

    calls: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        calls.append("joblib.load")
        raise AssertionError("unpickled an unverified artifact")

    monkeypatch.setattr(joblib, "load", refuse)
    return calls


def test_the_champion_loads_when_intact(registry_store: dict[str, Any]) -> None:
    m = load_model(CHAMPION, tracking_uri=registry_store["tracking"])
    assert m.version == registry_store["version"]
    assert 0 <= m.scorer.score_records(["dad hit her"], [None])[0].score <= 1


@pytest.mark.parametrize("fault", ["corrupted", "truncated", "missing"])
def test_a_damaged_artifact_is_refused_before_unpickling_and_readyz_says_why(
    registry_store: dict[str, Any],
    make_service: MakeService,
    no_unpickling: list[str],
    fault: str,
) -> None:
    artifact: Path = registry_store["artifact"]
    original = artifact.read_bytes()
    try:
        if fault == "corrupted":
            flipped = bytearray(original)
            flipped[len(flipped) // 2] ^= 0xFF
            artifact.write_bytes(bytes(flipped))
        elif fault == "truncated":
            artifact.write_bytes(original[: len(original) // 3])
        else:
            artifact.unlink()
        expected = "not found" if fault == "missing" else "corrupted or was replaced"
        with pytest.raises(ModelLoadError, match=expected):
            load_model(CHAMPION, tracking_uri=registry_store["tracking"])
        svc = make_service(
            inject_model=False,
            model_uri=CHAMPION,
            mlflow_tracking_uri=registry_store["tracking"],
        )
        ready = svc.client.get("/readyz")
        assert ready.status_code == 503
        reasons = ready.json()["reasons"]
        assert "model not loaded" in reasons
        assert any(expected in r and "ArtifactIntegrityError" in r for r in reasons), reasons
        r = svc.client.post("/v1/score", json={"text": "x hit y"}, headers=svc.h("screener"))
        assert r.status_code == 503 and r.json()["error"]["code"] == "no_model"
        assert no_unpickling == []
    finally:
        artifact.write_bytes(original)


def test_an_interrupted_training_run_promotes_nothing(
    registry_store: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import mlflow

    from training import registry
    from training.workflows import train_and_register

    before = registry.get_alias_version()
    latest_before = registry.latest_version()

    def crash(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt("killed while tagging the new version")

    # The version is registered, then the run dies before its digest and metrics are
    # recorded on it: the half-registered version must not become champion.
    monkeypatch.setattr(mlflow.MlflowClient, "set_model_version_tag", crash)
    with pytest.raises(KeyboardInterrupt):
        train_and_register(
            registry_store["frame"],
            data_path=registry_store["data_path"],
            config=registry_store["config"],
        )
    monkeypatch.undo()
    assert registry.get_alias_version() == before == registry_store["version"]
    half = registry.latest_version()
    assert half is not None and int(half) == int(latest_before or 0) + 1
    assert "artifact_sha256" not in registry.version_details(half)["tags"]
    m = load_model(CHAMPION, tracking_uri=registry_store["tracking"])
    assert m.version == before
