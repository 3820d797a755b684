"""Structured JSON logs. Records carry request id, route, status and latency, never bodies;
tracebacks are reduced to the exception type and the frames, because exception messages can
quote the data that caused them."""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

__all__ = ["JsonFormatter", "log_config", "safe_exception"]

#: Extra record attributes copied into the JSON line.
_FIELDS = (
    "request_id",
    "client_request_id",
    "method",
    "route",
    "status",
    "latency_ms",
    "key_id",
    "role",
    "model_version",
    "items",
    "reason",
    "error_type",
    "artifact",
)

_ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def safe_exception(exc_info: _ExcInfo | tuple[None, None, None]) -> str:
    """The exception's type and stack frames, without its message."""
    etype, _value, tb = exc_info
    if etype is None:
        return ""
    # File, line and function only: neither the message nor the source line.
    frames = "".join(
        f'  File "{f.filename}", line {f.lineno}, in {f.name}\n'
        for f in (traceback.extract_tb(tb) if tb else [])
    )
    return f"{etype.__module__}.{etype.__qualname__} (message withheld)\n{frames}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and known extras."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                out[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            out["exception"] = safe_exception(record.exc_info)  # type: ignore[arg-type]
        return json.dumps(out, default=str)


def log_config(level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the service and uvicorn: JSON to stderr.

    Uvicorn's access log is off: the service logs each request itself, with its route
    template rather than the raw path.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "serving.logs.JsonFormatter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "serving": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }
