"""The MLflow model: ``DataFrame[text, source?]`` -> ``DataFrame[score, priority, band,
explanation, indicators]``, and how a registered version is fetched and loaded verified.

The model is logged as code (MLflow's models-from-code): ``python_model`` is the path of
``training/model/pyfunc_code.py``, which names :class:`ConcernScreenerPyfunc` as installed
with the package, so no pickled code travels in the artifact folder. The fitted
``ScreenerModel`` is one joblib file, the only thing ever unpickled.

Trust comes from the registry, not the folder: :func:`fetch_verified` copies a version's
files to a private folder and checks the signed manifest on the registry version
(``training.model.signing``) before :func:`load_folder` unpickles anything. The joblib's
digest in the model configuration (``MLmodel``) is a corruption check for whoever loads the
folder with MLflow directly; anyone who can write the folder can rewrite it, so the service
never relies on it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from mlflow.pyfunc import PythonModel

from training.model.outputs import ScoreRecord
from training.model.signing import (
    ARTIFACT_RELPATH,
    MLFLOW_WRITTEN,
    ArtifactIntegrityError,
    Verification,
    file_sha256,
    record_from_tags,
    verify_folder,
)

if TYPE_CHECKING:
    from training.secrets import KeyRing

__all__ = [
    "ARTIFACT_KEY",
    "CODE_PATH",
    "ArtifactIntegrityError",
    "ConcernScreenerPyfunc",
    "download_version",
    "fetch_verified",
    "file_sha256",
    "load_folder",
    "load_verified",
    "quiet_downloads",
]

ARTIFACT_KEY = "screener"
#: The model as code: logged as ``python_model``; MLflow copies it beside the artifacts.
CODE_PATH = Path(__file__).with_name("pyfunc_code.py")


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
        #: The artifact and the digest it was checked against.
        self.artifact_path = Path(context.artifacts[ARTIFACT_KEY])
        self.artifact_sha256 = str(config.get("artifact_sha256") or "")
        self._model = load_verified(self.artifact_path, self.artifact_sha256)

    @classmethod
    def from_artifact(cls, path: Path, expected_sha256: str | None) -> ConcernScreenerPyfunc:
        """The model from its joblib alone, checked against ``expected_sha256`` (a digest
        the registry holds): how a version registered with a pickled wrapper loads without
        unpickling that wrapper."""
        model = cls()
        model.artifact_path = Path(path)
        model.artifact_sha256 = expected_sha256 or ""
        model._model = load_verified(model.artifact_path, expected_sha256)
        return model

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


def download_version(client: Any, *, name: str, version: str, dst: Path) -> Path:
    """Copy a registered version's artifact folder into ``dst`` (which should be private
    to this process) and return it, without the file MLflow itself writes there."""
    from mlflow.artifacts import download_artifacts

    uri = client.get_model_version_download_uri(name, version)
    with quiet_downloads():
        folder = Path(download_artifacts(artifact_uri=uri, dst_path=str(dst)))
    for rel in MLFLOW_WRITTEN:
        (folder / rel).unlink(missing_ok=True)
    return folder


@contextlib.contextmanager
def quiet_downloads() -> Iterator[None]:
    """No progress bar on stderr for a download (MLflow draws one per copy, even from a
    local store), unless the operator asked for it."""
    added = _PROGRESS_BAR not in os.environ
    if added:
        os.environ[_PROGRESS_BAR] = "false"
    try:
        yield
    finally:
        if added:
            os.environ.pop(_PROGRESS_BAR, None)


_PROGRESS_BAR = "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR"


def fetch_verified(
    client: Any,
    *,
    name: str,
    version: str,
    run_id: str | None,
    tags: dict[str, str],
    dst: Path,
    ring: KeyRing | None,
    require_signature: bool,
) -> tuple[Path, Verification]:
    """Download a version into ``dst`` and verify it against its registry record (the
    tags and, for a long manifest, the run artifact they name); nothing is unpickled.
    Raises ArtifactIntegrityError (or its SignatureError) saying which file or why."""

    def fetch_artifact(path: str) -> bytes:
        if run_id is None:
            raise ArtifactIntegrityError("the version's model manifest cannot be found")
        manifest_dir = Path(dst) / ".manifest"
        manifest_dir.mkdir(parents=True, exist_ok=True)
        return Path(client.download_artifacts(run_id, path, str(manifest_dir))).read_bytes()

    record = record_from_tags(tags, fetch_artifact=fetch_artifact)
    models_dir = Path(dst) / "model"
    models_dir.mkdir(parents=True, exist_ok=True)
    folder = download_version(client, name=name, version=version, dst=models_dir)
    verification = verify_folder(
        folder,
        record,
        name=name,
        version=version,
        ring=ring,
        require_signature=require_signature,
    )
    return folder, verification


def load_folder(folder: Path, verification: Verification) -> Any:
    """Load a verified folder: through MLflow (the model as code, then its joblib) when
    its manifest verified; from the joblib alone, checked against the registry's digest,
    for a version from before manifests (its pickled wrapper is never unpickled)."""
    if verification.kind == "legacy":
        return ConcernScreenerPyfunc.from_artifact(
            Path(folder) / ARTIFACT_RELPATH, verification.legacy_sha256
        )
    import mlflow

    return mlflow.pyfunc.load_model(str(folder)).unwrap_python_model()
