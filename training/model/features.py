"""Features over the text pipeline, as scikit-learn transformers.

The spaCy analysis (redaction, tokens with negation/hedging/historical flags, indicator
matches) is the expensive step, so it runs once per contact in ``ContactAnalyser`` and every
feature block reads its output:

- ``words``: TF-IDF over word n-grams of normalised, redacted tokens; a negated token is
  marked ``neg_``, a historical one ``past_``, a hedged one ``hedge_``, a third-hand one
  ``third_`` ("no marks seen" -> ``neg_mark``), so that a denial does not look like an
  assertion (``training.text.mark``);
- each contact's word and char rows are divided by the square root of their L2 norm times
  the block's median norm (``text_norm="sqrt"``, the default): a serious phrase in a long
  contact is diluted less than by full L2 normalisation (``"l2"``), which let five ordinary
  sentences halve the weight of a disclosure, and more than by one fitted constant per
  block (``"median"``), under which a long contact's score grows with its length (see the
  packaged configuration for the measurements);
- ``chars``: character 3-5-grams of each token, hashed (bounded memory for any corpus),
  TF-IDF weighted: robust to typos ("brusing" shares most n-grams with "bruising");
- ``indicators``: log counts of each risk indicator by flag (asserted, negated, hedged,
  historical, third-party) and asserted counts by level of need;
- ``source``: one-hot of the referral source.

Only ``text`` and ``source`` are read (``contract.MODEL_INPUT_COLUMNS``); audit-only columns
never reach a feature, whatever the input frame holds.

Every block is linear in per-token or per-indicator contributions, which is what lets
``training.model.explain`` explain a linear model exactly. The analysis itself is
``training.model.analyser``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from training.data.contract import SOURCES
from training.model.analyser import AnalysedContacts

__all__ = [
    "FLAGS",
    "LEVELS",
    "LEVEL_MODES",
    "TEXT_NORMS",
    "ContactFeatures",
    "SparseRow",
    "flags_of",
    "level_mode",
    "plain_of",
]

_TOKEN_CACHE_MAX = 100_000

FLAGS: tuple[str, ...] = ("asserted", "negated", "hedged", "historical", "third_party")
LEVELS: tuple[int, ...] = (1, 2, 3, 4)
#: How a match is stated, for the per-level counts: each match counts under one of these, the
#: first that applies from the end (a negated historical mention is negated).
LEVEL_MODES: tuple[str, ...] = ("asserted", "third_party", "hedged", "historical", "negated")
#: ``ContactFeatures.text_norm``: per-contact L2 rows, one fitted scale per block, or the
#: geometric mean of the two (each row divided by the square root of its norm times the
#: block's median norm).
TEXT_NORMS: tuple[str, ...] = ("l2", "median", "sqrt")


class SparseRow(NamedTuple):
    """The non-zero columns of one feature row (``indices`` sorted within each block)."""

    indices: np.ndarray
    data: np.ndarray


def _split(doc: str) -> list[str]:
    """Module-level so the fitted vectoriser pickles without a lambda."""
    return doc.split()


def plain_of(marked: str) -> str:
    """The bare token behind a marked one ("" for PII placeholders)."""
    return _plains([marked])[0]


def _plains(marked: Sequence[str]) -> list[str]:
    """``plain_of`` of each token, in one comprehension (the features' inner loop)."""
    return [
        ""
        if t[:1] == "["
        else t[4:]
        if t[:4] == "neg_"
        else t[5:]
        if t[:5] == "past_"
        else t[6:]
        if t[:6] in ("hedge_", "third_")
        else t
        for t in marked
    ]


class ContactFeatures(TransformerMixin, BaseEstimator):
    """``AnalysedContacts`` -> sparse feature matrix ``[words | chars | indicators | source]``.

    Fitted state: the word vocabulary and IDF, the character IDF, the indicator label list.
    The column ranges of each block are in ``blocks_`` (name -> (start, stop)).
    """

    def __init__(
        self,
        *,
        word_ngram_max: int = 2,
        word_min_df: int = 3,
        word_max_features: int = 200_000,
        char_ngram_min: int = 4,
        char_ngram_max: int = 4,
        char_n_features: int = 2**18,
        use_source: bool = True,
        use_indicators: bool = True,
        indicator_labels: Sequence[str] | None = None,
        text_norm: str = "l2",
    ) -> None:
        self.word_ngram_max = word_ngram_max
        self.word_min_df = word_min_df
        self.word_max_features = word_max_features
        self.char_ngram_min = char_ngram_min
        self.char_ngram_max = char_ngram_max
        self.char_n_features = char_n_features
        self.use_source = use_source
        self.use_indicators = use_indicators
        self.indicator_labels = indicator_labels
        self.text_norm = text_norm

    # -- the blocks ----------------------------------------------------------------------

    def _hasher(self) -> HashingVectorizer:
        """The (stateless) character hasher, built once per instance: constructing and
        validating a new one per call costs more than hashing one contact."""
        cached = self.__dict__.get("_hasher_cache")
        if cached is not None:
            return cached
        hasher = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=(self.char_ngram_min, self.char_ngram_max),
            n_features=self.char_n_features,
            alternate_sign=False,
            norm=None,
            lowercase=False,
        )
        self.__dict__["_hasher_cache"] = hasher
        return hasher

    def token_char_rows(self, tokens: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Hashed character n-grams of each (distinct) token as ``(indices, counts)``.

        Rows are cached per instance, since contacts reuse a small vocabulary; the cache is
        bounded and never pickled.
        """
        cache: dict[str, tuple[np.ndarray, np.ndarray]] = self.__dict__.setdefault("_token_cache", {})
        absent = set(tokens).difference(cache)
        if absent:
            missing = [t for t in dict.fromkeys(tokens) if t in absent]
            if len(cache) + len(missing) > _TOKEN_CACHE_MAX:
                # Start afresh, and hash every token asked for: the ones cached a moment ago
                # are gone too (a KeyError here was a 500 waiting for a busy service).
                cache.clear()
                missing = list(dict.fromkeys(tokens))
            hashed = sp.csr_matrix(self._hasher().transform(missing), dtype=np.float32)
            hashed.sum_duplicates()
            for i, tok in enumerate(missing):
                a, b = hashed.indptr[i], hashed.indptr[i + 1]
                cache[tok] = (hashed.indices[a:b].copy(), hashed.data[a:b].copy())
        return [cache[t] for t in tokens]

    def _char_counts(self, word_docs: Sequence[str]) -> sp.csr_matrix:
        """Doc x char-n-gram counts. ``char_wb`` n-grams never cross a space, so the counts
        of a document are the sum of its tokens' counts, computed from cached per-token
        rows: (doc x token) @ (token x n-gram) for a large batch, a direct sum for a few."""
        index: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for i, doc in enumerate(word_docs):
            for plain in _plains(doc.split()):
                if not plain:
                    continue
                j = index.get(plain)
                if j is None:
                    j = index[plain] = len(index)
                rows.append(i)
                cols.append(j)
        n_docs = len(word_docs)
        if not index:
            return sp.csr_matrix((n_docs, self.char_n_features), dtype=np.float32)
        tok_rows = self.token_char_rows(list(index))
        if n_docs <= 64:
            # A direct sum per document: a sparse product's cost grows with the width of
            # the hashed space.
            by_doc: list[list[int]] = [[] for _ in range(n_docs)]
            for i, j in zip(rows, cols, strict=True):
                by_doc[i].append(j)
            summed = [_summed([tok_rows[j] for j in toks]) if toks else None for toks in by_doc]
            lengths = [0 if p is None else len(p[0]) for p in summed]
            kept = [p for p in summed if p is not None]
            return sp.csr_matrix(
                (
                    np.concatenate([p[1] for p in kept]).astype(np.float32) if kept else np.zeros(0, np.float32),
                    np.concatenate([p[0] for p in kept]).astype(np.int32) if kept else np.zeros(0, np.int32),
                    np.concatenate([[0], np.cumsum(lengths)]),
                ),
                shape=(n_docs, self.char_n_features),
            )
        doc_tok = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n_docs, len(index))
        )
        lengths = [len(r[0]) for r in tok_rows]
        tok_char = sp.csr_matrix(
            (
                np.concatenate([r[1] for r in tok_rows]),
                np.concatenate([r[0] for r in tok_rows]),
                np.concatenate([[0], np.cumsum(lengths)]),
            ),
            shape=(len(index), self.char_n_features),
        )
        return (doc_tok @ tok_char).tocsr()

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        state.pop("_hasher_cache", None)
        state.pop("_token_cache", None)
        state.pop("_idf_cache", None)
        return state

    def _indicator_matrix(self, indicator_rows: Sequence[Any]) -> sp.csr_matrix:
        labels = self.indicator_labels_
        n_cols = len(labels) * len(FLAGS) + len(LEVELS) * len(LEVEL_MODES)
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        col_of = self._indicator_col_
        level_base = len(labels) * len(FLAGS)
        for i, matches in enumerate(indicator_rows):
            counts = _indicator_counts(matches, col_of, level_base)
            for j, count in counts.items():
                rows.append(i)
                cols.append(j)
                vals.append(float(np.log1p(count)))
        return sp.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(len(indicator_rows), n_cols)
        )

    def _source_matrix(self, sources: Sequence[str | None]) -> sp.csr_matrix:
        rows = [i for i, s in enumerate(sources) if s in self._source_col_]
        cols = [self._source_col_[s] for s in sources if s in self._source_col_]  # type: ignore[index]
        return sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(sources), len(SOURCES)),
        )

    # -- estimator API -------------------------------------------------------------------

    def fit(self, X: AnalysedContacts, y: Any = None) -> ContactFeatures:
        self._fit_transform(X)
        return self

    def fit_transform(self, X: AnalysedContacts, y: Any = None, **_: Any) -> sp.csr_matrix:
        return self._fit_transform(X)

    def _fit_transform(self, X: AnalysedContacts) -> sp.csr_matrix:
        if not isinstance(X, AnalysedContacts):
            raise TypeError("ContactFeatures expects the output of ContactAnalyser")
        self.__dict__.pop("_idf_cache", None)
        if self.text_norm not in TEXT_NORMS:
            raise ValueError(f"text_norm must be one of {TEXT_NORMS}, got {self.text_norm!r}")
        row_norm = "l2" if self.text_norm == "l2" else None
        root = self.text_norm == "sqrt"
        self.word_vectorizer_ = TfidfVectorizer(
            tokenizer=_split,
            token_pattern=None,
            lowercase=False,
            ngram_range=(1, self.word_ngram_max),
            min_df=self.word_min_df,
            max_features=self.word_max_features,
            sublinear_tf=True,
            norm=row_norm,
            dtype=np.float32,
        )
        words = self.word_vectorizer_.fit_transform(X.word_docs)
        # The dropped-terms set is only diagnostic and can be larger than the vocabulary.
        self.word_vectorizer_.stop_words_ = None
        self.char_tfidf_ = TfidfTransformer(sublinear_tf=True, norm=row_norm)
        chars = self.char_tfidf_.fit_transform(self._char_counts(X.word_docs)).astype(np.float32)
        self.text_scales_: tuple[float, float] | None = None
        if row_norm is None:
            self.text_scales_ = (_median_scale(words), _median_scale(chars))
            words = _scaled(words, self.text_scales_[0], root)
            chars = _scaled(chars, self.text_scales_[1], root)
        if self.indicator_labels is not None:
            labels = list(self.indicator_labels)
        else:
            from training.text import indicator_catalogue

            labels = [d.label for d in indicator_catalogue()]
        self.indicator_labels_ = tuple(sorted(set(labels)))
        self._indicator_col_ = {
            (label, flag): i * len(FLAGS) + k
            for i, label in enumerate(self.indicator_labels_)
            for k, flag in enumerate(FLAGS)
        }
        self._source_col_ = {s: i for i, s in enumerate(SOURCES)}
        self.n_features_in_ = 1
        matrix, self.blocks_ = self._assemble(words, chars, X)
        return matrix

    def transform(self, X: AnalysedContacts) -> sp.csr_matrix:
        check_is_fitted(self, "word_vectorizer_")
        if not isinstance(X, AnalysedContacts):
            raise TypeError("ContactFeatures expects the output of ContactAnalyser")
        scales = self._scales()
        root = self._root()
        if len(X) <= 64:
            # The same numbers as the fitted vectorisers, without their per-call validation,
            # which costs more than the arithmetic for a few contacts.
            words = _sublinear_tfidf(
                self._word_counts(X.word_docs), self.word_vectorizer_.idf_, scales[0], root
            )
            chars = _sublinear_tfidf(
                self._char_counts(X.word_docs), self.char_tfidf_.idf_, scales[1], root
            )
        else:
            words = self.word_vectorizer_.transform(X.word_docs)
            chars = self.char_tfidf_.transform(self._char_counts(X.word_docs)).astype(np.float32)
            if scales[0] is not None:
                words = _scaled(words, scales[0], root)
            if scales[1] is not None:
                chars = _scaled(chars, scales[1], root)
        return self._assemble(words, chars, X)[0]

    def _scales(self) -> tuple[float | None, float | None]:
        """The fitted constants of the word and char blocks, or ``(None, None)`` when each
        row is L2-normalised (and for models fitted before ``text_norm`` existed)."""
        scales = getattr(self, "text_scales_", None)
        return (None, None) if scales is None else scales

    def _root(self) -> bool:
        """Whether each row is divided by the square root of its norm times the scale's
        inverse (``text_norm="sqrt"``) rather than multiplied by the scale alone."""
        return getattr(self, "text_scales_", None) is not None and self.text_norm == "sqrt"

    def rows(self, X: AnalysedContacts) -> list[SparseRow]:
        """Each contact's feature row as a :class:`SparseRow`: the numbers ``transform``
        gives (to float32 rounding), without a sparse matrix.

        The scoring path: building, stacking and validating scipy matrices cost about a
        millisecond per call whatever the number of contacts, more than the arithmetic for
        one contact; and a linear model and its explanation read only a row's non-zeros.
        """
        check_is_fitted(self, "word_vectorizer_")
        vocab = self.word_vectorizer_.vocabulary_
        word_idf, char_idf = self._idf64()
        word_scale, char_scale = self._scales()
        root = self._root()
        blocks = self.blocks_
        c0 = blocks["chars"][0]
        col_of = self._indicator_col_
        level_base = len(self.indicator_labels_) * len(FLAGS)
        empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0, np.float64)
        out: list[SparseRow] = []
        for doc, matches, source in zip(X.word_docs, X.indicator_rows, X.sources, strict=True):
            toks = doc.split()
            parts_i: list[np.ndarray] = []
            parts_f: list[np.ndarray] = []
            counts = self._gram_counts(toks, vocab)
            if counts:
                w_idx = np.fromiter(counts, np.int64, len(counts))
                w_cnt = np.fromiter(counts.values(), np.float64, len(counts))
                order = np.argsort(w_idx)
                w_idx = w_idx[order]
                parts_i.append(w_idx)
                parts_f.append(_normed((1.0 + np.log(w_cnt[order])) * word_idf[w_idx], word_scale, root))
            plains = [p for p in _plains(toks) if p]
            if plains:
                c_idx, c_cnt = _summed(self.token_char_rows(plains))
                parts_i.append(c_idx + c0)
                parts_f.append(_normed((1.0 + np.log(c_cnt)) * char_idf[c_idx], char_scale, root))
            if self.use_indicators and matches:
                ind = _indicator_counts(matches, col_of, level_base)
                if ind:
                    keys = sorted(ind)
                    parts_i.append(np.asarray(keys, dtype=np.int64) + blocks["indicators"][0])
                    parts_f.append(np.log1p(np.asarray([ind[k] for k in keys], dtype=np.float64)))
            if self.use_source and source in self._source_col_:
                parts_i.append(np.asarray([blocks["source"][0] + self._source_col_[source]]))
                parts_f.append(np.ones(1))
            out.append(
                SparseRow(
                    np.concatenate(parts_i).astype(np.int32) if parts_i else empty_i.astype(np.int32),
                    np.concatenate(parts_f).astype(np.float32) if parts_f else empty_f.astype(np.float32),
                )
            )
        return out

    def _idf64(self) -> tuple[np.ndarray, np.ndarray]:
        """The word and char IDF in float64, converted once per instance (not pickled)."""
        cached = self.__dict__.get("_idf_cache")
        if cached is None:
            cached = self.__dict__["_idf_cache"] = (
                np.asarray(self.word_vectorizer_.idf_, dtype=np.float64),
                np.asarray(self.char_tfidf_.idf_, dtype=np.float64),
            )
        return cached

    def _gram_counts(self, toks: Sequence[str], vocab: dict[str, int]) -> dict[int, int]:
        """Counts of the fitted vocabulary's n-grams in one document's tokens."""
        grams = list(toks)
        for n in range(2, self.word_ngram_max + 1):
            if n == 2:
                grams += [a + " " + b for a, b in zip(toks, toks[1:], strict=False)]
            else:
                grams += [" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1)]
        return Counter([j for j in map(vocab.get, grams) if j is not None])

    def _word_counts(self, word_docs: Sequence[str]) -> sp.csr_matrix:
        """Counts of the fitted vocabulary's n-grams, as ``CountVectorizer`` would give."""
        vocab = self.word_vectorizer_.vocabulary_
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for doc in word_docs:
            counts = self._gram_counts(doc.split(), vocab)
            indices.extend(counts)
            data.extend(counts.values())
            indptr.append(len(indices))
        return sp.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
            shape=(len(word_docs), len(vocab)),
        )

    def _assemble(
        self, words: Any, chars: Any, X: AnalysedContacts
    ) -> tuple[sp.csr_matrix, dict[str, tuple[int, int]]]:
        blocks: list[tuple[str, Any]] = [("words", words), ("chars", chars)]
        if self.use_indicators:
            blocks.append(("indicators", self._indicator_matrix(X.indicator_rows)))
        if self.use_source:
            blocks.append(("source", self._source_matrix(X.sources)))
        spans: dict[str, tuple[int, int]] = {}
        start = 0
        for name, block in blocks:
            spans[name] = (start, start + block.shape[1])
            start += block.shape[1]
        return sp.hstack([b for _, b in blocks], format="csr", dtype=np.float32), spans

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Readable names: ``word:<ngram>``, ``char:<hash>``, ``indicator:<label>:<flag>``,
        ``level:<n>:<mode>`` (``LEVEL_MODES``), ``source:<value>``."""
        check_is_fitted(self, "word_vectorizer_")
        names = [f"word:{w}" for w in self.word_vectorizer_.get_feature_names_out()]
        names += [f"char:{i}" for i in range(self.char_n_features)]
        if self.use_indicators:
            names += [f"indicator:{lab}:{flag}" for lab in self.indicator_labels_ for flag in FLAGS]
            names += [f"level:{lv}:{mode}" for lv in LEVELS for mode in LEVEL_MODES]
        if self.use_source:
            names += [f"source:{s}" for s in SOURCES]
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags


def _summed(tok_rows: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """One document's char n-gram counts from its tokens' rows: sorted columns, counts."""
    idx = np.concatenate([r[0] for r in tok_rows])
    val = np.concatenate([r[1] for r in tok_rows])
    uniq, inverse = np.unique(idx, return_inverse=True)
    return uniq.astype(np.int64), np.bincount(inverse, weights=val)


def _normed(values: np.ndarray, scale: float | None, root: bool = False) -> np.ndarray:
    """One contact's TF-IDF values of a block: L2-normalised, times the fitted scale, or
    (``root``) divided by the square root of their norm over the scale."""
    if scale is not None and not root:
        return values * scale
    norm = float(np.sqrt(np.dot(values, values)))
    if norm <= 0:
        return values
    return values * np.sqrt(scale / norm) if scale is not None else values / norm


def _scaled(block: sp.csr_matrix, scale: float, root: bool) -> sp.csr_matrix:
    """A block of un-normalised TF-IDF rows times the fitted ``scale`` (one over the median
    training norm), or with ``root`` each row times ``sqrt(scale / its norm)``: the
    geometric mean of the median scale and the row's own L2 normalisation."""
    if not root:
        return (block * scale).astype(np.float32)
    # float64 for the arithmetic; a float64 block (a caller's private copy) is scaled in place
    out = sp.csr_matrix(block).astype(np.float64, copy=False)
    norms = _row_norms(out)
    factor = np.sqrt(scale / np.where(norms > 0, norms, scale))
    out.data *= np.repeat(factor, np.diff(out.indptr))
    return out.astype(np.float32)


