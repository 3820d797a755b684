"""Per-group metrics of the fairness audit and their bootstrap draws.

Point estimates per group come from fairlearn's ``MetricFrame`` with the metric functions
of :mod:`training.audit.metrics`. Bootstrap: rows are resampled with replacement from the
whole set (multinomial row weights, ``n_boot`` times; the same resamples serve every
attribute, so a group and its reference move together). Rates come from resampled
confusion counts per group, which is cheap; AUC and ECE are recomputed per group and
resample with weights (:func:`weighted_auc`, :func:`weighted_ece`: vectorised copies for
the resamples only, held by tests to scikit-learn's AUC and the audit's ECE). The ECE keeps
the original sample's quantile bin edges in every resample, an approximation that keeps it
vectorised.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from training.audit.fairness.groups import is_not_a_group, order_groups
from training.audit.fairness.types import METRICS
from training.audit.metrics import (
    FloatArray,
    LabelArray,
    expected_calibration_error,
    fast_roc_auc,
)

__all__ = [
    "GroupEstimates",
    "bootstrap_weights",
    "estimate_table",
    "group_frame",
    "metric_functions",
    "percentile_ci",
    "weighted_auc",
    "weighted_ece",
]

#: Most quantile bins of a group's ECE; a group of n contacts gets at most n // 10.
_ECE_BINS: Final = 10

MetricFunction = Callable[[np.ndarray, np.ndarray], float]


def _rate(num: float, den: float) -> float:
    return num / den if den > 0 else math.nan


def _ece_bins(n: int) -> int:
    """At most ``n // 10`` quantile bins, as ``metrics.group_metrics``, so each holds ~10."""
    return max(1, min(_ECE_BINS, n // 10))


def metric_functions(threshold: float) -> dict[str, MetricFunction]:
    """Metric callables ``(y_true, y_score) -> float`` for MetricFrame: ``count`` and
    :data:`~training.audit.fairness.types.METRICS`. Rates threshold the calibrated score at
    ``threshold`` (prioritised when ``score >= threshold``)."""

    def counts(y: np.ndarray, s: np.ndarray) -> tuple[float, float, float, float]:
        yb = np.asarray(y).astype(bool)
        pb = np.asarray(s, dtype=np.float64) >= threshold
        tp = float(np.sum(yb & pb))
        fp = float(np.sum(~yb & pb))
        fn = float(np.sum(yb & ~pb))
        tn = float(np.sum(~yb & ~pb))
        return tp, fp, fn, tn

    def selection_rate(y: np.ndarray, s: np.ndarray) -> float:
        tp, fp, fn, tn = counts(y, s)
        return _rate(tp + fp, tp + fp + fn + tn)

    def tpr(y: np.ndarray, s: np.ndarray) -> float:
        tp, _, fn, _ = counts(y, s)
        return _rate(tp, tp + fn)

    def fpr(y: np.ndarray, s: np.ndarray) -> float:
        _, fp, _, tn = counts(y, s)
        return _rate(fp, fp + tn)

    def fnr(y: np.ndarray, s: np.ndarray) -> float:
        tp, _, fn, _ = counts(y, s)
        return _rate(fn, tp + fn)

    def ppv(y: np.ndarray, s: np.ndarray) -> float:
        tp, fp, _, _ = counts(y, s)
        return _rate(tp, tp + fp)

    def ece(y: np.ndarray, s: np.ndarray) -> float:
        if len(y) == 0:
            return math.nan
        return expected_calibration_error(np.asarray(y), np.asarray(s), n_bins=_ece_bins(len(y)))

    return {
        "count": lambda y, s: float(len(y)),
        "base_rate": lambda y, s: float(np.mean(y)) if len(y) else math.nan,
        "selection_rate": selection_rate,
        "tpr": tpr,
        "fpr": fpr,
        "fnr": fnr,
        "ppv": ppv,
        "auc": lambda y, s: fast_roc_auc(np.asarray(y, dtype=np.int64), np.asarray(s, float)),
        "ece": ece,
    }


def group_frame(
    y: LabelArray, s: FloatArray, groups: np.ndarray, *, threshold: float
) -> pd.DataFrame:
    """Point estimates per group (rows = groups, columns ``count`` and the metrics of
    :func:`metric_functions`), disaggregated by fairlearn's MetricFrame.

    One metric callable returns every value for a group: fairlearn copies the inputs
    element by element on every metric call, so nine separate callables cost nine times
    as much on large data.
    """
    from fairlearn.metrics import MetricFrame

    functions = metric_functions(threshold)
    names = list(functions)

    def all_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[float, ...]:
        return tuple(functions[name](y_true, y_pred) for name in names)

    mf = MetricFrame(
        metrics={"all": all_metrics},
        y_true=y,
        y_pred=s,
        sensitive_features=pd.Series(groups, name="group"),
    )
    by_group = mf.by_group
    assert isinstance(by_group, pd.DataFrame)
    return pd.DataFrame(
        [list(v) for v in by_group["all"]],
        index=by_group.index.astype(str),
        columns=names,
    )


def bootstrap_weights(n: int, *, n_boot: int, seed: int) -> FloatArray:
    """Row weights of each resample (resamples x rows): how often a multinomial bootstrap
    draw of ``n`` rows picked each row. Deterministic given ``seed``."""
    rng = np.random.default_rng(seed)
    w = np.empty((n_boot, n), dtype=np.float64)
    for b in range(n_boot):
        w[b] = np.bincount(rng.integers(0, n, size=n), minlength=n)
    return w


def weighted_auc(w: FloatArray, y: LabelArray, s: FloatArray) -> FloatArray:
    """ROC AUC of one group under each resample's row weights ``w`` (resamples x rows),
    ties counted half (``roc_auc_score`` with ``sample_weight``, vectorised over the
    resamples); NaN where a resample holds one class only."""
    _, inv = np.unique(s, return_inverse=True)
    n_u = int(inv.max()) + 1 if inv.size else 0
    pos = np.zeros((w.shape[0], n_u))
    neg = np.zeros((w.shape[0], n_u))
    yb = y.astype(bool)
    for b in range(w.shape[0]):
        pos[b] = np.bincount(inv[yb], weights=w[b, yb], minlength=n_u)
        neg[b] = np.bincount(inv[~yb], weights=w[b, ~yb], minlength=n_u)
    neg_below = np.cumsum(neg, axis=1) - neg
    num = np.sum(pos * (neg_below + 0.5 * neg), axis=1)
    den = pos.sum(axis=1) * neg.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def weighted_ece(w: FloatArray, y: LabelArray, s: FloatArray) -> FloatArray:
    """ECE of one group under each resample's weights, with the quantile bin edges of the
    original sample fixed (so it stays vectorised); with unit weights it is the group's
    ``expected_calibration_error``."""
    n = y.size
    bins = _ece_bins(n)
    edges = np.percentile(s, np.linspace(0.0, 100.0, bins + 1))
    ids = np.searchsorted(edges[1:-1], s)
    onehot = np.zeros((n, bins))
    onehot[np.arange(n), ids] = 1.0
    cnt = w @ onehot
    sum_y = (w * y) @ onehot
    sum_p = (w * s) @ onehot
    total = cnt.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, np.abs(sum_y - sum_p).sum(axis=1) / total, np.nan)


def percentile_ci(draws: FloatArray, *, alpha: float = 0.05) -> tuple[float, float] | None:
    """Percentile interval of bootstrap draws; ``None`` when fewer than half of them (or
    fewer than 10) are defined."""
    finite = draws[np.isfinite(draws)]
    if finite.size < max(10, int(0.5 * draws.size)):
        return None
    lo, hi = np.percentile(finite, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi)


@dataclass(slots=True)
class GroupEstimates:
    """One attribute's table before its disparities are tested: point estimates and
    bootstrap draws per reported group (suppressed groups have ``n`` only)."""

    attribute: str
    intersection: bool
    reference: str | None
    order: list[str]
    n: dict[str, int]
    points: dict[str, dict[str, float]]
    draws: dict[str, dict[str, FloatArray]]
    #: group -> flag metric -> (numerator, denominator) counts on the original data.
    counts: dict[str, dict[str, tuple[int, int]]]


def _reference(
    order: list[str], n: dict[str, int], configured: str | None, min_group_size: int
) -> str | None:
    """The configured reference group if it is a real reported group, else the largest."""
    real = [g for g in order if n[g] >= min_group_size and not is_not_a_group(g)]
    if configured is not None and configured in real:
        return configured
    return max(real, key=lambda g: n[g]) if real else None


def _rate_counts(yg: np.ndarray, pg: np.ndarray, n: int) -> dict[str, tuple[int, int]]:
    """(numerator, denominator) of each flag metric's rate in one group."""
    tp, fp = int(np.sum(yg & pg)), int(np.sum(~yg & pg))
    fn, tn = int(np.sum(yg & ~pg)), int(np.sum(~yg & ~pg))
    return {
        "selection_rate": (tp + fp, n),
        "tpr": (tp, tp + fn),
        "fpr": (fp, fp + tn),
        "fnr": (fn, tp + fn),
        "ppv": (tp, tp + fp),
    }


def _draws(wg: FloatArray, y: LabelArray, s: FloatArray, pg: np.ndarray) -> dict[str, FloatArray]:
    """Each metric of one group in every resample (``wg``: the group's row weights)."""
    yg = y.astype(bool)
    tp = wg[:, yg & pg].sum(axis=1)
    fp = wg[:, ~yg & pg].sum(axis=1)
    fn = wg[:, yg & ~pg].sum(axis=1)
    tn = wg[:, ~yg & ~pg].sum(axis=1)
    total = tp + fp + fn + tn
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "base_rate": np.where(total > 0, (tp + fn) / total, np.nan),
            "selection_rate": np.where(total > 0, (tp + fp) / total, np.nan),
            "tpr": np.where(tp + fn > 0, tp / (tp + fn), np.nan),
            "fpr": np.where(fp + tn > 0, fp / (fp + tn), np.nan),
            "fnr": np.where(tp + fn > 0, fn / (tp + fn), np.nan),
            "ppv": np.where(tp + fp > 0, tp / (tp + fp), np.nan),
            "auc": weighted_auc(wg, y, s),
            "ece": weighted_ece(wg, y, s),
        }


def estimate_table(
    attribute: str,
    groups: np.ndarray,
    y: LabelArray,
    s: FloatArray,
    w: FloatArray,
    *,
    threshold: float,
    reference: str | None,
    min_group_size: int,
    intersection: bool,
) -> GroupEstimates:
    """Point estimates, rate counts and bootstrap draws (under row weights ``w``) of every
    group of one attribute with at least ``min_group_size`` contacts."""
    frame = group_frame(y, s, groups, threshold=threshold)
    order = order_groups(attribute, list(frame.index))
    table = frame.to_dict(orient="index")
    n = {g: int(table[g]["count"]) for g in order}
    estimates = GroupEstimates(
        attribute,
        intersection,
        _reference(order, n, reference, min_group_size),
        order,
        n,
        points={},
        draws={},
        counts={},
    )
    prioritised = s >= threshold
    met = y.astype(bool)
    for g in order:
        if n[g] < min_group_size:
            continue
        mask = groups == g
        estimates.points[g] = {m: float(table[g][m]) for m in METRICS}
        estimates.counts[g] = _rate_counts(met[mask], prioritised[mask], n[g])
        estimates.draws[g] = _draws(w[:, mask], y[mask], s[mask], prioritised[mask])
    return estimates
