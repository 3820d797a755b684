"""Request and response bodies of the HTTP API. Requests forbid unknown fields; no
response ever carries the concern text sent (a past contact shown as a similar case, where
the deployment allows it, is the redacted text of an earlier contact, never the one scored)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from training.data.contract import MAX_TEXT_CHARS, Outcome, Source
from training.model.outputs import ADVISORY_NOTICE

__all__ = [
    "ADVISORY_NOTICE",
    "ID_PATTERN",
    "MAX_BATCH_ITEMS",
    "MAX_CONTACT_ID_CHARS",
    "MAX_NOTE_CHARS",
    "TEXT_PATTERN",
    "AuditEvent",
    "AuditEventsResponse",
    "BatchScoreRequest",
    "BatchScoreResponse",
    "CheckRequest",
    "CheckResponse",
    "ContactId",
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
    "MissingQuestion",
    "ModelResponse",
    "ReadyResponse",
    "ReloadResponse",
    "ResemblingExample",
    "Role",
    "ScoreRequest",
    "ScoreResponse",
    "ScoredContact",
    "SIMILAR_HEADING",
    "SimilarExamplePublic",
    "is_valid_id",
    "unencodable",
]

MAX_BATCH_ITEMS = 1_000
MAX_CONTACT_ID_CHARS = 200
MAX_NOTE_CHARS = 5_000

Role = Literal["screener", "auditor", "admin", "referrer"]
#: How the similar examples are labelled wherever they are shown (API and page).
SIMILAR_HEADING: Final = "Similar examples (context, not a decision)"
Band = Literal["low", "medium", "high"]

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=False)

# What the API accepts in a string is stated in OpenAPI as patterns, spelled with \uXXXX
# escapes only, so that they mean the same to Python's re, ECMA-262 and Rust's regex (what
# clients and schemathesis check with); the validators below apply exactly these rules,
# with messages that name the field and never quote it.

#: Whitespace as ``str.isspace()`` and ``str.strip()`` see it.
_WHITESPACE: Final = (
    r"\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f"
    r"\u205f\u3000"
)
#: Concern text: no NUL (PostgreSQL cannot store it, and it is no part of any concern)
#: and at least one character that is not whitespace.
TEXT_PATTERN: Final = rf"^[^\u0000]*[^\u0000{_WHITESPACE}][^\u0000]*$"
#: Free text beside a decision: anything but NUL (refused before this is checked).
NOTE_PATTERN: Final = r"^[^\u0000]*$"
#: Identifiers (contact ids, model versions): no control characters (C0, DEL, C1) and no
#: bidirectional formatting characters, which would reorder the id wherever it is shown.
ID_PATTERN: Final = r"^[^\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+$"
#: TEXT_PATTERN for a string already known to hold no NUL, in linear time (the pattern
#: itself backtracks quadratically on Python's re around a NUL).
_NOT_BLANK_RE: Final = re.compile(f"[^{_WHITESPACE}]")
_ID_RE: Final = re.compile(ID_PATTERN)
#: A UTF-16 surrogate on its own: JSON may escape one (``"\ud800"``), but it is no Unicode
#: character, so no text holds it and nothing (UTF-8, the model, the database) encodes it.
_SURROGATE_RE: Final = re.compile("[\ud800-\udfff]")


def unencodable(value: str) -> str | None:
    """Why ``value`` is not text the service can score, hash and store (a lone surrogate
    or a NUL), or None. The reason names the character class, never the value."""
    if _SURROGATE_RE.search(value):
        return (
            "holds a lone UTF-16 surrogate (a \\ud800-\\udfff escape without its pair), "
            "which is not Unicode text; send valid UTF-8"
        )
    if "\x00" in value:
        return "holds a NUL character (U+0000), which cannot be stored"
    return None


def _encodable(field: str) -> BeforeValidator:
    # Before the string's own checks: a lone surrogate would otherwise fail them with
    # pydantic's "unable to parse raw data" message, or pass them (no constraints) and
    # fail later in the model or the database as a 500.
    def check(value: Any) -> Any:
        if isinstance(value, str) and (reason := unencodable(value)) is not None:
            raise ValueError(f"{field} {reason}")
        return value

    return BeforeValidator(check)


def is_valid_id(value: str) -> bool:
    """Whether ``value`` is an id the API accepts (``ID_PATTERN``, 1 to 200 characters):
    for callers that take an id outside a request model, such as the screener page."""
    return len(value) <= MAX_CONTACT_ID_CHARS and _ID_RE.fullmatch(value) is not None


def _not_blank(value: str) -> str:
    if _NOT_BLANK_RE.search(value) is None:
        raise ValueError("text is empty or only whitespace")
    return value


def _an_id(field: str) -> AfterValidator:
    def check(value: str) -> str:
        # fullmatch: Python's $ would also match before a final newline, ECMA's would not
        if _ID_RE.fullmatch(value) is None:
            raise ValueError(f"{field} holds a control or bidirectional formatting character")
        return value

    return AfterValidator(check)


#: The concern as sent: 1 to 20,000 characters, at least one not whitespace, no NUL, no
#: lone surrogate. The training contract's "1 to 20,000 after trimming" follows from it.
ConcernText = Annotated[
    str,
    _encodable("text"),
    Field(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        json_schema_extra={"pattern": TEXT_PATTERN},
        examples=["Teacher reports a bruise on the child's arm; she said dad hit her."],
        description="The concern, free text: 1 to 20,000 characters as sent, at least one "
        "of them not whitespace; no NUL and no lone UTF-16 surrogate. Never stored, logged "
        "or echoed.",
    ),
    AfterValidator(_not_blank),
]
#: A contact id: 1 to 200 characters, no control or bidirectional formatting characters.
ContactId = Annotated[
    str,
    _encodable("contact_id"),
    Field(
        min_length=1,
        max_length=MAX_CONTACT_ID_CHARS,
        json_schema_extra={"pattern": ID_PATTERN},
        examples=["MASH-2025-00123"],
        description="The MASH's id for the contact (1 to 200 characters, no control or "
        "bidirectional formatting characters); links a later decision to this score.",
    ),
    _an_id("contact_id"),
]
_Note = Annotated[
    str,
    _encodable("note"),
    Field(
        max_length=MAX_NOTE_CHARS,
        json_schema_extra={"pattern": NOTE_PATTERN},
        description="Optional note (up to 5,000 characters, no NUL); stored only redacted, "
        "and only when configured.",
    ),
]


class ScoreRequest(BaseModel):
    """One contact to score. ``text`` is the concern as written (1 to 20,000 characters,
    not all whitespace); spans in the response are offsets into it as sent."""

    model_config = _STRICT

    text: ConcernText
    source: Source | None = Field(default=None, description="Who raised the concern.")
    contact_id: ContactId | None = None


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


class SimilarExamplePublic(BaseModel):
    """Advisory context, not a decision: an example that reads like the contact scored, from
    the index built into the model version (decision 0028). Guidance examples carry their
    graded level, indicators and the author's reason; past contacts carry redacted text,
    the outcome recorded and the quarter received, never a name, an address or a case id."""

    kind: Literal["guidance", "past_contact"] = Field(
        description="guidance: a contact of the guidance corpus, written by hand and graded by "
        "the published levels of need; past_contact: an earlier contact of the training "
        "export (only where the model version indexed them and SIMILAR_PAST_CONTACTS=on)"
    )
    id: str = Field(
        description="The example's id in the version's index: the corpus id (g2-0107), or "
        "past- and 12 hex digits of the SHA-256 of its redacted text; recorded in the audit "
        "trail. Never the export's contact id."
    )
    similarity: float = Field(
        ge=-1, le=1, description="Cosine of the two contacts' vectors (1: the same direction)"
    )
    reason: str = Field(
        description="One line on what the two share (indicators, then words of the model's "
        "vocabulary); never free text of the concern scored"
    )
    indicators: list[str] = Field(
        description="Guidance: the indicators its author gave it; past contact: those the text "
        "pipeline found asserted in it"
    )
    level: int | None = Field(
        ge=1, le=4, description="Guidance: its level of need (1-4); null for a past contact"
    )
    level_reason: str | None = Field(
        description="Guidance: its author's one line on why that level; null for a past contact"
    )
    text: str | None = Field(
        description="Past contact: its text, redacted (names, addresses, numbers and dates "
        "replaced by placeholders); null for a guidance example"
    )
    outcome: Outcome | None = Field(
        description="Past contact: the decision recorded on it; null for a guidance example"
    )
    date_band: str | None = Field(
        description="Past contact: the quarter it was received in (2024 Q3); null for guidance"
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
    similar: list[SimilarExamplePublic] = Field(
        default_factory=list,
        description=f"{SIMILAR_HEADING}: the model version's nearest guidance examples "
        "(nearest first), then, where the version indexed past contacts and the service "
        "shows them (SIMILAR_PAST_CONTACTS=on), its nearest past contacts. Advisory context "
        "for comparison: they do not change the score, band or level and are not a decision. "
        "Empty for a model without an index. Each one shown is recorded by its id in the "
        "audit trail.",
    )


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
    note: _Note | None = None


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

    type: Literal["score", "decision", "key", "model", "check"]
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
    similar: list[str] | None = Field(
        default=None,
        description="score events: the ids of the similar examples shown beside the score, in "
        "the order shown (guidance corpus ids, past-<digest> ids); never their text. Empty "
        "when none was shown; null for a score recorded before they were",
    )
    indicators: list[str] | None = Field(
        default=None,
        description="score events: the labels of the risk indicators found live in the "
        "contact (neither negated nor dated to the past), sorted; never the words they were "
        "found in. Empty when none; null for a score recorded before they were",
    )
    event: str | None = Field(
        default=None,
        description="key events: created or revoked; model events: promoted, forced or refused",
    )
    actor: str | None = None
    previous_version: str | None = Field(
        default=None, description="model events: the champion before"
    )
    reason: str | None = Field(default=None, description="model events: why a promotion was forced")
    failed_checks: str | None = Field(
        default=None, description="model events: the gate's failed checks"
    )
    checklist_version: str | None = Field(
        default=None, description="check events: the version of the checklist file used"
    )
    questions: int | None = Field(
        default=None, description="check events: how many questions the checklist asked"
    )
    questions_missing: int | None = Field(
        default=None, description="check events: how many questions the draft left unanswered"
    )
    missing_questions: list[str] | None = Field(
        default=None,
        description="check events: the ids of the questions left unanswered (checklist ids, "
        "never text)",
    )
    resembling: int | None = Field(
        default=None, description="check events: how many guidance examples were shown"
    )
    channel: Literal["api", "page"] | None = Field(
        default=None, description="check events: the API or the referrer page"
    )


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
    """Ready only when a model is loaded and the audit database can be written. Only an
    admin key or a caller on the service's own host (loopback) gets more than ``status``."""

    status: Literal["ready", "not ready"]
    reasons: list[str] = Field(default_factory=list, description="Why not ready")
    model: ModelPublic | None = Field(default=None, description="The model serving")
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


