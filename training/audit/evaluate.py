"""Evaluation of scores against outcomes: discrimination, calibration, operating point.

Computation only: every function here returns data and renders nothing (``report.py``
turns an :class:`EvaluationResult` into JSON, charts and HTML). Metric functions keep the
``(y_true, y_pred)`` signature so fairness reports can hand them to fairlearn's
``MetricFrame`` unchanged.

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
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import rankdata

from training.data.contract import SOURCES

__all__ = [
    "EvaluationResult",
    "GroupMetrics",
    "MIN_GROUP_SIZE",
    "OperatingPoint",
    "bootstrap_ci",
    "brier_score",
    "evaluate_scores",
    "expected_calibration_error",
    "flat_metrics",
    "group_metrics",
    "json_safe",
    "log_loss_score",
    "pr_auc",
    "priority_edges",
    "reliability_curve",
    "roc_auc",
    "threshold_for_recall",
    "to_band",
    "to_priority",
]

#: Groups with fewer contacts than this have their metrics suppressed: the numbers would be
#: noise, and tiny groups risk identifying the children and families in them.
MIN_GROUP_SIZE = 10
#: Most points kept in the ROC and PR curves stored in a result (enough for a smooth chart,
#: small enough for a JSON artifact).
MAX_CURVE_POINTS = 200
MISSING_GROUP = "(missing)"

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]
#: Group labels per contact: strings, with None/NaN for missing.
GroupsLike = npt.ArrayLike | Sequence[Any]


# --------------------------------------------------------------------------- validation


def _labels(y_true: ArrayLike) -> npt.NDArray[np.int8]:
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


def _scores(y_score: ArrayLike, n: int, *, name: str = "y_score", probability: bool) -> FloatArray:
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


def _pair(
    y_true: ArrayLike, y_score: ArrayLike, *, probability: bool
) -> tuple[npt.NDArray[np.int8], FloatArray]:
    y = _labels(y_true)
    return y, _scores(y_score, y.shape[0], probability=probability)


def _both_classes(y: npt.NDArray[np.int8]) -> bool:
    return y.size > 0 and 0 < int(y.sum()) < y.size


# --------------------------------------------------------------------------- metrics


def roc_auc(y_true: ArrayLike, y_score: ArrayLike) -> float:
    """Area under the ROC curve: the probability that a random contact which met the
    threshold scores above a random one which did not (ties count half).

    Equal to ``sklearn.metrics.roc_auc_score``, computed by ranks (Mann-Whitney U) so that
    bootstrap resampling stays fast. NaN when only one class is present.
    """
    y, s = _pair(y_true, y_score, probability=False)
    return _roc_auc(y, s)


def _roc_auc(y: npt.NDArray[np.int8], s: FloatArray) -> float:
    n_pos = int(y.sum())
    n_neg = y.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return math.nan
    ranks = rankdata(s)  # average ranks: ties count half, as in sklearn
    rank_sum = float(ranks[y == 1].sum())
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def _descending_counts(
    y: npt.NDArray[np.int8], s: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """At each distinct score, highest first: (threshold, true positives, false positives)
    counted over contacts with score >= threshold."""
    order = np.argsort(-s, kind="mergesort")
    s_sorted = s[order]
    y_sorted = y[order]
    last_of_run = np.r_[np.flatnonzero(np.diff(s_sorted)), s_sorted.size - 1]
    tps = np.cumsum(y_sorted, dtype=np.float64)[last_of_run]
    fps = (last_of_run + 1).astype(np.float64) - tps
    return s_sorted[last_of_run], tps, fps


def pr_auc(y_true: ArrayLike, y_score: ArrayLike) -> float:
    """Area under the precision-recall curve, as average precision: the mean, over the
    contacts that met the threshold, of the precision at the score that catches them.

    Equal to ``sklearn.metrics.average_precision_score`` (step-wise, not trapezoidal).
    Its chance level is the base rate, not 0.5. NaN when only one class is present.
    """
    y, s = _pair(y_true, y_score, probability=False)
    return _pr_auc(y, s)


def _pr_auc(y: npt.NDArray[np.int8], s: FloatArray) -> float:
    if not _both_classes(y):
        return math.nan
    _, tps, fps = _descending_counts(y, s)
    precision = tps / (tps + fps)
    recall = tps / tps[-1]
    return float(np.sum(np.diff(recall, prepend=0.0) * precision))


def brier_score(y_true: ArrayLike, y_prob: ArrayLike) -> float:
    """Mean squared difference between probability and outcome (0 is perfect; 0.25 is a
    constant 0.5). Equal to ``sklearn.metrics.brier_score_loss``; defined for one class."""
    y, p = _pair(y_true, y_prob, probability=True)
    return float(np.mean((p - y) ** 2)) if y.size else math.nan


def log_loss_score(y_true: ArrayLike, y_prob: ArrayLike) -> float:
    """Mean negative log-likelihood of the outcomes in nats (lower is better), with
    probabilities clipped away from 0 and 1 as ``sklearn.metrics.log_loss`` does."""
    y, p = _pair(y_true, y_prob, probability=True)
    if not y.size:
        return math.nan
    eps = float(np.finfo(np.float64).eps)
    p = np.clip(p, eps, 1.0 - eps)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))


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
    increasing probability), ``strategy`` and ``n_bins`` (bins requested).
    """
    y, p = _pair(y_true, y_prob, probability=True)
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
    y = _labels(y_true)
    s = _scores(y_score, y.shape[0], probability=False)
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


