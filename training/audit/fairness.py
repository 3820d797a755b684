"""Fairness audit of calibrated scores: per-group metrics, disparities, trade-off, proxies.

Computation only: every function returns data and renders nothing, except
:func:`write_fairness_report`, which turns a :class:`FairnessResult` into ``fairness.json``
and one self-contained ``fairness.html`` (charts embedded as base64 PNGs).

What the report measures, per audit-only attribute of the child (ethnicity, sex, age band,
disability, deprivation band, interpreter need) and three intersections (ethnicity x sex,
ethnicity x deprivation band, ethnicity x disability):

* per group: count, base rate (share that met the threshold), selection rate (share
  prioritised at the operating threshold), TPR, FPR, FNR, PPV, ROC AUC and expected
  calibration error, computed by fairlearn's :class:`~fairlearn.metrics.MetricFrame` with
  the metric functions of :mod:`training.audit.evaluate`, each with a bootstrap 95% interval;
* disparity ratios ``group metric / reference group metric`` for selection rate, TPR, FPR,
  FNR and PPV, and the flags raised on them.

How flags are kept honest (no false alarms from small groups or from testing many cells):

* groups under :data:`~training.audit.evaluate.MIN_GROUP_SIZE` contacts are suppressed: no metric
  is shown and they are never flagged; "unknown" and "(missing)" groups are shown but never
  flagged (they are not a group of children);
* a ratio is flagged only when it lies outside ``ratio_bounds`` (0.8-1.25, the four-fifths
  rule) **and** its simultaneous interval excludes parity (1.0), **and** so does the
  Koopman score interval of the ratio at the same adjusted level, which guards small groups
  whose rate is near 0 or 1. The interval is
  Bonferroni-adjusted over every (group, metric) cell tested in the report, family-wise
  level 5%: ``exp(log ratio +- z * sd)``, with ``sd`` the bootstrap standard deviation of the
  log ratio and ``z`` the normal quantile at ``1 - 0.05 / (2 m)`` for ``m`` tested cells.
  A percentile bootstrap cannot reach such extreme quantiles with 200 resamples, so the
  normal approximation on the log scale is used for the flagging interval; the 95%
  percentile interval is reported alongside it;
* the SD has a floor, the delta-method SD from Agresti-Coull-smoothed counts, because a
  small group whose rate is 0 or 1 gives the same rate in every resample;
* a ratio is not tested when either rate's denominator (e.g. met contacts, for TPR) holds
  fewer than 10 contacts, when the reference group's rate is under 0.02 (a ratio of two
  tiny rates is unstable), when either rate is 0, or when more than 10% of resamples give
  an undefined ratio; the reason is recorded.

Bootstrap: rows are resampled with replacement from the whole set (``n_boot`` times; the
same resamples serve every attribute, so a group and its reference move together). Rates
come from resampled confusion counts per group, which is cheap; AUC and ECE are
recomputed per group and resample with weights (ECE keeps the original sample's quantile
bin edges in every resample, an approximation that keeps it vectorised).

No concern text reaches this module: it sees labels, scores, group names and feature
names only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from training.audit.evaluate import (
    MIN_GROUP_SIZE,
    MISSING_GROUP,
    expected_calibration_error,
    json_safe,
    roc_auc,
)

if TYPE_CHECKING:
    from scipy.sparse import spmatrix

    from training.audit.counterfactual import CounterfactualResult

__all__ = [
    "AGE_BANDS",
    "ATTRIBUTES",
    "DECILE_BANDS",
    "FLAG_METRICS",
    "INTERSECTIONS",
    "AttributeTable",
    "FairnessResult",
    "Flag",
    "GroupRow",
    "ProxyAttribute",
    "ProxyResult",
    "audit_groups",
    "fairness_report",
    "proxy_check",
    "render_fairness_html",
    "write_fairness_report",
]

#: Age bands of the DfE Children in Need census.
AGE_BANDS: Final[tuple[str, ...]] = ("under 1", "1-4", "5-9", "10-15", "16-17")
#: Index of Multiple Deprivation decile bands (1 = most deprived tenth of areas).
DECILE_BANDS: Final[tuple[str, ...]] = ("1-2", "3-4", "5-6", "7-8", "9-10")
UNKNOWN: Final = "unknown"
#: Group names that are not a group of children: shown, never flagged.
NOT_A_GROUP: Final[frozenset[str]] = frozenset({UNKNOWN, MISSING_GROUP})

#: Audit attribute -> contract column it derives from.
ATTRIBUTES: Final[dict[str, str]] = {
    "ethnicity": "child_ethnicity",
    "sex": "child_sex",
    "age_band": "child_age_years",
    "disability": "child_disability",
    "deprivation_band": "area_deprivation_decile",
    "interpreter": "needs_interpreter",
}
#: Intersections reported (ICO guidance asks for intersectional analysis).
INTERSECTIONS: Final[tuple[tuple[str, str], ...]] = (
    ("ethnicity", "sex"),
    ("ethnicity", "deprivation_band"),
    ("ethnicity", "disability"),
)
#: Display order of the known values of each attribute.
_ORDER: Final[dict[str, tuple[str, ...]]] = {
    "ethnicity": ("white", "mixed", "asian", "black", "other"),
    "sex": ("female", "male"),
    "age_band": AGE_BANDS,
    "disability": ("yes", "no"),
    "deprivation_band": DECILE_BANDS,
    "interpreter": ("yes", "no"),
}
#: Metrics reported per group, in table order.
METRICS: Final[tuple[str, ...]] = (
    "base_rate",
    "selection_rate",
    "tpr",
    "fpr",
    "fnr",
    "ppv",
    "auc",
    "ece",
)
#: Metrics whose disparity ratio can raise a flag.
FLAG_METRICS: Final[tuple[str, ...]] = ("selection_rate", "tpr", "fpr", "fnr", "ppv")
METRIC_LABELS: Final[dict[str, str]] = {
    "base_rate": "base rate (met the threshold)",
    "selection_rate": "selection rate (prioritised)",
    "tpr": "true positive rate (met contacts prioritised)",
    "fpr": "false positive rate (not-met contacts prioritised)",
    "fnr": "false negative rate (met contacts missed)",
    "ppv": "positive predictive value (prioritised that met)",
    "auc": "ROC AUC",
    "ece": "expected calibration error",
}
#: Reference-group rates below this make a ratio unstable: the ratio is not tested.
MIN_REFERENCE_RATE: Final = 0.02
#: Fewest contacts in a rate's denominator (e.g. met contacts, for TPR) for its ratio to
#: be tested: a rate over fewer contacts is too coarse to compare.
MIN_DENOMINATOR: Final = MIN_GROUP_SIZE
#: Family-wise error rate of the disparity tests across the whole report.
FAMILY_ALPHA: Final = 0.05
#: Most resamples with an undefined ratio (share) before the ratio is left untested.
MAX_UNDEFINED_SHARE: Final = 0.10
#: Proxy flag: the attribute is predictable from the features with macro AUC above this.
PROXY_AUC_THRESHOLD: Final = 0.65

FloatArray = npt.NDArray[np.float64]


# --------------------------------------------------------------------------- groups


def _band(values: pd.Series, edges: Sequence[int], labels: Sequence[str]) -> pd.Series:
    """Integer values into labelled bands: ``edges`` are the inclusive lower bounds."""
    num = pd.to_numeric(values, errors="coerce")
    out = pd.Series(MISSING_GROUP, index=values.index, dtype=object)
    for i, label in enumerate(labels):
        lo = edges[i]
        hi = edges[i + 1] if i + 1 < len(edges) else math.inf
        out[(num >= lo) & (num < hi)] = label
    return out


def _bool_group(values: pd.Series) -> pd.Series:
    def one(v: Any) -> str:
        if v is None or (np.ndim(v) == 0 and pd.isna(v)):
            return MISSING_GROUP
        if isinstance(v, bool | np.bool_):
            return "yes" if v else "no"
        text = str(v).strip().lower()
        if text in {"true", "yes", "y", "1", "t"}:
            return "yes"
        if text in {"false", "no", "n", "0", "f"}:
            return "no"
        return UNKNOWN

    return values.map(one).astype(object)


def _text_group(values: pd.Series) -> pd.Series:
    def one(v: Any) -> str:
        if v is None or (np.ndim(v) == 0 and pd.isna(v)):
            return MISSING_GROUP
        text = str(v).strip().lower()
        return text or MISSING_GROUP

    return values.map(one).astype(object)


def audit_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """The six audit attributes of each contact as group names, from the contract's
    audit-only columns of ``frame``.

    Columns ``ethnicity``, ``sex``, ``disability`` (enum values as recorded), ``age_band``
    (:data:`AGE_BANDS`, from ``child_age_years``), ``deprivation_band``
    (:data:`DECILE_BANDS`, from ``area_deprivation_decile``) and ``interpreter``
    (``yes``/``no``). A missing value, or a whole missing column, gives ``"(missing)"``;
    the enum value ``unknown`` stays ``"unknown"``. Same index as ``frame``.
    """
    out = pd.DataFrame(index=frame.index)
    for attribute, column in ATTRIBUTES.items():
        values = (
            frame[column]
            if column in frame.columns
            else pd.Series(None, index=frame.index, dtype=object)
        )
        if attribute == "age_band":
            out[attribute] = _band(values, (0, 1, 5, 10, 16), AGE_BANDS)
        elif attribute == "deprivation_band":
            out[attribute] = _band(values, (1, 3, 5, 7, 9), DECILE_BANDS)
        elif attribute == "interpreter":
            out[attribute] = _bool_group(values)
        else:
            out[attribute] = _text_group(values)
    return out


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Flag:
    """One finding that tools can act on.

    ``kind`` "disparity": ``metric`` is a rate (e.g. ``selection_rate``), ``value`` the
    group's rate, ``ratio`` its ratio to ``reference_group`` and ``ci`` the simultaneous
    interval of the ratio. "counterfactual": ``metric`` is ``mean_abs_shift`` or
    ``max_abs_shift`` of the score (probability units), ``group`` the cue changed.
    "proxy": ``metric`` is ``macro_auc`` of predicting the attribute from the features.
    """

    attribute: str
    group: str
    metric: str
    value: float
    reference_group: str | None
    ratio: float | None
    ci: tuple[float, float] | None
    kind: Literal["disparity", "counterfactual", "proxy"]
    message: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict with every field; ``ci`` as a two-item list or ``None``."""
        return json_safe(asdict(self))  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class GroupRow:
    """Metrics of one group of one attribute (or intersection).

    ``metrics``/``ci``: :data:`METRICS` -> value and 95% percentile bootstrap interval
    (``None`` when undefined, e.g. AUC of a one-class group, or suppressed).
    ``ratios``: :data:`FLAG_METRICS` -> ratio to the reference group; ``ratio_ci``: the
    95% percentile interval of the ratio; ``ratio_ci_adjusted``: the simultaneous
    (Bonferroni) interval used for flagging; ``not_tested``: metric -> why its ratio was
    not tested. ``suppressed``: fewer than the minimum contacts, so nothing but ``n`` is
    shown. ``flaggable``: a real group (not unknown/missing, not suppressed, not the
    reference).
    """

    group: str
    n: int
    suppressed: bool
    flaggable: bool
    metrics: dict[str, float | None]
    ci: dict[str, tuple[float, float] | None]
    ratios: dict[str, float | None]
    ratio_ci: dict[str, tuple[float, float] | None]
    ratio_ci_adjusted: dict[str, tuple[float, float] | None]
    not_tested: dict[str, str]


