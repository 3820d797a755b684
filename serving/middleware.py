"""One pure-ASGI middleware for every request: request id, body limit, security headers,
access log and metrics, and a last-resort JSON 500 that reveals nothing.

Pure ASGI (not BaseHTTPMiddleware) because it runs on every score and must stay cheap.
It is the only place that sets security headers, on JSON answers, pages, static files and
the middleware's own 413 and 500 alike.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from serving.errors import BodyTooLarge, body_too_large_message, error_payload
from serving.logs import safe_exception
from serving.metrics import get_metrics

__all__ = [
    "CLIENT_REQUEST_ID_HEADER",
    "CSP",
    "DOCS_CSP",
    "SECURITY_HEADERS",
    "RequestContextMiddleware",
    "with_security_headers",
]

log = logging.getLogger("serving.access")
#: What a caller's own ``X-Request-ID`` may be to be kept (beside the server's id, never
#: as it): a short token that cannot forge a log line or a header.
_CLIENT_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")
CLIENT_REQUEST_ID_HEADER: Final = b"x-client-request-id"

#: Added to every response unless the route set its own: no MIME sniffing, no framing,
#: no referrer, and no caching of scores, concern text or audit pages by browsers or
#: proxies (static files included).
SECURITY_HEADERS: Final[tuple[tuple[bytes, bytes], ...]] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
)
_COOP: Final = (b"cross-origin-opener-policy", b"same-origin")
_CSP_HEADER: Final = b"content-security-policy"
#: JSON answers load nothing.
_JSON_CSP: Final = b"default-src 'none'; frame-ancestors 'none'"
#: Everything else (the screener pages, static files): scripts and styles come from
#: /static only, so no inline code can run even if escaping failed somewhere.
CSP: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: The API docs page (``serving.docs``) and its assets: scripts, styles, images and fonts
#: from this origin, and the API document fetched from it. Styles may also be inline
#: (Swagger UI sets element styles); no inline or foreign script.
DOCS_CSP: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def _is_docs_path(path: str) -> bool:
    return path == "/docs" or path.startswith("/docs/")


def with_security_headers(
    headers: list[tuple[bytes, bytes]], *, docs_page: bool = False
) -> list[tuple[bytes, bytes]]:
    """``headers`` plus the security headers the response did not set itself; the policy
    is the JSON one for JSON, the docs one on the API docs pages and their assets, the
    page one otherwise."""
    present = {k.lower() for k, _ in headers}
    extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
    has_csp = _CSP_HEADER in present
    content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
    is_json = content_type.startswith(b"application/json")
    if _COOP[0] not in present:
        extra.append(_COOP)
    if not has_csp:
        policy = _JSON_CSP if is_json else DOCS_CSP.encode() if docs_page else CSP.encode()
        extra.append((_CSP_HEADER, policy))
    return headers + extra


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value
    return None


def _client_request_id(scope: Scope) -> str | None:
    """The caller's own ``X-Request-ID`` when it is a short token (else None). It is the
    caller's to choose, so not unique and not the audit's: it is only kept beside the
    server's id, in the access log and the ``X-Client-Request-ID`` answer header."""
    incoming = _header(scope, b"x-request-id")
    if incoming is None:
        return None
    text = incoming.decode("latin-1")
    return text if _CLIENT_REQUEST_ID_RE.fullmatch(text) else None


def _declares_more_than(scope: Scope, limit: int) -> bool:
    length = _header(scope, b"content-length")
    if length is None:
        return False
    try:
        return int(length) > limit
    except ValueError:
        return False


async def _send_error(
    send: Send,
    status: int,
    code: str,
    message: str,
    request_id: str,
    ids: list[tuple[bytes, bytes]],
) -> None:
    body = json.dumps(error_payload(code, message, request_id=request_id)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": with_security_headers(
                [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *ids,
                ]
            ),
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestContextMiddleware:
    """Gives each request a fresh id of the server's (``X-Request-ID`` on the answer, the
    audit trail's ``request_id``; a caller's own id is kept beside it, as such), refuses
    bodies over ``max_body_bytes`` (by Content-Length, and by counting as it streams),
    adds the security headers, and logs one line per request."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = uuid.uuid4().hex
        client_id = _client_request_id(scope)
        state = scope.setdefault("state", {})
        state["request_id"], state["client_request_id"] = request_id, client_id
        ids = [(b"x-request-id", request_id.encode())]
        if client_id is not None:
            ids.append((CLIENT_REQUEST_ID_HEADER, client_id.encode()))
        if _declares_more_than(scope, self.max_body_bytes):
            await self._too_large(send, request_id, ids)
            status = 413
        else:
            status = await self._respond(scope, receive, send, request_id, ids)
        self._finish(scope, status, started, request_id, client_id)

    async def _respond(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        request_id: str,
        ids: list[tuple[bytes, bytes]],
    ) -> int:
        """Run the app with a counted body and headed responses; return the status sent."""
        limit = self.max_body_bytes
        docs_page = _is_docs_path(str(scope.get("path", "")))
        received = 0
        status = 500
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def headed_send(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                message["headers"] = with_security_headers(
                    list(message.get("headers", [])) + ids, docs_page=docs_page
                )
            await send(message)

        try:
            await self.app(scope, limited_receive, headed_send)
        except BodyTooLarge:
            if not started:
                await self._too_large(send, request_id, ids)
            return 413
        except Exception:
            # A genuine fault: answer with a bare JSON 500 and log the type and frames
            # only (messages can quote the input).
            log.error(
                "unhandled error",
                extra={"request_id": request_id, "reason": safe_exception(sys.exc_info())},  # type: ignore[arg-type]
            )
            if not started:
                message = "The server failed; nothing was scored."
                await _send_error(send, 500, "internal_error", message, request_id, ids)
            return 500
        return status

    async def _too_large(self, send: Send, request_id: str, ids: list[tuple[bytes, bytes]]) -> None:
        message = body_too_large_message(self.max_body_bytes)
        await _send_error(send, 413, "body_too_large", message, request_id, ids)

    @staticmethod
    def _finish(
        scope: Scope, status: int, started: float, request_id: str, client_id: str | None
    ) -> None:
        elapsed = time.perf_counter() - started
        route_obj = scope.get("route")
        route = getattr(route_obj, "path", None) or "unmatched"
        metrics = get_metrics()
        metrics.requests.labels(route, str(status)).inc()
        metrics.request_latency.labels(route).observe(elapsed)
        log.info(
            "request",
            extra={
                "request_id": request_id,
                "client_request_id": client_id,
                "method": scope.get("method"),
                "route": route,
                "status": status,
                "latency_ms": round(elapsed * 1000, 2),
            },
        )
