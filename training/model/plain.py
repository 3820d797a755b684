"""The plain-words member of the served model: word TF-IDF and a logistic regression on the
contact's normalised words, blended into the screener's logit.

The screener reads a contact through the scope reader, the indicator patterns, the
sentence embedding and a proportional-odds target; a plain word TF-IDF + logistic
regression reads it as a bag of words. On text the generator did not write the two err in
different places (the plain model ranks contacts in real layouts better, the screener
reads negation, history and hedging better), and the blend of their calibrated logits beats
either alone on the hand-written development sets and the behavioural development half
(decision 0038).

The member reads the contact's words as written (``AnalysedContacts.plains``): lower case,
after redaction (no name, address or number becomes a feature), without punctuation or
protected cues (pronouns, sex words, religion, language), so that it is as blind to them as
the word features; words of one character are left out, as a plain TF-IDF does. Its weights are stored already
scaled into the blended logit, so that the screener's explanation stays exact: the
intercept plus every phrase's weight, the member's n-grams among them, equals the logit the
calibrator maps to the score.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from training.model.analyser import AnalysedContacts

__all__ = ["PlainWords", "fit_plain_words", "plain_docs"]


def plain_docs(analysed: AnalysedContacts) -> list[str]:
    """What the member reads of each contact: its words as written."""
    if len(analysed.plains) != len(analysed):
        raise ValueError("the analysis holds no written words for the plain-words member")
    return list(analysed.plains)


def _split(doc: str) -> list[str]:
    return [w for w in doc.split() if len(w) > 1]


@dataclass
class PlainWords:
    """A fitted plain-words member: ``logits(docs)`` is its share of the blended logit.

    ``coef`` and ``intercept`` are the member's logistic regression scaled by its weight in
    the blend and its calibration slope (``fit_plain_words``)."""

    vectorizer: TfidfVectorizer
    coef: np.ndarray
    intercept: float
    _names: np.ndarray | None = field(default=None, repr=False)

    def matrix(self, docs: Sequence[str]) -> sp.csr_matrix:
        """The documents' TF-IDF rows, as the fitted vectorizer gives them (to float32
        rounding), computed one document at a time: scikit-learn's ``transform`` costs
        about 2 ms a call whatever the batch, and a document's row never depends on the
        batch it came in."""
        vocabulary = self.vectorizer.vocabulary_
        idf = self.vectorizer.idf_
        n_max = self.vectorizer.ngram_range[1]
        indptr = [0]
        indices: list[np.ndarray] = []
        data: list[np.ndarray] = []
        for doc in docs:
            words = _split(doc)
            grams = list(words)
            for n in range(2, n_max + 1):
                grams += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
            counts = Counter(j for j in map(vocabulary.get, grams) if j is not None)
            idx = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
            tf = np.fromiter((counts[j] for j in idx.tolist()), dtype=np.float64, count=len(idx))
            values = (np.log(tf) + 1.0) * idf[idx]
            norm = float(np.sqrt(values @ values))
            if norm > 0:
                values /= norm
            indices.append(idx)
            data.append(values.astype(np.float32))
            indptr.append(indptr[-1] + len(idx))
        return sp.csr_matrix(
            (
                np.concatenate(data) if data else np.zeros(0, dtype=np.float32),
                np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(indptr) - 1, len(vocabulary)),
        )

    def logits(self, docs: Sequence[str] | sp.csr_matrix) -> np.ndarray:
        """Each document's share of the blended logit, the member's intercept included
        (``docs`` as texts or as their ``matrix``)."""
        X = docs if isinstance(docs, sp.csr_matrix) else self.matrix(docs)
        return np.asarray(X @ self.coef, dtype=np.float64).ravel() + self.intercept

    def contributions(self, doc: str | sp.csr_matrix) -> dict[str, float]:
        """Each n-gram's share of the blended logit for one document, given as its text or
        its row of ``matrix`` (``word:<n-gram>`` keys, as the screener's word features are
        named; the intercept not included)."""
        row = doc if isinstance(doc, sp.csr_matrix) else self.matrix([doc])
        if self._names is None:
            names = np.empty(len(self.vectorizer.vocabulary_), dtype=object)
            for gram, j in self.vectorizer.vocabulary_.items():
                names[j] = gram
            self._names = names
        out: dict[str, float] = defaultdict(float)
        for j, v in zip(row.indices.tolist(), row.data.tolist(), strict=True):
            out["word:" + self._names[j]] += float(v) * float(self.coef[j])
        return dict(out)

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_names"] = None  # rebuilt on first use
        return state


def fit_plain_words(
    docs: Sequence[str],
    y: np.ndarray,
    *,
    sample_weight: np.ndarray | None,
    C: float = 1.0,
    ngram_max: int = 2,
    min_df: int = 2,
    max_features: int = 200_000,
    written: bool = True,
) -> tuple[TfidfVectorizer, LogisticRegression]:
    """Word 1-``ngram_max``-grams of ``docs``, sublinear TF-IDF with L2 rows, an L2
    logistic regression on met / not met. ``written``: the docs are written words already
    (split on spaces, words of one character left out); otherwise raw text, lower-cased
    and split by scikit-learn's default token pattern (the plain baseline)."""
    vectorizer = TfidfVectorizer(
        ngram_range=(1, ngram_max),
        min_df=min_df,
        max_features=max_features,
        sublinear_tf=True,
        dtype=np.float32,
        **({"tokenizer": _split, "token_pattern": None, "lowercase": False} if written else {}),
    )
    X = vectorizer.fit_transform(list(docs))
    vectorizer.stop_words_ = None  # diagnostic only, and larger than the vocabulary
    classifier = LogisticRegression(
        C=C, solver="liblinear", dual=True, tol=1e-3, max_iter=300, random_state=0
    ).fit(X, np.asarray(y), sample_weight=sample_weight)
    return vectorizer, classifier
