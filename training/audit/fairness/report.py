"""The fairness report: per-group tables, disparity flags, the trade-off the service
chooses and a plain-language summary, assembled into a
:class:`~training.audit.fairness.types.FairnessResult`.

Computation only: ``training.audit.render`` writes the result out as JSON and HTML.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from training.audit.counterfactual import CounterfactualResult
from training.audit.fairness.disparities import adjusted_level, count_tests, finish_table
from training.audit.fairness.groups import group_columns
from training.audit.fairness.metrics import bootstrap_weights, estimate_table
from training.audit.fairness.types import (
    FLAG_METRICS,
    AttributeTable,
    FairnessResult,
    ProxyResult,
)
from training.audit.metrics import MIN_GROUP_SIZE, check_pair
from training.audit.results import Flag

__all__ = ["fairness_report"]

#: Fewest resamples for intervals worth reporting.
MIN_BOOT: Final = 20

TRADEOFF_STATEMENT: Final = (
    "The service prioritises equal error rates for children who needed a referral: "
    "the false negative rate (a missed child) should be the same whatever the "
    "child's group, because a missed child costs most. Predictive parity (equal "
    "PPV) and the false positive rate (an unwarranted intrusion into a family) are "
    "reported alongside. When base rates differ between groups, equal error rates "
    "and predictive parity cannot both hold (Chouldechova 2017), so some gap in one "
    "of them is expected."
)


# --------------------------------------------------------------------------- trade-off


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
        "statement": TRADEOFF_STATEMENT,
        "by_attribute": by_attribute,
    }


# --------------------------------------------------------------------------- summary


def _flag_sentence(flags: Sequence[Flag]) -> str:
    disparity = [f for f in flags if f.kind == "disparity"]
    if not disparity:
        return (
            "No group was treated differently enough to be flagged: the differences seen "
            "are within the fair range or could be chance."
        )
    named = sorted({f"{f.attribute} '{f.group}'" for f in disparity})
    return (
        f"{len(disparity)} difference(s) were flagged, for: {', '.join(named)}. "
        "Each needs review before this model is used; details are in the tables below."
    )


def _tradeoff_sentence(tradeoff: Mapping[str, Any]) -> str | None:
    fnr = tradeoff["by_attribute"].get("ethnicity", {}).get("fnr_ratio_range")
    ppv = tradeoff["by_attribute"].get("ethnicity", {}).get("ppv_ratio_range")
    if not (fnr or ppv):
        return None
    return (
        "The service cares most that no group's children are missed more often. By "
        "ethnicity, the share of children who needed a referral but were not "
        "prioritised ranges from "
        + (f"{fnr[0]:.2f} to {fnr[1]:.2f}" if fnr else "(not available)")
        + " times the largest group's; the share of prioritised contacts that met the "
        "threshold ranges from "
        + (f"{ppv[0]:.2f} to {ppv[1]:.2f}" if ppv else "(not available)")
        + " times. Both kinds of fairness cannot hold at once when groups' needs differ."
    )


def _counterfactual_sentence(counterfactual: CounterfactualResult) -> str:
    flagged = [a.attribute for a in counterfactual.attributes if a.flagged]
    return (
        "Changing only a cue of a protected characteristic in the text (a name, "
        "pronouns, language, religion or address) "
        + (
            f"moved the score too much for: {', '.join(flagged)}."
            if flagged
            else "did not move the score by more than the tolerance."
        )
    )


def _proxy_sentence(proxy: ProxyResult) -> str:
    flagged = [a.attribute for a in proxy.attributes if a.flagged]
    return "The model's features " + (
        f"carry information about: {', '.join(flagged)}; the model could treat groups "
        "differently through them."
        if flagged
        else "do not predict any audit attribute well."
    )


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
    """Plain-language sentences for a reader who is not a statistician."""
    out = [
        f"This report compares how the model treats different groups of children across "
        f"{n:,} contacts. A difference is flagged only when a group's rate is outside "
        f"{bounds[0]} to {bounds[1]} times that of the comparison group and the difference "
        f"is too large to be chance, allowing for the {n_tests} comparisons made.",
        _flag_sentence(flags),
    ]
    suppressed = sum(len(t.suppressed) for t in groups.values())
    if suppressed:
        out.append(
            f"{suppressed} group(s) with fewer than {MIN_GROUP_SIZE} contacts are not shown, "
            "as in published statistics: their numbers would be noise and could identify "
            "children."
        )
    tradeoff_sentence = _tradeoff_sentence(tradeoff)
    if tradeoff_sentence is not None:
        out.append(tradeoff_sentence)
    if counterfactual is not None:
        out.append(_counterfactual_sentence(counterfactual))
    if proxy is not None:
        out.append(_proxy_sentence(proxy))
    return out


def _method(*, n_boot: int, n_tests: int, bounds: tuple[float, float]) -> dict[str, str]:
    return {
        "metrics": "fairlearn MetricFrame with training.audit.metrics metric functions",
        "bootstrap": f"{n_boot} multinomial resamples of all rows, shared by all groups",
        "metric_ci": "95% percentile bootstrap",
        "flag_rule": (
            f"ratio outside {bounds[0]}-{bounds[1]} and the Bonferroni-"
            f"adjusted interval over {n_tests} tested cells (family-wise 5%, normal "
            "on the log ratio with bootstrap SD) excludes 1, and so does the Koopman "
            "score interval of the ratio at the same level"
        ),
        "ece_ci": "bootstrap with the original sample's quantile bin edges held fixed",
    }


# --------------------------------------------------------------------------- report


def _tables(
    y: npt.NDArray[np.int8],
    s: npt.NDArray[np.float64],
    audit: pd.DataFrame,
    *,
    threshold: float,
    reference: Mapping[str, str],
    n_boot: int,
    seed: int,
    ratio_bounds: tuple[float, float],
    min_group_size: int,
) -> tuple[dict[str, AttributeTable], list[Flag], int, float]:
    """Every attribute's and intersection's table, their disparity flags, the number of
    cells tested and the adjusted normal quantile."""
    w = bootstrap_weights(y.size, n_boot=n_boot, seed=seed)
    estimates = [
        estimate_table(
            name,
            groups,
            y,
            s,
            w,
            threshold=threshold,
            reference=reference.get(name),
            min_group_size=min_group_size,
            intersection=intersection,
        )
        for name, groups, intersection in group_columns(audit)
    ]
    n_tests = count_tests(estimates)
    alpha, z = adjusted_level(n_tests)
    tables: dict[str, AttributeTable] = {}
    flags: list[Flag] = []
    for p in estimates:
        tables[p.attribute], table_flags = finish_table(p, z=z, alpha=alpha, bounds=ratio_bounds)
        flags.extend(table_flags)
    return tables, flags, n_tests, z


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

    ``audit``: one row per contact (same order), the columns of
    :func:`~training.audit.fairness.groups.audit_groups`. ``threshold``: the operating
    threshold (prioritised when ``score >= threshold``), chosen beforehand on validation
    data. ``reference``: attribute (or ``"a x b"``) -> reference group; default the
    largest real group. ``counterfactual`` and ``proxy`` results, when given, are included
    and their flags added. Deterministic given ``seed``.
    """
    y, s = check_pair(y_true, y_score, probability=True)
    if len(audit) != y.size:
        raise ValueError(f"audit has {len(audit)} rows but y_true has {y.size}")
    if n_boot < MIN_BOOT:
        raise ValueError(f"n_boot must be at least {MIN_BOOT}")
    tables, flags, n_tests, z = _tables(
        y,
        s,
        audit,
        threshold=threshold,
        reference=dict(reference or {}),
        n_boot=n_boot,
        seed=seed,
        ratio_bounds=ratio_bounds,
        min_group_size=min_group_size,
    )
    if counterfactual is not None:
        flags.extend(counterfactual.flags())
    if proxy is not None:
        flags.extend(proxy.flags())
    tradeoff = _tradeoff(tables)
    return FairnessResult(
        n=y.size,
        threshold=float(threshold),
        groups=tables,
        tradeoff=tradeoff,
        counterfactual=counterfactual,
        proxy=proxy,
        flags=flags,
        summary=_summary(
            n=y.size,
            groups=tables,
            flags=flags,
            tradeoff=tradeoff,
            bounds=ratio_bounds,
            n_tests=n_tests,
            counterfactual=counterfactual,
            proxy=proxy,
        ),
        ratio_bounds=ratio_bounds,
        n_boot=n_boot,
        n_tests=n_tests,
        z_adjusted=z,
        min_group_size=min_group_size,
        method=_method(n_boot=n_boot, n_tests=n_tests, bounds=ratio_bounds),
    )
