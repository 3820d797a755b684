"""Evaluation of scores against outcomes: the :class:`EvaluationResult` and its assembly
from the metric functions of :mod:`training.audit.metrics`.

Computation only: nothing here renders (``training.audit.render`` turns a result into
JSON, charts and HTML). The conventions of labels, scores and prioritisation are those of
:mod:`training.audit.metrics`. No concern text ever reaches this module.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from sklearn.metrics import precision_recall_curve, roc_curve

from training.audit.metrics import (
    MIN_GROUP_SIZE,
    FloatArray,
    GroupMetrics,
    GroupsLike,
    LabelArray,
    bootstrap_ci,
    brier_score,
    check_pair,
    check_scores,
    expected_calibration_error,
    fast_average_precision,
    fast_roc_auc,
    group_metrics,
    has_both_classes,
    log_loss_score,
    pr_auc,
    reliability_curve,
    roc_auc,
    threshold_for_recall,
)
from training.audit.results import json_safe
from training.data.contract import SOURCES

__all__ = [
    "EvaluationResult",
    "OperatingPoint",
    "evaluate_scores",
    "flat_metrics",
]

#: Most points kept in the ROC and PR curves stored in a result (enough for a smooth chart,
#: small enough for a JSON artifact).
MAX_CURVE_POINTS = 200

MetricFunction = Callable[[np.ndarray, np.ndarray], float]


@dataclass(frozen=True, slots=True)
class OperatingPoint:
    """What prioritising contacts with ``score >= threshold`` means on the evaluated data.

    ``recall``: share of contacts that met the threshold which are prioritised.
    ``precision``: share of prioritised contacts that met the threshold (NaN when none is
    prioritised). ``workload``: share of all contacts prioritised. Counts are the
    confusion matrix with "prioritised" as the positive prediction.
    """

    threshold: float
    target_recall: float
    recall: float
    precision: float
    workload: float
    tn: int
    fp: int
    fn: int
    tp: int


def _operating_point(
    y: LabelArray, s: FloatArray, *, threshold: float, target_recall: float
) -> OperatingPoint:
    flagged = s >= threshold
    tp = int(np.sum(flagged & (y == 1)))
    fp = int(np.sum(flagged & (y == 0)))
    fn = int(np.sum(~flagged & (y == 1)))
    tn = int(np.sum(~flagged & (y == 0)))
    return OperatingPoint(
        threshold=float(threshold),
        target_recall=float(target_recall),
        recall=tp / (tp + fn) if tp + fn else math.nan,
        precision=tp / (tp + fp) if tp + fp else math.nan,
        workload=(tp + fp) / y.size if y.size else math.nan,
        tn=tn,
        fp=fp,
        fn=fn,
        tp=tp,
    )


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    """Everything measured about a model's scores on one data set.

    ``*_ci`` are bootstrap percentile intervals at ``ci_level``. ``oracle_auc`` is the AUC
    of the generator's true probability (the best any model could do on this data; only
    for synthetic data), and ``auc_ratio_to_oracle`` is ``roc_auc / oracle_auc``.
    ``threshold_origin`` says whether the operating threshold was chosen on this data
    (``"this_data"``) or given, e.g. chosen on validation data (``"given"``).
    ``reliability``: see :func:`~training.audit.metrics.reliability_curve`. ``roc_curve``:
    ``fpr``, ``tpr``; ``pr_curve``: ``precision``, ``recall`` (each at most 200 points).
    ``priority_table``: one row per priority 1-10 with ``priority``, ``n``, ``share``
    (of all contacts) and ``met_rate`` (``None`` when ``n`` is below the group minimum).
    """

    n: int
    base_rate: float
    roc_auc: float
    roc_auc_ci: tuple[float, float]
    pr_auc: float
    pr_auc_ci: tuple[float, float]
    brier: float
    log_loss: float
    ece: float
    oracle_auc: float | None
    oracle_auc_ci: tuple[float, float] | None
    auc_ratio_to_oracle: float | None
    operating_point: OperatingPoint
    per_source: list[GroupMetrics]
    reliability: dict[str, Any]
    roc_curve: dict[str, list[float]]
    pr_curve: dict[str, list[float]]
    priority_table: list[dict[str, Any]] | None
    threshold_origin: Literal["this_data", "given"] = "this_data"
    ci_level: float = 0.95
    n_boot: int = 200

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict: Python ints/floats/strings/lists only, NaN and inf as ``None``."""
        return json_safe(asdict(self))  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- parts


