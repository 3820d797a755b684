"""What a scored contact looks like: the model's output, shared by the pyfunc and the service.

The pyfunc returns one row per contact with these fields; the service turns them into its
response models. Spans are character offsets into the original text the caller sent.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = [
    "ADVISORY_NOTICE",
    "SIMILAR_NOTICE",
    "Band",
    "ExplanationPhrase",
    "IndicatorOut",
    "ScoreRecord",
    "SimilarCase",
]

Band = Literal["low", "medium", "high"]

ADVISORY_NOTICE = (
    "Advisory only: this score supports, and never replaces, the screener's professional "
    "judgement. It estimates how likely a contact like this met the threshold for referral "
    "in past decisions; it does not decide anything about a child or family."
)


@dataclass(frozen=True, slots=True)
class ExplanationPhrase:
    """One feature's contribution to the logit. ``weight`` > 0 raised the score.

    ``feature`` is the model's name for it (e.g. ``word:bruise``, ``neg:mark``,
    ``indicator:domestic_abuse_child_present``); ``spans`` are where it occurs in the text.
    """

    feature: str
    weight: float
    spans: tuple[tuple[int, int], ...]

    def as_row(self) -> dict[str, Any]:
        """The phrase as the pyfunc's output and batch scoring's output hold it."""
        return {
            "feature": self.feature,
            "weight": self.weight,
            "spans": [list(s) for s in self.spans],
        }


@dataclass(frozen=True, slots=True)
class IndicatorOut:
    """A risk indicator found in the text, with its flags (negated means *not* asserted)."""

    label: str
    level: int
    start: int
    end: int
    negated: bool
    hedged: bool
    historical: bool
    third_party: bool

    def as_row(self) -> dict[str, Any]:
        """The indicator as the pyfunc's output and batch scoring's output hold it."""
        return {
            "label": self.label,
            "level": self.level,
            "start": self.start,
            "end": self.end,
            "negated": self.negated,
            "hedged": self.hedged,
            "historical": self.historical,
            "third_party": self.third_party,
        }


SIMILAR_NOTICE = (
    "Advisory context: examples that read alike, for comparison. Their levels and outcomes "
    "belong to them, not to this contact."
)


@dataclass(frozen=True, slots=True)
class SimilarCase:
    """An example that reads like the contact scored, shown beside its score for comparison.

    ``kind`` is ``guidance`` (a contact of the guidance corpus, written by hand and graded
    by the published guidance) or ``past_contact`` (a contact of the training export, where
    the deployment indexes them). ``id`` names the example in the model version's index:
    the corpus id (``g2-0107``) or ``past-`` and 12 hex digits of the SHA-256 of its
    redacted text, never the export's contact id. ``similarity`` is the cosine of the two
    contacts' vectors (1 the same direction). ``reason`` is one line derived from what the
    two share (indicators, then word n-grams of the model's vocabulary with no name-like
    word), never free text of the concern.

    Guidance examples carry ``level`` (1-4), ``indicators`` (the corpus record's) and
    ``level_reason`` (its author's line on why that level); past contacts carry ``text``
    (redacted), ``outcome`` (the decision recorded), ``date_band`` ("2024 Q3") and the
    indicators the text pipeline found asserted in them.
    """

    kind: Literal["guidance", "past_contact"]
    id: str
    similarity: float
    reason: str
    indicators: tuple[str, ...] = ()
    level: int | None = None
    level_reason: str = ""
    text: str = ""
    outcome: str | None = None
    date_band: str = ""


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    """The score of one contact: calibrated probability, 1-10 priority, band, and why."""

    score: float
    priority: int
    band: Band
    explanation: tuple[ExplanationPhrase, ...] = field(default_factory=tuple)
    indicators: tuple[IndicatorOut, ...] = field(default_factory=tuple)
    #: The intercept plus all contributions equals this logit (exact for linear models).
    logit: float | None = None
    #: The level of need the published guidance puts a contact like this at (1-4), and the
    #: probability of each level; None and () for a model without a level estimate.
    level: int | None = None
    level_probabilities: tuple[float, ...] = ()
    #: True when the score (practice) and the level (guidance) disagree beyond a margin.
    differs: bool = False
    #: What a must-never-miss floor says ("injury or suspected injury to a baby not yet
    #: mobile") when one put a floor under the band and priority; else None.
    floor: str | None = None
    #: The nearest examples of the model version's index (guidance first, then past
    #: contacts); () for a model without an index or when not asked for.
    similar: tuple[SimilarCase, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
