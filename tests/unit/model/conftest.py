"""The small model the scoring tests share (trained once per module that asks for it)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.utils.model import SOURCES, TEXTS, training_frame
from training.config import TrainConfig
from training.lifecycle.train import train_model
from training.model.analyser import ContactAnalyser


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


@pytest.fixture(scope="module")
def analysed():  # type: ignore[no-untyped-def]
    """The six kinds of contact of ``tests.utils.model.TEXTS`` through the analyser."""
    return ContactAnalyser().fit_transform(pd.DataFrame({"text": TEXTS, "source": SOURCES}))
