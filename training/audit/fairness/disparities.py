"""Disparity ratios and the flags raised on them, kept honest for small groups and for the
many cells a report tests.

A ratio ``group rate / reference group rate`` is flagged only when it lies outside
``ratio_bounds`` (0.8-1.25, the four-fifths rule) **and** its simultaneous interval
excludes parity (1.0), **and** so does the Koopman score interval of the ratio at the same
adjusted level, which guards small groups whose rate is near 0 or 1. The simultaneous
interval is Bonferroni-adjusted over every (group, metric) cell tested in the report,
family-wise level 5%: ``exp(log ratio +- z * sd)``, with ``sd`` the bootstrap standard
deviation of the log ratio and ``z`` the normal quantile at ``1 - 0.05 / (2 m)`` for ``m``
tested cells. A percentile bootstrap cannot reach such extreme quantiles with 200
resamples, so the normal approximation on the log scale is used for the flagging interval;
the 95% percentile interval is reported alongside it. The SD has a floor, the delta-method
SD from Agresti-Coull-smoothed counts, because a small group whose rate is 0 or 1 gives the
same rate in every resample.

A ratio is not tested when either rate's denominator (e.g. met contacts, for TPR) holds
fewer than 10 contacts, when the reference group's rate is under 0.02 (a ratio of two tiny
rates is unstable), when either rate is 0, or when more than 10% of resamples give an
undefined ratio; the reason is recorded. Groups that are unknown, missing, suppressed or
the reference are never flagged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from training.audit.fairness.groups import is_not_a_group
from training.audit.fairness.metrics import GroupEstimates, percentile_ci
from training.audit.fairness.types import (
    FLAG_METRICS,
    METRIC_LABELS,
    METRICS,
    AttributeTable,
    GroupRow,
)
from training.audit.metrics import MIN_GROUP_SIZE, FloatArray
from training.audit.results import Flag

__all__ = [
    "FAMILY_ALPHA",
    "MAX_UNDEFINED_SHARE",
    "MIN_DENOMINATOR",
    "MIN_REFERENCE_RATE",
    "adjusted_level",
    "count_tests",
    "finish_table",
    "log_ratio_sd_floor",
    "score_ratio_interval",
]

#: Reference-group rates below this make a ratio unstable: the ratio is not tested.
MIN_REFERENCE_RATE: Final = 0.02
#: Fewest contacts in a rate's denominator (e.g. met contacts, for TPR) for its ratio to
#: be tested: a rate over fewer contacts is too coarse to compare.
MIN_DENOMINATOR: Final = MIN_GROUP_SIZE
#: Family-wise error rate of the disparity tests across the whole report.
FAMILY_ALPHA: Final = 0.05
#: Most resamples with an undefined ratio (share) before the ratio is left untested.
MAX_UNDEFINED_SHARE: Final = 0.10


def _testable(
    p: GroupEstimates, g: str, metric: str
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


def count_tests(tables: Sequence[GroupEstimates]) -> int:
    """How many (group, metric) cells the report tests: the ``m`` of the Bonferroni
    adjustment."""
    n_tests = 0
    for p in tables:
        for g in p.order:
            if g in p.points and not is_not_a_group(g) and g != p.reference:
                n_tests += sum(1 for m in FLAG_METRICS if _testable(p, g, m)[0] is not None)
    return n_tests


def adjusted_level(n_tests: int) -> tuple[float, float]:
    """``(alpha, z)``: the two-sided level of one of ``n_tests`` cells after the Bonferroni
    adjustment (family-wise :data:`FAMILY_ALPHA`), and its normal quantile."""
    from scipy.stats import norm

    alpha = FAMILY_ALPHA / max(1, n_tests)
    return alpha, float(norm.ppf(1.0 - alpha / 2))


def log_ratio_sd_floor(group: tuple[int, int], reference: tuple[int, int]) -> float:
    """Delta-method SD of a log ratio of two binomial rates, each smoothed as
    Agresti-Coull ((x + 1) / (d + 2)). A floor under the bootstrap SD: when a small group's
    rate is 0 or 1 every resample gives the same rate, and the bootstrap alone would claim
    a certainty the data cannot give."""
    var = 0.0
    for x, d in (group, reference):
        p = (x + 1.0) / (d + 2.0)
        var += (1.0 - p) / (max(d, 1) * p)
    return math.sqrt(var)


def score_ratio_interval(
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
    intervals of each rate divided crosswise are conservative twice over: they missed a
    model trained on labels biased against one group (false positive rates 123/182 against
    1,427/2,794 over 253 cells: 0.97-1.69, where the score interval is 1.05-1.57)."""
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


