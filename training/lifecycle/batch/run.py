"""``screener score`` as a function: checks its input, fetches and verifies the registered
version, and hands the export to an engine.

Everything that can be checked before a model is fetched or a SparkSession started is
checked first (the engine, the export's type, existence and header, the destination),
so a mistake costs a moment and says what and where.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Final, Literal, cast

from training.data.read import ContractError, read_header
from training.data.validate import require_columns
from training.lifecycle import registry
from training.lifecycle.batch.chunk import Counts
from training.lifecycle.batch.spark import check_available, is_uri

__all__ = ["ENGINES", "BatchInputError", "BatchResult", "Engine", "score_export"]

Engine = Literal["local", "spark"]
ENGINES: Final[tuple[Engine, ...]] = ("local", "spark")
#: Contacts read, scored and written at a time (the local engine's piece, the Spark
#: engine's Arrow batch): what bounds memory.
DEFAULT_CHUNK_ROWS: Final = 2000


class BatchInputError(ValueError):
    """A bad argument or file: the message says what and where, never data."""


@dataclass(frozen=True)
class BatchResult:
    """A scored export: which model, which engine, how many rows, how fast."""

    engine: Engine
    model: registry.ModelVersionRef
    #: What vouched for the model's files (``signing.Verification.describe()``).
    verified: str
    counts: Counts
    out: str
    #: Seconds to fetch and verify the model (and start Spark), and to score.
    setup_seconds: float
    seconds: float

    @property
    def per_second(self) -> float:
        """Contacts read per second of scoring (reading, checking, scoring, writing)."""
        return self.counts.rows / self.seconds if self.seconds > 0 else 0.0

    @property
    def summary(self) -> str:
        c = self.counts
        return (
            f"scored {c.scored:,} of {c.rows:,} contacts with {self.model.name} version "
            f"{self.model.version} ({self.verified}) on the {self.engine} engine in "
            f"{self.seconds:.1f} s ({self.per_second:,.0f} contacts/s; "
            f"{self.setup_seconds:.1f} s to load): {self.out}"
        )


def score_export(
    model: str,
    data: str,
    out: str,
    *,
    engine: str = "local",
    explanations: bool = False,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    overwrite: bool = False,
) -> BatchResult:
    """Score an export in the contact contract (CSV or Parquet) with a registered version
    (``models:/concern-screener@champion``, ``models:/concern-screener/3`` or ``3``) into
    Parquet at ``out``: one file with the local engine, a folder of part files with Spark.

    Rows that break the contract are counted in the result and not scored. Raises
    BatchInputError for a bad argument or file, LookupError or ValueError for a model URI
    that names no version, ``signing.ArtifactIntegrityError`` when the version's files or
    signature do not verify, ``spark.SparkUnavailable`` and ``spark.SparkJobError``."""
    if engine not in ENGINES:
        raise BatchInputError(f"--engine {engine}: must be one of {', '.join(ENGINES)}")
    if chunk_rows < 1:
        raise BatchInputError(f"--chunk-rows {chunk_rows}: must be at least 1")
    chosen = cast(Engine, engine)
    _check_data(data, chosen)
    _check_out(out, data, chosen, overwrite=overwrite)
    if chosen == "spark":
        check_available()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="screener-score-") as tmp:
        ref, folder, verification = registry.fetch_for_scoring(model, Path(tmp))
        with _session(chosen) as spark:
            run = _engine(spark, folder, verification, data=data, out=out, overwrite=overwrite)
            loaded = time.perf_counter()
            try:
                counts = run(version=ref.version, explanations=explanations, chunk_rows=chunk_rows)
            except ContractError as exc:
                raise BatchInputError(f"{data}: {exc}") from None
            seconds = time.perf_counter() - loaded
    return BatchResult(chosen, ref, verification.describe(), counts, out, loaded - started, seconds)


def _session(engine: Engine) -> contextlib.AbstractContextManager[Any]:
    """A SparkSession for the Spark engine, nothing for the local one."""
    if engine == "local":
        return contextlib.nullcontext()
    from training.lifecycle.batch.spark import spark_session

    return spark_session()


def _engine(
    spark: Any, folder: Path, verification: Any, *, data: str, out: str, overwrite: bool
) -> Callable[..., Counts]:
    """The engine's scoring function with the model and the paths bound: the local one
    loads the verified folder here, the Spark one ships it to its executors."""
    if spark is None:
        from training.lifecycle.batch.local import score_locally
        from training.model.pyfunc import load_folder

        Path(out).parent.mkdir(parents=True, exist_ok=True)
        screener = load_folder(folder, verification).screener
        return partial(score_locally, screener, Path(data), Path(out))
    from training.lifecycle.batch.spark import score_on_spark

    return partial(
        score_on_spark,
        spark,
        folder=folder,
        verification=verification,
        data=data,
        out=out,
        overwrite=overwrite,
    )


def _check_data(data: str, engine: Engine) -> None:
    """A local export's type, existence and header; a URI, or a folder of Parquet parts,
    only Spark reads (and checks)."""
    if is_uri(data) or Path(data).is_dir():
        if engine == "local":
            raise BatchInputError(
                f"--data {data}: the local engine reads one local file; use --engine spark"
            )
        return
    try:
        require_columns(read_header(Path(data)), require_outcome=False)
    except ContractError as exc:
        raise BatchInputError(f"{data}: {exc}") from None


def _check_out(out: str, data: str, engine: Engine, *, overwrite: bool) -> None:
    if not out.rstrip("/").lower().endswith(".parquet"):
        raise BatchInputError(f"--out {out}: the output is Parquet: name it *.parquet")
    if is_uri(out):
        if engine == "local":
            raise BatchInputError(
                f"--out {out}: the local engine writes local files; use --engine spark"
            )
        return
    path = Path(out)
    if not is_uri(data) and path.resolve() == Path(data).resolve():
        raise BatchInputError(f"--out {out}: is the export itself; choose another path")
    if path.exists() and not overwrite:
        raise BatchInputError(f"--out {out}: already exists; remove it or pass --overwrite")
