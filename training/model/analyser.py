"""The text pipeline as a scikit-learn transformer: contacts in, their analyses out.

The spaCy analysis (redaction, tokens with scope flags, indicator matches) is the expensive
step, so it runs once per contact in ``ContactAnalyser`` and every feature block reads its
compact output, :class:`AnalysedContacts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import validate_data

from training.model.parallel import frozen_heap, in_two, scoring_processes

__all__ = ["AnalysedContacts", "ContactAnalyser", "marked_tokens"]


@dataclass(frozen=True, slots=True)
class AnalysedContacts:
    """Contacts after the text pipeline, in the compact form the features read.

    ``word_docs`` are the marked tokens joined by spaces; ``indicator_rows`` the indicator
    matches as ``(label, level, negated, hedged, historical, third_party)``; ``analyses``
    keeps each contact's ``training.text.CompactAnalysis`` with token spans and full
    indicator matches only when asked (scoring, for explanations), since holding them for a
    million training contacts would not fit in memory. ``plains`` are the words as written
    (``CompactAnalysis.plain``), which a sentence embedding reads.
    """

    word_docs: tuple[str, ...]
    indicator_rows: tuple[tuple[tuple[str, int, bool, bool, bool, bool], ...], ...]
    sources: tuple[str | None, ...]
    analyses: tuple[Any, ...] | None = None
    plains: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.word_docs)

    def part(self, start: int, stop: int) -> AnalysedContacts:
        """Contacts ``start`` to ``stop`` (without the full analyses)."""
        return AnalysedContacts(
            self.word_docs[start:stop],
            self.indicator_rows[start:stop],
            self.sources[start:stop],
            None,
            self.plains[start:stop],
        )

    def plus(self, other: AnalysedContacts) -> AnalysedContacts:
        """These contacts, then ``other``'s (without the full analyses)."""
        return AnalysedContacts(
            self.word_docs + other.word_docs,
            self.indicator_rows + other.indicator_rows,
            self.sources + other.sources,
            None,
            self.plains + other.plains,
        )

    @classmethod
    def of(cls, full: Sequence[Any], sources: Sequence[str | None]) -> AnalysedContacts:
        """Contacts from their full analyses (``compact_many(..., spans=True)``)."""
        full = tuple(full)
        return cls(
            tuple(p.marked for p in full),
            tuple(p.rows for p in full),
            tuple(sources),
            full,
            tuple(p.plain for p in full),
        )

    def with_sources(self, sources: tuple[str | None, ...]) -> AnalysedContacts:
        """The same contacts under other sources."""
        return AnalysedContacts(
            self.word_docs, self.indicator_rows, sources, self.analyses, self.plains
        )


def marked_tokens(analysis: Any) -> list[tuple[str, str, int, int]]:
    """The word tokens of one contact as ``(marked, plain, start, end)``.

    ``marked`` carries the negation/historical prefix used by the word n-grams; ``plain`` is
    the bare normalised token used by the character n-grams (PII placeholders have no
    characters worth learning, so they get an empty ``plain``). Punctuation is dropped, and
    so are protected cues (pronouns, sex words, religion, language), so that the score
    cannot move with them.
    """
    from training.text import feature_norm, mark

    out: list[tuple[str, str, int, int]] = []
    text = analysis.text
    for tok in analysis.tokens:
        norm = feature_norm(tok.norm, text[tok.start : tok.end].lower())
        if norm is None:
            continue
        marked = mark(
            norm,
            negated=tok.negated,
            historical=tok.historical,
            hedged=tok.hedged,
            third_party=tok.third_party,
        )
        plain = "" if norm.startswith("[") else norm
        out.append((marked, plain, tok.start, tok.end))
    return out


def _full_chunk(args: tuple[list[str], int]) -> list[Any]:
    from training.text import compact_many

    texts, batch_size = args
    return compact_many(texts, batch_size=batch_size, spans=True)