# -- the referrer self-check (POST /v1/check) ------------------------------------------

_DRAFT_EXAMPLE = (
    "I am worried about Sam in my class. He has had bruises on his arms twice this month "
    "and seems tired."
)


class CheckRequest(BaseModel):
    """A draft concern to check before it is sent: the same rules as a scored text (1 to
    20,000 characters, not all whitespace, no NUL, no lone surrogate). Never stored,
    logged or echoed: the audit trail keeps its keyed hash and counts only."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=False,
        json_schema_extra={"examples": [{"text": _DRAFT_EXAMPLE}]},
    )

    text: ConcernText


class MissingQuestion(BaseModel):
    """A question the MASH will ask that the draft does not answer yet. Answering it is
    optional: it is never a reason to hold a concern back."""

    id: str = Field(description="The checklist's id of the question", examples=["age"])
    question: str = Field(examples=["How old is the child?"])
    hint: str = Field(
        description="What would answer it, in a line; may be empty",
        examples=["A date of birth, an age or a school year is enough."],
    )


class ResemblingExample(BaseModel):
    """An example of the published guidance that reads like the draft, with the level of
    need the guidance gives it. For comparison only: it says nothing about what will
    happen to this concern."""

    id: str = Field(description="The guidance corpus's id of the example", examples=["g2-0003"])
    level: int = Field(ge=1, le=4, description="The guidance's level of need of the example")
    level_label: str = Field(examples=["child in need"])
    reason: str = Field(
        description="What the draft and the example share (indicators, the model's words); "
        "never text of the draft beyond those words",
        examples=['Both show observed injury; shared words "bruises"'],
    )
    similarity: float = Field(ge=-1, le=1, description="Cosine of the two texts' vectors")


class CheckResponse(BaseModel):
    """What the MASH will ask that the draft does not say yet, guidance examples it reads
    like, and always the safety line. Never a score, and never advice not to refer."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "safety": "If a child is at immediate risk, phone the police on 999 or "
                    "the MASH now, as well as writing. If you are in doubt, refer: it is "
                    "always right to share a worry about a child.",
                    "intro": "Send your concern whether or not your draft answers these: "
                    "the MASH will ask them, and answering now saves time for the child.",
                    "missing": [
                        {
                            "id": "household",
                            "question": "Who lives in the home with the child: parents, "
                            "partners, brothers and sisters, anyone else?",
                            "hint": "",
                        }
                    ],
                    "answered": ["age"],
                    "resembling": [],
                    "checklist_version": "2026.1",
                    "model": {"name": "concern-screener", "version": "7"},
                    "request_id": "4b1d0c3e9a7f4f0e8d2c1b0a99887766",
                }
            ]
        }
    )

    safety: str = Field(
        description="Always present: a child at immediate risk needs the police or the MASH "
        "by phone now; in doubt, refer"
    )
    intro: str = Field(description="The line shown above the questions (the checklist's)")
    missing: list[MissingQuestion] = Field(
        description="Questions the draft does not answer, in the checklist's order"
    )
    answered: list[str] = Field(description="Ids of the questions the draft already answers")
    resembling: list[ResemblingExample] = Field(
        description="Guidance examples the draft reads like, nearest first; empty when the "
        "served model has no similar-cases index (or no model is loaded)"
    )
    checklist_version: str
    model: ModelPublic | None = Field(
        description="The model whose guidance index gave ``resembling``; null without one"
    )
    request_id: str
