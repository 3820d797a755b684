"""Normalisation: unicode quotes, dashes, ellipses, odd spaces and line ends are folded
without moving any offset; inflections, capitals and common typos share one norm
("brusing" is "bruise"), real words keep their own ("selling" is not "spelling"),
abbreviations keep a stable norm and stay one token ("A&E", "s.47"), and a misspelt
indicator still matches.

Cases: ``cases/normalisation.jsonl``: a word with its ``norm`` or the word whose norm it
shares (``same_norm_as``), or a misspelt sentence with the ``label`` it still matches
(fields in ``tests.utils.text_checks``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.utils.text_checks import Case, check_analysis, read_cases
from training.text import analyse
from training.text.normalise import norm_word, normalise_text

LABEL, WORD = read_cases(Path(__file__).with_name("cases") / "normalisation.jsonl", "label", "text")


@pytest.mark.parametrize("case", WORD)
def test_normalisation_of_a_word(case: Case) -> None:
    expect = case.expect
    assert set(expect) in ({"norm"}, {"same_norm_as"}), case
    want = expect["norm"] if "norm" in expect else norm_word(expect["same_norm_as"])
    assert norm_word(case.text) == want


@pytest.mark.parametrize("case", LABEL)
def test_normalisation_lets_a_misspelt_indicator_match(case: Case) -> None:
    check_analysis(case)


def test_text_normalisation_keeps_every_offset() -> None:
    text = "\u201cMum\u201d\u00a0said\u2014no\u2026\u200bbruise\r\n"
    out = normalise_text(text)
    assert len(out) == len(text)
    assert out == '"Mum" said-no. bruise\n\n'


def test_abbreviations_stay_single_tokens() -> None:
    norms = [t.norm for t in analyse("Seen at A&E, s47 agreed; CAMHS and the DSL informed.").tokens]
    assert norms[:4] == ["see", "at", "a&e", "s47"]
    assert "camhs" in norms and "dsl" in norms


def test_negated_tokens_can_be_marked_for_features() -> None:
    marked = [
        "NEG_" + t.norm if t.negated else t.norm for t in analyse("No bruises were seen.").tokens
    ]
    assert "NEG_" + norm_word("bruise") in marked
