"""The evaluation sets stay apart from the training data written by hand: no guidance-corpus
contact is a near-duplicate of a hand-written evaluation contact, a behavioural case or a
twin, and the authors of the corpus, the suite's reporting half, the blind set and the twins
are distinct."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from training.audit.behaviour import read_suite
from training.audit.external import SETS, handwritten_dir, read_external
from training.audit.independent import behaviour_dir
from training.audit.twins import read_twins
from training.settings import get_settings

#: Cosine similarity of character 4-gram TF-IDF above which two texts are near-duplicates.
NEAR = 0.8


def _guidance() -> list[dict]:
    rows = []
    for path in sorted((get_settings().data_dir() / "guidance").glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    return rows


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return _guidance()


def _evaluation_texts() -> list[str]:
    texts = [t for c in read_suite(behaviour_dir()) for t in c.texts]
    for name in SETS:
        texts += read_external(handwritten_dir() / f"{name}.jsonl")["text"].tolist()
    return texts + read_twins()["text"].tolist()


def test_the_corpus_has_2000_contacts_at_every_level(corpus) -> None:
    assert len(corpus) >= 2000
    assert {r["level"] for r in corpus} == {1, 2, 3, 4}
    assert len({r["id"] for r in corpus}) == len(corpus)


def _closest(train: list[str], held: list[str]) -> tuple[float, int, int]:
    """The highest cosine between a training and a held-out text, and their positions."""
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), sublinear_tf=True)
    vec.fit(train + held)
    sims = (vec.transform(train) @ vec.transform(held).T).tocsr()
    if not sims.nnz:
        return 0.0, 0, 0
    i, j = np.unravel_index(int(sims.argmax()), sims.shape)
    return float(sims.max()), int(i), int(j)


def test_no_guidance_contact_is_a_near_duplicate_of_an_evaluation_text(corpus) -> None:
    worst, i, j = _closest([r["text"] for r in corpus], _evaluation_texts())
    assert worst < NEAR, f"guidance {corpus[i]['id']} ~ evaluation text {j}: cosine {worst:.2f}"


def test_the_authors_of_training_and_reporting_texts_are_distinct(corpus) -> None:
    trainers = {r["author"] for r in corpus}
    reporting = {c.author for c in read_suite(behaviour_dir()) if c.half == "reporting"}
    blind = set(read_external(handwritten_dir() / "blind.jsonl")["author"])
    assert trainers and reporting and blind
    assert not trainers & reporting and not trainers & blind and not reporting & blind
    tuning = set(read_external(handwritten_dir() / "dev_layouts.jsonl")["author"])
    assert tuning and not tuning & (trainers | reporting | blind)
    twins = {str(i).split("-")[0] for i in read_twins()["id"]}
    assert twins and not twins & (trainers | reporting | blind | tuning)


def test_the_tuning_set_in_layouts_is_no_near_copy_of_a_reported_set() -> None:
    tuning = read_external(handwritten_dir() / "dev_layouts.jsonl")["text"].tolist()
    reported = [c for c in read_suite(behaviour_dir()) if c.half == "reporting"]
    held = [t for c in reported for t in c.texts]
    for name in ("test", "blind"):
        held += read_external(handwritten_dir() / f"{name}.jsonl")["text"].tolist()
    worst, i, j = _closest(tuning, held)
    assert worst < NEAR, f"dev_layouts {i} ~ reported text {j}: cosine {worst:.2f}"


def test_the_near_duplicate_check_finds_a_lightly_edited_copy(corpus) -> None:
    original = corpus[0]["text"]
    edited = original.replace(".", ";", 1).replace(" the ", " a ", 1) + " Thanks."
    worst, i, _ = _closest([r["text"] for r in corpus], [edited, *_evaluation_texts()[:200]])
    assert worst >= NEAR and i == 0
