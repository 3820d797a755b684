"""How the drift and override report publishes and judges a share, and the sentence of a
share's flag.

A share is published under the small-cell rule with its Wilson interval; with a
training-time reference and a change to look for it is also judged: flagged only when
enough contacts were seen, it moved far enough and the move is beyond chance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from training.audit.metrics import wilson_interval
from training.audit.monitoring.reference import RateAt
from training.audit.monitoring.results import Flag, RateCell
from training.audit.monitoring.stats import Cell, SmallCells, two_proportion_z
from training.audit.render.formats import pct
from training.config import MonitorConfig

__all__ = ["NOT_PUBLISHED", "ShareTester", "share_flag"]

#: How a flag's sentence shows a share the small-cell rule withholds (or there is none).
NOT_PUBLISHED: Final = "not published"


@dataclass(frozen=True)
class ShareTester:
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
            flagged = self._judged(count, n, ref_rate, z, change, z_crit, direction)
        return RateCell(
            n=self.cells.count(n),
            count=shown,
            rate=rate,
            ci=ci,
            reference=ref_rate,
            z=None if z is None or rate is None or not math.isfinite(z) else round(z, 3),
            flagged=flagged,
        )

    def _judged(
        self,
        count: int,
        n: int,
        ref_rate: float,
        z: float,
        change: float | None,
        z_crit: float,
        direction: int,
    ) -> bool:
        """Whether ``count`` of ``n`` moved far enough from ``ref_rate``, beyond chance."""
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
        return n >= self.config.min_contacts and far and beyond


def share_flag(
    kind: str, subject: str, cell: RateCell, *, said: str, config: MonitorConfig
) -> Flag:
    """The period's flag of a share of contacts that moved from its training-time share
    (an indicator's or a source's); ``said`` opens the sentence."""
    return Flag(
        kind=kind,
        scope="period",
        subject=subject,
        metric="share_of_contacts",
        value=cell.rate,
        reference=cell.reference,
        threshold=config.rate_change,
        message=(
            f"{said} {pct(cell.rate, 1, missing=NOT_PUBLISHED)} of contacts against "
            f"{pct(cell.reference, 1, missing=NOT_PUBLISHED)} at training time (flagged at a change of "
            f"{config.rate_change:.2f} and {config.rate_ratio:g} times, beyond chance)."
        ),
    )
