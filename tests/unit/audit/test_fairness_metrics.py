from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from tests.utils.audit import synthetic
from training.audit.fairness.metrics import (
    bootstrap_weights,
    group_frame,
    percentile_ci,
    weighted_auc,
    weighted_ece,
)
from training.audit.metrics import expected_calibration_error


def test_bootstrap_weights_are_draws_of_every_row_and_deterministic() -> None:
    w = bootstrap_weights(50, n_boot=30, seed=4)
    assert w.shape == (30, 50)
    np.testing.assert_array_equal(w.sum(axis=1), 50.0)
    assert np.all(w == np.round(w)) and np.all(w >= 0)
    np.testing.assert_array_equal(w, bootstrap_weights(50, n_boot=30, seed=4))


@pytest.mark.parametrize("ties", [False, True])
def test_weighted_auc_equals_sklearn_with_sample_weights(ties: bool) -> None:
    y, s, _ = synthetic(300, seed=12, ties=ties)
    w = bootstrap_weights(y.size, n_boot=25, seed=0)
    draws = weighted_auc(w, y.astype(np.int8), s)
    for b in range(w.shape[0]):
        assert draws[b] == pytest.approx(roc_auc_score(y, s, sample_weight=w[b]), abs=1e-12)


def test_weighted_auc_is_nan_when_a_resample_holds_one_class() -> None:
    y = np.array([0, 0, 1], dtype=np.int8)
    w = np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 1.0]])
    draws = weighted_auc(w, y, np.array([0.1, 0.4, 0.3]))
    assert np.isnan(draws[0]) and draws[1] == pytest.approx(1.0)


def test_weighted_ece_with_unit_weights_is_the_groups_ece() -> None:
    y, s, _ = synthetic(400, seed=13)
    draws = weighted_ece(np.ones((3, y.size)), y.astype(np.int8), s)
    np.testing.assert_allclose(draws, expected_calibration_error(y, s, n_bins=10), rtol=1e-12)


def test_group_frame_disaggregates_the_metrics_by_group() -> None:
    y, s, _ = synthetic(600, seed=14)
    groups = np.where(np.arange(y.size) % 3 == 0, "a", "b").astype(object)
    frame = group_frame(y.astype(np.int8), s, groups, threshold=0.25)
    a = groups == "a"
    assert frame.loc["a", "count"] == a.sum()
    assert frame.loc["b", "selection_rate"] == pytest.approx(np.mean(s[~a] >= 0.25))
    assert frame.loc["a", "auc"] == pytest.approx(roc_auc_score(y[a], s[a]))


def test_percentile_ci_needs_enough_defined_draws() -> None:
    draws = np.r_[np.linspace(0.0, 1.0, 40), np.full(60, np.nan)]
    assert percentile_ci(draws) is None
    lo, hi = percentile_ci(np.linspace(0.0, 1.0, 101))  # type: ignore[misc]
    assert lo == pytest.approx(0.025) and hi == pytest.approx(0.975)
