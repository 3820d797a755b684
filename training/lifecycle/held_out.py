"""The trained screener on the held-out splits (validation and test, the newest contacts):
its evaluation on each, the monitor's training-time reference, and the test split's
calibration when no contact has a source."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from training.audit.evaluate import EvaluationResult, evaluate_scores
from training.audit.metrics import expected_calibration_error
from training.audit.monitoring import ReferenceProfile, build_reference
from training.config import TrainConfig
from training.model.analyser import AnalysedContacts
from training.model.floors import live_labels_of_rows
from training.model.screener import ScreenerModel

__all__ = ["HeldOut", "evaluate_held_out"]


@dataclass(frozen=True)
class HeldOut:
    """The selected model on the held-out splits."""

    validation: EvaluationResult
    test: EvaluationResult
    reference: ReferenceProfile
    #: expected calibration error on the test split scored without the source
    ece_without_source: float


def evaluate_held_out(
    model: ScreenerModel,
    config: TrainConfig,
    *,
    splits: dict[str, pd.DataFrame],
    analysed: dict[str, AnalysedContacts],
    y: dict[str, np.ndarray],
    validation_scores: np.ndarray,
    X_test: sp.csr_matrix,
    p_true: bool,
) -> HeldOut:
    """Evaluate ``model`` on the validation split (``validation_scores``, its calibrated
    held-out scores) and the test split (``X_test``, its feature rows), and build the
    monitor's reference from both; ``p_true`` says the splits carry the generator's true
    probabilities (for the oracle comparison)."""
    test_scores = model.score_matrix(X_test, analysed["test"])
    validation, test = (
        _evaluate(model, config, splits[k], y[k], scores, p_true=p_true)
        for k, scores in (("validation", validation_scores), ("test", test_scores))
    )
    reference = _reference(
        model,
        {"validation": validation_scores, "test": test_scores},
        splits=splits,
        analysed=analysed,
        y=y,
    )
    # A contact sent without its source must be scored as well calibrated as one with it.
    ece_without = _ece_without_source(model, analysed["test"], y["test"])
    return HeldOut(validation, test, reference, float(ece_without))


def _reference(
    model: ScreenerModel,
    scores: dict[str, np.ndarray],
    *,
    splits: dict[str, pd.DataFrame],
    analysed: dict[str, AnalysedContacts],
    y: dict[str, np.ndarray],
) -> ReferenceProfile:
    """The monitor's reference (decision 0032): the held-out splits (validation and test,
    the newest contacts) as the served model sees them, with the bands it would have shown
    (floors included) and the live indicators the text pipeline found."""
    from training.text import indicator_catalogue, patterns_version

    names = tuple(scores)
    live = [live_labels_of_rows(rows) for n in names for rows in analysed[n].indicator_rows]
    all_scores = np.concatenate([scores[n] for n in names])
    return build_reference(
        all_scores,
        bands=model.served_bands(all_scores, live),
        indicators=live,
        sources=[s for n in names for s in splits[n]["source"].tolist()],
        met=np.concatenate([y[n] for n in names]).astype(bool),
        labels=[d.label for d in indicator_catalogue()],
        patterns_version=patterns_version(),
    )


def _evaluate(
    model: ScreenerModel,
    config: TrainConfig,
    part: pd.DataFrame,
    y: np.ndarray,
    scores: np.ndarray,
    *,
    p_true: bool,
) -> EvaluationResult:
    ev = config.evaluation
    return evaluate_scores(
        y,
        scores,
        source=part["source"].to_numpy(),
        p_true=part["p_true"].to_numpy() if p_true else None,
        priority=model.priorities(scores),
        threshold=model.threshold,
        target_recall=config.operating_point.target_recall,
        n_boot=max(ev.n_boot, 1),
        seed=ev.seed,
    )


def _ece_without_source(model: ScreenerModel, test: AnalysedContacts, y: np.ndarray) -> float:
    """Calibration error of the test split scored as if no contact had a source."""
    blind = test.with_sources((None,) * len(test))
    return float(
        expected_calibration_error(y, model.score_matrix(model.features.transform(blind), blind))
    )
