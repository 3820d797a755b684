"""The guidance corpus is read by the text pipeline once per corpus and pipeline: a second
training in the process reuses the analysis, a new process reads it from the cache folder,
a changed corpus or pipeline is read again, a damaged cache file is passed over, and the
analysis is always the one a direct read gives."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import training.lifecycle.analysis_cache as corpus_cache
import training.lifecycle.train as train_module
from tests.utils.model import training_frame
from training.config import TrainConfig
from training.data.guidance import read_guidance
from training.model.analyser import ContactAnalyser


@pytest.fixture
def small_corpus(monkeypatch: pytest.MonkeyPatch, tmp_path) -> dict[str, pd.DataFrame]:
    holder = {"corpus": read_guidance().head(40).reset_index(drop=True)}
    monkeypatch.setattr(train_module, "read_guidance", lambda: holder["corpus"].copy())
    monkeypatch.setattr(corpus_cache, "_IN_PROCESS", {})
    monkeypatch.setenv("SCREENER_CACHE_DIR", str(tmp_path / "cache"))
    return holder


@pytest.fixture
def frame() -> pd.DataFrame:
    return training_frame(300, seed=5)


def _direct(corpus: pd.DataFrame):
    return ContactAnalyser(keep_analyses=False).transform(corpus[["text", "source"]])


def _same(a, b) -> bool:
    return (a.word_docs, a.indicator_rows, a.sources, a.plains) == (
        b.word_docs,
        b.indicator_rows,
        b.sources,
        b.plains,
    )


def test_a_second_training_reuses_the_corpus_analysis(small_corpus, frame) -> None:
    first = train_module.analyse_splits(frame, TrainConfig())
    second = train_module.analyse_splits(frame, TrainConfig())
    assert second.analysed["guidance"] is first.analysed["guidance"]
    assert second.analysed["train"] is not first.analysed["train"]
    assert _same(first.analysed["guidance"], _direct(small_corpus["corpus"]))


def test_a_new_process_reads_the_analysis_from_the_cache_folder(
    small_corpus, frame, tmp_path, monkeypatch
) -> None:
    first = train_module.analyse_splits(frame, TrainConfig())
    assert len(list((tmp_path / "cache").glob("guidance-*.json"))) == 1
    monkeypatch.setattr(corpus_cache, "_IN_PROCESS", {})
    real = train_module._analyse
    calls: list[list[str]] = []

    def counting(analyser, splits, *, jobs):
        calls.append(list(splits))
        return real(analyser, splits, jobs=jobs)

    monkeypatch.setattr(train_module, "_analyse", counting)
    second = train_module.analyse_splits(frame, TrainConfig())
    assert calls == [["train", "validation", "test"]]
    assert _same(second.analysed["guidance"], first.analysed["guidance"])


def test_a_changed_corpus_is_read_again(small_corpus, frame) -> None:
    first = train_module.analyse_splits(frame, TrainConfig())
    changed = small_corpus["corpus"].copy()
    changed.loc[0, "text"] = "No injury was seen. The child is safe and well at home."
    small_corpus["corpus"] = changed
    second = train_module.analyse_splits(frame, TrainConfig())
    assert _same(second.analysed["guidance"], _direct(changed))
    assert second.analysed["guidance"].word_docs[0] != first.analysed["guidance"].word_docs[0]
    assert second.analysed["guidance"].word_docs[1:] == first.analysed["guidance"].word_docs[1:]


def test_a_changed_pipeline_is_read_again(small_corpus, frame, tmp_path, monkeypatch) -> None:
    train_module.analyse_splits(frame, TrainConfig())
    monkeypatch.setattr(corpus_cache, "_IN_PROCESS", {})
    monkeypatch.setattr(corpus_cache, "pipeline_fingerprint", lambda: "another pipeline")
    train_module.analyse_splits(frame, TrainConfig())
    assert len(list((tmp_path / "cache").glob("guidance-*.json"))) == 2


def test_a_damaged_cache_file_is_passed_over(small_corpus, frame, tmp_path, monkeypatch) -> None:
    train_module.analyse_splits(frame, TrainConfig())
    (path,) = (tmp_path / "cache").glob("guidance-*.json")
    raw = json.loads(path.read_text())
    raw["word_docs"] = raw["word_docs"][:-1]
    path.write_text(json.dumps(raw))
    monkeypatch.setattr(corpus_cache, "_IN_PROCESS", {})
    again = train_module.analyse_splits(frame, TrainConfig())
    assert _same(again.analysed["guidance"], _direct(small_corpus["corpus"]))
    path.write_text("{not json")
    monkeypatch.setattr(corpus_cache, "_IN_PROCESS", {})
    again = train_module.analyse_splits(frame, TrainConfig())
    assert _same(again.analysed["guidance"], _direct(small_corpus["corpus"]))


def test_an_empty_cache_setting_keeps_nothing_on_disk(
    small_corpus, frame, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("SCREENER_CACHE_DIR", "")
    prepared = train_module.analyse_splits(frame, TrainConfig())
    assert _same(prepared.analysed["guidance"], _direct(small_corpus["corpus"]))
    assert not (tmp_path / "cache").exists()


def test_the_fingerprint_reads_the_pipeline_files() -> None:
    corpus_cache.pipeline_fingerprint.cache_clear()
    first = corpus_cache.pipeline_fingerprint()
    assert len(first) == 16 and first == corpus_cache.pipeline_fingerprint()
