"""The FastAPI application: ``create_app()`` builds it; its lifespan connects the audit
database, migrates it, and loads the model once, outside the request path.

``uvicorn --factory serving.main:create_app`` (what ``screener serve`` runs) calls
``create_app()`` in each worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from serving.api.deps import ServiceState
from serving.api.routes import admin, audit, check, decisions, health, score
from serving.api.routes import model as model_routes
from serving.api.routes.admin import GENERATION_KEY, set_model_info
from serving.audit import store
from serving.audit.db import make_engine
from serving.deployment import remove_database_secrets, resolve_secrets
from serving.docs import install_docs
from serving.errors import install_error_handlers
from serving.loaded_model import LoadedModel, ModelLoadError
from serving.middleware import RequestContextMiddleware
from serving.model_store import ModelStore, load_model
from serving.ratelimit import RateLimiter
from serving.scoring import AuditWriter, Redactor, load_redactor
from serving.security import KeyVerifier
from serving.settings import ServiceSettings, get_settings
from serving.web import check as check_page
from serving.web import routes as web
from training.model.outputs import ADVISORY_NOTICE

__all__ = ["create_app"]

log = logging.getLogger("serving")

DESCRIPTION = f"""
Advisory scores for child-protection contacts, for MASH screeners.

**{ADVISORY_NOTICE}**

Every score is written to the audit trail before it is returned; if the audit record
cannot be written the score is withheld (503). Concern text is never logged, stored
(only a keyed hash, and redacted text when configured) or echoed in errors.

### Practice and guidance

`score`, `priority` and `band` come from past practice (the decisions the model learned).
Beside them, `level` is the level of need the published guidance suggests (advisory; null
for a model without a level estimate), `practice_and_guidance_differ` says when the two
disagree, and `floor` names a must-never-miss floor that has put the band and priority at
least at its own: a rule beside the score, which it never changes.

### The referrer self-check

`POST /v1/check` (role referrer) answers which questions the MASH will ask that a draft
concern does not answer yet, the published guidance's examples it reads like (with their
levels of need), and always the safety line. It never gives a score and never advises
against a referral. Nothing typed is kept: the audit trail records counts, the missing
questions' ids and a keyed hash of the draft.

### Keys and roles

Send a key made by `screener keys create --role ROLE` in the `X-API-Key` header.
No key or an invalid/revoked key: **401**. A valid key of the wrong role: **403**.

| route | screener | auditor | admin |
|---|---|---|---|
| `POST /v1/score`, `POST /v1/score/batch` | yes | no | no |
| `POST /v1/contacts/{{contact_id}}/decision` | yes | no | no |
| `GET /v1/model` | yes | yes | yes |
| `GET /v1/audit/events` | no | yes | yes |
| `POST /v1/admin/reload` | no | no | yes |
| `GET /metrics` | no | no | yes |
| `GET /healthz`, `/readyz` | no key | no key | no key |

A fourth role, **referrer** (a teacher, police officer or health visitor outside the
MASH), may use `POST /v1/check` and the page at `/check`, and nothing else; no other role
may use them.

`/readyz` gives its reasons, model and warnings only to an admin key or a caller on the
service's own host (loopback), and `/metrics` needs no key from there; anyone else gets
the readiness status alone.

Key management (create, list, revoke) is the `screener keys` CLI on the server.

### Requests

Text is valid Unicode: a lone UTF-16 surrogate (`\\ud800`) or a NUL is refused (422),
as are control and bidirectional formatting characters in ids. The limits the service
applies (lengths, batch sizes, patterns, enums, ranges) are in the schema below.
Each answer's `X-Request-ID` is the service's own id for the request, as recorded in the
audit trail; a caller's own `X-Request-ID` (up to 64 of `A-Z a-z 0-9 . _ -`) is echoed
as `X-Client-Request-ID` and logged beside it.

### Errors

