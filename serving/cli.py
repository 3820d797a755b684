"""The ``screener`` root command: the training verbs plus ``keys`` and ``serve``."""

from __future__ import annotations

from training.cli import app

__all__ = ["app"]
