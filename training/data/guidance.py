"""The guidance corpus (``data/guidance/*.jsonl``): contacts written by hand and graded by
the published levels of need, read as training rows.

Each row keeps its ``level`` (1-4) and, for the candidates that learn from the outcome
scale, the contract outcome of that level (1 no further action, 2 early help, 3 referral,
4 child protection). ``data/guidance/README.md`` is its datasheet.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from training.data.contract import SOURCES

__all__ = ["OUTCOME_OF_LEVEL", "graded_lines", "guidance_dir", "read_guidance"]

#: The contract outcome each level of need stands for.
OUTCOME_OF_LEVEL: dict[int, str] = {1: "nfa", 2: "early_help", 3: "referral", 4: "child_protection"}


#: The columns of the frame ``read_guidance`` returns.
COLUMNS: tuple[str, ...] = (
    "contact_id", "concern", "source", "text", "level", "outcome", "indicators", "reason",
)  # fmt: skip


def guidance_dir() -> Path:
    """``data/guidance`` of the evaluation data folder (``EVALUATION_DATA_DIR``)."""
    from training.settings import get_settings

    return get_settings().data_dir() / "guidance"


def read_guidance(directory: Path | None = None) -> pd.DataFrame:
    """Every contact of the corpus as ``contact_id``, ``concern`` (the concern it tells:
    versions of one concern by different messengers share it; else its own id),
    ``source``, ``text``, ``level``, ``outcome``, ``indicators`` (a tuple of the indicator
    names the author gave it, without ``none``) and ``reason`` (the author's one line on
    why that level); an empty frame when the folder holds none."""
    folder = guidance_dir() if directory is None else Path(directory)
    rows: list[dict[str, object]] = []
    for _, raw, level in graded_lines(folder, "a guidance contact"):
        source = raw.get("source")
        rows.append(
            {
                "contact_id": str(raw["id"]),
                "concern": str(raw.get("concern") or raw["id"]),
                "source": source if source in SOURCES else None,
                "text": str(raw["text"]),
                "level": level,
                "outcome": OUTCOME_OF_LEVEL[level],
                "indicators": tuple(str(i) for i in raw.get("indicators", ()) if i != "none"),
                "reason": str(raw.get("reason", "")),
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def graded_lines(folder: Path, what: str) -> Iterator[tuple[str, dict[str, Any], int]]:
    """Each record of the ``*.jsonl`` files of ``folder`` (none when it is missing), in file
    and line order, as ``(place, record, level)`` with ``place`` as "file:line". A record
    without text or a level 1-4 is an error naming its place (``what`` names the record:
    "a guidance contact")."""
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            raw = json.loads(line)
            level = int(raw["level"])
            if level not in OUTCOME_OF_LEVEL or not str(raw.get("text", "")).strip():
                raise ValueError(f"{path.name}:{number}: {what} needs text and a level 1-4")
            yield f"{path.name}:{number}", raw, level
