"""The report's figures against the decisions screeners recorded: the override rate (over
the period, by week, by source and by band) and the calibration of the served scores (by
band, over all and in score bins), each against training time.

Each function adds the flags it raises to ``flags``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from training.audit.metrics import wilson_interval
from training.audit.monitoring.inputs import Served
from training.audit.monitoring.judging import NOT_PUBLISHED, ShareTester
from training.audit.monitoring.overrides import DIRECTED_BANDS, OVERRIDE_DEFINITION, overrides
from training.audit.monitoring.reference import (
    ALL_CONTACTS,
    NO_SOURCE,
    CalibrationAt,
    RateAt,
    ReferenceProfile,
)
from training.audit.monitoring.results import BANDS, CalibrationRow, Flag, RateCell
from training.audit.monitoring.stats import z_critical
from training.audit.render.formats import pct
from training.data.contract import SOURCES

__all__ = ["calibration_tables", "override_tables"]

_RELIABILITY_BINS: Final = 10

#: Groups of contacts compared at once: a name, which contacts, the training-time rate.
_Groups = Sequence[tuple[str, npt.NDArray[np.bool_], RateAt | None]]


def override_tables(
    served: Served,
    reference: ReferenceProfile | None,
    tester: ShareTester,
    flags: list[Flag],
) -> dict[str, Any]:
    """The override rate over the period, by week, by source and by band, each against its
    training-time rate (the period's for a week, the source's or band's own where the
    reference has it); flagged where it rose by ``override_rate_increase``, beyond chance."""
    bands, sources = served.bands, served.sources
    eligible, overridden = overrides(bands, served.met, decided=served.decided)
    overall_ref = None if reference is None else reference.override

    def table(groups: _Groups, kind: str) -> list[dict[str, Any]]:
        return _override_table(groups, kind, eligible, overridden, tester=tester, flags=flags)

    everyone = np.ones(bands.size, dtype=bool)
    by_source_names = [s for s in [*SOURCES, NO_SOURCE] if (sources == s).any()]
    return {
        "definition": OVERRIDE_DEFINITION,
        "period": table([("the period", everyone, overall_ref)], "period")[0]["rate"],
        "by_week": table(
            [(w.label, served.week_of == w.index, overall_ref) for w in served.weeks], "week"
        ),
        "by_source": table(
            [
                (
                    s,
                    sources == s,
                    None
                    if reference is None
                    else reference.override_by_source.get(s, reference.override),
                )
                for s in by_source_names
            ],
            "source",
        ),
        "by_band": table(
            [
                (
                    f"{b} band",
                    bands == b,
                    None if reference is None else reference.override_by_band.get(b),
                )
                for b in DIRECTED_BANDS
            ],
            "band",
        ),
    }


def _override_table(
    groups: _Groups,
    kind: str,
    eligible: npt.NDArray[np.bool_],
    overridden: npt.NDArray[np.bool_],
    *,
    tester: ShareTester,
    flags: list[Flag],
) -> list[dict[str, Any]]:
    """One row per group: its override rate, judged against its training-time rate
    (Bonferroni over the groups that have one)."""
    config = tester.config
    tested = sum(1 for _, chosen, ref in groups if ref is not None and (eligible & chosen).any())
    z_crit = z_critical(config.confidence, max(1, tested))
    rows = []
    for name, chosen, ref in groups:
        among = eligible & chosen
        cell = tester.cell(
            int(overridden[among].sum()),
            int(among.sum()),
            reference=ref,
            change=config.override_rate_increase,
            z_crit=z_crit,
            direction=1,
        )
        if cell.flagged:
            flags.append(_override_flag(name, kind, cell, tester=tester))
        rows.append({"group": name, "rate": cell})
    return rows


def _override_flag(name: str, kind: str, cell: RateCell, *, tester: ShareTester) -> Flag:
    """The flag of a group whose override rate rose past its training-time rate."""
    increase = tester.config.override_rate_increase
    return Flag(
        kind="override_rate",
        scope=name if kind != "period" else "period",
        subject=kind,
        metric="override_rate",
        value=cell.rate,
        reference=cell.reference,
        threshold=increase,
        message=(
            f"Override rate ({name}): {pct(cell.rate, 1, missing=NOT_PUBLISHED)} of decided "
            f"{name if kind == 'band' else 'high- and low-band'} contacts "
            f"{'from ' + name + ' ' if kind == 'source' else ''}against "
            f"{pct(cell.reference, 1, missing=NOT_PUBLISHED)} at training time (flagged at a "
            f"rise of {increase:.2f}, beyond chance)."
        ),
    )


def calibration_tables(
    served: Served,
    reference: ReferenceProfile | None,
    tester: ShareTester,
    flags: list[Flag],
) -> dict[str, Any]:
    """The met rate of decided contacts with its Wilson interval against their mean served
    score, by band and over all, and in ten score bins (shown, not flagged). A band (or all
    contacts) is flagged where its gap (met rate minus mean score) moved ``calibration_gap``
    or more from the training-time gap, beyond chance for the four compared; for a model
    without a reference, where the gap itself reaches it and the mean score lies outside
    the interval. (A floor puts low scores in the high band, where more contacts are met
    than their scores say, at training time too: the change is what is judged.)"""
    scores, bands = served.scores, served.bands
    z_crit = z_critical(tester.config.confidence, len(BANDS) + 1)

    def row(
        name: str, chosen: npt.NDArray[np.bool_], *, judge: bool, ref: CalibrationAt | None = None
    ) -> CalibrationRow:
        return _calibration_row(
            served,
            name,
            chosen,
            judge=judge,
            ref=ref,
            unreferenced=reference is None,
            z_crit=z_crit,
            tester=tester,
            flags=flags,
        )

    def ref_of(name: str) -> CalibrationAt | None:
        return None if reference is None else reference.calibration.get(name)

    edges = np.linspace(0.0, 1.0, _RELIABILITY_BINS + 1)
    which = np.clip(np.searchsorted(edges[1:-1], scores, side="right"), 0, _RELIABILITY_BINS - 1)
    return {
        "by_band": [row(f"{b} band", bands == b, judge=True, ref=ref_of(b)) for b in BANDS],
        "overall": row(
            "all decided contacts",
            np.ones(scores.size, dtype=bool),
            judge=True,
            ref=ref_of(ALL_CONTACTS),
        ),
        "bins": [
            row(f"{edges[k]:.1f}-{edges[k + 1]:.1f}", which == k, judge=False)
            for k in range(_RELIABILITY_BINS)
        ],
    }


def _calibration_row(
    served: Served,
    name: str,
    chosen: npt.NDArray[np.bool_],
    *,
    judge: bool,
    ref: CalibrationAt | None,
    unreferenced: bool,
    z_crit: float,
    tester: ShareTester,
    flags: list[Flag],
) -> CalibrationRow:
    """The decided contacts among ``chosen``: their met rate against their mean served
    score and, where ``judge``, flagged (against ``ref``, or alone when the model has no
    reference at all: ``unreferenced``)."""
    config, cells = tester.config, tester.cells
    among = served.decided & chosen
    n, hits = int(among.sum()), int(served.met[among].sum())
    observed = cells.rate(hits, n)
    mean_score = float(served.scores[among].mean()) if n else None
    ci = None if observed is None else wilson_interval(hits, n, confidence=config.confidence)
    gap = None if observed is None or mean_score is None else observed - mean_score
    flagged = False
    if judge and n >= config.min_contacts and gap is not None and ci is not None:
        assert observed is not None and mean_score is not None
        if ref is not None and ref.n:
            variance = observed * (1 - observed) / n + ref.met_rate * (1 - ref.met_rate) / ref.n
            moved = gap - ref.gap
            beyond = variance > 0 and abs(moved) / math.sqrt(variance) >= z_crit
            flagged = abs(moved) >= config.calibration_gap and beyond
        elif unreferenced:
            outside = not ci[0] <= mean_score <= ci[1]
            flagged = abs(gap) >= config.calibration_gap and outside
    if flagged and gap is not None:
        flags.append(_calibration_flag(name, observed, mean_score, gap, ref, tester=tester))
    return CalibrationRow(
        group=name,
        n=cells.count(n),
        met=cells.count(hits),
        observed=observed,
        ci=ci,
        mean_score=None if observed is None else mean_score,
        gap=None if gap is None else round(gap, 4),
        reference_gap=None if ref is None else round(ref.gap, 4),
        flagged=flagged,
    )


def _calibration_flag(
    name: str,
    observed: float | None,
    mean_score: float | None,
    gap: float,
    ref: CalibrationAt | None,
    *,
    tester: ShareTester,
) -> Flag:
    """The flag of a group whose gap (met rate minus mean served score) moved too far."""
    limit = tester.config.calibration_gap
    said = f"against {ref.gap:+.3f} at training time" if ref is not None else "with no reference"
    return Flag(
        kind="calibration",
        scope=name,
        subject="score",
        metric="met_rate_minus_mean_score",
        value=round(gap, 4),
        reference=None if ref is None else round(ref.gap, 4),
        threshold=limit,
        message=(
            f"Calibration ({name}): {pct(observed, 1, missing=NOT_PUBLISHED)} of decided "
            "contacts met the threshold against a mean served score of "
            f"{pct(mean_score, 1, missing=NOT_PUBLISHED)}, a gap of {gap:+.3f} {said} "
            f"(flagged at a change of {limit:.2f}, beyond chance)."
        ),
    )
