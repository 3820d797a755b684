"""Every error as ``{"error": {"code", "message", "fields"?, "request_id"}}``.

FastAPI's default 422 body echoes the submitted input (concern text); the handler here
replaces it with locations and messages only. Malformed JSON and undecodable bodies are
400s; a body over the limit is 413.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = [
    "ApiError",
    "BodyTooLarge",
    "body_too_large_message",
    "error_payload",
    "install_error_handlers",
]

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(Exception):
    """An error with a status, a stable code and a message safe to show anyone."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.headers = headers


def body_too_large_message(limit: int) -> str:
    """The message of every 413, wherever the limit is found to be passed."""
    return f"The request body is larger than {limit} bytes."


class BodyTooLarge(StarletteHTTPException):
    """Raised while reading a body past the limit. An HTTPException so that FastAPI's body
    parser re-raises it instead of turning it into a generic 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, body_too_large_message(limit))


def error_payload(
    code: str,
    message: str,
    *,
    request_id: str | None = None,
    fields: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields is not None:
        body["fields"] = fields
    if request_id is not None:
        body["request_id"] = request_id
    return {"error": body}


def _request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def _safe_loc(loc: tuple[Any, ...]) -> list[str | int]:
    # Locations are field names and indexes; cap their length in case a caller used a
    # long string as a key.
    return [p if isinstance(p, int) else str(p)[:64] for p in loc]


#: pydantic's message for a pattern quotes the pattern; the patterns of this API (ids and
#: filters, ``serving.schemas``) all refuse the same kinds of character.
_PATTERN_MESSAGE = (
    "holds a character not allowed here: a control character (NUL included) or a "
    "bidirectional formatting character"
)


def _message(error: Any) -> str:
    if error.get("type") == "string_pattern_mismatch":
        return _PATTERN_MESSAGE
    return str(error.get("msg", ""))


async def _validation_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return JSONResponse(
            error_payload(
                "malformed_json", "The body is not valid JSON.", request_id=_request_id(request)
            ),
            status_code=400,
        )
    fields = [{"loc": _safe_loc(tuple(e.get("loc", ()))), "msg": _message(e)} for e in errors]
    return JSONResponse(
        error_payload(
            "invalid_request",
            "The request does not match the schema; see fields.",
            request_id=_request_id(request),
            fields=fields,
        ),
        status_code=422,
    )


async def _http_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if status == 400:
        message = "The body could not be read as UTF-8 JSON."
        code = "malformed_body"
    elif status == 413:
        message, code = str(exc.detail), "body_too_large"
    else:
        message = str(exc.detail) if isinstance(exc.detail, str) else "Request failed."
        code = _CODES.get(status, "error")
    return JSONResponse(
        error_payload(code, message, request_id=_request_id(request)),
        status_code=status,
        headers=getattr(exc, "headers", None),
    )


async def _api_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(
        error_payload(exc.code, exc.message, request_id=_request_id(request)),
        status_code=exc.status_code,
        headers=exc.headers,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on ``app``."""
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)
    app.add_exception_handler(ApiError, _api_handler)
