"""The audit trail, read-only. Role: auditor (admin may read too)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import SQLAlchemyError

from serving.api.deps import AuditorKey, State
from serving.api.routes._responses import errors
from serving.audit import store
from serving.errors import ApiError
from serving.schemas import AuditEvent, AuditEventsResponse

__all__ = ["router"]

router = APIRouter(prefix="/v1/audit", tags=["audit"])

MAX_PAGE = 500
#: Event ids are 64-bit integers; a larger cursor is refused (422) rather than handed to
#: the database driver, which cannot bind it.
MAX_ID = 2**63 - 1


def _utc(value: datetime | None) -> datetime | None:
    """Stored times are UTC; compare in UTC (naive inputs are taken as UTC)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _event(event_type: str, row: dict[str, Any]) -> AuditEvent:
    created = row.pop("created_at")
    if event_type == "decision":
        row["decision"] = row.pop("outcome")
    return AuditEvent(type=event_type, time=_utc(created), **row)  # type: ignore[arg-type]


@router.get(
    "/events",
    response_model=AuditEventsResponse,
    summary="Audit events, filtered and paged (role: auditor or admin)",
    responses=errors(401, 403, 422, 503),
)
async def list_audit_events(
    _principal: AuditorKey,
    state: State,
    type: Annotated[
        Literal["score", "decision", "key", "model"],
        Query(description="Which events: scores, decisions, key management or promotions"),
    ] = "score",
    contact_id: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[datetime | None, Query(description="Inclusive, ISO-8601")] = None,
    until: Annotated[datetime | None, Query(description="Exclusive, ISO-8601")] = None,
    model_version: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    cursor: Annotated[
        int, Query(ge=0, le=MAX_ID, description="next_cursor of the previous page")
    ] = 0,
) -> AuditEventsResponse:
    """Score events (model, score, band, guidance level, whether practice and guidance
    differed, the floor that applied, keyed text hash), decisions (with the linked score's
    model version, score, band, level, differ flag and floor), key events or promotions.
    Never any concern text."""
    try:
        rows = await run_in_threadpool(
            lambda: store.list_events(
                engine=state.engine,
                event_type=type,
                after_id=cursor,
                limit=limit,
                contact_id=contact_id,
                since=_utc(since),
                until=_utc(until),
                model_version=model_version,
            )
        )
    except SQLAlchemyError:
        raise ApiError(503, "audit_unavailable", "The audit database is unavailable.") from None
    events = [_event(type, r) for r in rows]
    next_cursor = events[-1].id if len(events) == limit else None
    return AuditEventsResponse(events=events, next_cursor=next_cursor)
