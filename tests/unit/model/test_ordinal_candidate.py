"""The ordinal candidate: one weight vector over every step of the outcome scale, its
solver, and exact explanations of the met cut's logit."""

import numpy as np
import pytest

from tests.utils.model import served_logit, sp_csr, training_frame
from training.config import TrainConfig
from training.lifecycle.train import train_model


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
    analysed, X = model.featurize([text], ["police"])
    assert logit == pytest.approx(float(served_logit(model, X, analysed)[0]), abs=1e-6)
    # An asserted serious indicator never lowers a score: its weights are 0 or above.
    mask = model.features.nonnegative_columns()
    assert mask.sum() > 10 and (model.explainer.coef[mask] >= 0.0).all()
    names = model.features.get_feature_names_out()[mask]
    assert "level:4:asserted" in names and "level:4:negated" not in names


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
    stacked = sp.vstack(
        [sp.hstack([X, sp.csr_matrix(np.tile(eye[k].toarray(), (n, 1)))]) for k in range(len(cuts))]
    )
    reference = LogisticRegression(
        C=2.0, solver="liblinear", fit_intercept=False, tol=1e-10, max_iter=10_000
    ).fit(stacked, targets.T.ravel().astype(int))
    assert 1 < steps < 200
    assert np.allclose(w, reference.coef_.ravel()[:d], atol=1e-4)
    assert np.allclose(b, reference.coef_.ravel()[d:], atol=1e-4)
    # Deterministic: the same fit twice gives the same weights, bit for bit.
    again, _, _ = fit_proportional_odds(X, targets, C=2.0, tol=1e-8, max_iter=200)
    assert np.array_equal(w, again)


def test_the_ordinal_solver_works_on_its_own_sorted_copy_of_an_unsorted_matrix():
    """liblinear sorts a shared matrix's indices in place; the ordinal solver, fitting beside
    it, must not share an unsorted structure that can move underneath it."""
    import scipy.sparse as sp

    from training.model.ordinal import fit_proportional_odds

    rng = np.random.default_rng(2)
    dense = rng.random((300, 12)) * (rng.random((300, 12)) < 0.4)
    coo = sp.coo_matrix(dense)
    order = rng.permutation(coo.nnz)  # rows keep their entries, in shuffled column order
    unsorted = sp.csr_matrix((coo.data[order], (coo.row[order], coo.col[order])), shape=dense.shape)
    unsorted.has_sorted_indices = False
    before = unsorted.indices.copy()
    targets = np.stack([dense.sum(1) > q for q in (1.0, 2.0, 3.0)], axis=1)
    w_unsorted, b_unsorted, _ = fit_proportional_odds(unsorted, targets)
    assert np.array_equal(unsorted.indices, before)  # the caller's matrix is left as it was
    w_sorted, b_sorted, _ = fit_proportional_odds(sp.csr_matrix(dense), targets)
    assert np.allclose(w_unsorted, w_sorted, atol=1e-9) and np.allclose(
        b_unsorted, b_sorted, atol=1e-9
    )


def test_weights_held_nonnegative_stay_so_and_the_rest_find_their_optimum():
    """A feature pushed negative by the data is held at 0 where it must never lower the
    score; the free weights still move toward the truth, and without the bound the same
    feature goes negative."""
    from training.model.ordinal import OrdinalLogisticRegression

    rng = np.random.default_rng(12)
    n = 4000
    X = rng.normal(size=(n, 5))
    latent = X @ np.array([1.2, -0.8, 0.0, 0.5, -1.0]) + rng.logistic(size=n)
    ranks = np.digitize(latent, [-1.0, 0.0, 1.0, 2.0])
    free = OrdinalLogisticRegression(C=10.0).fit(sp_csr(X), ranks)
    assert free.coef_.ravel()[4] < -0.5
    mask = np.array([False, False, False, False, True])
    held = OrdinalLogisticRegression(C=10.0, nonnegative=mask).fit(sp_csr(X), ranks)
    w = held.coef_.ravel()
    assert w[4] >= 0.0 and abs(w[4]) < 1e-9
    assert w[0] > 0.8 and w[1] < -0.5
    # the constrained optimum: no feasible nudge of a free weight lowers the objective
    assert np.allclose(w[:4], free.coef_.ravel()[:4], atol=0.3)


