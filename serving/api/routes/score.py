"""Scoring: one contact or a batch of up to 1,000. Role: screener."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel

from serving.api.deps import Scoring, State
from serving.api.routes._responses import errors
from serving.errors import ApiError
from serving.schemas import BatchScoreRequest, BatchScoreResponse, ScoreRequest, ScoreResponse
from serving.scoring import model_public, score_and_audit

__all__ = ["router"]

router = APIRouter(prefix="/v1/score", tags=["score"])

# The CPU-bound model runs on the worker's scoring thread (one hop per request, FIFO) and
# the audit INSERT on the group-commit writer thread, so neither blocks the event loop.
# The response is serialised here, once, from models built from already-validated data:
# FastAPI's extra response validation cost a third of the request time. ``response_model``
# still documents the body in OpenAPI.


def _json(model: BaseModel) -> Response:
    return Response(
        content=model.__pydantic_serializer__.to_json(model), media_type="application/json"
    )


def _charge_batch(state: State, key_id: str, items: int) -> None:
    """Take the rest of a batch's tokens (its key check took one) or refuse it with 429,
    before any scoring is done."""
    limiter = state.rate_limiter
    if limiter is None or items <= 1:
        return
    wait = limiter.check(key_id, cost=items - 1, paid=1)
    if wait > 0:
        raise ApiError(
            429,
            "rate_limited",
            f"A batch of {items} contacts is over this key's rate limit, which counts "
            "contacts; retry after the Retry-After seconds, or send smaller batches.",
            headers={"Retry-After": limiter.retry_after(wait)},
        )


@router.post(
    "",
    response_model=ScoreResponse,
    summary="Score one contact (role: screener)",
    responses=errors(400, 401, 403, 413, 422, 503),
)
async def score_one(body: ScoreRequest, scoring: Scoring) -> Response:
    """The advisory score of one contact, audited before it is returned.

    The score supports, and never replaces, the screener's professional judgement.
    """
    [result] = await score_and_audit([body], scoring, batch=False)
    return _json(
        ScoreResponse.model_construct(
            **{k: getattr(result, k) for k in type(result).model_fields},
            model=model_public(scoring.model),
            advisory=ScoreResponse.model_fields["advisory"].default,
            request_id=scoring.request_id,
        )
    )


@router.post(
    "/batch",
    response_model=BatchScoreResponse,
    summary="Score up to 1,000 contacts (role: screener)",
    responses=errors(400, 401, 403, 413, 422, 503),
)
async def score_batch(body: BatchScoreRequest, scoring: Scoring, state: State) -> Response:
    """Scores in the order of ``items``, all audited in one transaction (all or none).

    The key's rate limit counts contacts: a batch costs one token per item. A batch
    larger than the per-minute limit is admitted when the key's bucket is full and puts
    it in debt, so the key's next requests wait until those contacts' time has passed.
    A refused batch (429) costs one token; ``Retry-After`` says when it would be admitted.
    """
    _charge_batch(state, scoring.principal.key_id, len(body.items))
    results = await score_and_audit(body.items, scoring, batch=True)
    return _json(
        BatchScoreResponse.model_construct(
            results=results,
            model=model_public(scoring.model),
            advisory=BatchScoreResponse.model_fields["advisory"].default,
            request_id=scoring.request_id,
        )
    )