def _thin(*arrays: np.ndarray, max_points: int = MAX_CURVE_POINTS) -> list[list[float]]:
    """Evenly thin parallel curve arrays to at most ``max_points``, keeping both ends."""
    size = arrays[0].size
    if size <= max_points:
        return [a.astype(float).tolist() for a in arrays]
    idx = np.unique(np.round(np.linspace(0, size - 1, max_points)).astype(int))
    return [a[idx].astype(float).tolist() for a in arrays]


def _roc_points(y: LabelArray, s: FloatArray) -> dict[str, list[float]]:
    """ROC curve from (0, 0) to (1, 1), one point per distinct score."""
    fpr, tpr, _ = roc_curve(y, s, drop_intermediate=False)
    thinned_fpr, thinned_tpr = _thin(fpr, tpr)
    return {"fpr": thinned_fpr, "tpr": thinned_tpr}


def _pr_points(y: LabelArray, s: FloatArray) -> dict[str, list[float]]:
    """Precision-recall curve, one point per distinct score, by increasing recall; starts
    at recall 0 with precision 1 (where ``precision_recall_curve`` ends)."""
    precision, recall, _ = precision_recall_curve(y, s)
    thinned_precision, thinned_recall = _thin(precision[::-1], recall[::-1])
    return {"precision": thinned_precision, "recall": thinned_recall}


def _priority_table(
    y: LabelArray, priority: npt.ArrayLike, *, min_group_size: int
) -> list[dict[str, Any]]:
    pr = np.asarray(priority)
    if pr.shape != y.shape:
        raise ValueError(f"priority must have {y.size} values")
    if not np.all(np.isin(pr, np.arange(1, 11))):
        raise ValueError("priority must hold integers 1 to 10")
    pr = pr.astype(np.int64)
    rows: list[dict[str, Any]] = []
    for level in range(1, 11):
        mask = pr == level
        n = int(mask.sum())
        rows.append(
            {
                "priority": level,
                "n": n,
                "share": n / y.size,
                "met_rate": float(y[mask].mean()) if n >= max(1, min_group_size) else None,
            }
        )
    return rows


@dataclass(frozen=True, slots=True)
class _Oracle:
    auc: float | None = None
    ci: tuple[float, float] | None = None
    ratio: float | None = None


def _oracle(
    y: LabelArray,
    p_true: npt.ArrayLike | None,
    *,
    model_auc: float,
    interval: Callable[[MetricFunction, FloatArray], tuple[float, float]],
) -> _Oracle:
    """The AUC of the generator's true probability, its interval and the model's share of
    it; empty without a true probability (or when it is entirely NaN)."""
    if p_true is None:
        return _Oracle()
    raw = np.asarray(p_true, dtype=np.float64)
    if np.all(np.isnan(raw)):
        return _Oracle()
    pt = check_scores(raw, y.size, name="p_true", probability=True)
    auc = roc_auc(y, pt)
    return _Oracle(
        auc=auc,
        ci=interval(fast_roc_auc, pt),
        ratio=model_auc / auc if auc > 0 else None,
    )


# --------------------------------------------------------------------------- assembly


