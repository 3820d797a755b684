"""Synthetic historical contacts that look and behave like a MASH export.

The public API: :func:`generate_frames` / :func:`generate_frame` (frames in memory),
:func:`write_contacts` (streamed to .parquet or .csv), :func:`parse_bias` and
:class:`BiasSpec` (an injected historical bias), :func:`parse_drift` and :class:`Drift` (a
drift of the contacts and of practice, for the monitor), the indicator catalogue
:data:`INDICATORS` (``load_lexicon().indicators``, read from the lexicon's data files on
first access) and :func:`load_lexicon` (all the phrasing). data/README.md is the datasheet:
what the data are, the label process and the figures it is calibrated to.
"""

from __future__ import annotations

from typing import Any

from training.data.generate.drift import Drift, parse_drift
from training.data.generate.generator import (
    OUTPUT_COLUMNS,
    GenerateSummary,
    generate_frame,
    generate_frames,
    oracle_auc,
    write_contacts,
)
from training.data.generate.labels import BiasSpec, parse_bias
from training.data.generate.lexicon import IndicatorSpec, load_lexicon
from training.data.generate.text import PII_KINDS

__all__ = [
    "INDICATORS",
    "OUTPUT_COLUMNS",
    "PII_KINDS",
    "BiasSpec",
    "Drift",
    "GenerateSummary",
    "IndicatorSpec",
    "generate_frame",
    "generate_frames",
    "load_lexicon",
    "oracle_auc",
    "parse_bias",
    "parse_drift",
    "write_contacts",
]


def __getattr__(name: str) -> Any:
    """``INDICATORS``: the indicator catalogue, read on first access (never at import)."""
    if name == "INDICATORS":
        return load_lexicon().indicators
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