@dataclass(frozen=True, slots=True)
class _Level:
    """The adjusted level of one tested cell and the fair range of a ratio."""

    z: float
    alpha: float
    bounds: tuple[float, float]


@dataclass(slots=True)
class _RowRatios:
    """The ratio columns of one group's row, filled metric by metric."""

    ratios: dict[str, float | None] = field(default_factory=dict)
    ratio_ci: dict[str, tuple[float, float] | None] = field(default_factory=dict)
    adjusted: dict[str, tuple[float, float] | None] = field(default_factory=dict)
    not_tested: dict[str, str] = field(default_factory=dict)


def _is_disparity(
    p: GroupEstimates, g: str, m: str, ratio: float, interval: tuple[float, float], level: _Level
) -> bool:
    """Outside the fair range, the simultaneous interval excluding parity, and the score
    interval too (its bisections only where the bootstrap interval would flag)."""
    lo_b, hi_b = level.bounds
    if not (ratio < lo_b or ratio > hi_b) or not (interval[0] > 1.0 or interval[1] < 1.0):
        return False
    ref = p.reference or g
    score = score_ratio_interval(p.counts[g][m], p.counts[ref][m], alpha=level.alpha)
    return score[0] > 1.0 or score[1] < 1.0


def _disparity_flag(
    p: GroupEstimates, g: str, m: str, ratio: float, interval: tuple[float, float], level: _Level
) -> Flag:
    value = p.points[g][m]
    lo_b, hi_b = level.bounds
    return Flag(
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


def _test_cell(
    p: GroupEstimates, g: str, m: str, *, flaggable: bool, level: _Level, row: _RowRatios
) -> Flag | None:
    """Fill one (group, metric) cell of ``row``; the flag it raises, if any."""
    lr, ratio, reason = _testable(p, g, m)
    row.ratios[m] = ratio
    row.ratio_ci[m] = None if lr is None else percentile_ci(np.exp(lr))
    row.adjusted[m] = None
    if reason is not None:
        row.not_tested[m] = reason
    if lr is None or ratio is None:
        return None
    sd = max(
        float(np.std(lr, ddof=1)),
        log_ratio_sd_floor(p.counts[g][m], p.counts[p.reference or g][m]),
    )
    interval = (
        float(math.exp(math.log(ratio) - level.z * sd)),
        float(math.exp(math.log(ratio) + level.z * sd)),
    )
    row.adjusted[m] = interval
    if flaggable and _is_disparity(p, g, m, ratio, interval, level):
        return _disparity_flag(p, g, m, ratio, interval, level)
    return None


def finish_table(
    p: GroupEstimates, *, z: float, alpha: float, bounds: tuple[float, float]
) -> tuple[AttributeTable, list[Flag]]:
    """One attribute's table with its ratios and intervals, and the disparity flags it
    raises (group by group, in :data:`FLAG_METRICS` order). ``z`` and ``alpha``: the
    normal quantile and the two-sided level of one tested cell after the Bonferroni
    adjustment (:func:`adjusted_level`)."""
    level = _Level(z=z, alpha=alpha, bounds=bounds)
    rows: list[GroupRow] = []
    suppressed: list[str] = []
    flags: list[Flag] = []
    for g in p.order:
        if g not in p.points:
            suppressed.append(g)
            rows.append(GroupRow(g, p.n[g], True, False, {}, {}, {}, {}, {}, {"all": "suppressed"}))
            continue
        flaggable = not is_not_a_group(g) and g != p.reference
        row = _RowRatios()
        for m in FLAG_METRICS:
            flag = _test_cell(p, g, m, flaggable=flaggable, level=level, row=row)
            if flag is not None:
                flags.append(flag)
        rows.append(
            GroupRow(
                group=g,
                n=p.n[g],
                suppressed=False,
                flaggable=flaggable,
                metrics={m: (v if math.isfinite(v) else None) for m, v in p.points[g].items()},
                ci={m: percentile_ci(p.draws[g][m]) for m in METRICS},
                ratios=row.ratios,
                ratio_ci=row.ratio_ci,
                ratio_ci_adjusted=row.adjusted,
                not_tested=row.not_tested,
            )
        )
    return AttributeTable(p.attribute, p.intersection, p.reference, rows, suppressed), flags
