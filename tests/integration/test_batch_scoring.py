"""`screener score`: an export scored into Parquet by a registered, verified model, streamed
in pieces by the local engine; bad input gives exit 2 and one line, a model that does not
verify is refused. (The Spark engine: test_batch_scoring_spark.py.)"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from tests.integration.conftest import run_screener, stored_folder
from tests.utils.signing import OLD_SIGNING_KEY, restored

pytestmark = pytest.mark.slow

COLUMNS = [
    "contact_id",
    "score",
    "priority",
    "band",
    "level",
    "level_probabilities",
    "differs",
    "floor",
    "indicators",
    "model_version",
]


def broken_export(generated_holdout: Path, path: Path, rows: int = 300) -> pd.DataFrame:
    """``rows`` generated contacts as CSV, the last two breaking the contract (no text, an
    unknown source): what a council's export looks like."""
    frame = pd.read_parquet(generated_holdout).head(rows).drop(columns=["outcome"])
    frame.loc[rows - 2, "text"] = "   "
    frame.loc[rows - 1, "source"] = "carrier pigeon"
    frame.to_csv(path, index=False)
    return frame


def invoke(*args: str) -> tuple[int, str, str]:
    """The CLI in this process (fast: no interpreter to start)."""
    from typer.testing import CliRunner

    from serving.cli import app

    result = CliRunner().invoke(app, ["score", *args])
    return result.exit_code, result.stdout, result.stderr


def test_an_export_is_scored_in_pieces_with_the_figures_the_served_model_gives(
    trained_version, mlflow_env, generated_holdout, tmp_path
):
    import mlflow

    export = tmp_path / "export.csv"
    frame = broken_export(generated_holdout, export)
    out = tmp_path / "scores.parquet"
    result = run_screener(
        "score", "--model", trained_version, "--data", str(export), "--out", str(out),
        "--chunk-rows", "64", "--explanations", env=mlflow_env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "scored 298 of 300 contacts" in result.stdout and "signed with key" in result.stdout
    [warning] = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warning.startswith("warning: 2 of 300 rows break the contact contract")

    parquet = pq.ParquetFile(out)
    assert parquet.schema_arrow.names == [*COLUMNS[:-1], "explanation", "model_version"]
    # Written as it was read: one row group a piece of 64 rows.
    assert parquet.metadata.num_row_groups == math.ceil(300 / 64)
    scored = parquet.read().to_pandas()
    assert scored["contact_id"].tolist() == frame["contact_id"].head(298).tolist()
    assert set(scored["model_version"]) == {trained_version}

    # The figures are the registered pyfunc's, contact for contact.
    mlflow.set_tracking_uri(mlflow_env["MLFLOW_TRACKING_URI"])
    served = mlflow.pyfunc.load_model(f"models:/concern-screener/{trained_version}").predict(
        frame.head(298)[["text", "source"]]
    )
    assert scored["score"].to_numpy() == pytest.approx(served["score"].to_numpy(), abs=1e-12)
    assert scored["priority"].tolist() == served["priority"].tolist()
    assert scored["band"].tolist() == served["band"].tolist()
    assert scored["level"].tolist() == served["level"].tolist()
    assert scored["floor"].fillna("").tolist() == served["floor"].tolist()
    for got, want in zip(scored["indicators"], served["indicators"], strict=True):
        assert [dict(g) for g in got] == list(want)
    assert any(len(e) for e in scored["explanation"])

    # Concern text is in neither the output nor what the command printed.
    written = json.dumps(parquet.read().to_pylist())
    for text in frame["text"].head(298):
        snippet = text.strip()[:40]
        assert snippet not in written and snippet not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "uri", ["models:/concern-screener/{v}", "models:/concern-screener@champion"]
)
def test_the_model_is_named_as_the_other_verbs_name_it(
    trained_version, use_mlflow_env, generated_holdout, tmp_path, uri
):
    from training.lifecycle import registry

    export = tmp_path / "few.parquet"
    pd.read_parquet(generated_holdout).head(5).to_parquet(export)
    registry.set_alias(trained_version)
    try:
        code, stdout, stderr = invoke(
            "--model", uri.format(v=trained_version), "--data", str(export),
            "--out", str(tmp_path / "out.parquet"),
        )  # fmt: skip
    finally:  # the session's other tests know the version as having no alias
        registry.configure().delete_registered_model_alias("concern-screener", "champion")
    assert code == 0, stderr
    assert f"version {trained_version}" in stdout
    assert len(pd.read_parquet(tmp_path / "out.parquet")) == 5


