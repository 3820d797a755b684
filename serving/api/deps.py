"""What routes depend on, as ``Annotated`` aliases: the service state, the caller's key
and role, the current model, the request id, and a screener's scoring context.

Roles (also in the OpenAPI description):

| route | screener | auditor | admin |
|---|---|---|---|
| POST /v1/score, /v1/score/batch | yes | no | no |
| POST /v1/contacts/{id}/decision | yes | no | no |
| GET /v1/model | yes | yes | yes |
| GET /v1/audit/events | no | yes | yes |
| POST /v1/admin/reload | no | no | yes |

``POST /v1/check`` is the referrer's alone, and a referrer key opens nothing else.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader
from sqlalchemy import Engine

from serving.checking import CheckContext
from serving.errors import ApiError
from serving.loaded_model import LoadedModel
from serving.model_store import ModelStore
from serving.ratelimit import RateLimiter
from serving.scoring import AuditHealth, AuditWriter, Redactor, ScoringContext
from serving.security import KeyVerifier, Principal
from serving.settings import ServiceSettings
from training.secrets import KeyRing

__all__ = [
    "AdminKey",
    "AnyKey",
    "ApiKeyHeader",
    "AuditorKey",
    "CheckContext",
    "Checking",
    "CurrentModel",
    "ReferrerKey",
    "RequestId",
    "ScreenerKey",
    "Scoring",
    "ServiceState",
    "State",
    "get_state",
    "require_roles",
]


_T = TypeVar("_T")


@dataclass
class ServiceState:
    """Everything a worker holds between requests; built in the app's lifespan."""

    settings: ServiceSettings
    engine: Engine
    models: ModelStore
    keys: KeyVerifier
    #: the first key of the deployment's audit-hash ring: keys the hash of concern text
    hash_key: bytes
    redactor: Redactor | None
    audit_writer: AuditWriter
    #: the deployment's session ring: the first key signs page sessions, every one verifies
    session_keys: KeyRing
    audit_health: AuditHealth = field(default_factory=AuditHealth)
    #: Threads that run the model; None runs it on the event loop itself (see
    #: ``ServiceSettings.scoring_threads``).
    scoring_pool: ThreadPoolExecutor | None = None
    #: Per-key request limit; None when ``RATE_LIMIT_PER_MINUTE=0``.
    rate_limiter: RateLimiter | None = None

    async def run_scoring(self, fn: Callable[..., _T], /, *args: Any, **kwargs: Any) -> _T:
        """Run ``fn`` on the scoring threads (or inline) and await its result."""
        if self.scoring_pool is None:
            return fn(*args, **kwargs)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.scoring_pool, functools.partial(fn, *args, **kwargs))

    def scoring_context(
        self, *, model: LoadedModel, principal: Principal, request_id: str
    ) -> ScoringContext:
        """What scoring one request with ``model`` for ``principal`` needs from this worker."""
        return ScoringContext(
            model=model,
            principal=principal,
            request_id=request_id,
            hash_key=self.hash_key,
            redactor=self.redactor,
            health=self.audit_health,
            writer=self.audit_writer,
            timeout=self.settings.audit_timeout_seconds,
            run=self.run_scoring,
            past_contacts=self.settings.similar_past_contacts == "on",
        )

    def check_context(self, *, principal: Principal, request_id: str) -> CheckContext:
        """What a referrer's self-check needs from this worker (the model as it is now,
        None when none is loaded: the check then gives no examples)."""
        return CheckContext(
            model=self.models.current,
            principal=principal,
            request_id=request_id,
            hash_key=self.hash_key,
            engine=self.engine,
            health=self.audit_health,
            run=self.run_scoring,
        )


async def get_state(request: Request) -> ServiceState:
    state = getattr(request.app.state, "screener", None)
    if state is None:
        raise ApiError(503, "starting", "The service is starting; try again shortly.")
    return state


State = Annotated[ServiceState, Depends(get_state)]

_api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="An API key made by `screener keys create --role ROLE`.",
)
#: The ``X-API-Key`` header as sent (None without one), for routes where a key is optional.
ApiKeyHeader = Annotated[str | None, Depends(_api_key_header)]


def require_roles(*roles: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting keys with one of ``roles``: 401 without a valid key, 403
    with a valid key of another role, 429 when the key is over its rate limit."""

    async def dependency(
        state: State, api_key: Annotated[str | None, Depends(_api_key_header)]
    ) -> Principal:
        if not api_key:
            raise ApiError(
                401,
                "unauthorized",
                "An API key is required in the X-API-Key header.",
                headers={"WWW-Authenticate": "APIKey"},
            )
        principal = state.keys.cached(api_key)
        if principal is None:
            principal = await run_in_threadpool(state.keys.verify, api_key)
        if principal is None:
            raise ApiError(
                401,
                "unauthorized",
                "The API key is not valid or has been revoked.",
                headers={"WWW-Authenticate": "APIKey"},
            )
        if principal.role not in roles:
            raise ApiError(403, "forbidden", f"This route needs the role {' or '.join(roles)}.")
        limiter = state.rate_limiter
        if limiter is not None:
            wait = limiter.check(principal.key_id)
            if wait > 0:
                raise ApiError(
                    429,
                    "rate_limited",
                    "Too many requests with this API key; retry after the Retry-After seconds.",
                    headers={"Retry-After": limiter.retry_after(wait)},
                )
        return principal

    return dependency


ScreenerKey = Annotated[Principal, Depends(require_roles("screener"))]
AuditorKey = Annotated[Principal, Depends(require_roles("auditor", "admin"))]
AdminKey = Annotated[Principal, Depends(require_roles("admin"))]
AnyKey = Annotated[Principal, Depends(require_roles("screener", "auditor", "admin"))]
#: A referrer (a professional outside the MASH): the self-check and nothing else.
ReferrerKey = Annotated[Principal, Depends(require_roles("referrer"))]


async def get_model(state: State) -> LoadedModel:
    """The model for this request, read once: a reload meanwhile does not change it."""
    model = state.models.current
    if model is None:
        raise ApiError(503, "no_model", "No model is loaded; scoring is unavailable.")
    return model


CurrentModel = Annotated[LoadedModel, Depends(get_model)]


async def get_request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "")) or "unknown"


RequestId = Annotated[str, Depends(get_request_id)]


async def get_scoring(
    principal: ScreenerKey, model: CurrentModel, state: State, request_id: RequestId
) -> ScoringContext:
    """A screener's scoring context: the key is checked (and rate limited) before the
    model is read, as on every scoring route."""
    return state.scoring_context(model=model, principal=principal, request_id=request_id)


Scoring = Annotated[ScoringContext, Depends(get_scoring)]


async def get_checking(principal: ReferrerKey, state: State, request_id: RequestId) -> CheckContext:
    """A referrer's self-check context: the key is checked (and rate limited) first."""
    return state.check_context(principal=principal, request_id=request_id)


Checking = Annotated[CheckContext, Depends(get_checking)]
