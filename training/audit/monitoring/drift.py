"""The drift of what a version was shown, against its training-time reference: served
scores in the training-time deciles (the PSI), the share of contacts each indicator was
found in, and the sources' shares with the share of contacts without one.

Each function adds the flags it raises to ``flags``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from training.audit.monitoring.inputs import Served
from training.audit.monitoring.judging import NOT_PUBLISHED, ShareTester, share_flag
from training.audit.monitoring.reference import NO_SOURCE, RateAt, ReferenceProfile, score_bins
from training.audit.monitoring.results import Flag, RateCell, ScoreWeek
from training.audit.monitoring.stats import Cell, population_stability_index, z_critical
from training.audit.render.formats import pct
from training.data.contract import SOURCES

__all__ = ["indicator_drift", "score_drift", "source_drift"]


def score_drift(
    served: Served,
    reference: ReferenceProfile | None,
    tester: ShareTester,
    flags: list[Flag],
) -> tuple[list[ScoreWeek], ScoreWeek | None]:
    """Each week's and the period's scores in the training-time deciles, with the PSI."""
    if reference is None:
        return [], None
    out = [
        _score_week(
            served.scores[served.week_of == w.index], w.label, w.label, reference, tester, flags
        )
        for w in served.weeks
    ]
    return out, _score_week(served.scores, "the period", "period", reference, tester, flags)


def _score_week(
    scores: npt.NDArray[np.float64],
    label: str,
    scope: str,
    reference: ReferenceProfile,
    tester: ShareTester,
    flags: list[Flag],
) -> ScoreWeek:
    """``scores`` (a week's or the period's) in the training-time deciles, with the PSI."""
    config, cells = tester.config, tester.cells
    counts = np.bincount(
        score_bins(scores, reference.score_edges), minlength=len(reference.score_shares)
    )
    n = int(scores.size)
    judged = n >= config.min_contacts
    # Published for a week with enough contacts to judge (a few would let a withheld
    # bin's count be worked back from it).
    psi = population_stability_index(reference.score_shares, counts) if judged else None
    if psi is not None:
        psi = round(psi, 4)
    flagged = judged and psi is not None and psi >= config.psi_threshold
    if flagged and psi is not None:
        flags.append(
            Flag(
                kind="score_psi",
                scope=scope,
                subject="score",
                metric="psi",
                value=psi,
                reference=0.0,
                threshold=config.psi_threshold,
                message=(
                    f"{label[0].upper()}{label[1:]}: the served scores' PSI against the "
                    f"training-time deciles is {psi:.3f} (flagged at {config.psi_threshold:.2f})."
                ),
            )
        )
    shown = cells.partition({str(k): int(c) for k, c in enumerate(counts)})
    return ScoreWeek(
        label=label,
        n=cells.count(n),
        bins=tuple(shown[str(k)] for k in range(len(counts))),
        psi=None if psi is None or math.isnan(psi) else psi,
        judged=judged,
        flagged=flagged,
    )


def indicator_drift(
    served: Served,
    reference: ReferenceProfile | None,
    tester: ShareTester,
    flags: list[Flag],
) -> list[dict[str, Any]]:
    """Per indicator: its share of contacts (those whose indicators were recorded) per week
    and over the period, against the training-time share; flagged over the period."""
    labels = set(reference.indicator_rates) if reference is not None else set()
    for found in served.indicators:
        labels.update(found)
    labels_sorted = sorted(labels)
    position = {label: i for i, label in enumerate(labels_sorted)}
    hits = np.zeros((len(served.indicators), len(labels_sorted)), dtype=bool)
    for row, found in enumerate(served.indicators):
        for label in found:
            hits[row, position[label]] = True
    recorded = served.recorded
    n_period = int(recorded.sum())
    z_crit = z_critical(tester.config.confidence, max(1, len(labels_sorted)))
    rows: list[dict[str, Any]] = []
    for label in labels_sorted:
        column = hits[:, position[label]]
        ref = None
        if reference is not None:
            ref = RateAt(reference.indicator_rates.get(label, 0.0), reference.contacts)
        period = tester.cell(
            int(column[recorded].sum()),
            n_period,
            reference=ref,
            change=tester.config.rate_change,
            z_crit=z_crit,
        )
        by_week = []
        for w in served.weeks:
            chosen = recorded & (served.week_of == w.index)
            by_week.append(tester.cell(int(column[chosen].sum()), int(chosen.sum())))
        if period.flagged:
            flags.append(
                share_flag(
                    "indicator_rate",
                    label,
                    period,
                    said=f"Indicator {label}: found in",
                    config=tester.config,
                )
            )
        rows.append({"label": label, "period": period, "weeks": by_week})
    # The indicators that moved most first; then by name.
    rows.sort(key=lambda r: (-abs(r["period"].z or 0.0), r["label"]))
    return rows


def source_drift(
    served: Served,
    reference: ReferenceProfile | None,
    tester: ShareTester,
    flags: list[Flag],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Each source's share (per week and over the period, against training time) and the
    share of contacts without a source (flagged past ``no_source_share``)."""
    sources, cells = served.sources, tester.cells
    names = [*SOURCES, NO_SOURCE]
    names += sorted(set(sources.tolist()) - set(names))
    period_counts = cells.partition({s: int(np.sum(sources == s)) for s in names})
    week_counts = []
    for w in served.weeks:
        chosen = served.week_of == w.index
        week_counts.append(cells.partition({s: int(np.sum(sources[chosen] == s)) for s in names}))
    rows = _source_rows(
        served, names, period_counts, week_counts, reference=reference, tester=tester, flags=flags
    )
    no_source = {
        "period": _no_source_cell(
            served,
            np.ones(served.size, dtype=bool),
            "period",
            "the period",
            period_counts[NO_SOURCE],
            tester=tester,
            flags=flags,
        ),
        "weeks": [
            _no_source_cell(
                served,
                served.week_of == w.index,
                w.label,
                w.label,
                shown[NO_SOURCE],
                tester=tester,
                flags=flags,
            )
            for w, shown in zip(served.weeks, week_counts, strict=True)
        ],
    }
    return rows, no_source


