import numpy as np
import pandas as pd
import pytest

from training.config import TrainConfig
from training.lifecycle.train import train_model


def training_frame(n=600, seed=3):
    rng = np.random.default_rng(seed)
    parts = {
        "hit": "Dad hit him and there is a bruise on his cheek.",
        "neg": "No bruising seen and no marks, child happy.",
        "da": "Police attended a DV incident, the children were present.",
        "ok": "Good attendance at school, supportive family.",
    }
    keys = rng.choice(list(parts), n)
    texts = [parts[k] + (" Mum is worried." if rng.random() < 0.5 else "") for k in keys]
    p = np.array([{"hit": 0.8, "neg": 0.15, "da": 0.6, "ok": 0.05}[k] for k in keys])
    return pd.DataFrame(
        {
            "contact_id": [f"C{i:05d}" for i in range(n)],
            "received_at": pd.date_range("2024-01-01", periods=n, freq="h"),
            "source": rng.choice(["police", "school", "health"], n),
            "text": texts,
            "outcome": np.where(rng.random(n) < p, "referral", "advice"),
            "p_true": p,
        }
    )


@pytest.fixture(scope="module")
def model():
    config = TrainConfig().with_overrides(
        {"candidates.names": ["logreg_words_chars", "sgd_modified_huber"], "features.word_min_df": 1, "evaluation.n_boot": 5}
    )
    return train_model(training_frame(), config).model


def test_linear_explanation_is_exact(model):
    text = "Dad hit him, there is a bruise. No marks on his sister."
    intercept, phrases, logit = model.explain(text, "police")
    _, X = model.featurize([text], ["police"])
    # Features are float32: the classifier's own logit agrees to float32 precision.
    assert logit == pytest.approx(float(model.classifier.decision_function(X)[0]), rel=1e-6, abs=1e-6)
    assert intercept + sum(p.weight for p in phrases) == pytest.approx(logit, abs=1e-6)


def test_explanation_spans_point_into_the_original_text(model):
    text = "Police attended a DV incident; the children were present. Dad hit him."
    record = model.score_records([text], ["police"])[0]
    assert record.explanation
    for phrase in record.explanation:
        for start, end in phrase.spans:
            assert 0 <= start < end <= len(text)


def test_scores_priorities_and_bands_are_consistent(model):
    texts = training_frame(50, seed=9)["text"].tolist()
    records = model.score_records(texts, ["school"] * len(texts))
    for r in records:
        assert 0.0 <= r.score <= 1.0
        assert 1 <= r.priority <= 10
        lo, hi = model.band_cuts
        assert r.band == ("high" if r.score >= hi else "medium" if r.score >= lo else "low")
    scores = np.array([r.score for r in records])
    prios = np.array([r.priority for r in records])
    order = np.argsort(scores)
    assert np.all(np.diff(prios[order]) >= 0)


def test_assertion_scores_above_denial(model):
    hit, denial = model.score_records(
        ["Dad hit him and there is a bruise on his cheek.", "No bruising seen and no marks, child happy."]
    )
    assert hit.score > denial.score


def test_predict_frame_follows_the_pyfunc_contract(model):
    out = model.predict_frame(pd.DataFrame({"text": ["Dad hit him."]}))
    assert {"score", "priority", "band", "explanation", "indicators"} <= set(out.columns)
    assert isinstance(out.loc[0, "explanation"], list)


def test_fast_scoring_path_equals_the_classifier_and_calibrator_in_turn(model):
    texts = training_frame(40, seed=11)["text"].tolist()
    _, X = model.featurize(texts, ["health"] * len(texts))
    assert model.explanation_exact
    expected = model.calibrator.predict(model.classifier.decision_function(X))
    assert np.allclose(model.score_matrix(X), expected)


@pytest.mark.parametrize("n", [1, 7, 120])
def test_row_by_row_scoring_matches_the_feature_matrix(model, n):
    """For a few contacts score_records builds no sparse matrix (a larger batch goes
    through the vectorisers): either way the rows, logits and calibrated scores are the
    matrix path's, for one contact, a few and a large batch."""
    frame = training_frame(n, seed=21)
    texts = [t + (" Nan says brusing on her arm." if i % 3 else "") for i, t in enumerate(frame["text"])]
    sources = [None if i % 4 == 0 else s for i, s in enumerate(frame["source"])]
    analysed, X = model.featurize(texts, sources)
    rows = model.features.rows(analysed)
    dense = X.toarray()
    for i, row in enumerate(rows):
        got = np.zeros(X.shape[1], dtype=np.float32)
        got[row.indices] = row.data
        assert np.allclose(got, dense[i], rtol=1e-5, atol=1e-7)
    records = model.score_records(texts, sources)
    expected = model.calibrator.predict(model.classifier.decision_function(X))
    assert np.allclose([r.score for r in records], expected, rtol=1e-6, atol=1e-9)
    decision = model.classifier.decision_function(X)
    assert np.allclose([r.logit for r in records], decision, rtol=1e-5, atol=1e-6)
    assert all(r.logit is None for r in model.score_records(texts, sources, explain=False))


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
        assert (a.name, a.val_roc_auc, a.val_brier, a.selected) == (b.name, b.val_roc_auc, b.val_brier, b.selected)
    texts = training_frame(30, seed=8)["text"].tolist()
    assert [r.score for r in in_turn.model.score_records(texts)] == [
        r.score for r in side_by_side.model.score_records(texts)
    ]


