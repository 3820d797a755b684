"""Shared data of the audit tests: synthetic labels and scores, a population of children
with audit attributes, and priorities computed as the served model computes them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from training.audit.fairness import audit_groups
from training.model.screener import ScreenerModel


def synthetic(n: int, *, seed: int = 0, ties: bool = False) -> tuple[np.ndarray, ...]:
    """Labels drawn from a true probability, and a noisy but calibrated-ish model score."""
    rng = np.random.default_rng(seed)
    p_true = rng.beta(1.0, 4.0, n)
    y = (rng.random(n) < p_true).astype(int)
    score = np.clip(p_true + rng.normal(0.0, 0.05, n), 0.0, 1.0)
    if ties:
        score = np.round(score, 2)
    return y, score, p_true


def served_priorities(scores: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Priority 1-10 of each score under decile ``edges``, by ``ScreenerModel.priorities``."""
    model = ScreenerModel.__new__(ScreenerModel)
    model.priority_edges = np.asarray(edges)
    return model.priorities(np.asarray(scores, dtype=np.float64))


def population(
    seed: int, n: int = 20_000, *, bias: float = 0.0
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Scores equal to the true probability; with ``bias``, black children's scores are
    shifted up on the logit scale while their labels still follow the unshifted p."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "child_ethnicity": rng.choice(
                ["white", "mixed", "asian", "black", "other", "unknown"],
                size=n,
                p=[0.73, 0.06, 0.11, 0.05, 0.02, 0.03],
            ),
            "child_sex": rng.choice(["female", "male", "unknown"], size=n, p=[0.49, 0.49, 0.02]),
            "child_age_years": rng.integers(0, 18, size=n),
            "child_disability": rng.choice(["yes", "no", "unknown"], size=n, p=[0.1, 0.8, 0.1]),
            "area_deprivation_decile": rng.integers(1, 11, size=n),
            "needs_interpreter": rng.random(n) < 0.05,
        }
    )
    logit = rng.normal(-1.5, 1.5, size=n)
    p = 1.0 / (1.0 + np.exp(-logit))
    y = (rng.random(n) < p).astype(int)
    shifted = logit + bias * (frame["child_ethnicity"].to_numpy() == "black")
    return y, 1.0 / (1.0 + np.exp(-shifted)), audit_groups(frame)
