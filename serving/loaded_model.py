"""What the service serves: a model ready to score (``LoadedModel``), what it must be
able to do (``Scorer``), and the error raised when one cannot be loaded.

These sit below both ways of getting a model (``model_store`` loads it from the registry
or its last-known-good copy, ``testing`` builds the deterministic stand-in), so neither
has to import the other to name it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from training.model.outputs import ScoreRecord

__all__ = ["LoadedModel", "ModelLoadError", "Scorer"]


@runtime_checkable
class Scorer(Protocol):
    """What the service needs of a model: scores for texts, one record per text, in order."""

    def score_records(
        self, texts: Sequence[str], sources: Sequence[str | None]
    ) -> list[ScoreRecord]: ...


@dataclass
class LoadedModel:
    """A model ready to serve, with what /v1/model tells about it."""

    name: str
    version: str
    run_id: str | None
    scorer: Scorer
    metrics: dict[str, float] = field(default_factory=dict)
    model_card_markdown: str | None = None
    fairness_summary: dict[str, Any] | None = None
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    #: ``registry``, or ``last_known_good`` when the registry failed and the local copy serves
    source: Literal["registry", "last_known_good", "injected"] = "registry"
    #: Why the registry was not used, when ``source`` is ``last_known_good``.
    fallback_reason: str | None = None
    #: The verified artifact behind ``scorer`` and its SHA-256, when known (the local copy).
    artifact_path: Path | None = field(default=None, repr=False)
    artifact_sha256: str | None = None


class ModelLoadError(RuntimeError):
    """The model could not be loaded; the message says why (never contains concern text)."""
