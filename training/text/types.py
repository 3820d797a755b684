"""Value types returned by the text pipeline.

Every character offset (``start``/``end``) indexes the ORIGINAL contact text, half-open
(``text[start:end]``). These objects never hold a name or other PII except ``Analysis.text``,
the caller's own input.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PII_KINDS", "Analysis", "IndicatorDef", "IndicatorMatch", "PiiSpan", "Token"]

#: Kinds of personal data the redactor finds, each replaced by ``[KIND]`` in upper case.
PII_KINDS: tuple[str, ...] = (
    "name",
    "address",
    "postcode",
    "phone",
    "email",
    "nhs_number",
    "dob",
    "school",
    "handle",
    "ip",
    "reference",
)


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """One piece of personal data found in the original text.

    ``kind`` is one of :data:`PII_KINDS`; ``text[start:end]`` is the personal data itself.
    """

    start: int
    end: int
    kind: str

    @property
    def placeholder(self) -> str:
        """The typed placeholder that replaces this span, e.g. ``"[NAME]"``."""
        return f"[{self.kind.upper()}]"


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the contact as the model sees it.

    ``norm`` is lower-cased and lemma-ish ("bruises", "bruised", "brusing" share one norm;
    abbreviations such as "DV" or "A&E" keep a stable norm). A redacted PII span yields one
    token whose norm is the lower-case placeholder ("[name]") and whose span is the PII's.
    Flags say whether the token lies in the scope of a negation ("no marks"), a hedge
    ("possibly"), a historical/resolved cue ("in 2019") or a third-hand cue ("neighbour
    thinks"). ``sent`` is the 0-based sentence index. Whitespace and punctuation are omitted.
    """

    norm: str
    start: int
    end: int
    negated: bool
    hedged: bool
    historical: bool
    third_party: bool
    sent: int


@dataclass(frozen=True, slots=True)
class IndicatorMatch:
    """One risk-indicator phrase found in the text, with the scope flags that apply to it.

    ``level`` is the threshold level of need (1 universal, 2 early help, 3 child in need,
    4 protection); ``factor`` the DfE assessment factor it belongs to.
    """

    label: str
    level: int
    factor: str
    start: int
    end: int
    negated: bool
    hedged: bool
    historical: bool
    third_party: bool

    @property
    def asserted(self) -> bool:
        """True when the indicator is stated as present now: not negated, not historical."""
        return not (self.negated or self.historical)


@dataclass(frozen=True, slots=True)
class IndicatorDef:
    """A risk indicator of the versioned pattern file: label, level of need 1-4, DfE factor."""

    label: str
    level: int
    factor: str
    description: str


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the text pipeline derives from one contact.

    ``redacted`` is the text with each PII span replaced by its placeholder; it is the
    only form of the text that may be persisted. ``pii``, ``tokens`` and ``indicators`` are
    ordered by start offset. ``n_sents`` is the number of sentences (0 for empty text).
    """

    text: str
    redacted: str
    pii: tuple[PiiSpan, ...]
    tokens: tuple[Token, ...]
    indicators: tuple[IndicatorMatch, ...]
    n_sents: int

    @property
    def asserted(self) -> tuple[IndicatorMatch, ...]:
        """Indicators stated as present now: neither negated nor historical."""
        return tuple(m for m in self.indicators if not (m.negated or m.historical))
