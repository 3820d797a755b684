"""Registered versions: resolved, verified, loaded, fetched, aliased, and what is recorded on them."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from training.lifecycle.registry.core import (
    ModelVersionRef,
    configure,
    set_version_tags,
)
from training.lifecycle.registry.runs import BASELINE_DIR, BASELINE_FILE
from training.settings import get_settings


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
