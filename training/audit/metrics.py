"""Metric functions of scores against outcomes: discrimination, calibration, resampled
intervals, the operating threshold, and the same metrics per group.

Every function returns data and renders nothing. The point metrics (ROC AUC, average
precision, Brier score, log loss) are scikit-learn's, checked here for the 0/1 labels and
probabilities the audit expects; their ``(y_true, y_score)`` signature lets fairness
reports hand them to fairlearn's ``MetricFrame`` unchanged. A bootstrap calls a metric
hundreds of times, so :func:`fast_roc_auc` and :func:`fast_average_precision` are
vectorised copies of two of them for resampling only (tests hold them to scikit-learn).

Conventions used throughout:

* ``y_true`` is the label ``met_threshold``: 1 (or ``True``) when the contact led to a
  referral or child-protection enquiries, else 0.
* ``y_score`` / ``y_prob`` is the model's calibrated probability of ``met_threshold``, in
  [0, 1]. Ranking metrics (AUC) accept any real score; calibration metrics need
  probabilities.
* A contact is *prioritised* (flagged for the screener to look at first) when its score is
  ``>= threshold``. "Workload" is the share of all contacts prioritised.

No concern text ever reaches this module: it sees labels, scores and group names only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import rankdata
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    log_loss,
    precision_recall_curve,
    roc_auc_score,
)

__all__ = [
    "GroupMetrics",
    "MIN_GROUP_SIZE",
    "MISSING_GROUP",
    "bootstrap_ci",
    "brier_score",
    "check_labels",
    "check_pair",
    "check_scores",
    "expected_calibration_error",
    "fast_average_precision",
    "fast_roc_auc",
    "group_metrics",
    "has_both_classes",
    "is_missing",
    "log_loss_score",
    "pr_auc",
    "priority_edges",
    "reliability_curve",
    "roc_auc",
    "threshold_for_recall",
    "wilson_interval",
]

#: Groups with fewer contacts than this have their metrics suppressed: the numbers would be
#: noise, and tiny groups risk identifying the children and families in them.
MIN_GROUP_SIZE = 10
MISSING_GROUP = "(missing)"

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]
LabelArray = npt.NDArray[np.int8]
#: Group labels per contact: strings, with None/NaN for missing.
GroupsLike = npt.ArrayLike | Sequence[Any]


# --------------------------------------------------------------------------- validation


def check_labels(y_true: ArrayLike) -> LabelArray:
    """``y_true`` as a 1-D array of 0/1; raises ``ValueError`` on anything else."""
    y = np.asarray(y_true)
    if y.ndim != 1:
        raise ValueError(f"y_true must be one-dimensional, got shape {y.shape}")
    if y.dtype == bool:
        return y.astype(np.int8)
    try:
        yf = y.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError("y_true must hold only 0/1 or booleans") from exc
    if not np.all((yf == 0.0) | (yf == 1.0)):
        raise ValueError("y_true must hold only 0/1 or booleans")
    return yf.astype(np.int8)


def check_scores(
    y_score: ArrayLike, n: int, *, name: str = "y_score", probability: bool
) -> FloatArray:
    """``y_score`` as finite floats of length ``n``; in [0, 1] when ``probability``."""
    s = np.asarray(y_score, dtype=np.float64)
    if s.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {s.shape}")
    if s.shape[0] != n:
        raise ValueError(f"{name} has {s.shape[0]} values but y_true has {n}")
    if not np.all(np.isfinite(s)):
        raise ValueError(f"{name} must be finite (no NaN or infinity)")
    if probability and (s.min(initial=0.0) < 0.0 or s.max(initial=0.0) > 1.0):
        raise ValueError(f"{name} must be probabilities in [0, 1]")
    return s


def check_pair(
    y_true: ArrayLike, y_score: ArrayLike, *, probability: bool
) -> tuple[LabelArray, FloatArray]:
    """Labels and scores checked together (see :func:`check_labels`, :func:`check_scores`)."""
    y = check_labels(y_true)
    return y, check_scores(y_score, y.shape[0], probability=probability)


def has_both_classes(y: LabelArray) -> bool:
    """Whether ``y`` holds contacts that met the threshold and contacts that did not."""
    return y.size > 0 and 0 < int(y.sum()) < y.size


def is_missing(value: Any) -> bool:
    """None, NaN, NaT or pandas' NA (a scalar only)."""
    return value is None or bool(np.ndim(value) == 0 and pd.isna(value))


# --------------------------------------------------------------------------- point metrics


