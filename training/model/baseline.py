"""The plain baseline: word TF-IDF and a logistic regression, nothing else.

Fitted on the same training split as the candidates in every training run and evaluated
beside the served model, never served itself. What the text pipeline (scope reading, cue
lists, indicator patterns, character n-grams, the ordinal target) buys is the served model's
lift over this baseline on text the generator did not write; a component that does not add
to that lift does not pay for its cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from training.model.calibration import PlattCalibrator
from training.model.plain import fit_plain_words

__all__ = ["PlainBaseline"]


class PlainBaseline(BaseEstimator):
    """Lower-cased word 1-``ngram_max``-grams of the raw text, sublinear TF-IDF with L2 rows,
    an L2 logistic regression on met / not met, Platt-calibrated on held-out contacts. No
    redaction, no spaCy, no source: the plainest model a data scientist would try first."""

    def __init__(
        self, *, C: float = 1.0, ngram_max: int = 2, min_df: int = 2, max_features: int = 200_000
    ) -> None:
        self.C = C
        self.ngram_max = ngram_max
        self.min_df = min_df
        self.max_features = max_features

    def fit(
        self,
        texts: Sequence[str],
        y: Any,
        *,
        calibration_texts: Sequence[str],
        calibration_y: Any,
        sample_weight: Any = None,
    ) -> PlainBaseline:
        """Fit on ``texts`` and their 0/1 labels (each weighted by ``sample_weight``);
        calibrate on the held-out pair."""
        self.vectorizer_, self.classifier_ = fit_plain_words(
            texts,
            np.asarray(y),
            sample_weight=sample_weight,
            C=self.C,
            ngram_max=self.ngram_max,
            min_df=self.min_df,
            max_features=self.max_features,
            written=False,
        )
        logits = self.classifier_.decision_function(self.vectorizer_.transform(calibration_texts))
        self.calibrator_ = PlattCalibrator().fit(logits, calibration_y)
        return self

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities of meeting the threshold."""
        check_is_fitted(self, "calibrator_")
        logits = self.classifier_.decision_function(self.vectorizer_.transform(list(texts)))
        return np.clip(self.calibrator_.predict(logits), 0.0, 1.0)
