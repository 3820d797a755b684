"""The analyser: the text pipeline as a transformer, its fast compact path equal to the
full analysis, two processes equal to one, and protected cues never features."""

import pickle

import pandas as pd
import pytest

from tests.utils.model import SOURCES, TEXTS
from training.model.analyser import ContactAnalyser, marked_tokens


def test_analyser_is_stateless_and_needs_a_text_column():
    analyser = ContactAnalyser()
    with pytest.raises(ValueError, match="text"):
        analyser.transform(pd.DataFrame({"body": ["x"]}))
    assert pickle.loads(pickle.dumps(analyser)).get_params() == analyser.get_params()


def test_analysing_in_two_processes_gives_the_same_compact_result():
    frame = pd.DataFrame({"text": TEXTS * 4, "source": SOURCES * 4})
    one = ContactAnalyser(keep_analyses=False, chunk_size=100).transform(frame)
    two = ContactAnalyser(keep_analyses=False, chunk_size=100, n_jobs=2).transform(frame)
    assert one == two and one.analyses is None


def test_protected_cues_never_become_features():
    frame = pd.DataFrame(
        {
            "text": [
                "She said her brother hit him. The family attend the mosque. Urdu interpreter.",
                "He said his sister hit her. The family attend the church. English interpreter.",
            ]
        }
    )
    analysed = ContactAnalyser().transform(frame)
    assert analysed.word_docs[0] == analysed.word_docs[1]
    for word in ("she", "her", "brother", "mosque", "urdu", "interpreter", "english", "church"):
        assert word not in analysed.word_docs[0].split()


def test_the_fast_paths_give_exactly_what_the_full_analysis_gives():
    from training.data.generate import generate_frame
    from training.text import analyse_many

    texts = generate_frame(rows=300, seed=3)["text"].tolist() + [
        "",
        "!!!",
        "She told her teacher Mrs O’Neill at St Mary’s that he hit her. ﻿No marks seen.",
        "DV in 2019, resolved. Call 07123 456789 or jo.bloggs@example.com. NN1 2AB.",
    ]
    frame = pd.DataFrame({"text": texts})
    served = ContactAnalyser(keep_analyses=True).transform(frame)
    trained = ContactAnalyser(keep_analyses=False).transform(frame)
    reference = analyse_many(texts)
    tokens = [marked_tokens(a) for a in reference]
    assert (
        trained.word_docs == served.word_docs == tuple(" ".join(t[0] for t in ts) for ts in tokens)
    )
    assert trained.indicator_rows == served.indicator_rows
    assert [list(c.words) for c in served.analyses] == tokens
    assert [c.indicators for c in served.analyses] == [a.indicators for a in reference]


def test_frozen_heap_restores_the_collector_and_nests():
    import gc

    from training.model.parallel import frozen_heap

    gc.unfreeze()  # an earlier test may have frozen the heap (the service does, on load)
    before = gc.get_threshold()
    with frozen_heap(threshold=12_345):
        assert gc.get_threshold()[0] == 12_345 and gc.get_freeze_count() > 0
        with frozen_heap():
            pass
        assert gc.get_freeze_count() > 0  # the inner block leaves unfreezing to the outer
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_a_large_batch_analysed_in_two_processes_equals_one_process():
    from training.model.parallel import scoring_processes
    from training.text import compact_many

    texts = [t + f" Case {i}." for i, t in enumerate(TEXTS * 5)]
    one = compact_many(texts, spans=True)
    two = ContactAnalyser()._full_in_two(texts)
    assert two == one
    assert scoring_processes(10) == 1  # a few contacts: never worth a fork


def test_no_fork_while_another_thread_runs(monkeypatch):
    import threading

    from training.model.parallel import PARALLEL_SCORING_FROM, scoring_processes

    monkeypatch.setattr("os.cpu_count", lambda: 2)
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        # A thread pool (the service) might hold a lock the child would need.
        assert scoring_processes(PARALLEL_SCORING_FROM * 4) == 1
    finally:
        stop.set()
        worker.join()
    monkeypatch.setenv("SCREENER_SCORING_PROCESSES", "1")
    assert scoring_processes(PARALLEL_SCORING_FROM * 4) == 1
    monkeypatch.delenv("SCREENER_SCORING_PROCESSES")
    if threading.active_count() == 1:
        assert scoring_processes(PARALLEL_SCORING_FROM * 4) == 2
