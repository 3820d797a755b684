"""The pipeline's tokenizer: spaCy's English rules without the whitespace special cases
(which would stop its cache for the rest of a text), giving exactly the tokens the full
rules give."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokenizer import Tokenizer

from training.text.nlp import WHITESPACE, build_nlp

DATA = Path(__file__).resolve().parents[3] / "data"


def hand_written_texts() -> list[str]:
    texts = []
    for path in sorted((DATA / "handwritten").glob("*.jsonl"))[:3]:
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


@pytest.fixture(scope="module")
def tokenizers() -> tuple[Tokenizer, Tokenizer]:
    """The pipeline's tokenizer, and the same with spaCy's whitespace special cases back."""
    ours = build_nlp().tokenizer.inner
    full = build_nlp().tokenizer.inner
    base = spacy.blank("en").tokenizer.rules
    full.rules = {**full.rules, **{k: base[k] for k in WHITESPACE}}
    return ours, full


def tokens(tokenizer: Tokenizer, text: str) -> list[tuple[str, str, str, int]]:
    return [(t.orth_, t.norm_, t.whitespace_, t.idx) for t in tokenizer(text)]


def test_no_whitespace_special_case_is_left() -> None:
    assert not WHITESPACE & set(build_nlp().tokenizer.inner.rules)


@pytest.mark.parametrize(
    "text",
    [
        "Mum said\nhe was\thit.\n\nSchool: St Mary's (Year 4)\r\n[NAME] don't know.",
        " \n \t leading and trailing \n",
        "a\n\n\nb\t\tc  d\u00a0e",
    ],
)
def test_tabs_and_line_breaks_give_the_same_tokens(tokenizers, text: str) -> None:
    ours, full = tokenizers
    assert tokens(ours, text) == tokens(full, text)


def test_hand_written_contacts_give_the_same_tokens(tokenizers) -> None:
    ours, full = tokenizers
    texts = hand_written_texts()
    assert len(texts) > 100
    for text in texts:
        assert tokens(ours, text) == tokens(full, text)
