"""Scope of negation, hedging, historical/resolved and third-hand statements.

Cues are spaCy Matcher patterns in ``patterns/cues.json``. Each cue casts a scope over
nearby tokens of its sentence:

* negation ("no", "denies", "ruled out", "no evidence of") covers the following tokens up
  to the clause end (",", ";", "but", "and", sentence end) or ``neg_window`` tokens;
  post-cues ("... were not seen", "... denied.", "... ruled out.") cover the clause before;
* hedging ("possibly", "may", "query", "worried that") covers the rest of the clause, at
  most ``hedge_window`` tokens; a "?" hedges its whole sentence up to it;
* historical/resolved ("in 2019", "previously", "used to", "no longer", "in the past") covers
  the clause start before it and the rest of the sentence until a "but"-like break or a
  reset word ("now", "today", "again", "currently");
* third-hand ("neighbour thinks", "was told", "reportedly", "apparently") covers the clause
  start before it and the rest of the sentence;
* backward cues that follow what they qualify, often after a comma, "but" or ";":
  ``neg_back`` ("..., but this turned out to be a misunderstanding", "...; officers found
  this to be unfounded", "... was ruled out"), ``hedge_back`` ("..., nothing has been
  confirmed", "... but nothing specific") and ``hist_back`` ("... in her own childhood")
  cover their sentence back to its start; when the sentence follows a ";" or opens by
  referring back ("This was ...", "On checking, it was ..."), the previous sentence too.

A negating "no" that opens a longer cue ("no disclosures of", "no evidence of") also
negates the cue's own later words, so "No disclosures of X were made" is not a disclosure.

For each token the component records the index of the cue that scopes it (or -1), so a
match that contains its own cue ("no food in the house", "did not attend") is not flagged
by it. Results live in ``doc._.cs_scope``; token getters ``cs_neg``, ``cs_hedge``,
``cs_hist``, ``cs_third`` and ``cs_sent`` read them.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

from training.text.normalise import norm_word
from training.text.rules import DocArrays, TokenRules, cached_arrays

__all__ = [
    "NO_CUE",
    "SENT_KEY",
    "ScopeFlags",
    "ScopeMarker",
    "Sentencizer",
    "cs_scope",
    "cs_sentences",
    "register_extensions",
]

#: the value of a cue index where no cue applies
NO_CUE = -1
#: ``doc.user_data`` key of the per-token sentence index left by ``cs_sentences``
SENT_KEY = "cs_sent"

_STRONG_BREAKS = frozenset(
    {";", "but", "however", "although", "though", "yet", "whereas", "except", "whilst", "while"}
)
_CUE_KINDS = (
    "neg_pre",
    "neg_post_final",
    "neg_post",
    "neg_back",
    "hedge",
    "hedge_back",
    "third",
    "hist",
    "hist_back",
    "hist_reset",
    "terminators",
)
#: words that make a sentence refer back to the one before ("This was unfounded.")
_ANAPHORS = frozenset(
    {
        "this",
        "that",
        "it",
        "these",
        "those",
        "which",
        "allegation",
        "allegations",
        "claim",
        "claims",
        "report",
        "reports",
        "rumour",
        "rumours",
        "concern",
        "concerns",
        "referral",
        "information",
        "story",
    }
)
#: how many tokens into its sentence an anaphor may come and still link it to the one before
_ANAPHOR_REACH = 6


@dataclass(frozen=True, slots=True)
class ScopeFlags:
    """Per-token scope of one Doc: for each token the index of the cue that scopes it, or -1.

    ``sent`` is each token's 0-based sentence index; ``n_sents`` the number of sentences.
    """

    neg: list[int]
    hedge: list[int]
    hist: list[int]
    third: list[int]
    sent: list[int]
    n_sents: int


def register_extensions() -> None:
    """Register the ``cs_`` Doc and Token extensions once (safe to call repeatedly)."""
    for name in ("cs_pii", "cs_pii_tokens", "cs_scope", "cs_indicators"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    getters: dict[str, Any] = {
        "cs_neg": lambda t: t.doc._.cs_scope is not None and t.doc._.cs_scope.neg[t.i] != NO_CUE,
        "cs_hedge": lambda t: (
            t.doc._.cs_scope is not None and t.doc._.cs_scope.hedge[t.i] != NO_CUE
        ),
        "cs_hist": lambda t: t.doc._.cs_scope is not None and t.doc._.cs_scope.hist[t.i] != NO_CUE,
        "cs_third": lambda t: (
            t.doc._.cs_scope is not None and t.doc._.cs_scope.third[t.i] != NO_CUE
        ),
        "cs_sent": lambda t: t.doc._.cs_scope.sent[t.i] if t.doc._.cs_scope is not None else 0,
    }
    for name, getter in getters.items():
        if not Token.has_extension(name):
            Token.set_extension(name, getter=getter)


def load_cues() -> dict[str, list[list[dict[str, Any]]]]:
    """The cue patterns of ``patterns/cues.json`` by kind."""
    raw = json.loads(
        resources.files("training.text").joinpath("patterns/cues.json").read_text("utf-8")
    )
    return {kind: raw.get(kind, []) for kind in _CUE_KINDS}


class ScopeMarker:
    """Pipeline component computing :class:`ScopeFlags` for each Doc (needs sentence starts)."""

    def __init__(
        self, nlp: Language, name: str, *, neg_window: int, hedge_window: int, back_window: int = 24
    ) -> None:
        self.name = name
        self.neg_window = neg_window
        self.hedge_window = hedge_window
        self.back_window = back_window
        register_extensions()
        self.rules = TokenRules(nlp.vocab, load_cues(), norm=norm_word)
        self._strong = frozenset(nlp.vocab.strings.add(w) for w in _STRONG_BREAKS)
        self._question = nlp.vocab.strings.add("?")
        self._no = nlp.vocab.strings.add("no")
        self._semicolon = nlp.vocab.strings.add(";")
        self._anaphors = frozenset(nlp.vocab.strings.add(w) for w in _ANAPHORS)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        neg = [NO_CUE] * n
        hedge = [NO_CUE] * n
        hist = [NO_CUE] * n
        third = [NO_CUE] * n
        if n == 0:
            doc._.cs_scope = ScopeFlags(neg, hedge, hist, third, [], 0)
            return doc
        arrays: DocArrays = cached_arrays(doc)
        sent: list[int] = doc.user_data.get(SENT_KEY) or [0] * n
        sent_starts = [0] + [i for i in range(1, n) if sent[i] != sent[i - 1]]
        sent_ends = sent_starts[1:] + [n]
        cues: list[tuple[str, int, int]] = []
        breaks: list[int] = []  # clause terminators (token index)
        strong: list[int] = []  # "but"-like breaks
        resets: list[int] = []
        strong_hashes = self._strong
        lowers = arrays.cols[1]
        for kind, s, e in self.rules(arrays):
            if kind == "terminators":
                breaks.append(s)
                if lowers[s] in strong_hashes:
                    strong.append(s)
            elif kind == "hist_reset":
                resets.append(s)
            else:
                cues.append((kind, s, e))
        breaks.sort()
        strong.sort()
        resets.sort()
        # Longest cue wins where cues overlap ("no longer" over "no", "not sure" over "not").
        cues.sort(key=lambda c: (c[1], c[1] - c[2]))
        kept: list[tuple[str, int, int]] = []
        last_end = -1
        for cue in cues:
            if cue[1] >= last_end:
                kept.append(cue)
                last_end = cue[2]
            elif cue[0] != kept[-1][0] and (
                cue[2] > last_end or (cue[1], cue[2]) == (kept[-1][1], kept[-1][2])
            ):
                # A different kind on the same words ("rumoured": hedge and third-hand), or
                # starting inside and running on: keep both. A cue inside a longer one
                # ("ruled out" in "cannot be ruled out") is dropped.
                kept.append(cue)
                last_end = cue[2]

        def sent_bounds(i: int) -> tuple[int, int]:
            k = bisect_right(sent_starts, i) - 1
            return sent_starts[k], sent_ends[k]

        def clause_end(i: int, marks: list[int]) -> int:
            _, end = sent_bounds(i)
            k = bisect_left(marks, i)
            return min(end, marks[k]) if k < len(marks) else end

        def clause_start(i: int) -> int:
            start, _ = sent_bounds(i)
            k = bisect_left(breaks, i) - 1
            return max(start, breaks[k] + 1) if k >= 0 else start

        def back_start(i: int) -> int:
            """Where a backward cue's scope starts: its sentence, and the one before when
            the two are joined by ";" or the cue's sentence opens by referring back."""
            start, _ = sent_bounds(i)
            if start == 0:
                return start
            linked = False
            j = start - 1
            while j > 0 and arrays.is_space[j]:
                j -= 1
            if lowers[j] == self._semicolon:
                linked = True
            else:
                reach = min(i, start + _ANAPHOR_REACH)
                linked = any(lowers[k] in self._anaphors for k in range(start, reach))
            return sent_bounds(start - 1)[0] if linked else start

        reports = [c[1] for c in kept if c[0] in ("hedge", "third")]

        def back_from(i: int) -> int:
            """Start of a backward cue's scope: ``back_start``, at most ``back_window`` tokens
            back, and no earlier than a report or hedge cue in between ("..., and it was
            alleged that X, but this is not true" covers "alleged that X", not what came
            before it)."""
            a = max(back_start(i), i - self.back_window)
            k = bisect_left(reports, i) - 1
            if k >= 0 and reports[k] >= a:
                a = reports[k]
            return a

        def mark(flags: list[int], a: int, b: int, cue: int) -> None:
            for i in range(max(0, a), min(n, b)):
                if flags[i] == NO_CUE:
                    flags[i] = cue

        for kind, s, e in kept:
            if kind == "neg_pre":
                if e - s > 1 and lowers[s] == self._no:
                    mark(neg, s + 1, e, s)  # "no disclosures of": the noun is negated too
                mark(neg, e, min(clause_end(e, breaks), e + self.neg_window), s)
            elif kind == "neg_back":
                mark(neg, back_from(s), s, s)
            elif kind == "hedge_back":
                mark(hedge, back_from(s), s, s)
            elif kind == "hist_back":
                mark(hist, back_from(s), s, s)
            elif kind == "neg_post":
                mark(neg, max(clause_start(s), s - self.neg_window), s, s)
                mark(neg, e, min(clause_end(e, breaks), e + self.neg_window), s)
            elif kind == "neg_post_final":
                if clause_end(e, breaks) == e:
                    mark(neg, max(clause_start(s), s - self.neg_window), s, s)
                else:
                    mark(neg, e, min(clause_end(e, breaks), e + self.neg_window), s)
            elif kind == "hedge":
                if lowers[s] == self._question:
                    mark(hedge, sent_bounds(s)[0], s, s)
                else:
                    mark(hedge, clause_start(s), s, s)
                    mark(hedge, e, min(clause_end(e, breaks), e + self.hedge_window), s)
            elif kind == "third":
                mark(third, clause_start(s), s, s)
                mark(third, e, clause_end(e, strong), s)
            elif kind == "hist":
                end = clause_end(e, strong)
                k = bisect_left(resets, e)
                if k < len(resets):
                    end = min(end, resets[k])
                mark(hist, clause_start(s), s, s)
                mark(hist, s, end, s)
        doc._.cs_scope = ScopeFlags(neg, hedge, hist, third, sent, len(sent_starts))
        return doc