def evaluate_scores(
    y_true: npt.ArrayLike,
    y_score: npt.ArrayLike,
    *,
    source: GroupsLike | None = None,
    p_true: npt.ArrayLike | None = None,
    priority: npt.ArrayLike | None = None,
    threshold: float | None = None,
    target_recall: float = 0.90,
    n_boot: int = 200,
    alpha: float = 0.05,
    seed: int = 0,
    n_bins: int = 10,
    min_group_size: int = MIN_GROUP_SIZE,
) -> EvaluationResult:
    """Evaluate calibrated scores ``y_score`` against outcomes ``y_true``.

    ``threshold=None`` chooses the operating threshold on this data for ``target_recall``
    (:func:`~training.audit.metrics.threshold_for_recall`); otherwise the given threshold
    (chosen on validation data) is applied and the recall it achieves here is reported.
    ``source`` (referral source per contact) adds per-source metrics; ``p_true`` (the
    generator's true probability) adds the oracle AUC, and is ignored when entirely NaN;
    ``priority`` (1-10 per contact) adds the priority table. Requires both outcomes.
    """
    y, s = check_pair(y_true, y_score, probability=True)
    if not has_both_classes(y):
        raise ValueError("evaluation needs contacts with both outcomes (met and not met)")
    chosen = (
        threshold_for_recall(y, s, target_recall=target_recall)
        if threshold is None
        else float(threshold)
    )

    def interval(metric: MetricFunction, scores: FloatArray) -> tuple[float, float]:
        return bootstrap_ci(metric, y, scores, n_boot=n_boot, alpha=alpha, seed=seed)

    auc = roc_auc(y, s)
    oracle = _oracle(y, p_true, model_auc=auc, interval=interval)
    return EvaluationResult(
        n=int(y.size),
        base_rate=float(y.mean()),
        roc_auc=auc,
        roc_auc_ci=interval(fast_roc_auc, s),
        pr_auc=pr_auc(y, s),
        pr_auc_ci=interval(fast_average_precision, s),
        brier=brier_score(y, s),
        log_loss=log_loss_score(y, s),
        ece=expected_calibration_error(y, s, n_bins=n_bins, strategy="quantile"),
        oracle_auc=oracle.auc,
        oracle_auc_ci=oracle.ci,
        auc_ratio_to_oracle=oracle.ratio,
        operating_point=_operating_point(y, s, threshold=chosen, target_recall=target_recall),
        per_source=(
            []
            if source is None
            else group_metrics(
                y, s, source, order=SOURCES, min_group_size=min_group_size, n_bins=n_bins
            )
        ),
        reliability=reliability_curve(y, s, n_bins=n_bins, strategy="quantile"),
        roc_curve=_roc_points(y, s),
        pr_curve=_pr_points(y, s),
        priority_table=(
            None
            if priority is None
            else _priority_table(y, priority, min_group_size=min_group_size)
        ),
        threshold_origin="this_data" if threshold is None else "given",
        ci_level=1.0 - alpha,
        n_boot=n_boot,
    )


_METRIC_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./ ")


def flat_metrics(result: EvaluationResult, *, prefix: str = "") -> dict[str, float]:
    """Headline numbers as a flat ``{name: float}`` for MLflow ``log_metrics``.

    Keys: ``roc_auc``, ``roc_auc_lo``, ``roc_auc_hi``, ``pr_auc``, ``pr_auc_lo``,
    ``pr_auc_hi``, ``brier``, ``log_loss``, ``ece``, ``workload``, ``recall_at_op``,
    ``precision_at_op``, ``threshold``, and ``oracle_auc``, ``auc_ratio_to_oracle`` when
    present. Undefined (NaN) values are left out. ``prefix`` is prepended, with ``_``
    added unless it already ends in ``_``, ``-``, ``.`` or ``/``: ``prefix="test"`` gives
    ``test_roc_auc``.
    """
    if prefix and not set(prefix) <= _METRIC_KEY_CHARS:
        raise ValueError("prefix may hold only letters, digits, '_', '-', '.', '/' and spaces")
    if prefix and prefix[-1] not in "_-./":
        prefix += "_"
    op = result.operating_point
    values: dict[str, float | None] = {
        "roc_auc": result.roc_auc,
        "roc_auc_lo": result.roc_auc_ci[0],
        "roc_auc_hi": result.roc_auc_ci[1],
        "pr_auc": result.pr_auc,
        "pr_auc_lo": result.pr_auc_ci[0],
        "pr_auc_hi": result.pr_auc_ci[1],
        "brier": result.brier,
        "log_loss": result.log_loss,
        "ece": result.ece,
        "workload": op.workload,
        "recall_at_op": op.recall,
        "precision_at_op": op.precision,
        "threshold": op.threshold,
        "oracle_auc": result.oracle_auc,
        "auc_ratio_to_oracle": result.auc_ratio_to_oracle,
    }
    return {
        f"{prefix}{key}": float(value)
        for key, value in values.items()
        if value is not None and math.isfinite(float(value))
    }
