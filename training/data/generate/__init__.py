"""Synthetic historical contacts that look and behave like a MASH export.

The public API: :func:`generate_frames` / :func:`generate_frame` (frames in memory),
:func:`write_contacts` (streamed to .parquet or .csv), :func:`parse_bias` and
:class:`BiasSpec` (an injected historical bias), and the indicator catalogue
:data:`INDICATORS`. data/README.md is the datasheet: what the data are, the label process
and the figures it is calibrated to.
"""

from __future__ import annotations

from training.data.generate.generator import (
    OUTPUT_COLUMNS,
    GenerateSummary,
    generate_frame,
    generate_frames,
    oracle_auc,
    write_contacts,
)
from training.data.generate.labels import BiasSpec, parse_bias
from training.data.generate.lexicon import INDICATORS, IndicatorSpec
from training.data.generate.text import PII_KINDS

__all__ = [
    "INDICATORS",
    "OUTPUT_COLUMNS",
    "PII_KINDS",
    "BiasSpec",
    "GenerateSummary",
    "IndicatorSpec",
    "generate_frame",
    "generate_frames",
    "oracle_auc",
    "parse_bias",
    "write_contacts",
]
