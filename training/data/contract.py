"""The contact record: the single source of truth for columns, enums and the label rule.

Every other module (validation, generation, features, fairness, serving) reads the contract
from here. Changing a value here changes the contract for councils' exports, so it is
versioned with ``CONTRACT_VERSION``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "AUDIT_ONLY_COLUMNS",
    "COLUMNS",
    "CONTRACT_VERSION",
    "Column",
    "DECISION_COLUMNS",
    "ETHNICITIES",
    "GENERATOR_COLUMNS",
    "LABEL_COLUMN",
    "MAX_TEXT_CHARS",
    "MET_THRESHOLD_OUTCOMES",
    "MODEL_INPUT_COLUMNS",
    "OUTCOMES",
    "Outcome",
    "REQUIRED_COLUMNS",
    "SEXES",
    "SOURCES",
    "Source",
    "YES_NO_UNKNOWN",
    "met_threshold",
]

CONTRACT_VERSION: Final = "1.0"

Source = Literal["police", "school", "health", "la_services", "individual", "anonymous", "other"]
Outcome = Literal["nfa", "advice", "early_help", "referral", "child_protection"]

SOURCES: Final[tuple[str, ...]] = (
    "police",
    "school",
    "health",
    "la_services",
    "individual",
    "anonymous",
    "other",
)
OUTCOMES: Final[tuple[str, ...]] = ("nfa", "advice", "early_help", "referral", "child_protection")
MET_THRESHOLD_OUTCOMES: Final[frozenset[str]] = frozenset({"referral", "child_protection"})
SEXES: Final[tuple[str, ...]] = ("female", "male", "unknown")
ETHNICITIES: Final[tuple[str, ...]] = ("white", "mixed", "asian", "black", "other", "unknown")
YES_NO_UNKNOWN: Final[tuple[str, ...]] = ("yes", "no", "unknown")

MAX_TEXT_CHARS: Final = 20_000
LABEL_COLUMN: Final = "met_threshold"

ColumnKind = Literal["string", "datetime", "enum", "text", "int", "bool"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the contact record.

    ``required`` is "always", "training" (required to train or evaluate, optional for scoring)
    or "no". ``audit_only`` columns are read by fairness reports and never by the model.
    """

    name: str
    kind: ColumnKind
    required: Literal["always", "training", "no"]
    audit_only: bool = False
    values: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


COLUMNS: Final[tuple[Column, ...]] = (
    Column("contact_id", "string", "always"),
    Column("received_at", "datetime", "always"),
    Column("source", "enum", "always", values=SOURCES),
    Column("text", "text", "always"),
    Column("outcome", "enum", "training", values=OUTCOMES),
    Column("child_age_years", "int", "no", audit_only=True, minimum=0, maximum=17),
    Column("child_sex", "enum", "no", audit_only=True, values=SEXES),
    Column("child_ethnicity", "enum", "no", audit_only=True, values=ETHNICITIES),
    Column("child_disability", "enum", "no", audit_only=True, values=YES_NO_UNKNOWN),
    Column("area_deprivation_decile", "int", "no", audit_only=True, minimum=1, maximum=10),
    Column("needs_interpreter", "bool", "no", audit_only=True),
)
COLUMN_BY_NAME: Final[dict[str, Column]] = {c.name: c for c in COLUMNS}
REQUIRED_COLUMNS: Final[tuple[str, ...]] = tuple(c.name for c in COLUMNS if c.required == "always")
AUDIT_ONLY_COLUMNS: Final[tuple[str, ...]] = tuple(c.name for c in COLUMNS if c.audit_only)
#: What the model may read. Everything else (audit-only attributes, ids, dates, the label)
#: is kept away from features; tests/unit/test_no_audit_leak.py proves it.
MODEL_INPUT_COLUMNS: Final[tuple[str, ...]] = ("text", "source")

#: Columns the synthetic generator adds outside the contract. ``p_true`` is the true
#: probability of meeting the threshold; ``pii_spans`` is a JSON list of
#: ``[start, end, kind]`` character spans of personal data inside ``text``;
#: ``indicators_true`` is a JSON list of the indicator labels the generator asserted.
GENERATOR_COLUMNS: Final[tuple[str, ...]] = ("p_true", "pii_spans", "indicators_true", "severity")
#: Columns an export of recorded decisions (``screener data export-decisions``) adds
#: outside the contract: the served ``score`` (calibrated probability) and ``band`` that
#: the screener saw, the ``model_name`` and ``model_version`` that gave them, and
#: ``decided_at``, when the exported decision was recorded (ISO 8601, UTC). Validation
#: knows them (no warning) and does not carry them into the valid rows: nothing trains on
#: them.
DECISION_COLUMNS: Final[tuple[str, ...]] = (
    "score",
    "band",
    "model_name",
    "model_version",
    "decided_at",
)

BOOL_TRUE: Final[frozenset[str]] = frozenset({"true", "yes", "y", "1", "t"})
BOOL_FALSE: Final[frozenset[str]] = frozenset({"false", "no", "n", "0", "f"})


def met_threshold(outcome: str) -> bool:
    """The label rule: a contact met the threshold when it led to a referral or to child
    protection (s47) enquiries."""
    return outcome in MET_THRESHOLD_OUTCOMES