def _ranked_contacts(seed: int, n: int = 1500, d: int = 30):
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    X = sp.random(n, d, density=0.25, random_state=seed, format="csr", dtype=np.float64)
    latent = X @ rng.normal(size=d) + rng.logistic(size=n)
    return X, np.digitize(latent, np.quantile(latent, [0.3, 0.5, 0.75, 0.9]))


def test_cut_weights_of_one_fit_bit_for_bit_as_no_cut_weights():
    from training.model.ordinal import OrdinalLogisticRegression

    X, ranks = _ranked_contacts(5)
    plain = OrdinalLogisticRegression(C=2.0).fit(X, ranks)
    ones = OrdinalLogisticRegression(C=2.0, cut_weights=(1.0, 1.0, 1.0, 1.0)).fit(X, ranks)
    assert np.array_equal(plain.coef_, ones.coef_)
    assert plain.thresholds_ == ones.thresholds_ and plain.n_iter_ == ones.n_iter_


def test_a_cut_weighted_zero_leaves_the_shared_weights_as_leaving_the_cut_out_does():
    from training.model.ordinal import OrdinalLogisticRegression, fit_proportional_odds

    X, ranks = _ranked_contacts(6)
    targets = np.stack([ranks >= c for c in (1, 2, 3, 4)], axis=1)
    w_out, b_out, _ = fit_proportional_odds(X, targets[:, 2:], C=2.0, tol=1e-8, max_iter=200)
    w_zero, b_zero, _ = fit_proportional_odds(
        X, targets, C=2.0, tol=1e-8, max_iter=200, cut_weight=[0.0, 0.0, 1.0, 1.0]
    )
    assert np.allclose(w_zero, w_out, atol=1e-6)
    assert np.allclose(b_zero[2:], b_out, atol=1e-6) and np.allclose(b_zero[:2], 0.0)
    # Between 0 and 1 the early steps pull on the shared weights, less than at 1.
    w_full, _, _ = fit_proportional_odds(X, targets, C=2.0, tol=1e-8, max_iter=200)
    w_part, _, _ = fit_proportional_odds(
        X, targets, C=2.0, tol=1e-8, max_iter=200, cut_weight=[0.3, 0.3, 1.0, 1.0]
    )
    assert np.linalg.norm(w_part - w_out) < np.linalg.norm(w_full - w_out)
    assert np.linalg.norm(w_part - w_full) < np.linalg.norm(w_out - w_full)
    # The estimator: weight 0 on cuts 1-2 scores the met cut as cuts (3, 4) alone do.
    zero = OrdinalLogisticRegression(C=2.0, tol=1e-8, max_iter=200, cut_weights=(0, 0, 1, 1))
    only = OrdinalLogisticRegression(C=2.0, tol=1e-8, max_iter=200, cuts=(3, 4))
    assert np.allclose(
        zero.fit(X, ranks).decision_function(X), only.fit(X, ranks).decision_function(X), atol=1e-5
    )


def test_cut_weights_follow_the_estimator_contract_and_are_checked_at_fit():
    import pickle

    from sklearn.base import clone

    from training.model.ordinal import OrdinalLogisticRegression

    X, ranks = _ranked_contacts(8, n=600)
    est = OrdinalLogisticRegression(cut_weights=(0.3, 0.3, 1.0, 1.0))
    assert clone(est).get_params()["cut_weights"] == (0.3, 0.3, 1.0, 1.0)
    by_init = est.fit(X, ranks)
    by_set = OrdinalLogisticRegression().set_params(cut_weights=(0.3, 0.3, 1.0, 1.0)).fit(X, ranks)
    assert np.array_equal(by_init.coef_, by_set.coef_)
    assert np.array_equal(pickle.loads(pickle.dumps(by_init)).coef_, by_init.coef_)
    with pytest.raises(ValueError, match="one weight per cut"):
        OrdinalLogisticRegression(cut_weights=(0.5, 1.0, 1.0)).fit(X, ranks)
    with pytest.raises(ValueError, match="met cut 3"):
        OrdinalLogisticRegression(cut_weights=(1.0, 1.0, 0.0, 1.0)).fit(X, ranks)
    with pytest.raises(ValueError, match="0 or above"):
        OrdinalLogisticRegression(cut_weights=(-0.5, 1.0, 1.0, 1.0)).fit(X, ranks)
