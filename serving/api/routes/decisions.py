"""Screener decisions on contacts. Role: screener."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import SQLAlchemyError

from serving.api.deps import RequestId, ScreenerKey, State
from serving.api.routes._responses import errors
from serving.audit import store
from serving.errors import ApiError
from serving.schemas import ID_PATTERN, MAX_CONTACT_ID_CHARS, DecisionRequest, DecisionResponse

__all__ = ["router"]

router = APIRouter(prefix="/v1/contacts", tags=["decisions"])


@router.post(
    "/{contact_id}/decision",
    response_model=DecisionResponse,
    status_code=201,
    summary="Record the screener's decision on a contact (role: screener)",
    responses=errors(400, 401, 403, 413, 422, 503),
)
async def record_decision(
    contact_id: Annotated[
        str, Path(min_length=1, max_length=MAX_CONTACT_ID_CHARS, pattern=ID_PATTERN)
    ],
    body: DecisionRequest,
    principal: ScreenerKey,
    state: State,
    request_id: RequestId,
) -> DecisionResponse:
    """Store the decision, linked to the latest score of this contact (null when the
    contact was never scored here). The note is kept only redacted, and only when the
    service stores redacted text."""
    note = None
    if body.note and body.note.strip() and state.redactor is not None:
        note = state.redactor(body.note)
    try:
        row = await run_in_threadpool(
            lambda: store.insert_decision(
                engine=state.engine,
                request_id=request_id,
                created_at=datetime.now(UTC),
                contact_id=contact_id,
                outcome=body.decision,
                key_id=principal.key_id,
                role=principal.role,
                note_redacted=note,
            )
        )
    except SQLAlchemyError as exc:
        state.audit_health.failed(exc)
        raise ApiError(
            503, "audit_unavailable", "The decision could not be recorded. Try again later."
        ) from None
    state.audit_health.ok()
    return DecisionResponse(
        id=row.id,
        contact_id=row.contact_id,
        decision=body.decision,
        recorded_at=row.created_at,
        score_event_id=row.score_event_id,
        request_id=row.request_id,
    )