def test_a_model_changed_after_registration_is_refused(
    trained_version, use_mlflow_env, generated_holdout, tmp_path
):
    export = tmp_path / "few.parquet"
    pd.read_parquet(generated_holdout).head(5).to_parquet(export)
    out = tmp_path / "out.parquet"
    with restored(stored_folder(trained_version)) as folder:
        joblib_file = folder / "artifacts" / "screener.joblib"
        joblib_file.write_bytes(joblib_file.read_bytes() + b"\0")
        code, _, stderr = invoke(
            "--model", trained_version, "--data", str(export), "--out", str(out)
        )
    assert code == 1
    [line] = stderr.strip().splitlines()
    assert line.startswith(f"refused: --model {trained_version}: ")
    assert "artifacts/screener.joblib" in line and not out.exists()


def test_a_signature_no_key_of_the_ring_checks_is_refused(
    trained_version, use_mlflow_env, generated_holdout, tmp_path, monkeypatch
):
    monkeypatch.setenv("SCREENER_MODEL_SIGNING_KEYS", OLD_SIGNING_KEY)
    export = tmp_path / "few.parquet"
    pd.read_parquet(generated_holdout).head(5).to_parquet(export)
    code, _, stderr = invoke(
        "--model", trained_version, "--data", str(export), "--out", str(tmp_path / "o.parquet")
    )
    assert code == 1 and stderr.startswith("refused:") and "signature" in stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--data", "{missing}"], "file not found"),
        (["--data", "{txt}"], "expected .csv or .parquet"),
        (["--data", "{no_text}"], "missing required column(s): text"),
        (["--engine", "flink"], "--engine flink: must be one of local, spark"),
        (["--model", "models:/concern-screener/999"], "--model models:/concern-screener/999"),
        (["--model", "champion-ish"], "not a registered model URI"),
        (["--out", "{tmp}/scores.csv"], "name it *.parquet"),
        (["--out", "{existing}"], "already exists; remove it or pass --overwrite"),
        (["--out", "{good}"], "is the export itself"),
        (["--data", "s3a://bucket/contacts.parquet"], "use --engine spark"),
        (["--chunk-rows", "0"], "--chunk-rows 0: must be at least 1"),
    ],
)
def test_bad_input_gives_exit_2_and_one_line(
    trained_version, use_mlflow_env, generated_holdout, tmp_path, args, says
):
    good = tmp_path / "good.parquet"
    pd.read_parquet(generated_holdout).head(3).to_parquet(good)
    no_text = tmp_path / "no_text.csv"
    pd.read_parquet(generated_holdout).head(3).drop(columns=["text"]).to_csv(no_text)
    (tmp_path / "contacts.txt").write_text("contact_id\n1\n")
    existing = tmp_path / "existing.parquet"
    existing.write_bytes(b"not mine to overwrite")
    places = {
        "missing": tmp_path / "missing.parquet",
        "txt": tmp_path / "contacts.txt",
        "no_text": no_text,
        "existing": existing,
        "good": good,
        "tmp": tmp_path,
    }
    given = {"--model": trained_version, "--data": str(good), "--out": str(tmp_path / "o.parquet")}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        given[flag] = value.format(**places)
    code, stdout, stderr = invoke(*[part for pair in given.items() for part in pair])
    assert code == 2, stdout + stderr
    [line] = stderr.strip().splitlines()
    assert line.startswith("error: ") and says in line
    assert "Traceback" not in stdout + stderr
    assert existing.read_bytes() == b"not mine to overwrite"


def test_the_spark_engine_without_pyspark_says_how_to_install_it(
    trained_version, use_mlflow_env, generated_holdout, tmp_path, monkeypatch
):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pyspark" else real(name, *a)
    )
    good = tmp_path / "good.parquet"
    pd.read_parquet(generated_holdout).head(3).to_parquet(good)
    code, _, stderr = invoke(
        "--model", trained_version, "--data", str(good), "--out", str(tmp_path / "o.parquet"),
        "--engine", "spark",
    )  # fmt: skip
    assert code == 2
    [line] = stderr.strip().splitlines()
    assert line == (
        "error: --engine spark needs PySpark: pip install 'concern-screener[spark]' "
        "(and a Java 17 runtime)"
    )
