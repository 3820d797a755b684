"""Liveness, readiness and metrics. No key needed."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from serving.api.deps import State
from serving.audit import store
from serving.metrics import CONTENT_TYPE_LATEST, render_metrics
from serving.schemas import HealthResponse, ReadyResponse
from serving.scoring import model_public

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthResponse, summary="Liveness (no key)")
async def healthz() -> HealthResponse:
    """The process answers."""
    return HealthResponse(status="ok")


@router.get(
    "/readyz",
    response_model=ReadyResponse,
    summary="Readiness (no key): model loaded and audit database writable",
    responses={503: {"model": ReadyResponse, "description": "Not ready; reasons say why"}},
)
async def readyz(state: State) -> JSONResponse:
    """200 only when a model is loaded and the audit database answers and accepts a
    (rolled back) write; otherwise 503 with the reasons."""
    reasons: list[str] = []
    model = state.models.current
    if model is None:
        reasons.append("model not loaded")
        if state.models.last_error:
            # ModelLoadError messages name the URI and the cause (e.g. a digest mismatch),
            # never concern text; capped so a long MLflow message stays a reason.
            reasons.append(f"model load failed: {state.models.last_error[:300]}")
    try:
        await run_in_threadpool(store.probe, engine=state.engine)
        state.audit_health.ok()
    except Exception as exc:  # any failure of the probe means not ready
        detail = type(exc).__name__
        health = state.audit_health
        if health.failed_at is not None:
            detail += f"; last audit write failed at {health.failed_at.isoformat()}"
        reasons.append(f"audit database unavailable ({detail})")
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
    return JSONResponse(body.model_dump(mode="json"), status_code=503 if reasons else 200)


@router.get("/metrics", summary="Prometheus metrics (no key)", response_class=Response)
async def metrics() -> Response:
    """Request counts and latencies by route, model latency, scores by band, audit
    failures and the model version, in Prometheus text format."""
    data = await run_in_threadpool(render_metrics)
    return Response(content=data, media_type=CONTENT_TYPE_LATEST)
