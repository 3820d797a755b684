"""One piece of an export scored: its rows checked against the contact contract, the valid
ones scored, the result as an Arrow record batch of the output schema.

Both engines of ``screener score`` call :func:`score_chunk` on every piece they read (the
local engine on the pieces it streams, the Spark engine inside ``mapInArrow`` on each
executor), so that one export scores the same, row for row and to the bit, whichever
engine ran it: each row is judged on its own (a piece cannot see the rest of the file,
so a repeated contact_id is not refused here; ``screener data validate`` reports it), and
the model scores every contact through its sparse matrix, whatever the piece's size
(``ScreenerModel.score_records(batch_independent=True)``).

Concern text never leaves this module: the output holds the contact id, the figures, the
indicators' labels and character spans, and with explanations the model's feature names
(redacted, normalised words) with their spans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd
import pyarrow as pa

from training.data.validate import validate_frame
from training.model.outputs import ScoreRecord

__all__ = ["OUTPUT_COLUMNS", "Counts", "ScoredChunk", "output_schema", "score_chunk"]

_INDICATOR: Final = pa.struct(
    [
        ("label", pa.string()),
        ("level", pa.int64()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("negated", pa.bool_()),
        ("hedged", pa.bool_()),
        ("historical", pa.bool_()),
        ("third_party", pa.bool_()),
    ]
)
_PHRASE: Final = pa.struct(
    [
        ("feature", pa.string()),
        ("weight", pa.float64()),
        ("spans", pa.list_(pa.list_(pa.int64()))),
    ]
)
_FIELDS: Final = (
    pa.field("contact_id", pa.string(), nullable=False),
    pa.field("score", pa.float64(), nullable=False),
    pa.field("priority", pa.int64(), nullable=False),
    pa.field("band", pa.string(), nullable=False),
    pa.field("level", pa.int64()),
    pa.field("level_probabilities", pa.list_(pa.float64())),
    pa.field("differs", pa.bool_(), nullable=False),
    pa.field("floor", pa.string()),
    pa.field("indicators", pa.list_(_INDICATOR), nullable=False),
    pa.field("explanation", pa.list_(_PHRASE)),
    pa.field("model_version", pa.string(), nullable=False),
)
#: Every output column, in order (``explanation`` only when asked for).
OUTPUT_COLUMNS: Final = tuple(f.name for f in _FIELDS)


def output_schema(*, explanations: bool) -> pa.Schema:
    """The Parquet schema of ``screener score``'s output.

    ``score`` is the calibrated probability of meeting the threshold in past decisions,
    ``priority`` 1-10 and ``band`` low/medium/high (after any must-never-miss floor);
    ``level`` (1-4) and ``level_probabilities`` are the guidance's level of need, null for
    a model without the estimate; ``differs`` marks practice and guidance disagreeing;
    ``floor`` says what a floor put under band and priority, or is null; ``indicators``
    are the risk indicators with their character spans (into the text trimmed of
    surrounding whitespace) and flags; ``explanation`` (with ``--explanations``) the
    phrases that raised and lowered the score; ``model_version`` the registered version."""
    return pa.schema([f for f in _FIELDS if explanations or f.name != "explanation"])


@dataclass(frozen=True)
class Counts:
    """Rows of an export read, and refused for breaking the contact contract."""

    rows: int
    refused: int

    @property
    def scored(self) -> int:
        return self.rows - self.refused


@dataclass(frozen=True)
class ScoredChunk:
    """A piece of an export after scoring: ``batch`` holds one row per valid contact, in
    the piece's order; ``rows`` were read and ``refused`` of them break the contract."""

    batch: pa.RecordBatch
    rows: int
    refused: int


def score_chunk(model: Any, raw: pd.DataFrame, *, version: str, explanations: bool) -> ScoredChunk:
    """Check ``raw`` (a piece as ``training.data.read.iter_raw`` gives it) against the
    contact contract as scoring data (no outcome needed, each row on its own), score the
    valid rows with ``model`` (a ``ScreenerModel``) and return them as an Arrow batch of
    :func:`output_schema`. Raises ``ContractError`` when a required column is absent."""
    valid, quarantined, _ = validate_frame(raw, require_outcome=False, unique_ids=False)
    texts = valid["text"].astype(str).tolist()
    sources = valid["source"].astype(str).tolist()
    records: list[ScoreRecord] = (
        model.score_records(
            texts, sources, explain=explanations, similar=False, batch_independent=True
        )
        if texts
        else []
    )
    batch = _record_batch(
        valid["contact_id"].astype(str).tolist(),
        records,
        version=version,
        explanations=explanations,
    )
    return ScoredChunk(batch, rows=len(raw), refused=len(quarantined))


def _record_batch(
    ids: Sequence[str], records: Sequence[ScoreRecord], *, version: str, explanations: bool
) -> pa.RecordBatch:
    columns: dict[str, list[Any]] = {
        "contact_id": list(ids),
        "score": [r.score for r in records],
        "priority": [r.priority for r in records],
        "band": [r.band for r in records],
        "level": [r.level for r in records],
        "level_probabilities": [list(r.level_probabilities) or None for r in records],
        "differs": [r.differs for r in records],
        "floor": [r.floor for r in records],
        "indicators": [[m.as_row() for m in r.indicators] for r in records],
        "model_version": [version] * len(records),
    }
    if explanations:
        columns["explanation"] = [[p.as_row() for p in r.explanation] for r in records]
    return pa.RecordBatch.from_pydict(columns, schema=output_schema(explanations=explanations))
