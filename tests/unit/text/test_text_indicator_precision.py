"""Indicator precision: look-alikes of an indicator are not found or not asserted, and
wording that shares words with a level 3-4 concept is never escalated beyond level 2.
An adult's own account, violence between adults, a child hitting a sibling, an explained
accident, a struggling family, a minor offence, a duration read as an age, a question
about harm and the vetoes of false level-4 escalations all stay below the indicator; each
has a true paraphrase in the recall cases that must still match.

Cases: ``cases/indicator_precision.jsonl`` (fields in ``tests.utils.text_checks``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.utils.text_checks import Case, check_analysis, read_cases

LABEL, TEXT = read_cases(
    Path(__file__).with_name("cases") / "indicator_precision.jsonl", "label", "text"
)


@pytest.mark.parametrize("case", LABEL)
def test_indicator_precision_of_an_indicator(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", TEXT)
def test_indicator_precision_of_the_level(case: Case) -> None:
    check_analysis(case)
