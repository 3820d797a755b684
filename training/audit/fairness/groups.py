"""The audit's groups of children: the six audit attributes of each contact as group
names, their bands, display order and intersections.

Groups come from the contract's audit-only columns, which never reach the model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from training.audit.metrics import MISSING_GROUP, is_missing

__all__ = [
    "AGE_BANDS",
    "ATTRIBUTES",
    "DECILE_BANDS",
    "INTERSECTIONS",
    "NOT_A_GROUP",
    "UNKNOWN",
    "audit_groups",
    "group_columns",
    "is_not_a_group",
    "order_groups",
]

#: Age bands of the DfE Children in Need census.
AGE_BANDS: Final[tuple[str, ...]] = ("under 1", "1-4", "5-9", "10-15", "16-17")
#: Index of Multiple Deprivation decile bands (1 = most deprived tenth of areas).
DECILE_BANDS: Final[tuple[str, ...]] = ("1-2", "3-4", "5-6", "7-8", "9-10")
UNKNOWN: Final = "unknown"
#: Group names that are not a group of children: shown, never flagged.
NOT_A_GROUP: Final[frozenset[str]] = frozenset({UNKNOWN, MISSING_GROUP})

#: Audit attribute -> contract column it derives from.
ATTRIBUTES: Final[dict[str, str]] = {
    "ethnicity": "child_ethnicity",
    "sex": "child_sex",
    "age_band": "child_age_years",
    "disability": "child_disability",
    "deprivation_band": "area_deprivation_decile",
    "interpreter": "needs_interpreter",
}
#: Intersections reported (ICO guidance asks for intersectional analysis).
INTERSECTIONS: Final[tuple[tuple[str, str], ...]] = (
    ("ethnicity", "sex"),
    ("ethnicity", "deprivation_band"),
    ("ethnicity", "disability"),
)
#: Display order of the known values of each attribute.
_ORDER: Final[dict[str, tuple[str, ...]]] = {
    "ethnicity": ("white", "mixed", "asian", "black", "other"),
    "sex": ("female", "male"),
    "age_band": AGE_BANDS,
    "disability": ("yes", "no"),
    "deprivation_band": DECILE_BANDS,
    "interpreter": ("yes", "no"),
}
_TRUE_WORDS: Final = frozenset({"true", "yes", "y", "1", "t"})
_FALSE_WORDS: Final = frozenset({"false", "no", "n", "0", "f"})


def _band(values: pd.Series, edges: Sequence[int], labels: Sequence[str]) -> pd.Series:
    """Integer values into labelled bands: ``edges`` are the inclusive lower bounds."""
    num = pd.to_numeric(values, errors="coerce")
    out = pd.Series(MISSING_GROUP, index=values.index, dtype=object)
    for i, label in enumerate(labels):
        lo = edges[i]
        hi = edges[i + 1] if i + 1 < len(edges) else math.inf
        out[(num >= lo) & (num < hi)] = label
    return out


def _yes_no(value: Any) -> str:
    if is_missing(value):
        return MISSING_GROUP
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    text = str(value).strip().lower()
    if text in _TRUE_WORDS:
        return "yes"
    if text in _FALSE_WORDS:
        return "no"
    return UNKNOWN


def _as_recorded(value: Any) -> str:
    if is_missing(value):
        return MISSING_GROUP
    return str(value).strip().lower() or MISSING_GROUP


def _attribute_groups(attribute: str, values: pd.Series) -> pd.Series:
    if attribute == "age_band":
        return _band(values, (0, 1, 5, 10, 16), AGE_BANDS)
    if attribute == "deprivation_band":
        return _band(values, (1, 3, 5, 7, 9), DECILE_BANDS)
    if attribute == "interpreter":
        return values.map(_yes_no).astype(object)
    return values.map(_as_recorded).astype(object)


def audit_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """The six audit attributes of each contact as group names, from the contract's
    audit-only columns of ``frame``.

    Columns ``ethnicity``, ``sex``, ``disability`` (enum values as recorded), ``age_band``
    (:data:`AGE_BANDS`, from ``child_age_years``), ``deprivation_band``
    (:data:`DECILE_BANDS`, from ``area_deprivation_decile``) and ``interpreter``
    (``yes``/``no``). A missing value, or a whole missing column, gives ``"(missing)"``;
    the enum value ``unknown`` stays ``"unknown"``. Same index as ``frame``.
    """
    out = pd.DataFrame(index=frame.index)
    for attribute, column in ATTRIBUTES.items():
        values = (
            frame[column]
            if column in frame.columns
            else pd.Series(None, index=frame.index, dtype=object)
        )
        out[attribute] = _attribute_groups(attribute, values)
    return out


def group_columns(audit: pd.DataFrame) -> list[tuple[str, np.ndarray, bool]]:
    """What the report tabulates: ``(name, group per contact, is an intersection)`` for
    each audit attribute present in ``audit`` (columns of :func:`audit_groups`), then each
    of :data:`INTERSECTIONS` whose two attributes are present (groups ``"a / b"``)."""
    columns: dict[str, np.ndarray] = {}
    for attribute in ATTRIBUTES:
        if attribute in audit.columns:
            columns[attribute] = audit[attribute].astype(str).to_numpy(dtype=object)
    plan: list[tuple[str, np.ndarray, bool]] = [(a, g, False) for a, g in columns.items()]
    for first, second in INTERSECTIONS:
        if first in columns and second in columns:
            combined = np.asarray(
                [f"{x} / {z}" for x, z in zip(columns[first], columns[second], strict=True)],
                dtype=object,
            )
            plan.append((f"{first} x {second}", combined, True))
    return plan


def is_not_a_group(name: str) -> bool:
    """Whether a group (or any part of an intersection's group) is unknown or missing."""
    return any(part in NOT_A_GROUP for part in name.split(" / "))


def order_groups(attribute: str, present: Sequence[str]) -> list[str]:
    """Display order of the groups ``present`` in one attribute or intersection (``"a x
    b"``): known values in their order, then the rest alphabetically, unknown and missing
    last."""
    parts = attribute.split(" x ")
    if len(parts) == 1:
        known = [g for g in _ORDER.get(attribute, ()) if g in present]
    else:
        a, b = parts
        known = [
            f"{x} / {z}"
            for x in _ORDER.get(a, ())
            for z in _ORDER.get(b, ())
            if f"{x} / {z}" in present
        ]
    rest = sorted(set(present) - set(known), key=lambda g: (is_not_a_group(g), g))
    return known + rest
