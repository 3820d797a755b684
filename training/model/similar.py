"""Similar cases: the nearest examples beside a score, from an index built at training time.

A score alone does not say "compared with what?". The index holds the guidance corpus
(contacts written by hand and graded by the published levels of need) and, where a
deployment allows it (``similar.past_contacts``), recent past contacts of the training
export as redacted text with their outcome and a date band. It is built by
``training.lifecycle.train`` and kept inside the ``ScreenerModel``, so it is part of the
verified artifact and a version always shows the examples it was built with.

Vectors are the model's own: its word n-gram TF-IDF block by default (``similar.method``),
or the sentence-embedding block of its feature rows (the static table of
``training.model.embedding``; TF-IDF for a model without one). Both are read from the
feature row the score is computed from, so a search costs one matrix product over a few
thousand unit vectors and the reasons an intersection of sparse rows. On the hand-written
sets the TF-IDF neighbours share the contact's level of need more often (decision 0028).

What is never indexed: texts of the behavioural suite and the hand-written evaluation sets
(the caller passes them; exact copies and near-duplicates are dropped, see
:class:`TextScreen`), ids listed in the removal file (``similar.removals``: guidance ids,
export contact ids, or the ``past-...`` ids of past contacts as shown), and past contacts
received more than ``similar.retention_months`` before the build.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from training.config import SimilarConfig
from training.model.analyser import AnalysedContacts
from training.model.explain import shown
from training.model.features import ContactFeatures, SparseRow, plain_of
from training.model.outputs import SimilarCase

__all__ = [
    "SimilarIndex",
    "TextScreen",
    "build_similar_index",
    "date_band",
    "past_contacts_shown",
    "past_id",
    "read_removals",
    "shown_text",
]

Method = Literal["embedding", "tfidf"]

#: Words of a shared phrase shown per example, and indicators named, at most.
_PHRASES_SHOWN = 3
_INDICATORS_SHOWN = 3
#: A text is a near-duplicate of an excluded one when this share of the smaller one's
#: word 4-grams are in both (a lightly edited copy keeps most of them; see the tests).
_NEAR_SHARE = 0.5
_SHINGLE = 4
#: Verdicts a screen remembers (the guidance corpus's, screened build after build).
_SEEN_MAX = 5_000
#: A word n-gram in more than this share of the indexed examples is too common to name.
_COMMON_SHARE = 0.10
#: ...judged on an index of at least this many examples (a share of a handful means nothing).
_COMMON_MIN_EXAMPLES = 50
#: Up to this many contacts at once, similarities are summed without BLAS (``_similarities``).
_OWN_LOOP_UP_TO = 4
#: What a scope-marked word n-gram is shown with (``training.text.mark``).
_QUALIFIER = {"neg": "denied", "past": "in the past", "hedge": "uncertain", "third": "reported"}


def past_contacts_shown() -> bool:
    """False where the deployment hides past contacts at run time
    (``SCREENER_SIMILAR_PAST_CONTACTS=off``), whatever the version indexed."""
    value = os.environ.get("SCREENER_SIMILAR_PAST_CONTACTS", "on").strip().lower()
    return value not in ("off", "0", "false")


def past_id(redacted_text: str) -> str:
    """The id a past contact is shown and audited by: ``past-`` and 12 hex digits of the
    SHA-256 of its redacted text (the export's contact id is never shown)."""
    return "past-" + hashlib.sha256(redacted_text.encode("utf-8")).hexdigest()[:12]


def date_band(when: Any) -> str:
    """The quarter a contact was received in, as "2024 Q3"."""
    ts = pd.Timestamp(when)
    return f"{ts.year} Q{(ts.month - 1) // 3 + 1}"


def read_removals(path: str | Path) -> frozenset[str]:
    """The ids flagged for removal in ``path``: one a line, blank lines and ``#`` comments
    ignored ("" reads none). A missing file is an error: a removal list that cannot be
    read must stop the build, not let the flagged rows in."""
    if not str(path):
        return frozenset()
    ids = set()
    for line in Path(path).read_text("utf-8").splitlines():
        value = line.split("#", 1)[0].strip()
        if value:
            ids.add(value)
    return frozenset(ids)


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def shown_text(redacted: str) -> str:
    """A redacted text as a past contact is shown: every word that the redactor's name
    lists hold (capitalised, not a capitalised ordinary word such as "Police"; or in lower
    case, a listed name that is no ordinary word) is replaced by ``[name]`` as well. The
    redactor leaves a name that is also a word ("Grace", "Destiny") where context does not
    make it one; on a screen beside a score, hiding a few ordinary words is the lesser
    harm (2,000 generated contacts: no recorded name, address or number left, 63 words
    hidden besides)."""
    from training.text.redact.lexicon import get_lexicon

    lexicon = get_lexicon()
    listed = lexicon.first_names | lexicon.surnames | lexicon.ambiguous
    lower = lexicon.lower_any - lexicon.name_words - lexicon.known_stems

    def hidden(word: str) -> bool:
        if word.isupper() and len(word) <= 3:  # "SEN", "GP", "DV": acronyms
            return False
        if word[:1].isupper():
            return word.lower() in listed and word not in lexicon.never
        return word in lower

    return _WORD.sub(lambda m: "[name]" if hidden(m.group(0)) else m.group(0), redacted)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _digest(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def _shingles(words: list[str]) -> set[int]:
    return {hash(tuple(words[i : i + _SHINGLE])) for i in range(len(words) - _SHINGLE + 1)}


#: The screen of the last excluded texts seen, by their digest (one training process
#: builds many models over the same evaluation sets: tests, ablations).
_SCREENS: dict[str, TextScreen] = {}


def text_screen(excluded: Sequence[str]) -> TextScreen:
    """A :class:`TextScreen` of ``excluded``, shared by the builds of one process."""
    key = hashlib.sha256("\x00".join(excluded).encode("utf-8")).hexdigest()
    screen = _SCREENS.get(key)
    if screen is None:
        _SCREENS.clear()
        screen = _SCREENS[key] = TextScreen(excluded)
    return screen


class TextScreen:
    """The texts that must never be indexed, and the test of a candidate against them: the
    same words (case, spacing and punctuation aside), or a near-duplicate, where at least
    half of the smaller text's word 4-grams occur in the other (texts of fewer than three
    4-grams are compared by their words only)."""

    def __init__(self, excluded: Sequence[str]) -> None:
        self._digests: set[str] = set()
        self._sizes: list[int] = []
        self._postings: dict[int, list[int]] = {}
        for j, text in enumerate(excluded):
            words = _words(text)
            self._digests.add(_digest(words))
            grams = _shingles(words)
            self._sizes.append(len(grams))
            for g in grams:
                self._postings.setdefault(g, []).append(j)
        #: verdicts by text, for texts screened again (the guidance corpus, build after build)
        self._seen: dict[str, bool] = {}

    def __len__(self) -> int:
        return len(self._sizes)

    def hits(self, texts: Sequence[str]) -> np.ndarray:
        """A boolean per text: True where it is an excluded text or a near-duplicate."""
        out = np.zeros(len(texts), dtype=bool)
        for i, text in enumerate(texts):
            verdict = self._seen.get(text)
            if verdict is None:
                verdict = self._hit(text)
                if len(self._seen) < _SEEN_MAX:
                    self._seen[text] = verdict
            out[i] = verdict
        return out

    def _hit(self, text: str) -> bool:
        words = _words(text)
        if _digest(words) in self._digests:
            return True
        grams = _shingles(words)
        shared: dict[int, int] = {}
        for g in grams:
            for j in self._postings.get(g, ()):
                shared[j] = shared.get(j, 0) + 1
        for j, n in shared.items():
            smaller = min(len(grams), self._sizes[j])
            if smaller >= 3 and n >= _NEAR_SHARE * smaller:
                return True
        return False


@dataclass(frozen=True)
class _Examples:
    """One kind of example: each one's fixed fields (``cases``, similarity and reason
    still empty), its unit vector (dense rows for embeddings, sparse for TF-IDF), its unit
    word-block row (for the shared words) and its indicators (for the shared ones)."""

    cases: tuple[SimilarCase, ...]
    vectors: Any
    words: sp.csr_matrix
    indicators: tuple[frozenset[str], ...]

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
        out: list[tuple[SimilarCase, ...]] = []
        for i in range(sims.shape[0]):
            row = sims[i]
            top = np.argpartition(-row, k - 1)[:k] if k < n else np.arange(n)
            # Nearest first; equal similarities in index order (deterministic).
            top = top[np.lexsort((top, -row[top]))]
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


# -- building ----------------------------------------------------------------------------


def build_similar_index(
    features: ContactFeatures,
    guidance: AnalysedContacts,
    corpus: pd.DataFrame,
    *,
    config: SimilarConfig,
    excluded_texts: Sequence[str] = (),
    removals: Collection[str] = frozenset(),
    past: AnalysedContacts | None = None,
    past_frame: pd.DataFrame | None = None,
    as_of: date | None = None,
    guidance_matrix: sp.csr_matrix | None = None,
) -> SimilarIndex | None:
    """The index of a model whose features are fitted: the guidance corpus (``corpus``,
    as ``training.data.guidance.read_guidance`` gives it, read by the text pipeline as
    ``guidance``) and, with ``config.past_contacts``, the past contacts of ``past_frame``
    (``contact_id``, ``received_at``, ``text``, ``outcome``; read as ``past``) received
    within ``config.retention_months`` of ``as_of`` (today when None), the most recent
    ``config.past_max`` at most.

    Rows whose text is one of ``excluded_texts`` or a near-duplicate of one, and rows
    whose id is in ``removals``, are left out. None when nothing is left to index.
    ``guidance_matrix``: the features of ``guidance``, where the caller has them.
    """
    method: Method = config.method
    blocks = features.blocks_
    fallback = method == "embedding" and "embedding" not in blocks
    if fallback:
        method = "tfidf"
    block = blocks["embedding"] if method == "embedding" else blocks["words"]
    screen = text_screen(list(excluded_texts))
    summary: dict[str, Any] = {
        "method": method,
        "embedding_fallback": fallback,
        "excluded_texts": len(screen),
    }

    texts = corpus["text"].astype(str).tolist() if len(corpus) else []
    ids = corpus["contact_id"].astype(str).tolist() if len(corpus) else []
    removed = np.array([i in removals for i in ids], dtype=bool)
    near = screen.hits(texts) if texts else np.zeros(0, dtype=bool)
    keep = np.flatnonzero(~removed & ~near)
    summary.update(
        guidance_removed=int(removed.sum()), guidance_excluded=int((near & ~removed).sum())
    )
    n = len(ids)
    levels = corpus["level"].astype(int).tolist() if n else []
    shows = corpus["indicators"].tolist() if "indicators" in corpus else [()] * n
    why = corpus["reason"].astype(str).tolist() if "reason" in corpus else [""] * n
    cases = [
        SimilarCase(
            kind="guidance",
            id=ids[i],
            similarity=0.0,
            reason="",
            indicators=tuple(shows[i]),
            level=levels[i],
            level_reason=why[i],
        )
        for i in keep
    ]
    kept = _take(guidance, keep)
    matrix = None if guidance_matrix is None else guidance_matrix[keep]
    guidance_examples = _examples(features, kept, cases, method, block, matrix)
    summary["guidance"] = len(guidance_examples)
    analysed_parts, past_parts = [kept], []

    past_examples = None
    if config.past_contacts and past is not None and past_frame is not None:
        past_examples, chosen, counts = _past_examples(
            features,
            past,
            past_frame,
            config,
            screen,
            removals,
            as_of or date.today(),
            method,
            block,
        )
        summary.update(counts)
        if past_examples is not None:
            analysed_parts.append(chosen)
            past_parts.append(past_examples)
    if not len(guidance_examples) and not past_examples:
        return None
    words = blocks["words"]
    return SimilarIndex(
        method=method,
        block=block,
        words_block=words,
        k=config.k,
        past_k=config.past_k,
        guidance=guidance_examples,
        past=past_examples,
        phrases=_phrases(features, analysed_parts, [guidance_examples, *past_parts]),
        levels=_catalogue_levels(),
        summary=summary,
    )


def _past_examples(
    features: ContactFeatures,
    analysed: AnalysedContacts,
    frame: pd.DataFrame,
    config: SimilarConfig,
    screen: TextScreen,
    removals: Collection[str],
    as_of: date,
    method: Method,
    block: tuple[int, int],
) -> tuple[_Examples | None, AnalysedContacts, dict[str, Any]]:
    """The past contacts to index and the counts of those left out. Retention first (a
    contact past it is never read further), then the removal list by contact id, then the
    most recent ``past_max``; of those, evaluation texts and near-duplicates are dropped,
    then any whose shown id is on the removal list, then repeats of a redacted text."""
    from training.text import redact

    received = pd.to_datetime(frame["received_at"].reset_index(drop=True))
    if getattr(received.dt, "tz", None) is not None:
        received = received.dt.tz_convert("UTC").dt.tz_localize(None)
    cutoff = pd.Timestamp(as_of) - pd.DateOffset(months=config.retention_months)
    expired = (received < cutoff).to_numpy()
    contact_ids = frame["contact_id"].astype(str).to_numpy()
    removed = np.array([c in removals for c in contact_ids], dtype=bool) & ~expired
    candidates = np.flatnonzero(~expired & ~removed)
    order = np.argsort(
        -received.to_numpy()[candidates].astype("datetime64[s]").astype(np.int64), kind="stable"
    )
    candidates = candidates[order][: config.past_max]
    texts = frame["text"].astype(str).to_numpy()
    near = screen.hits([texts[i] for i in candidates]) if len(candidates) else np.zeros(0, bool)
    outcomes = frame["outcome"].astype(str).to_numpy()
    cases: list[SimilarCase] = []
    rows: list[int] = []
    seen: set[str] = set()
    shown_removed = 0
    for i in candidates[~near]:
        redacted = shown_text(redact(str(texts[i]))[0])
        pid = past_id(redacted)
        if pid in removals:
            shown_removed += 1
            continue
        if pid in seen:
            continue
        seen.add(pid)
        rows.append(int(i))
        cases.append(
            SimilarCase(
                kind="past_contact",
                id=pid,
                similarity=0.0,
                reason="",
                indicators=(),
                text=redacted,
                outcome=str(outcomes[i]),
                date_band=date_band(received.iloc[i]),
            )
        )
    chosen = _take(analysed, np.asarray(rows, dtype=np.int64))
    asserted = [
        tuple(sorted({r[0] for r in chosen.indicator_rows[n] if not r[2]}))
        for n in range(len(rows))
    ]
    cases = [replace(c, indicators=a) for c, a in zip(cases, asserted, strict=True)]
    examples = _examples(features, chosen, cases, method, block)
    counts = {
        "past": len(examples),
        "past_expired": int(expired.sum()),
        "past_removed": int(removed.sum()) + shown_removed,
        "past_excluded": int(near.sum()),
        "as_of": as_of.isoformat(),
        "retention_months": config.retention_months,
    }
    return (examples if len(examples) else None), chosen, counts


def _take(analysed: AnalysedContacts, rows: np.ndarray) -> AnalysedContacts:
    """Contacts ``rows`` of ``analysed`` (without the full analyses)."""
    pick = [int(i) for i in rows]
    return AnalysedContacts(
        tuple(analysed.word_docs[i] for i in pick),
        tuple(analysed.indicator_rows[i] for i in pick),
        tuple(analysed.sources[i] for i in pick),
        None,
        tuple(analysed.plains[i] for i in pick) if analysed.plains else (),
    )


def _examples(
    features: ContactFeatures,
    analysed: AnalysedContacts,
    cases: list[SimilarCase],
    method: Method,
    block: tuple[int, int],
    X: sp.csr_matrix | None = None,
) -> _Examples:
    """Vectors and word rows of ``analysed`` from the model's own feature rows (the same
    arithmetic as a scored contact's; ``X`` when the caller has them already). An example
    whose vector is zero is left out: it could never be near anything."""
    if not len(analysed):
        return _Examples(
            (), np.zeros((0, block[1] - block[0]), np.float32), sp.csr_matrix((0, 0)), ()
        )
    if X is None:
        X = features.transform(analysed)
    indptr, indices, data = X.indptr, X.indices, X.data
    rows = [
        SparseRow(indices[indptr[i] : indptr[i + 1]], data[indptr[i] : indptr[i + 1]])
        for i in range(X.shape[0])
    ]
    words = _block_rows(rows, features.blocks_["words"])
    if method == "embedding":
        dense = np.asarray(X[:, block[0] : block[1]].toarray(), dtype=np.float32)
        norms = np.linalg.norm(dense, axis=1)
        keep = np.flatnonzero(norms > 1e-12)
        vectors: Any = dense[keep] / norms[keep, None]
    else:
        tf = _block_rows(rows, block)
        keep = np.flatnonzero(np.diff(tf.indptr) > 0)
        vectors = tf[keep]
    indicators = tuple(frozenset(c.indicators) for c in cases)
    return _Examples(
        tuple(cases[i] for i in keep),
        vectors,
        words[keep],
        tuple(indicators[i] for i in keep),
    )


def _phrases(
    features: ContactFeatures,
    analysed: Sequence[AnalysedContacts],
    examples: Sequence[_Examples],
) -> dict[int, str]:
    """How each word column of the indexed examples may be named in a reason, in the
    examples' own written words ("bruis" -> "bruising": the commonest form behind the stem
    in them, never a word of the contact scored). Left out: a column in more than
    ``_COMMON_SHARE`` of the examples ("mum", "school") of an index of at least
    ``_COMMON_MIN_EXAMPLES``, and an n-gram with a function
    word, a placeholder, a word for the referrer or the contact, or a word that is also a
    listed name."""
    from training.text.redact.lexicon import get_lexicon

    lexicon = get_lexicon()
    names = (lexicon.first_names | lexicon.surnames | lexicon.ambiguous) - lexicon.known_stems
    total = sum(len(e) for e in examples)
    counts: dict[int, int] = {}
    for e in examples:
        for c, n in zip(*np.unique(e.words.indices, return_counts=True), strict=True):
            counts[int(c)] = counts.get(int(c), 0) + int(n)
    vocabulary = features.word_names()
    # Each distinct token judged once: its stem, and whether it may be named.
    stem: dict[str, str] = {}
    content: dict[str, bool] = {}

    def nameable(word: str) -> bool:
        if word not in content:
            content[word] = bool(word) and word not in names and shown(f"word:{word}")
        return content[word]

    grams: dict[int, list[str]] = {}
    for c, n in counts.items():
        if total >= _COMMON_MIN_EXAMPLES and n > _COMMON_SHARE * total:
            continue
        tokens = str(vocabulary[c]).split()
        for t in tokens:
            if t not in stem:
                stem[t] = plain_of(t)
        if all(nameable(stem[t]) for t in tokens):
            grams[c] = tokens
    wanted = {stem[t] for tokens in grams.values() for t in tokens}
    surface: dict[str, dict[str, int]] = {}
    for part in analysed:
        for marked, written in zip(part.word_docs, part.plains, strict=False):
            m_tokens, w_tokens = marked.split(), written.split()
            if len(m_tokens) != len(w_tokens):
                continue
            for m, w in zip(m_tokens, w_tokens, strict=True):
                s = stem.get(m)
                if s is None:
                    s = stem[m] = plain_of(m)
                if s in wanted:
                    forms = surface.setdefault(s, {})
                    forms[w] = forms.get(w, 0) + 1
    form = {s: max(sorted(f), key=f.__getitem__) for s, f in surface.items()}
    out: dict[int, str] = {}
    for c, tokens in grams.items():
        words = [form.get(stem[t], stem[t]) for t in tokens]
        if not all(nameable(w) for w in words):
            continue
        marks = sorted({t.split("_", 1)[0] for t in tokens} & _QUALIFIER.keys())
        text = " ".join(words)
        if marks:
            text += " (" + ", ".join(_QUALIFIER[m] for m in marks) + ")"
        out[c] = text
    return out


def _catalogue_levels() -> dict[str, int]:
    from training.text import indicator_catalogue

    return {d.label: int(d.level) for d in indicator_catalogue()}
