"""Exact explanations of a linear classifier over ``ContactFeatures``.

The intercept plus every feature's contribution equals the classifier's logit. Word n-gram
contributions are attributed to their occurrences, the character n-grams of a token to that
token, indicator features to the indicator matches and the source to no span.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from training.model.analyser import marked_tokens
from training.model.features import (
    FLAGS,
    LEVEL_MODES,
    LEVELS,
    ContactFeatures,
    SparseRow,
    level_mode,
    plain_of,
)
from training.model.outputs import ExplanationPhrase
from training.text import CompactAnalysis

__all__ = ["MEANING", "LinearExplainer", "linear_explainer", "shown"]

#: The explanation's name for the embedding block's contribution.
MEANING = "meaning:the text as a whole"

#: Words a referrer names themselves or the contact by: not phrases of the concern.
_SELF_WORDS = frozenset(
    {"dsl", "hv", "gp", "pc", "dc", "officer", "officers", "referrer", "caller", "staff",
     "teacher", "tutor", "nurse", "midwife", "worker", "colleague", "ta", "senco",
     "referral", "contact", "email", "call", "phone", "ring", "write", "writ", "report",
     "[name]", "[school]", "[phone]", "[email]", "[address]", "[postcode]", "[dob]",
     "[nhs_number]"}
)  # fmt: skip


def shown(feature: str) -> bool:
    """Whether an explanation feature is worth showing a screener: not a word n-gram made
    only of function words, numbers or words for the referrer and the contact itself."""
    kind, _, name = feature.partition(":")
    if kind != "word":
        return True
    for token in name.split():
        bare = plain_of(token) or token
        if not (bare in ENGLISH_STOP_WORDS or bare in _SELF_WORDS or bare.isdigit()):
            return True
    return False


@dataclass
class LinearExplainer:
    """Exact per-feature contributions of a linear classifier over ``ContactFeatures``."""

    features: ContactFeatures
    coef: np.ndarray
    intercept: float
    _word_names: np.ndarray | None = field(default=None, repr=False)

    def _names(self) -> np.ndarray:
        if self._word_names is None:
            self._word_names = self.features.word_names()
        return self._word_names

    def contributions(
        self,
        analysis: Any,
        source: str | None,
        row: sp.csr_matrix | SparseRow,
        *,
        top_k: int | None = None,
        extra: tuple[float, dict[str, float]] | None = None,
    ) -> tuple[list[ExplanationPhrase], float]:
        """Contributions for one contact, grouped into phrases, and the exact logit.

        ``extra`` is another member's intercept and ``word:`` n-gram weights in the same
        logit (the plain-words member, ``training.model.plain``): its n-grams join the
        phrases of the same name and count in the logit.

        ``analysis`` is the contact's ``training.text.CompactAnalysis`` (with spans) or full
        ``Analysis``; ``row`` its feature row. With ``top_k=None`` every phrase is returned and their weights
        plus the intercept equal the logit (up to float rounding); otherwise the ``top_k``
        largest by absolute weight, largest first. Spans are looked up only for the phrases
        returned (the scoring path asks for a few).
        """
        idx = row.indices
        contrib = row.data.astype(np.float64) * self.coef[idx]
        logit = self.intercept + float(contrib.sum())
        weights: dict[str, float] = {}
        spans: dict[str, list[tuple[int, int]]] = {}
        toks = analysis.words if isinstance(analysis, CompactAnalysis) else marked_tokens(analysis)
        blocks = self.features.blocks_
        self._add_words(weights, idx, contrib, blocks["words"])
        self._add_chars(weights, idx, contrib, blocks["chars"], toks)
        if "embedding" in blocks:
            # The embedding reads the whole text at once: one contribution, no span.
            e0, e1 = blocks["embedding"]
            weights[MEANING] = float(contrib[(idx >= e0) & (idx < e1)].sum())
        if "indicators" in blocks:
            self._add_indicators(weights, spans, idx, contrib, blocks["indicators"], analysis)
        if extra is not None:
            logit += extra[0] + sum(extra[1].values())
            for key, c in extra[1].items():
                weights[key] = weights.get(key, 0.0) + c
        if "source" in blocks:
            s0, s1 = blocks["source"]
            for c in contrib[(idx >= s0) & (idx < s1)].tolist():
                key = f"source:{source}"
                weights[key] = weights.get(key, 0.0) + c
        keys = list(weights)
        if top_k is not None:
            # Shown to a screener: phrases of the concern, not function words ("then", "do
            # it") or the words a referrer names themselves by ("DSL", "I"); every weight
            # still counts in the logit.
            magnitude = np.abs(np.array([weights[k] for k in keys], dtype=np.float64))
            ranked = (keys[j] for j in np.argsort(-magnitude, kind="stable"))
            keys = list(itertools.islice((k for k in ranked if shown(k)), top_k))
        written = (
            analysis.plain.split()
            if extra is not None and isinstance(analysis, CompactAnalysis)
            else ()
        )
        self._word_spans(keys, toks, spans, written)
        phrases = [
            ExplanationPhrase(
                feature=k, weight=float(weights[k]), spans=tuple(sorted(set(spans.get(k, []))))
            )
            for k in keys
        ]
        return phrases, logit

    def _add_words(
        self,
        weights: dict[str, float],
        idx: np.ndarray,
        contrib: np.ndarray,
        block: tuple[int, int],
    ) -> None:
        """Word n-grams: one column per n-gram, so one key each."""
        w0, w1 = block
        in_words = (idx >= w0) & (idx < w1)
        if in_words.any():
            grams = self._names()[idx[in_words] - w0].tolist()
            weights.update(
                zip(["word:" + g for g in grams], contrib[in_words].tolist(), strict=True)
            )

    def _add_chars(
        self,
        weights: dict[str, float],
        idx: np.ndarray,
        contrib: np.ndarray,
        block: tuple[int, int],
        toks: Sequence[tuple[str, str, int, int]],
    ) -> None:
        """Character n-grams: each n-gram's contribution split over the tokens holding it,
        in proportion to their raw counts, so each token's share is exact. Only the
        n-grams present in this contact are touched (no vector as wide as the hashed
        space). A token's share is added to a word n-gram of the same name."""
        c0, c1 = block
        in_chars = (idx >= c0) & (idx < c1)
        tally = Counter([t[1] for t in toks if t[1]])
        if not in_chars.any() or not tally:
            return
        uniq = sorted(tally)
        count = np.array([tally[u] for u in uniq], dtype=np.float64)
        tok_rows = self.features.token_char_rows(uniq)
        tok_idx = np.concatenate([r[0] for r in tok_rows])
        tok_val = np.concatenate([r[1] for r in tok_rows]).astype(np.float64)
        row_of = np.repeat(np.arange(len(uniq)), [len(r[0]) for r in tok_rows])
        char_idx = idx[in_chars] - c0
        order = np.argsort(char_idx)
        doc_idx = char_idx[order]
        doc_contrib = contrib[in_chars][order]
        # Raw count of each of the doc's n-grams: token counts times token n-grams.
        pos = np.minimum(np.searchsorted(doc_idx, tok_idx), len(doc_idx) - 1)
        present = doc_idx[pos] == tok_idx
        raw = np.bincount(
            pos[present], weights=(tok_val * count[row_of])[present], minlength=len(doc_idx)
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(raw > 0, doc_contrib / raw, 0.0)
        share = np.where(present, tok_val * ratio[pos], 0.0)
        token_total = np.bincount(row_of, weights=share, minlength=len(uniq)) * count
        by_token = dict(zip(["word:" + u for u in uniq], token_total.tolist(), strict=True))
        for key in by_token.keys() & weights.keys():
            by_token[key] += weights[key]
        weights.update(by_token)

    def _add_indicators(
        self,
        weights: dict[str, float],
        spans: dict[str, list[tuple[int, int]]],
        idx: np.ndarray,
        contrib: np.ndarray,
        block: tuple[int, int],
        analysis: Any,
    ) -> None:
        """Indicators: each (label, flag) or (level, mode) column to the matches behind it."""
        i0, i1 = block
        in_ind = (idx >= i0) & (idx < i1)
        labels = self.features.indicator_labels_
        n_label_cols = len(labels) * len(FLAGS)
        for j, c in zip(idx[in_ind] - i0, contrib[in_ind].tolist(), strict=True):
            if j < n_label_cols:
                label = labels[j // len(FLAGS)]
                flag = FLAGS[j % len(FLAGS)]
                key = f"indicator:{label}" if flag == "asserted" else f"indicator:{label}:{flag}"
                matches = [m for m in analysis.indicators if m.label == label]
            else:
                k = j - n_label_cols
                level = LEVELS[k // len(LEVEL_MODES)]
                mode = LEVEL_MODES[k % len(LEVEL_MODES)]
                key = f"level:{level}" if mode == "asserted" else f"level:{level}:{mode}"
                matches = [
                    m
                    for m in analysis.indicators
                    if m.level == level
                    and level_mode(m.negated, m.hedged, m.historical, m.third_party) == mode
                ]
            weights[key] = weights.get(key, 0.0) + c
            spans.setdefault(key, []).extend((m.start, m.end) for m in matches)

    def _word_spans(
        self,
        keys: Sequence[str],
        toks: Sequence[tuple[str, str, int, int]],
        spans: dict[str, list[tuple[int, int]]],
        written: Sequence[str] = (),
    ) -> None:
        """Fill ``spans`` for the ``word:`` keys: every occurrence of the n-gram in the marked
        token stream or, for a model with the plain-words member, in the words as
        ``written`` (one written word per token); for a token known only by its character
        n-grams, every occurrence of the bare token."""
        wanted = {k[5:] for k in keys if k.startswith("word:")}
        if not wanted:
            return
        found: dict[str, list[tuple[int, int]]] = defaultdict(list)
        bare: dict[str, list[tuple[int, int]]] = defaultdict(list)
        # A gram of n words starts with a word that some wanted gram starts with.
        heads = {g.split(" ", 1)[0] for g in wanted}
        n_max = self.features.word_ngram_max
        count = len(toks)
        for _, plain, start, end in [t for t in toks if t[1] in wanted]:
            bare[plain].append((start, end))
        streams = [list(enumerate(t[0] for t in toks))]
        if len(written) == count:
            # The words as written, as the plain-words member reads them (one per token).
            streams.append([(i, w) for i, w in enumerate(written) if len(w) > 1])
        for stream in streams:
            for k in [k for k, (_, w) in enumerate(stream) if w in heads]:
                first = stream[k][0]
                if stream[k][1] in wanted:
                    found[stream[k][1]].append((toks[first][2], toks[first][3]))
                for n in range(2, min(n_max, len(stream) - k) + 1):
                    gram = " ".join(w for _, w in stream[k : k + n])
                    if gram in wanted:
                        found[gram].append((toks[first][2], toks[stream[k + n - 1][0]][3]))
        for gram in wanted:
            spans["word:" + gram] = found.get(gram) or bare.get(gram, [])


def _linear_params(classifier: Any) -> tuple[np.ndarray, float]:
    coef = np.asarray(classifier.coef_, dtype=np.float64).ravel()
    return coef, float(np.ravel(classifier.intercept_)[0])


def linear_explainer(features: ContactFeatures, classifier: Any) -> LinearExplainer:
    coef, intercept = _linear_params(classifier)
    return LinearExplainer(features=features, coef=coef, intercept=intercept)
