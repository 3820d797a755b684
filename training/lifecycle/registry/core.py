"""The registry's footing: where MLflow points, the version reference, who acts."""

from __future__ import annotations

import contextlib
import subprocess
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from training.settings import get_settings

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


def set_version_tags(version: str, tags: dict[str, str]) -> None:
    """Record tags on a registered version (evaluations, fairness flags, decisions)."""
    client = configure()
    settings = get_settings()
    for key, value in tags.items():
        client.set_model_version_tag(settings.registered_model_name, version, key, value)
