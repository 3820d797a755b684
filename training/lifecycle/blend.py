"""The plain-words member blended into a trained screener (decision 0038).

The served logit is ``(1 - w) * (a_m * f_m + b_m) + w * (a_p * f_p + b_p)``: the linear
classifier's logit ``f_m`` and the plain-words member's ``f_p``, each through its own
Platt calibration on the validation split (``a``, ``b``), weighed by the member's share
``w``. The classifier's weights and the member's are stored already scaled into that sum,
so that the explanation adds up to it exactly; a last Platt calibration maps it to the
score, and the operating threshold and the priority deciles are set again on the
blended validation scores.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import scipy.sparse as sp

from training.audit.metrics import priority_edges, threshold_for_recall
from training.config import TrainConfig
from training.model.analyser import AnalysedContacts
from training.model.calibration import PlattCalibrator
from training.model.plain import PlainWords, fit_plain_words, plain_docs
from training.model.screener import ScreenerModel

__all__ = ["blend_plain_words"]


def blend_plain_words(
    model: ScreenerModel,
    config: TrainConfig,
    *,
    fit_docs: AnalysedContacts,
    fit_y: np.ndarray,
    fit_weights: np.ndarray | None,
    X_val: sp.csr_matrix,
    validation: AnalysedContacts,
    y_val: np.ndarray,
) -> np.ndarray | None:
    """Fit the plain-words member on the contacts the classifier learned from (``fit_docs``,
    their labels and weights), blend it into ``model`` and return the blended, calibrated
    validation scores; None (``model`` unchanged) when the weight is 0, the served
    classifier is not linear or its calibration is not Platt's."""
    w = config.plain_words.weight
    calibrator = model.calibrator
    if w <= 0 or not model._linear() or not isinstance(calibrator, PlattCalibrator):
        return None
    assert model.explainer is not None
    vectorizer, classifier = fit_plain_words(
        plain_docs(fit_docs), fit_y, sample_weight=fit_weights, C=config.plain_words.C
    )
    coef = np.asarray(classifier.coef_, dtype=np.float64).ravel()
    intercept = float(np.ravel(classifier.intercept_)[0])
    # The validation contacts' member rows, read once for both calibrations below.
    rows = PlainWords(vectorizer, coef=coef, intercept=intercept).matrix(plain_docs(validation))
    raw = np.asarray(rows @ coef, dtype=np.float64).ravel()
    member_cal = PlattCalibrator().fit(raw + intercept, y_val)
    # Platt's p = expit(-(slope * f + intercept)): the calibrated logit is -slope * f - intercept.
    a_m, b_m = -calibrator.slope_, -calibrator.intercept_
    a_p, b_p = -member_cal.slope_, -member_cal.intercept_
    explainer = model.explainer
    model.explainer = replace(
        explainer,
        coef=(1.0 - w) * a_m * explainer.coef,
        intercept=(1.0 - w) * (a_m * explainer.intercept + b_m) + w * b_p,
    )
    model.plain = PlainWords(vectorizer, coef=w * a_p * coef, intercept=w * a_p * intercept)
    # The two calibrations, for the record (the model card) and for checking the blend.
    model.metadata["plain_words"] = {
        "weight": w,
        "classifier_slope": a_m,
        "classifier_offset": b_m,
        "member_slope": a_p,
        "member_offset": b_p,
    }
    logits = model.logits(X_val, member=rows)
    model.calibrator = PlattCalibrator().fit(logits, y_val)
    scores = np.clip(model.calibrator.predict(logits), 0.0, 1.0)
    model.threshold = float(
        threshold_for_recall(y_val, scores, target_recall=config.operating_point.target_recall)
    )
    model.priority_edges = priority_edges(scores)
    return scores