def _compact_chunk(
    args: tuple[list[str], list[str | None], int],
) -> tuple[tuple[str, ...], tuple[Any, ...], tuple[str, ...]]:
    from training.text import compact_many

    texts, _, batch_size = args
    parts = compact_many(texts, batch_size=batch_size)
    return (
        tuple(p.marked for p in parts),
        tuple(p.rows for p in parts),
        tuple(p.plain for p in parts),
    )


class ContactAnalyser(TransformerMixin, BaseEstimator):
    """DataFrame with ``text`` (and optional ``source``) -> ``AnalysedContacts``.

    Stateless: ``fit`` learns nothing. The spaCy pipeline is built lazily by
    ``training.text.get_nlp()`` on first use and is never pickled with the model.
    """

    def __init__(
        self,
        batch_size: int = 256,
        keep_analyses: bool = True,
        chunk_size: int = 5_000,
        n_jobs: int = 1,
    ) -> None:
        self.batch_size = batch_size
        self.keep_analyses = keep_analyses
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs

    def fit(self, X: pd.DataFrame, y: Any = None) -> ContactAnalyser:
        """Learns nothing; records the input's columns as scikit-learn does
        (``n_features_in_``, ``feature_names_in_``)."""
        if "text" not in X:
            raise ValueError("the input needs a 'text' column")
        validate_data(self, X, skip_check_array=True)
        return self

    def transform(self, X: pd.DataFrame) -> AnalysedContacts:
        if "text" not in X:
            raise ValueError("the input needs a 'text' column")
        texts = [str(t) for t in X["text"].tolist()]
        if "source" in X:
            sources: list[str | None] = [
                None if s is None or (isinstance(s, float) and np.isnan(s)) else str(s)
                for s in X["source"].tolist()
            ]
        else:
            sources = [None] * len(texts)
        return self.transform_texts(texts, sources)

    def transform_texts(
        self, texts: Sequence[str], sources: Sequence[str | None], *, parallel: bool = True
    ) -> AnalysedContacts:
        """The same as ``transform`` without a DataFrame (the scoring fast path). With
        ``parallel=False`` a large batch is never split over two processes (the caller
        splits it already)."""
        from training.text import compact_many

        texts = list(texts)
        sources = list(sources)
        if self.keep_analyses:
            if parallel and scoring_processes(len(texts)) > 1:
                return AnalysedContacts.of(self._full_in_two(texts), sources)
            return AnalysedContacts.of(
                compact_many(texts, batch_size=self.batch_size, spans=True), sources
            )
        docs: list[str] = []
        rows: list[Any] = []
        chunks = [
            (texts[i : i + self.chunk_size], sources[i : i + self.chunk_size], self.batch_size)
            for i in range(0, len(texts), self.chunk_size)
        ]
        if self.n_jobs > 1 and len(chunks) > 1:
            # Processes, not spaCy's n_process: each returns only the compact form (short
            # strings and tuples), so little crosses the process boundary.
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("fork")
            # Frozen, the parent's objects are never walked by a child's garbage collector,
            # which wrote to every one of them (copy-on-write page faults): ~8% faster.
            with (
                frozen_heap(),
                ProcessPoolExecutor(max_workers=self.n_jobs, mp_context=context) as pool,
            ):
                parts = list(pool.map(_compact_chunk, chunks))
        else:
            parts = [_compact_chunk(c) for c in chunks]
        plains: list[str] = []
        for part_docs, part_rows, part_plains in parts:
            docs.extend(part_docs)
            rows.extend(part_rows)
            plains.extend(part_plains)
        return AnalysedContacts(tuple(docs), tuple(rows), tuple(sources), None, tuple(plains))

    def _full_in_two(self, texts: list[str]) -> list[Any]:
        """Full analyses of a large batch: the second half in a forked child while this
        process does the first (the child shares the loaded pipeline copy-on-write)."""
        half = (len(texts) + 1) // 2
        return in_two(_full_chunk, (texts[:half], self.batch_size), (texts[half:], self.batch_size))

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
