"""The local engine of ``screener score``: an export streamed in pieces through this
process and written to one Parquet file as it goes.

Memory is bounded by one piece (``chunk_rows`` contacts as read, their analyses and their
output), never by the file: the export is read with ``training.data.read.iter_raw`` and
every scored piece becomes one row group of the output. A piece of 256 contacts or more is
analysed in two processes where that is safe (``training.model.parallel``). The output is
written beside its destination under a hidden name and renamed into place once complete,
so a failed run leaves no partial file behind.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from training.data.read import iter_raw
from training.lifecycle.batch.chunk import Counts, output_schema, score_chunk

__all__ = ["score_locally"]


def score_locally(
    model: Any,
    data: Path,
    out: Path,
    *,
    version: str,
    explanations: bool,
    chunk_rows: int,
) -> Counts:
    """Score every row of ``data`` (CSV or Parquet) with ``model`` (a ``ScreenerModel``)
    into the Parquet file ``out``, replacing whatever is there; the rows read and refused.
    Raises ``ContractError`` for a file-level problem, even part-way through."""
    import pyarrow.parquet as pq

    out = Path(out)
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    rows = refused = 0
    try:
        with pq.ParquetWriter(partial, output_schema(explanations=explanations)) as writer:
            for raw in iter_raw(data, rows=chunk_rows):
                chunk = score_chunk(model, raw, version=version, explanations=explanations)
                if chunk.batch.num_rows:
                    writer.write_batch(chunk.batch)
                rows, refused = rows + chunk.rows, refused + chunk.refused
        if out.is_dir():  # a Spark engine's output folder, being overwritten
            shutil.rmtree(out)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return Counts(rows=rows, refused=refused)
