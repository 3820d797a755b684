"""The drift and override report of a served model over a period (``screener monitor``).

From the contacts one model version scored in the period, with the decisions recorded on
them, and the model's training-time :class:`~training.audit.monitoring.reference.
ReferenceProfile`:

* **scores**: each week's served scores in the training-time deciles, and the population
  stability index (PSI) against the training-time shares;
* **indicators**: the share of contacts each indicator was found live in, per week and over
  the period, against the training-time share;
* **sources**: each source's share and the share of contacts without a source;
* **overrides** (:mod:`.overrides`): the rate by week, by source and by band against the
  training-time rate of past decisions against the model's bands;
* **calibration**: the met rate of decided contacts (Wilson intervals) against their mean
  served score, by band, over all, and in ten score bins, and the gap against training
  time's;
* **flags**, where any passes a threshold of :class:`~training.config.MonitorConfig`.

Weeks are seven-day blocks from the first day of the period (the last may be shorter).
A week or cell with fewer than ``min_contacts`` contacts is shown but never flagged; a
share is flagged only when it moved by at least the configured amount *and* the move is
beyond chance (a pooled two-sample z past the Bonferroni-adjusted quantile for the cells
compared at once). Every count is published under the small-cell rule
(:class:`~training.audit.monitoring.stats.SmallCells`), in the HTML and the JSON alike;
flags are decided on the counts, their messages show only what is published.

Holds no concern text and no contact id: the input is scores, bands, sources, indicator
labels and decisions. :mod:`.inputs` reads them, :mod:`.drift` and :mod:`.decisions` compute
the sections, :mod:`.judging` publishes and judges each share, and :mod:`.results` holds
what is published.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from training.audit.monitoring.decisions import calibration_tables, override_tables
from training.audit.monitoring.drift import indicator_drift, score_drift, source_drift
from training.audit.monitoring.inputs import Served, served_arrays
from training.audit.monitoring.judging import ShareTester
from training.audit.monitoring.reference import ReferenceProfile
from training.audit.monitoring.results import Flag, MonitorResult
from training.audit.monitoring.stats import SmallCells
from training.config import MonitorConfig

__all__ = ["monitor_report"]


def monitor_report(
    served: pd.DataFrame,
    *,
    since: datetime,
    until: datetime,
    reference: ReferenceProfile | None,
    config: MonitorConfig,
    model_name: str,
    model_version: str,
    other_versions: dict[str, int] | None = None,
) -> MonitorResult:
    """The report of ``served`` (one row per contact a model version scored in
    ``[since, until)``, with the columns of :data:`~.inputs.INPUT_COLUMNS`) against
    ``reference`` (None for a model trained before references were recorded: shown without
    the comparisons that need it, and said so)."""
    contacts = served_arrays(served, since=since, until=until)
    cells = SmallCells(config.small_cell)
    tester = ShareTester(config, cells)
    flags: list[Flag] = []
    score_weeks, score_period = score_drift(contacts, reference, tester, flags)
    indicator_rows = indicator_drift(contacts, reference, tester, flags)
    source_rows, no_source = source_drift(contacts, reference, tester, flags)
    override_rates = override_tables(contacts, reference, tester, flags)
    calibration = calibration_tables(contacts, reference, tester, flags)
    n, n_decided = contacts.size, int(contacts.decided.sum())
    return MonitorResult(
        model_name=model_name,
        model_version=model_version,
        since=since.isoformat(),
        until=until.isoformat(),
        weeks=contacts.weeks,
        contacts=cells.count(n),
        decided=cells.count(n_decided),
        reference_contacts=None if reference is None else reference.contacts,
        score_edges=() if reference is None else reference.score_edges,
        reference_score_shares=() if reference is None else reference.score_shares,
        score_weeks=score_weeks,
        score_period=score_period,
        indicators_recorded=cells.count(int(contacts.recorded.sum())),
        indicators=indicator_rows,
        sources=source_rows,
        no_source=no_source,
        overrides=override_rates,
        calibration=calibration,
        flags=flags,
        notes=_notes(contacts, reference, cells, model_version, other_versions),
        summary=_summary(
            n, n_decided, flags, cells, model_name, model_version, since=since, until=until
        ),
        thresholds={k: float(v) for k, v in config.model_dump().items()},
        small_cell=config.small_cell,
        other_versions={v: cells.count(c) for v, c in (other_versions or {}).items()},
    )


def _notes(
    contacts: Served,
    reference: ReferenceProfile | None,
    cells: SmallCells,
    model_version: str,
    other_versions: dict[str, int] | None,
) -> list[str]:
    """What the reader should know before reading the figures: no reference, indicators
    not recorded, other versions' scores left out."""
    notes = []
    if reference is None:
        notes.append(
            f"Version {model_version} carries no training-time reference (it was trained before "
            "references were recorded): scores, indicators, sources and overrides are shown "
            "without the comparisons and flags that need one. Retrain to get them."
        )
    unrecorded = ~contacts.recorded
    if unrecorded.any():
        notes.append(
            f"The indicators of {cells.count(int(unrecorded.sum()))} contacts were not "
            "recorded (scored before the audit trail kept them): the indicator shares are "
            "of the others."
        )
    if other_versions:
        listed = ", ".join(f"{v} ({cells.count(n)})" for v, n in sorted(other_versions.items()))
        notes.append(
            f"Scores served by other versions in the period are left out: {listed}. Each "
            "version is monitored against its own reference."
        )
    return notes


def _summary(
    n: int,
    n_decided: int,
    flags: list[Flag],
    cells: SmallCells,
    model_name: str,
    model_version: str,
    *,
    since: datetime,
    until: datetime,
) -> list[str]:
    """Two sentences: what was read, and what was flagged."""
    return [
        f"{cells.count(n)} contacts scored by {model_name} version {model_version} from "
        f"{since.date().isoformat()} to {(until - timedelta(seconds=1)).date().isoformat()}, "
        f"{cells.count(n_decided)} of them with a recorded decision.",
        (
            f"{len(flags)} finding{'s' if len(flags) != 1 else ''} flagged: "
            + ", ".join(sorted({f.kind for f in flags}))
            + "."
            if flags
            else "No finding passed a threshold."
        ),
    ]
