"""The guidance corpus is read by the text pipeline once per process and per corpus: a
second training reuses the analysis, a changed corpus is read again, and the analysis is
the one a direct read gives."""

from __future__ import annotations

import pandas as pd
import pytest

import training.lifecycle.train as train_module
from tests.utils.model import training_frame
from training.config import TrainConfig
from training.data.guidance import read_guidance
from training.model.analyser import ContactAnalyser


@pytest.fixture
def small_corpus(monkeypatch: pytest.MonkeyPatch) -> dict[str, pd.DataFrame]:
    holder = {"corpus": read_guidance().head(40).reset_index(drop=True)}
    monkeypatch.setattr(train_module, "read_guidance", lambda: holder["corpus"].copy())
    monkeypatch.setattr(train_module, "_CORPUS_ANALYSES", {})
    return holder


def test_a_second_training_reuses_the_corpus_analysis(small_corpus) -> None:
    frame = training_frame(300, seed=5)
    first = train_module.analyse_splits(frame, TrainConfig())
    second = train_module.analyse_splits(frame, TrainConfig())
    assert second.analysed["guidance"] is first.analysed["guidance"]
    assert len(first.analysed["guidance"]) == 40
    assert second.analysed["train"] is not first.analysed["train"]


def test_a_changed_corpus_is_read_again_as_a_direct_read_gives(small_corpus) -> None:
    frame = training_frame(300, seed=5)
    first = train_module.analyse_splits(frame, TrainConfig())
    changed = small_corpus["corpus"].copy()
    changed.loc[0, "text"] = "No injury was seen. The child is safe and well at home."
    small_corpus["corpus"] = changed
    second = train_module.analyse_splits(frame, TrainConfig())
    assert second.analysed["guidance"] is not first.analysed["guidance"]
    direct = ContactAnalyser(keep_analyses=False).transform(changed[["text", "source"]])
    assert second.analysed["guidance"].word_docs == direct.word_docs
    assert second.analysed["guidance"].indicator_rows == direct.indicator_rows
    assert second.analysed["guidance"].word_docs[0] != first.analysed["guidance"].word_docs[0]
    assert second.analysed["guidance"].word_docs[1:] == first.analysed["guidance"].word_docs[1:]
