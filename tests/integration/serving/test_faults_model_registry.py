"""Faults around the model: a corrupted or missing artifact is refused before anything is
unpickled, and the service says why; an interrupted training run promotes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from serving.model_store import ModelLoadError, load_model
from tests.utils.serving import MakeService

pytestmark = pytest.mark.slow
CHAMPION = "models:/concern-screener@champion"


@pytest.fixture(scope="module")
def registry_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A temporary MLflow store with one tiny model registered and made @champion."""
    from training.config import TrainConfig
    from training.data.generate import generate_frame
    from training.lifecycle import registry
    from training.lifecycle.workflows import train_and_register
    from training.settings import get_settings as training_settings

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

    from training.lifecycle import registry
    from training.lifecycle.workflows import train_and_register

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


UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens, connections refused


@pytest.mark.timeout(120)  # without retries it answers at once; a hang fails here
def test_an_unreachable_registry_is_refused_without_retries_and_clearly(
    registry_store: dict[str, Any],
) -> None:
    with pytest.raises(ModelLoadError, match="could not load models:/concern-screener@champion"):
        load_model(CHAMPION, tracking_uri=UNREACHABLE, registry_max_retries=0)


def test_the_last_known_good_copy_serves_when_the_registry_is_unreachable(
    registry_store: dict[str, Any], make_service: MakeService, tmp_path: Path
) -> None:
    cache = tmp_path / "model-cache"
    good = load_model(CHAMPION, tracking_uri=registry_store["tracking"], cache_dir=cache)
    assert good.source == "registry"
    with pytest.raises(ModelLoadError, match="could not load"):
        load_model(CHAMPION, tracking_uri=UNREACHABLE, cache_dir=cache, registry_max_retries=0)

    served = load_model(
        CHAMPION,
        tracking_uri=UNREACHABLE,
        cache_dir=cache,
        fallback="last_known_good",
        registry_max_retries=0,
    )
    assert served.source == "last_known_good" and served.version == good.version
    assert "could not load" in (served.fallback_reason or "")
    text = "Dad hit her with a belt, bruising seen."
    assert served.scorer.score_records([text], [None])[0].score == pytest.approx(
        good.scorer.score_records([text], [None])[0].score
    )

    svc = make_service(
        inject_model=False,
        model_uri=CHAMPION,
        mlflow_tracking_uri=UNREACHABLE,
        model_cache_dir=str(cache),
        model_fallback="last_known_good",
        registry_max_retries=0,
    )
    ready = svc.client.get("/readyz")
    assert ready.status_code == 200, ready.json()
    assert any("last-known-good" in w for w in ready.json()["warnings"])
    info = svc.client.get("/v1/model", headers=svc.h("auditor")).json()
    assert info["source"] == "last_known_good" and info["version"] == good.version
    r = svc.client.post("/v1/score", json={"text": text}, headers=svc.h("screener"))
    assert r.status_code == 200 and r.json()["model"]["version"] == good.version


def test_a_damaged_last_known_good_copy_is_refused_before_unpickling(
    registry_store: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import joblib

    cache = tmp_path / "model-cache"
    load_model(CHAMPION, tracking_uri=registry_store["tracking"], cache_dir=cache)
    [copy] = list(cache.rglob("screener.joblib"))
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    calls: list[str] = []
    monkeypatch.setattr(joblib, "load", lambda *a, **k: calls.append("load"))
    with pytest.raises(ModelLoadError, match="last-known-good copy is unusable.*corrupted"):
        load_model(
            CHAMPION,
            tracking_uri=UNREACHABLE,
            cache_dir=cache,
            fallback="last_known_good",
            registry_max_retries=0,
        )
    assert calls == []


def test_a_damaged_registry_artifact_is_not_papered_over_by_the_copy(
    registry_store: dict[str, Any], tmp_path: Path
) -> None:
    cache = tmp_path / "model-cache"
    load_model(CHAMPION, tracking_uri=registry_store["tracking"], cache_dir=cache)
    artifact: Path = registry_store["artifact"]
    original = artifact.read_bytes()
    try:
        artifact.write_bytes(original[: len(original) // 2])
        with pytest.raises(ModelLoadError, match="corrupted or was replaced"):
            load_model(
                CHAMPION,
                tracking_uri=registry_store["tracking"],
                cache_dir=cache,
                fallback="last_known_good",
            )
    finally:
        artifact.write_bytes(original)
