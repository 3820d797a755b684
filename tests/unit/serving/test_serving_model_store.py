from __future__ import annotations

import threading
from pathlib import Path

import pytest

from serving.model_store import (
    LoadedModel,
    ModelLoadError,
    ModelRefusedError,
    ModelStore,
    Scorer,
    load_model,
)
from serving.testing import FLOOR_SAYS, FakeScorer, fake_loaded_model


def test_fake_uri_loads_the_fake_scorer() -> None:
    m = load_model("fake:?version=5&cost_ms=0", tracking_uri="sqlite:///unused.db")
    assert m.version == "5" and isinstance(m.scorer, Scorer)
    [rec] = m.scorer.score_records(["no bruise seen"], [None])
    assert 0 <= rec.score <= 1 and 1 <= rec.priority <= 10


def test_reload_builds_then_swaps_and_keeps_old_model_for_holders() -> None:
    versions = iter(["2", "3"])
    store = ModelStore(lambda: fake_loaded_model(version=next(versions)), model=fake_loaded_model())
    held = store.current
    assert store.reload().version == "2"
    assert held is not None and held.version == "1"  # a request in flight keeps its model
    assert store.current is not None and store.current.version == "2"


def test_failed_reload_keeps_serving_the_old_model() -> None:
    def broken() -> LoadedModel:
        raise RuntimeError("registry down")

    store = ModelStore(broken, model=fake_loaded_model())
    with pytest.raises(ModelLoadError):
        store.reload()
    assert store.current is not None and store.current.version == "1"
    assert store.last_error and "registry down" in store.last_error


def test_a_new_model_scores_once_before_it_serves_and_is_refused_if_it_cannot() -> None:
    warmed = fake_loaded_model(version="2")
    store = ModelStore(lambda: warmed, model=fake_loaded_model())
    store.reload()
    assert isinstance(warmed.scorer, FakeScorer) and warmed.scorer.calls == 1

    class Broken(FakeScorer):
        def score_records(self, texts, sources):  # type: ignore[no-untyped-def]
            raise ValueError("cannot score")

    broken = fake_loaded_model(version="3")
    broken.scorer = Broken()
    store = ModelStore(lambda: broken, model=fake_loaded_model())
    with pytest.raises(ModelLoadError, match="warm-up"):
        store.reload()
    assert store.current is not None and store.current.version == "1"


def test_reloads_are_serialised() -> None:
    active = {"now": 0, "max": 0}
    lock = threading.Lock()

    def slow() -> LoadedModel:
        with lock:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        threading.Event().wait(0.01)
        with lock:
            active["now"] -= 1
        return fake_loaded_model()

    store = ModelStore(slow)
    threads = [threading.Thread(target=store.reload) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert active["max"] == 1


def test_mlflow_failures_become_model_load_errors(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import serving.model_store as ms

    def boom(uri: str, **kwargs: object) -> LoadedModel:
        raise OSError("no such registry")

    monkeypatch.setattr(ms, "_load_from_registry", boom)
    with pytest.raises(ModelLoadError, match="no such registry") as caught:
        load_model("models:/concern-screener@champion", tracking_uri="sqlite:///x.db")
    assert not isinstance(caught.value, ModelRefusedError)


def test_a_model_that_fails_verification_is_refused_and_never_replaced_by_the_copy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import serving.model_store as ms
    from training.model.signing import SignatureError

    def tampered(uri: str, **kwargs: object) -> LoadedModel:
        raise SignatureError("the model signature does not verify under key abc")

    def copy(*args: object, **kwargs: object) -> LoadedModel:
        raise AssertionError("fell back to the last-known-good copy")

    monkeypatch.setattr(ms, "_load_from_registry", tampered)
    monkeypatch.setattr(ms, "load_last_known_good", copy)
    with pytest.raises(ModelRefusedError, match="does not verify"):
        load_model(
            "models:/concern-screener@champion",
            tracking_uri="sqlite:///x.db",
            cache_dir=tmp_path,
            fallback="last_known_good",
        )


def test_a_refused_reload_keeps_the_old_model_and_says_it_was_refused() -> None:
    def refused() -> LoadedModel:
        raise ModelRefusedError("model files differ from the signed manifest: MLmodel")

    store = ModelStore(refused, model=fake_loaded_model())
    with pytest.raises(ModelRefusedError):
        store.reload()
    assert store.current is not None and store.current.version == "1"
    assert store.last_error and "signed manifest" in store.last_error


def test_only_registered_versions_are_served() -> None:
    with pytest.raises(ModelLoadError, match="registered versions only"):
        load_model("runs:/abc/model", tracking_uri="sqlite:///x.db")


def test_fake_scorer_is_deterministic_and_negation_aware() -> None:
    s = FakeScorer()
    a, b = s.score_records(["dad hit her", "dad did not hit her"], ["police", None])
    assert a.score > b.score
    assert [i.negated for i in b.indicators] == [True]
    assert s.score_records(["dad hit her"], [None])[0] == a


def test_fake_scorer_puts_guidance_beside_the_score_driven_by_words() -> None:
    plain, baby, unhurt, disclosed = FakeScorer().score_records(
        [
            "dad hit her",
            "a bruise on the baby, mum happy and fine",
            "the baby is well, no bruise seen",
            "she disclosed it",
        ],
        [None] * 4,
    )
    # No guidance word: the level agrees with the score (P(level 3-4) is the score).
    assert plain.level is not None and sum(plain.level_probabilities) == pytest.approx(1)
    assert sum(plain.level_probabilities[2:]) == pytest.approx(plain.score)
    assert not plain.differs and plain.floor is None
    # A baby with an injury: floored to high, priority 9; the score stays low; they differ.
    assert baby.floor == FLOOR_SAYS and (baby.band, baby.priority) == ("high", 9)
    assert baby.score < 0.3 and baby.level == 4 and baby.differs
    # A negated injury triggers no floor; a disclosure raises the level alone.
    assert unhurt.floor is None and unhurt.band == "low"
    assert disclosed.differs and disclosed.floor is None and disclosed.explanation == ()


def test_fake_scorer_without_guidance_answers_like_an_old_model() -> None:
    [old] = FakeScorer(guidance=False).score_records(["a bruise on the baby"], [None])
    [new] = FakeScorer().score_records(["a bruise on the baby"], [None])
    assert (old.level, old.level_probabilities, old.differs, old.floor) == (None, (), False, None)
    assert old.score == new.score and old.explanation == new.explanation
