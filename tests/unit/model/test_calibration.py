"""The calibrators: Platt's sigmoid agrees with scikit-learn's, isotonic is monotone, and
models calibrated the old way are read as a logit -> probability map."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression

from training.model.calibration import PlattCalibrator, fit_calibrator, from_legacy


def _data(n: int = 600, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    y = (x @ [1.5, -1.0, 0.5] + rng.logistic(size=n) > 0.8).astype(int)
    return x, y


@pytest.mark.parametrize("scale", [1.0, 80.0])
def test_platt_agrees_with_scikit_learns_sigmoid_calibration(scale: float) -> None:
    x, y = _data()
    clf = LogisticRegression().fit(x[:300] * scale, y[:300])
    reference = CalibratedClassifierCV(FrozenEstimator(clf), method="sigmoid")
    reference.fit(x[300:] * scale, y[300:])
    logits = clf.decision_function(x[300:] * scale)
    ours = PlattCalibrator().fit(logits, y[300:])
    assert np.allclose(
        ours.predict(logits), reference.predict_proba(x[300:] * scale)[:, 1], atol=1e-6
    )


def test_platt_is_monotone_and_bounded() -> None:
    x, y = _data(seed=1)
    logits = x @ [1.5, -1.0, 0.5]
    p = PlattCalibrator().fit(logits, y).predict(np.linspace(-50, 50, 201))
    assert np.all(np.diff(p) >= 0) and p.min() >= 0 and p.max() <= 1


def test_platt_refuses_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="3 logits and 2 labels"):
        PlattCalibrator().fit([0.1, 0.2, 0.3], [0, 1])


def test_isotonic_calibration_clips_to_the_unit_interval() -> None:
    x, y = _data(seed=2)
    logits = x @ [1.5, -1.0, 0.5]
    iso = fit_calibrator("isotonic", logits, y)
    p = iso.predict(np.array([-1e6, 0.0, 1e6]))
    assert p[0] <= p[1] <= p[2] and p[0] >= 0.0 and p[2] <= 1.0


@pytest.mark.parametrize("method", ["sigmoid", "isotonic"])
def test_a_legacy_calibrated_classifier_becomes_the_same_map(method: str) -> None:
    x, y = _data(seed=3)
    clf = LogisticRegression().fit(x[:300], y[:300])
    legacy = CalibratedClassifierCV(FrozenEstimator(clf), method=method).fit(x[300:], y[300:])
    mapped = from_legacy(legacy)
    logits = clf.decision_function(x[300:])
    assert np.allclose(mapped.predict(logits), legacy.predict_proba(x[300:])[:, 1], atol=1e-12)
