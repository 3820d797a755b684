"""The monitor's statistics: the population stability index, the test of a share against
its training-time value, and the small-cell rule that decides what may be published.

Pure functions of counts and shares; nothing here reads the audit trail or renders.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = [
    "PSI_FLOOR",
    "Cell",
    "SmallCells",
    "population_stability_index",
    "two_proportion_z",
    "z_critical",
]

#: A bin's share is taken as at least this in the index (an empty bin would make it
#: infinite): the usual guard, which caps one empty bin's term near 0.1 * ln(1000) = 0.69.
PSI_FLOOR: Final = 1e-4

#: A published count: the number, or "<N" where the small-cell rule withholds it.
Cell = int | str


def population_stability_index(expected: Sequence[float], actual_counts: npt.ArrayLike) -> float:
    """``sum((a - e) * ln(a / e))`` over the bins, where ``e`` are the training-time shares
    and ``a`` the shares of ``actual_counts``; each share is floored at :data:`PSI_FLOOR`.

    0 when the two distributions agree; by the usual reading, under 0.1 is a small shift
    and over 0.25 a large one. NaN when there are no counts."""
    e = np.asarray(expected, dtype=np.float64)
    c = np.asarray(actual_counts, dtype=np.float64)
    if e.shape != c.shape or e.ndim != 1 or e.size == 0:
        raise ValueError("expected shares and actual counts must be one bin each")
    total = c.sum()
    if total <= 0:
        return math.nan
    a = np.maximum(c / total, PSI_FLOOR)
    e = np.maximum(e, PSI_FLOOR)
    return float(np.sum((a - e) * np.log(a / e)))


def two_proportion_z(count: int, n: int, reference_rate: float, reference_n: int) -> float:
    """The pooled two-sample z of a share ``count / n`` against a training-time share
    ``reference_rate`` of ``reference_n`` contacts (positive when the share rose). NaN when
    either sample is empty; 0 when both shares are 0 or 1 alike."""
    if n <= 0 or reference_n <= 0:
        return math.nan
    rate = count / n
    pooled = (count + reference_rate * reference_n) / (n + reference_n)
    variance = pooled * (1.0 - pooled) * (1.0 / n + 1.0 / reference_n)
    if variance <= 0:
        return 0.0 if rate == reference_rate else math.copysign(math.inf, rate - reference_rate)
    return (rate - reference_rate) / math.sqrt(variance)


def z_critical(confidence: float, comparisons: int) -> float:
    """The two-sided normal quantile past which a difference is beyond chance at
    ``confidence``, Bonferroni-adjusted for ``comparisons`` made at once."""
    from scipy.stats import norm

    alpha = (1.0 - confidence) / max(1, comparisons)
    return float(norm.ppf(1.0 - alpha / 2.0))


@dataclass(frozen=True, slots=True)
class SmallCells:
    """The small-cell rule: a count from 1 to ``minimum - 1`` is published as
    ``"<minimum"``, and so is any rate whose numerator, denominator or their difference is
    such a count (it would give the count back). A zero is published: it counts nobody."""

    minimum: int = 10

    @property
    def mark(self) -> str:
        return f"<{self.minimum}"

    def small(self, count: int) -> bool:
        return 0 < count < self.minimum

    def count(self, count: int) -> Cell:
        """``count`` as published."""
        return self.mark if self.small(count) else int(count)

    def rate(self, count: int, n: int, value: float | None = None) -> float | None:
        """``value`` (default ``count / n``) as published: None where it would reveal a
        small count (or ``n`` is 0)."""
        if n <= 0 or self.small(n) or self.small(count) or self.small(n - count):
            return None
        return count / n if value is None else value

    def partition(self, counts: Mapping[str, int]) -> dict[str, Cell]:
        """Counts that add up to a published total (bands, sources, score bins), as
        published: small ones withheld, and where exactly one is withheld, the next
        smallest non-zero one too, so that it cannot be had by subtraction."""
        hidden = {k for k, v in counts.items() if self.small(v)}
        if len(hidden) == 1:
            others = sorted((v, k) for k, v in counts.items() if k not in hidden and v > 0)
            if others:
                hidden.add(others[0][1])
        return {k: self.mark if k in hidden else int(v) for k, v in counts.items()}
