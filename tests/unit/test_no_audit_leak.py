"""Audit-only attributes must never reach the model's features."""

import numpy as np
import pandas as pd

from training.config import TrainConfig
from training.data.contract import AUDIT_ONLY_COLUMNS, MODEL_INPUT_COLUMNS
from training.lifecycle.train import _model_inputs, train_model


def frame(n=400, seed=0):
    rng = np.random.default_rng(seed)
    severe = rng.random(n) < 0.3
    texts = np.where(
        severe,
        "Dad hit the baby, bruising to the face seen at nursery.",
        "Attendance is good and the family are engaging with early help.",
    )
    return pd.DataFrame(
        {
            "contact_id": [f"C{i:05d}" for i in range(n)],
            "received_at": pd.date_range("2024-01-01", periods=n, freq="h"),
            "source": rng.choice(["police", "school", "health"], n),
            "text": texts,
            "outcome": np.where(rng.random(n) < np.where(severe, 0.8, 0.1), "referral", "nfa"),
            "child_age_years": rng.integers(0, 18, n),
            "child_sex": rng.choice(["female", "male"], n),
            "child_ethnicity": rng.choice(["white", "black", "asian"], n),
            "child_disability": rng.choice(["yes", "no"], n),
            "area_deprivation_decile": rng.integers(1, 11, n),
            "needs_interpreter": rng.random(n) < 0.1,
        }
    )


def test_only_text_and_source_cross_into_the_model():
    f = frame()
    assert list(_model_inputs(f).columns) == list(MODEL_INPUT_COLUMNS)
    assert not set(AUDIT_ONLY_COLUMNS) & set(MODEL_INPUT_COLUMNS)


def test_scrambling_audit_columns_changes_no_score():
    config = TrainConfig().with_overrides(
        {
            "candidates.names": ["logreg_words_chars"],
            "features.word_min_df": 1,
            "evaluation.n_boot": 5,
        }
    )
    original = frame()
    scrambled = original.copy()
    rng = np.random.default_rng(1)
    for col in AUDIT_ONLY_COLUMNS:
        scrambled[col] = rng.permutation(scrambled[col].to_numpy())
    # Make an audit column a perfect predictor of the label: a model that read it would use it.
    scrambled["child_ethnicity"] = np.where(scrambled["outcome"] == "referral", "black", "white")
    a = train_model(original, config).model
    b = train_model(scrambled, config).model
    probe = ["Dad hit the baby.", "Family engaging well with early help."]
    sa = [r.score for r in a.score_records(probe, ["police", "school"])]
    sb = [r.score for r in b.score_records(probe, ["police", "school"])]
    assert np.allclose(sa, sb)
    names = a.features.get_feature_names_out()
    # Every feature comes from the text or the source, by construction of its name.
    assert {str(n).split(":", 1)[0] for n in names} <= {
        "word",
        "char",
        "embedding",
        "indicator",
        "level",
        "source",
    }
    assert not any(str(n).startswith(f"{col}:") for n in names for col in AUDIT_ONLY_COLUMNS)