def roc_auc(y_true: ArrayLike, y_score: ArrayLike) -> float:
    """Area under the ROC curve: the probability that a random contact which met the
    threshold scores above a random one which did not (ties count half).

    ``sklearn.metrics.roc_auc_score``; NaN when only one class is present.
    """
    y, s = check_pair(y_true, y_score, probability=False)
    return float(roc_auc_score(y, s)) if has_both_classes(y) else math.nan


def pr_auc(y_true: ArrayLike, y_score: ArrayLike) -> float:
    """Area under the precision-recall curve, as average precision: the mean, over the
    contacts that met the threshold, of the precision at the score that catches them.

    ``sklearn.metrics.average_precision_score`` (step-wise, not trapezoidal). Its chance
    level is the base rate, not 0.5. NaN when only one class is present.
    """
    y, s = check_pair(y_true, y_score, probability=False)
    return float(average_precision_score(y, s)) if has_both_classes(y) else math.nan


def brier_score(y_true: ArrayLike, y_prob: ArrayLike) -> float:
    """Mean squared difference between probability and outcome (0 is perfect; 0.25 is a
    constant 0.5). ``sklearn.metrics.brier_score_loss``; defined for one class."""
    y, p = check_pair(y_true, y_prob, probability=True)
    return float(brier_score_loss(y, p)) if y.size else math.nan


def log_loss_score(y_true: ArrayLike, y_prob: ArrayLike) -> float:
    """Mean negative log-likelihood of the outcomes in nats (lower is better):
    ``sklearn.metrics.log_loss``, which clips probabilities away from 0 and 1."""
    y, p = check_pair(y_true, y_prob, probability=True)
    return float(log_loss(y, p, labels=[0, 1])) if y.size else math.nan


# --------------------------------------------------------------------------- calibration


def _bin_ids(
    p: FloatArray, *, n_bins: int, strategy: Literal["uniform", "quantile"]
) -> tuple[npt.NDArray[np.intp], FloatArray]:
    """Bin of each probability, binned as ``sklearn.calibration.calibration_curve`` does
    (a value on an inner edge falls in the lower bin); returns (bin ids, edges)."""
    if n_bins < 1:
        raise ValueError("n_bins must be at least 1")
    if strategy == "quantile":
        edges = np.percentile(p, np.linspace(0.0, 100.0, n_bins + 1))
    elif strategy == "uniform":
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    else:
        raise ValueError(f"strategy must be 'uniform' or 'quantile', got {strategy!r}")
    return np.searchsorted(edges[1:-1], p), edges


def reliability_curve(
    y_true: ArrayLike,
    y_prob: ArrayLike,
    *,
    n_bins: int = 10,
    strategy: Literal["uniform", "quantile"] = "quantile",
) -> dict[str, Any]:
    """The reliability diagram's data: for each non-empty probability bin, the mean
    predicted probability, the observed frequency of ``met_threshold`` and the count.

    A calibrated model has ``observed`` close to ``mean_predicted`` in every bin. Keys:
    ``mean_predicted``, ``observed``, ``count`` (lists, one entry per non-empty bin, in
    increasing probability), ``strategy`` and ``n_bins`` (bins requested). The bins and
    values are those of ``sklearn.calibration.calibration_curve``, which gives no counts.
    """
    y, p = check_pair(y_true, y_prob, probability=True)
    if not y.size:
        return {
            "mean_predicted": [],
            "observed": [],
            "count": [],
            "strategy": strategy,
            "n_bins": n_bins,
        }
    ids, _ = _bin_ids(p, n_bins=n_bins, strategy=strategy)
    counts = np.bincount(ids, minlength=n_bins)
    sum_p = np.bincount(ids, weights=p, minlength=n_bins)
    sum_y = np.bincount(ids, weights=y.astype(np.float64), minlength=n_bins)
    keep = counts > 0
    return {
        "mean_predicted": (sum_p[keep] / counts[keep]).tolist(),
        "observed": (sum_y[keep] / counts[keep]).tolist(),
        "count": counts[keep].astype(int).tolist(),
        "strategy": strategy,
        "n_bins": n_bins,
    }


def expected_calibration_error(
    y_true: ArrayLike,
    y_prob: ArrayLike,
    *,
    n_bins: int = 10,
    strategy: Literal["uniform", "quantile"] = "quantile",
) -> float:
    """Expected calibration error: the count-weighted mean, over probability bins, of
    ``|observed frequency - mean predicted probability|``.

    In probability units (0.03 = scores are off by 3 percentage points on average). The
    default ``quantile`` bins hold equal numbers of contacts, which keeps the estimate
    stable when most scores are small. Uses the same bins as :func:`reliability_curve`.
    """
    curve = reliability_curve(y_true, y_prob, n_bins=n_bins, strategy=strategy)
    counts = np.asarray(curve["count"], dtype=np.float64)
    if counts.sum() == 0:
        return math.nan
    gaps = np.abs(np.asarray(curve["observed"]) - np.asarray(curve["mean_predicted"]))
    return float(np.sum(counts * gaps) / counts.sum())


