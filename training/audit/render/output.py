"""Files and figures out: JSON artifacts, matplotlib figures as PNG bytes and data URIs.

Figures are object-oriented ``Figure`` objects: they need no pyplot state or global
backend switch, so they are thread-safe, cannot leak open figures, and leave a notebook
user's backend alone.
"""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["DPI", "data_uri", "new_figure", "png_bytes", "write_json"]

DPI: Final = 110


def new_figure(size: tuple[float, float]) -> Figure:
    """An empty figure of ``size`` inches with a constrained layout."""
    from matplotlib.figure import Figure

    return Figure(figsize=size, dpi=DPI, layout="constrained")


def png_bytes(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def data_uri(png: bytes) -> str:
    """A PNG as a ``data:`` URI, so that one HTML file holds its charts."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def write_json(path: Path, payload: Any) -> None:
    """Strict JSON (no NaN), indented, with a final newline."""
    path.write_text(json.dumps(payload, indent=2, allow_nan=False) + "\n", encoding="utf-8")
