"""The MLflow model: ``DataFrame[text, source?]`` -> ``DataFrame[score, priority, band,
explanation, indicators]``.

The fitted ``ScreenerModel`` is stored as one joblib file. Its SHA-256 is recorded at
logging time in the model's configuration and on the registered version; ``load_context``
refuses to unpickle a file whose digest differs (a corrupted or substituted artifact), with a
clear message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from mlflow.pyfunc import PythonModel

from training.model.outputs import ScoreRecord

__all__ = [
    "ARTIFACT_KEY",
    "ArtifactIntegrityError",
    "ConcernScreenerPyfunc",
    "file_sha256",
    "load_verified",
]

ARTIFACT_KEY = "screener"


class ArtifactIntegrityError(RuntimeError):
    """The model artifact is missing, or its digest differs from the one registered."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_verified(path: Path, expected_sha256: str | None) -> Any:
    """Unpickle the screener only after its digest matches the recorded one."""
    import joblib

    path = Path(path)
    if not path.is_file():
        raise ArtifactIntegrityError(f"model artifact not found: {path.name}")
    if not expected_sha256:
        raise ArtifactIntegrityError(
            "the model has no recorded artifact digest; refusing to load it"
        )
    actual = file_sha256(path)
    if actual != expected_sha256:
        raise ArtifactIntegrityError(
            f"model artifact {path.name} has digest {actual[:12]}..., expected "
            f"{expected_sha256[:12]}...: it is corrupted or was replaced; refusing to load it"
        )
    return joblib.load(path)


class ConcernScreenerPyfunc(PythonModel):  # type: ignore[misc]
    """The registered ``concern-screener`` model."""

    def load_context(self, context: Any) -> None:
        config = context.model_config or {}
        #: The verified artifact and its digest: the service keeps a last-known-good copy.
        self.artifact_path = Path(context.artifacts[ARTIFACT_KEY])
        self.artifact_sha256 = str(config.get("artifact_sha256") or "")
        self._model = load_verified(self.artifact_path, self.artifact_sha256)

    @property
    def screener(self) -> Any:
        """The underlying ``training.model.screener.ScreenerModel``."""
        return self._model

    def predict(
        self, context: Any, model_input: pd.DataFrame, params: dict[str, Any] | None = None
    ) -> pd.DataFrame:
        if not isinstance(model_input, pd.DataFrame) or "text" not in model_input:
            raise ValueError("the model expects a DataFrame with a 'text' column")
        return self._model.predict_frame(model_input)

    def score_records(
        self, texts: Sequence[str], sources: Sequence[str | None]
    ) -> list[ScoreRecord]:
        """Fast path for the service: no DataFrame round trip."""
        return self._model.score_records(list(texts), list(sources))
