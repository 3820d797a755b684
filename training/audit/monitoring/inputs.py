"""What the drift and override report reads: the columns of the contacts a version scored,
and the arrays every section of the report computes from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from training.audit.monitoring.overrides import decided_met
from training.audit.monitoring.reference import NO_SOURCE
from training.audit.monitoring.results import Week, weeks_of

__all__ = ["INPUT_COLUMNS", "Served", "served_arrays"]

#: What :func:`~training.audit.monitoring.report.monitor_report` reads, one row per contact
#: scored: ``created_at`` (UTC), ``score``, ``band`` (as served), ``source`` (None without
#: one), ``indicators`` (the live indicator labels found, a list; None where the audit row
#: did not record them) and ``decision`` (the latest recorded outcome, None where none was
#: recorded).
INPUT_COLUMNS: Final = ("created_at", "score", "band", "source", "indicators", "decision")


@dataclass(frozen=True)
class Served:
    """The contacts scored over the period's ``weeks``, one position per contact: the week
    each fell in (its index in ``weeks``), its served score and band, its source (:data:`~training.audit.monitoring.reference.NO_SOURCE`
    without one), the indicators found (empty where not recorded) and whether they were
    recorded, whether a decision was recorded and whether it met the threshold."""

    weeks: list[Week]
    week_of: npt.NDArray[np.int_]
    scores: npt.NDArray[np.float64]
    bands: npt.NDArray[np.object_]
    sources: npt.NDArray[np.object_]
    indicators: list[list[str]]
    recorded: npt.NDArray[np.bool_]
    decided: npt.NDArray[np.bool_]
    met: npt.NDArray[np.bool_]

    @property
    def size(self) -> int:
        return int(self.scores.size)


def served_arrays(served: pd.DataFrame, *, since: datetime, until: datetime) -> Served:
    """The arrays of ``served`` (the columns of :data:`INPUT_COLUMNS`), each contact placed
    in its week of the period ``[since, until)`` (:func:`~.results.weeks_of`)."""
    missing = [c for c in INPUT_COLUMNS if c not in served]
    if missing:
        raise ValueError(f"the served contacts lack {', '.join(missing)}")
    weeks = weeks_of(since, until)
    frame = served.reset_index(drop=True)
    created = pd.to_datetime(frame["created_at"], utc=True)
    elapsed = (created - pd.Timestamp(since)).dt.total_seconds().to_numpy()
    decision = frame["decision"]
    return Served(
        weeks=weeks,
        week_of=np.clip(elapsed // (7 * 86400), 0, len(weeks) - 1).astype(np.int_),
        scores=frame["score"].to_numpy(dtype=np.float64),
        bands=frame["band"].to_numpy(dtype=object),
        sources=frame["source"]
        .map(lambda s: s if isinstance(s, str) and s else NO_SOURCE)
        .to_numpy(dtype=object),
        indicators=[v if v is not None else [] for v in frame["indicators"].tolist()],
        recorded=frame["indicators"].map(lambda v: v is not None).to_numpy(dtype=bool),
        decided=decision.map(lambda d: isinstance(d, str)).to_numpy(dtype=bool),
        met=decided_met([d if isinstance(d, str) else None for d in decision]),
    )
