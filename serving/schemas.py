"""Request and response bodies of the HTTP API. Requests forbid unknown fields; no
response ever carries concern text."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from training.data.contract import MAX_TEXT_CHARS, Outcome, Source
from training.model.outputs import ADVISORY_NOTICE

__all__ = [
    "ADVISORY_NOTICE",
    "MAX_BATCH_ITEMS",
    "AuditEvent",
    "AuditEventsResponse",
    "BatchScoreRequest",
    "BatchScoreResponse",
    "DecisionRequest",
    "DecisionResponse",
    "ErrorBody",
    "ErrorField",
    "ErrorResponse",
    "ExplanationPublic",
    "FloorPublic",
    "HealthResponse",
    "IndicatorPublic",
    "ModelPublic",
    "ModelResponse",
    "ReadyResponse",
    "ReloadResponse",
    "Role",
    "ScoreRequest",
    "ScoreResponse",
    "ScoredContact",
]

MAX_BATCH_ITEMS = 1_000
MAX_CONTACT_ID_CHARS = 200
MAX_NOTE_CHARS = 5_000

Role = Literal["screener", "auditor", "admin"]
Band = Literal["low", "medium", "high"]

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=False)


def _check_text(value: str) -> str:
    # Messages never quote the text: they go back to the caller and into nothing else.
    stripped = value.strip()
    if not stripped:
        raise ValueError("text is empty or only whitespace")
    if len(stripped) > MAX_TEXT_CHARS:
        raise ValueError(f"text is longer than {MAX_TEXT_CHARS} characters after trimming")
    return value


class ScoreRequest(BaseModel):
    """One contact to score. ``text`` is the concern as written (1 to 20,000 characters
    after trimming); spans in the response are offsets into it as sent."""

    model_config = _STRICT

    text: str = Field(description="The concern, free text. Never stored, logged or echoed.")
    source: Source | None = Field(default=None, description="Who raised the concern.")
    contact_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_CONTACT_ID_CHARS,
        description="The MASH's id for the contact; links a later decision to this score.",
    )

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        return _check_text(value)


class BatchScoreRequest(BaseModel):
    """Up to 1,000 contacts scored in one call and audited in one transaction."""

    model_config = _STRICT

    items: list[ScoreRequest] = Field(min_length=1, max_length=MAX_BATCH_ITEMS)


class ModelPublic(BaseModel):
    """Which model produced a score."""

    name: str
    version: str


class ExplanationPublic(BaseModel):
    """A phrase (model feature) and its contribution to the logit; > 0 raised the score."""

    feature: str
    weight: float
    spans: list[tuple[int, int]] = Field(description="[start, end) character offsets in text")


class IndicatorPublic(BaseModel):
    """A risk indicator found in the text; ``negated`` means it is *not* asserted."""

    label: str
    level: int
    span: tuple[int, int]
    negated: bool
    hedged: bool
    historical: bool
    third_party: bool


class FloorPublic(BaseModel):
    """A must-never-miss floor that applied: a rule of the published guidance beside the
    score, not part of it."""

    says: str = Field(
        description="What the floor is about, in the policy's words (e.g. 'injury or "
        "suspected injury to a baby not yet mobile'); policy text, never the concern's"
    )


class ScoredContact(BaseModel):
    """The score of one contact: calibrated probability, priority, band, and why; beside
    it, the guidance's view (level of need) and any must-never-miss floor."""

    score: float = Field(
        ge=0,
        le=1,
        description="Calibrated probability that a contact like this met the threshold for "
        "referral in past decisions (practice). A floor never changes it.",
    )
    priority: int = Field(
        ge=1,
        le=10,
        description="1 (lowest) to 10 (most urgent); at least the floor's priority when a "
        "floor applied",
    )
    band: Band = Field(
        description="low, medium or high; at least the floor's band when a floor applied"
    )
    level: int | None = Field(
        ge=1,
        le=4,
        description="Advisory: the level of need the published guidance puts a contact like "
        "this at (1 universal, 2 early help, 3 child in need, 4 protection), estimated by a "
        "model trained on a guidance corpus. The guidance's view, not past practice and not "
        "a decision. Null when the model has no level estimate.",
    )
    level_probabilities: list[Annotated[float, Field(ge=0, le=1)]] = Field(
        max_length=4,
        description="P(level = 1), ..., P(level = 4), summing to 1; empty when the model has "
        "no level estimate",
    )
    practice_and_guidance_differ: bool = Field(
        description="True when the score (past practice) and the level (the guidance) "
        "disagree beyond the model's configured margin: the screener should see that "
        "practice and guidance differ. Always false without a level estimate.",
    )
    floor: FloorPublic | None = Field(
        description="The must-never-miss floor that applied, if any: a rule beside the score "
        "that has put the band and priority at least at the floor's, whatever the score. "
        "Null when none applied.",
    )
    contact_id: str | None = None
    explanation: list[ExplanationPublic]
    indicators: list[IndicatorPublic]


