"""The candidate classifiers over ``ContactFeatures``, built by name from the configuration."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from training.config import FeatureConfig, TrainConfig
from training.model.analyser import ContactAnalyser
from training.model.features import ContactFeatures
from training.model.ordinal import OrdinalLogisticRegression

__all__ = [
    "LIBLINEAR_CANDIDATES",
    "LINEAR_CANDIDATES",
    "ORDINAL_CANDIDATES",
    "TextReducer",
    "build_candidate",
    "build_features",
]

#: Candidates whose explanation is exact (a linear function of the features).
LINEAR_CANDIDATES = frozenset({"logreg_words_chars", "logreg_ordinal", "sgd_modified_huber"})
#: Candidates fitted by liblinear, whose random generator is process-wide.
LIBLINEAR_CANDIDATES = frozenset({"logreg_words_chars"})
#: Candidates fitted to the outcome's rank on ``contract.OUTCOMES`` instead of met/not met.
ORDINAL_CANDIDATES = frozenset({"logreg_ordinal"})


def build_features(config: FeatureConfig) -> tuple[ContactAnalyser, ContactFeatures]:
    """The text pipeline and the feature transformer, configured."""
    return ContactAnalyser(), ContactFeatures(**config.model_dump(exclude={"source_withheld"}))


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


def build_candidate(
    name: str,
    config: TrainConfig,
    *,
    blocks: dict[str, tuple[int, int]],
    nonnegative: np.ndarray | None = None,
) -> Any:
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
        return OrdinalLogisticRegression(
            C=o.C,
            max_iter=o.max_iter,
            tol=o.tol,
            cuts=o.cuts,
            cut_weights=o.cut_weights,
            nonnegative=nonnegative,
        )
    if name == "sgd_modified_huber":
        s = cands.sgd_modified_huber
        return SGDClassifier(
            loss="modified_huber", alpha=s.alpha, max_iter=s.max_iter, tol=1e-4, random_state=0
        )
    if name == "hgb_indicators_svd":
        h = cands.hgb_indicators_svd
        words_stop = blocks["words"][1]
        rest = ("embedding", "indicators", "source")
        keep_from = next((blocks[b][0] for b in rest if b in blocks), blocks["chars"][1])
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
