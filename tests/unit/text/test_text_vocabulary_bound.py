"""The shared pipeline does not grow with every new word form a long-running service meets
(names, typos): once its vocabulary passes the bound it is dropped and rebuilt, and the
analyses stay the same."""

from __future__ import annotations

import random
import string

import pytest

import training.text as text

SAMPLE = "Teacher saw a bruise on his arm; he says dad hit him. Mum said\nhe fell."


def novel_words(rng: random.Random, n: int) -> str:
    return " ".join("".join(rng.choices(string.ascii_lowercase, k=9)) for _ in range(n))


def test_the_vocabulary_stays_under_the_bound_and_the_pipeline_is_rebuilt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(0)
    # A fresh pipeline: one grown by earlier tests of this process would pass the bound
    # once, and its fresh successor would then stay far under it.
    text.get_nlp.cache_clear()
    before = text.analyse(SAMPLE)
    bound = len(text.get_nlp().vocab.strings) + 1_000
    monkeypatch.setattr(text, "_MAX_STRINGS", bound)
    # The last pipeline seen is held, so that a new one is never taken for it (a dropped
    # object's id can be reused).
    last, rebuilds = text.get_nlp(), 0
    for _ in range(20):
        # About 200 new strings a batch: a rebuild every five or six batches.
        text.analyse_many([f"{SAMPLE} {novel_words(rng, 20)}" for _ in range(10)])
        text.analyse(f"{novel_words(rng, 3)} {SAMPLE}")
        assert len(text.get_nlp().vocab.strings) <= bound
        if text.get_nlp() is not last:
            last, rebuilds = text.get_nlp(), rebuilds + 1
    assert rebuilds >= 2
    assert text.analyse(SAMPLE) == before


def test_under_the_bound_the_pipeline_is_kept() -> None:
    nlp = text.get_nlp()
    text.analyse_many([SAMPLE] * 5)
    assert text.get_nlp() is nlp
