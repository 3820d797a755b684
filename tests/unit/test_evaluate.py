from __future__ import annotations

import json
import math
import time

import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    log_loss,
    roc_auc_score,
)

from training.audit.evaluate import (
    EvaluationResult,
    bootstrap_ci,
    brier_score,
    evaluate_scores,
    expected_calibration_error,
    flat_metrics,
    group_metrics,
    log_loss_score,
    pr_auc,
    priority_edges,
    reliability_curve,
    roc_auc,
    threshold_for_recall,
    to_band,
    to_priority,
)


def synthetic(n: int, *, seed: int = 0, ties: bool = False) -> tuple[np.ndarray, ...]:
    """Labels drawn from a true probability, and a noisy but calibrated-ish model score."""
    rng = np.random.default_rng(seed)
    p_true = rng.beta(1.0, 4.0, n)
    y = (rng.random(n) < p_true).astype(int)
    score = np.clip(p_true + rng.normal(0.0, 0.05, n), 0.0, 1.0)
    if ties:
        score = np.round(score, 2)
    return y, score, p_true


def sources(n: int) -> np.ndarray:
    rng = np.random.default_rng(2)
    source = rng.choice(["police", "school", "health"], size=n, p=[0.5, 0.3, 0.2]).astype(object)
    source[:5] = "anonymous"  # a group too small to report
    return source


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, ...]:
    return synthetic(3000, seed=1)


@pytest.fixture(scope="module")
def result(data: tuple[np.ndarray, ...]) -> EvaluationResult:
    y, s, p = data
    source = sources(y.size)
    return evaluate_scores(
        y, s, source=source, p_true=p, priority=to_priority(s, priority_edges(s)), n_boot=100
    )


# ----------------------------------------------------------------- metrics vs sklearn


@pytest.mark.parametrize("ties", [False, True])
def test_auc_and_average_precision_equal_sklearn(ties: bool) -> None:
    y, s, _ = synthetic(2000, seed=3, ties=ties)
    assert roc_auc(y, s) == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    assert pr_auc(y, s) == pytest.approx(average_precision_score(y, s), abs=1e-12)


def test_brier_and_log_loss_equal_sklearn(data: tuple[np.ndarray, ...]) -> None:
    y, s, _ = data
    assert brier_score(y, s) == pytest.approx(brier_score_loss(y, s), abs=1e-12)
    assert log_loss_score(y, s) == pytest.approx(log_loss(y, s), abs=1e-9)


def test_auc_is_nan_with_one_class() -> None:
    assert math.isnan(roc_auc([1, 1, 1], [0.2, 0.5, 0.9]))
    assert math.isnan(pr_auc([0, 0, 0], [0.2, 0.5, 0.9]))


def test_labels_other_than_zero_one_are_rejected() -> None:
    with pytest.raises(ValueError, match="0/1"):
        roc_auc([0, 2, 1], [0.1, 0.2, 0.3])


def test_probability_metrics_reject_scores_outside_unit_interval() -> None:
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        brier_score([0, 1], [0.2, 1.5])


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


def test_bootstrap_auc_of_20000_rows_takes_under_two_seconds() -> None:
    y, s, _ = synthetic(20_000, seed=7)
    start = time.perf_counter()
    bootstrap_ci(roc_auc, y, s, n_boot=200)
    assert time.perf_counter() - start < 2.0


# ----------------------------------------------------------------- operating point


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


def test_threshold_for_recall_needs_positives() -> None:
    with pytest.raises(ValueError, match="positive"):
        threshold_for_recall([0, 0], [0.1, 0.2])


def test_operating_point_reports_workload_and_confusion(result: EvaluationResult) -> None:
    op = result.operating_point
    assert op.tn + op.fp + op.fn + op.tp == result.n
    assert op.recall >= 0.90
    assert op.workload == pytest.approx((op.tp + op.fp) / result.n)
    assert op.precision == pytest.approx(op.tp / (op.tp + op.fp))
    assert result.threshold_origin == "this_data"


