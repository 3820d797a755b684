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
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qs, urlsplit

from serving.loaded_model import LoadedModel, ModelLoadError, ModelRefusedError, Scorer
from training.model.signing import Verification

if TYPE_CHECKING:
    from training.secrets import KeyRing

__all__ = [
    "Fallback",
    "LoadedModel",
    "ModelLoadError",
    "ModelRefusedError",
    "ModelStore",
    "RingSource",
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


#: Where the model-signing key ring comes from: called at each load, so that a rotated
#: ring is read on the next reload. Default: ``training.secrets.key_ring("model_signing")``.
RingSource = Callable[[], "KeyRing | None"]


def _signing_ring(source: RingSource | None) -> KeyRing | None:
    """The deployment's model-signing ring, or None; ModelLoadError when it is malformed
    (the message says where, never a key)."""
    from training.secrets import SecretsError, key_ring

    try:
        return source() if source is not None else key_ring("model_signing")
    except SecretsError as exc:
        raise ModelLoadError(f"the model-signing key ring is unusable: {exc}") from None


def load_model_from_mlflow(
    uri: str,
    *,
    tracking_uri: str,
    require_signature: bool = True,
    signing_ring: RingSource | None = None,
) -> LoadedModel:
    """Load a registered model: ``models:/NAME@ALIAS`` or ``models:/NAME/VERSION``.

    The alias is resolved to a version first and that exact version is loaded, so the
    version reported is the version served even if the alias moves meanwhile. Its files
    are copied to a private folder and checked against the signed manifest on the registry
    version before anything is unpickled (``training.model.signing``)."""
    with tempfile.TemporaryDirectory(prefix="screener-model-") as tmp:
        model, _ = _load_from_registry(
            uri,
            tracking_uri=tracking_uri,
            require_signature=require_signature,
            dst=Path(tmp),
            signing_ring=signing_ring,
        )
    return model


def _load_from_registry(
    uri: str,
    *,
    tracking_uri: str,
    require_signature: bool,
    dst: Path,
    signing_ring: RingSource | None = None,
) -> tuple[LoadedModel, Path]:
    """The model at ``uri`` and its verified folder under ``dst`` (valid while ``dst`` is)."""
    import mlflow
    from mlflow import MlflowClient

    from training.model.pyfunc import fetch_verified, load_folder

    if not uri.startswith("models:/"):
        raise ModelLoadError(
            f"{uri}: the service loads registered versions only (models:/NAME@ALIAS or "
            "models:/NAME/VERSION), whose signed manifest is on the registry"
        )
    ring = _signing_ring(signing_ring)
    mlflow.set_tracking_uri(tracking_uri)
    client = MlflowClient(tracking_uri=tracking_uri)
    ref = uri[len("models:/") :]
    if "@" in ref:
        name, alias = ref.split("@", 1)
        mv = client.get_model_version_by_alias(name, alias)
    else:
        name, _, ver = ref.partition("/")
        mv = client.get_model_version(name, ver)
    version, run_id = str(mv.version), mv.run_id
    folder, verification = fetch_verified(
        client,
        name=name,
        version=version,
        run_id=run_id,
        tags=dict(mv.tags),
        dst=dst,
        ring=ring,
        require_signature=require_signature,
    )
    if verification.kind != "signed":
        log.warning(
            "serving a model no key vouches for (MODEL_REQUIRE_SIGNATURE=false)",
            extra={"model_version": version, "reason": verification.describe()},
        )
    scorer = load_folder(folder, verification)
    if not hasattr(scorer, "score_records"):
        raise ModelLoadError(f"{uri}: the python model has no score_records()")
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
    model = LoadedModel(
        name=name,
        version=version,
        run_id=run_id,
        scorer=scorer,
        metrics=metrics,
        model_card_markdown=card,
        fairness_summary=fairness,
        verification=verification,
    )
    return model, folder


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
# After every load from the registry the verified model folder is copied, with its signed
# manifest and what /v1/model shows, to MODEL_CACHE_DIR. When the registry cannot be
# reached at start or on reload and MODEL_FALLBACK=last_known_good, that copy is verified
# again as the registry's was (the signature against the deployment's key ring, then every
# file) and served, marked as such in /v1/model, /readyz and the logs. Whoever can write
# the cache can no more make a changed file verify than whoever can write the registry's
# artifact store. A model the registry gave that fails verification is not a reason to
# fall back: that refusal stands, so that a tampered registry is noticed rather than
# papered over.

_META = "meta.json"
_MODEL = "model"


def _cache_slot(cache_dir: Path, uri: str) -> Path:
    """The folder of one model URI's copy (one per URI: an alias and a pinned version
    do not share a copy)."""
    return Path(cache_dir) / hashlib.sha256(uri.encode()).hexdigest()[:16]


def _record_meta(verification: Verification) -> dict[str, Any]:
    manifest = verification.manifest
    return {
        "manifest": None if manifest is None else manifest.payload().decode("utf-8"),
        "signature": verification.signature,
        "legacy_sha256": verification.legacy_sha256,
    }


def save_last_known_good(
    model: LoadedModel, folder: Path, *, uri: str, cache_dir: Path
) -> Path | None:
    """Copy ``model``'s verified ``folder`` and description under ``cache_dir``; return
    the slot, or None when the model has no verified files (fake or injected models).

    Written to a temporary folder and renamed into place, so a crash mid-copy leaves the
    previous copy whole."""
    if model.verification is None:
        return None
    slot = _cache_slot(cache_dir, uri)
    record = _record_meta(model.verification)
    if _cached_record(slot) == record:
        # Already the copy (every worker loads the same champion at start): nothing to do,
        # and no two workers racing to replace the same folder.
        return slot
    slot.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=slot.parent))
    try:
        shutil.copytree(folder, staging / _MODEL, symlinks=True)
        meta = {
            "uri": uri,
            "name": model.name,
            "version": model.version,
            "run_id": model.run_id,
            **record,
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


def _cached_record(slot: Path) -> dict[str, Any] | None:
    """The signing record of the copy in ``slot`` when its files still match it."""
    from training.model.signing import ArtifactIntegrityError, Manifest, check_files

    try:
        meta = json.loads((slot / _META).read_text(encoding="utf-8"))
        record = {k: meta.get(k) for k in ("manifest", "signature", "legacy_sha256")}
        if record["manifest"]:
            check_files(slot / _MODEL, Manifest.parse(record["manifest"]))
        else:
            return None
    except (OSError, ValueError, ArtifactIntegrityError):
        return None
    return record


def load_last_known_good(
    uri: str,
    *,
    cache_dir: Path,
    reason: str,
    require_signature: bool = True,
    signing_ring: RingSource | None = None,
) -> LoadedModel:
    """The local copy of ``uri``'s last good load, copied to a private folder and verified
    like the registry's (signature, then every file) before anything is unpickled;
    ModelLoadError when there is none or it does not verify."""
    from training.model.pyfunc import load_folder
    from training.model.signing import (
        ArtifactIntegrityError,
        Manifest,
        SignedRecord,
        verify_folder,
    )

    slot = _cache_slot(cache_dir, uri)
    try:
        meta = json.loads((slot / _META).read_text(encoding="utf-8"))
        name, version = str(meta["name"]), str(meta["version"])
    except (OSError, ValueError, KeyError, TypeError):
        raise ModelLoadError(
            f"{reason}; and there is no last-known-good copy of {uri} in the model cache"
        ) from None
    try:
        ring = _signing_ring(signing_ring)
        manifest = Manifest.parse(meta["manifest"]) if meta.get("manifest") else None
        record = SignedRecord(manifest, meta.get("signature"), meta.get("legacy_sha256"))
        with tempfile.TemporaryDirectory(prefix="screener-lkg-") as tmp:
            private = Path(tmp) / _MODEL
            shutil.copytree(slot / _MODEL, private, symlinks=True)
            verification = verify_folder(
                private,
                record,
                name=name,
                version=version,
                ring=ring,
                require_signature=require_signature,
            )
            scorer = load_folder(private, verification)
    except (ArtifactIntegrityError, ModelLoadError, OSError) as exc:
        raise ModelLoadError(f"{reason}; and the last-known-good copy is unusable: {exc}") from exc
    return LoadedModel(
        name=name,
        version=version,
        run_id=meta.get("run_id"),
        scorer=scorer,
        metrics={k: float(v) for k, v in (meta.get("metrics") or {}).items()},
        model_card_markdown=meta.get("model_card_markdown"),
        fairness_summary=meta.get("fairness_summary"),
        source="last_known_good",
        fallback_reason=reason[:300],
        verification=verification,
    )


def load_model(
    uri: str,
    *,
    tracking_uri: str,
    cache_dir: Path | None = None,
    fallback: Fallback = "refuse",
    registry_timeout_seconds: float = 10.0,
    registry_max_retries: int = 1,
    require_signature: bool = True,
    signing_ring: RingSource | None = None,
) -> LoadedModel:
    """Load the model at ``uri``; ``fake:`` URIs give the deterministic test scorer.

    The version's files are verified against the signed manifest on its registry version
    before anything is unpickled (``require_signature``: only a signature by a key of the
    deployment's model-signing ring, from ``signing_ring`` or else the environment, is
    accepted); a model that fails is refused with
    ModelRefusedError. With ``cache_dir`` every good load from the registry is also kept
    as the last-known-good copy; with ``fallback="last_known_good"`` that copy serves,
    verified again, when the registry cannot give the model (unreachable, no such
    version), but never when the registry's model was refused.
    """
    if uri.startswith("fake:"):
        from serving.testing import fake_loaded_model

        try:
            query = parse_qs(urlsplit(uri).query)
            return fake_loaded_model(
                version=query.get("version", ["1"])[0],
                cost_ms=float(query.get("cost_ms", ["0"])[0]),
                past_contacts=query.get("past_contacts", ["0"])[0] in ("1", "true", "on"),
            )
        except Exception as exc:
            raise ModelLoadError(f"could not load {uri}: {type(exc).__name__}: {exc}") from exc
    from training.model.signing import ArtifactIntegrityError

    with tempfile.TemporaryDirectory(prefix="screener-model-") as tmp:
        try:
            with _bounded_registry_calls(registry_timeout_seconds, registry_max_retries):
                model, folder = _load_from_registry(
                    uri,
                    tracking_uri=tracking_uri,
                    require_signature=require_signature,
                    dst=Path(tmp),
                    signing_ring=signing_ring,
                )
        except Exception as exc:
            known = isinstance(exc, ModelLoadError)
            reason = str(exc) if known else f"could not load {uri}: {type(exc).__name__}: {exc}"
            if any(isinstance(e, ArtifactIntegrityError) for e in _chain(exc)):
                log.error("model refused", extra={"reason": reason[:500]})
                raise ModelRefusedError(reason) from exc
            if fallback == "last_known_good" and cache_dir is not None:
                model = load_last_known_good(
                    uri,
                    cache_dir=cache_dir,
                    reason=reason,
                    require_signature=require_signature,
                    signing_ring=signing_ring,
                )
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
                save_last_known_good(model, folder, uri=uri, cache_dir=cache_dir)
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