class Sentencizer:
    """Pipeline component: sentence boundaries after ``punct`` tokens and line breaks.

    Like spaCy's ``sentencizer`` (a sentence starts at the first non-punctuation token
    after a sentence-final token) but computed on the token hashes and written back in one
    ``Doc.from_array`` call; also leaves each token's sentence index for ``cs_scope``.
    """

    def __init__(self, nlp: Language, name: str, *, punct: list[str]) -> None:
        self.name = name
        self._final = frozenset(nlp.vocab.strings.add(p) for p in punct)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            doc.user_data[SENT_KEY] = []
            return doc
        arrays = cached_arrays(doc)
        orth = arrays.cols[1]  # LOWER: the same as ORTH for punctuation
        is_punct = arrays.is_punct
        is_space = arrays.is_space
        final = self._final
        starts = [1] + [-1] * (n - 1)
        sent = [0] * n
        k = 0
        seen = False
        for i in range(n):
            h = orth[i]
            if seen and not is_punct[i] and not is_space[i] and h not in final:
                starts[i] = 1
                k += 1
                seen = False
            elif h in final or (is_space[i] and "\n" in doc.vocab.strings[h]):
                seen = True
            sent[i] = k
        column: Any = np.asarray(starts, dtype="int64").astype("uint64").reshape(n, 1)
        doc.from_array([SENT_START], column)
        doc.user_data[SENT_KEY] = sent
        return doc


@Language.factory(
    "cs_sentences", default_config={"punct": [".", "!", "?", "...", ";", "!!", "??", "?!"]}
)
def cs_sentences(nlp: Language, name: str, punct: list[str]) -> Sentencizer:
    """Factory of the sentence-boundary component (line breaks always end a sentence)."""
    return Sentencizer(nlp, name, punct=punct)


@Language.factory(
    "cs_scope", default_config={"neg_window": 6, "hedge_window": 10, "back_window": 24}
)
def cs_scope(
    nlp: Language, name: str, neg_window: int, hedge_window: int, back_window: int
) -> ScopeMarker:
    """Factory of the scope component; windows are in tokens (``back_window``: how far a
    backward cue such as "..., but this turned out to be untrue" reaches)."""
    return ScopeMarker(
        nlp, name, neg_window=neg_window, hedge_window=hedge_window, back_window=back_window
    )
