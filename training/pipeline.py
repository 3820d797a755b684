"""The one object that is fitted, logged and served: ``ScreenerModel``.

It chains the text pipeline (``ContactAnalyser``), the features (``ContactFeatures``), a
classifier (one of the candidates from ``build_candidate``), a calibrator fitted on held-out
data, the priority decile edges and the band cut points. ``score_records`` turns texts into
``training.outputs.ScoreRecord``: calibrated score, priority, band, the indicators found and
the explanation.

For a linear classifier the explanation is exact: the intercept plus every feature's
contribution equals the classifier's logit (``explain`` returns all of them; the score
shows the top few). Word n-gram contributions are attributed to their occurrences, the
character n-grams of a token to that token, indicator features to the indicator matches and
the source to no span. When a non-linear candidate is served, the explanation comes from the
best linear candidate and is marked approximate.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.special import expit, log_expit
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from training.config import FeatureConfig, TrainConfig
from training.features import (
    FLAGS,
    LEVEL_MODES,
    LEVELS,
    AnalysedContacts,
    ContactAnalyser,
    ContactFeatures,
    SparseRow,
    _scoring_processes,
    in_two,
    level_mode,
    marked_tokens,
)
from training.outputs import ExplanationPhrase, IndicatorOut, ScoreRecord
from training.text import CompactAnalysis

__all__ = [
    "LIBLINEAR_CANDIDATES",
    "LINEAR_CANDIDATES",
    "ORDINAL_CANDIDATES",
    "LinearExplainer",
    "OrdinalLogisticRegression",
    "ScreenerModel",
    "SparseRow",
    "TextReducer",
    "build_candidate",
    "build_features",
    "fit_proportional_odds",
]

LINEAR_CANDIDATES = frozenset({"logreg_words_chars", "logreg_ordinal", "sgd_modified_huber"})
#: Candidates fitted by liblinear, whose random generator is process-wide.
LIBLINEAR_CANDIDATES = frozenset({"logreg_words_chars"})
#: Candidates fitted to the outcome's rank on ``contract.OUTCOMES`` instead of met/not met.
ORDINAL_CANDIDATES = frozenset({"logreg_ordinal"})


def build_features(config: FeatureConfig) -> tuple[ContactAnalyser, ContactFeatures]:
    """The text pipeline and the feature transformer, configured."""
    return ContactAnalyser(), ContactFeatures(**config.model_dump())


class OrdinalLogisticRegression(ClassifierMixin, BaseEstimator):
    """A proportional-odds logistic regression, scored as a met/not-met classifier.

    ``fit(X, y)`` takes each contact's outcome rank (0 no further action ... 4 child
    protection, ``contract.OUTCOMES``). One weight vector ``w`` and one threshold per cut
    point ``k`` are fitted to P(rank >= k) = sigmoid(x.w + b_k) for every cut at once,
    minimising ``(|w|^2 + |b|^2) / 2 + C * sum over contacts and cuts of the logistic
    loss`` (the objective of an L2 logistic regression on each contact repeated once per
    cut, with a one-hot column per cut as its threshold) by :func:`fit_proportional_odds`,
    on the matrix as it is: memory does not grow with the number of cuts.
    ``decision_function`` is ``x.w`` plus the threshold of ``met_cut`` (referral and
    above), so ``coef_`` and ``intercept_`` explain it exactly, like any linear model;
    ``classes_`` are 0/1 (met), and the calibrator fits on met labels as for the other
    candidates.
    """

    def __init__(
        self,
        C: float = 1.0,
        max_iter: int = 100,
        tol: float = 2e-3,
        cuts: tuple[int, ...] = (1, 2, 3, 4),
        met_cut: int = 3,
    ) -> None:
        self.C = C
        self.max_iter = max_iter
        self.tol = tol
        self.cuts = cuts
        self.met_cut = met_cut

    def fit(self, X: Any, y: Any) -> OrdinalLogisticRegression:
        X = sp.csr_matrix(X, dtype=np.float32)
        ranks = np.asarray(y, dtype=np.int64)
        if self.met_cut not in self.cuts:
            raise ValueError(f"met_cut {self.met_cut} must be one of the cuts {self.cuts}")
        # A cut with every contact on one side of it (an export that never records
        # "advice", say) says nothing: it is left out. The met cut must stay.
        self.cuts_ = tuple(c for c in self.cuts if 0 < int(np.sum(ranks >= c)) < len(ranks))
        if self.met_cut not in self.cuts_:
            raise ValueError("the training contacts need both met and not-met outcomes")
        targets = np.stack([ranks >= c for c in self.cuts_], axis=1)
        weights, thresholds, self.n_iter_ = fit_proportional_odds(
            X, targets, C=self.C, tol=self.tol, max_iter=self.max_iter
        )
        self.coef_ = weights[None, :]
        self.thresholds_ = dict(zip(self.cuts_, thresholds.tolist(), strict=True))
        self.intercept_ = np.array([self.thresholds_[self.met_cut]])
        self.classes_ = np.array([0, 1])
        self.n_features_in_ = X.shape[1]
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "coef_")
        return np.asarray(sp.csr_matrix(X) @ self.coef_.ravel(), dtype=np.float64) + float(
            self.intercept_[0]
        )

    def predict_proba(self, X: Any) -> np.ndarray:
        p = expit(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        return (self.decision_function(X) > 0).astype(int)


def fit_proportional_odds(
    X: sp.csr_matrix,
    targets: np.ndarray,
    *,
    C: float = 1.0,
    tol: float = 2e-3,
    max_iter: int = 100,
    max_cg: int = 100,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Weights ``w`` and thresholds ``b`` minimising ``(|w|^2 + |b|^2) / 2 - C * sum_ik
    log sigmoid(s_ik (x_i.w + b_k))``, with ``s_ik`` = +1 where ``targets[i, k]`` else -1.

    A truncated Newton method: each step solves the Newton system by conjugate gradients
    preconditioned with the Hessian's diagonal (as liblinear's primal solver does), to a
    residual that tightens as the gradient falls, then backtracks along it (Armijo). Each
    Hessian-vector product costs one product with ``X`` and one with its transpose, whatever
    the number of cuts. Stops when the gradient's norm is ``tol`` times its first norm, or
    after ``max_iter`` steps; deterministic (no random draws). Returns ``(w, b, steps)``.
    """
    X = sp.csr_matrix(X, dtype=np.float32)
    if not X.has_sorted_indices:
        # A sorted copy: another fit sorting the caller's matrix in place (liblinear does)
        # must not move the indices this fit shares with its squares.
        X = X.sorted_indices()
    n, d = X.shape
    Y = np.asarray(targets, dtype=np.float64).reshape(n, -1)
    signs = 2.0 * Y - 1.0
    # The squares of X for the Hessian's diagonal share X's index arrays (no second copy).
    squared = sp.csr_matrix((X.data**2, X.indices, X.indptr), shape=X.shape)

    def times(v: np.ndarray) -> np.ndarray:
        return np.asarray(X @ v.astype(np.float32), dtype=np.float64)

    def times_t(r: np.ndarray) -> np.ndarray:
        return np.asarray(X.T @ r.astype(np.float32), dtype=np.float64)

    def objective(xw: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[float, np.ndarray]:
        z = xw[:, None] + b[None, :]
        return float(0.5 * (_dot(w, w) + _dot(b, b)) - C * log_expit(signs * z).sum()), z

    w, b, xw = np.zeros(d), np.zeros(Y.shape[1]), np.zeros(n)
    f, z = objective(xw, w, b)
    first_norm = 0.0
    step_count = 0
    for step_count in range(1, max_iter + 1):
        p = expit(z)
        residual = p - Y
        curvature = p * (1.0 - p)
        gw = w + C * times_t(residual.sum(axis=1))
        gb = b + C * residual.sum(axis=0)
        norm = float(np.sqrt(_dot(gw, gw) + _dot(gb, gb)))
        first_norm = first_norm or norm
        if norm <= tol * first_norm:
            step_count -= 1
            break
        diag_w = 1.0 + C * np.asarray(squared.T @ curvature.sum(axis=1).astype(np.float32))
        diag_b = 1.0 + C * curvature.sum(axis=0)
        sw, sb = _preconditioned_cg(
            functools.partial(
                _hessian_times, curvature=curvature, C=C, times=times, times_t=times_t
            ),
            (-gw, -gb),
            (diag_w, diag_b),
            target=min(0.5, np.sqrt(norm / first_norm)) * norm,
            max_cg=max_cg,
        )
        xs = times(sw)
        slope = _dot(gw, sw) + _dot(gb, sb)
        t = 1.0
        while True:
            f_new, z_new = objective(xw + t * xs, w + t * sw, b + t * sb)
            if f_new <= f + 1e-4 * t * slope or t < 1e-6:
                break
            t *= 0.5
        w, b, xw, f, z = w + t * sw, b + t * sb, xw + t * xs, f_new, z_new
    return w, b, step_count


def _hessian_times(
    vw: np.ndarray,
    vb: np.ndarray,
    curvature: np.ndarray,
    C: float,
    times: Callable[[np.ndarray], np.ndarray],
    times_t: Callable[[np.ndarray], np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    q = curvature * (times(vw)[:, None] + vb[None, :])
    return vw + C * times_t(q.sum(axis=1)), vb + C * q.sum(axis=0)


def _preconditioned_cg(
    hessian_times: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    rhs: tuple[np.ndarray, np.ndarray],
    diagonal: tuple[np.ndarray, np.ndarray],
    *,
    target: float,
    max_cg: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Approximately solve ``H s = rhs`` over the pair ``(weights, thresholds)``."""
    rw, rb = rhs[0].copy(), rhs[1].copy()
    sw, sb = np.zeros_like(rw), np.zeros_like(rb)
    zw, zb = rw / diagonal[0], rb / diagonal[1]
    dw, db = zw.copy(), zb.copy()
    rz = _dot(rw, zw) + _dot(rb, zb)
    for _ in range(max_cg):
        hw, hb = hessian_times(dw, db)
        alpha = rz / (_dot(dw, hw) + _dot(db, hb))
        sw += alpha * dw
        sb += alpha * db
        rw -= alpha * hw
        rb -= alpha * hb
        if np.sqrt(_dot(rw, rw) + _dot(rb, rb)) <= target:
            break
        zw, zb = rw / diagonal[0], rb / diagonal[1]
        rz_new = _dot(rw, zw) + _dot(rb, zb)
        dw, db = zw + (rz_new / rz) * dw, zb + (rz_new / rz) * db
        rz = rz_new
    return sw, sb


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """``a . b`` by numpy's own pairwise sum, not BLAS: a threaded BLAS may split a dot
    product differently when another fit runs beside it, and the fit must not depend on
    what else runs."""
    return float(np.add.reduce(a * b))


class TextReducer(TransformerMixin, BaseEstimator):
    """Sparse ``[words | rest]`` -> dense ``[SVD(words) | rest]`` for tree models.

    ``text_columns`` is the number of leading columns (the word block) to reduce; the other
    columns (indicators, source, and the hashed chars unless ``keep_from`` skips them) pass
    through. ``keep_from`` is the first passthrough column.
    """

    def __init__(
        self,
        n_components: int = 64,
        text_columns: int = 0,
        keep_from: int = 0,
        random_state: int = 0,
    ) -> None:
        self.n_components = n_components
        self.text_columns = text_columns
        self.keep_from = keep_from
        self.random_state = random_state

    def fit(self, X: Any, y: Any = None) -> TextReducer:
        X = sp.csr_matrix(X)
        n_comp = max(1, min(self.n_components, self.text_columns - 1, X.shape[0] - 1))
        self.svd_ = TruncatedSVD(n_components=n_comp, random_state=self.random_state, n_iter=4)
        self.svd_.fit(X[:, : self.text_columns])
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "svd_")
        X = sp.csr_matrix(X)
        reduced = self.svd_.transform(X[:, : self.text_columns])
        rest = X[:, self.keep_from :].toarray()
        return np.hstack([reduced, rest]).astype(np.float32)


def build_candidate(name: str, config: TrainConfig, *, blocks: dict[str, tuple[int, int]]) -> Any:
    """An unfitted classifier over ``ContactFeatures`` output, by candidate name."""
    cands = config.candidates
    if name == "logreg_words_chars":
        c = cands.logreg_words_chars
        # The dual solver: several times faster than the primal one when, as here, there are
        # more features than contacts, with the same solution.
        return LogisticRegression(
            C=c.C, max_iter=c.max_iter, tol=c.tol, solver="liblinear", dual=True, random_state=0
        )
    if name == "logreg_ordinal":
        o = cands.logreg_ordinal
        return OrdinalLogisticRegression(C=o.C, max_iter=o.max_iter, tol=o.tol, cuts=o.cuts)
    if name == "sgd_modified_huber":
        s = cands.sgd_modified_huber
        return SGDClassifier(
            loss="modified_huber", alpha=s.alpha, max_iter=s.max_iter, tol=1e-4, random_state=0
        )
    if name == "hgb_indicators_svd":
        h = cands.hgb_indicators_svd
        words_stop = blocks["words"][1]
        keep_from = blocks.get("indicators", blocks.get("source", (blocks["chars"][1], 0)))[0]
        return Pipeline(
            [
                (
                    "reduce",
                    TextReducer(h.svd_components, text_columns=words_stop, keep_from=keep_from),
                ),
                (
                    "hgb",
                    HistGradientBoostingClassifier(
                        max_iter=h.max_iter,
                        learning_rate=h.learning_rate,
                        early_stopping=True,
                        validation_fraction=0.1,
                        random_state=0,
                    ),
                ),
            ]
        )
    raise ValueError(f"unknown candidate {name!r}")


def _linear_params(classifier: Any) -> tuple[np.ndarray, float]:
    coef = np.asarray(classifier.coef_, dtype=np.float64).ravel()
    return coef, float(np.ravel(classifier.intercept_)[0])


@dataclass
class LinearExplainer:
    """Exact per-feature contributions of a linear classifier over ``ContactFeatures``."""

    features: ContactFeatures
    coef: np.ndarray
    intercept: float
    _word_names: np.ndarray | None = field(default=None, repr=False)

    def _names(self) -> np.ndarray:
        if self._word_names is None:
            self._word_names = self.features.word_vectorizer_.get_feature_names_out()
        return self._word_names

    def contributions(
        self,
        analysis: Any,
        source: str | None,
        row: sp.csr_matrix | SparseRow,
        *,
        top_k: int | None = None,
    ) -> tuple[list[ExplanationPhrase], float]:
        """Contributions for one contact, grouped into phrases, and the exact logit.

        ``analysis`` is the contact's ``training.text.CompactAnalysis`` (with spans) or full
        ``Analysis``; ``row`` its feature row. With ``top_k=None`` every phrase is returned and their weights
        plus the intercept equal the logit (up to float rounding); otherwise the ``top_k``
        largest by absolute weight, largest first. Spans are looked up only for the phrases
        returned (the scoring path asks for a few).
        """
        feats = self.features
        blocks = feats.blocks_
        idx = row.indices
        contrib = row.data.astype(np.float64) * self.coef[idx]
        logit = self.intercept + float(contrib.sum())
        weights: dict[str, float] = {}
        spans: dict[str, list[tuple[int, int]]] = {}
        toks = analysis.words if isinstance(analysis, CompactAnalysis) else marked_tokens(analysis)

        # Word n-grams: one column per n-gram, so one key each.
        w0, w1 = blocks["words"]
        in_words = (idx >= w0) & (idx < w1)
        if in_words.any():
            grams = self._names()[idx[in_words] - w0].tolist()
            weights.update(
                zip(["word:" + g for g in grams], contrib[in_words].tolist(), strict=True)
            )

        # Character n-grams: split each n-gram's contribution over the tokens holding it, in
        # proportion to their raw counts, so each token's share is exact. Only the n-grams
        # present in this contact are touched (no vector as wide as the hashed space).
        c0, c1 = blocks["chars"]
        in_chars = (idx >= c0) & (idx < c1)
        if in_chars.any():
            tally = Counter([t[1] for t in toks if t[1]])
            if tally:
                uniq = sorted(tally)
                count = np.array([tally[u] for u in uniq], dtype=np.float64)
                tok_rows = feats.token_char_rows(uniq)
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
                    pos[present],
                    weights=(tok_val * count[row_of])[present],
                    minlength=len(doc_idx),
                )
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratio = np.where(raw > 0, doc_contrib / raw, 0.0)
                share = np.where(present, tok_val * ratio[pos], 0.0)
                token_total = np.bincount(row_of, weights=share, minlength=len(uniq)) * count
                # Added to a word n-gram's weight of the same name; new keys in token order.
                by_token = dict(zip(["word:" + u for u in uniq], token_total.tolist(), strict=True))
                for key in by_token.keys() & weights.keys():
                    by_token[key] += weights[key]
                weights.update(by_token)

        # Indicators: each (label, flag) or level column to the matches behind it.
        if "indicators" in blocks:
            i0, i1 = blocks["indicators"]
            in_ind = (idx >= i0) & (idx < i1)
            if in_ind.any():
                labels = feats.indicator_labels_
                n_label_cols = len(labels) * len(FLAGS)
                for j, c in zip(idx[in_ind] - i0, contrib[in_ind].tolist(), strict=True):
                    if j < n_label_cols:
                        label = labels[j // len(FLAGS)]
                        flag = FLAGS[j % len(FLAGS)]
                        key = (
                            f"indicator:{label}"
                            if flag == "asserted"
                            else f"indicator:{label}:{flag}"
                        )
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
                            and level_mode(m.negated, m.hedged, m.historical, m.third_party)
                            == mode
                        ]
                    weights[key] = weights.get(key, 0.0) + c
                    spans.setdefault(key, []).extend((m.start, m.end) for m in matches)

        if "source" in blocks:
            s0, s1 = blocks["source"]
            in_src = (idx >= s0) & (idx < s1)
            for c in contrib[in_src].tolist():
                key = f"source:{source}"
                weights[key] = weights.get(key, 0.0) + c

        keys = list(weights)
        if top_k is not None and len(keys) > top_k:
            magnitude = np.abs(np.fromiter(weights.values(), dtype=np.float64, count=len(keys)))
            keys = [keys[j] for j in np.argsort(-magnitude, kind="stable")[:top_k]]
        self._word_spans(keys, toks, spans)
        phrases = [
            ExplanationPhrase(
                feature=k, weight=float(weights[k]), spans=tuple(sorted(set(spans.get(k, []))))
            )
            for k in keys
        ]
        return phrases, logit

    def _word_spans(
        self,
        keys: Sequence[str],
        toks: Sequence[tuple[str, str, int, int]],
        spans: dict[str, list[tuple[int, int]]],
    ) -> None:
        """Fill ``spans`` for the ``word:`` keys: every occurrence of the n-gram in the marked
        token stream, or, for a token known only by its character n-grams, every occurrence
        of the bare token."""
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
        for i in [i for i, t in enumerate(toks) if t[0] in heads]:
            marked, _, start, end = toks[i]
            if marked in wanted:
                found[marked].append((start, end))
            for n in range(2, min(n_max, count - i) + 1):
                gram = " ".join(t[0] for t in toks[i : i + n])
                if gram in wanted:
                    found[gram].append((start, toks[i + n - 1][3]))
        for gram in wanted:
            spans["word:" + gram] = found.get(gram) or bare.get(gram, [])


@dataclass
class ScreenerModel:
    """A fitted, calibrated screener: what MLflow stores and the service serves."""

    analyser: ContactAnalyser
    features: ContactFeatures
    classifier: Any
    calibrator: Any
    priority_edges: np.ndarray
    band_cuts: tuple[float, float]
    threshold: float
    candidate: str
    explainer: LinearExplainer | None
    explanation_exact: bool
    top_k: int = 8
    metadata: dict[str, Any] = field(default_factory=dict)

    def featurize(
        self, texts: Sequence[str], sources: Sequence[str | None]
    ) -> tuple[AnalysedContacts, sp.csr_matrix]:
        analysed = self.analyser.transform_texts(list(texts), list(sources))
        return analysed, self.features.transform(analysed)

    def score_matrix(self, X: sp.csr_matrix) -> np.ndarray:
        """Calibrated probabilities of meeting the threshold for feature rows ``X``."""
        fast = self._linear_calibration()
        if fast is not None:
            coef, intercept, calibrator = fast
            logits = np.asarray(X @ coef, dtype=np.float64).ravel() + intercept
            return _calibrated(calibrator, logits)
        return np.asarray(self.calibrator.predict_proba(X)[:, 1], dtype=np.float64)

    def _linear_calibration(self) -> tuple[np.ndarray, float, Any] | None:
        """For a linear classifier with one calibrator: the same computation as
        ``calibrator.predict_proba`` without its per-call validation (the scoring path)."""
        if not self.explanation_exact or self.explainer is None:
            return None
        fitted = getattr(self.calibrator, "calibrated_classifiers_", None)
        if not fitted or len(fitted) != 1 or len(fitted[0].calibrators) != 1:
            return None
        return self.explainer.coef, self.explainer.intercept, fitted[0].calibrators[0]

    def priorities(self, scores: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.priority_edges, scores, side="right") + 1

    def bands(self, scores: np.ndarray) -> list[str]:
        lo, hi = self.band_cuts
        return ["high" if s >= hi else "medium" if s >= lo else "low" for s in scores]

    def score_records(
        self,
        texts: Sequence[str],
        sources: Sequence[str | None] | None = None,
        *,
        explain: bool = True,
    ) -> list[ScoreRecord]:
        """Score contacts: the pyfunc and the service call this. A large batch in a process
        with no other thread is scored in two halves, the second in a forked child
        (analysis, features and explanations alike; see ``features._scoring_processes``)."""
        texts = list(texts)
        sources = [None] * len(texts) if sources is None else list(sources)
        if _scoring_processes(len(texts)) > 1:
            return self._score_in_two(texts, sources, explain)
        return self._score_here(texts, sources, explain)

    def _score_in_two(
        self, texts: list[str], sources: list[str | None], explain: bool
    ) -> list[ScoreRecord]:
        half = (len(texts) + 1) // 2
        # Both halves read the model from a module global (the child from the memory it
        # inherits): nothing big is pickled.
        _FORKED["model"] = self
        try:
            return in_two(
                _score_forked,
                (texts[:half], sources[:half], explain),
                (texts[half:], sources[half:], explain),
            )
        finally:
            _FORKED.clear()

    def _score_here(
        self, texts: list[str], sources: list[str | None], explain: bool
    ) -> list[ScoreRecord]:
        analysed = self.analyser.transform_texts(texts, sources, parallel=False)
        assert analysed.analyses is not None  # the serving analyser keeps them
        linear = self._linear_calibration()
        if linear is not None and len(texts) <= _ROWS_UP_TO:
            # A few contacts: their rows alone, with no sparse matrix.
            coef, intercept, calibrator = linear
            rows = self.features.rows(analysed)
            logits = [intercept + float(r.data.astype(np.float64) @ coef[r.indices]) for r in rows]
            scores = _calibrated(calibrator, np.asarray(logits, dtype=np.float64))
        else:
            X = self.features.transform(analysed)
            scores = self.score_matrix(X)
            # The rows' arrays, not X[i]: slicing a sparse row costs more than explaining it.
            indptr, indices, data = X.indptr, X.indices, X.data
            rows = [
                SparseRow(indices[indptr[i] : indptr[i + 1]], data[indptr[i] : indptr[i + 1]])
                for i in range(X.shape[0])
            ]
        explained: list[tuple[ExplanationPhrase, ...]] = []
        logit_of: list[float | None] = [None] * len(rows)
        if explain and self.explainer is not None:
            for i, row in enumerate(rows):
                top, logit_of[i] = self.explainer.contributions(
                    analysed.analyses[i], sources[i], row, top_k=self.top_k
                )
                explained.append(tuple(top))
        priorities = self.priorities(scores)
        bands = self.bands(scores)
        out: list[ScoreRecord] = []
        for i, analysis in enumerate(analysed.analyses):
            phrases = explained[i] if explained else ()
            logit = logit_of[i]
            indicators = tuple(
                IndicatorOut(
                    label=m.label,
                    level=int(m.level),
                    start=int(m.start),
                    end=int(m.end),
                    negated=bool(m.negated),
                    hedged=bool(m.hedged),
                    historical=bool(m.historical),
                    third_party=bool(m.third_party),
                )
                for m in analysis.indicators
            )
            out.append(
                ScoreRecord(
                    score=float(scores[i]),
                    priority=int(priorities[i]),
                    band=bands[i],  # type: ignore[arg-type]
                    explanation=phrases,
                    indicators=indicators,
                    logit=logit,
                )
            )
        return out

    def explain(
        self, text: str, source: str | None = None
    ) -> tuple[float, list[ExplanationPhrase], float]:
        """Every contribution for one contact: ``(intercept, phrases, logit)``."""
        if self.explainer is None:
            raise ValueError("this model has no linear explainer")
        analysed, X = self.featurize([text], [source])
        assert analysed.analyses is not None
        phrases, logit = self.explainer.contributions(analysed.analyses[0], source, X[0])
        return self.explainer.intercept, phrases, logit

    def predict_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The pyfunc contract: DataFrame[text, source?] -> DataFrame[score, priority, band,
        explanation, indicators]. Explanation and indicators are lists of dicts."""
        texts = [str(t) for t in frame["text"].tolist()]
        sources = frame["source"].tolist() if "source" in frame else [None] * len(texts)
        sources = [
            None if (s is None or (isinstance(s, float) and np.isnan(s))) else str(s)
            for s in sources
        ]
        records = self.score_records(texts, sources)
        return pd.DataFrame(
            {
                "score": [r.score for r in records],
                "priority": [r.priority for r in records],
                "band": [r.band for r in records],
                "explanation": [
                    [
                        {
                            "feature": p.feature,
                            "weight": p.weight,
                            "spans": [list(s) for s in p.spans],
                        }
                        for p in r.explanation
                    ]
                    for r in records
                ],
                "indicators": [
                    [
                        {
                            "label": m.label,
                            "level": m.level,
                            "start": m.start,
                            "end": m.end,
                            "negated": m.negated,
                            "hedged": m.hedged,
                            "historical": m.historical,
                            "third_party": m.third_party,
                        }
                        for m in r.indicators
                    ]
                    for r in records
                ],
            }
        )


#: Up to this many contacts a linear model is scored row by row (no sparse matrix: its
#: fixed cost is a millisecond per call); a larger batch is faster through the vectorisers.
_ROWS_UP_TO = 64
#: The model a forked scoring child works with (set by the parent just before the fork).
_FORKED: dict[str, ScreenerModel] = {}


def _score_forked(args: tuple[list[str], list[str | None], bool]) -> list[ScoreRecord]:
    texts, sources, explain = args
    return _FORKED["model"]._score_here(texts, sources, explain)


def _calibrated(calibrator: Any, logits: np.ndarray) -> np.ndarray:
    """``calibrator.predict(logits)`` clipped to [0, 1]; for Platt scaling, its formula
    directly (sklearn's per-call input validation costs more than the arithmetic for one
    contact)."""
    if type(calibrator).__name__ == "_SigmoidCalibration":
        out = expit(-(calibrator.a_ * logits + calibrator.b_))
    else:
        out = calibrator.predict(logits)
    return np.clip(np.asarray(out, dtype=np.float64), 0.0, 1.0)


def linear_explainer(features: ContactFeatures, classifier: Any) -> LinearExplainer:
    coef, intercept = _linear_params(classifier)
    return LinearExplainer(features=features, coef=coef, intercept=intercept)
