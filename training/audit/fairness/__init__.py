"""Fairness audit of calibrated scores: per-group metrics, disparities, trade-off, proxies.

What the report measures, per audit-only attribute of the child (ethnicity, sex, age band,
disability, deprivation band, interpreter need) and three intersections (ethnicity x sex,
ethnicity x deprivation band, ethnicity x disability):

* per group: count, base rate (share that met the threshold), selection rate (share
  prioritised at the operating threshold), TPR, FPR, FNR, PPV, ROC AUC and expected
  calibration error, each with a bootstrap 95% interval (:mod:`.metrics`);
* disparity ratios ``group metric / reference group metric`` for selection rate, TPR, FPR,
  FNR and PPV, and the flags raised on them, kept honest for small groups and for the many
  cells tested (:mod:`.disparities`);
* whether the model's features predict the attributes (:mod:`.proxy`).

Groups under :data:`~training.audit.metrics.MIN_GROUP_SIZE` contacts are suppressed: no
metric is shown and they are never flagged; "unknown" and "(missing)" groups are shown but
never flagged (they are not a group of children; :mod:`.groups`). :mod:`.report` assembles
the :class:`FairnessResult` (:mod:`.types`); ``training.audit.render`` writes it out.

No concern text reaches this package: it sees labels, scores, group names and feature
names only.
"""

from training.audit.fairness.groups import (
    AGE_BANDS,
    ATTRIBUTES,
    DECILE_BANDS,
    INTERSECTIONS,
    audit_groups,
)
from training.audit.fairness.proxy import proxy_check
from training.audit.fairness.report import fairness_report
from training.audit.fairness.types import (
    FLAG_METRICS,
    METRIC_LABELS,
    METRICS,
    AttributeTable,
    FairnessResult,
    GroupRow,
    ProxyAttribute,
    ProxyResult,
)

__all__ = [
    "AGE_BANDS",
    "ATTRIBUTES",
    "DECILE_BANDS",
    "FLAG_METRICS",
    "INTERSECTIONS",
    "METRICS",
    "METRIC_LABELS",
    "AttributeTable",
    "FairnessResult",
    "GroupRow",
    "ProxyAttribute",
    "ProxyResult",
    "audit_groups",
    "fairness_report",
    "proxy_check",
]