# --------------------------------------------------------------------------- operating point


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
    y, s = _pair(y_true, y_score, probability=False)
    n_pos = int(y.sum())
    if n_pos == 0:
        raise ValueError("no positive outcomes: recall is undefined")
    thresholds, tps, _ = _descending_counts(y, s)
    # Integer count needed; the small slack guards against 0.9 * 10 = 9.000000000000002.
    needed = math.ceil(target_recall * n_pos - 1e-9)
    first = int(np.argmax(tps >= needed))
    return float(thresholds[first])


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
    y: npt.NDArray[np.int8], s: FloatArray, *, threshold: float, target_recall: float
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


# --------------------------------------------------------------------------- priority, band


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


def to_priority(scores: ArrayLike, edges: ArrayLike) -> np.ndarray:
    """Priority 1-10 of each score: 1 + the number of decile edges at or below it.

    10 is the highest-scoring tenth of training contacts, 1 the lowest. A score equal to
    an edge takes the higher priority. Returns ints (``np.int64``).
    """
    e = np.asarray(edges, dtype=np.float64)
    if e.shape != (9,) or np.any(np.diff(e) < 0) or not np.all(np.isfinite(e)):
        raise ValueError("edges must be 9 finite, non-decreasing values (see priority_edges)")
    s = np.asarray(scores, dtype=np.float64)
    if not np.all(np.isfinite(s)):
        raise ValueError("scores must be finite")
    return (1 + np.searchsorted(e, s, side="right")).astype(np.int64)


def to_band(scores: ArrayLike, *, cuts: tuple[float, float]) -> np.ndarray:
    """Band of each score: ``"low"`` below ``cuts[0]``, ``"medium"`` from ``cuts[0]`` up
    to (not including) ``cuts[1]``, ``"high"`` from ``cuts[1]``. Requires
    ``cuts[0] <= cuts[1]``. Returns an array of strings."""
    low_cut, high_cut = float(cuts[0]), float(cuts[1])
    if not low_cut <= high_cut:
        raise ValueError("cuts must be (low_cut, high_cut) with low_cut <= high_cut")
    s = np.asarray(scores, dtype=np.float64)
    if not np.all(np.isfinite(s)):
        raise ValueError("scores must be finite")
    return np.where(s < low_cut, "low", np.where(s < high_cut, "medium", "high"))


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


def _is_missing(value: Any) -> bool:
    """None, NaN, NaT or pandas' NA (a scalar only)."""
    return value is None or bool(np.ndim(value) == 0 and pd.isna(value))


def _group_names(groups: GroupsLike, n: int) -> npt.NDArray[np.object_]:
    g = np.asarray(groups, dtype=object)
    if g.ndim != 1 or g.shape[0] != n:
        raise ValueError(f"groups must be one-dimensional with {n} values")
    # Built from a list: ``astype(str)`` would size the dtype to the longest value and
    # truncate the missing-group name.
    return np.array(
        [MISSING_GROUP if _is_missing(v) else str(v) for v in g],
        dtype=object,
    )


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
    y, p = _pair(y_true, y_prob, probability=True)
    names = _group_names(groups, y.size)
    present = set(names.tolist())
    ordered = [g for g in order if g in present]
    ordered += sorted(present - set(ordered) - {MISSING_GROUP})
    if MISSING_GROUP in present and MISSING_GROUP not in ordered:
        ordered.append(MISSING_GROUP)
    out: list[GroupMetrics] = []
    for group in ordered:
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
                roc_auc=_none_if_nan(_roc_auc(yg, pg)),
                pr_auc=_none_if_nan(_pr_auc(yg, pg)),
                brier=float(np.mean((pg - yg) ** 2)),
                ece=expected_calibration_error(yg, pg, n_bins=bins, strategy="quantile"),
                suppressed=False,
            )
        )
    return out


# --------------------------------------------------------------------------- result


def json_safe(value: Any) -> Any:
    """Python scalars, lists and dicts only; NaN and infinities become ``None``."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [json_safe(v) for v in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, np.str_):
        return str(value)
    return value


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    """Everything measured about a model's scores on one data set.

    ``*_ci`` are bootstrap percentile intervals at ``ci_level``. ``oracle_auc`` is the AUC
    of the generator's true probability (the best any model could do on this data; only
    for synthetic data), and ``auc_ratio_to_oracle`` is ``roc_auc / oracle_auc``.
    ``threshold_origin`` says whether the operating threshold was chosen on this data
    (``"this_data"``) or given, e.g. chosen on validation data (``"given"``).
    ``reliability``: see :func:`reliability_curve`. ``roc_curve``: ``fpr``, ``tpr``;
    ``pr_curve``: ``precision``, ``recall`` (each at most 200 points).
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


