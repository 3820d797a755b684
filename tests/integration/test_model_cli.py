"""`screener train`, `evaluate` and the registered pyfunc, through the real CLI and MLflow."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.integration.conftest import run_screener, stored_folder

pytestmark = pytest.mark.slow


def test_train_reports_candidates_and_registers_a_version(trained_version, use_mlflow_env):
    from training.lifecycle import registry

    details = registry.version_details(trained_version)
    metrics = details["metrics"]
    for name in ("logreg_words_chars", "logreg_ordinal", "sgd_modified_huber"):
        assert f"cand_{name}_val_roc_auc" in metrics
    assert 0.5 < metrics["test_roc_auc"] <= 1.0
    assert "test_oracle_auc" in metrics
    assert details["tags"]["artifact_sha256"]
    assert any(k.startswith("eval/") for k in details["tags"])


def test_run_records_params_dataset_commit_and_reports_but_no_concern_text(
    trained_version, use_mlflow_env, generated_small
):
    import mlflow

    from training.lifecycle import registry

    client = registry.configure()
    run = client.get_run(registry.version_details(trained_version)["run_id"])
    assert run.data.params["operating_point.target_recall"] == "0.9"
    assert run.inputs.dataset_inputs and run.inputs.dataset_inputs[0].dataset.digest
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id, "evaluation")}
    assert "evaluation/evaluation.html" in artifacts and "evaluation/evaluation.json" in artifacts
    texts = pd.read_parquet(generated_small, columns=["text"])["text"].tolist()
    snippets = {t[:40] for t in texts[:500]}
    recorded = list(run.data.params.values()) + list(run.data.tags.values())
    assert not any(s in value for s in snippets for value in recorded)
    # The persisted input example was redacted before MLflow saw it.
    local = Path(mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path="model"))
    example = (local / "input_example.json").read_text()
    pii: list[str] = []
    frame = pd.read_parquet(generated_small, columns=["text", "pii_spans"])
    for text, raw in zip(frame["text"], frame["pii_spans"], strict=True):
        pii.extend(text[s:e] for s, e, _ in json.loads(raw))
    assert pii and not any(value in example for value in pii if len(value) > 3)


def test_pyfunc_contract(trained_version, use_mlflow_env):
    import mlflow

    model = mlflow.pyfunc.load_model(f"models:/concern-screener/{trained_version}")
    out = model.predict(
        pd.DataFrame(
            {
                "text": [
                    "Dad hit the baby, there is a bruise on her face.",
                    "No concerns, attendance good.",
                ],
                "source": ["police", "school"],
            }
        )
    )
    assert {"score", "priority", "band", "explanation", "indicators", "similar"} <= set(out.columns)
    assert out["score"].between(0, 1).all() and out["priority"].between(1, 10).all()
    assert out.loc[0, "score"] > out.loc[1, "score"]
    # The similar cases: the version's nearest guidance examples, documented in the signature.
    nearest = out.loc[0, "similar"]
    assert len(nearest) == 3 and {c["kind"] for c in nearest} == {"guidance"}
    assert all(1 <= c["level"] <= 4 and c["id"] and c["reason"] for c in nearest)
    assert "similar" in model.metadata.get_output_schema().input_names()
    only_text = model.predict(pd.DataFrame({"text": ["Dad hit the baby."]}))
    assert len(only_text) == 1


def test_evaluate_any_registered_model_on_any_data(
    trained_version, mlflow_env, generated_holdout, tmp_path
):
    out = run_screener(
        "evaluate",
        "--model",
        trained_version,
        "--data",
        str(generated_holdout),
        "--out",
        str(tmp_path / "ev"),
        env=mlflow_env,
    )
    assert out.returncode == 0, out.stderr
    assert "ROC AUC" in out.stdout and "oracle AUC" in out.stdout
    report = json.loads((tmp_path / "ev" / "evaluation.json").read_text())
    assert report["n"] == 2000 and report["per_source"]


def test_bad_model_and_missing_data_are_clear_errors(
    trained_version, mlflow_env, generated_holdout, tmp_path
):
    out = run_screener(
        "evaluate", "--model", "99", "--data", str(generated_holdout), env=mlflow_env
    )
    assert out.returncode == 2 and "error:" in out.stderr and "Traceback" not in out.stderr
    out = run_screener("train", "--data", str(tmp_path / "nope.parquet"), env=mlflow_env)
    assert out.returncode == 2 and "no such file" in out.stderr and "Traceback" not in out.stderr


def test_training_without_the_embedding_table_says_how_to_build_it(
    mlflow_env, generated_small, tmp_path
):
    env = dict(mlflow_env, SCREENER_EMBEDDINGS_DIR=str(tmp_path / "no-table"))
    out = run_screener("train", "--data", str(generated_small), env=env)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "no embedding table" in out.stderr and "make embeddings" in out.stderr


def test_a_corrupted_artifact_is_refused_before_unpickling(
    trained_version, use_mlflow_env, tmp_path
):
    import mlflow

    from training.model.pyfunc import ArtifactIntegrityError

    # A copy: the registered artifact itself stays intact for the other tests.
    local = Path(
        mlflow.artifacts.download_artifacts(
            f"models:/concern-screener/{trained_version}", dst_path=str(tmp_path)
        )
    )
    artifact = next(local.rglob("screener.joblib"))
    artifact.write_bytes(artifact.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ArtifactIntegrityError, match="refusing to load"):
        mlflow.pyfunc.load_model(str(local))


def test_training_evaluates_the_model_and_its_baseline_on_independent_text(
    trained_version, use_mlflow_env
):
    from training.lifecycle import registry

    details = registry.version_details(trained_version)
    metrics, tags = details["metrics"], details["tags"]
    for name in ("dev", "test", "blind"):
        assert 0.0 <= metrics[f"external_{name}_roc_auc"] <= 1.0
        assert 0.0 <= metrics[f"baseline_external_{name}_roc_auc"] <= 1.0
        assert f"lift_{name}_roc_auc" in metrics and f"external_{name}_auc_3_vs_2" in metrics
    for half in ("development", "reporting"):
        assert 0.0 <= metrics[f"behaviour_{half}_failure_rate"] <= 1.0
        assert 0.0 <= metrics[f"baseline_behaviour_{half}_must_never_miss"] <= 1.0
    assert 0.0 <= metrics["test_ece_without_source"] <= 1.0
    assert tags["baseline_sha256"]
    assert any(
        k.startswith("behaviour/") and k.endswith("/reporting/must_never_miss") for k in tags
    )
    assert any(k.startswith("handwritten/blind/") for k in tags)


def test_bench_behaviour_prints_the_table_for_the_model_and_the_baseline(
    trained_version, mlflow_env
):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "bench/bench_behaviour.py", "--model", trained_version, "--n-boot", "20"],
        env=mlflow_env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "hand-written blind set" in out.stdout and "baseline" in out.stdout
    for capability in ("negation", "messenger", "minimal_pairs"):
        assert capability in out.stdout
    assert "reporting model" in out.stdout


# -- the signed manifest (decision 0024) --------------------------------------------------


def test_the_version_is_logged_as_code_and_its_files_signed(trained_version, use_mlflow_env):
    from training.lifecycle import registry
    from training.model.signing import Manifest

    tags = registry.version_details(trained_version)["tags"]
    manifest = Manifest.parse(tags["model_manifest"])
    assert (manifest.name, manifest.version) == ("concern-screener", trained_version)
    assert "artifacts/screener.joblib" in manifest.files and "MLmodel" in manifest.files
    assert "pyfunc_code.py" in manifest.files
    assert not any(f.endswith(".pkl") for f in manifest.files)  # no pickled wrapper
    assert tags["model_signature"].startswith("hmac-sha256:")
    assert "model_code_path" in (stored_folder(trained_version) / "MLmodel").read_text()


def test_verify_accepts_the_registered_version(trained_version, mlflow_env):
    out = run_screener("verify", "--version", trained_version, env=mlflow_env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"verified: concern-screener version {trained_version}: signed")


@pytest.mark.parametrize("mlmodel", ["kept", "rewritten"])
def test_verify_refuses_a_version_changed_after_registration(
    trained_version, use_mlflow_env, mlmodel
):
    from tests.utils.signing import restored, rewrite_mlmodel_digest

    with restored(stored_folder(trained_version)) as folder:
        joblib_file = folder / "artifacts" / "screener.joblib"
        joblib_file.write_bytes(joblib_file.read_bytes() + b"\0")
        if mlmodel == "rewritten":
            rewrite_mlmodel_digest(folder)
        out = run_screener("verify", "--version", trained_version, env=use_mlflow_env)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    [line] = out.stderr.strip().splitlines()
    assert line.startswith(f"refused: version {trained_version}: ")
    assert "artifacts/screener.joblib" in line and "changed after registration" in line
    assert ("MLmodel" in line) == (mlmodel == "rewritten")


def test_verify_refuses_an_added_file(trained_version, use_mlflow_env):
    from tests.utils.signing import restored

    with restored(stored_folder(trained_version)) as folder:
        (folder / "python_model.pkl").write_bytes(b"\x80\x04N.")
        out = run_screener("verify", "--version", trained_version, env=use_mlflow_env)
    assert out.returncode == 1 and "python_model.pkl added after registration" in out.stderr


def test_verify_bad_input_is_exit_2(trained_version, mlflow_env):
    out = run_screener("verify", "--version", "99", env=mlflow_env)
    assert out.returncode == 2 and "has no version 99" in out.stderr
    assert "Traceback" not in out.stderr
    out = run_screener("verify", "--version", "zero", env=mlflow_env)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    no_key = {k: v for k, v in mlflow_env.items() if k != "SCREENER_MODEL_SIGNING_KEYS"}
    no_key.pop("SCREENER_SECRETS_FILE", None)
    out = run_screener("verify", "--version", trained_version, env=no_key)
    assert out.returncode == 2 and "no model-signing key is configured" in out.stderr


def test_verify_resign_rotates_the_signing_key(trained_version, mlflow_env):
    from tests.utils.signing import SIGNING_KEY

    new_key = "rotated-model-signing-key-abcdefghijklmnopqrstuvwxyz"
    rotating = dict(mlflow_env, SCREENER_MODEL_SIGNING_KEYS=f"{new_key},{SIGNING_KEY}")
    only_new = dict(mlflow_env, SCREENER_MODEL_SIGNING_KEYS=new_key)
    try:
        assert run_screener("verify", "--version", trained_version, env=only_new).returncode == 1
        out = run_screener("verify", "--version", trained_version, "--resign", env=rotating)
        assert out.returncode == 0 and out.stdout.startswith("re-signed:"), out.stderr
        assert run_screener("verify", "--version", trained_version, env=only_new).returncode == 0
        old = run_screener("verify", "--version", trained_version, env=mlflow_env)
        assert old.returncode == 1 and "does not verify" in old.stderr
    finally:
        back = dict(mlflow_env, SCREENER_MODEL_SIGNING_KEYS=f"{SIGNING_KEY},{new_key}")
        out = run_screener("verify", "--version", trained_version, "--resign", env=back)
        assert out.returncode == 0


def test_training_without_a_signing_key_registers_an_unsigned_version_and_says_so(
    generated_tiny, tmp_path
):
    import os

    secrets = {"SCREENER_MODEL_SIGNING_KEYS", "SCREENER_SECRETS_FILE"}
    env = {k: v for k, v in os.environ.items() if k not in secrets}
    env.update(
        MLFLOW_TRACKING_URI=f"sqlite:///{tmp_path}/mlflow.db",
        MLFLOW_ARTIFACT_ROOT=str(tmp_path / "mlruns"),
    )
    out = run_screener(
        "train",
        "--data",
        str(generated_tiny),
        "--candidates",
        "logreg_words_chars",
        env=env,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert "registered concern-screener version 1" in out.stdout and "NOT SIGNED" in out.stdout
    signed = dict(env, SCREENER_MODEL_SIGNING_KEYS="a-key-of-this-deployment-0123456789abcdef")
    unsigned = run_screener("verify", "--version", "1", env=signed)
    assert unsigned.returncode == 1 and "is not signed" in unsigned.stderr
    assert run_screener("verify", "--version", "1", "--resign", env=signed).returncode == 0
    assert run_screener("verify", "--version", "1", env=signed).returncode == 0
