"""The guidance level estimate: what level of need (1 universal, 2 early help, 3 child in
need, 4 protection) the published guidance puts a contact at, learned from the guidance
corpus over the same features as the score.

The score answers "would past practice have referred this?" (learned from a council's
decisions); the level answers "what does the guidance say?". Where the two disagree, that is
worth a screener's attention: :func:`differs`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from training.model.ordinal import OrdinalLogisticRegression

__all__ = ["LEVELS", "LevelEstimator", "differs"]

LEVELS: tuple[int, ...] = (1, 2, 3, 4)


class LevelEstimator(BaseEstimator):
    """A proportional-odds model of the level of need (cuts at 2, 3 and 4) over feature
    rows; ``probabilities`` gives P(level = 1..4) for each row."""

    def __init__(self, *, C: float = 1.0, max_iter: int = 100, tol: float = 1e-3) -> None:
        self.C = C
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: Any, levels: Any, sample_weight: Any = None) -> LevelEstimator:
        """Fit to ``levels`` (1-4) of the rows of ``X``."""
        ranks = np.asarray(levels, dtype=np.int64) - 1
        if set(np.unique(ranks)) != {0, 1, 2, 3}:
            raise ValueError("the level estimate needs contacts at each of the four levels")
        self.model_ = OrdinalLogisticRegression(
            C=self.C, max_iter=self.max_iter, tol=self.tol, cuts=(1, 2, 3), met_cut=2
        ).fit(X, ranks, sample_weight=sample_weight)
        return self

    def probabilities(self, X: Any) -> np.ndarray:
        """P(level = 1, 2, 3, 4) for each row (rows sum to 1)."""
        check_is_fitted(self, "model_")
        return np.asarray(self.model_.predict_proba(X), dtype=np.float64)

    def rows(self, rows: list[Any]) -> np.ndarray:
        """The same for :class:`training.model.features.SparseRow` rows (the scoring path)."""
        check_is_fitted(self, "model_")
        w = self.model_.coef_.ravel()
        latent = np.array([float(r.data.astype(np.float64) @ w[r.indices]) for r in rows])
        return _from_latent(self.model_, latent)


def _from_latent(model: OrdinalLogisticRegression, latent: np.ndarray) -> np.ndarray:
    from scipy.special import expit

    cuts = [expit(latent + model.thresholds_[c]) for c in (1, 2, 3)]
    cumulative = np.column_stack([np.ones_like(latent), *cuts, np.zeros_like(latent)])
    return np.clip(cumulative[:, :-1] - cumulative[:, 1:], 0.0, 1.0)


def differs(score: float, probabilities: np.ndarray, *, margin: float) -> bool:
    """Whether practice (the score) and guidance (the chance that the level is 3 or 4)
    disagree by more than ``margin``."""
    return bool(abs(score - float(probabilities[2] + probabilities[3])) > margin)
