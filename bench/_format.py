"""Number formatting shared by the benchmarks' printed tables."""

from __future__ import annotations

from typing import Any


def fmt(v: Any, spec: str) -> str:
    """``v`` formatted by ``spec``, or "-" where the figure is missing."""
    return "-" if v is None else format(v, spec)
