"""The audit trail, read-only. Role: auditor (admin may read too)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BeforeValidator
from sqlalchemy.exc import SQLAlchemyError

from serving.api.deps import AuditorKey, State
from serving.api.routes._responses import errors
from serving.audit import store
from serving.errors import ApiError
from serving.schemas import ID_PATTERN, MAX_CONTACT_ID_CHARS, AuditEvent, AuditEventsResponse

__all__ = ["router"]

router = APIRouter(prefix="/v1/audit", tags=["audit"])

MAX_PAGE = 500
#: Event ids are 64-bit integers; a larger cursor is refused (422) rather than handed to
#: the database driver, which cannot bind it.
MAX_ID = 2**63 - 1


#: A date-time as ISO 8601 text. pydantic would also take a number as seconds since 1970
#: (``until=0.5``), which the schema's ``format: date-time`` does not allow.
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_text(value: Any) -> Any:
    if isinstance(value, str) and _ISO_DATE.match(value) is None:
        raise ValueError("expected an ISO 8601 date-time, e.g. 2025-01-31T09:00:00Z")
    return value


Instant = Annotated[datetime | None, BeforeValidator(_iso_text)]


def _utc(value: datetime | None) -> datetime | None:
    """Stored times are UTC; compare in UTC (naive inputs are taken as UTC). A time whose
    UTC form falls outside years 1-9999 (9999-12-31T23:00-14:00) is clamped to the end
    it passed, which matches the same events, instead of overflowing into a 500."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        edge = datetime.max if value.year == datetime.max.year else datetime.min
        return edge.replace(tzinfo=UTC)


def _event(event_type: str, row: dict[str, Any]) -> AuditEvent:
    created = row.pop("created_at")
    if event_type == "decision":
        row["decision"] = row.pop("outcome")
    if event_type == "check":
        ids = row.pop("missing_questions")
        row["missing_questions"] = ids.split(",") if ids else []
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
        Literal["score", "decision", "key", "model", "check"],
        Query(
            description="Which events: scores, decisions, key management, promotions or "
            "referrer self-checks"
        ),
    ] = "score",
    contact_id: Annotated[
        str | None, Query(min_length=1, max_length=MAX_CONTACT_ID_CHARS, pattern=ID_PATTERN)
    ] = None,
    since: Annotated[Instant, Query(description="Inclusive, ISO-8601 (no offset: UTC)")] = None,
    until: Annotated[Instant, Query(description="Exclusive, ISO-8601 (no offset: UTC)")] = None,
    model_version: Annotated[
        str | None, Query(min_length=1, max_length=64, pattern=ID_PATTERN)
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    cursor: Annotated[
        int, Query(ge=0, le=MAX_ID, description="next_cursor of the previous page")
    ] = 0,
) -> AuditEventsResponse:
    """Score events (model, score, band, guidance level, whether practice and guidance
    differed, the floor that applied, keyed text hash), decisions (with the linked score's
    model version, score, band, level, differ flag and floor), key events, promotions or
    referrer self-checks (counts, missing question ids, keyed text hash). Never any
    concern text."""
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
