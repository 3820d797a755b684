"""Calibration of a classifier's logit into the probability of meeting the threshold.

Fitted on held-out contacts (the validation split), never on the ones the classifier
learned from. ``PlattCalibrator`` is Platt's sigmoid with his smoothed targets (Platt 1999,
as refined by Lin, Lin and Weng 2007), fitted by L-BFGS; ``"isotonic"`` uses
scikit-learn's ``IsotonicRegression``. Both map a 1-d array of logits to probabilities,
and the scoring path calls ``predict`` directly on a contact's logit.
"""

from __future__ import annotations

import math
from typing import Any, Literal, Protocol

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.base import BaseEstimator
from sklearn.isotonic import IsotonicRegression
from sklearn.utils.validation import check_is_fitted

__all__ = ["Calibrator", "PlattCalibrator", "fit_calibrator", "from_legacy"]


class Calibrator(Protocol):
    """Logits (1-d) -> calibrated probabilities in [0, 1]."""

    def predict(self, logits: Any) -> np.ndarray: ...


class PlattCalibrator(BaseEstimator):
    """``p = 1 / (1 + exp(slope * logit + intercept))``, fitted by maximum likelihood
    against Platt's smoothed targets ``(n1 + 1) / (n1 + 2)`` and ``1 / (n0 + 2)``, which keep
    a small held-out set from driving the slope to infinity. Logits above 30 in magnitude
    are scaled down for the fit and the slope scaled back (the fit is invariant to it)."""

    def fit(self, logits: Any, y: Any) -> PlattCalibrator:
        f = np.asarray(logits, dtype=np.float64).ravel()
        y = np.asarray(y).ravel()
        if f.shape != y.shape:
            raise ValueError(f"{len(f)} logits and {len(y)} labels")
        scale = max(1.0, float(np.max(np.abs(f)))) if len(f) else 1.0
        scale = scale if scale >= 30 else 1.0
        f = f / scale
        negative = y <= 0
        n0 = float(np.sum(negative))
        n1 = float(len(y) - n0)
        target = np.where(negative, 1.0 / (n0 + 2.0), (n1 + 1.0) / (n1 + 2.0))

        def loss_grad(ab: np.ndarray) -> tuple[float, np.ndarray]:
            raw = -(ab[0] * f + ab[1])
            loss = float(np.sum(np.logaddexp(0.0, raw) - target * raw))
            g = expit(raw) - target
            return loss, np.array([-g @ f, -g.sum()])

        start = np.array([0.0, math.log((n0 + 1.0) / (n1 + 1.0))])
        result = minimize(
            loss_grad,
            start,
            method="L-BFGS-B",
            jac=True,
            options={"gtol": 1e-6, "ftol": 64 * np.finfo(float).eps},
        )
        self.slope_ = float(result.x[0] / scale)
        self.intercept_ = float(result.x[1])
        return self

    def predict(self, logits: Any) -> np.ndarray:
        check_is_fitted(self, "slope_")
        f = np.asarray(logits, dtype=np.float64)
        return np.asarray(expit(-(self.slope_ * f + self.intercept_)), dtype=np.float64)


def fit_calibrator(
    method: Literal["sigmoid", "isotonic"], logits: Any, y: Any
) -> PlattCalibrator | IsotonicRegression:
    """A calibrator of ``method`` fitted on held-out ``logits`` and their 0/1 labels."""
    if method == "sigmoid":
        return PlattCalibrator().fit(logits, y)
    if method == "isotonic":
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
        return iso.fit(np.asarray(logits, dtype=np.float64).ravel(), np.asarray(y).ravel())
    raise ValueError(f"unknown calibration method {method!r}")


def from_legacy(calibrated: Any) -> Calibrator:
    """The logit -> probability map inside a ``CalibratedClassifierCV`` fitted on a frozen
    classifier (how models were calibrated before this module): its one sigmoid becomes a
    :class:`PlattCalibrator` read off its public ``predict`` at two logits (exact up to
    rounding); an isotonic one is returned as it is."""
    fitted = calibrated.calibrated_classifiers_
    if len(fitted) != 1 or len(fitted[0].calibrators) != 1:
        raise ValueError("expected one calibrated classifier with one calibrator")
    inner = fitted[0].calibrators[0]
    if isinstance(inner, IsotonicRegression):
        return inner
    p0, p1 = (float(v) for v in inner.predict(np.array([0.0, 1.0])))
    platt = PlattCalibrator()
    platt.intercept_ = -math.log(p0 / (1.0 - p0))
    platt.slope_ = -math.log(p1 / (1.0 - p1)) - platt.intercept_
    return platt
