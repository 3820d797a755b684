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
- ``chars``: character n-grams of each token, hashed (bounded memory for any corpus),
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

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer, TfidfTransformer
from sklearn.utils.validation import check_is_fitted

from training.data.contract import SOURCES
from training.model.analyser import AnalysedContacts
from training.model.weighting import (
    FLAGS,
    LEVEL_MODES,
    LEVELS,
    TEXT_NORMS,
    Counts,
    flags_of,
    indicator_counts,
    level_mode,
    median_scale,
    tfidf,
)

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

#: Distinct tokens whose hashed character n-grams are kept per process (a service meets new
#: word forms every day; this bounds the memory they take).
_TOKEN_CACHE_MAX = 100_000
#: Up to this many contacts, a document's char counts are summed directly from its tokens'
#: rows; a larger batch goes through one sparse product (whose cost grows with the hashed
#: space's width, not with the batch).
_DIRECT_SUM_UP_TO = 64


class SparseRow(NamedTuple):
    """The non-zero columns of one feature row (``indices`` sorted within each block)."""

    indices: np.ndarray
    data: np.ndarray


def _split(doc: str) -> list[str]:
    """Module-level so a fitted vectoriser pickles without a lambda."""
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

    Fitted state: the word vocabulary (``vocabulary_``) and IDF (``word_idf_``), the
    character IDF (``char_idf_``), the block scales under a non-L2 ``text_norm``
    (``text_scales_``), the indicator labels, and the column range of each block
    (``blocks_``: name -> (start, stop)). ``transform`` and ``rows`` count terms the same
    way and weigh them with the one function ``training.model.weighting.tfidf``.
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
        use_chars: bool = True,
        use_source: bool = False,
        use_indicators: bool = True,
        indicator_labels: Sequence[str] | None = None,
        text_norm: str = "l2",
        embedding_dir: str = "",
        embedding_scale: float = 1.0,
    ) -> None:
        self.word_ngram_max = word_ngram_max
        self.word_min_df = word_min_df
        self.word_max_features = word_max_features
        self.char_ngram_min = char_ngram_min
        self.char_ngram_max = char_ngram_max
        self.char_n_features = char_n_features
        self.use_chars = use_chars
        self.use_source = use_source
        self.use_indicators = use_indicators
        self.indicator_labels = indicator_labels
        self.text_norm = text_norm
        self.embedding_dir = embedding_dir
        self.embedding_scale = embedding_scale

    # -- estimator API -------------------------------------------------------------------

    def fit(self, X: AnalysedContacts, y: Any = None) -> ContactFeatures:
        self.fit_transform(X)
        return self

    def fit_transform(self, X: AnalysedContacts, y: Any = None, **_: Any) -> sp.csr_matrix:
        _check_input(X)
        if self.text_norm not in TEXT_NORMS:
            raise ValueError(f"text_norm must be one of {TEXT_NORMS}, got {self.text_norm!r}")
        counter = CountVectorizer(
            tokenizer=_split,
            token_pattern=None,
            lowercase=False,
            ngram_range=(1, self.word_ngram_max),
            min_df=self.word_min_df,
            max_features=self.word_max_features,
            dtype=np.float64,
        )
        words = _counts_of(counter.fit_transform(X.word_docs))
        self.vocabulary_: dict[str, int] = counter.vocabulary_
        chars = self._char_counts(X.word_docs)
        self.word_idf_ = _idf(words, len(self.vocabulary_))
        self.char_idf_ = _idf(chars, self.char_n_features)
        self.text_scales_: tuple[float, float] | None = None
        if self.text_norm != "l2":
            unit = (
                tfidf(words, self.word_idf_, 1.0, root=False),
                tfidf(chars, self.char_idf_, 1.0, root=False),
            )
            self.text_scales_ = (
                median_scale(unit[0], words.indptr),
                median_scale(unit[1], chars.indptr),
            )
        self.embedder_ = _load_embedder(self.embedding_dir)
        labels = self.indicator_labels
        if labels is None:
            from training.text import indicator_catalogue

            labels = [d.label for d in indicator_catalogue()]
        self.indicator_labels_ = tuple(sorted(set(labels)))
        self._indicator_col_ = {
            (label, flag): i * len(FLAGS) + k
            for i, label in enumerate(self.indicator_labels_)
            for k, flag in enumerate(FLAGS)
        }
        self._source_col_ = {s: i for i, s in enumerate(SOURCES)}
        matrix, self.blocks_ = self._assemble(words, chars, X)
        return matrix

    def transform(self, X: AnalysedContacts) -> sp.csr_matrix:
        check_is_fitted(self, "vocabulary_")
        _check_input(X)
        return self._assemble(self._word_counts(X.word_docs), self._char_counts(X.word_docs), X)[0]

    def rows(self, X: AnalysedContacts) -> list[SparseRow]:
        """Each contact's feature row as a :class:`SparseRow`: the numbers ``transform``
        gives, without a sparse matrix (the scoring path: building, stacking and validating
        scipy matrices cost more than the arithmetic for one contact, and a linear model and
        its explanation read only a row's non-zeros)."""
        check_is_fitted(self, "vocabulary_")
        word_scale, char_scale = self._scales()
        root = self.text_norm == "sqrt"
        words = self._word_counts(X.word_docs)
        chars = self._char_counts(X.word_docs)
        w_val = tfidf(words, self.word_idf_, word_scale, root=root)
        c_val = tfidf(chars, self.char_idf_, char_scale, root=root)
        blocks = self.blocks_
        c0 = blocks["chars"][0]
        level_base = len(self.indicator_labels_) * len(FLAGS)
        emb = self._embedded(X) if self._embedder() is not None else None
        e0 = blocks["embedding"][0] if emb is not None else 0
        out: list[SparseRow] = []
        for i, (matches, source) in enumerate(zip(X.indicator_rows, X.sources, strict=True)):
            w_slice = slice(words.indptr[i], words.indptr[i + 1])
            c_slice = slice(chars.indptr[i], chars.indptr[i + 1])
            parts_i = [words.indices[w_slice], chars.indices[c_slice] + c0]
            parts_f = [w_val[w_slice], c_val[c_slice]]
            if emb is not None:
                parts_i.append(np.arange(e0, e0 + emb.shape[1], dtype=np.int64))
                parts_f.append(emb[i])
            if self.use_indicators and matches:
                ind = indicator_counts(matches, self._indicator_col_, level_base)
                keys = sorted(ind)
                parts_i.append(np.asarray(keys, dtype=np.int64) + blocks["indicators"][0])
                parts_f.append(np.log1p(np.asarray([ind[k] for k in keys])).astype(np.float32))
            if self.use_source and source in self._source_col_:
                parts_i.append(np.asarray([blocks["source"][0] + self._source_col_[source]]))
                parts_f.append(np.ones(1, dtype=np.float32))
            out.append(SparseRow(np.concatenate(parts_i).astype(np.int32), np.concatenate(parts_f)))
        return out

    def nonnegative_columns(self, levels: tuple[int, ...] = (3, 4)) -> np.ndarray:
        """Columns whose weight must never lower a score: an indicator of one of ``levels``
        stated as present (its ``asserted`` flag), and those levels' counts of concerns
        stated first hand, third hand or hedged (not historical, not negated). A boolean
        mask over all columns."""
        check_is_fitted(self, "vocabulary_")
        from training.text import indicator_catalogue

        mask = np.zeros(max(b[1] for b in self.blocks_.values()), dtype=bool)
        if not self.use_indicators:
            return mask
        level_of = {d.label: d.level for d in indicator_catalogue()}
        i0 = self.blocks_["indicators"][0]
        for (label, flag), j in self._indicator_col_.items():
            if flag == "asserted" and level_of.get(label) in levels:
                mask[i0 + j] = True
        base = i0 + len(self.indicator_labels_) * len(FLAGS)
        for li, level in enumerate(LEVELS):
            for mi, mode in enumerate(LEVEL_MODES):
                if level in levels and mode in ("asserted", "third_party", "hedged"):
                    mask[base + li * len(LEVEL_MODES) + mi] = True
        return mask

    def word_names(self) -> np.ndarray:
        """The word n-gram of each word column, in column order."""
        check_is_fitted(self, "vocabulary_")
        names = np.empty(len(self.vocabulary_), dtype=object)
        for gram, j in self.vocabulary_.items():
            names[j] = gram
        return names

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Readable names: ``word:<ngram>``, ``char:<hash>``, ``indicator:<label>:<flag>``,
        ``level:<n>:<mode>`` (``LEVEL_MODES``), ``source:<value>``."""
        check_is_fitted(self, "vocabulary_")
        names = [f"word:{w}" for w in self.word_names()]
        names += [f"char:{i}" for i in range(self.char_n_features)]
        if "embedding" in self.blocks_:
            e0, e1 = self.blocks_["embedding"]
            names += [f"embedding:{i}" for i in range(e1 - e0)]
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

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        state.pop("_char_state", None)  # rebuilt on first use; can be large
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        # A model fitted before one weighting path held the word and char state in
        # scikit-learn's TfidfVectorizer and TfidfTransformer: keep their vocabulary and
        # IDF only.
        legacy = state.pop("word_vectorizer_", None)
        if legacy is not None:
            state["vocabulary_"] = legacy.vocabulary_
            state["word_idf_"] = np.asarray(legacy.idf_, dtype=np.float64)
            state["char_idf_"] = np.asarray(state.pop("char_tfidf_").idf_, dtype=np.float64)
            state.setdefault("text_scales_", None)
            state.pop("n_features_in_", None)
        state.setdefault("use_chars", True)  # fitted before the switch existed
        for cache in ("_hasher_cache", "_token_cache", "_idf_cache"):
            state.pop(cache, None)
        super().__setstate__(state)

    # -- the blocks ----------------------------------------------------------------------

    def check_embeddings(self) -> None:
        """Load (and verify) the configured embedding table; raises ``EmbeddingError``."""
        _load_embedder(self.embedding_dir)

    def _embedder(self) -> Any:
        """The static embedding table (None without one, and for models fitted before it)."""
        return self.__dict__.get("embedder_")

    def _embedded(self, X: AnalysedContacts) -> np.ndarray:
        """Each contact's embedding of its words as written, times ``embedding_scale``."""
        from training.model.embedding import embed

        if len(X.plains) != len(X):
            raise ValueError("the embedding block reads the words as written: analyse again")
        return embed(self._embedder(), list(X.plains)) * np.float32(self.embedding_scale)

    def _scales(self) -> tuple[float | None, float | None]:
        """The fitted constants of the word and char blocks, or ``(None, None)`` when each
        row is L2-normalised."""
        scales = self.text_scales_
        return (None, None) if scales is None else scales

    def _assemble(
        self, words: Counts, chars: Counts, X: AnalysedContacts
    ) -> tuple[sp.csr_matrix, dict[str, tuple[int, int]]]:
        word_scale, char_scale = self._scales()
        root = self.text_norm == "sqrt"
        n = len(X)
        blocks: list[tuple[str, Any]] = [
            ("words", _matrix(words, tfidf(words, self.word_idf_, word_scale, root=root), n, len(self.vocabulary_))),
            ("chars", _matrix(chars, tfidf(chars, self.char_idf_, char_scale, root=root), n, self.char_n_features)),
        ]  # fmt: skip
        if self._embedder() is not None:
            blocks.append(("embedding", sp.csr_matrix(self._embedded(X))))
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

    def _word_counts(self, word_docs: Sequence[str]) -> Counts:
        """Counts of the fitted vocabulary's n-grams, as ``CountVectorizer`` gives them."""
        get = self.vocabulary_.get
        n_max = self.word_ngram_max
        ids: list[int] = []
        indptr = [0]
        for doc in word_docs:
            toks = doc.split()
            grams = (
                toks + [a + " " + b for a, b in zip(toks, toks[1:], strict=False)]
                if n_max >= 2
                else toks
            )
            for n in range(3, n_max + 1):
                grams += [" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1)]
            ids += [j for j in map(get, grams) if j is not None]
            indptr.append(len(ids))
        return _tally(ids, indptr, len(self.vocabulary_))

    def _char_cache(self) -> tuple[HashingVectorizer, dict[str, tuple[np.ndarray, np.ndarray]]]:
        """The character hasher and the hashed rows of the tokens met so far, built once per
        setting of the char parameters (so ``set_params`` acts as ``__init__`` does) and
        never pickled: constructing and validating a hasher per call costs more than
        hashing one contact, and contacts reuse a small vocabulary."""
        key = (self.char_ngram_min, self.char_ngram_max, self.char_n_features)
        cached = self.__dict__.get("_char_state")
        if cached is None or cached[0] != key:
            hasher = HashingVectorizer(
                analyzer="char_wb",
                ngram_range=(self.char_ngram_min, self.char_ngram_max),
                n_features=self.char_n_features,
                alternate_sign=False,
                norm=None,
                lowercase=False,
            )
            cached = self.__dict__["_char_state"] = (key, hasher, {})
        return cached[1], cached[2]

    def token_char_rows(self, tokens: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Hashed character n-grams of each token as ``(indices, counts)`` (cached, bounded)."""
        hasher, cache = self._char_cache()
        absent = set(tokens).difference(cache)
        if absent:
            missing = [t for t in dict.fromkeys(tokens) if t in absent]
            if len(cache) + len(missing) > _TOKEN_CACHE_MAX:
                # Start afresh, and hash every token asked for: the ones cached a moment ago
                # are gone too (a KeyError here was a 500 waiting for a busy service).
                cache.clear()
                missing = list(dict.fromkeys(tokens))
            hashed = sp.csr_matrix(hasher.transform(missing), dtype=np.float32)
            hashed.sum_duplicates()
            for i, tok in enumerate(missing):
                a, b = hashed.indptr[i], hashed.indptr[i + 1]
                cache[tok] = (hashed.indices[a:b].copy(), hashed.data[a:b].copy())
        return [cache[t] for t in tokens]

    def _char_counts(self, word_docs: Sequence[str]) -> Counts:
        """Doc x char-n-gram counts. ``char_wb`` n-grams never cross a space, so the counts
        of a document are the sum of its tokens' counts, computed from cached per-token
        rows: a direct sum for a few documents, (doc x token) @ (token x n-gram) for more.
        Off (``use_chars=False``), the block keeps its columns, all empty."""
        if not self.use_chars:
            n = len(word_docs)
            return Counts(np.zeros(0), np.zeros(0, np.int32), np.zeros(n + 1, np.int64))
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
            return Counts(np.zeros(0), np.zeros(0, np.int32), np.zeros(n_docs + 1, np.int64))
        tok_rows = self.token_char_rows(list(index))
        if n_docs <= _DIRECT_SUM_UP_TO:
            by_doc: list[list[int]] = [[] for _ in range(n_docs)]
            for i, j in zip(rows, cols, strict=True):
                by_doc[i].append(j)
            summed = [_summed([tok_rows[j] for j in toks]) for toks in by_doc]
            return Counts(
                np.concatenate([p[1] for p in summed]),
                np.concatenate([p[0] for p in summed]).astype(np.int32),
                np.concatenate([[0], np.cumsum([len(p[0]) for p in summed])]).astype(np.int64),
            )
        doc_tok = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n_docs, len(index))
        )
        tok_char = sp.csr_matrix(
            (
                np.concatenate([r[1] for r in tok_rows]),
                np.concatenate([r[0] for r in tok_rows]),
                np.concatenate([[0], np.cumsum([len(r[0]) for r in tok_rows])]),
            ),
            shape=(len(index), self.char_n_features),
        )
        return _counts_of(doc_tok @ tok_char)

    def _indicator_matrix(self, indicator_rows: Sequence[Any]) -> sp.csr_matrix:
        labels = self.indicator_labels_
        n_cols = len(labels) * len(FLAGS) + len(LEVELS) * len(LEVEL_MODES)
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        level_base = len(labels) * len(FLAGS)
        for i, matches in enumerate(indicator_rows):
            for j, count in indicator_counts(matches, self._indicator_col_, level_base).items():
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


def _check_input(X: Any) -> None:
    if not isinstance(X, AnalysedContacts):
        raise TypeError("ContactFeatures expects the output of ContactAnalyser")


def _counts_of(matrix: Any) -> Counts:
    """A scipy count matrix as :class:`Counts` (canonical: summed duplicates, sorted)."""
    csr = sp.csr_matrix(matrix)
    csr.sum_duplicates()
    return Counts(csr.data, csr.indices.astype(np.int32), csr.indptr.astype(np.int64))


def _tally(ids: Sequence[int], indptr: Sequence[int], width: int) -> Counts:
    """Per-row counts of column ids (row ``i`` holds ``ids[indptr[i]:indptr[i+1]]``), sorted
    within each row: one sort over the whole batch."""
    starts = np.asarray(indptr, dtype=np.int64)
    n = len(starts) - 1
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(starts))
    keys, counts = np.unique(rows * width + np.asarray(ids, dtype=np.int64), return_counts=True)
    new_rows = keys // width
    return Counts(
        counts.astype(np.float64),
        (keys - new_rows * width).astype(np.int32),
        np.concatenate([[0], np.cumsum(np.bincount(new_rows, minlength=n))]).astype(np.int64),
    )


def _matrix(counts: Counts, values: np.ndarray, n_rows: int, width: int) -> sp.csr_matrix:
    return sp.csr_matrix((values, counts.indices, counts.indptr), shape=(n_rows, width))


def _idf(counts: Counts, width: int) -> np.ndarray:
    """Smoothed IDF by scikit-learn's ``TfidfTransformer`` (``ln((1 + n) / (1 + df)) + 1``)."""
    n = len(counts.indptr) - 1
    return np.asarray(
        TfidfTransformer().fit(_matrix(counts, counts.data, n, width)).idf_, dtype=np.float64
    )


def _summed(tok_rows: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """One document's char n-gram counts from its tokens' rows: sorted columns, counts."""
    if not tok_rows:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    idx = np.concatenate([r[0] for r in tok_rows])
    val = np.concatenate([r[1] for r in tok_rows])
    uniq, inverse = np.unique(idx, return_inverse=True)
    return uniq.astype(np.int64), np.bincount(inverse, weights=val)


def _load_embedder(directory: str) -> Any:
    """The embedding table of ``directory`` ("" for none, "default" for the one ``make
    embeddings`` builds, or ``SCREENER_EMBEDDINGS_DIR`` when set)."""
    if not directory:
        return None
    import os

    from training.model.embedding import DEFAULT_DIR, load_static_model

    if directory == "default":
        directory = os.environ.get("SCREENER_EMBEDDINGS_DIR") or str(DEFAULT_DIR)
    return load_static_model(directory)