@pytest.mark.parametrize("text_norm", ["median", "sqrt"])
def test_a_fitted_text_norm_keeps_the_explanation_exact_and_the_paths_equal(text_norm):
    config = TrainConfig().with_overrides(
        {
            "candidates.names": ["logreg_words_chars"],
            "features.word_min_df": 1,
            "features.text_norm": text_norm,
            "evaluation.n_boot": 5,
        }
    )
    model = train_model(training_frame(), config).model
    assert model.features.text_scales_ is not None
    text = "Dad hit him, there is a bruise. No marks on his sister. Mum is worried."
    intercept, phrases, logit = model.explain(text, "police")
    _, X = model.featurize([text], ["police"])
    assert logit == pytest.approx(float(model.classifier.decision_function(X)[0]), rel=1e-6, abs=1e-6)
    assert intercept + sum(p.weight for p in phrases) == pytest.approx(logit, abs=1e-6)
    texts = [text] * 3 + list(training_frame(80, seed=5)["text"])
    few = [r.score for r in model.score_records(texts[:3])]
    many = [r.score for r in model.score_records(texts)]
    assert np.allclose(few, many[:3], rtol=1e-6)


def test_the_ordinal_candidate_learns_from_every_step_and_explains_exactly():
    from training.model.ordinal import OrdinalLogisticRegression

    rng = np.random.default_rng(4)
    n, d = 3000, 6
    X = rng.normal(size=(n, d))
    latent = X @ np.array([1.5, -1.0, 0.5, 0.0, 0.0, 0.8]) + rng.logistic(size=n)
    ranks = np.digitize(latent, [-1.5, -0.5, 1.0, 2.5])  # 0..4, like the outcome scale
    clf = OrdinalLogisticRegression(C=10.0, cuts=(1, 2, 3, 4)).fit(sp_csr(X), ranks)
    assert clf.cuts_ == (1, 2, 3, 4)
    thresholds = [clf.thresholds_[c] for c in clf.cuts_]
    assert thresholds == sorted(thresholds, reverse=True)  # a higher step is rarer
    w = clf.coef_.ravel()
    assert w[0] > 1 and w[1] < -0.5 and abs(w[3]) < 0.2  # the true direction, up to noise
    met = (ranks >= 3).astype(int)
    z = clf.decision_function(sp_csr(X))
    assert np.allclose(z, X @ w + clf.intercept_[0])
    assert list(clf.classes_) == [0, 1, 2, 3, 4]
    proba = clf.predict_proba(sp_csr(X))
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert np.allclose(proba[:, clf.classes_ >= 3].sum(axis=1), 1 / (1 + np.exp(-z)))
    assert set(clf.predict(sp_csr(X))) <= set(clf.classes_)
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(met, z) > 0.8
    # An outcome scale with steps nobody reached: those cuts are dropped, the met cut stays.
    two = np.where(ranks >= 3, 3, 1)
    assert OrdinalLogisticRegression().fit(sp_csr(X), two).cuts_ == (2, 3)
    with pytest.raises(ValueError, match="met and not-met"):
        OrdinalLogisticRegression().fit(sp_csr(X), np.ones(n, dtype=int))


def test_the_ordinal_candidate_is_trained_on_outcome_ranks_and_served_exactly():
    config = TrainConfig().with_overrides(
        {"candidates.names": ["logreg_ordinal"], "features.word_min_df": 1, "evaluation.n_boot": 5}
    )
    frame = training_frame()
    rng = np.random.default_rng(9)
    # The below-threshold outcomes spread over the scale, as real ones do.
    frame["outcome"] = np.where(
        frame["outcome"] == "referral",
        np.where(rng.random(len(frame)) < 0.3, "child_protection", "referral"),
        rng.choice(["nfa", "advice", "early_help"], len(frame)),
    )
    result = train_model(frame, config)
    model = result.model
    assert model.candidate == "logreg_ordinal" and model.explanation_exact
    assert model.classifier.cuts_ == (1, 2, 3, 4)
    text = "Dad hit him, there is a bruise. No marks on his sister."
    intercept, phrases, logit = model.explain(text, "police")
    assert intercept + sum(p.weight for p in phrases) == pytest.approx(logit, abs=1e-6)
    _, X = model.featurize([text], ["police"])
    assert logit == pytest.approx(float(model.classifier.decision_function(X)[0]), abs=1e-6)


