"""The Spark engine's executor side without a SparkSession: a CSV batch made to read as the
local reader reads it, and Spark's failures turned into this package's one-line errors."""

from __future__ import annotations

import pandas as pd
import pytest

from training.data.read import ContractError
from training.lifecycle.batch.spark import SparkJobError, _as_read, _spark_errors, is_uri
from training.model.signing import ArtifactIntegrityError

SECRET = "Mia told her teacher that daddy hit her with a belt"


def test_a_csv_batch_reads_as_the_local_reader_gives_it() -> None:
    raw = pd.DataFrame(
        {
            "contact_id": ["C1", "C2", None],
            "text": ["fine", None, "x"],
            "_corrupt_record": [None, None, 'C3,2024-01-01,"a, b",extra'],
        }
    )
    read = _as_read(raw, width=3)
    assert "_corrupt_record" not in read.columns
    assert read["_fields"].tolist() == [3, 3, 4]  # the malformed record's own count
    assert read["text"].tolist() == ["fine", "", "x"] and read["contact_id"].iloc[2] == ""


@pytest.mark.spark
def test_a_refusal_raised_on_an_executor_comes_back_as_its_own_error() -> None:
    class PythonException(Exception):  # what PySpark raises, its text the worker's traceback
        pass

    trace = (
        'Traceback (most recent call last):\n  File "spark.py", line 9\n'
        "training.model.signing.ArtifactIntegrityError: model files differ from the signed "
        "manifest: artifacts/screener.joblib changed after registration; refusing the model\n"
    )
    refused = r"^model files differ .* refusing the model$"
    with pytest.raises(ArtifactIntegrityError, match=refused), _spark_errors():
        raise PythonException(trace)
    with pytest.raises(ContractError, match="missing required column"), _spark_errors():
        raise PythonException("ContractError: missing required column(s): text")


@pytest.mark.spark
def test_any_other_spark_failure_is_named_by_type_never_by_its_message() -> None:
    with pytest.raises(SparkJobError) as caught, _spark_errors():
        raise RuntimeError(f"Arrow could not convert '{SECRET}'")
    assert SECRET not in str(caught.value) and "RuntimeError" in str(caught.value)


def test_uris_are_told_from_paths() -> None:
    assert is_uri("s3a://bucket/x.parquet") and is_uri("hdfs://nn:8020/x")
    assert not is_uri("data/x.parquet") and not is_uri("/tmp/x.csv") and not is_uri("C:x")
