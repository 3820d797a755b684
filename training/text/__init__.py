"""The text pipeline: normalise -> redact PII -> tokenise -> sentence and cue scope ->
risk-indicator matches, on ``spacy.blank("en")`` with rule-based components.

Public API::

    analyse(text) -> Analysis                      # one contact
    analyse_many(texts, *, batch_size=256) -> list[Analysis]   # fast path via nlp.pipe
    redact(text) -> (redacted_text, pii_spans)     # no spaCy needed
    indicator_catalogue() -> tuple[IndicatorDef, ...]
    get_nlp() -> Language                          # cached, never pickled
    PATTERNS_VERSION                               # version of patterns/indicators.jsonl

Every offset refers to the original text. Features must only use ``Analysis.tokens``,
``Analysis.indicators`` and ``Analysis.redacted``: they never contain a detected name or
other PII (a PII span is one token with a placeholder norm such as ``"[name]"``).
Nothing is read or built at import: data files are read and the pipeline built on first use.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from training.text.indicators import indicator_catalogue, patterns_version
from training.text.nlp import build_nlp, get_nlp
from training.text.normalise import normalise_text
from training.text.redact import apply_redaction, redact
from training.text.rules import ARRAYS_KEY, TEXT_KEY, cached_arrays
from training.text.scope import ScopeFlags
from training.text.types import Analysis, IndicatorDef, IndicatorMatch, PiiSpan, Token

__all__ = [
    "PATTERNS_VERSION",
    "Analysis",
    "IndicatorDef",
    "IndicatorMatch",
    "PiiSpan",
    "Token",
    "analyse",
    "analyse_many",
    "build_nlp",
    "get_nlp",
    "indicator_catalogue",
    "redact",
]

PATTERNS_VERSION: str  # resolved lazily by __getattr__: reading the file is I/O


def __getattr__(name: str) -> Any:
    if name == "PATTERNS_VERSION":
        return patterns_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_SLOT_SETTERS = tuple(
    getattr(Token, name).__set__
    for name in ("norm", "start", "end", "negated", "hedged", "historical", "third_party", "sent")
)


def _to_analysis(text: str, doc: Doc) -> Analysis:
    """Turn a processed Doc of ``normalise_text(text)`` into an :class:`Analysis`."""
    pii: tuple[PiiSpan, ...] = doc._.cs_pii or ()
    scope: ScopeFlags = doc._.cs_scope
    arrays = cached_arrays(doc)
    doc.user_data.pop(ARRAYS_KEY, None)
    doc.user_data.pop(TEXT_KEY, None)
    strings = doc.vocab.strings
    skip = [p or s for p, s in zip(arrays.is_punct, arrays.is_space, strict=True)]
    pii_first: dict[int, PiiSpan] = {}
    for span, (a, b) in zip(pii, doc._.cs_pii_tokens or (), strict=True):
        if b > a:
            pii_first[a] = span
            for i in range(a + 1, b):
                skip[i] = True
    norms = arrays.cols[0]
    idx = arrays.idx
    length = arrays.length
    neg, hedge, hist, third, sent = scope.neg, scope.hedge, scope.hist, scope.third, scope.sent
    tokens: list[Token] = []
    append = tokens.append
    # Token is a frozen slotted dataclass; setting its slots through their descriptors is
    # about twice as fast as its generated __init__ (the token loop dominates run time).
    new = object.__new__
    s_norm, s_start, s_end, s_neg, s_hedge, s_hist, s_third, s_sent = _SLOT_SETTERS
    for i, h in enumerate(norms):
        first: PiiSpan | None = pii_first.get(i) if pii_first else None
        if first is not None:
            norm, start, end = f"[{first.kind}]", first.start, first.end
        elif skip[i]:
            continue
        else:
            norm = strings[h]
            start = idx[i]
            end = start + length[i]
        tok = new(Token)
        s_norm(tok, norm)
        s_start(tok, start)
        s_end(tok, end)
        s_neg(tok, neg[i] >= 0)
        s_hedge(tok, hedge[i] >= 0)
        s_hist(tok, hist[i] >= 0)
        s_third(tok, third[i] >= 0)
        s_sent(tok, sent[i])
        append(tok)
    return Analysis(
        text=text,
        redacted=apply_redaction(text, pii),
        pii=pii,
        tokens=tuple(tokens),
        indicators=doc._.cs_indicators or (),
        n_sents=scope.n_sents,
    )


def analyse(text: str, *, nlp: Language | None = None) -> Analysis:
    """Analyse one contact: PII, normalised tokens with scope flags, indicator matches.

    ``nlp`` defaults to :func:`get_nlp`; pass a :func:`build_nlp` pipeline to change settings.
    """
    pipeline = nlp if nlp is not None else get_nlp()
    return _to_analysis(text, pipeline(normalise_text(text)))


def analyse_many(
    texts: Iterable[str], *, batch_size: int = 256, nlp: Language | None = None
) -> list[Analysis]:
    """Analyse many contacts in order, in one process, through ``nlp.pipe`` (the fast path)."""
    pipeline = nlp if nlp is not None else get_nlp()
    originals = list(texts)
    docs = pipeline.pipe((normalise_text(t) for t in originals), batch_size=batch_size)
    return [_to_analysis(t, d) for t, d in zip(originals, docs, strict=True)]
