"""The model the service scores with, loaded once outside the request path and swapped
atomically on reload.

This is one of the three modules allowed to import mlflow, and it does so lazily (importing
mlflow takes over a second). ``ModelStore.current`` is a plain reference: a request reads
it once and keeps that object to the end, so a reload never changes a model under a
request in flight. What a loaded model is (``LoadedModel``, ``Scorer``, ``ModelLoadError``)
is defined in ``serving.loaded_model`` and exported here too.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from serving.loaded_model import LoadedModel, ModelLoadError, Scorer

__all__ = [
    "Fallback",
    "LoadedModel",
    "ModelLoadError",
    "ModelStore",
    "Scorer",
    "load_last_known_good",
    "load_model",
    "load_model_from_mlflow",
    "save_last_known_good",
]

#: What to do when the registry cannot give the model: refuse (no model; 503 until a
#: reload succeeds) or serve the last model this service loaded from it, verified again.
Fallback = Literal["refuse", "last_known_good"]

log = logging.getLogger(__name__)

MODEL_CARD_ARTIFACT = "model_card.md"
#: Artifact names tried, in order, for the fairness summary (JSON); absence is tolerated.
FAIRNESS_SUMMARY_ARTIFACTS = ("fairness_summary.json", "fairness/fairness.json", "fairness.json")


# -- the MLflow seam ---------------------------------------------------------------------
# The service's own MLflow seam (STYLE.md allows three: training.lifecycle.registry, the pyfunc and
# this). It reads what training.lifecycle.registry wrote: the version, its run's metrics, the
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
        artifact_path=getattr(scorer, "artifact_path", None),
        artifact_sha256=getattr(scorer, "artifact_sha256", None) or None,
    )


@contextlib.contextmanager
def _bounded_registry_calls(timeout_seconds: float, max_retries: int) -> Iterator[None]:
    """Bound MLflow's HTTP retries and timeouts for one load (by default it retries with
    backoff for minutes against an unreachable server), unless the operator set them; the
    environment is restored afterwards. MLflow reads these variables at each request."""
    wanted = {
        "MLFLOW_HTTP_REQUEST_TIMEOUT": str(max(1, int(timeout_seconds))),
        "MLFLOW_HTTP_REQUEST_MAX_RETRIES": str(max(0, max_retries)),
    }
    added = [k for k in wanted if k not in os.environ]
    for k in added:
        os.environ[k] = wanted[k]
    try:
        yield
    finally:
        for k in added:
            os.environ.pop(k, None)


def _read_artifact(client: Any, run_id: str, path: str) -> str | None:
    """The text of one run artifact, or None when it does not exist."""
    try:
        with tempfile.TemporaryDirectory() as tmp:
            local = client.download_artifacts(run_id, path, tmp)
            return Path(local).read_text(encoding="utf-8")
    except Exception:  # absent artifacts raise various MLflow errors
        return None


# -- end of the MLflow seam --------------------------------------------------------------


# -- the last-known-good copy -------------------------------------------------------------
# After every load from the registry the verified artifact is copied, with its digest and
# what /v1/model shows, to MODEL_CACHE_DIR. When the registry cannot be reached at start or
# on reload and MODEL_FALLBACK=last_known_good, that copy is verified against its digest
# again and served, marked as such in /v1/model, /readyz and the logs. A damaged artifact in
# the registry is not a reason to fall back: that refusal stands, so that a tampered
# registry is noticed rather than papered over.

_META = "meta.json"
_ARTIFACT = "screener.joblib"


def _cache_slot(cache_dir: Path, uri: str) -> Path:
    """The folder of one model URI's copy (one per URI: an alias and a pinned version
    do not share a copy)."""
    return Path(cache_dir) / hashlib.sha256(uri.encode()).hexdigest()[:16]


def save_last_known_good(model: LoadedModel, *, uri: str, cache_dir: Path) -> Path | None:
    """Copy ``model``'s verified artifact and description under ``cache_dir``; return the
    folder, or None when the model has no artifact to copy (fake or injected models).

    Written to a temporary folder and renamed into place, so a crash mid-copy leaves the
    previous copy whole."""
    if model.artifact_path is None or not model.artifact_sha256:
        return None
    slot = _cache_slot(cache_dir, uri)
    if _cached_digest(slot) == model.artifact_sha256:
        # Already the copy (every worker loads the same champion at start): nothing to do,
        # and no two workers racing to replace the same folder.
        return slot
    slot.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=slot.parent))
    try:
        shutil.copyfile(model.artifact_path, staging / _ARTIFACT)
        meta = {
            "uri": uri,
            "name": model.name,
            "version": model.version,
            "run_id": model.run_id,
            "artifact_sha256": model.artifact_sha256,
            "metrics": model.metrics,
            "model_card_markdown": model.model_card_markdown,
            "fairness_summary": model.fairness_summary,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        (staging / _META).write_text(json.dumps(meta), encoding="utf-8")
        old = slot.with_name(slot.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if slot.exists():
            slot.rename(old)
        staging.rename(slot)
        shutil.rmtree(old, ignore_errors=True)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return slot


def _cached_digest(slot: Path) -> str | None:
    """The digest of the copy in ``slot`` when its file still matches its record."""
    from training.model.pyfunc import file_sha256

    try:
        recorded = json.loads((slot / _META).read_text(encoding="utf-8"))["artifact_sha256"]
        actual = file_sha256(slot / _ARTIFACT)
    except (OSError, ValueError, KeyError):
        return None
    return actual if actual == recorded else None


def load_last_known_good(uri: str, *, cache_dir: Path, reason: str) -> LoadedModel:
    """The local copy of ``uri``'s last good load, verified against its digest before
    anything is unpickled; ModelLoadError when there is none or it does not verify."""
    from training.model.pyfunc import ArtifactIntegrityError, load_verified

    slot = _cache_slot(cache_dir, uri)
    try:
        meta = json.loads((slot / _META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ModelLoadError(
            f"{reason}; and there is no last-known-good copy of {uri} in the model cache"
        ) from None
    try:
        screener = load_verified(slot / _ARTIFACT, meta.get("artifact_sha256"))
    except ArtifactIntegrityError as exc:
        raise ModelLoadError(f"{reason}; and the last-known-good copy is unusable: {exc}") from exc
    return LoadedModel(
        name=str(meta["name"]),
        version=str(meta["version"]),
        run_id=meta.get("run_id"),
        scorer=screener,
        metrics={k: float(v) for k, v in (meta.get("metrics") or {}).items()},
        model_card_markdown=meta.get("model_card_markdown"),
        fairness_summary=meta.get("fairness_summary"),
        source="last_known_good",
        fallback_reason=reason[:300],
        artifact_path=slot / _ARTIFACT,
        artifact_sha256=meta.get("artifact_sha256"),
    )


def load_model(
    uri: str,
    *,
    tracking_uri: str,
    cache_dir: Path | None = None,
    fallback: Fallback = "refuse",
    registry_timeout_seconds: float = 10.0,
    registry_max_retries: int = 1,
) -> LoadedModel:
    """Load the model at ``uri``; ``fake:`` URIs give the deterministic test scorer.

    With ``cache_dir`` every good load from the registry is also kept as the
    last-known-good copy; with ``fallback="last_known_good"`` that copy serves when the
    registry cannot give the model (unreachable, no such version), but never when the
    registry's artifact fails its digest check.
    """
    if uri.startswith("fake:"):
        from serving.testing import fake_loaded_model

        try:
            query = parse_qs(urlsplit(uri).query)
            return fake_loaded_model(
                version=query.get("version", ["1"])[0],
                cost_ms=float(query.get("cost_ms", ["0"])[0]),
            )
        except Exception as exc:
            raise ModelLoadError(f"could not load {uri}: {type(exc).__name__}: {exc}") from exc
    try:
        with _bounded_registry_calls(registry_timeout_seconds, registry_max_retries):
            model = load_model_from_mlflow(uri, tracking_uri=tracking_uri)
    except Exception as exc:
        from training.model.pyfunc import ArtifactIntegrityError

        known = isinstance(exc, ModelLoadError)
        reason = str(exc) if known else f"could not load {uri}: {type(exc).__name__}: {exc}"
        integrity = any(isinstance(e, ArtifactIntegrityError) for e in _chain(exc))
        if fallback == "last_known_good" and cache_dir is not None and not integrity:
            model = load_last_known_good(uri, cache_dir=cache_dir, reason=reason)
            log.warning(
                "model registry unavailable: serving the last-known-good copy",
                extra={"model_version": model.version, "reason": reason[:300]},
            )
            return model
        if known:
            raise
        raise ModelLoadError(reason) from exc
    if cache_dir is not None:
        try:
            save_last_known_good(model, uri=uri, cache_dir=cache_dir)
        except OSError as exc:
            # Serving goes on; only the fallback is lost. Say so.
            log.warning(
                "could not keep a last-known-good copy of the model",
                extra={"error_type": type(exc).__name__},
            )
    return model


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in out:
        out.append(cur)
        cur = cur.__cause__ or cur.__context__
    return out


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

    def reload(self) -> LoadedModel:
        """Load a fresh model with the loader and swap it in; raise ModelLoadError on
        failure, keeping the old model serving."""
        if self._loader is None:
            raise ModelLoadError("no model loader configured")
        with self._lock:
            try:
                new = self._loader()
                _warm(new)
            except ModelLoadError as exc:
                self.last_error = str(exc)
                raise
            except Exception as exc:
                self.last_error = f"{type(exc).__name__}: {exc}"
                raise ModelLoadError(self.last_error) from exc
            self._current = new
            self.last_error = None
            _freeze_heap()
            return new


#: Scored once by every model before it serves (not personal data: written for this).
_WARM_UP_TEXT = (
    "Warm-up contact: school reports a pupil arrived with a bruise on the arm and said "
    "nobody hurt them. No other concerns."
)


def _warm(model: LoadedModel) -> None:
    """Score one fixed contact before ``model`` serves: the first call builds the text
    pipeline and its caches (half a second), which no request should wait for; a model
    that cannot score it is refused."""
    try:
        records = model.scorer.score_records([_WARM_UP_TEXT], [None])
    except Exception as exc:
        raise ModelLoadError(f"the model failed its warm-up score: {type(exc).__name__}") from exc
    if len(records) != 1:
        raise ModelLoadError("the model's warm-up score returned the wrong number of records")


def _freeze_heap() -> None:
    """Put what is alive now (the model: vocabularies, coefficients, caches) out of the
    cyclic garbage collector's reach.

    A loaded model is millions of long-lived objects; every full collection walked them
    all, a pause of a few hundred milliseconds that showed as the p99 latency. Unfreezing
    first lets this collection free what a previous model left in cycles.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
