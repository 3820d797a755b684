"""The index a model version carries, and the search of it: nearest examples of a scored
contact from its own feature row, with one line on what they share."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from training.model.features import SparseRow
from training.model.outputs import SimilarCase

__all__ = ["Method", "SimilarIndex"]

Method = Literal["embedding", "tfidf"]

#: Words of a shared phrase shown per example, and indicators named, at most.
_PHRASES_SHOWN = 3
_INDICATORS_SHOWN = 3
#: How many times ``k`` nearest examples are read to find ``k`` different concerns.
_GROUP_REACH = 4
#: Up to this many contacts at once, similarities are summed without BLAS (``_similarities``).
_OWN_LOOP_UP_TO = 4


@dataclass(frozen=True)
class _Examples:
    """One kind of example: each one's fixed fields (``cases``, similarity and reason
    still empty), its unit vector (dense rows for embeddings, sparse for TF-IDF), its unit
    word-block row (for the shared words) and its indicators (for the shared ones)."""

    cases: tuple[SimilarCase, ...]
    vectors: Any
    words: sp.csr_matrix
    indicators: tuple[frozenset[str], ...]
    #: the concern each example tells (versions of one concern by different messengers
    #: share it): one example per concern is shown. None: each example its own.
    groups: tuple[str, ...] | None = None

    def __len__(self) -> int:
        return len(self.cases)


@dataclass
class SimilarIndex:
    """The examples a model version shows beside its scores, and how it finds them.

    ``block`` and ``words_block`` are the columns of the model's feature rows that the
    vectors and the shared words are read from; ``phrases`` maps the word columns that may
    be named in a reason to how they are shown (function words, placeholders and words that
    are also names are never named); ``levels`` the catalogue level of each indicator
    label, to name the most serious shared ones first; ``summary`` what was indexed and
    left out, in counts (no text)."""

    method: Method
    block: tuple[int, int]
    words_block: tuple[int, int]
    k: int
    past_k: int
    guidance: _Examples
    past: _Examples | None
    phrases: dict[int, str]
    levels: dict[str, int]
    summary: dict[str, Any] = field(default_factory=dict)

    def query(
        self,
        rows: Sequence[SparseRow],
        asserted: Sequence[Collection[str]],
        *,
        k: int | None = None,
        past_k: int | None = None,
        past: bool = True,
    ) -> list[tuple[SimilarCase, ...]]:
        """The nearest examples of each contact, from its feature row and the indicator
        labels asserted in it: ``k`` guidance examples (the index's own ``k`` when None),
        then ``past_k`` past contacts where indexed and ``past``, each group nearest first.
        ``k`` beyond the number of examples gives them all; 0 none. A contact whose vector
        is zero (no words the model knows) gets none."""
        k = self.k if k is None else k
        past_k = self.past_k if past_k is None else past_k
        if k < 0 or past_k < 0:
            raise ValueError("k and past_k must be 0 or more")
        if not rows:
            return []
        words = _block_rows(rows, self.words_block)
        queries, empty = self._vectors(rows, words)
        found = self._nearest(self.guidance, queries, words, asserted, k)
        if past and self.past is not None and past_k > 0:
            more = self._nearest(self.past, queries, words, asserted, past_k)
            found = [a + b for a, b in zip(found, more, strict=True)]
        return [() if e else f for f, e in zip(found, empty, strict=True)]

    # -- search ------------------------------------------------------------------------

    def _vectors(self, rows: Sequence[SparseRow], words: sp.csr_matrix) -> tuple[Any, np.ndarray]:
        """The contacts' unit vectors (dense for embeddings; for TF-IDF, ``words``, their
        unit word-block rows) and which of them are zero."""
        b0, b1 = self.block
        if self.method == "embedding":
            out = np.zeros((len(rows), b1 - b0), dtype=np.float32)
            for i, row in enumerate(rows):
                keep = (row.indices >= b0) & (row.indices < b1)
                out[i, row.indices[keep] - b0] = row.data[keep]
            norms = np.linalg.norm(out, axis=1)
            empty = norms <= 1e-12
            out /= np.where(empty, 1.0, norms)[:, None]
            return out, empty
        return words, np.diff(words.indptr) == 0

    def _nearest(
        self,
        examples: _Examples,
        queries: Any,
        words: sp.csr_matrix,
        asserted: Sequence[Collection[str]],
        k: int,
    ) -> list[tuple[SimilarCase, ...]]:
        n = len(examples)
        k = min(k, n)
        if k == 0:
            return [()] * queries.shape[0]
        sims = _similarities(queries, examples.vectors)
        # an index pickled before examples had groups has no such attribute
        groups = getattr(examples, "groups", None)
        out: list[tuple[SimilarCase, ...]] = []
        for i in range(sims.shape[0]):
            row = sims[i]
            top = _top(row, k if groups is None else min(n, _GROUP_REACH * k))
            if groups is not None:
                # the nearest version of each concern, k concerns at most
                first: dict[str, int] = {}
                for j in top:
                    first.setdefault(groups[j], int(j))
                top = np.asarray(list(first.values())[:k], dtype=np.int64)
            q_idx, q_val = _row_of(words, i)
            mine = frozenset(asserted[i])
            out.append(
                tuple(
                    replace(
                        examples.cases[j],
                        similarity=round(float(row[j]), 3),
                        reason=self._reason(mine, examples, int(j), q_idx, q_val),
                    )
                    for j in top
                )
            )
        return out

    def _reason(
        self,
        asserted: frozenset[str],
        examples: _Examples,
        j: int,
        q_idx: np.ndarray,
        q_val: np.ndarray,
    ) -> str:
        """One line on what the contact and example ``j`` share: the most serious shared
        indicators, then the heaviest shared word n-grams that may be named."""
        shared = sorted(
            asserted & examples.indicators[j], key=lambda x: (-self.levels.get(x, 0), x)
        )
        e_idx, e_val = _row_of(examples.words, j)
        both, qi, ei = np.intersect1d(q_idx, e_idx, assume_unique=True, return_indices=True)
        weights = q_val[qi] * e_val[ei]
        phrases: list[str] = []
        for c in np.argsort(-weights, kind="stable"):
            name = self.phrases.get(int(both[c]))
            if name is not None and name not in phrases:
                phrases.append(name)
            if len(phrases) == _PHRASES_SHOWN:
                break
        parts = []
        if shared:
            names = ", ".join(s.replace("_", " ") for s in shared[:_INDICATORS_SHOWN])
            parts.append(f"both show {names}")
        if phrases:
            parts.append("shared words " + ", ".join(f'"{p}"' for p in phrases))
        line = (
            "; ".join(parts)
            if parts
            else "close in overall meaning (no shared indicator or distinctive word)"
        )
        return line[0].upper() + line[1:]


def _top(row: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` largest entries of ``row``, nearest first; equal similarities in index
    order (deterministic)."""
    n = len(row)
    top = np.argpartition(-row, k - 1)[:k] if k < n else np.arange(n)
    return top[np.lexsort((top, -row[top]))]


