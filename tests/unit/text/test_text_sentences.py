"""Sentence boundaries: sentences end at full stops and line breaks, and at a capitalised
opener after a word or a closing quote when a writer left the full stop out; a capital
elsewhere (a relationship word, a name, an acronym before it) and a query mark written onto
a word end none. A scope cue keeps to its sentence, except a sentence that only refers back
("This was found to be untrue"); an indicator match never spans two sentences.

Cases: ``cases/sentences.jsonl`` (fields in ``tests.utils.text_checks``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.utils.text_checks import Case, check_analysis, read_cases

SENTENCE, TOKEN, LABEL, TEXT = read_cases(
    Path(__file__).with_name("cases") / "sentences.jsonl", "sentence", "token", "label", "text"
)


@pytest.mark.parametrize("case", SENTENCE)
def test_sentences_read_on_the_tokens_of_a_sentence(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", TOKEN)
def test_sentences_read_on_one_token(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", LABEL)
def test_sentences_read_on_the_matches_of_an_indicator(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", TEXT)
def test_sentences_counted_in_the_text(case: Case) -> None:
    check_analysis(case)


def test_run_on_openers_can_be_turned_off() -> None:
    from training.text.nlp import build_nlp

    text = "There have been no further concerns Police stopped her"
    doc = build_nlp(config={"cs_sentences": {"openers": []}})(text)
    assert len(list(doc.sents)) == 1
    assert len(list(build_nlp()(text).sents)) == 2
