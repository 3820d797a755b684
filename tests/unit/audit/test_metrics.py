from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    log_loss,
    roc_auc_score,
)

from tests.utils.audit import served_priorities, synthetic
from training.audit.metrics import (
    bootstrap_ci,
    brier_score,
    expected_calibration_error,
    fast_average_precision,
    fast_roc_auc,
    group_metrics,
    log_loss_score,
    pr_auc,
    priority_edges,
    reliability_curve,
    roc_auc,
    threshold_for_recall,
)


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, ...]:
    return synthetic(3000, seed=1)


# ----------------------------------------------------------------- metrics vs sklearn


@pytest.mark.parametrize("ties", [False, True])
def test_auc_and_average_precision_equal_sklearn(ties: bool) -> None:
    y, s, _ = synthetic(2000, seed=3, ties=ties)
    assert roc_auc(y, s) == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    assert pr_auc(y, s) == pytest.approx(average_precision_score(y, s), abs=1e-12)


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("n", [40, 2000])
def test_the_resampling_copies_equal_sklearn(n: int, ties: bool) -> None:
    y, s, _ = synthetic(n, seed=11, ties=ties)
    y8 = y.astype(np.int8)
    assert fast_roc_auc(y8, s) == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    assert fast_average_precision(y8, s) == pytest.approx(average_precision_score(y, s), abs=1e-12)
    assert math.isnan(fast_roc_auc(np.ones(5, dtype=np.int8), s[:5]))
    assert math.isnan(fast_average_precision(np.zeros(5, dtype=np.int8), s[:5]))


def test_brier_and_log_loss_equal_sklearn(data: tuple[np.ndarray, ...]) -> None:
    y, s, _ = data
    assert brier_score(y, s) == pytest.approx(brier_score_loss(y, s), abs=1e-12)
    assert log_loss_score(y, s) == pytest.approx(log_loss(y, s), abs=1e-9)


def test_brier_and_log_loss_are_defined_for_one_class() -> None:
    assert brier_score([0, 0, 0], [0.1, 0.2, 0.3]) == pytest.approx((0.01 + 0.04 + 0.09) / 3)
    assert log_loss_score([1, 1], [0.5, 0.5]) == pytest.approx(math.log(2))


def test_auc_is_nan_with_one_class() -> None:
    assert math.isnan(roc_auc([1, 1, 1], [0.2, 0.5, 0.9]))
    assert math.isnan(pr_auc([0, 0, 0], [0.2, 0.5, 0.9]))


def test_labels_other_than_zero_one_are_rejected() -> None:
    with pytest.raises(ValueError, match="0/1"):
        roc_auc([0, 2, 1], [0.1, 0.2, 0.3])


def test_probability_metrics_reject_scores_outside_unit_interval() -> None:
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        brier_score([0, 1], [0.2, 1.5])


# ----------------------------------------------------------------- calibration


def test_ece_on_a_hand_computed_example() -> None:
    # Uniform, 2 bins: [0, .5) holds .1 .2 .3 (mean .2, observed 1/3);
    # [.5, 1] holds .6 .7 .8 .9 .9 .9 (mean .8, observed 4/6).
    y = [0, 1, 0, 1, 1, 0, 1, 0, 1]
    p = [0.1, 0.2, 0.3, 0.6, 0.7, 0.8, 0.9, 0.9, 0.9]
    expected = (3 / 9) * abs(1 / 3 - 0.2) + (6 / 9) * abs(4 / 6 - 0.8)
    assert expected_calibration_error(y, p, n_bins=2, strategy="uniform") == pytest.approx(expected)


def test_ece_is_zero_when_each_bin_is_perfectly_calibrated() -> None:
    y = [0, 0, 1, 0, 1, 1, 1, 0]
    p = [0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75]
    assert expected_calibration_error(y, p, n_bins=2, strategy="quantile") == pytest.approx(0.0)


def test_ece_of_an_overconfident_model_is_large() -> None:
    y, _, p_true = synthetic(5000, seed=4)
    overconfident = np.clip((p_true - 0.2) * 3 + 0.2, 0.0, 1.0)
    assert expected_calibration_error(y, p_true) < 0.03
    assert expected_calibration_error(y, overconfident) > 0.05


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_reliability_bins_match_sklearn_calibration_curve(strategy: str) -> None:
    y, s, _ = synthetic(2000, seed=5)
    curve = reliability_curve(y, s, n_bins=10, strategy=strategy)  # type: ignore[arg-type]
    prob_true, prob_pred = calibration_curve(y, s, n_bins=10, strategy=strategy)
    np.testing.assert_allclose(curve["observed"], prob_true)
    np.testing.assert_allclose(curve["mean_predicted"], prob_pred)
    assert sum(curve["count"]) == y.size


# ----------------------------------------------------------------- bootstrap


def test_bootstrap_ci_contains_the_point_estimate(data: tuple[np.ndarray, ...]) -> None:
    y, s, _ = data
    lo, hi = bootstrap_ci(roc_auc_score, y, s, n_boot=100)
    assert lo < roc_auc_score(y, s) < hi


def test_bootstrap_ci_narrows_with_more_data() -> None:
    small = bootstrap_ci(roc_auc, *synthetic(400, seed=6)[:2], n_boot=100)
    large = bootstrap_ci(roc_auc, *synthetic(8000, seed=6)[:2], n_boot=100)
    assert (large[1] - large[0]) < 0.5 * (small[1] - small[0])


