"""Hedging: doubt about a claim marks it as hedged, not negated. A hedge may open the
sentence ("I might be wrong, but", "Unclear whether", "We wonder if"), take a clause
("there's talk that", "alleging"), end it ("unclear", "we just don't know yet"), or be a
question or a query mark ("?neglect"); "cannot be excluded" and "not confirmed" are hedges
too. A hedge stops where a new asserted clause begins; a child's allegation is a
disclosure, "appeared to be" an observation, and a query mark written onto a word no
hedge. A hedged indicator is found but not asserted.

Cases: ``cases/hedging.jsonl`` (fields in ``tests.utils.text_checks``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.utils.text_checks import Case, check_analysis, read_cases

PHRASE, MATCH, LABEL = read_cases(
    Path(__file__).with_name("cases") / "hedging.jsonl", "phrase", "match", "label"
)


@pytest.mark.parametrize("case", PHRASE)
def test_hedging_read_on_the_tokens_of_a_phrase(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", MATCH)
def test_hedging_read_on_the_indicator_matches_of_a_word(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", LABEL)
def test_hedging_read_on_the_matches_of_an_indicator(case: Case) -> None:
    check_analysis(case)
