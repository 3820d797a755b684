"""Environment settings for the training side, read lazily through ``get_settings()``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["TrackingServerSettings", "TrainingSettings", "get_settings", "get_server_settings"]


class TrainingSettings(BaseSettings):
    """Where models are tracked. ``MLFLOW_TRACKING_URI`` overrides the local SQLite store."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    mlflow_tracking_uri: str = "sqlite:///mlflow.db"
    #: Artifact root for experiments created against the local store (``./mlruns``).
    mlflow_artifact_root: str = "mlruns"
    registered_model_name: str = "concern-screener"
    experiment_name: str = "concern-screener"
    champion_alias: str = "champion"
    #: Where the evaluation sets written by other hands live: ``handwritten/``,
    #: ``behaviour/`` and ``guidance/`` (default: the ``data/`` folder of a source checkout).
    evaluation_data_dir: Path | None = None
    #: Who this process is on a tracking server with basic auth (MLflow reads the user and
    #: its password, ``MLFLOW_TRACKING_PASSWORD``, itself; only the name is read here, to
    #: say whose permission is missing).
    mlflow_tracking_username: str | None = None
    #: The Spark master ``screener score --engine spark`` runs on (``SPARK_MASTER``):
    #: ``local[*]`` for this machine's cores, or a cluster's URL.
    spark_master: str = "local[*]"

    def artifact_location(self) -> str:
        """The artifact URI for a new experiment: a local folder unless a URI is given."""
        root = self.mlflow_artifact_root
        if "://" in root:
            return root
        return Path(root).resolve().as_uri()

    def data_dir(self) -> Path:
        """The folder holding ``handwritten/``, ``behaviour/`` and ``guidance/``."""
        if self.evaluation_data_dir is not None:
            return Path(self.evaluation_data_dir)
        return Path(__file__).resolve().parents[1] / "data"


@lru_cache(maxsize=1)
def get_settings() -> TrainingSettings:
    return TrainingSettings()


class TrackingServerSettings(BaseSettings):
    """The team's MLflow tracking server (``screener mlflow-server``), from the deployment.

    The admin's password and the CSRF key are secrets: they come from the environment and
    are handed to the server's environment, never written to a file or printed."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    #: The PostgreSQL database of runs and registered models (required).
    mlflow_backend_uri: str | None = None
    #: Where artifacts are kept: a local folder of the server's machine or a store URI
    #: (``s3://...``); clients reach them through the server only.
    mlflow_artifacts_destination: str = "mlartifacts"
    #: The database of users and permissions (default: the backend store's database).
    mlflow_auth_backend_uri: str | None = None
    mlflow_auth_admin_username: str = "admin"
    #: How long a worker trusts a checked user and password, in seconds (0: check every
    #: request). Each check is a deliberately slow password hash; a password changed or a
    #: user deleted through another worker is still accepted by this one until then.
    mlflow_auth_cache_seconds: int = Field(default=60, ge=0, le=3600)
    #: Read by MLflow to create the admin the first time the user store is empty (required).
    mlflow_auth_admin_password: SecretStr | None = None
    #: The key of the sign-up form's CSRF token; the same on every server behind one name
    #: (default: a fresh key per start).
    mlflow_flask_server_secret_key: SecretStr | None = None


def get_server_settings() -> TrackingServerSettings:
    """The tracking server's settings, read from the environment at each call (a command
    runs once per process)."""
    return TrackingServerSettings()
