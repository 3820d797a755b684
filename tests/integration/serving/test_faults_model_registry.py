"""Faults and attacks around the model: a corrupted, missing, swapped or added file of a
registered version is refused before anything is unpickled (the signed manifest on the
registry version is the trust root, not ``MLmodel``), at start and on reload, where the old
model keeps serving and the reload answers; the service says why; an interrupted training
run promotes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from serving.model_store import ModelLoadError, load_model
from tests.utils.serving import TEXT, MakeService
from tests.utils.signing import (
    ARTIFACT,
    SIGNING_ENV,
    SIGNING_KEY,
    append_null_byte,
    plant_code,
    plant_pickled_wrapper,
    restored,
    swap_in_a_lenient_model,
    swap_the_cached_copy,
)

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
    mp.setenv(SIGNING_ENV, SIGNING_KEY)
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
    assert artifact.relative_to(artifact.parent.parent).as_posix() == ARTIFACT
    yield {
        "tracking": tracking,
        "frame": frame,
        "data_path": data_path,
        "config": config,
        "version": outcome.version,
        "artifact": artifact,
        "folder": artifact.parent.parent,
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
        expected = f"{ARTIFACT} missing" if fault == "missing" else "changed after registration"
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
    with pytest.raises(ModelLoadError, match="last-known-good copy is unusable.*screener.joblib"):
        _the_copy(cache)
    assert calls == []


def _the_copy(cache: Path) -> Any:
    """The model as the service loads it when the registry cannot be reached."""
    return load_model(
        CHAMPION,
        tracking_uri=UNREACHABLE,
        cache_dir=cache,
        fallback="last_known_good",
        registry_max_retries=0,
    )


def test_a_damaged_registry_artifact_is_not_papered_over_by_the_copy(
    registry_store: dict[str, Any], tmp_path: Path
) -> None:
    cache = tmp_path / "model-cache"
    load_model(CHAMPION, tracking_uri=registry_store["tracking"], cache_dir=cache)
    artifact: Path = registry_store["artifact"]
    original = artifact.read_bytes()
    try:
        artifact.write_bytes(original[: len(original) // 2])
        with pytest.raises(ModelLoadError, match="changed after registration"):
            load_model(
                CHAMPION,
                tracking_uri=registry_store["tracking"],
                cache_dir=cache,
                fallback="last_known_good",
            )
    finally:
        artifact.write_bytes(original)


# -- the attacks of issue 18 --------------------------------------------------------------


def _serving(make_service: MakeService, store: dict[str, Any], **overrides: Any) -> Any:
    return make_service(
        inject_model=False,
        model_uri=CHAMPION,
        mlflow_tracking_uri=store["tracking"],
        **overrides,
    )


def _scored(svc: Any) -> tuple[str, float, int, str]:
    r = svc.client.post("/v1/score", json={"text": STRANGLED}, headers=svc.h("screener"))
    assert r.status_code == 200, r.text
    body = r.json()
    return body["model"]["version"], body["score"], body["priority"], body["band"]


#: The contact issue 18 scored with the swapped model (priority 1, band low).
STRANGLED = "Mum says dad strangled the baby until she went limp and was unconscious."


def test_a_swapped_model_with_its_digest_rewritten_in_mlmodel_is_refused_at_start(
    registry_store: dict[str, Any], make_service: MakeService
) -> None:
    with restored(registry_store["folder"]) as folder:
        swap_in_a_lenient_model(folder)
        with pytest.raises(ModelLoadError, match=f"{ARTIFACT} changed after registration"):
            load_model(CHAMPION, tracking_uri=registry_store["tracking"])
        svc = _serving(make_service, registry_store)
        ready = svc.client.get("/readyz")
        assert ready.status_code == 503
        assert any(ARTIFACT in r for r in ready.json()["reasons"]), ready.json()
        r = svc.client.post("/v1/score", json={"text": STRANGLED}, headers=svc.h("screener"))
        assert r.status_code == 503 and r.json()["error"]["code"] == "no_model"


def test_a_swapped_model_is_refused_on_reload_and_the_old_one_keeps_serving(
    registry_store: dict[str, Any], make_service: MakeService
) -> None:
    svc = _serving(make_service, registry_store)
    before = _scored(svc)
    with restored(registry_store["folder"]) as folder:
        swap_in_a_lenient_model(folder)
        r = svc.client.post("/v1/admin/reload", headers=svc.h("admin"))
        assert r.status_code == 503, r.text
        error = r.json()["error"]
        assert error["code"] == "model_refused" and ARTIFACT in error["message"]
        assert "previous one still serves" in error["message"]
        assert _scored(svc) == before


@pytest.mark.parametrize("plant", ["pickled_wrapper", "model_code"])
def test_planted_code_never_runs_at_start_or_on_reload(
    registry_store: dict[str, Any], make_service: MakeService, tmp_path: Path, plant: str
) -> None:
    marker = tmp_path / "pwned"
    svc = _serving(make_service, registry_store)
    before = _scored(svc)
    with restored(registry_store["folder"]) as folder:
        if plant == "pickled_wrapper":
            plant_pickled_wrapper(folder, marker)
        else:
            plant_code(folder, marker)
        r = svc.client.post("/v1/admin/reload", headers=svc.h("admin"))
        assert not marker.exists()
        assert r.status_code == 503 and r.json()["error"]["code"] == "model_refused", r.text
        with pytest.raises(ModelLoadError, match="refusing the model"):
            load_model(CHAMPION, tracking_uri=registry_store["tracking"])
        assert not marker.exists()
        assert _scored(svc) == before


@pytest.mark.timeout(120)
@pytest.mark.parametrize("target", ["joblib", "python_model"])
def test_a_byte_appended_is_refused_promptly_on_reload_and_the_old_model_serves(
    registry_store: dict[str, Any], make_service: MakeService, target: str
) -> None:
    import time

    import joblib

    svc = _serving(make_service, registry_store)
    before = _scored(svc)
    unpickled: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        # Unpickling this file exhausted memory (the worker was killed without a line):
        # refuse rather than let it happen here.
        unpickled.append("joblib.load")
        raise AssertionError("unpickled an unverified artifact")

    with restored(registry_store["folder"]) as folder, pytest.MonkeyPatch.context() as mp:
        mp.setattr(joblib, "load", refuse)
        if target == "joblib":
            rel = ARTIFACT
        else:  # the pickled wrapper of old, or the model's code now
            [rel] = [p.name for p in folder.iterdir() if p.suffix in {".pkl", ".py"}]
        append_null_byte(folder, rel)
        started = time.perf_counter()
        r = svc.client.post("/v1/admin/reload", headers=svc.h("admin"))
        seconds = time.perf_counter() - started
        assert unpickled == []
        assert r.status_code == 503 and r.json()["error"]["code"] == "model_refused", r.text
        assert rel in r.json()["error"]["message"]
        assert seconds < 30
        assert unpickled == []
    assert _scored(svc) == before


def test_a_last_known_good_copy_with_its_record_rewritten_is_refused(
    registry_store: dict[str, Any], tmp_path: Path
) -> None:
    cache = tmp_path / "model-cache"
    load_model(CHAMPION, tracking_uri=registry_store["tracking"], cache_dir=cache)
    [slot] = [p for p in cache.iterdir() if (p / "meta.json").exists()]
    swap_the_cached_copy(slot)
    with pytest.raises(ModelLoadError, match="last-known-good copy is unusable"):
        _the_copy(cache)


def test_an_unsigned_version_is_refused_unless_unsigned_models_are_allowed(
    registry_store: dict[str, Any], make_service: MakeService
) -> None:
    from mlflow import MlflowClient

    from training.model.signing import SIGNATURE_TAG

    client = MlflowClient(tracking_uri=registry_store["tracking"])
    version = registry_store["version"]
    signature = client.get_model_version("concern-screener", version).tags[SIGNATURE_TAG]
    client.delete_model_version_tag("concern-screener", version, SIGNATURE_TAG)
    try:
        with pytest.raises(ModelLoadError, match="is not signed"):
            load_model(CHAMPION, tracking_uri=registry_store["tracking"])
        svc = _serving(make_service, registry_store)
        assert any("is not signed" in r for r in svc.client.get("/readyz").json()["reasons"])
        allowed = _serving(make_service, registry_store, model_require_signature=False)
        assert _scored(allowed)[0] == version
        assert allowed.client.get("/readyz").status_code == 200
    finally:
        client.set_model_version_tag("concern-screener", version, SIGNATURE_TAG, signature)


def test_without_the_signing_key_the_service_refuses_the_model(
    registry_store: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from training.secrets import KeyRing

    monkeypatch.delenv(SIGNING_ENV)
    with pytest.raises(ModelLoadError, match="no model-signing key is configured"):
        load_model(CHAMPION, tracking_uri=registry_store["tracking"])
    # A ring the deployment resolved another way (the service's settings) can be given.
    ring = KeyRing("model_signing", (SIGNING_KEY.encode(),), "settings")
    m = load_model(CHAMPION, tracking_uri=registry_store["tracking"], signing_ring=lambda: ring)
    assert m.verification is not None and m.verification.kind == "signed"
    monkeypatch.setenv(SIGNING_ENV, "another-deployments-key-000000000000000000")
    with pytest.raises(ModelLoadError, match="does not verify"):
        load_model(CHAMPION, tracking_uri=registry_store["tracking"])


def test_a_version_with_a_pickled_wrapper_loads_its_joblib_alone_when_unsigned_is_allowed(
    registry_store: dict[str, Any], tmp_path: Path
) -> None:
    """Versions registered before signing (a pickled wrapper, the joblib digest on the
    version) keep loading where unsigned models are allowed, without the wrapper."""
    import mlflow

    from tests.utils.signing import marker_pickle, sha256
    from training.lifecycle import registry
    from training.model.pyfunc import ARTIFACT_KEY, ConcernScreenerPyfunc

    artifact: Path = registry_store["artifact"]
    digest = sha256(artifact)
    registry.configure()
    with mlflow.start_run():
        info = mlflow.pyfunc.log_model(
            name="model",
            python_model=ConcernScreenerPyfunc(),
            artifacts={ARTIFACT_KEY: str(artifact)},
            model_config={"artifact_sha256": digest},
            registered_model_name="concern-screener",
        )
    legacy = str(info.registered_model_version)
    registry.set_version_tags(legacy, {"artifact_sha256": digest})
    [wrapper] = list(
        (Path(registry_store["data_path"]).parent / "artifacts").rglob("python_model.pkl")
    )
    marker = tmp_path / "pwned"
    wrapper.write_bytes(marker_pickle(marker))
    uri = f"models:/concern-screener/{legacy}"
    with pytest.raises(ModelLoadError, match="no signed manifest"):
        load_model(uri, tracking_uri=registry_store["tracking"])
    m = load_model(uri, tracking_uri=registry_store["tracking"], require_signature=False)
    assert m.version == legacy and 0 <= m.scorer.score_records([TEXT], [None])[0].score <= 1
    assert not marker.exists()
