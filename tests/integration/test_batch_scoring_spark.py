"""`screener score --engine spark` on a local SparkSession scores 20,000 generated contacts
(and an awkward CSV, with explanations) exactly as the local engine does, row for row.

Marked ``spark``: CI runs it (``make test`` installs the spark extra and Java 17); a
developer may skip it with ``--no-spark``. Without PySpark or Java it fails, never skips."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.spark]

ROWS = 20_000


@pytest.fixture
def spark_installed() -> None:
    if importlib.util.find_spec("pyspark") is None or shutil.which("java") is None:
        pytest.fail(
            "the Spark test needs PySpark and Java 17 (make spark-deps installs both), "
            "or pass --no-spark to skip it"
        )


def awkward_csv(generated_holdout: Path, path: Path) -> None:
    """A CSV as a council exports it: byte-order mark, CRLF, a quoted newline, a blank
    line, records of the wrong width, a row with no text and one with an unknown source."""
    frame = pd.read_parquet(generated_holdout).head(40)
    frame = frame[["contact_id", "received_at", "source", "text", "child_age_years"]].copy()
    frame.loc[3, "text"] = 'Line one of the concern.\nLine two, "quoted", after a newline.'
    frame.loc[5, "text"] = "   "
    frame.loc[7, "source"] = "martians"
    lines = frame.to_csv(index=False, lineterminator="\r\n").split("\r\n")
    lines.insert(12, "")
    lines.insert(15, 'CT-WIDE,2024-01-01,police,"too many",3,extra')
    lines.insert(17, "CT-NARROW,2024-01-01,police")
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8"))


def rows_of(path: Path) -> list[dict[str, object]]:
    """Every output row (one file, or Spark's folder of parts), in contact_id order."""
    return pq.read_table(path).sort_by("contact_id").to_pylist()


def test_the_spark_engine_scores_20000_contacts_as_the_local_engine_does(
    spark_installed, trained_version, use_mlflow_env, generated_holdout, tmp_path, monkeypatch
):
    from typer.testing import CliRunner

    from serving.cli import app
    from training.data.generate import write_contacts
    from training.lifecycle.batch.spark import spark_session

    export = tmp_path / "contacts.parquet"
    write_contacts(export, ROWS, seed=303)
    contacts = pd.read_parquet(export)
    contacts.loc[[10, 9_999], "text"] = ""  # two rows that break the contract
    contacts.to_parquet(export, index=False)
    odd = tmp_path / "awkward.csv"
    awkward_csv(generated_holdout, odd)

    def score(data: Path, out: Path, engine: str, *more: str) -> str:
        args = ["score", "--model", trained_version, "--data", str(data), "--out", str(out)]
        result = CliRunner().invoke(app, [*args, "--engine", engine, *more])
        assert result.exit_code == 0, result.output
        print(result.stdout)  # the timings, with -s
        return result.stdout + result.stderr

    # The local engine first, while this process runs no other thread (Spark's gateway
    # would keep it to one process).
    said = score(export, tmp_path / "local.parquet", "local")
    assert f"scored {ROWS - 2:,} of {ROWS:,} contacts" in said
    score(odd, tmp_path / "odd-local.parquet", "local", "--explanations")

    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)
    with spark_session("local[2]"):  # one session: both commands find it active
        said = score(export, tmp_path / "spark.parquet", "spark")
        assert f"scored {ROWS - 2:,} of {ROWS:,} contacts" in said and "spark engine" in said
        assert "warning: 2 of 20,000 rows break the contact contract" in said
        score(odd, tmp_path / "odd-spark.parquet", "spark", "--explanations")

    assert (tmp_path / "spark.parquet").is_dir()  # a folder of parts, written in parallel
    local, spark = rows_of(tmp_path / "local.parquet"), rows_of(tmp_path / "spark.parquet")
    assert len(local) == ROWS - 2
    assert {r["contact_id"] for r in local} == set(contacts["contact_id"]) - {
        contacts.loc[10, "contact_id"],
        contacts.loc[9_999, "contact_id"],
    }
    assert local == spark  # every column of every row, to the last bit
    assert any(r["indicators"] for r in local) and any(r["floor"] for r in local)

    odd_local, odd_spark = (
        rows_of(tmp_path / "odd-local.parquet"),
        rows_of(tmp_path / "odd-spark.parquet"),
    )
    assert len(odd_local) == 42 - 4  # the two ragged records, no text, an unknown source
    assert odd_local == odd_spark and any(r["explanation"] for r in odd_local)
