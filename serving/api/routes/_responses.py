"""OpenAPI descriptions of the error responses, shared by the routers."""

from __future__ import annotations

from typing import Any

from serving.schemas import ErrorResponse

__all__ = ["errors"]

_TEXT = {
    400: "Malformed JSON or a body that is not UTF-8.",
    401: "No API key, or the key is not valid or revoked.",
    403: "The key's role may not use this route.",
    413: "The body is larger than the limit (4 MB by default).",
    422: "The body does not match the schema; `fields` says where (never the values).",
    429: "Over this key's rate limit (`RATE_LIMIT_PER_MINUTE` contacts a minute: a request "
    "counts one, a batch one per item); `Retry-After` says when, in seconds.",
    503: "No model loaded, or the audit record could not be written (fail closed).",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: each status with the error body model. Routes that take
    a key (401) can also answer 429 (the per-key rate limit)."""
    if 401 in codes and 429 not in codes:
        codes = (*codes, 429)
    return {c: {"model": ErrorResponse, "description": _TEXT[c]} for c in codes}
