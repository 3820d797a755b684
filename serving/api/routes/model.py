"""The model now serving. Roles: screener, auditor, admin (a referrer key is refused)."""

from __future__ import annotations

from fastapi import APIRouter

from serving.api.deps import AnyKey, CurrentModel
from serving.api.routes._responses import errors
from serving.schemas import ModelResponse

__all__ = ["router"]

router = APIRouter(prefix="/v1/model", tags=["model"])


@router.get(
    "",
    response_model=ModelResponse,
    summary="Name, version, training metrics, fairness summary, model card "
    "(role: screener, auditor or admin)",
    responses=errors(401, 403, 503),
)
async def get_model_info(_principal: AnyKey, model: CurrentModel) -> ModelResponse:
    """What the service scores with; ``model_card`` is null until the model has one."""
    return ModelResponse(
        name=model.name,
        version=model.version,
        run_id=model.run_id,
        loaded_at=model.loaded_at,
        metrics=model.metrics,
        fairness_summary=model.fairness_summary,
        model_card=model.model_card_markdown,
        source=model.source,
        fallback_reason=model.fallback_reason,
    )
