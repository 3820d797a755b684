"""Administration: reload the champion model. Role: admin."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from sqlalchemy.exc import SQLAlchemyError

from serving.api.deps import AdminKey, State
from serving.api.routes._responses import errors
from serving.audit import store
from serving.errors import ApiError
from serving.loaded_model import LoadedModel, ModelLoadError, ModelRefusedError
from serving.metrics import get_metrics
from serving.schemas import ReloadResponse
from serving.scoring import model_public

__all__ = ["GENERATION_KEY", "router"]

router = APIRouter(prefix="/v1/admin", tags=["admin"])
log = logging.getLogger(__name__)

#: Settings row counting reloads; other workers poll it and reload when it moves.
GENERATION_KEY = "model_generation"


@router.post(
    "/reload",
    response_model=ReloadResponse,
    summary="Load the current champion and swap it in (role: admin)",
    responses=errors(401, 403, 503),
)
def reload_model(principal: AdminKey, state: State) -> ReloadResponse:
    """Build the new model fully, then swap it in: requests in flight finish with the
    model they started with. Other workers follow within ``RELOAD_POLL_SECONDS``. On
    failure the old model keeps serving and this returns 503: ``model_refused`` with the
    reason when the registry's model failed verification (its signature or a file; nothing
    of it was unpickled), ``reload_failed`` otherwise."""
    previous = state.models.current
    try:
        new = state.models.reload()
    except ModelRefusedError as exc:
        log.error("model reload refused", extra={"key_id": principal.key_id, "reason": str(exc)})
        raise ApiError(
            503,
            "model_refused",
            f"The model was refused: {str(exc)[:400]}. The previous one still serves.",
        ) from None
    except ModelLoadError as exc:
        log.error("model reload failed", extra={"key_id": principal.key_id, "reason": str(exc)})
        raise ApiError(
            503, "reload_failed", "The model could not be loaded; the previous one still serves."
        ) from None
    set_model_info(previous, new)
    generation = state.models.generation
    try:
        generation = store.increment_setting(GENERATION_KEY, engine=state.engine)
        state.models.generation = generation
    except SQLAlchemyError as exc:
        log.warning(
            "reload not broadcast to other workers", extra={"error_type": type(exc).__name__}
        )
    log.info(
        "model reloaded",
        extra={"key_id": principal.key_id, "model_version": new.version},
    )
    return ReloadResponse(
        previous=None if previous is None else model_public(previous),
        current=model_public(new),
        generation=generation,
    )


def set_model_info(previous: LoadedModel | None, new: LoadedModel) -> None:
    """Point the model-info gauge at the new model."""
    gauge = get_metrics().model_info
    if previous is not None:
        gauge.labels(previous.name, previous.version).set(0)
    gauge.labels(new.name, new.version).set(1)
