"""The text pipeline: normalise -> redact PII -> tokenise -> sentence and cue scope ->
risk-indicator matches, on ``spacy.blank("en")`` with rule-based components.

Public API::

    analyse(text) -> Analysis                      # one contact
    analyse_many(texts, *, batch_size=256) -> list[Analysis]   # fast path via nlp.pipe
    compact_many(texts, *, batch_size=256) -> list[CompactAnalysis]  # training: no Token objects
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

import contextlib
import json
import threading
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from training.text.indicators import indicator_catalogue, patterns_version
from training.text.nlp import build_nlp, get_nlp
from training.text.normalise import normalise_text
from training.text.redact import apply_redaction, redact
from training.text.rules import ARRAYS_KEY, TEXT_KEY, DocArrays, cached_arrays, get_ext
from training.text.scope import ScopeFlags
from training.text.types import Analysis, IndicatorDef, IndicatorMatch, PiiSpan, Token

__all__ = [
    "PATTERNS_VERSION",
    "Analysis",
    "CompactAnalysis",
    "IndicatorDef",
    "IndicatorMatch",
    "PiiSpan",
    "Token",
    "analyse",
    "analyse_many",
    "build_nlp",
    "compact_many",
    "feature_norm",
    "get_nlp",
    "indicator_catalogue",
    "is_word",
    "mark",
    "protected_cues",
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


class _DocParts(NamedTuple):
    """What the pipeline left on a Doc, taken off it: its PII spans, scope flags, token
    arrays, the PII span starting at each token that starts one, and the other tokens
    inside PII spans (skipped: the span is one placeholder token)."""

    pii: tuple[PiiSpan, ...]
    scope: ScopeFlags
    arrays: DocArrays
    pii_first: dict[int, PiiSpan]
    inside: set[int]


def _doc_parts(doc: Doc) -> _DocParts:
    pii: tuple[PiiSpan, ...] = get_ext(doc, "cs_pii") or ()
    arrays = cached_arrays(doc)
    doc.user_data.pop(ARRAYS_KEY, None)
    doc.user_data.pop(TEXT_KEY, None)
    pii_first: dict[int, PiiSpan] = {}
    inside: set[int] = set()
    for span, (a, b) in zip(pii, get_ext(doc, "cs_pii_tokens") or (), strict=True):
        if b > a:
            pii_first[a] = span
            inside.update(range(a + 1, b))
    return _DocParts(pii, get_ext(doc, "cs_scope"), arrays, pii_first, inside)


def _to_analysis(text: str, doc: Doc) -> Analysis:
    """Turn a processed Doc of ``normalise_text(text)`` into an :class:`Analysis`."""
    pii, scope, arrays, pii_first, inside = _doc_parts(doc)
    strings = doc.vocab.strings
    skip = [p or s for p, s in zip(arrays.is_punct, arrays.is_space, strict=True)]
    for i in inside:
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
        indicators=get_ext(doc, "cs_indicators") or (),
        n_sents=scope.n_sents,
    )


_PIPELINE_LOCK = threading.Lock()
#: Strings the shared pipeline may accumulate before it is rebuilt afresh (0.2 s).
_MAX_STRINGS = 100_000


@contextlib.contextmanager
def _bounded(pipeline: Language) -> Iterator[None]:
    """Run a batch through ``pipeline`` with its vocabulary bounded.

    spaCy keeps every new word form it meets (strings, lexemes, the tokenizer's cache), so a
    long-running service grows with every new name and typo. spaCy's memory zones free
    them after each batch, but also switch the tokenizer's cache off, which cost about a
    third of the scoring throughput here; instead the shared pipeline is dropped and
    rebuilt once it holds more than ``_MAX_STRINGS`` strings. The lock serialises batches
    (spaCy is not thread-safe) and the rebuild.
    """
    with _PIPELINE_LOCK:
        yield
        # cache_info: compare with the default pipeline only if it was ever built.
        if (
            len(pipeline.vocab.strings) > _MAX_STRINGS
            and get_nlp.cache_info().currsize
            and pipeline is get_nlp()
        ):
            get_nlp.cache_clear()


def analyse(text: str, *, nlp: Language | None = None) -> Analysis:
    """Analyse one contact: PII, normalised tokens with scope flags, indicator matches.

    ``nlp`` defaults to :func:`get_nlp`; pass a :func:`build_nlp` pipeline to change settings.
    """
    pipeline = nlp if nlp is not None else get_nlp()
    with _bounded(pipeline):
        return _to_analysis(text, pipeline(normalise_text(text)))


def analyse_many(
    texts: Iterable[str], *, batch_size: int = 256, nlp: Language | None = None
) -> list[Analysis]:
    """Analyse many contacts in order, in one process, through ``nlp.pipe`` (the fast path)."""
    pipeline = nlp if nlp is not None else get_nlp()
    originals = list(texts)
    with _bounded(pipeline):
        docs = pipeline.pipe((normalise_text(t) for t in originals), batch_size=batch_size)
        return [_to_analysis(t, d) for t, d in zip(originals, docs, strict=True)]


#: One indicator match in compact form: ``(label, level, negated, hedged, historical,
#: third_party)``.
IndicatorRow = tuple[str, int, bool, bool, bool, bool]


class CompactAnalysis(NamedTuple):
    """What the features (and, with ``spans``, the explanations) need of one contact,
    without per-token objects.

    ``marked`` is the contact's word tokens joined by spaces, as
    ``training.model.features.marked_tokens`` gives them: normalised, PII as placeholders,
    punctuation and protected cues dropped, negated tokens prefixed ``neg_``, historical
    ones ``past_``, hedged ones ``hedge_``, third-hand ones ``third_`` (:func:`mark`).
    ``rows`` are the indicator matches as :data:`IndicatorRow`. With
    ``compact_many(..., spans=True)``, ``words`` holds each word token as
    ``(marked, plain, start, end)`` (offsets into the original text; ``plain`` is "" for PII
    placeholders) and ``indicators`` the full matches; otherwise both are empty.
    """

    marked: str
    rows: tuple[IndicatorRow, ...]
    words: tuple[tuple[str, str, int, int], ...] = ()
    indicators: tuple[IndicatorMatch, ...] = ()
    #: the same words as written (lower case, unstemmed, unmarked), PII as placeholders
    #: ("[name]"), punctuation and protected cues dropped: what a sentence embedding reads
    plain: str = ""


@cache
def protected_cues() -> frozenset[str]:
    """Words that reveal the child's sex or the family's religion or language
    (``patterns/protected_cues.json``): never features."""
    raw = json.loads(
        resources.files("training.text").joinpath("patterns/protected_cues.json").read_text("utf-8")
    )
    return frozenset(w for words in raw.values() if isinstance(words, list) for w in words)


def is_word(norm: str) -> bool:
    """A token the word features keep: it has a letter or digit, or is a PII placeholder."""
    return norm.startswith("[") or any(ch.isalnum() for ch in norm)


def feature_norm(norm: str, lowered: str) -> str | None:
    """The norm a word feature uses for a token (``lowered``: its original text in lower
    case), or None when the token is dropped: punctuation, and protected cues, so that the
    score cannot move with the child's sex or the family's religion or language."""
    if not norm or not is_word(norm):
        return None
    protected = protected_cues()
    if norm in protected or lowered in protected:
        return None
    return norm.replace(" ", "_")


def mark(
    word: str,
    *,
    negated: bool,
    historical: bool,
    hedged: bool = False,
    third_party: bool = False,
) -> str:
    """A word feature as the n-grams see it: ``neg_`` in the scope of a negation, ``past_``
    in a historical one ("no marks seen" -> ``neg_mark``), ``hedge_`` in a hedged one
    ("might be drinking" -> ``hedge_drinking``), ``third_`` in a third-hand report
    ("neighbour says he hits her" -> ``third_hits``): the label process weighs a concern by
    how it is stated, and so does a screener. Measured at 100k contacts: the hedged and
    third-hand marks together +0.001 of the oracle AUC."""
    if negated:
        return "neg_" + word
    if historical:
        return "past_" + word
    if hedged:
        return "hedge_" + word
    if third_party:
        return "third_" + word
    return word


def _to_compact(
    text: str, doc: Doc, memo: dict[tuple[int, int], str | None], *, spans: bool
) -> CompactAnalysis:
    """The same marked tokens as ``marked_tokens(_to_analysis(text, doc))``, computed from
    the token arrays directly. ``memo`` caches each (norm, lower) hash pair's feature norm."""
    _, scope, arrays, pii_first, inside = _doc_parts(doc)
    strings = doc.vocab.strings
    is_punct, is_space = arrays.is_punct, arrays.is_space
    idx, length = arrays.idx, arrays.length
    norms, lowers = arrays.cols[0], arrays.cols[1]
    neg, hist, hedge, third = scope.neg, scope.hist, scope.hedge, scope.third
    out: list[str] = []
    written: list[str] = []
    toks: list[tuple[str, str, int, int]] = []
    for i, h in enumerate(norms):
        first = pii_first.get(i) if pii_first else None
        if first is not None:
            word = feature_norm(f"[{first.kind}]", text[first.start : first.end].lower())
        elif is_punct[i] or is_space[i] or i in inside:
            continue
        else:
            key = (h, lowers[i])
            if key in memo:
                word = memo[key]
            else:
                word = memo[key] = feature_norm(strings[h], strings[lowers[i]])
        if word is None:
            continue
        marked = mark(
            word,
            negated=neg[i] >= 0,
            historical=hist[i] >= 0,
            hedged=hedge[i] >= 0,
            third_party=third[i] >= 0,
        )
        out.append(marked)
        written.append(word if first is not None else strings[lowers[i]])
        if spans:
            if first is not None:
                toks.append((marked, "", first.start, first.end))
            else:
                toks.append((marked, word, idx[i], idx[i] + length[i]))
    matches: tuple[IndicatorMatch, ...] = get_ext(doc, "cs_indicators") or ()
    rows = tuple(
        (
            m.label,
            int(m.level),
            bool(m.negated),
            bool(m.hedged),
            bool(m.historical),
            bool(m.third_party),
        )
        for m in matches
    )
    if spans:
        return CompactAnalysis(" ".join(out), rows, tuple(toks), matches, " ".join(written))
    return CompactAnalysis(" ".join(out), rows, plain=" ".join(written))


#: Feature norm by (NORM, LOWER) string hash, shared by calls (hashes do not depend on the
#: pipeline instance); cleared past ``_MAX_STRINGS`` entries, under the pipeline lock.
_FEATURE_NORMS: dict[tuple[int, int], str | None] = {}


def compact_many(
    texts: Iterable[str],
    *,
    batch_size: int = 256,
    spans: bool = False,
    nlp: Language | None = None,
) -> list[CompactAnalysis]:
    """Analyse many contacts for the model: the marked tokens and indicator rows, and with
    ``spans`` the token spans and full indicator matches that explanations need.

    About twice as fast as :func:`analyse_many` followed by
    ``training.model.features.marked_tokens`` (no ``Token`` or ``Analysis`` objects), with identical results (a unit test holds both
    paths to the same output).
    """
    pipeline = nlp if nlp is not None else get_nlp()
    originals = list(texts)
    memo = _FEATURE_NORMS
    with _bounded(pipeline):
        if len(memo) > _MAX_STRINGS:
            memo.clear()
        docs = pipeline.pipe((normalise_text(t) for t in originals), batch_size=batch_size)
        return [_to_compact(t, d, memo, spans=spans) for t, d in zip(originals, docs, strict=True)]
