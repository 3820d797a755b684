"""The one set of number formatters of every report, page and terminal summary.

A number shows with fixed decimals; a missing one (``None``, NaN, infinite, or not a number
at all) shows as ``missing``: "not available" in prose, a dash in dense tables.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

__all__ = ["DASH", "NOT_AVAILABLE", "estimate", "interval", "num", "pct"]

NOT_AVAILABLE: Final = "not available"
DASH: Final = "\u2014"


def _finite(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def num(value: Any, digits: int = 3, *, missing: str = NOT_AVAILABLE) -> str:
    """``value`` with ``digits`` decimals ("0.842")."""
    f = _finite(value)
    return missing if f is None else f"{f:.{digits}f}"


def pct(value: Any, digits: int = 0, *, missing: str = NOT_AVAILABLE) -> str:
    """A share as a percentage with ``digits`` decimals ("42%" for 0.42)."""
    f = _finite(value)
    return missing if f is None else f"{100.0 * f:.{digits}f}%"


def interval(ci: Sequence[Any] | None, digits: int = 3, *, missing: str = DASH) -> str:
    """An interval ``(lo, hi)`` as "lo\u2013hi"; empty when there is none."""
    if not ci:
        return ""
    return f"{num(ci[0], digits, missing=missing)}\u2013{num(ci[1], digits, missing=missing)}"


def estimate(value: Any, ci: Sequence[Any] | None, digits: int = 3) -> str:
    """A value with its interval in brackets ("0.842 [0.830, 0.853]"), or the value alone
    when it has none."""
    if not ci:
        return num(value, digits)
    return f"{num(value, digits)} [{num(ci[0], digits)}, {num(ci[1], digits)}]"
