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
from typing import Any, Literal, Protocol, runtime_checkable

from training.model.outputs import ScoreRecord
from training.model.signing import Verification

__all__ = ["LoadedModel", "ModelLoadError", "ModelRefusedError", "Scorer"]


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
    #: What vouched for the model's files before anything was unpickled (the signature
    #: and manifest on its registry version); None for fake and injected models.
    verification: Verification | None = field(default=None, repr=False)


class ModelLoadError(RuntimeError):
    """The model could not be loaded; the message says why (never contains concern text)."""


class ModelRefusedError(ModelLoadError):
    """The registry gave a model that failed verification (its signature, or a file that
    differs from the signed manifest): refused before anything was unpickled, and never
    papered over by the last-known-good copy."""