def _row_norms(block: sp.csr_matrix) -> np.ndarray:
    """The L2 norm of each row of a CSR block (0 for an empty row), in float64."""
    n = block.shape[0]
    lengths = np.diff(block.indptr)
    # Empty rows (a contact with no word) must not shift the sums of the others.
    sq = np.bincount(
        np.repeat(np.arange(n), lengths), weights=np.square(block.data, dtype=np.float64), minlength=n
    )
    return np.sqrt(sq)


def _median_scale(block: sp.csr_matrix) -> float:
    """One over the median L2 norm of the non-empty training rows: the block's values keep
    the magnitude (and so the regularisation) of L2-normalised rows on a typical contact."""
    sq = np.asarray(block.multiply(block).sum(axis=1), dtype=np.float64).ravel()
    norms = np.sqrt(sq[sq > 0])
    median = float(np.median(norms)) if len(norms) else 0.0
    return 1.0 / median if median > 0 else 1.0


def _indicator_counts(
    matches: Sequence[tuple[str, int, bool, bool, bool, bool]],
    col_of: dict[tuple[str, str], int],
    level_base: int,
) -> dict[int, float]:
    """Indicator-block column -> count for one contact's matches: per label by flag, and
    per level asserted or not."""
    counts: dict[int, float] = {}
    for label, level, negated, hedged, historical, third_party in matches:
        for flag in flags_of(negated, hedged, historical, third_party):
            key = col_of.get((label, flag))
            if key is not None:
                counts[key] = counts.get(key, 0.0) + 1.0
        if level in LEVELS:
            mode = level_mode(negated, hedged, historical, third_party)
            offset = LEVELS.index(level) * len(LEVEL_MODES) + LEVEL_MODES.index(mode)
            counts[level_base + offset] = counts.get(level_base + offset, 0.0) + 1.0
    return counts


