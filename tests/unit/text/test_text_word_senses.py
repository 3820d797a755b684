"""Word senses: a word with two senses fires an indicator only in the sense that means
harm. "A good hiding" and "belted him" are beatings, "hiding under the bed" and "belted
into the car seat" are not; "smack" is heroin or a slap; "beat" is a beating or a win at
cards; "grabbed" a child is an assault, "grabbed her coat" nothing; "touching" may be
abuse or a sibling's teasing; "nobody at home" is a child left alone or a missed visit;
"missing" meals is not going missing; and real words ("selling", "smelling", "cruising")
are never corrected into indicator keywords.

Cases: ``cases/word_senses.jsonl`` (fields in ``tests.utils.text_checks``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.utils.text_checks import Case, check_analysis, read_cases

LABEL, TEXT = read_cases(Path(__file__).with_name("cases") / "word_senses.jsonl", "label", "text")


@pytest.mark.parametrize("case", LABEL)
def test_word_senses_of_an_indicator(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", TEXT)
def test_word_senses_in_the_whole_text(case: Case) -> None:
    check_analysis(case)
