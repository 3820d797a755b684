"""Helpers for the browser tests: the live server they drive and where screenshots go."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

SCREENSHOTS = Path(__file__).resolve().parents[1] / "browser" / "screenshots"


@dataclass
class LiveServer:
    url: str
    engine: Engine
    keys: dict[str, str]
    key_ids: dict[str, str]
