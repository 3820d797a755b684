"""What the drift and override report publishes: its weeks, cells, rows, flags and the
:class:`MonitorResult` that holds them, every count already under the small-cell rule.

Plain data: :mod:`.report` computes it, :mod:`training.audit.render.monitor` renders it.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from training.audit.monitoring.overrides import OVERRIDE_DEFINITION
from training.audit.monitoring.stats import Cell

__all__ = [
    "BANDS",
    "CalibrationRow",
    "Flag",
    "MonitorResult",
    "RateCell",
    "ScoreWeek",
    "Week",
    "weeks_of",
]

BANDS: Final = ("low", "medium", "high")


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
