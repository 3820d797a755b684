"""The Spark engine of ``screener score``: ``mapInArrow`` over the verified model, on a
SparkSession from ``SPARK_MASTER`` (``local[*]`` by default), so the same command scores
an export on this machine's cores or on a cluster.

The driver never unpickles the model. It ships the folder it verified against the signed
manifest (``training.lifecycle.registry.fetch_for_scoring``) to the executors as one zip
(``SparkContext.addFile``); each Python worker unpacks it into a private folder, checks
every file against the same manifest again (the copy travelled through Spark's file
server) and only then loads it, once per worker (Spark reuses its Python workers). Each
Arrow batch of the export is then scored by ``training.lifecycle.batch.chunk.score_chunk``,
the function the local engine calls, so both engines give the same rows to the bit.

PySpark is an extra (``pip install 'concern-screener[spark]'``) and needs a Java 17
runtime; on a cluster every executor needs the package installed with its extra, the
export and the output on storage every node reads (``hdfs://``, ``s3a://``...), and
``PYSPARK_PYTHON`` naming the executors' Python. Spark's CSV reader differs from the local
one in two documented ways: invalid UTF-8 bytes become U+FFFD (scored, where the local
engine refuses the row), and a repeated column name is renamed by Spark rather than
refused when the export is not a local file.
"""

from __future__ import annotations

import atexit
import contextlib
import csv
import io
import os
import re
import shutil
import sys
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from training.data.read import FIELDS_COLUMN, ContractError, normalise_header
from training.data.validate import require_columns
from training.lifecycle.batch.chunk import Counts, output_schema, score_chunk
from training.model.signing import ArtifactIntegrityError, Verification, check_files
from training.settings import get_settings

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

__all__ = [
    "SparkJobError",
    "SparkUnavailable",
    "check_available",
    "is_uri",
    "score_on_spark",
    "spark_session",
]

#: The environment a Python worker must see as the driver does: whether floors apply.
FORWARDED_ENV: Final = ("SCREENER_FLOORS",)
#: Spark's column for a CSV record it could not parse into the header's fields.
_CORRUPT: Final = "_corrupt_record"
#: Tasks per core: enough that one slow piece does not hold the job up.
_TASKS_PER_CORE: Final = 4


class SparkUnavailable(RuntimeError):
    """PySpark or Java is missing, or no SparkSession could start: the message says which."""


class SparkJobError(RuntimeError):
    """The Spark job failed for a reason other than the export or the model."""


_URI: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_uri(path: str) -> bool:
    """True for a URI (``hdfs://``, ``s3a://``, ``file://``...), which only Spark reads."""
    return _URI.match(path) is not None


def check_available() -> None:
    """Raise :class:`SparkUnavailable` unless PySpark is installed and a Java runtime is
    there to run it: checked before a model is fetched, so the mistake costs a moment."""
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:
        raise SparkUnavailable(
            "--engine spark needs PySpark: pip install 'concern-screener[spark]' "
            "(and a Java 17 runtime)"
        )
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise SparkUnavailable(
            "--engine spark needs a Java runtime: install one (Debian: apt-get install "
            "openjdk-17-jre-headless) or set JAVA_HOME"
        )


@contextlib.contextmanager
def spark_session(master: str | None = None) -> Iterator[SparkSession]:
    """The active SparkSession, or a new one on ``master`` (default ``SPARK_MASTER``),
    stopped on leaving when it was started here.

    Python workers analyse in one process each (Spark already runs one a core) and, on a
    local master, run this interpreter. Spark's own console log is quiet (the failures
    that matter come back as this package's one-line errors) unless ``SPARK_CONF_DIR``
    names the operator's own configuration. Raises :class:`SparkUnavailable`."""
    check_available()
    from pyspark.sql import SparkSession

    with warnings.catch_warnings():
        # PySpark warns about pandas releases it has not been tested with; the engine
        # exchanges Arrow batches and converts them with pyarrow alone.
        warnings.filterwarnings("ignore", message=".*PySpark does not yet fully support")
        active = SparkSession.getActiveSession()
        if active is not None:
            yield active
            return
        master = master or get_settings().spark_master
        try:
            session = _builder(SparkSession.builder, master).getOrCreate()
        except Exception as exc:  # py4j and Spark raise several types when the JVM fails
            raise SparkUnavailable(
                f"no SparkSession could start on {master} ({type(exc).__name__})"
            ) from None
        try:
            yield session
        finally:
            session.stop()


