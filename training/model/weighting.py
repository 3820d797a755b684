"""The arithmetic of the feature blocks, on plain arrays: counts to TF-IDF rows, and
indicator matches to counts. One implementation serves a batch (a CSR matrix's arrays) and
a single contact (one row's arrays), so the two cannot drift apart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

__all__ = [
    "FLAGS",
    "LEVELS",
    "LEVEL_MODES",
    "TEXT_NORMS",
    "Counts",
    "flags_of",
    "indicator_counts",
    "level_mode",
    "median_scale",
    "row_norms",
    "tfidf",
]

FLAGS: tuple[str, ...] = ("asserted", "negated", "hedged", "historical", "third_party")
LEVELS: tuple[int, ...] = (1, 2, 3, 4)
#: How a match is stated, for the per-level counts: each match counts under one of these, the
#: first that applies from the end (a negated historical mention is negated).
LEVEL_MODES: tuple[str, ...] = ("asserted", "third_party", "hedged", "historical", "negated")
#: ``ContactFeatures.text_norm``: per-contact L2 rows, one fitted scale per block, or the
#: geometric mean of the two (each row divided by the square root of its norm times the
#: block's median norm).
TEXT_NORMS: tuple[str, ...] = ("l2", "median", "sqrt")


class Counts(NamedTuple):
    """Term counts of a batch in CSR form: row ``i`` holds ``data[indptr[i]:indptr[i+1]]``
    at columns ``indices[...]``, sorted within the row."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray


def row_norms(data: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """The L2 norm of each row (0 for an empty row), in float64."""
    n = len(indptr) - 1
    # Empty rows (a contact with no word) must not shift the sums of the others.
    sq = np.bincount(
        np.repeat(np.arange(n), np.diff(indptr)),
        weights=np.square(data, dtype=np.float64),
        minlength=n,
    )
    return np.sqrt(sq)


def tfidf(counts: Counts, idf: np.ndarray, scale: float | None, *, root: bool) -> np.ndarray:
    """Each count's sublinear TF-IDF value ``(1 + log count) * idf``, normalised per row:
    divided by the row's L2 norm (``scale`` None); times the fitted ``scale`` (one over the
    block's median training norm); or, with ``root``, times ``sqrt(scale / row norm)``, the
    geometric mean of the two. float32, aligned with ``counts.data``."""
    values = (1.0 + np.log(np.asarray(counts.data, dtype=np.float64))) * idf[counts.indices]
    if scale is not None and not root:
        return (values * scale).astype(np.float32)
    norms = row_norms(values, counts.indptr)
    lengths = np.diff(counts.indptr)
    if scale is None:
        factor = 1.0 / np.where(norms > 0, norms, 1.0)
    else:
        factor = np.sqrt(scale / np.where(norms > 0, norms, scale))
    return (values * np.repeat(factor, lengths)).astype(np.float32)


def median_scale(data: np.ndarray, indptr: np.ndarray) -> float:
    """One over the median L2 norm of the non-empty rows: the block's values keep the
    magnitude (and so the regularisation) of L2-normalised rows on a typical contact."""
    norms = row_norms(data, indptr)
    norms = norms[norms > 0]
    median = float(np.median(norms)) if len(norms) else 0.0
    return 1.0 / median if median > 0 else 1.0


def indicator_counts(
    matches: Sequence[tuple[str, int, bool, bool, bool, bool]],
    col_of: dict[tuple[str, str], int],
    level_base: int,
) -> dict[int, float]:
    """Indicator-block column -> count for one contact's matches: per label by flag, and
    per level by how it is stated."""
    counts: dict[int, float] = {}
    for label, level, negated, hedged, historical, third_party in matches:
        for flag in flags_of(negated, hedged, historical, third_party):
            key = col_of.get((label, flag))
            if key is not None:
                counts[key] = counts.get(key, 0.0) + 1.0
        if level in LEVELS:
            mode = level_mode(negated, hedged, historical, third_party)
            offset = LEVELS.index(level) * len(LEVEL_MODES) + LEVEL_MODES.index(mode)
            counts[level_base + offset] = counts.get(level_base + offset, 0.0) + 1.0
    return counts


def level_mode(negated: bool, hedged: bool, historical: bool, third_party: bool) -> str:
    """The one ``LEVEL_MODES`` entry a match counts under in the per-level columns: a serious
    concern stated first hand, reported, hedged, in the past or negated weighs differently."""
    if negated:
        return "negated"
    if historical:
        return "historical"
    if hedged:
        return "hedged"
    return "third_party" if third_party else "asserted"


def flags_of(negated: bool, hedged: bool, historical: bool, third_party: bool) -> list[str]:
    """The flag columns one indicator match counts towards: exactly one of asserted,
    negated or historical, plus hedged and third-party when they apply."""
    if negated:
        flags = ["negated"]
    elif historical:
        flags = ["historical"]
    else:
        flags = ["asserted"]
    if hedged:
        flags.append("hedged")
    if third_party:
        flags.append("third_party")
    return flags
