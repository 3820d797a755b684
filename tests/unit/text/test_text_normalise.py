from __future__ import annotations

import pytest

from training.text import analyse
from training.text.normalise import norm_word, normalise_text


def test_text_normalisation_keeps_every_offset() -> None:
    text = "\u201cMum\u201d\u00a0said\u2014no\u2026\u200bbruise\r\n"
    out = normalise_text(text)
    assert len(out) == len(text)
    assert out == '"Mum" said-no. bruise\n\n'


@pytest.mark.parametrize(
    "word", ["bruise", "bruises", "bruised", "bruising", "Bruising", "brusing", "bruseing"]
)
def test_inflections_and_typos_share_one_norm(word: str) -> None:
    assert norm_word(word) == norm_word("bruise")


@pytest.mark.parametrize(
    ("word", "norm"),
    [
        ("DV", "dv"),
        ("A&E", "a&e"),
        ("s.47", "s47"),
        ("S47", "s47"),
        ("CAMHS", "camhs"),
        ("GPs", "gp"),
        ("NFA", "nfa"),
    ],
)
def test_abbreviations_keep_a_stable_norm(word: str, norm: str) -> None:
    assert norm_word(word) == norm


def test_abbreviations_stay_single_tokens() -> None:
    norms = [t.norm for t in analyse("Seen at A&E, s47 agreed; CAMHS and the DSL informed.").tokens]
    assert norms[:4] == ["see", "at", "a&e", "s47"]
    assert "camhs" in norms and "dsl" in norms


def test_negated_tokens_can_be_marked_for_features() -> None:
    marked = [
        "NEG_" + t.norm if t.negated else t.norm for t in analyse("No bruises were seen.").tokens
    ]
    assert "NEG_" + norm_word("bruise") in marked
