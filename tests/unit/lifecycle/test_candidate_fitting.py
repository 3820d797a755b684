"""Fitting the candidates: side by side or in turn, the same models; liblinear never runs
twice at once."""

from tests.utils.model import training_frame
from training.config import TrainConfig
from training.lifecycle.train import train_model


def test_candidates_fitted_side_by_side_equal_those_fitted_in_turn(monkeypatch):
    import training.lifecycle.train as train_module

    config = TrainConfig().with_overrides({"features.word_min_df": 1, "evaluation.n_boot": 5})
    frame = training_frame(800, seed=5)
    monkeypatch.setattr(train_module.os, "cpu_count", lambda: 2)
    pools: list[int] = []
    real_pool = train_module.ThreadPoolExecutor
    monkeypatch.setattr(
        train_module, "ThreadPoolExecutor", lambda *a, **k: pools.append(1) or real_pool(*a, **k)
    )
    in_turn = train_model(frame, config)
    assert not pools  # a small set fits in turn
    monkeypatch.setattr(train_module, "PARALLEL_FROM_ROWS", 0)
    side_by_side = train_model(frame, config)
    assert pools == [1]
    assert [c.name for c in side_by_side.candidates] == list(config.candidates.names)
    for a, b in zip(in_turn.candidates, side_by_side.candidates, strict=True):
        assert (a.name, a.val_roc_auc, a.val_brier, a.selected) == (
            b.name,
            b.val_roc_auc,
            b.val_brier,
            b.selected,
        )
    texts = training_frame(30, seed=8)["text"].tolist()
    assert [r.score for r in in_turn.model.score_records(texts)] == [
        r.score for r in side_by_side.model.score_records(texts)
    ]


def test_liblinear_fits_never_run_side_by_side(monkeypatch):
    """liblinear's random generator is process-wide: two of its fits at once interleave
    their draws (20 of 20 concurrent pairs differed from the same fits in turn)."""
    import threading

    import training.lifecycle.train as train_module

    active, overlaps, held = [0], [0], []
    real = threading.Lock()

    class Recording:
        def __enter__(self):
            real.acquire()
            active[0] += 1
            overlaps[0] = max(overlaps[0], active[0])
            held.append(threading.current_thread().name)

        def __exit__(self, *exc):
            active[0] -= 1
            real.release()

    monkeypatch.setattr(train_module, "_LIBLINEAR_LOCK", Recording())
    monkeypatch.setattr(train_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(train_module, "PARALLEL_FROM_ROWS", 0)
    config = TrainConfig().with_overrides({"features.word_min_df": 1, "evaluation.n_boot": 5})
    train_model(training_frame(400, seed=6), config)
    assert len(held) == 1 and overlaps[0] == 1  # the ordinal fit has its own solver