def test_a_given_threshold_is_applied_not_rechosen(data: tuple[np.ndarray, ...]) -> None:
    y, s, _ = data
    res = evaluate_scores(y, s, threshold=0.5, n_boot=10)
    assert res.operating_point.threshold == 0.5
    assert res.operating_point.recall == pytest.approx(np.mean(s[y == 1] >= 0.5))
    assert res.operating_point.recall < 0.9  # far from the target: reported as it is
    assert res.threshold_origin == "given"


# ----------------------------------------------------------------- priority and band


def test_priority_deciles_split_training_scores_into_tenths() -> None:
    _, s, _ = synthetic(10_000, seed=9)
    edges = priority_edges(s)
    assert edges.shape == (9,) and np.all(np.diff(edges) >= 0)
    priority = to_priority(s, edges)
    shares = np.bincount(priority, minlength=11)[1:] / s.size
    np.testing.assert_allclose(shares, 0.1, atol=0.002)
    assert priority[np.argmax(s)] == 10 and priority[np.argmin(s)] == 1


def test_priority_is_monotone_in_score_and_bounded() -> None:
    edges = priority_edges(np.linspace(0.0, 1.0, 1001))
    priority = to_priority([-5.0, 0.0, 0.15, 0.5, 0.95, 1.0, 7.0], edges)
    assert priority.tolist() == [1, 1, 2, 6, 10, 10, 10]
    assert np.issubdtype(priority.dtype, np.integer)


def test_to_priority_rejects_wrong_edges() -> None:
    with pytest.raises(ValueError, match="9"):
        to_priority([0.5], [0.1, 0.2])


def test_band_boundaries() -> None:
    bands = to_band([0.0, 0.199, 0.2, 0.5, 0.599, 0.6, 1.0], cuts=(0.2, 0.6))
    assert bands.tolist() == ["low", "low", "medium", "medium", "medium", "high", "high"]


def test_band_rejects_reversed_cuts() -> None:
    with pytest.raises(ValueError, match="cuts"):
        to_band([0.5], cuts=(0.6, 0.2))


# ----------------------------------------------------------------- result


def test_headline_metrics_equal_direct_computation(
    result: EvaluationResult, data: tuple[np.ndarray, ...]
) -> None:
    y, s, p = data
    assert result.n == y.size and result.base_rate == pytest.approx(y.mean())
    assert result.roc_auc == pytest.approx(roc_auc_score(y, s))
    assert result.pr_auc == pytest.approx(average_precision_score(y, s))
    assert result.brier == pytest.approx(brier_score_loss(y, s))
    assert result.log_loss == pytest.approx(log_loss(y, s))
    assert result.ece == pytest.approx(expected_calibration_error(y, s))
    assert result.oracle_auc == pytest.approx(roc_auc_score(y, p))
    assert result.auc_ratio_to_oracle == pytest.approx(roc_auc_score(y, s) / roc_auc_score(y, p))
    assert result.roc_auc_ci[0] < result.roc_auc < result.roc_auc_ci[1]
    assert result.pr_auc_ci[0] < result.pr_auc < result.pr_auc_ci[1]


def test_no_oracle_without_true_probability(data: tuple[np.ndarray, ...]) -> None:
    y, s, _ = data
    res = evaluate_scores(y, s, n_boot=10, p_true=np.full(y.size, np.nan))
    assert res.oracle_auc is None and res.auc_ratio_to_oracle is None
    assert res.per_source == [] and res.priority_table is None
    assert "oracle_auc" not in flat_metrics(res)


def test_per_source_metrics_equal_the_metric_on_that_subset(
    result: EvaluationResult, data: tuple[np.ndarray, ...]
) -> None:
    y, s, _ = data
    source = sources(y.size)
    by_group = {g.group: g for g in result.per_source}
    # Contract order (police, school, health, ..., anonymous), not alphabetical.
    assert [g.group for g in result.per_source] == ["police", "school", "health", "anonymous"]
    for name in ("police", "school", "health"):
        mask = source == name
        g = by_group[name]
        assert g.n == mask.sum() and not g.suppressed
        assert g.base_rate == pytest.approx(y[mask].mean())
        assert g.roc_auc == pytest.approx(roc_auc_score(y[mask], s[mask]))
        assert g.pr_auc == pytest.approx(average_precision_score(y[mask], s[mask]))
        assert g.brier == pytest.approx(brier_score_loss(y[mask], s[mask]))


