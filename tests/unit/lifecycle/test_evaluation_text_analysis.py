"""The texts a model is judged on (the hand-written sets, the behavioural suite) are read
by the text pipeline once per list of texts and pipeline: a second evaluation in the
process reuses the analyses, a new process reads them from the cache folder, a changed
text or pipeline is read again, a damaged cache file is passed over, and the analyses are
always those a direct read gives (spans and full indicator matches included)."""

from __future__ import annotations

import json

import pytest

import training.lifecycle.analysis_cache as analysis_cache
from training.audit.external import SETS, handwritten_dir, read_external
from training.text import compact_many

TEXTS = [
    "No marks were seen on the baby. Mum says she was not hit.",
    "Jayden (4) said daddy hurt my bum and told me it is a secret.",
    "School report possible bruising to the face, which may be from a fall; to be checked.",
    "",
]


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.setattr(analysis_cache, "_TEXTS_IN_PROCESS", {})
    monkeypatch.setenv("SCREENER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


class Counting:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: list[str]):
        self.calls.append(list(texts))
        return compact_many(texts, spans=True)


def test_the_analyses_are_those_of_a_direct_read_kept_in_the_process_and_on_disk(
    cache, monkeypatch
) -> None:
    analyse = Counting()
    first = analysis_cache.analysed_texts(TEXTS, analyse)
    assert first == tuple(compact_many(TEXTS, spans=True))
    assert any(a.indicators for a in first) and all(a.words for a in first[:3])
    assert analysis_cache.analysed_texts(TEXTS, analyse) is first
    monkeypatch.setattr(analysis_cache, "_TEXTS_IN_PROCESS", {})  # a new process
    assert analysis_cache.analysed_texts(TEXTS, analyse) == first
    assert analyse.calls == [TEXTS]
    assert len(list(cache.glob("texts-*.json"))) == 1


def test_a_changed_text_or_pipeline_is_read_again(cache, monkeypatch) -> None:
    analyse = Counting()
    analysis_cache.analysed_texts(TEXTS, analyse)
    changed = [TEXTS[0].replace("not", "never"), *TEXTS[1:]]
    assert analysis_cache.analysed_texts(changed, analyse) == tuple(
        compact_many(changed, spans=True)
    )
    monkeypatch.setattr(analysis_cache, "_TEXTS_IN_PROCESS", {})
    monkeypatch.setattr(analysis_cache, "pipeline_fingerprint", lambda: "another pipeline")
    analysis_cache.analysed_texts(TEXTS, analyse)
    assert analyse.calls == [TEXTS, changed, TEXTS]
    assert len(list(cache.glob("texts-*.json"))) == 3


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[:-1],  # a text missing
        lambda raw: [[*raw[0][:3], [["physical_abuse", "four"]], raw[0][4]], *raw[1:]],
        lambda raw: {"not": "a list"},
    ],
)
def test_a_damaged_cache_file_is_passed_over(cache, monkeypatch, damage) -> None:
    analyse = Counting()
    analysis_cache.analysed_texts(TEXTS, analyse)
    (path,) = cache.glob("texts-*.json")
    path.write_text(json.dumps(damage(json.loads(path.read_text()))))
    monkeypatch.setattr(analysis_cache, "_TEXTS_IN_PROCESS", {})
    assert analysis_cache.analysed_texts(TEXTS, analyse) == tuple(compact_many(TEXTS, spans=True))
    assert len(analyse.calls) == 2
    path.write_text("[not json")
    monkeypatch.setattr(analysis_cache, "_TEXTS_IN_PROCESS", {})
    assert analysis_cache.analysed_texts(TEXTS, analyse) == tuple(compact_many(TEXTS, spans=True))


def test_an_empty_cache_setting_keeps_nothing_on_disk(cache, monkeypatch) -> None:
    monkeypatch.setenv("SCREENER_CACHE_DIR", "")
    assert analysis_cache.analysed_texts(TEXTS, Counting()) == tuple(
        compact_many(TEXTS, spans=True)
    )
    assert not cache.exists()


def test_a_hand_written_set_read_from_the_cache_equals_a_direct_read(cache, monkeypatch) -> None:
    texts = read_external(handwritten_dir() / f"{SETS[0]}.jsonl")["text"].tolist()
    analysis_cache.evaluation_analyses(texts)
    monkeypatch.setattr(analysis_cache, "_TEXTS_IN_PROCESS", {})
    assert analysis_cache.evaluation_analyses(texts) == tuple(compact_many(texts, spans=True))