def test_bootstrap_ci_is_deterministic_by_seed(data: tuple[np.ndarray, ...]) -> None:
    y, s, _ = data
    assert bootstrap_ci(roc_auc, y, s, n_boot=50, seed=3) == bootstrap_ci(
        roc_auc, y, s, n_boot=50, seed=3
    )
    assert bootstrap_ci(roc_auc, y, s, n_boot=50, seed=3) != bootstrap_ci(
        roc_auc, y, s, n_boot=50, seed=4
    )


def test_bootstrap_ci_keeps_both_classes_when_positives_are_rare() -> None:
    # 2 positives in 200: unstratified resamples would often hold none and AUC would fail.
    y = np.zeros(200, dtype=int)
    y[[10, 150]] = 1
    s = np.linspace(0.0, 1.0, 200)
    lo, hi = bootstrap_ci(roc_auc_score, y, s, n_boot=100)
    assert math.isfinite(lo) and math.isfinite(hi) and lo <= hi


def test_bootstrap_ci_of_one_class_data_is_nan() -> None:
    lo, hi = bootstrap_ci(roc_auc, [1, 1, 1], [0.1, 0.2, 0.3])
    assert math.isnan(lo) and math.isnan(hi)


def test_bootstrap_auc_of_20000_rows_brackets_the_point_estimate() -> None:
    y, s, _ = synthetic(20_000, seed=7)
    lo, hi = bootstrap_ci(fast_roc_auc, y, s, n_boot=200)
    assert lo < fast_roc_auc(y, s) < hi and hi - lo < 0.05


# ----------------------------------------------------------------- operating threshold


@pytest.mark.parametrize("target", [0.5, 0.8, 0.9, 0.95, 1.0])
def test_threshold_for_recall_is_the_highest_reaching_the_target(target: float) -> None:
    y, s, _ = synthetic(1500, seed=8, ties=True)
    t = threshold_for_recall(y, s, target_recall=target)
    recall_at = lambda thr: np.sum((s >= thr) & (y == 1)) / np.sum(y == 1)  # noqa: E731
    assert recall_at(t) >= target
    higher = np.unique(s[s > t])
    assert higher.size == 0 or recall_at(higher.min()) < target


def test_threshold_for_recall_counts_exactly_at_the_target() -> None:
    # 10 positives: 9 caught is exactly 0.9 and must be enough.
    y = np.array([1] * 10 + [0] * 10)
    s = np.r_[np.linspace(0.9, 0.5, 10), np.linspace(0.45, 0.0, 10)]
    assert threshold_for_recall(y, s, target_recall=0.9) == pytest.approx(s[8])


def test_threshold_for_recall_works_without_negatives() -> None:
    assert threshold_for_recall([1, 1, 1, 1], [0.9, 0.8, 0.7, 0.6], target_recall=0.5) == 0.8


def test_threshold_for_recall_needs_positives() -> None:
    with pytest.raises(ValueError, match="positive"):
        threshold_for_recall([0, 0], [0.1, 0.2])


# ----------------------------------------------------------------- priority


def test_priority_deciles_split_training_scores_into_tenths() -> None:
    _, s, _ = synthetic(10_000, seed=9)
    edges = priority_edges(s)
    assert edges.shape == (9,) and np.all(np.diff(edges) >= 0)
    priority = served_priorities(s, edges)
    shares = np.bincount(priority, minlength=11)[1:] / s.size
    np.testing.assert_allclose(shares, 0.1, atol=0.002)
    assert priority[np.argmax(s)] == 10 and priority[np.argmin(s)] == 1


def test_priority_is_monotone_in_score_and_bounded() -> None:
    edges = priority_edges(np.linspace(0.0, 1.0, 1001))
    priority = served_priorities(np.array([-5.0, 0.0, 0.15, 0.5, 0.95, 1.0, 7.0]), edges)
    assert priority.tolist() == [1, 1, 2, 6, 10, 10, 10]
    assert np.issubdtype(priority.dtype, np.integer)


def test_priority_edges_reject_empty_or_infinite_scores() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        priority_edges([])
    with pytest.raises(ValueError, match="finite"):
        priority_edges([0.1, math.inf])


# ----------------------------------------------------------------- groups


def test_one_class_group_has_no_auc_but_has_brier() -> None:
    y = np.r_[np.zeros(20, dtype=int), np.tile([0, 1], 10)]
    p = np.linspace(0.05, 0.95, 40)
    groups = ["all_negative"] * 20 + ["mixed"] * 20
    res = {g.group: g for g in group_metrics(y, p, groups)}
    assert res["all_negative"].roc_auc is None and res["all_negative"].pr_auc is None
    assert res["all_negative"].brier == pytest.approx(np.mean(p[:20] ** 2))
    assert res["mixed"].roc_auc is not None


def test_missing_source_values_form_their_own_group() -> None:
    y = np.tile([0, 1], 15)
    p = np.linspace(0.1, 0.9, 30)
    groups = ["police"] * 15 + [None] * 15
    names = [g.group for g in group_metrics(y, p, groups)]
    assert names == ["police", "(missing)"]
