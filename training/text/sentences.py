"""Sentence boundaries: the ``cs_sentences`` component.

After sentence-final punctuation and line breaks, and before a capitalised opener written
straight after a word or a number where the writer left out the full stop.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from training.text.rules import cached_arrays
from training.text.scope.marker import SENT_KEY

__all__ = ["RUN_ON_OPENERS", "Sentencizer", "cs_sentences"]


#: Words that, written with a capital straight after a word or a number ("... there have
#: been no further concerns Police stopped her on a train"), start a sentence whose full
#: stop the writer left out: without the boundary, the "no further concerns" before it
#: reached into the new sentence. Names, "Mum", "Dad", "School" and the like are left out:
#: writers capitalise them mid-sentence ("told Mum"). Measured at 100k contacts: +0.001 of
#: the oracle AUC; hand-written sets unchanged.
RUN_ON_OPENERS: tuple[str, ...] = (
    "the",
    "this",
    "that",
    "these",
    "those",
    "there",
    "it",
    "he",
    "she",
    "they",
    "we",
    "his",
    "her",
    "their",
    "our",
    "no",
    "nothing",
    "police",
    "officers",
    "when",
    "while",
    "following",
    "today",
    "yesterday",
    "on",
    "at",
    "in",
    "after",
    "before",
    "during",
    "a",
    "an",
    "both",
    "previously",
    "referrer",
    "consent",
    "information",
)


class Sentencizer:
    """Pipeline component: sentence boundaries after ``punct`` tokens and line breaks, and
    before a capitalised ``openers`` word straight after a word or a number.

    Like spaCy's ``sentencizer`` (a sentence starts at the first non-punctuation token
    after a sentence-final token; a "?" written onto the next word, "Mum ?psychosis", is a
    query mark, not a sentence end) but computed on the token hashes and written back in one
    ``Doc.from_array`` call; also leaves each token's sentence index for ``cs_scope``.
    """

    def __init__(
        self, nlp: Language, name: str, *, punct: list[str], openers: list[str] | None = None
    ) -> None:
        self.name = name
        self._final = frozenset(nlp.vocab.strings.add(p) for p in punct)
        self._query = nlp.vocab.strings.add("?")
        words = RUN_ON_OPENERS if openers is None else openers
        self._openers = frozenset(nlp.vocab.strings.add(w.lower()) for w in words)

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
        query = self._query
        idx = arrays.idx
        length = arrays.length
        starts = [1] + [-1] * (n - 1)
        sent = [0] * n
        k = 0
        seen = False
        openers = self._openers
        cased = arrays.cols[2]  # ORTH: the token as written
        strings = doc.vocab.strings
        for i in range(n):
            h = orth[i]
            if seen and not is_punct[i] and not is_space[i] and h not in final:
                starts[i] = 1
                k += 1
                seen = False
            elif (
                h in openers
                and i > 1
                and cased[i] != h
                and strings[cased[i]][:1].isupper()
                and idx[i - 1] + length[i - 1] < idx[i]
                and _run_on_end(
                    strings[cased[i - 1]],
                    strings[cased[i - 2]] if idx[i - 2] + length[i - 2] == idx[i - 1] else "",
                )
            ):
                # "... no further concerns Police stopped her": a full stop left out
                starts[i] = 1
                k += 1
            elif (h in final or (is_space[i] and "\n" in doc.vocab.strings[h])) and not (
                # a query mark written onto the next word after a space ("Mum ?psychosis,
                # sole carer") marks that word as queried, and ends no sentence
                h == query
                and 0 < i < n - 1
                and idx[i - 1] + length[i - 1] < idx[i]
                and idx[i] + length[i] == idx[i + 1]
                and not is_punct[i + 1]
            ):
                seen = True
            sent[i] = k
        column: Any = np.asarray(starts, dtype="int64").astype("uint64").reshape(n, 1)
        doc.from_array([SENT_START], column)
        doc.user_data[SENT_KEY] = sent
        return doc


#: Closing quotes and brackets: a full stop left out after one ends the sentence too.
_CLOSERS = frozenset({"'", '"', ")", "\u2019", "\u201d"})


def _run_on_end(before: str, attached: str) -> bool:
    """Whether the token ``before`` a capitalised opener can end a sentence whose full stop
    was left out: a word ("concerns", "School") or a number, or a closing quote or bracket
    written straight onto one (``attached``, "" when there is a space: "... is 'hurting mum'
    In 2024"); not an acronym or an initial ("DSL", "J"), nor other punctuation. (Token
    texts come from the vocabulary: ``Doc.text`` walks every token in Python.)"""
    if before in _CLOSERS:
        before = attached
    last = before[-1:]
    return last.islower() or last.isdigit()


@Language.factory(
    "cs_sentences",
    default_config={"punct": [".", "!", "?", "...", ";", "!!", "??", "?!"], "openers": None},
)
def cs_sentences(
    nlp: Language, name: str, punct: list[str], openers: list[str] | None
) -> Sentencizer:
    """Factory of the sentence-boundary component (line breaks always end a sentence;
    ``openers`` None means :data:`RUN_ON_OPENERS`, [] turns run-on splitting off)."""
    return Sentencizer(nlp, name, punct=punct, openers=openers)
