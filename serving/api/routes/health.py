"""Liveness, readiness and metrics.

``/healthz`` and ``/readyz`` need no key, but only an admin key or a caller on this host
(loopback) is told why ``/readyz`` is not ready (reasons name the model URI, digests and
database errors); anyone else gets the status alone. ``/metrics`` (worker ids, the model
version, traffic by route) needs an admin key except from loopback. Behind a proxy on
the same host, uvicorn's trusted proxy headers must give the caller's own address, or
every caller looks local.
"""

from __future__ import annotations

import asyncio
import ipaddress
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from serving.api.deps import ApiKeyHeader, ServiceState, State, require_roles
from serving.api.routes._responses import errors
from serving.audit import store
from serving.errors import ApiError
from serving.metrics import CONTENT_TYPE_LATEST, render_metrics
from serving.schemas import HealthResponse, ReadyResponse
from serving.scoring import model_public

__all__ = ["router"]

router = APIRouter(tags=["health"])

_admin = require_roles("admin")
#: A key may be sent, but none is needed (``{}``: anonymous access is allowed too).
_OPTIONAL_KEY: dict[str, Any] = {"security": [{}]}


def _from_loopback(request: Request) -> bool:
    """The caller is on this host (127.0.0.0/8, ::1)."""
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name such as "testclient", or nothing
        return False


async def _sees_detail(request: Request, state: State, api_key: str | None) -> bool:
    """An admin key or a loopback caller; a missing, wrong or other role's key is no
    error here, it just sees the status alone."""
    if _from_loopback(request):
        return True
    if not api_key:
        return False
    try:
        await _admin(state, api_key)
    except ApiError:
        return False
    return True


#: /readyz waits this much longer than AUDIT_TIMEOUT_SECONDS for its probe, so that the
#: store's own timeout answers first and the reason names it.
_READY_GRACE_SECONDS = 0.25


async def _audit_problem(state: ServiceState) -> str | None:
    """None when the audit trail accepts a write now; else why not (an error type and
    when the last write failed, never a value). Bounded: the answer comes within
    ``AUDIT_TIMEOUT_SECONDS`` and a little more, even when the probe's thread is stuck.

    After a failed audit write (or probe), a rolled-back probe is not enough: ready again
    only once a write has been committed (``store.write_heartbeat``)."""
    health = state.audit_health
    must_commit = health.failed_at is not None

    def check() -> None:
        store.probe(engine=state.engine)
        if must_commit:
            store.write_heartbeat(engine=state.engine, at=datetime.now(UTC))

    timeout = state.settings.audit_timeout_seconds
    try:
        # An executor future, not run_in_threadpool: cancelling it does not wait for the
        # thread, so a stuck probe cannot hold /readyz.
        loop = asyncio.get_running_loop()
        await asyncio.wait_for(loop.run_in_executor(None, check), timeout + _READY_GRACE_SECONDS)
    except TimeoutError as exc:
        health.failed(exc)
        detail = f"no answer within {timeout:g} s"
    except Exception as exc:  # any failure of the probe means not ready
        health.failed(exc)
        detail = type(exc).__name__
    else:
        health.ok()
        return None
    if health.failed_at is not None:
        detail += f"; last audit write failed at {health.failed_at.isoformat()}"
    return detail


@router.get("/healthz", response_model=HealthResponse, summary="Liveness (no key)")
async def healthz() -> HealthResponse:
    """The process answers."""
    return HealthResponse(status="ok")


@router.get(
    "/readyz",
    response_model=ReadyResponse,
    summary="Readiness (no key): model loaded and audit database writable",
    responses={
        503: {
            "model": ReadyResponse,
            "description": "Not ready; reasons say why (admin key or loopback only)",
        }
    },
    openapi_extra=_OPTIONAL_KEY,
)
async def readyz(request: Request, state: State, api_key: ApiKeyHeader) -> JSONResponse:
    """200 only when a model is loaded and the audit database answers and accepts a
    (rolled back) write; otherwise 503. The reasons, model and warnings are given to an
    admin key or a loopback caller only; anyone else gets the status alone."""
    reasons: list[str] = []
    model = state.models.current
    if model is None:
        reasons.append("model not loaded")
        if state.models.last_error:
            # ModelLoadError messages name the URI and the cause (e.g. a digest mismatch),
            # never concern text; capped so a long MLflow message stays a reason.
            reasons.append(f"model load failed: {state.models.last_error[:300]}")
    audit_problem = await _audit_problem(state)
    if audit_problem is not None:
        reasons.append(f"audit database unavailable ({audit_problem})")
    warnings: list[str] = []
    if model is not None and model.source == "last_known_good":
        warnings.append(
            f"serving the last-known-good copy of version {model.version}: "
            f"{(model.fallback_reason or 'registry unavailable')[:300]}"
        )
    body = ReadyResponse(
        status="not ready" if reasons else "ready",
        reasons=reasons,
        model=None if model is None else model_public(model),
        warnings=warnings,
    )
    status_code = 503 if reasons else 200
    if not await _sees_detail(request, state, api_key):
        return JSONResponse({"status": body.status}, status_code=status_code)
    return JSONResponse(body.model_dump(mode="json"), status_code=status_code)


@router.get(
    "/metrics",
    summary="Prometheus metrics (role: admin, or no key from this host)",
    response_class=Response,
    responses={
        200: {
            "content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}},
            "description": "Prometheus text format",
        },
        **errors(401, 403),
    },
)
async def metrics(request: Request, state: State, api_key: ApiKeyHeader) -> Response:
    """Request counts and latencies by route, model latency, scores by band, audit
    failures and the model version, in Prometheus text format. A scraper on this host
    (loopback) needs no key; from elsewhere an admin key is required."""
    if not _from_loopback(request):
        await _admin(state, api_key)
    data = await run_in_threadpool(render_metrics)
    return Response(content=data, media_type=CONTENT_TYPE_LATEST)
