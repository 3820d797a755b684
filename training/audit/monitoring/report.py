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
labels and decisions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from training.audit.metrics import wilson_interval
from training.audit.monitoring.overrides import (
    DIRECTED_BANDS,
    OVERRIDE_DEFINITION,
    decided_met,
    overrides,
)
from training.audit.monitoring.reference import (
    ALL_CONTACTS,
    NO_SOURCE,
    CalibrationAt,
    RateAt,
    ReferenceProfile,
    score_bins,
)
from training.audit.monitoring.stats import (
    Cell,
    SmallCells,
    population_stability_index,
    two_proportion_z,
    z_critical,
)
from training.config import MonitorConfig
from training.data.contract import SOURCES

__all__ = [
    "INPUT_COLUMNS",
    "BANDS",
    "CalibrationRow",
    "Flag",
    "MonitorResult",
    "RateCell",
    "ScoreWeek",
    "Week",
    "monitor_report",
    "weeks_of",
]

#: What :func:`monitor_report` reads, one row per contact scored: ``created_at`` (UTC),
#: ``score``, ``band`` (as served), ``source`` (None without one), ``indicators`` (the live
#: indicator labels found, a list; None where the audit row did not record them) and
#: ``decision`` (the latest recorded outcome, None where none was recorded).
INPUT_COLUMNS: Final = ("created_at", "score", "band", "source", "indicators", "decision")
BANDS: Final = ("low", "medium", "high")
_RELIABILITY_BINS: Final = 10


@dataclass(frozen=True, slots=True)
class Week:
    """One week of the period: ``start`` inclusive, ``end`` exclusive (ISO dates)."""

    index: int
    start: str
    end: str
    days: int

    @property
    def label(self) -> str:
        last = datetime.fromisoformat(self.end) - timedelta(days=1)
        return f"week {self.index + 1} ({self.start} to {last.date().isoformat()})"


@dataclass(frozen=True, slots=True)
class RateCell:
    """A share as published: ``count`` of ``n`` contacts, the share and its Wilson interval
    (None where the small-cell rule withholds them), the training-time share it is
    compared with (None without one), the z of the difference, and whether it is flagged."""

    n: Cell
    count: Cell
    rate: float | None
    ci: tuple[float, float] | None
    reference: float | None = None
    z: float | None = None
    flagged: bool = False


@dataclass(frozen=True, slots=True)
class ScoreWeek:
    """A week's (or the period's) scores in the training-time deciles, and the PSI."""

    label: str
    n: Cell
    bins: tuple[Cell, ...]
    psi: float | None
    judged: bool
    flagged: bool = False


@dataclass(frozen=True, slots=True)
class CalibrationRow:
    """Decided contacts of a band (or all, or a score bin): the met rate with its Wilson
    interval against the mean served score."""

    group: str
    n: Cell
    met: Cell
    observed: float | None
    ci: tuple[float, float] | None
    mean_score: float | None
    gap: float | None
    #: The same group's gap at training time (None without a reference).
    reference_gap: float | None = None
    flagged: bool = False


@dataclass(frozen=True, slots=True)
class Flag:
    """A finding past a threshold: what (``kind``), where (``scope``: the period, a week,
    a band or a source; ``subject``: an indicator or source), the published value, the
    training-time value, the threshold and one sentence."""

    kind: str
    scope: str
    subject: str
    metric: str
    value: float | None
    reference: float | None
    threshold: float
    message: str


