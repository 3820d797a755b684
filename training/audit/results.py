"""What every audit result shares: the :class:`Flag` a tool can act on, and the JSON-safe
form that each result's ``to_dict`` returns.

The fairness report, the counterfactual tests and the proxy check all raise flags, and the
promotion gate compares them across versions; they meet here rather than import each other.
Results hold no concern text, so neither does anything here.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

__all__ = ["Flag", "json_safe"]


def json_safe(value: Any) -> Any:
    """Python scalars, lists and dicts only; NaN and infinities become ``None``."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [json_safe(v) for v in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, np.str_):
        return str(value)
    return value


@dataclass(frozen=True, slots=True)
class Flag:
    """One finding that tools can act on.

    ``kind`` "disparity": ``metric`` is a rate (e.g. ``selection_rate``), ``value`` the
    group's rate, ``ratio`` its ratio to ``reference_group`` and ``ci`` the simultaneous
    interval of the ratio. "counterfactual": ``metric`` is ``mean_abs_shift`` or
    ``max_abs_shift`` of the score (probability units), ``group`` the cue changed.
    "proxy": ``metric`` is ``macro_auc`` of predicting the attribute from the features.
    """

    attribute: str
    group: str
    metric: str
    value: float
    reference_group: str | None
    ratio: float | None
    ci: tuple[float, float] | None
    kind: Literal["disparity", "counterfactual", "proxy"]
    message: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict with every field; ``ci`` as a two-item list or ``None``."""
        return json_safe(asdict(self))  # type: ignore[no-any-return]