class ScoreResponse(ScoredContact):
    """A scored contact, the model behind it and the advisory notice."""

    model: ModelPublic
    advisory: str = Field(default=ADVISORY_NOTICE)
    request_id: str


class BatchScoreResponse(BaseModel):
    """Scores in the order of the request's items."""

    results: list[ScoredContact]
    model: ModelPublic
    advisory: str = Field(default=ADVISORY_NOTICE)
    request_id: str


class DecisionRequest(BaseModel):
    """The screener's actual decision on a contact."""

    model_config = _STRICT

    decision: Outcome
    note: str | None = Field(
        default=None,
        max_length=MAX_NOTE_CHARS,
        description="Optional note; stored only redacted, and only when configured.",
    )


class DecisionResponse(BaseModel):
    """The decision as recorded, with the score event it answers (null when the contact
    was never scored through this service)."""

    id: int
    contact_id: str
    decision: Outcome
    recorded_at: datetime
    score_event_id: int | None
    request_id: str


class ModelResponse(BaseModel):
    """The model now serving: identity, training metrics, fairness summary, model card."""

    name: str
    version: str
    run_id: str | None
    loaded_at: datetime
    metrics: dict[str, float]
    fairness_summary: dict[str, Any] | None
    model_card: str | None = Field(description="Markdown; null until the model has one")
    source: Literal["registry", "last_known_good", "injected"] = Field(
        default="registry",
        description="last_known_good: the registry was unavailable and the service's local, "
        "digest-verified copy of the last model it loaded is serving",
    )
    fallback_reason: str | None = Field(
        default=None, description="Why the registry was not used (with last_known_good)"
    )
    advisory: str = Field(default=ADVISORY_NOTICE)


class AuditEvent(BaseModel):
    """One audit event. Fields that do not apply to the event's type are null. No text."""

    type: Literal["score", "decision", "key", "model"]
    id: int
    time: datetime
    key_id: str | None = None
    role: str | None = None
    request_id: str | None = None
    item_index: int | None = None
    contact_id: str | None = None
    model_name: str | None = None
    model_version: str | None = None
    score: float | None = None
    priority: int | None = None
    band: str | None = None
    source: str | None = None
    text_hmac: str | None = None
    decision: str | None = None
    score_event_id: int | None = None
    has_note: bool | None = None
    level: int | None = Field(
        default=None,
        description="score events (and a decision's linked score): the guidance level "
        "served; null for a model without a level estimate or a score recorded before levels",
    )
    practice_and_guidance_differ: bool | None = Field(
        default=None,
        description="score events (and a decision's linked score): whether practice and "
        "guidance differed (false without a level estimate); null for a score recorded "
        "before levels",
    )
    floor: str | None = Field(
        default=None,
        description="score events (and a decision's linked score): what the must-never-miss "
        "floor said when one applied (policy text, never concern text); else null",
    )
    event: str | None = Field(
        default=None,
        description="key events: created or revoked; model events: promoted, forced or refused",
    )
    actor: str | None = None
    previous_version: str | None = Field(default=None, description="model events: the champion before")
    reason: str | None = Field(default=None, description="model events: why a promotion was forced")
    failed_checks: str | None = Field(default=None, description="model events: the gate's failed checks")


class AuditEventsResponse(BaseModel):
    """One page of events; pass ``next_cursor`` as ``cursor`` for the next (null: done)."""

    events: list[AuditEvent]
    next_cursor: int | None


class ReloadResponse(BaseModel):
    """The model before and after a reload."""

    previous: ModelPublic | None
    current: ModelPublic
    generation: int


class HealthResponse(BaseModel):
    status: Literal["ok"]


class ReadyResponse(BaseModel):
    """Ready only when a model is loaded and the audit database can be written."""

    status: Literal["ready", "not ready"]
    reasons: list[str]
    model: ModelPublic | None
    warnings: list[str] = Field(
        default_factory=list,
        description="Ready, but worth knowing (e.g. serving the last-known-good model copy)",
    )


class ErrorField(BaseModel):
    """Where a request was wrong and how; never the submitted value."""

    loc: list[str | int]
    msg: str


class ErrorBody(BaseModel):
    code: str
    message: str
    fields: list[ErrorField] | None = None
    request_id: str | None = None


class ErrorResponse(BaseModel):
    """Every error: a stable ``code`` and a human message, never the submitted text."""

    error: ErrorBody
