"""Indicator recall at levels 1-3: each threshold indicator below level 4 (domestic abuse
and children present at it, parental mental illness, drug and alcohol misuse, neglect of
basic care, children left alone, emotional abuse, non-attendance, a child's mental-health
crisis, missing episodes, and the level 1-2 indicators) is found in plain phrasings and
asserted in other wording, at its threshold level.

Cases: ``cases/indicator_recall.jsonl`` (fields in ``tests.utils.text_checks``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.utils.text_checks import Case, check_analysis, read_cases

LABEL, TEXT = read_cases(
    Path(__file__).with_name("cases") / "indicator_recall.jsonl", "label", "text"
)


@pytest.mark.parametrize("case", LABEL)
def test_indicator_recall_of_an_indicator(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", TEXT)
def test_indicator_recall_at_a_level(case: Case) -> None:
    check_analysis(case)
