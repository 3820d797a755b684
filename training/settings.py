"""Environment settings for the training side, read lazily through ``get_settings()``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["TrainingSettings", "get_settings"]


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
