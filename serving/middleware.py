"""One pure-ASGI middleware for every request: request id, body limit, access log and
metrics, and a last-resort JSON 500 that reveals nothing.

Pure ASGI (not BaseHTTPMiddleware) because it runs on every score and must stay cheap.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from serving.errors import BodyTooLarge, error_payload
from serving.logs import safe_exception
from serving.metrics import get_metrics

__all__ = ["RequestContextMiddleware"]

log = logging.getLogger("serving.access")
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

#: Added to every response unless the route set its own: no MIME sniffing, no framing,
#: no referrer, and no caching of scores or audit pages by browsers or proxies.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
)
#: For JSON answers only (an HTML page sets its own policy).
_JSON_CSP = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")


def _with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    present = {k.lower() for k, _ in headers}
    extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
    content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
    if content_type.startswith(b"application/json") and _JSON_CSP[0] not in present:
        extra.append(_JSON_CSP)
    return headers + extra


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value
    return None


async def _send_json(send: Send, status: int, payload: dict[str, Any], request_id: str) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": _with_security_headers(
                [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"x-request-id", request_id.encode()),
                ]
            ),
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestContextMiddleware:
    """Gives each request an id (``X-Request-ID``, taken from the caller when it is a
    short token), refuses bodies over ``max_body_bytes`` (by Content-Length, and by
    counting as it streams), and logs one line per request."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        incoming = _header(scope, b"x-request-id")
        request_id = (
            incoming.decode("latin-1")
            if incoming and _REQUEST_ID_RE.match(incoming.decode("latin-1"))
            else uuid.uuid4().hex
        )
        scope.setdefault("state", {})["request_id"] = request_id
        status_holder = {"status": 500, "started": False}
        limit = self.max_body_bytes

        length = _header(scope, b"content-length")
        if length is not None:
            try:
                too_big = int(length) > limit
            except ValueError:
                too_big = False
            if too_big:
                await _send_json(
                    send,
                    413,
                    error_payload(
                        "body_too_large",
                        f"The request body is larger than {limit} bytes.",
                        request_id=request_id,
                    ),
                    request_id,
                )
                self._finish(scope, 413, started, request_id)
                return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                message.setdefault("headers", [])
                message["headers"] = _with_security_headers(
                    list(message["headers"]) + [(b"x-request-id", request_id.encode())]
                )
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not status_holder["started"]:
                await _send_json(
                    send,
                    413,
                    error_payload(
                        "body_too_large",
                        f"The request body is larger than {limit} bytes.",
                        request_id=request_id,
                    ),
                    request_id,
                )
            status_holder["status"] = 413
        except Exception:
            # A genuine fault: answer with a bare JSON 500 and log the type and frames
            # only (messages can quote the input).
            log.error(
                "unhandled error",
                extra={"request_id": request_id, "reason": safe_exception(sys.exc_info())},  # type: ignore[arg-type]
            )
            if not status_holder["started"]:
                await _send_json(
                    send,
                    500,
                    error_payload(
                        "internal_error",
                        "The server failed; nothing was scored.",
                        request_id=request_id,
                    ),
                    request_id,
                )
            status_holder["status"] = 500
        self._finish(scope, int(status_holder["status"]), started, request_id)

    @staticmethod
    def _finish(scope: Scope, status: int, started: float, request_id: str) -> None:
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
                "method": scope.get("method"),
                "route": route,
                "status": status,
                "latency_ms": round(elapsed * 1000, 2),
            },
        )