def _thin(*arrays: np.ndarray, max_points: int = MAX_CURVE_POINTS) -> list[list[float]]:
    """Evenly thin parallel curve arrays to at most ``max_points``, keeping both ends."""
    size = arrays[0].size
    if size <= max_points:
        return [a.astype(float).tolist() for a in arrays]
    idx = np.unique(np.round(np.linspace(0, size - 1, max_points)).astype(int))
    return [a[idx].astype(float).tolist() for a in arrays]


def _priority_table(
    y: npt.NDArray[np.int8], priority: ArrayLike, *, min_group_size: int
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


def evaluate_scores(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    source: GroupsLike | None = None,
    p_true: ArrayLike | None = None,
    priority: ArrayLike | None = None,
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
    (:func:`threshold_for_recall`); otherwise the given threshold (chosen on validation
    data) is applied and the recall it achieves here is reported. ``source`` (referral
    source per contact) adds per-source metrics; ``p_true`` (the generator's true
    probability) adds the oracle AUC, and is ignored when entirely NaN; ``priority``
    (1-10 per contact) adds the priority table. Requires both outcomes to be present.
    """
    y, s = _pair(y_true, y_score, probability=True)
    if not _both_classes(y):
        raise ValueError("evaluation needs contacts with both outcomes (met and not met)")
    chosen = (
        threshold_for_recall(y, s, target_recall=target_recall)
        if threshold is None
        else float(threshold)
    )
    op = _operating_point(y, s, threshold=chosen, target_recall=target_recall)

    auc = _roc_auc(y, s)
    ap = _pr_auc(y, s)

    def ci(scores: FloatArray) -> tuple[float, float]:
        return bootstrap_ci(_roc_auc, y, scores, n_boot=n_boot, alpha=alpha, seed=seed)

    oracle_auc: float | None = None
    oracle_ci: tuple[float, float] | None = None
    ratio: float | None = None
    if p_true is not None:
        pt_raw = np.asarray(p_true, dtype=np.float64)
        if not np.all(np.isnan(pt_raw)):
            pt = _scores(pt_raw, y.size, name="p_true", probability=True)
            oracle_auc = _roc_auc(y, pt)
            oracle_ci = ci(pt)
            ratio = auc / oracle_auc if oracle_auc > 0 else None

    roc_fpr, roc_tpr = _roc_points(y, s)
    pr_precision, pr_recall = _pr_points(y, s)
    return EvaluationResult(
        n=int(y.size),
        base_rate=float(y.mean()),
        roc_auc=auc,
        roc_auc_ci=ci(s),
        pr_auc=ap,
        pr_auc_ci=bootstrap_ci(_pr_auc, y, s, n_boot=n_boot, alpha=alpha, seed=seed),
        brier=float(np.mean((s - y) ** 2)),
        log_loss=log_loss_score(y, s),
        ece=expected_calibration_error(y, s, n_bins=n_bins, strategy="quantile"),
        oracle_auc=oracle_auc,
        oracle_auc_ci=oracle_ci,
        auc_ratio_to_oracle=ratio,
        operating_point=op,
        per_source=(
            []
            if source is None
            else group_metrics(
                y, s, source, order=SOURCES, min_group_size=min_group_size, n_bins=n_bins
            )
        ),
        reliability=reliability_curve(y, s, n_bins=n_bins, strategy="quantile"),
        roc_curve={"fpr": roc_fpr, "tpr": roc_tpr},
        pr_curve={"precision": pr_precision, "recall": pr_recall},
        priority_table=(
            None
            if priority is None
            else _priority_table(y, priority, min_group_size=min_group_size)
        ),
        threshold_origin="this_data" if threshold is None else "given",
        ci_level=1.0 - alpha,
        n_boot=n_boot,
    )


def _roc_points(y: npt.NDArray[np.int8], s: FloatArray) -> list[list[float]]:
    """ROC curve from (0, 0) to (1, 1), one point per distinct score."""
    _, tps, fps = _descending_counts(y, s)
    tpr = np.r_[0.0, tps / tps[-1]]
    fpr = np.r_[0.0, fps / fps[-1]]
    return _thin(fpr, tpr)


def _pr_points(y: npt.NDArray[np.int8], s: FloatArray) -> list[list[float]]:
    """Precision-recall curve, one point per distinct score, by increasing recall; starts
    at recall 0 with precision 1 as sklearn's ``precision_recall_curve`` ends."""
    _, tps, fps = _descending_counts(y, s)
    precision = np.r_[1.0, tps / (tps + fps)]
    recall = np.r_[0.0, tps / tps[-1]]
    return _thin(precision, recall)


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
