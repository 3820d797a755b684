"""The MLflow seam: tracking URI, experiment, runs, the registered model and its aliases.

Everything that talks to MLflow on the training side goes through here (the pyfunc class
and the serving model store are the only other importers of ``mlflow``). The tracking URI
comes from ``MLFLOW_TRACKING_URI`` (default a local SQLite file, with artifacts in
``./mlruns``), set when a function here is called, never at import.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from training.data.parts import DataPart
from training.settings import get_settings

__all__ = [
    "TEAM_PERMISSIONS",
    "ModelVersionRef",
    "RegistryAccessError",
    "TeamAccess",
    "VersionCheck",
    "access_errors",
    "acting_user",
    "check_can_register",
    "create_team_user",
    "grant_team_access",
    "revoke_team_access",
    "team_access",
    "configure",
    "fetch_for_scoring",
    "get_alias_version",
    "latest_version",
    "load_screener",
    "log_monitor_run",
    "log_training_run",
    "monitor_reference",
    "resolve_version",
    "log_model_card",
    "record_evaluation",
    "record_fairness",
    "set_alias",
    "set_version_tags",
    "verify_version",
    "version_details",
]

_PINNED = ("numpy", "scipy", "scikit-learn", "pandas", "spacy", "joblib", "cloudpickle", "mlflow")


@dataclass(frozen=True)
class ModelVersionRef:
    """A registered version of the screener and the run that produced it."""

    name: str
    version: str
    run_id: str
    #: The id of the model-signing key that signed the version at registration, or None
    #: when it was registered unsigned (no key configured) or is only being referred to.
    signed_by: str | None = None

    @property
    def uri(self) -> str:
        return f"models:/{self.name}/{self.version}"


def configure() -> Any:
    """Point MLflow at the configured store and make sure the experiment exists."""
    import mlflow

    settings = get_settings()
    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    client = mlflow.MlflowClient()
    experiment = client.get_experiment_by_name(settings.experiment_name)
    if experiment is None:
        location = None
        if not settings.mlflow_tracking_uri.startswith(("http://", "https://", "databricks")):
            location = settings.artifact_location()
        client.create_experiment(settings.experiment_name, artifact_location=location)
    mlflow.set_experiment(settings.experiment_name)
    return client


def acting_user() -> str:
    """Who acts: the tracking server's user (``MLFLOW_TRACKING_USERNAME``) when one is
    signed in, else the local login. Recorded on runs and promotions."""
    import getpass

    return get_settings().mlflow_tracking_username or getpass.getuser()


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, check=True
        )
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def _pip_requirements() -> list[str]:
    reqs = []
    for dist in _PINNED:
        try:
            reqs.append(f"{dist}=={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            continue
    with contextlib.suppress(metadata.PackageNotFoundError):
        reqs.append(f"concern-screener=={metadata.version('concern-screener')}")
    return reqs


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
    from mlflow.data import from_pandas  # type: ignore[attr-defined]

    settings = get_settings()
    configure()
    model = result.model
    with mlflow.start_run() as run, tempfile.TemporaryDirectory() as tmp:
        mlflow.log_params(_run_params(result, [part for part, _ in datasets]))
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
        mlflow.set_tags(tags)
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
        metrics = _run_metrics(result)
        mlflow.log_metrics(metrics)
        mlflow.log_dict(
            {"candidates": [c.__dict__ for c in result.candidates], "split": result.split.__dict__},
            "candidates.json",
        )
        mlflow.log_artifacts(str(report_dir), artifact_path="evaluation")
        version_tags = {"candidate": model.candidate, "data_digest": data_digest}
        if training_data is not None:
            described = json.dumps(training_data, sort_keys=True)
            if len(described) > 4000:  # a version tag holds 5,000 characters at most
                described = json.dumps({**training_data, "parts": len(datasets)}, sort_keys=True)
            version_tags["training_data"] = described[:5000]
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
        for key in ("roc_auc", "ece", "brier", "oracle_auc", "workload"):
            if f"test_{key}" in metrics:
                version_tags[f"test_{key}"] = f"{metrics[f'test_{key}']:.6f}"
        if result.independent is not None:
            version_tags.update(result.independent.version_tags())
        set_version_tags(version, version_tags)
        return ModelVersionRef(
            settings.registered_model_name, version, run.info.run_id, signed_by=signed_by
        )


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


@dataclass(frozen=True)
class VersionCheck:
    """A registered version checked against its signed manifest (``screener verify``)."""

    ref: ModelVersionRef
    #: ``training.model.signing.Verification``: what vouched for the files
    verification: Any
    #: True when this check re-signed the version with the ring's current key.
    resigned: bool = False


def verify_version(version: str, *, resign: bool = False) -> VersionCheck:
    """Check every file of a registered version against the manifest its registry record
    holds and the manifest's signature against the deployment's model-signing ring, as the
    service does before it loads a model; nothing is unpickled.

    With ``resign`` a version that verifies (or, unsigned, whose files match the registry's
    manifest) is signed again with the ring's current key: how a key is rotated out.
    Raises LookupError for no such version, ValueError when no ring is configured (or it
    is malformed), and ``signing.ArtifactIntegrityError`` (or ``SignatureError``) saying
    which file or why the version is refused."""
    from mlflow.exceptions import MlflowException

    from training.model import signing
    from training.secrets import key_ring

    ring = key_ring("model_signing")
    if ring is None:
        raise ValueError(
            "no model-signing key is configured (SCREENER_MODEL_SIGNING_KEYS or "
            "SCREENER_SECRETS_FILE): nothing to check the signature with"
        )
    client = configure()
    name = get_settings().registered_model_name
    try:
        ref = _resolve(client, name, version)
    except MlflowException as exc:
        raise LookupError(f"{name} has no version {version}") from exc
    with tempfile.TemporaryDirectory(prefix="screener-verify-") as tmp:
        _, verification = _fetch(client, ref, Path(tmp), ring=ring, require_signature=not resign)
    if not resign:
        return VersionCheck(ref, verification)
    if verification.manifest is None:
        raise signing.SignatureError(
            f"{name} version {version} was registered before signed manifests: its pickled "
            "wrapper was never digested, so nothing can vouch for it; retrain it instead"
        )
    signature = signing.sign(verification.manifest, ring)
    client.set_model_version_tag(name, ref.version, signing.SIGNATURE_TAG, signature)
    signed = signing.Verification(
        "signed",
        ref.name,
        ref.version,
        signed_by=signing.key_id(ring.current),
        manifest=verification.manifest,
        signature=signature,
    )
    return VersionCheck(ref, signed, resigned=True)


def load_baseline(ref: ModelVersionRef) -> Any | None:
    """The plain baseline logged with a version's run (digest-verified), or None for a
    version trained without one."""
    from mlflow.artifacts import download_artifacts

    from training.model.pyfunc import load_verified

    expected = version_details(ref.version)["tags"].get("baseline_sha256")
    if not expected:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = download_artifacts(
            run_id=ref.run_id, artifact_path=f"{BASELINE_DIR}/{BASELINE_FILE}", dst_path=tmp
        )
        return load_verified(Path(path), expected)


def resolve_version(uri: str) -> ModelVersionRef:
    """``models:/name/3``, ``models:/name@alias`` or a bare version number -> a reference."""
    from mlflow.exceptions import MlflowException

    client = configure()
    settings = get_settings()
    name = settings.registered_model_name
    try:
        return _resolve(client, name, uri)
    except MlflowException as exc:
        raise LookupError(f"no registered model matches {uri!r}") from exc


def _resolve(client: Any, name: str, uri: str) -> ModelVersionRef:
    if uri.isdigit():
        mv = client.get_model_version(name, uri)
    elif uri.startswith("models:/") and "@" in uri:
        name, alias = uri[len("models:/") :].split("@", 1)
        mv = client.get_model_version_by_alias(name, alias)
    elif uri.startswith("models:/"):
        name, version = uri[len("models:/") :].rsplit("/", 1)
        if version == "latest":
            versions = client.search_model_versions(f"name='{name}'")
            if not versions:
                raise LookupError(f"no versions of {name} are registered")
            version = str(max(int(v.version) for v in versions))
        mv = client.get_model_version(name, version)
    else:
        raise ValueError(
            f"not a registered model URI: {uri!r} (use models:/{name}/N or models:/{name}@champion)"
        )
    return ModelVersionRef(mv.name, str(mv.version), mv.run_id)


def load_screener(uri: str) -> tuple[Any, ModelVersionRef]:
    """Load a registered model for evaluation and return its ``ScreenerModel``.

    Its files are checked against the manifest on the registry version first, and the
    signature too when a model-signing ring is configured; an unsigned version loads (this
    is read-only use: the service is the one that refuses it), and a version from before
    manifests loads from its joblib alone, checked against the registry's digest, never
    through its pickled wrapper."""
    from training.model.pyfunc import load_folder
    from training.secrets import key_ring

    ref = resolve_version(uri)
    client = configure()
    with tempfile.TemporaryDirectory(prefix="screener-load-") as tmp:
        folder, verification = _fetch(
            client, ref, Path(tmp), ring=key_ring("model_signing"), require_signature=False
        )
        pyfunc = load_folder(folder, verification)
    return pyfunc.screener, ref


def fetch_for_scoring(uri: str, dst: Path) -> tuple[ModelVersionRef, Path, Any]:
    """A registered version's files copied under ``dst`` and verified as the service
    verifies the model it serves: every file against the signed manifest on the registry
    version, and the signature against the deployment's model-signing ring, required
    (batch scores are scores people act on, as the service's are). Nothing is unpickled:
    ``training.model.pyfunc.load_folder`` loads the folder, here or on a Spark executor.

    Returns the version, the folder and its ``signing.Verification``. Raises LookupError
    or ValueError for a URI that names no version, ValueError for an unusable key ring,
    and ``signing.ArtifactIntegrityError`` (or ``SignatureError``) saying why a version
    is refused."""
    from training.secrets import key_ring

    ring = key_ring("model_signing")
    ref = resolve_version(uri)
    folder, verification = _fetch(configure(), ref, dst, ring=ring, require_signature=True)
    return ref, folder, verification


def _fetch(
    client: Any, ref: ModelVersionRef, dst: Path, *, ring: Any, require_signature: bool
) -> tuple[Path, Any]:
    """A version's files copied under ``dst`` and verified against its registry record."""
    from training.model.pyfunc import fetch_verified

    return fetch_verified(
        client,
        name=ref.name,
        version=ref.version,
        run_id=ref.run_id,
        tags=dict(client.get_model_version(ref.name, ref.version).tags),
        dst=dst,
        ring=ring,
        require_signature=require_signature,
    )


def get_alias_version(alias: str | None = None) -> str | None:
    """The version an alias points to, or ``None`` when it is unset."""
    from mlflow.exceptions import MlflowException

    client = configure()
    settings = get_settings()
    try:
        return str(
            client.get_model_version_by_alias(
                settings.registered_model_name, alias or settings.champion_alias
            ).version
        )
    except MlflowException:
        return None


def latest_version() -> str | None:
    client = configure()
    settings = get_settings()
    versions = client.search_model_versions(f"name='{settings.registered_model_name}'")
    return str(max(int(v.version) for v in versions)) if versions else None


def version_details(version: str) -> dict[str, Any]:
    """Tags, run metrics and run id of a registered version."""
    client = configure()
    settings = get_settings()
    mv = client.get_model_version(settings.registered_model_name, version)
    run = client.get_run(mv.run_id)
    return {
        "name": mv.name,
        "version": str(mv.version),
        "run_id": mv.run_id,
        "tags": dict(mv.tags),
        "metrics": dict(run.data.metrics),
    }


def set_alias(
    version: str, *, alias: str | None = None, tags: dict[str, str] | None = None
) -> None:
    """Point an alias (default ``champion``) at a version and record tags on the version."""
    client = configure()
    settings = get_settings()
    for key, value in (tags or {}).items():
        client.set_model_version_tag(settings.registered_model_name, version, key, value)
    client.set_registered_model_alias(
        settings.registered_model_name, alias or settings.champion_alias, version
    )


def set_version_tags(version: str, tags: dict[str, str]) -> None:
    """Record tags on a registered version (evaluations, fairness flags, decisions)."""
    client = configure()
    settings = get_settings()
    for key, value in tags.items():
        client.set_model_version_tag(settings.registered_model_name, version, key, value)


def record_evaluation(ref: ModelVersionRef, *, digest: str, result: Any, report_dir: Path) -> None:
    """Attach an evaluation on data ``digest`` to a version: the report as artifacts of its
    run (``evaluations/<digest>/``) and the headline figures as version tags for the gate."""
    from training.audit.evaluate import flat_metrics

    client = configure()
    client.log_artifacts(ref.run_id, str(report_dir), artifact_path=f"evaluations/{digest}")
    metrics = flat_metrics(result)
    set_version_tags(
        ref.version,
        {
            f"eval/{digest}/{k}": f"{metrics[k]:.6f}"
            for k in ("roc_auc", "ece", "brier", "workload")
            if k in metrics
        },
    )


def record_independent(ref: ModelVersionRef, report: Any, *, report_dir: Path) -> None:
    """Attach the figures on text written by other hands (an ``IndependentReport``) to a
    version: metrics on its run, the gate's tags on the version."""
    client = configure()
    for key, value in report.flat_metrics().items():
        client.log_metric(ref.run_id, key, value)
    set_version_tags(ref.version, report.version_tags())


def log_model_card(ref: ModelVersionRef, card: tuple[str, str]) -> None:
    """Write the version's model card (``model_card.md`` and ``.html``) at its run's root,
    where the service reads it."""
    client = configure()
    with tempfile.TemporaryDirectory() as tmp:
        md, html = card
        (Path(tmp) / "model_card.md").write_text(md, encoding="utf-8")
        (Path(tmp) / "model_card.html").write_text(html, encoding="utf-8")
        client.log_artifact(ref.run_id, str(Path(tmp) / "model_card.md"))
        client.log_artifact(ref.run_id, str(Path(tmp) / "model_card.html"))


def record_fairness(
    ref: ModelVersionRef,
    *,
    digest: str,
    report_dir: Path,
    flag_keys: list[str],
    model_card: tuple[str, str],
    summary: dict[str, Any] | None = None,
) -> None:
    """Attach a fairness report on data ``digest``: artifacts under ``fairness/<digest>/``,
    the gated flag keys as a version tag, and the model card rewritten with the results."""
    client = configure()
    client.log_artifacts(ref.run_id, str(report_dir), artifact_path=f"fairness/{digest}")
    set_version_tags(ref.version, {f"fairness/{digest}/flags": json.dumps(flag_keys)[:5000]})
    log_model_card(ref, model_card)
    if summary is not None:
        log_json_artifact(ref.run_id, {"data_digest": digest, **summary}, "fairness_summary.json")


def log_json_artifact(run_id: str, payload: dict[str, Any], artifact_file: str) -> None:
    """Attach a JSON document to an existing run (reports produced after training)."""
    import mlflow

    configure()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(artifact_file).name
        path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
        mlflow.MlflowClient().log_artifact(
            run_id,
            str(path),
            artifact_path=str(Path(artifact_file).parent) if "/" in artifact_file else None,
        )


# -- the team's tracking server: who may do what -------------------------------------------
# On `screener mlflow-server` (MLflow's basic-auth app, decision 0034) every request names a
# user (MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, which MLflow reads itself) and
# a user sees and changes only what it was granted on the screener's experiment and
# registered model: READ (the service, auditors), EDIT (train, register, promote) or MANAGE
# (EDIT, and grant others on them).

#: The permissions `screener mlflow-users grant` gives, weakest first.
TEAM_PERMISSIONS = ("READ", "EDIT", "MANAGE")
_WRITERS = frozenset({"EDIT", "MANAGE"})
#: What a refused request was doing, by its REST endpoint (the first match says it).
_ACTIONS = (
    ("/runs/create", "starting a run in the experiment"),
    ("/model-versions/create", "registering a version of the model"),
    ("/registered-models/alias", "moving an alias of the model (promoting)"),
    ("/model-versions/set-tag", "tagging a version of the model"),
    ("/experiments/create", "creating an experiment"),
    ("/mlflow-artifacts/", "reading or writing artifacts"),
)


class RegistryAccessError(RuntimeError):
    """The tracking server refused this user: unknown or wrong password (401), or a
    permission it lacks (403). The message is one line: who, where, what, and the fix."""


def _server_uri() -> str:
    """The tracking URI as it may be printed: without any credentials in it."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(get_settings().mlflow_tracking_uri)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _user() -> str:
    return get_settings().mlflow_tracking_username or "(no MLFLOW_TRACKING_USERNAME)"


def _refusal(exc: Exception) -> str | None:
    """A one-line reason for a 401 or 403 from the tracking server, or None for any
    other error."""
    code = getattr(exc, "error_code", None)
    server, user = _server_uri(), _user()
    if code == "UNAUTHENTICATED":
        return (
            f"the tracking server {server} does not accept user {user} with the password "
            "given: set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD to a user of it"
        )
    if code != "PERMISSION_DENIED":
        return None
    message = str(exc)
    if "/mlflow/users/" in message:
        return (
            f"the tracking server {server} refused user {user} administering users: only "
            "its admin may (MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD of the admin)"
        )
    action = next((what for part, what in _ACTIONS if part in message), "this request")
    return (
        f"the tracking server {server} refused user {user} {action}: permission denied; "
        f"an admin can grant it (screener mlflow-users grant {user} --permission EDIT)"
    )


@contextlib.contextmanager
def access_errors() -> Iterator[None]:
    """Turn a tracking server's 401 or 403 inside the block into RegistryAccessError."""
    from mlflow.exceptions import MlflowException

    try:
        yield
    except MlflowException as exc:
        reason = _refusal(exc)
        if reason is None:
            raise
        raise RegistryAccessError(reason) from None


def _auth_client() -> Any:
    """MLflow's client of the basic-auth app on the configured tracking server."""
    import warnings

    with warnings.catch_warnings():
        # Importing mlflow.server warns about a Starlette module MLflow uses; on a
        # command's stderr that would bury the one line that matters.
        warnings.simplefilter("ignore")
        from mlflow.server.auth.client import AuthServiceClient

    uri = get_settings().mlflow_tracking_uri
    if not uri.startswith(("http://", "https://")):
        raise ValueError(
            f"MLFLOW_TRACKING_URI={uri} is not a tracking server: users and permissions live "
            "on `screener mlflow-server` (MLFLOW_TRACKING_URI=http://HOST:PORT)"
        )
    return AuthServiceClient(uri)


def check_can_register() -> None:
    """Before a long training: on a tracking server with basic auth, make sure this user
    may write runs to the experiment and versions of the registered model, so that a
    reader is refused in a second rather than after the fit (RegistryAccessError).

    Nothing is checked against a local store, a server without the auth app, or an
    experiment or model not created yet (whoever creates one owns it)."""
    from mlflow.exceptions import MlflowException

    settings = get_settings()
    user = settings.mlflow_tracking_username
    if not (user and settings.mlflow_tracking_uri.startswith(("http://", "https://"))):
        return
    auth = _auth_client()
    with access_errors():
        try:
            if auth.get_user(user).is_admin:
                return
        except MlflowException as exc:
            if _refusal(exc) is not None:
                raise
            return  # no basic-auth app answers here: the calls themselves will tell
        client = configure()
        experiment = client.get_experiment_by_name(settings.experiment_name)
        targets = [("experiment", experiment.experiment_id, "experiment")]
        with contextlib.suppress(MlflowException):
            client.get_registered_model(settings.registered_model_name)
            targets.append(("registered_model", settings.registered_model_name, "registered model"))
        for kind, key, label in targets:
            held = auth.get_user_permission(user, kind, key).permission
            if held not in _WRITERS:
                name = settings.experiment_name if kind == "experiment" else key
                raise RegistryAccessError(
                    f"user {user} holds {held} on the {label} {name} at {_server_uri()}: "
                    "training and registering need EDIT (screener mlflow-users grant "
                    f"{user} --permission EDIT, by an admin)"
                )


@dataclass(frozen=True)
class TeamAccess:
    """A user's permission on the screener's experiment and registered model."""

    username: str
    experiment: str
    experiment_permission: str
    registered_model: str
    model_permission: str

    def render(self) -> str:
        return (
            f"{self.username}: {self.experiment_permission} on experiment {self.experiment}, "
            f"{self.model_permission} on registered model {self.registered_model}"
        )


@contextlib.contextmanager
def _admin_call(what: str) -> Iterator[None]:
    """Errors of an admin's call as the CLI says them: an unknown user LookupError, a
    refused name, password or value ValueError, a 401/403 RegistryAccessError."""
    from mlflow.exceptions import MlflowException

    try:
        with access_errors():
            yield
    except MlflowException as exc:
        code = getattr(exc, "error_code", None)
        if code == "RESOURCE_DOES_NOT_EXIST":
            raise LookupError(f"{what}: no such user on {_server_uri()}") from None
        if code == "RESOURCE_ALREADY_EXISTS":
            raise ValueError(f"{what} exists already on {_server_uri()}") from None
        if code in ("INVALID_PARAMETER_VALUE", "BAD_REQUEST"):
            detail = getattr(exc, "message", str(exc)).splitlines()[0][:200]
            raise ValueError(f"{what}: {detail}") from None
        raise


def create_team_user(username: str, password: str) -> None:
    """Create a user of the tracking server (as its admin); it can do nothing until
    granted. The password is sent to the server only, which keeps its hash."""
    from training.lifecycle.tracking_server import MIN_PASSWORD_CHARS

    if not username.strip() or username != username.strip():
        raise ValueError(f"user name {username!r}: empty, or spaces around it")
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(
            f"the password of {username} is shorter than {MIN_PASSWORD_CHARS} characters"
        )
    auth = _auth_client()
    with _admin_call(f"user {username}"):
        auth.create_user(username, password)


def _team_resources(client: Any) -> tuple[str, str]:
    """The experiment's id and the registered model's name, each created (by the admin
    calling) when it does not exist yet, so that it can be granted before anyone trains."""
    from mlflow.exceptions import MlflowException

    settings = get_settings()
    experiment = client.get_experiment_by_name(settings.experiment_name)
    try:
        client.create_registered_model(settings.registered_model_name)
    except MlflowException as exc:
        if getattr(exc, "error_code", None) != "RESOURCE_ALREADY_EXISTS":
            raise
    return experiment.experiment_id, settings.registered_model_name


def grant_team_access(username: str, permission: str) -> TeamAccess:
    """Give ``username`` ``permission`` (READ, EDIT or MANAGE) on the screener's experiment
    and registered model, replacing what it held; both are created first if need be."""
    if permission not in TEAM_PERMISSIONS:
        raise ValueError(f"permission {permission!r}: one of {', '.join(TEAM_PERMISSIONS)}")
    auth = _auth_client()
    with _admin_call(f"user {username}"):
        auth.get_user(username)
        experiment_id, model = _team_resources(configure())
        auth.grant_user_permission(username, "experiment", experiment_id, permission)
        auth.grant_user_permission(username, "registered_model", model, permission)
    return team_access(username)


def revoke_team_access(username: str) -> TeamAccess:
    """Take back what ``username`` was granted on the experiment and registered model."""
    from mlflow.exceptions import MlflowException

    auth = _auth_client()
    with _admin_call(f"user {username}"):
        auth.get_user(username)
        experiment_id, model = _team_resources(configure())
        for kind, key in (("experiment", experiment_id), ("registered_model", model)):
            try:
                auth.revoke_user_permission(username, kind, key)
            except MlflowException as exc:  # nothing granted there: nothing to take back
                if getattr(exc, "error_code", None) != "RESOURCE_DOES_NOT_EXIST":
                    raise
    return team_access(username)


def team_access(username: str) -> TeamAccess:
    """What ``username`` may do with the experiment and the registered model, as the
    server decides it for a real request. Reads only: LookupError when nobody has
    granted or trained yet (no experiment)."""
    import mlflow

    settings = get_settings()
    auth = _auth_client()
    model = settings.registered_model_name
    with _admin_call(f"user {username}"):
        auth.get_user(username)
        experiment = mlflow.MlflowClient(settings.mlflow_tracking_uri).get_experiment_by_name(
            settings.experiment_name
        )
        if experiment is None:
            raise LookupError(
                f"no experiment {settings.experiment_name} on {_server_uri()} yet "
                "(`screener mlflow-users grant` creates it)"
            )
        on_experiment = auth.get_user_permission(username, "experiment", experiment.experiment_id)
        on_model = auth.get_user_permission(username, "registered_model", model)
    return TeamAccess(
        username=username,
        experiment=settings.experiment_name,
        experiment_permission=on_experiment.permission,
        registered_model=model,
        model_permission=on_model.permission,
    )


def monitor_reference(ref: ModelVersionRef) -> Any | None:
    """The monitor's training-time reference of a registered version
    (``training.audit.monitoring.ReferenceProfile``), read from its ``MLmodel`` metadata
    without loading the model; None for a version registered before references were
    recorded. Raises ValueError when the stored reference is of an unknown schema."""
    from mlflow.models import get_model_info

    from training.audit.monitoring import METADATA_KEY, ReferenceProfile
    from training.model.pyfunc import quiet_downloads

    configure()
    with quiet_downloads():
        info = get_model_info(ref.uri)
    raw = (info.metadata or {}).get(METADATA_KEY)
    return None if raw is None else ReferenceProfile.from_dict(raw)


def log_monitor_run(
    ref: ModelVersionRef,
    *,
    period: str,
    report_dir: Path,
    params: dict[str, str],
    metrics: dict[str, float],
    series: dict[str, list[float | None]],
    flag_kinds: list[str],
) -> str:
    """Record a monitoring report as a run of the experiment, tagged with the version it
    watches (``screener.kind=monitor``, ``model_name``, ``model_version``): ``params`` (the
    period and thresholds), ``metrics``, each of ``series`` as one metric stepped by week
    (None where withheld), and the report files under ``monitor/``. The version gets
    ``monitor/last_*`` tags naming the run, the period and the kinds flagged. Returns the
    run's id. Numbers and labels only: the report holds no concern text."""
    import time

    import mlflow
    from mlflow.entities import Metric

    configure()
    client = mlflow.MlflowClient()
    with mlflow.start_run(run_name=f"monitor v{ref.version} {period}") as run:
        mlflow.set_tags(
            {
                "screener.kind": "monitor",
                "model_name": ref.name,
                "model_version": ref.version,
                "monitor.period": period,
                "monitor.flags": str(len(flag_kinds)),
                "monitor.flag_kinds": ",".join(sorted(set(flag_kinds)))[:5000],
            }
        )
        mlflow.log_params(params)
        if metrics:
            mlflow.log_metrics(metrics)
        now = int(time.time() * 1000)
        stepped = [
            Metric(key, float(value), now, step)
            for key, values in series.items()
            for step, value in enumerate(values)
            if value is not None
        ]
        if stepped:
            client.log_batch(run.info.run_id, metrics=stepped)
        mlflow.log_artifacts(str(report_dir), artifact_path="monitor")
    set_version_tags(
        ref.version,
        {
            "monitor/last_run_id": run.info.run_id,
            "monitor/last_period": period,
            "monitor/last_flags": json.dumps(sorted(set(flag_kinds)))[:5000],
        },
    )
    return str(run.info.run_id)
