"""Drift and override monitoring of a served model (``screener monitor``; decision 0032).

:mod:`.reference` is the training-time picture a model carries; :mod:`.overrides` says what
an override is; :mod:`.stats` holds the population stability index, the test of a share
against its training-time value and the small-cell rule; :mod:`.report` computes the
report from the contacts a version scored (:mod:`.inputs`) and the decisions recorded on
them: :mod:`.drift` (scores, indicators, sources) and :mod:`.decisions` (overrides,
calibration), each share published and judged by :mod:`.judging`, into the figures of
:mod:`.results`. Nothing here
reads the audit trail (``serving`` does, and hands the rows over) or renders
(``training.audit.render.monitor``).
"""

from training.audit.monitoring.inputs import INPUT_COLUMNS
from training.audit.monitoring.overrides import OVERRIDE_DEFINITION, decided_met, overrides
from training.audit.monitoring.reference import (
    ALL_CONTACTS,
    METADATA_KEY,
    NO_SOURCE,
    RateAt,
    ReferenceProfile,
    build_reference,
    score_bins,
)
from training.audit.monitoring.report import monitor_report
from training.audit.monitoring.results import (
    CalibrationRow,
    Flag,
    MonitorResult,
    RateCell,
    ScoreWeek,
    Week,
    weeks_of,
)
from training.audit.monitoring.stats import (
    SmallCells,
    population_stability_index,
    two_proportion_z,
    z_critical,
)

__all__ = [
    "ALL_CONTACTS",
    "INPUT_COLUMNS",
    "METADATA_KEY",
    "NO_SOURCE",
    "OVERRIDE_DEFINITION",
    "CalibrationRow",
    "Flag",
    "MonitorResult",
    "RateAt",
    "RateCell",
    "ReferenceProfile",
    "ScoreWeek",
    "SmallCells",
    "Week",
    "build_reference",
    "decided_met",
    "monitor_report",
    "overrides",
    "population_stability_index",
    "score_bins",
    "two_proportion_z",
    "weeks_of",
    "z_critical",
]