@dataclass(frozen=True, slots=True)
class AttributeTable:
    """Per-group table of one attribute or intersection (``"ethnicity x sex"``).

    ``reference_group`` is the group ratios are taken against (the largest real group
    unless configured), ``suppressed`` the names of suppressed groups.
    """

    attribute: str
    intersection: bool
    reference_group: str | None
    rows: list[GroupRow]
    suppressed: list[str]


@dataclass(frozen=True, slots=True)
class ProxyAttribute:
    """How well the model's features predict one audit attribute.

    ``macro_auc``: one-vs-rest macro ROC AUC of cross-validated logistic-regression
    predictions (0.5 = no information); ``balanced_accuracy`` against the majority-class
    ``baseline_balanced_accuracy`` (1 / number of classes). ``top_features``: the feature
    names with the largest absolute coefficients, each with its weight and the class it
    points to. ``n``: rows used (known values only). ``classes``: groups predicted.
    """

    attribute: str
    n: int
    classes: list[str]
    macro_auc: float | None
    balanced_accuracy: float | None
    baseline_balanced_accuracy: float | None
    top_features: list[dict[str, Any]]
    flagged: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class ProxyResult:
    """Proxy check over the audit attributes; ``threshold`` is the macro AUC above which an
    attribute is flagged as carried by the features."""

    attributes: list[ProxyAttribute]
    threshold: float = PROXY_AUC_THRESHOLD
    n_splits: int = 3

    def flags(self) -> list[Flag]:
        """One proxy flag per attribute predictable above the threshold."""
        out: list[Flag] = []
        for a in self.attributes:
            if not a.flagged or a.macro_auc is None:
                continue
            names = ", ".join(f["feature"] for f in a.top_features[:5])
            out.append(
                Flag(
                    attribute=a.attribute,
                    group="(all)",
                    metric="macro_auc",
                    value=a.macro_auc,
                    reference_group=None,
                    ratio=None,
                    ci=None,
                    kind="proxy",
                    message=(
                        f"The model's features predict {a.attribute} with AUC "
                        f"{a.macro_auc:.2f} (0.5 is no information); the features carrying "
                        f"it include: {names}."
                    ),
                )
            )
        return out