# --------------------------------------------------------------------------- resampling


def fast_roc_auc(y: LabelArray, s: FloatArray) -> float:
    """:func:`roc_auc` of checked arrays by ranks (Mann-Whitney U, ties count half), for
    resampling: the same value as ``roc_auc_score`` to rounding, and faster."""
    n_pos = int(y.sum())
    n_neg = y.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return math.nan
    ranks = rankdata(s)  # average ranks: ties count half, as in sklearn
    rank_sum = float(ranks[y == 1].sum())
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def _descending_counts(y: LabelArray, s: FloatArray) -> tuple[FloatArray, FloatArray]:
    """At each distinct score, highest first: (true positives, false positives) counted
    over contacts with score >= that score."""
    order = np.argsort(-s, kind="mergesort")
    s_sorted = s[order]
    last_of_run = np.r_[np.flatnonzero(np.diff(s_sorted)), s_sorted.size - 1]
    tps = np.cumsum(y[order], dtype=np.float64)[last_of_run]
    fps = (last_of_run + 1).astype(np.float64) - tps
    return tps, fps


def fast_average_precision(y: LabelArray, s: FloatArray) -> float:
    """:func:`pr_auc` of checked arrays without scikit-learn's per-call validation, for
    resampling: the same value as ``average_precision_score`` to rounding."""
    if not has_both_classes(y):
        return math.nan
    tps, fps = _descending_counts(y, s)
    precision = tps / (tps + fps)
    recall = tps / tps[-1]
    return float(np.sum(np.diff(recall, prepend=0.0) * precision))


def bootstrap_ci(
    metric: Callable[[np.ndarray, np.ndarray], float],
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    n_boot: int = 200,
    alpha: float = 0.05,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval ``(lo, hi)`` at level ``1 - alpha`` for ``metric``.

    Resampling is stratified: each resample draws the contacts that met the threshold and
    those that did not separately, with replacement, keeping both counts, so a rare class
    never vanishes from a resample. Resamples where the metric is undefined (NaN, or it
    raises ``ValueError``) are skipped. Deterministic given ``seed``. ``(nan, nan)`` when
    the data hold one class only or no resample gave a value.
    """
    if n_boot < 1:
        raise ValueError("n_boot must be at least 1")
    if not 0.0 < alpha < 1.0:
        raise ValueError("alpha must be in (0, 1)")
    y = check_labels(y_true)
    s = check_scores(y_score, y.shape[0], probability=False)
    pos = np.flatnonzero(y == 1)
    neg = np.flatnonzero(y == 0)
    if pos.size == 0 or neg.size == 0:
        return (math.nan, math.nan)
    rng = np.random.default_rng(seed)
    values: list[float] = []
    for _ in range(n_boot):
        idx = np.concatenate(
            [pos[rng.integers(0, pos.size, pos.size)], neg[rng.integers(0, neg.size, neg.size)]]
        )
        try:
            value = float(metric(y[idx], s[idx]))
        except ValueError:
            continue
        if math.isfinite(value):
            values.append(value)
    if not values:
        return (math.nan, math.nan)
    lo, hi = np.quantile(np.asarray(values), [alpha / 2.0, 1.0 - alpha / 2.0])
    return (float(lo), float(hi))


def wilson_interval(successes: int, n: int, *, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval ``(lo, hi)`` of a proportion ``successes / n`` at
    ``confidence`` (two-sided). Unlike the normal approximation it stays inside [0, 1] and
    keeps its coverage near 0 and 1 and for small ``n``. ``(nan, nan)`` when ``n`` is 0."""
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must be in (0, 1)")
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")
    if n == 0:
        return (math.nan, math.nan)
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + confidence / 2.0))
    p = successes / n
    denominator = 1.0 + z * z / n
    centre = (p + z * z / (2.0 * n)) / denominator
    half = z * math.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denominator
    # The interval always holds p; the bounds with p guard it against rounding (at p = 0 or
    # 1, centre - half lands a hair either side of it).
    return (max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))


# --------------------------------------------------------------------------- thresholds


