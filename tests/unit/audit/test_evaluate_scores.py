from __future__ import annotations

import json
import math

import numpy as np
import pytest
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    log_loss,
    roc_auc_score,
)

from tests.utils.audit import served_priorities, synthetic
from training.audit.evaluate import EvaluationResult, evaluate_scores, flat_metrics
from training.audit.metrics import expected_calibration_error, priority_edges


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
        y, s, source=source, p_true=p, priority=served_priorities(s, priority_edges(s)), n_boot=100
    )


# ----------------------------------------------------------------- operating point


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


def test_priority_table_counts_and_met_rates(
    result: EvaluationResult, data: tuple[np.ndarray, ...]
) -> None:
    y, s, _ = data
    priority = served_priorities(s, priority_edges(s))
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
