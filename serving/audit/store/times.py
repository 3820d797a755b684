"""Times read back from the audit database."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["aware"]


def aware(value: datetime) -> datetime:
    """SQLite gives naive datetimes back; every time stored here is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
