"""The HTTP API: dependency aliases (``deps``) and one router per resource (``routes``)."""

from __future__ import annotations

__all__: list[str] = []
