"""The small model the scoring tests share (trained once per module that asks for it)."""

from __future__ import annotations

import pytest

from tests.utils.model import training_frame
from training.config import TrainConfig
from training.lifecycle.train import train_model


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    config = TrainConfig().with_overrides(
        {
            "candidates.names": ["logreg_words_chars", "sgd_modified_huber"],
            "features.word_min_df": 1,
            "evaluation.n_boot": 5,
        }
    )
    return train_model(training_frame(), config).model
