"""The model the service scores with, loaded once outside the request path and swapped
atomically on reload.

This is one of the three modules allowed to import mlflow, and it does so lazily (importing
mlflow takes over a second). ``ModelStore.current`` is a plain reference: a request reads
it once and keeps that object to the end, so a reload never changes a model under a
request in flight.
"""

from __future__ import annotations

import json
import logging
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import parse_qs, urlsplit

from training.outputs import ScoreRecord

__all__ = [
    "LoadedModel",
    "ModelLoadError",
    "ModelStore",
    "Scorer",
    "load_model",
    "load_model_from_mlflow",
]

log = logging.getLogger(__name__)

MODEL_CARD_ARTIFACT = "model_card.md"
#: Artifact names tried, in order, for the fairness summary (JSON); absence is tolerated.
FAIRNESS_SUMMARY_ARTIFACTS = ("fairness_summary.json", "fairness/fairness.json", "fairness.json")


@runtime_checkable
class Scorer(Protocol):
    """What the service needs of a model: scores for texts, one record per text, in order."""

    def score_records(
        self, texts: Sequence[str], sources: Sequence[str | None]
    ) -> list[ScoreRecord]: ...


@dataclass
class LoadedModel:
    """A model ready to serve, with what /v1/model tells about it."""

    name: str
    version: str
    run_id: str | None
    scorer: Scorer
    metrics: dict[str, float] = field(default_factory=dict)
    model_card_markdown: str | None = None
    fairness_summary: dict[str, Any] | None = None
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))


class ModelLoadError(RuntimeError):
    """The model could not be loaded; the message says why (never contains concern text)."""


# -- the MLflow seam ---------------------------------------------------------------------
# The service's own MLflow seam (STYLE.md allows three: training.registry, the pyfunc and
# this). It reads what training.registry wrote: the version, its run's metrics, the
# model card (model_card.md) and the fairness summary (fairness_summary.json).


def load_model_from_mlflow(uri: str, *, tracking_uri: str) -> LoadedModel:
    """Load a registered model: ``models:/NAME@ALIAS`` or ``models:/NAME/VERSION``.

    The alias is resolved to a version first and that exact version is loaded, so the
    version reported is the version served even if the alias moves meanwhile.
    """
    import mlflow
    from mlflow import MlflowClient

    mlflow.set_tracking_uri(tracking_uri)
    client = MlflowClient(tracking_uri=tracking_uri)
    name, version, run_id = uri, "unknown", None
    load_uri = uri
    if uri.startswith("models:/"):
        ref = uri[len("models:/") :]
        if "@" in ref:
            name, alias = ref.split("@", 1)
            mv = client.get_model_version_by_alias(name, alias)
        else:
            name, _, ver = ref.partition("/")
            mv = client.get_model_version(name, ver)
        version, run_id = str(mv.version), mv.run_id
        load_uri = f"models:/{name}/{version}"
    pyfunc = mlflow.pyfunc.load_model(load_uri)
    scorer = pyfunc.unwrap_python_model()
    if not hasattr(scorer, "score_records"):
        raise ModelLoadError(f"{load_uri}: the python model has no score_records()")
    metrics: dict[str, float] = {}
    card: str | None = None
    fairness: dict[str, Any] | None = None
    if run_id:
        metrics = {k: float(v) for k, v in client.get_run(run_id).data.metrics.items()}
        card = _read_artifact(client, run_id, MODEL_CARD_ARTIFACT)
        for candidate in FAIRNESS_SUMMARY_ARTIFACTS:
            raw = _read_artifact(client, run_id, candidate)
            if raw is not None:
                try:
                    fairness = json.loads(raw)
                except ValueError:
                    log.warning(
                        "fairness summary artifact is not JSON", extra={"artifact": candidate}
                    )
                break
    return LoadedModel(
        name=name,
        version=version,
        run_id=run_id,
        scorer=scorer,
        metrics=metrics,
        model_card_markdown=card,
        fairness_summary=fairness,
    )


def _read_artifact(client: Any, run_id: str, path: str) -> str | None:
    """The text of one run artifact, or None when it does not exist."""
    try:
        with tempfile.TemporaryDirectory() as tmp:
            local = client.download_artifacts(run_id, path, tmp)
            return Path(local).read_text(encoding="utf-8")
    except Exception:  # absent artifacts raise various MLflow errors
        return None


# -- end of the MLflow seam --------------------------------------------------------------


def load_model(uri: str, *, tracking_uri: str) -> LoadedModel:
    """Load the model at ``uri``; ``fake:`` URIs give the deterministic test scorer."""
    try:
        if uri.startswith("fake:"):
            from serving.testing import fake_loaded_model

            query = parse_qs(urlsplit(uri).query)
            return fake_loaded_model(
                version=query.get("version", ["1"])[0],
                cost_ms=float(query.get("cost_ms", ["0"])[0]),
            )
        return load_model_from_mlflow(uri, tracking_uri=tracking_uri)
    except ModelLoadError:
        raise
    except Exception as exc:
        raise ModelLoadError(f"could not load {uri}: {type(exc).__name__}: {exc}") from exc


class ModelStore:
    """Holds the current model; ``reload()`` builds the new one fully, then swaps.

    Reloads are serialised by a lock; readers take no lock (reading one attribute is
    atomic), so scoring never waits for a reload.
    """

    def __init__(
        self,
        loader: Callable[[], LoadedModel] | None = None,
        *,
        model: LoadedModel | None = None,
    ) -> None:
        self._loader = loader
        self._current: LoadedModel | None = model
        self._lock = threading.Lock()
        #: Why the last load failed (for /readyz), or None.
        self.last_error: str | None = None
        #: The reload generation this worker has applied (see the reload poller).
        self.generation: int = 0

    @property
    def current(self) -> LoadedModel | None:
        """The model to use for one request; read it once per request."""
        return self._current

    def set(self, model: LoadedModel) -> None:
        """Serve ``model`` from now on (tests, injection)."""
        self._current = model
        self.last_error = None

    def reload(self) -> LoadedModel:
        """Load a fresh model with the loader and swap it in; raise ModelLoadError on
        failure, keeping the old model serving."""
        if self._loader is None:
            raise ModelLoadError("no model loader configured")
        with self._lock:
            try:
                new = self._loader()
            except ModelLoadError as exc:
                self.last_error = str(exc)
                raise
            except Exception as exc:
                self.last_error = f"{type(exc).__name__}: {exc}"
                raise ModelLoadError(self.last_error) from exc
            self._current = new
            self.last_error = None
            return new