Every error is `{{"error": {{"code", "message", "fields"?, "request_id"}}}}`: 400
malformed JSON or non-UTF-8 body, 401, 403, 413 body over the limit, 422 schema
violations (locations and messages only, never values), 429 over the per-key rate limit
(which counts contacts: a batch spends one per item; `Retry-After` says when to retry),
503 no model or audit unavailable.
"""


def _resolve_redactor(settings: ServiceSettings) -> Redactor | None:
    if not settings.audit_store_redacted_text:
        return None
    try:
        return load_redactor()
    except ImportError as exc:
        # Fail closed: storing unredacted text is never an acceptable fallback.
        raise RuntimeError(
            "AUDIT_STORE_REDACTED_TEXT=true but training.text.redact is not available"
        ) from exc


async def _poll_reloads(state: ServiceState, every: float) -> None:
    """Follow reloads made through another worker: when the generation stored in the
    audit database moves past ours, load the champion too."""
    while True:
        await asyncio.sleep(every)
        try:
            raw = await run_in_threadpool(store.get_setting, GENERATION_KEY, engine=state.engine)
            generation = int(raw or 0)
            if generation > state.models.generation:
                previous = state.models.current
                new = await run_in_threadpool(state.models.reload)
                state.models.generation = generation
                set_model_info(previous, new)
                log.info(
                    "model reloaded after another worker's reload",
                    extra={"model_version": new.version},
                )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("reload poll failed", extra={"error_type": type(exc).__name__})


def _model_loader(
    cfg: ServiceSettings, loader: Callable[[], LoadedModel] | None
) -> Callable[[], LoadedModel]:
    """How this worker loads a model: ``loader`` when given, else ``cfg.model_uri``."""
    if loader is not None:
        return loader
    return lambda: load_model(
        cfg.model_uri,
        tracking_uri=cfg.mlflow_tracking_uri,
        cache_dir=Path(cfg.model_cache_dir) if cfg.model_cache_dir else None,
        fallback=cfg.model_fallback,
        registry_timeout_seconds=cfg.registry_timeout_seconds,
        registry_max_retries=cfg.registry_max_retries,
        require_signature=cfg.model_require_signature,
    )


async def _first_model(models: ModelStore, cfg: ServiceSettings, engine: Engine) -> None:
    """Load the model at start unless one was given; without one, start anyway (scoring
    answers 503) unless ``REQUIRE_MODEL`` is set. Then pick up the reload generation."""
    if models.current is None:
        try:
            await run_in_threadpool(models.reload)
        except ModelLoadError as exc:
            if cfg.require_model:
                raise
            log.error("no model loaded at start; scoring returns 503", extra={"reason": str(exc)})
    if models.current is not None:
        set_model_info(None, models.current)
    with contextlib.suppress(Exception):
        models.generation = int(store.get_setting(GENERATION_KEY, engine=engine) or 0)


async def _start(
    cfg: ServiceSettings, *, model: LoadedModel | None, loader: Callable[[], LoadedModel] | None
) -> ServiceState:
    """Read the deployment's key rings, connect and migrate the audit database (and remove
    the secrets earlier versions kept there), resolve the redactor, load the model, and
    start the audit writer: everything a worker holds between requests."""
    secrets = resolve_secrets(cfg)
    if cfg.auto_migrate:
        from serving.audit.migrations import upgrade_to_head

        # Not a request: workers starting together may wait for each other's migration
        # longer than a request would wait for the trail.
        migrator = make_engine(cfg.database_url, timeout=max(10.0, cfg.audit_timeout_seconds))
        try:
            await run_in_threadpool(upgrade_to_head, migrator)
            await run_in_threadpool(remove_database_secrets, secrets, engine=migrator)
        finally:
            migrator.dispose()
    engine = make_engine(cfg.database_url, timeout=cfg.audit_timeout_seconds)
    if not cfg.auto_migrate:
        await run_in_threadpool(remove_database_secrets, secrets, engine=engine)
    redactor = _resolve_redactor(cfg)
    models = ModelStore(_model_loader(cfg, loader), model=model)
    await _first_model(models, cfg, engine)
    state = ServiceState(
        settings=cfg,
        engine=engine,
        models=models,
        keys=KeyVerifier(engine=engine, ttl_seconds=cfg.key_cache_seconds),
        hash_key=secrets.audit_hash.current,
        redactor=redactor,
        audit_writer=AuditWriter(engine),
        session_keys=secrets.session,
        scoring_pool=(
            ThreadPoolExecutor(max_workers=cfg.scoring_threads, thread_name_prefix="score")
            if cfg.scoring_threads > 0
            else None
        ),
        rate_limiter=(
            RateLimiter(cfg.rate_limit_per_minute) if cfg.rate_limit_per_minute > 0 else None
        ),
    )
    state.audit_writer.start()
    return state


def _lifespan(
    settings: ServiceSettings | None,
    *,
    model: LoadedModel | None,
    loader: Callable[[], LoadedModel] | None,
) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    """The worker's start and stop, outside the request path; the state lives in
    ``app.state.screener`` between them (None before and after)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        cfg = settings or get_settings()
        state = app.state.screener = await _start(cfg, model=model, loader=loader)
        poller = None
        if cfg.reload_poll_seconds > 0:
            poller = asyncio.create_task(_poll_reloads(state, cfg.reload_poll_seconds))
        current = state.models.current
        log.info(
            "service started", extra={"model_version": None if current is None else current.version}
        )
        try:
            yield
        finally:
            if poller is not None:
                poller.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await poller
            if state.scoring_pool is not None:
                state.scoring_pool.shutdown(wait=True)
            state.audit_writer.stop()
            app.state.screener = None
            state.engine.dispose()

    return lifespan


def create_app(
    *,
    settings: ServiceSettings | None = None,
    model: LoadedModel | None = None,
    loader: Callable[[], LoadedModel] | None = None,
) -> FastAPI:
    """The API and the screener pages. ``model`` serves a given model instead of loading
    ``settings.model_uri``; ``loader`` replaces how ``/v1/admin/reload`` (and start-up)
    load a model."""
    cfg = settings or get_settings()
    app = FastAPI(
        title="concern-screener",
        version="1",
        summary="Advisory scores for child-protection contacts (never a decision).",
        description=DESCRIPTION,
        lifespan=_lifespan(settings, model=model, loader=loader),
        # FastAPI's own pages load their scripts from a CDN; serving.docs serves them here.
        docs_url=None,
        redoc_url=None,
    )
    if cfg.docs_enabled:
        install_docs(app)
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware, max_body_bytes=cfg.max_body_bytes)
    for router in (
        score.router,
        check.router,
        decisions.router,
        model_routes.router,
        audit.router,
        admin.router,
        health.router,
        web.router,
        check_page.router,
    ):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=web.STATIC_DIR), name="static")
    return app
