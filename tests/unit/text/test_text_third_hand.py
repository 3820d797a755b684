"""Third-hand reports: what a lay source passed on at a distance ("a neighbour says",
"heard through the grapevine", "word came through from", "it was passed on that") is
marked third-hand. A parent's, a child's or a professional's own account, something told
to the writer directly, and a new asserted clause after the report are first-hand, and a
first-hand statement carries no flag at all.

Cases: ``cases/third_hand.jsonl`` (fields in ``tests.utils.text_checks``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.utils.text_checks import Case, check_analysis, read_cases

PHRASE, MATCH, TEXT = read_cases(
    Path(__file__).with_name("cases") / "third_hand.jsonl", "phrase", "match", "text"
)


@pytest.mark.parametrize("case", PHRASE)
def test_third_hand_read_on_the_tokens_of_a_phrase(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", MATCH)
def test_third_hand_read_on_the_indicator_matches_of_a_word(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", TEXT)
def test_third_hand_read_on_every_indicator_of_the_text(case: Case) -> None:
    check_analysis(case)