@dataclass(frozen=True, slots=True)
class FairnessResult:
    """Everything the fairness audit found.

    ``groups``: attribute (or ``"a x b"`` intersection) -> :class:`AttributeTable`.
    ``tradeoff``: which parity the service prioritises and the figures for both.
    ``flags``: every flagged finding (disparity, counterfactual, proxy). ``summary``:
    plain-language sentences for a reader who is not a statistician.
    ``z_adjusted``/``n_tests``: the Bonferroni quantile and the number of (group, metric)
    cells it covers.
    """

    n: int
    threshold: float
    groups: dict[str, AttributeTable]
    tradeoff: dict[str, Any]
    counterfactual: CounterfactualResult | None
    proxy: ProxyResult | None
    flags: list[Flag]
    summary: list[str]
    ratio_bounds: tuple[float, float] = (0.8, 1.25)
    n_boot: int = 200
    n_tests: int = 0
    z_adjusted: float = 0.0
    min_group_size: int = MIN_GROUP_SIZE
    method: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict; top-level ``flags`` is a list of dicts each with at least
        ``attribute``, ``group``, ``metric``, ``value``, ``kind`` and ``message``."""
        payload: dict[str, Any] = {
            "flags": [f.to_dict() for f in self.flags],
            "summary": list(self.summary),
            "n": self.n,
            "threshold": self.threshold,
            "ratio_bounds": list(self.ratio_bounds),
            "n_boot": self.n_boot,
            "n_tests": self.n_tests,
            "z_adjusted": self.z_adjusted,
            "min_group_size": self.min_group_size,
            "method": dict(self.method),
            "tradeoff": self.tradeoff,
            "groups": {k: asdict(v) for k, v in self.groups.items()},
            "counterfactual": (
                None if self.counterfactual is None else asdict(self.counterfactual)
            ),
            "proxy": None if self.proxy is None else asdict(self.proxy),
        }
        return json_safe(payload)  # type: ignore[no-any-return]




# --------------------------------------------------------------------------- metrics


def _rate(num: float, den: float) -> float:
    return num / den if den > 0 else math.nan


def _metric_functions(threshold: float) -> dict[str, Any]:
    """Metric callables ``(y_true, y_score) -> float`` for MetricFrame. Rates threshold the
    calibrated score at ``threshold`` (prioritised when ``score >= threshold``)."""

    def counts(y: np.ndarray, s: np.ndarray) -> tuple[float, float, float, float]:
        yb = np.asarray(y).astype(bool)
        pb = np.asarray(s, dtype=np.float64) >= threshold
        tp = float(np.sum(yb & pb))
        fp = float(np.sum(~yb & pb))
        fn = float(np.sum(yb & ~pb))
        tn = float(np.sum(~yb & ~pb))
        return tp, fp, fn, tn

    def count(y: np.ndarray, s: np.ndarray) -> float:
        return float(len(y))

    def base_rate(y: np.ndarray, s: np.ndarray) -> float:
        return float(np.mean(y)) if len(y) else math.nan

    def selection_rate(y: np.ndarray, s: np.ndarray) -> float:
        tp, fp, fn, tn = counts(y, s)
        return _rate(tp + fp, tp + fp + fn + tn)

    def tpr(y: np.ndarray, s: np.ndarray) -> float:
        tp, fp, fn, tn = counts(y, s)
        return _rate(tp, tp + fn)

    def fpr(y: np.ndarray, s: np.ndarray) -> float:
        tp, fp, fn, tn = counts(y, s)
        return _rate(fp, fp + tn)

    def fnr(y: np.ndarray, s: np.ndarray) -> float:
        tp, fp, fn, tn = counts(y, s)
        return _rate(fn, tp + fn)

    def ppv(y: np.ndarray, s: np.ndarray) -> float:
        tp, fp, fn, tn = counts(y, s)
        return _rate(tp, tp + fp)

    def auc(y: np.ndarray, s: np.ndarray) -> float:
        return roc_auc(np.asarray(y), np.asarray(s))

    def ece(y: np.ndarray, s: np.ndarray) -> float:
        n = len(y)
        if n == 0:
            return math.nan
        # As evaluate.group_metrics: at most n // 10 quantile bins, so each holds ~10.
        bins = max(1, min(10, n // 10))
        return expected_calibration_error(np.asarray(y), np.asarray(s), n_bins=bins)

    return {
        "count": count,
        "base_rate": base_rate,
        "selection_rate": selection_rate,
        "tpr": tpr,
        "fpr": fpr,
        "fnr": fnr,
        "ppv": ppv,
        "auc": auc,
        "ece": ece,
    }


def _group_frame(
    y: npt.NDArray[np.int8], s: FloatArray, groups: np.ndarray, *, threshold: float
) -> pd.DataFrame:
    """Point estimates per group (rows = groups, columns ``count`` and :data:`METRICS`),
    disaggregated by fairlearn's MetricFrame.

    One metric callable returns every value for a group: fairlearn copies the inputs
    element by element on every metric call, so nine separate callables cost nine times
    as much on large data. The values are those of the nine named functions of
    :func:`_metric_functions`.
    """
    from fairlearn.metrics import MetricFrame

    functions = _metric_functions(threshold)
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
    out = pd.DataFrame(
        [list(v) for v in by_group["all"]],
        index=by_group.index.astype(str),
        columns=names,
    )
    return out


def _weighted_auc(w: FloatArray, y: npt.NDArray[np.int8], s: FloatArray) -> FloatArray:
    """ROC AUC of one group under each resample's row weights ``w`` (resamples x rows),
    ties counted half; NaN where a resample holds one class only."""
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


def _weighted_ece(w: FloatArray, y: npt.NDArray[np.int8], s: FloatArray) -> FloatArray:
    """ECE of one group under each resample's weights, with the quantile bin edges of the
    original sample fixed (so it stays vectorised)."""
    n = y.size
    bins = max(1, min(10, n // 10))
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


def _percentile_ci(draws: FloatArray, *, alpha: float = 0.05) -> tuple[float, float] | None:
    finite = draws[np.isfinite(draws)]
    if finite.size < max(10, int(0.5 * draws.size)):
        return None
    lo, hi = np.percentile(finite, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi)


def _order_groups(attribute: str, present: Sequence[str]) -> list[str]:
    parts = attribute.split(" x ")
    if len(parts) == 1:
        known = [g for g in _ORDER.get(attribute, ()) if g in present]
    else:
        a, b = parts
        known = [
            f"{x} / {z}"
            for x in _ORDER.get(a, ())
            for z in _ORDER.get(b, ())
            if f"{x} / {z}" in present
        ]
    rest = sorted(set(present) - set(known), key=lambda g: (_is_not_a_group(g), g))
    return known + rest


def _is_not_a_group(name: str) -> bool:
    return any(part in NOT_A_GROUP for part in name.split(" / "))


@dataclass(slots=True)
class _Pending:
    """A table under construction: point estimates and bootstrap draws per group."""

    attribute: str
    intersection: bool
    reference: str | None
    order: list[str]
    n: dict[str, int]
    points: dict[str, dict[str, float]]
    draws: dict[str, dict[str, FloatArray]]
    #: group -> flag metric -> (numerator, denominator) counts on the original data.
    counts: dict[str, dict[str, tuple[int, int]]]


def _compute_table(
    attribute: str,
    groups: np.ndarray,
    y: npt.NDArray[np.int8],
    s: FloatArray,
    w: FloatArray,
    *,
    threshold: float,
    reference: str | None,
    min_group_size: int,
    intersection: bool,
) -> _Pending:
    frame = _group_frame(y, s, groups, threshold=threshold)
    order = _order_groups(attribute, list(frame.index))
    table = frame.to_dict(orient="index")
    n = {g: int(table[g]["count"]) for g in order}
    real = [g for g in order if n[g] >= min_group_size and not _is_not_a_group(g)]
    if reference is None or reference not in real:
        reference = max(real, key=lambda g: n[g]) if real else None

    points: dict[str, dict[str, float]] = {}
    draws: dict[str, dict[str, FloatArray]] = {}
    counts: dict[str, dict[str, tuple[int, int]]] = {}
    pred = s >= threshold
    yb = y.astype(bool)
    for g in order:
        if n[g] < min_group_size:
            continue
        points[g] = {m: float(table[g][m]) for m in METRICS}
        mask = groups == g
        wg = w[:, mask]
        yg, pg = yb[mask], pred[mask]
        c_tp, c_fp = int(np.sum(yg & pg)), int(np.sum(~yg & pg))
        c_fn, c_tn = int(np.sum(yg & ~pg)), int(np.sum(~yg & ~pg))
        counts[g] = {
            "selection_rate": (c_tp + c_fp, n[g]),
            "tpr": (c_tp, c_tp + c_fn),
            "fpr": (c_fp, c_fp + c_tn),
            "fnr": (c_fn, c_tp + c_fn),
            "ppv": (c_tp, c_tp + c_fp),
        }
        tp = wg[:, yg & pg].sum(axis=1)
        fp = wg[:, ~yg & pg].sum(axis=1)
        fn = wg[:, yg & ~pg].sum(axis=1)
        tn = wg[:, ~yg & ~pg].sum(axis=1)
        total = tp + fp + fn + tn
        with np.errstate(invalid="ignore", divide="ignore"):
            draws[g] = {
                "base_rate": np.where(total > 0, (tp + fn) / total, np.nan),
                "selection_rate": np.where(total > 0, (tp + fp) / total, np.nan),
                "tpr": np.where(tp + fn > 0, tp / (tp + fn), np.nan),
                "fpr": np.where(fp + tn > 0, fp / (fp + tn), np.nan),
                "fnr": np.where(tp + fn > 0, fn / (tp + fn), np.nan),
                "ppv": np.where(tp + fp > 0, tp / (tp + fp), np.nan),
                "auc": _weighted_auc(wg, y[mask], s[mask]),
                "ece": _weighted_ece(wg, y[mask], s[mask]),
            }
    return _Pending(attribute, intersection, reference, order, n, points, draws, counts)


def _testable(
    p: _Pending, g: str, metric: str
) -> tuple[FloatArray | None, float | None, str | None]:
    """(bootstrap log ratios, point ratio, reason not tested) for one cell."""
    ref = p.reference
    if ref is None or g == ref or g not in p.points:
        return None, None, None
    gv, rv = p.points[g][metric], p.points[ref][metric]
    if not (math.isfinite(gv) and math.isfinite(rv)) or rv == 0:
        return None, None, "undefined rate in this group or the reference"
    ratio = gv / rv
    if rv < MIN_REFERENCE_RATE:
        return None, ratio, f"reference rate {rv:.3f} under {MIN_REFERENCE_RATE}: ratio unstable"
    if gv == 0:
        return None, ratio, "rate is 0 in this group: ratio on a log scale undefined"
    if min(p.counts[g][metric][1], p.counts[ref][metric][1]) < MIN_DENOMINATOR:
        return None, ratio, f"fewer than {MIN_DENOMINATOR} contacts in the rate's denominator"
    with np.errstate(invalid="ignore", divide="ignore"):
        lr = np.log(p.draws[g][metric]) - np.log(p.draws[ref][metric])
    if np.mean(~np.isfinite(lr)) > MAX_UNDEFINED_SHARE:
        return None, ratio, "ratio undefined in too many resamples"
    return lr[np.isfinite(lr)], ratio, None


def _log_ratio_sd_floor(group: tuple[int, int], reference: tuple[int, int]) -> float:
    """Delta-method SD of a log ratio of two binomial rates, each smoothed as
    Agresti-Coull ((x + 1) / (d + 2)). A floor under the bootstrap SD: when a small group's
    rate is 0 or 1 every resample gives the same rate, and the bootstrap alone would claim
    a certainty the data cannot give."""
    var = 0.0
    for x, d in (group, reference):
        p = (x + 1.0) / (d + 2.0)
        var += (1.0 - p) / (max(d, 1) * p)
    return math.sqrt(var)


def _score_ratio_interval(
    group: tuple[int, int], reference: tuple[int, int], *, alpha: float
) -> tuple[float, float]:
    """The Koopman score interval for the ratio of two binomial rates at level ``alpha``
    (Koopman 1984; the asymptotic score interval that Fagerland, Lydersen and Laake 2015
    recommend for a risk ratio): every ratio ``theta`` that a score test of ``p_group =
    theta * p_reference`` does not reject.

    The normal approximation on the log scale understates the tails of a small group's rate
    near 0 or 1: a group of 26 at 23/26 against a reference at 0.61 had a normal interval of
    1.06-1.99 over some 150 cells, where the exact binomial tail (0.002) is far from
    significant at that many cells; the score interval is 0.87-1.65. Clopper-Pearson
    intervals of each rate divided crosswise (the fifth session's guard) are conservative
    twice over: they missed a model trained on labels biased against one group (false
    positive rates 123/182 against 1,427/2,794 over 253 cells: 0.97-1.69, where the score
    interval is 1.05-1.57)."""
    from scipy.stats import norm

    x1, n1 = group
    x2, n2 = reference
    z2 = float(norm.ppf(1.0 - alpha / 2.0)) ** 2
    total = n1 + n2

    def statistic(log_theta: float) -> float:
        theta = math.exp(log_theta)
        # the restricted maximum-likelihood p_reference under p_group = theta * p_reference
        b = theta * n1 + n2 + x1 + theta * x2
        disc = max(b * b - 4.0 * theta * total * (x1 + x2), 0.0)
        p2 = (b - math.sqrt(disc)) / (2.0 * theta * total)
        p1 = min(max(theta * p2, 1e-12), 1.0 - 1e-12)
        p2 = min(max(p2, 1e-12), 1.0 - 1e-12)
        return (x1 - n1 * p1) ** 2 / (n1 * p1 * (1.0 - p1)) + (x2 - n2 * p2) ** 2 / (
            n2 * p2 * (1.0 - p2)
        )

    def crossing(inside: float, outside: float) -> float:
        """Bisection between a log ratio the test accepts and one it rejects."""
        for _ in range(80):
            mid = (inside + outside) / 2.0
            if statistic(mid) <= z2:
                inside = mid
            else:
                outside = mid
        return math.exp((inside + outside) / 2.0)

    lo_end, hi_end = math.log(1e-9), math.log(1e9)
    if x2 == 0:
        return (0.0 if x1 == 0 else crossing(hi_end, lo_end)), math.inf
    if x1 == 0:
        return 0.0, crossing(lo_end, hi_end)
    centre = math.log((x1 / n1) / (x2 / n2))
    lo = 0.0 if statistic(lo_end) <= z2 else crossing(centre, lo_end)
    hi = math.inf if statistic(hi_end) <= z2 else crossing(centre, hi_end)
    return lo, hi


def _finish_table(
    p: _Pending, *, z: float, alpha: float, bounds: tuple[float, float], flags: list[Flag]
) -> AttributeTable:
    """``z`` and ``alpha``: the normal quantile and the two-sided level of one tested cell
    after the Bonferroni adjustment."""
    rows: list[GroupRow] = []
    suppressed: list[str] = []
    lo_b, hi_b = bounds
    for g in p.order:
        if g not in p.points:
            suppressed.append(g)
            rows.append(GroupRow(g, p.n[g], True, False, {}, {}, {}, {}, {}, {"all": "suppressed"}))
            continue
        flaggable = not _is_not_a_group(g) and g != p.reference
        metrics = {m: (v if math.isfinite(v) else None) for m, v in p.points[g].items()}
        ci = {m: _percentile_ci(p.draws[g][m]) for m in METRICS}
        ratios: dict[str, float | None] = {}
        ratio_ci: dict[str, tuple[float, float] | None] = {}
        adjusted: dict[str, tuple[float, float] | None] = {}
        not_tested: dict[str, str] = {}
        for m in FLAG_METRICS:
            lr, ratio, reason = _testable(p, g, m)
            ratios[m] = ratio
            ratio_ci[m] = None if lr is None else _percentile_ci(np.exp(lr))
            adjusted[m] = None
            if reason is not None:
                not_tested[m] = reason
            if lr is None or ratio is None:
                continue
            sd = max(
                float(np.std(lr, ddof=1)),
                _log_ratio_sd_floor(p.counts[g][m], p.counts[p.reference or g][m]),
            )
            interval = (
                float(math.exp(math.log(ratio) - z * sd)),
                float(math.exp(math.log(ratio) + z * sd)),
            )
            adjusted[m] = interval
            if not flaggable:
                continue
            flagged = (ratio < lo_b or ratio > hi_b) and (interval[0] > 1.0 or interval[1] < 1.0)
            if flagged:
                # the score interval (bisections) only where the bootstrap one would flag
                score = _score_ratio_interval(
                    p.counts[g][m], p.counts[p.reference or g][m], alpha=alpha
                )
                flagged = score[0] > 1.0 or score[1] < 1.0
            if flagged:
                value = p.points[g][m]
                flags.append(
                    Flag(
                        attribute=p.attribute,
                        group=g,
                        metric=m,
                        value=value,
                        reference_group=p.reference,
                        ratio=ratio,
                        ci=interval,
                        kind="disparity",
                        message=(
                            f"{METRIC_LABELS[m].capitalize()} for {p.attribute} '{g}' is "
                            f"{value:.3f}, {ratio:.2f} times that of '{p.reference}' "
                            f"(simultaneous interval {interval[0]:.2f} to {interval[1]:.2f}; "
                            f"fair range {lo_b} to {hi_b})."
                        ),
                    )
                )
        rows.append(
            GroupRow(
                group=g,
                n=p.n[g],
                suppressed=False,
                flaggable=flaggable,
                metrics=metrics,
                ci=ci,
                ratios=ratios,
                ratio_ci=ratio_ci,
                ratio_ci_adjusted=adjusted,
                not_tested=not_tested,
            )
        )
    return AttributeTable(p.attribute, p.intersection, p.reference, rows, suppressed)


# --------------------------------------------------------------------------- report


def _ratio_range(table: AttributeTable, metric: str) -> list[float] | None:
    values = [
        r.ratios[metric] for r in table.rows if r.flaggable and r.ratios.get(metric) is not None
    ]
    finite = [float(v) for v in values if v is not None and math.isfinite(v)]
    return [min(finite), max(finite)] if finite else None


def _tradeoff(groups: Mapping[str, AttributeTable]) -> dict[str, Any]:
    by_attribute: dict[str, Any] = {}
    for name, table in groups.items():
        if table.intersection:
            continue
        base = [
            float(v)
            for r in table.rows
            if not r.suppressed and (v := r.metrics.get("base_rate")) is not None
        ]
        by_attribute[name] = {
            "reference_group": table.reference_group,
            "base_rate_range": [min(base), max(base)] if base else None,
            **{f"{m}_ratio_range": _ratio_range(table, m) for m in FLAG_METRICS},
        }
    return {
        "prioritised": "equal_error_rates_for_missed_children",
        "primary_metrics": ["fnr", "tpr"],
        "also_reported": ["ppv", "fpr"],
        "statement": (
            "The service prioritises equal error rates for children who needed a referral: "
            "the false negative rate (a missed child) should be the same whatever the "
            "child's group, because a missed child costs most. Predictive parity (equal "
            "PPV) and the false positive rate (an unwarranted intrusion into a family) are "
            "reported alongside. When base rates differ between groups, equal error rates "
            "and predictive parity cannot both hold (Chouldechova 2017), so some gap in one "
            "of them is expected."
        ),
        "by_attribute": by_attribute,
    }


def _summary(
    *,
    n: int,
    groups: Mapping[str, AttributeTable],
    flags: Sequence[Flag],
    tradeoff: Mapping[str, Any],
    bounds: tuple[float, float],
    n_tests: int,
    counterfactual: CounterfactualResult | None,
    proxy: ProxyResult | None,
) -> list[str]:
    out = [
        f"This report compares how the model treats different groups of children across "
        f"{n:,} contacts. A difference is flagged only when a group's rate is outside "
        f"{bounds[0]} to {bounds[1]} times that of the comparison group and the difference "
        f"is too large to be chance, allowing for the {n_tests} comparisons made.",
    ]
    disparity = [f for f in flags if f.kind == "disparity"]
    if disparity:
        named = sorted({f"{f.attribute} '{f.group}'" for f in disparity})
        out.append(
            f"{len(disparity)} difference(s) were flagged, for: {', '.join(named)}. "
            "Each needs review before this model is used; details are in the tables below."
        )
    else:
        out.append(
            "No group was treated differently enough to be flagged: the differences seen "
            "are within the fair range or could be chance."
        )
    suppressed = sum(len(t.suppressed) for t in groups.values())
    if suppressed:
        out.append(
            f"{suppressed} group(s) with fewer than {MIN_GROUP_SIZE} contacts are not shown, "
            "as in published statistics: their numbers would be noise and could identify "
            "children."
        )
    fnr = tradeoff["by_attribute"].get("ethnicity", {}).get("fnr_ratio_range")
    ppv = tradeoff["by_attribute"].get("ethnicity", {}).get("ppv_ratio_range")
    if fnr or ppv:
        out.append(
            "The service cares most that no group's children are missed more often. By "
            "ethnicity, the share of children who needed a referral but were not "
            "prioritised ranges from "
            + (f"{fnr[0]:.2f} to {fnr[1]:.2f}" if fnr else "(not available)")
            + " times the largest group's; the share of prioritised contacts that met the "
            "threshold ranges from "
            + (f"{ppv[0]:.2f} to {ppv[1]:.2f}" if ppv else "(not available)")
            + " times. Both kinds of fairness cannot hold at once when groups' needs differ."
        )
    if counterfactual is not None:
        cf_flagged = [a.attribute for a in counterfactual.attributes if a.flagged]
        out.append(
            "Changing only a cue of a protected characteristic in the text (a name, "
            "pronouns, language, religion or address) "
            + (
                f"moved the score too much for: {', '.join(cf_flagged)}."
                if cf_flagged
                else "did not move the score by more than the tolerance."
            )
        )
    if proxy is not None:
        px = [a.attribute for a in proxy.attributes if a.flagged]
        out.append(
            "The model's features "
            + (
                f"carry information about: {', '.join(px)}; the model could treat groups "
                "differently through them."
                if px
                else "do not predict any audit attribute well."
            )
        )
    return out


def fairness_report(
    y_true: npt.ArrayLike,
    y_score: npt.ArrayLike,
    *,
    audit: pd.DataFrame,
    threshold: float,
    reference: Mapping[str, str] | None = None,
    n_boot: int = 200,
    seed: int = 0,
    ratio_bounds: tuple[float, float] = (0.8, 1.25),
    counterfactual: CounterfactualResult | None = None,
    proxy: ProxyResult | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
) -> FairnessResult:
    """The fairness audit of calibrated scores ``y_score`` against outcomes ``y_true``.

    ``audit``: one row per contact (same order), the columns of :func:`audit_groups`.
    ``threshold``: the operating threshold (prioritised when ``score >= threshold``),
    chosen beforehand on validation data. ``reference``: attribute (or ``"a x b"``) ->
    reference group; default the largest real group. ``counterfactual`` and ``proxy``
    results, when given, are included and their flags added. Deterministic given ``seed``.
    """
    y = np.asarray(y_true)
    if y.ndim != 1:
        raise ValueError("y_true must be one-dimensional")
    y = y.astype(np.float64)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y_true must hold only 0/1 or booleans")
    yi = y.astype(np.int8)
    s = np.asarray(y_score, dtype=np.float64)
    if s.shape != yi.shape:
        raise ValueError(f"y_score has {s.size} values but y_true has {yi.size}")
    if not np.all(np.isfinite(s)) or s.min(initial=0) < 0 or s.max(initial=0) > 1:
        raise ValueError("y_score must be probabilities in [0, 1]")
    if len(audit) != yi.size:
        raise ValueError(f"audit has {len(audit)} rows but y_true has {yi.size}")
    if n_boot < 20:
        raise ValueError("n_boot must be at least 20")
    reference = dict(reference or {})

    rng = np.random.default_rng(seed)
    # Row weights of each resample (resamples x rows): the multinomial bootstrap, shared by
    # every attribute so a group and its reference are resampled together.
    n = yi.size
    w = np.empty((n_boot, n), dtype=np.float64)
    for b in range(n_boot):
        w[b] = np.bincount(rng.integers(0, n, size=n), minlength=n)

    columns: dict[str, np.ndarray] = {}
    for attribute in ATTRIBUTES:
        if attribute in audit.columns:
            columns[attribute] = audit[attribute].astype(str).to_numpy(dtype=object)
    plan: list[tuple[str, np.ndarray, bool]] = [(a, g, False) for a, g in columns.items()]
    for first, second in INTERSECTIONS:
        if first in columns and second in columns:
            combined = np.asarray(
                [f"{x} / {z}" for x, z in zip(columns[first], columns[second], strict=True)],
                dtype=object,
            )
            plan.append((f"{first} x {second}", combined, True))

    pending = [
        _compute_table(
            name,
            groups,
            yi,
            s,
            w,
            threshold=threshold,
            reference=reference.get(name),
            min_group_size=min_group_size,
            intersection=inter,
        )
        for name, groups, inter in plan
    ]
    n_tests = 0
    for p in pending:
        for g in p.order:
            if g in p.points and not _is_not_a_group(g) and g != p.reference:
                n_tests += sum(1 for m in FLAG_METRICS if _testable(p, g, m)[0] is not None)
    from scipy.stats import norm

    alpha = FAMILY_ALPHA / max(1, n_tests)
    z = float(norm.ppf(1.0 - alpha / 2))
    flags: list[Flag] = []
    tables = {
        p.attribute: _finish_table(p, z=z, alpha=alpha, bounds=ratio_bounds, flags=flags)
        for p in pending
    }
    if counterfactual is not None:
        flags.extend(counterfactual.flags())
    if proxy is not None:
        flags.extend(proxy.flags())
    tradeoff = _tradeoff(tables)
    summary = _summary(
        n=n,
        groups=tables,
        flags=flags,
        tradeoff=tradeoff,
        bounds=ratio_bounds,
        n_tests=n_tests,
        counterfactual=counterfactual,
        proxy=proxy,
    )
    return FairnessResult(
        n=n,
        threshold=float(threshold),
        groups=tables,
        tradeoff=tradeoff,
        counterfactual=counterfactual,
        proxy=proxy,
        flags=flags,
        summary=summary,
        ratio_bounds=ratio_bounds,
        n_boot=n_boot,
        n_tests=n_tests,
        z_adjusted=z,
        min_group_size=min_group_size,
        method={
            "metrics": "fairlearn MetricFrame with training.audit.evaluate metric functions",
            "bootstrap": f"{n_boot} multinomial resamples of all rows, shared by all groups",
            "metric_ci": "95% percentile bootstrap",
            "flag_rule": (
                f"ratio outside {ratio_bounds[0]}-{ratio_bounds[1]} and the Bonferroni-"
                f"adjusted interval over {n_tests} tested cells (family-wise 5%, normal "
                "on the log ratio with bootstrap SD) excludes 1, and so does the Koopman "
                "score interval of the ratio at the same level"
            ),
            "ece_ci": "bootstrap with the original sample's quantile bin edges held fixed",
        },
    )


# --------------------------------------------------------------------------- proxy check


def proxy_check(
    X: spmatrix | npt.NDArray[Any],
    audit: pd.DataFrame,
    *,
    feature_names: Sequence[str],
    max_rows: int = 5000,
    seed: int = 0,
    n_splits: int = 3,
    top_k: int = 10,
    auc_threshold: float = PROXY_AUC_THRESHOLD,
) -> ProxyResult:
    """How well the model's features ``X`` (rows = contacts, same order as ``audit``)
    predict each audit attribute: a proxy for it the model could use.

    On a random sample of at most ``max_rows`` rows with a known value (not unknown or
    missing), classes with fewer than 20 rows dropped, a logistic regression is
    cross-validated (``n_splits`` folds); ``macro_auc`` is the one-vs-rest macro ROC AUC of
    its out-of-fold probabilities. The top features come from a fit on the whole sample,
    ranked by absolute coefficient. Flagged when ``macro_auc > auc_threshold``.
    """
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import balanced_accuracy_score, roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    names = np.asarray(list(feature_names), dtype=object)
    matrix = sparse.csr_matrix(X)
    if matrix.shape[0] != len(audit):
        raise ValueError(f"X has {matrix.shape[0]} rows but audit has {len(audit)}")
    if matrix.shape[1] != names.size:
        raise ValueError(f"X has {matrix.shape[1]} columns but {names.size} feature names")
    rng = np.random.default_rng(seed)
    results: list[ProxyAttribute] = []
    for attribute in ATTRIBUTES:
        if attribute not in audit.columns:
            continue
        labels = audit[attribute].astype(str).to_numpy(dtype=object)
        known = np.flatnonzero(~np.isin(labels, list(NOT_A_GROUP)))
        if known.size > max_rows:
            known = np.sort(rng.choice(known, size=max_rows, replace=False))
        values, counts = np.unique(labels[known], return_counts=True)
        keep_classes = values[counts >= 20]
        rows = known[np.isin(labels[known], keep_classes)]
        classes = [str(c) for c in keep_classes]
        if len(classes) < 2:
            results.append(
                ProxyAttribute(
                    attribute,
                    int(rows.size),
                    classes,
                    None,
                    None,
                    None,
                    [],
                    False,
                    note="fewer than two groups with 20 or more known rows",
                )
            )
            continue
        Xa, ya = matrix[rows], labels[rows].astype(str)
        model = LogisticRegression(max_iter=1000, class_weight="balanced")
        folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
        proba = cross_val_predict(model, Xa, ya, cv=folds, method="predict_proba")
        order = sorted(classes)
        if len(order) == 2:
            auc = float(roc_auc_score(ya == order[1], proba[:, 1]))
        else:
            auc = float(roc_auc_score(ya, proba, multi_class="ovr", average="macro", labels=order))
        bal = float(balanced_accuracy_score(ya, np.asarray(order)[proba.argmax(axis=1)]))
        model.fit(Xa, ya)
        coef = np.atleast_2d(model.coef_)
        if coef.shape[0] == 1:
            strength = np.abs(coef[0])
            towards = np.where(coef[0] > 0, order[1], order[0])
        else:
            strength = np.abs(coef).max(axis=0)
            towards = np.asarray(order)[np.abs(coef).argmax(axis=0)]
        top = np.argsort(-strength, kind="mergesort")[:top_k]
        results.append(
            ProxyAttribute(
                attribute=attribute,
                n=int(rows.size),
                classes=classes,
                macro_auc=auc,
                balanced_accuracy=bal,
                baseline_balanced_accuracy=1.0 / len(classes),
                top_features=[
                    {
                        "feature": str(names[i]),
                        "weight": float(strength[i]),
                        "towards": str(towards[i]),
                    }
                    for i in top
                    if strength[i] > 0
                ],
                flagged=auc > auc_threshold,
            )
        )
    return ProxyResult(results, threshold=auc_threshold, n_splits=n_splits)


# --------------------------------------------------------------------------- rendering

FAIRNESS_TEMPLATE: Final = "fairness.html.j2"
TEMPLATE_DIR: Final = Path(__file__).parent / "templates"
#: Ratios charted (the service's priority first).
CHART_METRICS: Final[tuple[str, ...]] = ("fnr", "tpr", "selection_rate", "fpr", "ppv")


def _forest_png(result: FairnessResult, metric: str) -> bytes | None:
    """Forest plot of one metric's disparity ratios (single attributes), log scale, with
    the simultaneous intervals and the fair range shaded; ``None`` when nothing to plot."""
    import io

    from matplotlib.figure import Figure

    labels: list[str] = []
    ratios: list[float] = []
    lows: list[float] = []
    highs: list[float] = []
    for name, table in result.groups.items():
        if table.intersection:
            continue
        for row in table.rows:
            ratio = row.ratios.get(metric)
            ci = row.ratio_ci_adjusted.get(metric)
            if not row.flaggable or ratio is None or ci is None:
                continue
            labels.append(f"{name}: {row.group} (vs {table.reference_group})")
            ratios.append(ratio)
            lows.append(ci[0])
            highs.append(ci[1])
    if not labels:
        return None
    height = 1.2 + 0.28 * len(labels)
    fig = Figure(figsize=(7.0, height), dpi=110, layout="constrained")
    ax = fig.add_subplot()
    pos = np.arange(len(labels))[::-1]
    lo_b, hi_b = result.ratio_bounds
    ax.axvspan(lo_b, hi_b, color="#dfe9f3", label=f"fair range {lo_b}-{hi_b}")
    ax.axvline(1.0, color="grey", linestyle="--", linewidth=1)
    r = np.asarray(ratios)
    err = np.vstack([r - np.asarray(lows), np.asarray(highs) - r])
    ax.errorbar(r, pos, xerr=err, fmt="o", color="C0", ecolor="C0", capsize=2)
    ax.set_yticks(pos, labels, fontsize=7)
    ax.set_xscale("log")
    ax.set_xlabel(f"ratio of {METRIC_LABELS[metric]} to the reference group")
    ax.set_title(f"Disparity: {METRIC_LABELS[metric]}", fontsize=9)
    ax.legend(loc="lower right", fontsize=7)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _counterfactual_png(result: FairnessResult) -> bytes | None:
    """Bar chart of mean and max absolute score shift per counterfactual attribute."""
    import io

    from matplotlib.figure import Figure

    cf = result.counterfactual
    if cf is None or not cf.attributes:
        return None
    fig = Figure(figsize=(6.0, 3.4), dpi=110, layout="constrained")
    ax = fig.add_subplot()
    names = [a.attribute for a in cf.attributes]
    x = np.arange(len(names))
    ax.bar(x - 0.2, [a.mean_abs_shift for a in cf.attributes], 0.4, label="mean |shift|")
    ax.bar(x + 0.2, [a.max_abs_shift for a in cf.attributes], 0.4, label="max |shift|")
    ax.axhline(cf.mean_threshold, color="C0", linestyle="--", linewidth=1)
    ax.axhline(cf.max_threshold, color="C1", linestyle="--", linewidth=1)
    ax.set_xticks(x, names, fontsize=8)
    ax.set_ylabel("score shift (probability)")
    ax.set_title("Counterfactual score shifts (dashed: tolerances)", fontsize=9)
    ax.legend(fontsize=7)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "\u2014"
    return f"{float(value):.{digits}f}"


def _fmt_ci(ci: Any, digits: int = 3) -> str:
    if not ci:
        return ""
    return f"{_fmt(ci[0], digits)}\u2013{_fmt(ci[1], digits)}"


def render_fairness_html(
    result: FairnessResult, *, model_name: str | None = None, model_version: str | None = None
) -> str:
    """The fairness report as one self-contained HTML page: summary first, then the
    trade-off, flags, per-attribute tables, charts (base64 PNGs), counterfactual and proxy
    results. Renders only what ``result`` holds (no concern text)."""
    import base64

    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    charts = []
    for metric in CHART_METRICS:
        png = _forest_png(result, metric)
        if png is not None:
            charts.append(
                {
                    "heading": f"Disparity ratios: {METRIC_LABELS[metric]}",
                    "src": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
                    "alt": (
                        f"Forest plot of the ratio of {METRIC_LABELS[metric]} of each group "
                        "to its reference group, with simultaneous intervals, on a log "
                        f"scale; the fair range {result.ratio_bounds[0]} to "
                        f"{result.ratio_bounds[1]} is shaded."
                    ),
                }
            )
    cf_png = _counterfactual_png(result)
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _fmt
    env.filters["ci"] = _fmt_ci
    return env.get_template(FAIRNESS_TEMPLATE).render(
        r=result,
        model_name=model_name,
        model_version=model_version,
        metrics=METRICS,
        flag_metrics=FLAG_METRICS,
        labels=METRIC_LABELS,
        charts=charts,
        cf_chart=(
            None
            if cf_png is None
            else "data:image/png;base64," + base64.b64encode(cf_png).decode("ascii")
        ),
    )


def write_fairness_report(
    result: FairnessResult,
    out_dir: Path,
    *,
    model_name: str | None = None,
    model_version: str | None = None,
) -> dict[str, Path]:
    """Write ``fairness.json`` (``result.to_dict()`` plus a ``report`` entry naming the
    model) and a self-contained ``fairness.html`` (summary first, then tables and charts
    embedded as data URIs) into ``out_dir`` (created if needed). Returns their paths under
    ``json`` and ``html``. Holds no concern text: results never contain any."""
    import json

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "fairness.json", "html": out_dir / "fairness.html"}
    payload = result.to_dict()
    payload["report"] = {"model_name": model_name, "model_version": model_version}
    paths["json"].write_text(json.dumps(payload, indent=2, allow_nan=False) + "\n", "utf-8")
    paths["html"].write_text(
        render_fairness_html(result, model_name=model_name, model_version=model_version),
        "utf-8",
    )
    return paths
