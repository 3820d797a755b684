"""Helpers for the browser tests: the live server they drive and where screenshots go."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

SCREENSHOTS = Path(__file__).resolve().parents[1] / "browser" / "screenshots"


@dataclass
class LiveServer:
    url: str
    engine: Engine
    keys: dict[str, str]
    key_ids: dict[str, str]


def full_page_screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot of ``page`` in ``SCREENSHOTS/name`` (it must have content:
    more than 10 kB)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000, f"{name}: the screenshot is nearly empty"
    return path