def test_small_groups_are_suppressed(result: EvaluationResult) -> None:
    anonymous = next(g for g in result.per_source if g.group == "anonymous")
    assert anonymous.suppressed and anonymous.n == 5
    assert anonymous.base_rate is None and anonymous.roc_auc is None and anonymous.ece is None


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


def test_priority_table_counts_and_met_rates(
    result: EvaluationResult, data: tuple[np.ndarray, ...]
) -> None:
    y, s, _ = data
    priority = to_priority(s, priority_edges(s))
    table = result.priority_table
    assert table is not None and [row["priority"] for row in table] == list(range(1, 11))
    assert sum(row["n"] for row in table) == y.size
    for row in table:
        assert row["met_rate"] == pytest.approx(y[priority == row["priority"]].mean())
    assert table[-1]["met_rate"] > table[0]["met_rate"]


def test_curves_are_bounded_in_size_and_span_the_unit_square() -> None:
    y, s, _ = synthetic(5000, seed=10)
    res = evaluate_scores(y, s, n_boot=10)
    assert len(res.roc_curve["fpr"]) == len(res.roc_curve["tpr"]) <= 200
    assert res.roc_curve["fpr"][0] == 0.0 and res.roc_curve["tpr"][-1] == 1.0
    assert len(res.pr_curve["precision"]) == len(res.pr_curve["recall"]) <= 200
    assert res.pr_curve["recall"][-1] == 1.0


def test_evaluation_needs_both_outcomes() -> None:
    with pytest.raises(ValueError, match="both outcomes"):
        evaluate_scores([0, 0, 0], [0.1, 0.2, 0.3])


def test_to_dict_is_strict_json_with_nan_as_null(data: tuple[np.ndarray, ...]) -> None:
    y, s, _ = data
    # A threshold above every score prioritises nothing: precision is undefined (NaN).
    res = evaluate_scores(y, s, threshold=2.0, n_boot=10)
    assert math.isnan(res.operating_point.precision)
    d = res.to_dict()
    text = json.dumps(d, allow_nan=False)
    back = json.loads(text)
    assert back["operating_point"]["precision"] is None
    assert back["operating_point"]["workload"] == 0.0
    assert back["roc_auc"] == pytest.approx(res.roc_auc)
    assert isinstance(back["roc_auc_ci"], list)


def test_flat_metrics_are_prefixed_valid_mlflow_floats(result: EvaluationResult) -> None:
    flat = flat_metrics(result, prefix="test")
    expected = {
        "roc_auc", "roc_auc_lo", "roc_auc_hi", "pr_auc", "pr_auc_lo", "pr_auc_hi", "brier",
        "log_loss", "ece", "workload", "recall_at_op", "precision_at_op", "threshold",
        "oracle_auc", "auc_ratio_to_oracle",
    }  # fmt: skip
    assert set(flat) == {f"test_{k}" for k in expected}
    assert flat["test_roc_auc"] == result.roc_auc
    assert all(type(v) is float and math.isfinite(v) for v in flat.values())
    assert set(flat_metrics(result, prefix="val_")) == {f"val_{k}" for k in expected}
    assert "roc_auc" in flat_metrics(result)


def test_flat_metrics_leave_out_undefined_values(data: tuple[np.ndarray, ...]) -> None:
    y, s, _ = data
    flat = flat_metrics(evaluate_scores(y, s, threshold=2.0, n_boot=10))
    assert "precision_at_op" not in flat and flat["workload"] == 0.0


def test_flat_metrics_reject_a_prefix_mlflow_would_refuse(result: EvaluationResult) -> None:
    with pytest.raises(ValueError, match="prefix"):
        flat_metrics(result, prefix="test:")
