"""Historical and resolved statements: a past date ("In 2019", "years ago"), "used to",
"previously", an old record, a parent's own childhood, or a resolution that refers back
("but that was years ago", "the family have since moved on", "case closed in 2017")
marks what it covers as historical. "Now" and "new concerns" end the scope; a resolution
reaches neither another sentence nor a clause with content of its own; a past conviction
keeps a risk current; "has since said" reports something said now. A historical
indicator is found but not asserted.

Cases: ``cases/historical.jsonl`` (fields in ``tests.utils.text_checks``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.utils.text_checks import Case, check_analysis, read_cases

PHRASE, TOKEN, MATCH, LABEL = read_cases(
    Path(__file__).with_name("cases") / "historical.jsonl", "phrase", "token", "match", "label"
)


@pytest.mark.parametrize("case", PHRASE)
def test_historical_read_on_the_tokens_of_a_phrase(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", TOKEN)
def test_historical_read_on_one_token(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", MATCH)
def test_historical_read_on_the_indicator_matches_of_a_word(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", LABEL)
def test_historical_read_on_the_matches_of_an_indicator(case: Case) -> None:
    check_analysis(case)