def _builder(builder: Any, master: str) -> Any:
    builder = (
        builder.master(master)
        .appName("concern-screener score")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.python.worker.reuse", "true")
        .config("spark.executorEnv.SCREENER_SCORING_PROCESSES", "1")
    )
    if not os.environ.get("SPARK_CONF_DIR"):
        quiet = Path(__file__).with_name("log4j2.properties").as_uri()
        builder = builder.config(
            "spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={quiet}"
        )
    if master.startswith("local"):
        # The workers of a local master are this machine's: the interpreter that has the
        # package (a cluster's are named by PYSPARK_PYTHON), and no web UI on a port.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.ui.enabled", "false")
    for name in FORWARDED_ENV:
        if name in os.environ:
            builder = builder.config(f"spark.executorEnv.{name}", os.environ[name])
    return builder


def score_on_spark(
    spark: SparkSession,
    *,
    folder: Path,
    verification: Verification,
    data: str,
    out: str,
    version: str,
    explanations: bool,
    chunk_rows: int,
    overwrite: bool,
) -> Counts:
    """Score every row of ``data`` (a CSV or Parquet path or URI) with the verified model
    folder into the Parquet dataset ``out`` (a folder of part files); the rows read and
    refused. Raises ``ContractError`` for a file-level problem, ``ArtifactIntegrityError``
    when an executor's copy of the model does not verify, ``SparkJobError`` otherwise."""
    from pyspark.sql.pandas.types import from_arrow_schema

    with _spark_errors(), _removed_on_failure(out):
        frame, is_csv = _read(spark, data)
        with tempfile.TemporaryDirectory(prefix="screener-spark-") as tmp:
            archive = Path(tmp) / f"screener-v{version}-{uuid.uuid4().hex[:12]}.zip"
            shutil.make_archive(str(archive.with_suffix("")), "zip", root_dir=folder)
            spark.sparkContext.addFile(str(archive))
            spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(chunk_rows))
            width = len(frame.columns) - (1 if is_csv else 0)
            score = partial(
                _score_partition,
                archive=archive.name,
                verification=verification,
                version=version,
                explanations=explanations,
                csv_width=width if is_csv else None,
            )
            tasks = _TASKS_PER_CORE * spark.sparkContext.defaultParallelism
            scored = frame.repartition(max(tasks, frame.rdd.getNumPartitions())).mapInArrow(
                score, from_arrow_schema(output_schema(explanations=explanations))
            )
            scored.write.mode("overwrite" if overwrite else "errorifexists").parquet(out)
        rows = frame.count()
        written = spark.read.parquet(out).count()
    return Counts(rows=rows, refused=rows - written)


def _read(spark: SparkSession, data: str) -> tuple[DataFrame, bool]:
    """The export as a DataFrame with normalised column names (a CSV's values all
    strings, with Spark's column for records of the wrong width), and whether it is CSV."""
    from pyspark.sql.types import StringType, StructField, StructType

    suffix = Path(data.rstrip("/")).suffix.lower()
    if suffix not in {".csv", ".parquet", ".pq"}:
        raise ContractError(
            f"unsupported file type {suffix or '(none)'!r}: expected .csv or .parquet"
        )
    if suffix != ".csv":
        frame = spark.read.parquet(data)
        names = normalise_header(frame.columns)
        require_columns(names, require_outcome=False)
        return frame.toDF(*names), False
    reader = (
        spark.read.option("header", True)
        .option("multiLine", True)
        .option("escape", '"')
        .option("encoding", "UTF-8")
    )
    header = reader.csv(data).columns
    if header:
        header[0] = header[0].removeprefix("\ufeff")
    names = normalise_header(header)
    require_columns(names, require_outcome=False)
    schema = StructType(
        [StructField(f"_c{i}", StringType()) for i in range(len(names))]
        + [StructField(_CORRUPT, StringType())]
    )
    frame = (
        reader.schema(schema)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", _CORRUPT)
        .csv(data)
    )
    return frame.toDF(*names, _CORRUPT), True