@dataclass
class MonitorResult:
    """The report's figures, every count already under the small-cell rule."""

    model_name: str
    model_version: str
    since: str
    until: str
    weeks: list[Week]
    contacts: Cell
    decided: Cell
    reference_contacts: int | None
    score_edges: tuple[float, ...]
    reference_score_shares: tuple[float, ...]
    score_weeks: list[ScoreWeek]
    score_period: ScoreWeek | None
    indicators_recorded: Cell
    indicators: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    no_source: dict[str, Any]
    overrides: dict[str, Any]
    calibration: dict[str, Any]
    flags: list[Flag]
    notes: list[str]
    summary: list[str]
    thresholds: dict[str, float]
    small_cell: int
    other_versions: dict[str, Cell] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``flags`` at the top level with the rest; NaN never appears."""
        payload = asdict(self)
        payload["weeks"] = [{**asdict(w), "label": w.label} for w in self.weeks]
        payload["small_cell_rule"] = (
            f'counts from 1 to {self.small_cell - 1} are published as "<{self.small_cell}", '
            "with every rate and interval that would give them back"
        )
        payload["override_definition"] = OVERRIDE_DEFINITION
        return _finite(payload)  # type: ignore[no-any-return]


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def weeks_of(since: datetime, until: datetime) -> list[Week]:
    """Seven-day blocks from ``since`` (inclusive) to ``until`` (exclusive), the last
    shorter when the period is not a whole number of weeks."""
    if until <= since:
        raise ValueError("the period ends before it starts")
    weeks = []
    start, index = since, 0
    while start < until:
        end = min(start + timedelta(days=7), until)
        days = max(1, math.ceil((end - start).total_seconds() / 86400))
        weeks.append(Week(index, start.date().isoformat(), end.date().isoformat(), days))
        start, index = end, index + 1
    return weeks


@dataclass(frozen=True)
class _Tester:
    """Publishes and judges shares under one configuration."""

    config: MonitorConfig
    cells: SmallCells

    def cell(
        self,
        count: int,
        n: int,
        *,
        reference: RateAt | float | None = None,
        change: float | None = None,
        z_crit: float = math.inf,
        direction: int = 0,
        published_count: Cell | None = None,
    ) -> RateCell:
        """A share as published and, with a ``reference`` and a ``change``, judged: flagged
        when ``n`` is at least ``min_contacts``, the share moved by ``change`` or more
        (``direction`` +1: rises only; 0: either way, and then also to ``rate_ratio`` times
        the reference or its inverse) and its z passes ``z_crit``. The z is published only
        with the share (it would give a withheld count back)."""
        shown = self.cells.count(count) if published_count is None else published_count
        rate = None if isinstance(shown, str) else self.cells.rate(count, n)
        ci = None
        if rate is not None:
            ci = wilson_interval(count, n, confidence=self.config.confidence)
        ref_rate = ref_n = None
        if isinstance(reference, RateAt):
            ref_rate, ref_n = reference.rate, reference.n
        elif reference is not None:
            ref_rate = float(reference)
        z = None
        flagged = False
        if ref_rate is not None and ref_n and n:
            z = two_proportion_z(count, n, ref_rate, ref_n)
            moved = count / n - ref_rate
            if direction > 0:
                far = moved >= change if change is not None else False
                beyond = z >= z_crit
            else:
                ratio = self.config.rate_ratio
                share = count / n
                far = (
                    change is not None
                    and abs(moved) >= change
                    and (share >= ref_rate * ratio or share * ratio <= ref_rate)
                )
                beyond = abs(z) >= z_crit
            flagged = n >= self.config.min_contacts and far and beyond
        return RateCell(
            n=self.cells.count(n),
            count=shown,
            rate=rate,
            ci=ci,
            reference=ref_rate,
            z=None if z is None or rate is None or not math.isfinite(z) else round(z, 3),
            flagged=flagged,
        )


def _pct(value: float | None) -> str:
    return "not published" if value is None else f"{100 * value:.1f}%"


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
    ``[since, until)``, with the columns of :data:`INPUT_COLUMNS`) against ``reference``
    (None for a model trained before references were recorded: shown without the
    comparisons that need it, and said so)."""
    missing = [c for c in INPUT_COLUMNS if c not in served]
    if missing:
        raise ValueError(f"the served contacts lack {', '.join(missing)}")
    cells = SmallCells(config.small_cell)
    tester = _Tester(config, cells)
    weeks = weeks_of(since, until)
    frame = served.reset_index(drop=True)
    created = pd.to_datetime(frame["created_at"], utc=True)
    elapsed = (created - pd.Timestamp(since)).dt.total_seconds().to_numpy()
    week_of = np.clip(elapsed // (7 * 86400), 0, len(weeks) - 1).astype(np.int_)
    flags: list[Flag] = []
    notes: list[str] = []
    if reference is None:
        notes.append(
            f"Version {model_version} carries no training-time reference (it was trained before "
            "references were recorded): scores, indicators, sources and overrides are shown "
            "without the comparisons and flags that need one. Retrain to get them."
        )
    scores = frame["score"].to_numpy(dtype=np.float64)
    score_weeks, score_period = _scores(scores, week_of, weeks, reference, config, cells, flags)
    recorded = frame["indicators"].map(lambda v: v is not None).to_numpy(dtype=bool)
    if (~recorded).any():
        notes.append(
            f"The indicators of {cells.count(int((~recorded).sum()))} contacts were not "
            "recorded (scored before the audit trail kept them): the indicator shares are "
            "of the others."
        )
    indicator_rows = _indicators(frame, recorded, week_of, weeks, reference, tester, flags)
    sources = frame["source"].map(lambda s: s if isinstance(s, str) and s else NO_SOURCE)
    source_rows, no_source = _sources(
        sources.to_numpy(dtype=object), week_of, weeks, reference, tester, flags
    )
    decision = frame["decision"]
    decided = decision.map(lambda d: isinstance(d, str)).to_numpy(dtype=bool)
    met = decided_met([d if isinstance(d, str) else None for d in decision])
    bands = frame["band"].to_numpy(dtype=object)
    override_tables = _overrides(
        bands,
        met,
        decided,
        sources.to_numpy(dtype=object),
        week_of,
        weeks,
        reference,
        tester,
        flags,
    )
    calibration = _calibration(scores, bands, met, decided, reference, tester, flags)
    if other_versions:
        listed = ", ".join(f"{v} ({cells.count(n)})" for v, n in sorted(other_versions.items()))
        notes.append(
            f"Scores served by other versions in the period are left out: {listed}. Each "
            "version is monitored against its own reference."
        )
    n, n_decided = len(frame), int(decided.sum())
    summary = [
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
    return MonitorResult(
        model_name=model_name,
        model_version=model_version,
        since=since.isoformat(),
        until=until.isoformat(),
        weeks=weeks,
        contacts=cells.count(n),
        decided=cells.count(n_decided),
        reference_contacts=None if reference is None else reference.contacts,
        score_edges=() if reference is None else reference.score_edges,
        reference_score_shares=() if reference is None else reference.score_shares,
        score_weeks=score_weeks,
        score_period=score_period,
        indicators_recorded=cells.count(int(recorded.sum())),
        indicators=indicator_rows,
        sources=source_rows,
        no_source=no_source,
        overrides=override_tables,
        calibration=calibration,
        flags=flags,
        notes=notes,
        summary=summary,
        thresholds={k: float(v) for k, v in config.model_dump().items()},
        small_cell=config.small_cell,
        other_versions={v: cells.count(c) for v, c in (other_versions or {}).items()},
    )


def _scores(
    scores: npt.NDArray[np.float64],
    week_of: npt.NDArray[np.int_],
    weeks: list[Week],
    reference: ReferenceProfile | None,
    config: MonitorConfig,
    cells: SmallCells,
    flags: list[Flag],
) -> tuple[list[ScoreWeek], ScoreWeek | None]:
    """Each week's and the period's scores in the training-time deciles, with the PSI."""
    if reference is None:
        return [], None

    def one(label: str, chosen: npt.NDArray[np.bool_], scope: str) -> ScoreWeek:
        counts = np.bincount(
            score_bins(scores[chosen], reference.score_edges), minlength=len(reference.score_shares)
        )
        n = int(chosen.sum())
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

    out = [one(w.label, week_of == w.index, w.label) for w in weeks]
    return out, one("the period", np.ones(scores.size, dtype=bool), "period")


def _indicators(
    frame: pd.DataFrame,
    recorded: npt.NDArray[np.bool_],
    week_of: npt.NDArray[np.int_],
    weeks: list[Week],
    reference: ReferenceProfile | None,
    tester: _Tester,
    flags: list[Flag],
) -> list[dict[str, Any]]:
    """Per indicator: its share of contacts (those whose indicators were recorded) per week
    and over the period, against the training-time share; flagged over the period."""
    lists = [v if v is not None else [] for v in frame["indicators"].tolist()]
    labels = set(reference.indicator_rates) if reference is not None else set()
    for found in lists:
        labels.update(found)
    labels_sorted = sorted(labels)
    position = {label: i for i, label in enumerate(labels_sorted)}
    hits = np.zeros((len(lists), len(labels_sorted)), dtype=bool)
    for row, found in enumerate(lists):
        for label in found:
            hits[row, position[label]] = True
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
        for w in weeks:
            chosen = recorded & (week_of == w.index)
            by_week.append(tester.cell(int(column[chosen].sum()), int(chosen.sum())))
        if period.flagged:
            flags.append(
                Flag(
                    kind="indicator_rate",
                    scope="period",
                    subject=label,
                    metric="share_of_contacts",
                    value=period.rate,
                    reference=period.reference,
                    threshold=tester.config.rate_change,
                    message=(
                        f"Indicator {label}: found in {_pct(period.rate)} of contacts against "
                        f"{_pct(period.reference)} at training time (flagged at a change of "
                        f"{tester.config.rate_change:.2f} and {tester.config.rate_ratio:g} times, "
                        "beyond chance)."
                    ),
                )
            )
        rows.append({"label": label, "period": period, "weeks": by_week})
    # The indicators that moved most first; then by name.
    rows.sort(key=lambda r: (-abs(r["period"].z or 0.0), r["label"]))
    return rows


def _sources(
    sources: npt.NDArray[np.object_],
    week_of: npt.NDArray[np.int_],
    weeks: list[Week],
    reference: ReferenceProfile | None,
    tester: _Tester,
    flags: list[Flag],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Each source's share (per week and over the period, against training time) and the
    share of contacts without a source (flagged past ``no_source_share``)."""
    config, cells = tester.config, tester.cells
    names = [*SOURCES, NO_SOURCE]
    extra = sorted(set(sources.tolist()) - set(names))
    names += extra
    n = sources.size
    period_counts = cells.partition({s: int(np.sum(sources == s)) for s in names})
    week_counts = []
    for w in weeks:
        chosen = week_of == w.index
        week_counts.append(cells.partition({s: int(np.sum(sources[chosen] == s)) for s in names}))
    z_crit = z_critical(config.confidence, len(SOURCES))
    rows = []
    for s in names:
        ref = None
        if reference is not None and s != NO_SOURCE:
            ref = RateAt(reference.source_shares.get(s, 0.0), reference.contacts)
        period = tester.cell(
            int(np.sum(sources == s)),
            n,
            reference=ref,
            change=config.rate_change,
            z_crit=z_crit,
            published_count=period_counts[s],
        )
        by_week = []
        for w, shown in zip(weeks, week_counts, strict=True):
            chosen = week_of == w.index
            by_week.append(
                tester.cell(
                    int(np.sum(sources[chosen] == s)), int(chosen.sum()), published_count=shown[s]
                )
            )
        if period.flagged:
            flags.append(
                Flag(
                    kind="source_share",
                    scope="period",
                    subject=s,
                    metric="share_of_contacts",
                    value=period.rate,
                    reference=period.reference,
                    threshold=config.rate_change,
                    message=(
                        f"Source {s}: {_pct(period.rate)} of contacts against "
                        f"{_pct(period.reference)} at training time (flagged at a change of "
                        f"{config.rate_change:.2f} and {config.rate_ratio:g} times, beyond chance)."
                    ),
                )
            )
        if s != NO_SOURCE:  # shown as the share without a source, below
            rows.append({"source": s, "period": period, "weeks": by_week})

    def no_source_cell(
        chosen: npt.NDArray[np.bool_], scope: str, label: str, shown: Cell
    ) -> RateCell:
        count, total = int(np.sum(sources[chosen] == NO_SOURCE)), int(chosen.sum())
        cell = tester.cell(count, total, published_count=shown)
        flagged = (
            total >= config.min_contacts and count / total >= config.no_source_share
            if total
            else False
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
                        f"{label[0].upper()}{label[1:]}: {_pct(cell.rate)} of contacts were "
                        f"scored without a referral source (flagged at "
                        f"{_pct(config.no_source_share)}; every training contact had one)."
                    ),
                )
            )
        return RateCell(cell.n, cell.count, cell.rate, cell.ci, 0.0, None, flagged)

    no_source = {
        "period": no_source_cell(
            np.ones(n, dtype=bool), "period", "the period", period_counts[NO_SOURCE]
        ),
        "weeks": [
            no_source_cell(week_of == w.index, w.label, w.label, shown[NO_SOURCE])
            for w, shown in zip(weeks, week_counts, strict=True)
        ],
    }
    return rows, no_source


def _overrides(
    bands: npt.NDArray[np.object_],
    met: npt.NDArray[np.bool_],
    decided: npt.NDArray[np.bool_],
    sources: npt.NDArray[np.object_],
    week_of: npt.NDArray[np.int_],
    weeks: list[Week],
    reference: ReferenceProfile | None,
    tester: _Tester,
    flags: list[Flag],
) -> dict[str, Any]:
    """The override rate over the period, by week, by source and by band, each against its
    training-time rate (the period's for a week, the source's or band's own where the
    reference has it); flagged where it rose by ``override_rate_increase``, beyond chance."""
    config = tester.config
    eligible, overridden = overrides(bands, met, decided=decided)
    overall_ref = None if reference is None else reference.override

    def table(
        groups: Sequence[tuple[str, npt.NDArray[np.bool_], RateAt | None]], kind: str
    ) -> list[dict[str, Any]]:
        tested = sum(
            1 for _, chosen, ref in groups if ref is not None and (eligible & chosen).any()
        )
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
                flags.append(
                    Flag(
                        kind="override_rate",
                        scope=name if kind != "period" else "period",
                        subject=kind,
                        metric="override_rate",
                        value=cell.rate,
                        reference=cell.reference,
                        threshold=config.override_rate_increase,
                        message=(
                            f"Override rate ({name}): {_pct(cell.rate)} of decided "
                            f"{name if kind == 'band' else 'high- and low-band'} contacts "
                            f"{'from ' + name + ' ' if kind == 'source' else ''}against "
                            f"{_pct(cell.reference)} at training time (flagged at a rise of "
                            f"{config.override_rate_increase:.2f}, beyond chance)."
                        ),
                    )
                )
            rows.append({"group": name, "rate": cell})
        return rows

    everyone = np.ones(bands.size, dtype=bool)
    by_source_names = [s for s in [*SOURCES, NO_SOURCE] if (sources == s).any()]
    return {
        "definition": OVERRIDE_DEFINITION,
        "period": table([("the period", everyone, overall_ref)], "period")[0]["rate"],
        "by_week": table([(w.label, week_of == w.index, overall_ref) for w in weeks], "week"),
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


def _calibration(
    scores: npt.NDArray[np.float64],
    bands: npt.NDArray[np.object_],
    met: npt.NDArray[np.bool_],
    decided: npt.NDArray[np.bool_],
    reference: ReferenceProfile | None,
    tester: _Tester,
    flags: list[Flag],
) -> dict[str, Any]:
    """The met rate of decided contacts with its Wilson interval against their mean served
    score, by band and over all, and in ten score bins (shown, not flagged). A band (or all
    contacts) is flagged where its gap (met rate minus mean score) moved ``calibration_gap``
    or more from the training-time gap, beyond chance for the four compared; for a model
    without a reference, where the gap itself reaches it and the mean score lies outside
    the interval. (A floor puts low scores in the high band, where more contacts are met
    than their scores say, at training time too: the change is what is judged.)"""
    config, cells = tester.config, tester.cells
    z_crit = z_critical(config.confidence, len(BANDS) + 1)

    def row(
        name: str, chosen: npt.NDArray[np.bool_], *, judge: bool, ref: CalibrationAt | None = None
    ) -> CalibrationRow:
        among = decided & chosen
        n, hits = int(among.sum()), int(met[among].sum())
        observed = cells.rate(hits, n)
        mean_score = float(scores[among].mean()) if n else None
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
            elif reference is None:
                outside = not ci[0] <= mean_score <= ci[1]
                flagged = abs(gap) >= config.calibration_gap and outside
        if flagged and gap is not None:
            said = (
                f"against {ref.gap:+.3f} at training time"
                if ref is not None
                else "with no reference"
            )
            flags.append(
                Flag(
                    kind="calibration",
                    scope=name,
                    subject="score",
                    metric="met_rate_minus_mean_score",
                    value=round(gap, 4),
                    reference=None if ref is None else round(ref.gap, 4),
                    threshold=config.calibration_gap,
                    message=(
                        f"Calibration ({name}): {_pct(observed)} of decided contacts met the "
                        f"threshold against a mean served score of {_pct(mean_score)}, a gap "
                        f"of {gap:+.3f} {said} (flagged at a change of "
                        f"{config.calibration_gap:.2f}, beyond chance)."
                    ),
                )
            )
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
