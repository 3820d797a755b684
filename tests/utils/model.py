"""Helpers for the model tests: a tiny labelled contact frame whose label follows four
kinds of sentence, and sparse matrices from dense ones."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from training.model.features import ContactFeatures

#: Six kinds of contact (assertion, denial, neglect, universal, hedged hearsay, history).
TEXTS = [
    "Dad hit him with a belt, bruising to his arm seen by the DSL.",
    "No marks seen and the child denies any violence at home.",
    "Mum is drinking heavily and the baby was left alone overnight.",
    "Good attendance, meeting milestones, supportive grandparents.",
    "Neighbour thinks there may be shouting most nights, not sure.",
    "In 2019 there was DV between the parents, since resolved.",
] * 12
SOURCES = ["police", "school", "health", "school", "individual", "other"] * 12


def generated_contacts(n: int, seed: int) -> pd.DataFrame:
    """``n`` generated contacts with ``received_at`` parsed, as training reads an export."""
    from training.data.generate.generator import generate_frame

    frame = generate_frame(n, seed=seed)
    frame["received_at"] = pd.to_datetime(frame["received_at"])
    return frame


def small_features() -> ContactFeatures:
    """Feature settings for a few dozen contacts: every word kept, a narrow hashed space."""
    return ContactFeatures(word_min_df=1, char_n_features=2**12)


def training_frame(n: int = 600, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = {
        "hit": "Dad hit him and there is a bruise on his cheek.",
        "neg": "No bruising seen and no marks, child happy.",
        "da": "Police attended a DV incident, the children were present.",
        "ok": "Good attendance at school, supportive family.",
    }
    keys = rng.choice(list(parts), n)
    texts = [parts[k] + (" Mum is worried." if rng.random() < 0.5 else "") for k in keys]
    p = np.array([{"hit": 0.8, "neg": 0.15, "da": 0.6, "ok": 0.05}[k] for k in keys])
    return pd.DataFrame(
        {
            "contact_id": [f"C{i:05d}" for i in range(n)],
            "received_at": pd.date_range("2024-01-01", periods=n, freq="h"),
            "source": rng.choice(["police", "school", "health"], n),
            "text": texts,
            "outcome": np.where(rng.random(n) < p, "referral", "advice"),
            "p_true": p,
        }
    )


def sp_csr(X: np.ndarray) -> sp.csr_matrix:
    return sp.csr_matrix(X)


def served_logit(model: Any, X: sp.csr_matrix, analysed: Any) -> np.ndarray:
    """The logit the calibrator maps to the score, from the classifier's own
    ``decision_function`` and, for a model that blends the plain-words member, the blend's
    recorded calibrations (decision 0038)."""
    from training.model.plain import plain_docs

    f = np.asarray(model.classifier.decision_function(X), dtype=np.float64)
    if model.plain is None:
        return f
    blend = model.metadata["plain_words"]
    w = blend["weight"]
    member = model.plain.logits(plain_docs(analysed))  # w * member_slope * its own logit
    return (
        (1 - w) * (blend["classifier_slope"] * f + blend["classifier_offset"])
        + member
        + w * blend["member_offset"]
    )