def _similarities(queries: Any, vectors: Any) -> np.ndarray:
    """Cosines of unit ``queries`` against unit ``vectors``, one row per query. A few dense
    queries are summed by numpy's own loop, not BLAS: a multithreaded BLAS product this
    small waits for its threads to wake, which on a busy two-core host made one contact's
    lookup take 8.9 ms at p50 against 0.4 ms (``bench/bench_similar.py``, decision 0028).
    A batch goes through BLAS, where the threads pay."""
    few = queries.shape[0] <= _OWN_LOOP_UP_TO
    if sp.issparse(queries) or sp.issparse(vectors):
        # The examples' rows times the queries' columns (``queries @ vectors.T`` turned the
        # whole index to CSC on every call), a few queries made dense first: a sparse
        # matrix times a dense vector, not two sparse matrices multiplied.
        if few and sp.issparse(queries):
            queries = queries.toarray()
        sims = (vectors @ queries.T).T
        return np.asarray(sims.toarray() if sp.issparse(sims) else sims, dtype=np.float32)
    if few:
        return np.einsum("ij,kj->ik", queries, vectors).astype(np.float32, copy=False)
    return np.asarray(queries @ vectors.T, dtype=np.float32)


def _block_rows(rows: Sequence[SparseRow], block: tuple[int, int]) -> sp.csr_matrix:
    """The ``block`` columns of ``rows`` as a CSR matrix of unit rows (zero rows stay zero)."""
    b0, b1 = block
    indptr = [0]
    indices: list[np.ndarray] = []
    data: list[np.ndarray] = []
    for row in rows:
        keep = (row.indices >= b0) & (row.indices < b1)
        idx = row.indices[keep].astype(np.int64) - b0
        val = row.data[keep].astype(np.float32)
        order = np.argsort(idx, kind="stable")
        idx, val = idx[order], val[order]
        norm = float(np.linalg.norm(val))
        indices.append(idx)
        data.append(val / norm if norm > 0 else val)
        indptr.append(indptr[-1] + len(idx))
    return sp.csr_matrix(
        (
            np.concatenate(data) if data else np.zeros(0, np.float32),
            np.concatenate(indices) if indices else np.zeros(0, np.int64),
            np.asarray(indptr),
        ),
        shape=(len(rows), b1 - b0),
    )


def _row_of(matrix: sp.csr_matrix, i: int) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = matrix.indptr[i], matrix.indptr[i + 1]
    return matrix.indices[lo:hi], matrix.data[lo:hi]