def test_the_ordinal_solver_finds_the_repeated_rows_logistic_regression_optimum():
    """The Newton solver minimises the objective liblinear minimised on each contact
    repeated once per cut (with a one-hot threshold column per cut), without the copies."""
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    from training.model.ordinal import fit_proportional_odds

    rng = np.random.default_rng(7)
    n, d = 2000, 40
    X = sp.random(n, d, density=0.2, random_state=3, format="csr", dtype=np.float64)
    latent = X @ rng.normal(size=d) + rng.logistic(size=n)
    ranks = np.digitize(latent, np.quantile(latent, [0.3, 0.5, 0.75, 0.9]))
    cuts = (1, 2, 3, 4)
    targets = np.stack([ranks >= c for c in cuts], axis=1)
    w, b, steps = fit_proportional_odds(X, targets, C=2.0, tol=1e-8, max_iter=200)
    eye = sp.eye(len(cuts), format="csr")
    stacked = sp.vstack([sp.hstack([X, sp.csr_matrix(np.tile(eye[k].toarray(), (n, 1)))]) for k in range(len(cuts))])
    reference = LogisticRegression(
        C=2.0, solver="liblinear", fit_intercept=False, tol=1e-10, max_iter=10_000
    ).fit(stacked, targets.T.ravel().astype(int))
    assert 1 < steps < 200
    assert np.allclose(w, reference.coef_.ravel()[:d], atol=1e-4)
    assert np.allclose(b, reference.coef_.ravel()[d:], atol=1e-4)
    # Deterministic: the same fit twice gives the same weights, bit for bit.
    again, _, _ = fit_proportional_odds(X, targets, C=2.0, tol=1e-8, max_iter=200)
    assert np.array_equal(w, again)


def sp_csr(X):
    import scipy.sparse as sp

    return sp.csr_matrix(X)


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


def test_a_large_batch_scored_in_two_processes_equals_one_process(model, monkeypatch):
    """The second half of a large batch is scored (analysed, featurised, explained) in a
    forked child; the records are those of one process, in order."""
    from dataclasses import replace

    import training.model.screener as pipeline_module

    texts = training_frame(300, seed=12)["text"].tolist()
    sources = ["police", None, "school"] * 100
    forks: list[int] = []
    real = pipeline_module.ScreenerModel._score_in_two

    def counting(self, *args):
        forks.append(1)
        return real(self, *args)

    monkeypatch.setattr(pipeline_module.ScreenerModel, "_score_in_two", counting)
    monkeypatch.setattr(pipeline_module, "scoring_processes", lambda n: 2 if n >= 256 else 1)
    two = model.score_records(texts, sources)
    assert forks == [1] and not pipeline_module._FORKED  # the fork happened, and let go
    monkeypatch.setattr(pipeline_module, "scoring_processes", lambda n: 1)
    # Exactly the two halves scored in one process, in order...
    assert two == model.score_records(texts[:150], sources[:150]) + model.score_records(
        texts[150:], sources[150:]
    )
    # ...and the whole batch in one process up to the last bit of a float (a batch's
    # composition moves a logit by 1e-16 at most, with or without the fork).
    one = model.score_records(texts, sources)
    assert [replace(r, score=0.0, logit=None) for r in two] == [
        replace(r, score=0.0, logit=None) for r in one
    ]
    assert np.allclose([r.score for r in two], [r.score for r in one], rtol=0, atol=1e-12)
    assert np.allclose([r.logit for r in two], [r.logit for r in one], rtol=0, atol=1e-12)


def test_the_ordinal_solver_works_on_its_own_sorted_copy_of_an_unsorted_matrix():
    """liblinear sorts a shared matrix's indices in place; the ordinal solver, fitting beside
    it, must not share an unsorted structure that can move underneath it."""
    import scipy.sparse as sp

    from training.model.ordinal import fit_proportional_odds

    rng = np.random.default_rng(2)
    dense = rng.random((300, 12)) * (rng.random((300, 12)) < 0.4)
    coo = sp.coo_matrix(dense)
    order = rng.permutation(coo.nnz)  # rows keep their entries, in shuffled column order
    unsorted = sp.csr_matrix(
        (coo.data[order], (coo.row[order], coo.col[order])), shape=dense.shape
    )
    unsorted.has_sorted_indices = False
    before = unsorted.indices.copy()
    targets = np.stack([dense.sum(1) > q for q in (1.0, 2.0, 3.0)], axis=1)
    w_unsorted, b_unsorted, _ = fit_proportional_odds(unsorted, targets)
    assert np.array_equal(unsorted.indices, before)  # the caller's matrix is left as it was
    w_sorted, b_sorted, _ = fit_proportional_odds(sp.csr_matrix(dense), targets)
    assert np.allclose(w_unsorted, w_sorted, atol=1e-9) and np.allclose(b_unsorted, b_sorted, atol=1e-9)