def threshold_for_recall(
    y_true: ArrayLike, y_score: ArrayLike, *, target_recall: float = 0.90
) -> float:
    """The highest score threshold whose recall of ``met_threshold`` is at least
    ``target_recall``, prioritising contacts with ``score >= threshold``.

    The highest such threshold gives the smallest workload that still catches the target
    share. Always one of the observed scores. Raises ``ValueError`` when no contact met
    the threshold (recall is undefined) or the target is outside (0, 1].
    """
    if not 0.0 < target_recall <= 1.0:
        raise ValueError("target_recall must be in (0, 1]")
    y, s = check_pair(y_true, y_score, probability=False)
    n_pos = int(y.sum())
    if n_pos == 0:
        raise ValueError("no positive outcomes: recall is undefined")
    # Thresholds ascending, recall at each (non-increasing); the last recall is the
    # curve's closing point, with no threshold.
    _, recall, thresholds = precision_recall_curve(y, s)
    # A whole number of contacts is needed; the slack guards against 0.9 * 10 = 9.000000000000002.
    needed = math.ceil(target_recall * n_pos - 1e-9)
    # recall is tps / n_pos, so comparing with needed / n_pos is exact.
    reaching = np.flatnonzero(recall[:-1] >= needed / n_pos)
    return float(thresholds[reaching[-1]])


def priority_edges(train_scores: ArrayLike) -> np.ndarray:
    """The 9 inner decile edges (10th, 20th, ..., 90th percentiles) of the training score
    distribution, non-decreasing. Stored with the model so that priority means "which tenth
    of past contacts this score would have fallen in"."""
    s = np.asarray(train_scores, dtype=np.float64)
    if s.ndim != 1 or s.size == 0:
        raise ValueError("train_scores must be a non-empty one-dimensional array")
    if not np.all(np.isfinite(s)):
        raise ValueError("train_scores must be finite")
    return np.quantile(s, np.linspace(0.1, 0.9, 9))


# --------------------------------------------------------------------------- groups


@dataclass(frozen=True, slots=True)
class GroupMetrics:
    """Metrics of one group of contacts (e.g. one referral source).

    ``suppressed``: the group has fewer than ``MIN_GROUP_SIZE`` contacts, so every metric
    is ``None`` (``n`` is still given). ``roc_auc`` and ``pr_auc`` are ``None`` when the
    group holds one class only. ``ece`` uses quantile bins, at most ``n // 10`` of them.
    """

    group: str
    n: int
    base_rate: float | None
    roc_auc: float | None
    pr_auc: float | None
    brier: float | None
    ece: float | None
    suppressed: bool


def _none_if_nan(x: float) -> float | None:
    return None if math.isnan(x) else x


def _group_names(groups: GroupsLike, n: int) -> npt.NDArray[np.object_]:
    g = np.asarray(groups, dtype=object)
    if g.ndim != 1 or g.shape[0] != n:
        raise ValueError(f"groups must be one-dimensional with {n} values")
    # Built from a list: ``astype(str)`` would size the dtype to the longest value and
    # truncate the missing-group name.
    return np.array(
        [MISSING_GROUP if is_missing(v) else str(v) for v in g],
        dtype=object,
    )


def _ordered_groups(names: npt.NDArray[np.object_], order: Sequence[str]) -> list[str]:
    """Groups present: those in ``order`` first, then the rest alphabetically, then the
    missing group."""
    present = set(names.tolist())
    ordered = [g for g in order if g in present]
    ordered += sorted(present - set(ordered) - {MISSING_GROUP})
    if MISSING_GROUP in present and MISSING_GROUP not in ordered:
        ordered.append(MISSING_GROUP)
    return ordered


def group_metrics(
    y_true: ArrayLike,
    y_prob: ArrayLike,
    groups: GroupsLike,
    *,
    order: Sequence[str] = (),
    min_group_size: int = MIN_GROUP_SIZE,
    n_bins: int = 10,
) -> list[GroupMetrics]:
    """Metrics per group, each computed on that group's contacts alone.

    Groups are listed in ``order`` first (those present), then the rest alphabetically.
    Missing group values (None/NaN) form the group ``"(missing)"``, listed last.
    """
    y, p = check_pair(y_true, y_prob, probability=True)
    names = _group_names(groups, y.size)
    out: list[GroupMetrics] = []
    for group in _ordered_groups(names, order):
        mask = names == group
        n = int(mask.sum())
        if n < min_group_size:
            out.append(GroupMetrics(group, n, None, None, None, None, None, suppressed=True))
            continue
        yg, pg = y[mask], p[mask]
        bins = max(1, min(n_bins, n // 10))
        out.append(
            GroupMetrics(
                group=group,
                n=n,
                base_rate=float(yg.mean()),
                roc_auc=_none_if_nan(roc_auc(yg, pg)),
                pr_auc=_none_if_nan(pr_auc(yg, pg)),
                brier=brier_score(yg, pg),
                ece=expected_calibration_error(yg, pg, n_bins=bins, strategy="quantile"),
                suppressed=False,
            )
        )
    return out