def _source_rows(
    served: Served,
    names: list[str],
    period_counts: dict[str, Cell],
    week_counts: list[dict[str, Cell]],
    *,
    reference: ReferenceProfile | None,
    tester: ShareTester,
    flags: list[Flag],
) -> list[dict[str, Any]]:
    """Each named source's share per week and over the period, with its published counts;
    the period's judged against the training-time share. Contacts without a source are
    left to :func:`_no_source_cell`: training had none to compare with."""
    sources, config = served.sources, tester.config
    z_crit = z_critical(config.confidence, len(SOURCES))
    rows = []
    for s in names:
        if s == NO_SOURCE:
            continue
        ref = None
        if reference is not None:
            ref = RateAt(reference.source_shares.get(s, 0.0), reference.contacts)
        period = tester.cell(
            int(np.sum(sources == s)),
            served.size,
            reference=ref,
            change=config.rate_change,
            z_crit=z_crit,
            published_count=period_counts[s],
        )
        by_week = []
        for w, shown in zip(served.weeks, week_counts, strict=True):
            chosen = served.week_of == w.index
            by_week.append(
                tester.cell(
                    int(np.sum(sources[chosen] == s)), int(chosen.sum()), published_count=shown[s]
                )
            )
        if period.flagged:
            flags.append(share_flag("source_share", s, period, said=f"Source {s}:", config=config))
        rows.append({"source": s, "period": period, "weeks": by_week})
    return rows


def _no_source_cell(
    served: Served,
    chosen: npt.NDArray[np.bool_],
    scope: str,
    label: str,
    shown: Cell,
    *,
    tester: ShareTester,
    flags: list[Flag],
) -> RateCell:
    """The share of the ``chosen`` contacts scored without a source: flagged at
    ``no_source_share`` (every training contact had one)."""
    config = tester.config
    count, total = int(np.sum(served.sources[chosen] == NO_SOURCE)), int(chosen.sum())
    cell = tester.cell(count, total, published_count=shown)
    flagged = (
        total >= config.min_contacts and count / total >= config.no_source_share if total else False
    )
    if flagged:
        flags.append(
            Flag(
                kind="no_source",
                scope=scope,
                subject=NO_SOURCE,
                metric="share_of_contacts",
                value=cell.rate,
                reference=0.0,
                threshold=config.no_source_share,
                message=(
                    f"{label[0].upper()}{label[1:]}: "
                    f"{pct(cell.rate, 1, missing=NOT_PUBLISHED)} of contacts were scored "
                    "without a referral source (flagged at "
                    f"{pct(config.no_source_share, 1, missing=NOT_PUBLISHED)}; every "
                    "training contact had one)."
                ),
            )
        )
    return RateCell(cell.n, cell.count, cell.rate, cell.ci, 0.0, None, flagged)