def _score_partition(
    batches: Iterator[pa.RecordBatch],
    *,
    archive: str,
    verification: Verification,
    version: str,
    explanations: bool,
    csv_width: int | None,
) -> Iterator[pa.RecordBatch]:
    """On an executor: each Arrow batch of the export, scored (the model loaded once per
    Python worker from the verified archive)."""
    model = _executor_model(archive, verification)
    for batch in batches:
        raw = batch.to_pandas()
        if csv_width is not None:
            raw = _as_read(raw, csv_width)
        yield score_chunk(model, raw, version=version, explanations=explanations).batch


#: The model a Python worker loaded, by the name of the archive it came in.
_MODELS: dict[str, Any] = {}


def _executor_model(archive: str, verification: Verification) -> Any:
    """The model of ``archive`` (shipped with ``addFile``), unpacked into a private folder
    and checked against the manifest before it is loaded; cached for the worker's life."""
    model = _MODELS.get(archive)
    if model is not None:
        return model
    from pyspark import SparkFiles

    from training.model.pyfunc import load_folder

    folder = Path(tempfile.mkdtemp(prefix="screener-model-"))
    atexit.register(shutil.rmtree, folder, True)
    shutil.unpack_archive(SparkFiles.get(archive), folder, format="zip")
    if verification.manifest is not None:
        check_files(folder, verification.manifest)
    model = load_folder(folder, verification).screener
    _MODELS.clear()
    _MODELS[archive] = model
    return model


def _as_read(raw: Any, width: int) -> Any:
    """A CSV batch as ``training.data.read`` gives it: missing values as "" and the
    number of fields each record had (``_fields``), so that a record of the wrong width
    is refused as the local engine refuses it."""
    corrupt = raw.pop(_CORRUPT)
    raw = raw.fillna("")
    raw[FIELDS_COLUMN] = [
        len(next(csv.reader(io.StringIO(record)), [])) if isinstance(record, str) else width
        for record in corrupt.tolist()
    ]
    return raw


@contextlib.contextmanager
def _removed_on_failure(out: str) -> Iterator[None]:
    """A local output folder that a failed job created is removed (Spark leaves it)."""
    local = None if is_uri(out) else Path(out)
    existed = local is None or local.exists()
    try:
        yield
    except BaseException:
        if not existed and local is not None:
            shutil.rmtree(local, ignore_errors=True)
        raise


_OUR_ERRORS: Final = re.compile(
    r"(ArtifactIntegrityError|SignatureError|ContractError): ([^\n]*)", re.MULTILINE
)


@contextlib.contextmanager
def _spark_errors() -> Iterator[None]:
    """Spark's failures as this package's: the refusal of a model or an export raised on
    an executor comes back inside Spark's exception, with its own (safe) message; any
    other failure is named by type only (Spark's messages may quote data)."""
    from pyspark.errors import AnalysisException

    try:
        yield
    except (ContractError, ArtifactIntegrityError):
        raise
    except AnalysisException as exc:
        raise ContractError(_first_line(str(exc))) from None
    except Exception as exc:
        found = _OUR_ERRORS.findall(str(exc))
        if found:
            kind, message = found[-1]
            error = ContractError if kind == "ContractError" else ArtifactIntegrityError
            raise error(message.strip()) from None
        raise SparkJobError(
            f"the Spark job failed ({type(exc).__name__}); Spark's log says why (quiet "
            "here unless SPARK_CONF_DIR names a log4j2.properties)"
        ) from None


def _first_line(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    return line[:200]
