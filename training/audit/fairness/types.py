"""What the fairness audit returns: per-group rows and tables, the proxy check's findings,
and the :class:`FairnessResult` that holds them all, with the metric names they use.

Plain data with JSON-safe ``to_dict`` forms; ``training.audit.render`` writes them out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Final

from training.audit.counterfactual import CounterfactualResult
from training.audit.metrics import MIN_GROUP_SIZE
from training.audit.results import Flag, json_safe

__all__ = [
    "FLAG_METRICS",
    "METRICS",
    "METRIC_LABELS",
    "PROXY_AUC_THRESHOLD",
    "AttributeTable",
    "FairnessResult",
    "GroupRow",
    "ProxyAttribute",
    "ProxyResult",
]

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
#: Proxy flag: the attribute is predictable from the features with macro AUC above this.
PROXY_AUC_THRESHOLD: Final = 0.65


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
