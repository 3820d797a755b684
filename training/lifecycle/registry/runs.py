"""A training run: its parameters, metrics, datasets, the model logged, signed and registered."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from training.data.parts import DataPart
from training.lifecycle.registry.core import (
    ModelVersionRef,
    _git_commit,
    _pip_requirements,
    acting_user,
    configure,
    set_version_tags,
)
from training.settings import get_settings


def _signature() -> Any:
    from mlflow.models import ModelSignature
    from mlflow.types.schema import Array, ColSpec, Object, Property, Schema

    explanation = Array(
        Object(
            [
                Property("feature", "string"),
                Property("weight", "double"),
                Property("spans", Array(Array("long"))),
            ]
        )
    )
    indicators = Array(
        Object(
            [
                Property("label", "string"),
                Property("level", "long"),
                Property("start", "long"),
                Property("end", "long"),
                Property("negated", "boolean"),
                Property("hedged", "boolean"),
                Property("historical", "boolean"),
                Property("third_party", "boolean"),
            ]
        )
    )
    similar = Array(
        Object(
            [
                Property("kind", "string"),
                Property("id", "string"),
                Property("similarity", "double"),
                Property("reason", "string"),
                Property("indicators", Array("string")),
                Property("level", "long"),
                Property("level_reason", "string"),
                Property("text", "string"),
                Property("outcome", "string"),
                Property("date_band", "string"),
            ]
        )
    )
    inputs = Schema([ColSpec("string", "text"), ColSpec("string", "source", required=False)])
    outputs = Schema(
        [
            ColSpec("double", "score"),
            ColSpec("long", "priority"),
            ColSpec("string", "band"),
            ColSpec("long", "level"),
            ColSpec(Array("double"), "level_probabilities"),
            ColSpec("boolean", "differs"),
            ColSpec("string", "floor"),
            ColSpec(explanation, "explanation"),
            ColSpec(indicators, "indicators"),
            ColSpec(similar, "similar"),
        ]
    )
    return ModelSignature(inputs=inputs, outputs=outputs)


def log_training_run(
    result: Any,
    *,
    datasets: Sequence[tuple[DataPart, pd.DataFrame]],
    data_digest: str,
    input_example: pd.DataFrame,
    report_dir: Path,
    training_data: dict[str, Any] | None = None,
    extra_tags: dict[str, str] | None = None,
) -> ModelVersionRef:
    """Record a training run and register its model as a new version.

    ``result`` is a ``training.lifecycle.train.TrainResult``. ``datasets`` are the parts
    trained on, each with its contacts (the contract's columns): each is logged as an
    MLflow dataset input (context ``training``, tagged with its part number and weight),
    and its file name, weight, rows and digest as params ``data.partN.*``.
    ``data_digest`` names the whole (``training.data.parts.parts_digest``).
    ``training_data`` (``training.data.parts.describe_training_data``) is kept as the
    version's ``training_data`` tag, which the model card reads. ``input_example`` must
    already be redacted: it is persisted as an artifact. ``report_dir`` holds the
    evaluation report files, logged under ``evaluation/``. Params carry configuration
    only, never text.
    """
    import mlflow

    settings = get_settings()
    configure()
    model = result.model
    with mlflow.start_run() as run, tempfile.TemporaryDirectory() as tmp:
        mlflow.log_params(_run_params(result, [part for part, _ in datasets]))
        mlflow.set_tags(_run_tags(model, data_digest=data_digest, extra_tags=extra_tags))
        _log_datasets(datasets)
        metrics = _run_metrics(result)
        mlflow.log_metrics(metrics)
        mlflow.log_dict(
            {"candidates": [c.__dict__ for c in result.candidates], "split": result.split.__dict__},
            "candidates.json",
        )
        mlflow.log_artifacts(str(report_dir), artifact_path="evaluation")
        version_tags = {"candidate": model.candidate, "data_digest": data_digest}
        if training_data is not None:
            version_tags["training_data"] = _training_data_tag(training_data, parts=len(datasets))
        if result.baseline is not None:
            version_tags["baseline_sha256"] = _log_joblib(
                result.baseline, Path(tmp) / BASELINE_FILE, artifact_path=BASELINE_DIR
            )
        reference = getattr(result, "reference", None)
        version, version_tags["artifact_sha256"], signing_tags, signed_by = _log_model(
            model,
            Path(tmp),
            input_example,
            reference=None if reference is None else reference.to_dict(),
        )
        version_tags.update(signing_tags)
        version_tags.update(_test_figure_tags(metrics))
        if result.independent is not None:
            version_tags.update(result.independent.version_tags())
        set_version_tags(version, version_tags)
        return ModelVersionRef(
            settings.registered_model_name, version, run.info.run_id, signed_by=signed_by
        )


def _run_tags(model: Any, *, data_digest: str, extra_tags: dict[str, str] | None) -> dict[str, str]:
    """The run's tags: the candidate selected, the data's digest, the commit trained from
    and the user it ran as, then ``extra_tags``."""
    tags = {
        "selected_candidate": model.candidate,
        "explanation_exact": str(model.explanation_exact).lower(),
        "data_digest": data_digest,
    }
    commit = _git_commit()
    if commit:
        tags["mlflow.source.git.commit"] = commit
        tags["git_commit"] = commit
    # On the team's server the run is the signed-in user's, not the login's on a laptop.
    tags["mlflow.user"] = acting_user()
    tags.update(extra_tags or {})
    return tags


def _log_datasets(datasets: Sequence[tuple[DataPart, pd.DataFrame]]) -> None:
    """Each part trained on as a dataset input of the active run (context ``training``,
    tagged with its part number and weight)."""
    import mlflow
    from mlflow.data import from_pandas  # type: ignore[attr-defined]

    for number, (part, frame) in enumerate(datasets, start=1):
        dataset = from_pandas(
            frame,
            source=str(part.path.resolve()),
            targets="outcome",
            name=part.path.name,
            digest=part.digest[:20],
        )
        mlflow.log_input(
            dataset,
            context="training",
            tags={"part": str(number), "weight": f"{part.weight:g}"},
        )


def _training_data_tag(training_data: dict[str, Any], *, parts: int) -> str:
    """The ``training_data`` version tag: the description as JSON, with the parts counted
    instead of listed when listing them would not fit."""
    described = json.dumps(training_data, sort_keys=True)
    if len(described) > 4000:  # a version tag holds 5,000 characters at most
        described = json.dumps({**training_data, "parts": parts}, sort_keys=True)
    return described[:5000]


def _test_figure_tags(metrics: dict[str, float]) -> dict[str, str]:
    """The test split's headline figures as version tags (``test_roc_auc``, ...)."""
    return {
        f"test_{key}": f"{metrics[f'test_{key}']:.6f}"
        for key in ("roc_auc", "ece", "brier", "oracle_auc", "workload")
        if f"test_{key}" in metrics
    }


#: Where a run keeps its plain baseline (``training.model.baseline``), never served.
BASELINE_DIR = "baseline"
BASELINE_FILE = "baseline.joblib"


def _run_params(result: Any, parts: Sequence[DataPart]) -> dict[str, str]:
    """The configuration and the data's shape (each part's file name, weight, valid rows
    and digest): never text."""
    params = result.config.flat_params()
    params.update(_part_params(parts))
    params.update(
        {
            "data.rows": str(result.n_rows),
            "data.path": ", ".join(part.path.name for part in parts)[:6000],
            "selected_candidate": result.model.candidate,
            "split.train_end": result.split.end["train"],
            "split.test_start": result.split.start["test"],
        }
    )
    return params


def _part_params(parts: Sequence[DataPart]) -> dict[str, str]:
    """``data.parts`` and, for each part N (from 1, in the order given),
    ``data.partN.path`` (file name), ``.weight``, ``.rows`` and ``.digest`` (SHA-256)."""
    params = {"data.parts": str(len(parts))}
    for number, part in enumerate(parts, start=1):
        params[f"data.part{number}.path"] = part.path.name[:500]
        params[f"data.part{number}.weight"] = f"{part.weight:g}"
        params[f"data.part{number}.rows"] = str(part.rows)
        params[f"data.part{number}.digest"] = part.digest
    return params


def _run_metrics(result: Any) -> dict[str, float]:
    from training.audit.evaluate import flat_metrics

    metrics: dict[str, float] = {}
    metrics.update(flat_metrics(result.test, prefix="test_"))
    metrics.update(flat_metrics(result.validation, prefix="val_"))
    for cand in result.candidates:
        metrics[f"cand_{cand.name}_val_roc_auc"] = cand.val_roc_auc
        metrics[f"cand_{cand.name}_val_pr_auc"] = cand.val_pr_auc
        metrics[f"cand_{cand.name}_val_brier"] = cand.val_brier
        metrics[f"cand_{cand.name}_fit_seconds"] = cand.fit_seconds
    for key, value in result.timings.items():
        metrics[f"time_{key}"] = float(value)
    if result.test_ece_without_source is not None:
        metrics["test_ece_without_source"] = result.test_ece_without_source
    if result.independent is not None:
        metrics.update(result.independent.flat_metrics())
    return metrics


def _log_joblib(obj: Any, path: Path, *, artifact_path: str) -> str:
    """Pickle ``obj`` with joblib, log it as an artifact of the active run, and return its
    SHA-256 (recorded on the version, checked before anything unpickles it)."""
    import joblib
    import mlflow

    from training.model.pyfunc import file_sha256

    joblib.dump(obj, path, compress=3)
    mlflow.log_artifact(str(path), artifact_path=artifact_path)
    return file_sha256(path)


def _log_model(
    model: Any, tmp: Path, input_example: pd.DataFrame, *, reference: dict[str, Any] | None
) -> tuple[str, str, dict[str, str], str | None]:
    """Log the served model as the run's pyfunc (as code: no pickled wrapper), register it,
    and sign the manifest of its files: (version, joblib digest, the signing tags to set on
    the version, the id of the key that signed or None when no key is configured). The
    monitor's ``reference`` (decision 0032) goes in the model's metadata (``MLmodel``,
    covered by the manifest), where ``screener monitor`` reads it without loading the model.

    The tags are set by the caller with the others, last: a run that dies before leaves a
    version without a manifest, which the service refuses."""
    import joblib
    import mlflow

    from training.audit.monitoring import METADATA_KEY
    from training.model.pyfunc import ARTIFACT_KEY, CODE_PATH, file_sha256
    from training.secrets import key_ring

    # Read (and check) the ring before anything is registered: a bad secrets file stops
    # the run here rather than after a version exists.
    ring = key_ring("model_signing")
    artifact = tmp / "screener.joblib"
    if model.explainer is not None:
        model.explainer._word_names = None
    joblib.dump(model, artifact, compress=3)
    digest = file_sha256(artifact)
    name = get_settings().registered_model_name
    info = mlflow.pyfunc.log_model(
        name="model",
        python_model=str(CODE_PATH),
        artifacts={ARTIFACT_KEY: str(artifact)},
        model_config={"artifact_sha256": digest},
        signature=_signature(),
        input_example=input_example,
        pip_requirements=_pip_requirements(),
        registered_model_name=name,
        metadata={
            "artifact_sha256": digest,
            "candidate": model.candidate,
            **({} if reference is None else {METADATA_KEY: reference}),
        },
    )
    version = str(info.registered_model_version)
    tags, signed_by = _signing_tags(
        mlflow.MlflowClient(), name=name, version=version, ring=ring, tmp=tmp / "signing"
    )
    return version, digest, tags, signed_by


def _signing_tags(
    client: Any, *, name: str, version: str, ring: Any, tmp: Path
) -> tuple[dict[str, str], str | None]:
    """Digest every file of a registered version's folder into its manifest and sign it
    with the ring's current key (unsigned when ``ring`` is None): the version tags that
    record it, and the signing key's id. A manifest too long for a tag is logged as an
    artifact of the version's run, which the tags name."""
    from training.model import signing
    from training.model.pyfunc import download_version

    tmp.mkdir(parents=True, exist_ok=True)
    folder = download_version(client, name=name, version=version, dst=tmp)
    manifest = signing.build_manifest(folder, name=name, version=version)
    signature = signing.sign(manifest, ring) if ring is not None else None
    tags = signing.record_tags(manifest, signature)
    if signing.MANIFEST_TAG not in tags:
        run_id = client.get_model_version(name, version).run_id
        path = tmp / f"manifest-v{version}.json"
        path.write_bytes(manifest.payload())
        client.log_artifact(run_id, str(path), artifact_path=_MANIFEST_DIR)
        tags[signing.MANIFEST_ARTIFACT_TAG] = f"{_MANIFEST_DIR}/{path.name}"
    return tags, None if ring is None else signing.key_id(ring.current)


#: Run folder of manifests too long for a version tag.
_MANIFEST_DIR = "model_signing"