def level_mode(negated: bool, hedged: bool, historical: bool, third_party: bool) -> str:
    """The one ``LEVEL_MODES`` entry a match counts under in the per-level columns: a serious
    concern stated first hand, reported, hedged, in the past or negated weighs differently
    (measured at 100k: +0.001 of the oracle AUC over asserted / not asserted)."""
    if negated:
        return "negated"
    if historical:
        return "historical"
    if hedged:
        return "hedged"
    return "third_party" if third_party else "asserted"


def _sublinear_tfidf(
    counts: sp.csr_matrix, idf: np.ndarray, scale: float | None = None, root: bool = False
) -> sp.csr_matrix:
    """``TfidfTransformer(sublinear_tf=True, norm="l2")`` with a fitted ``idf``; with
    ``scale``, ``norm=None`` and the values scaled as ``_scaled`` does."""
    out = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    out.sort_indices()
    out.data = (1.0 + np.log(out.data)) * idf[out.indices]
    if scale is not None:
        return _scaled(out, scale, root)
    row_norm = np.repeat(_row_norms(out), np.diff(out.indptr))
    out.data = out.data / np.where(row_norm > 0, row_norm, 1.0)
    return out.astype(np.float32)


def flags_of(negated: bool, hedged: bool, historical: bool, third_party: bool) -> list[str]:
    """The flag columns one indicator match counts towards: exactly one of asserted,
    negated or historical, plus hedged and third-party when they apply."""
    if negated:
        flags = ["negated"]
    elif historical:
        flags = ["historical"]
    else:
        flags = ["asserted"]
    if hedged:
        flags.append("hedged")
    if third_party:
        flags.append("third_party")
    return flags
