"""Level-4 recall: each significant-harm indicator (non-accidental injury, bruising on a
non-mobile baby, physical and sexual abuse, a child's disclosure, sexual and criminal
exploitation, FGM, trafficking, under-13 pregnancy or sexual activity, failure to thrive,
severe neglect, a pregnant victim of domestic abuse, a person posing a risk in the
household) is found and asserted in plain phrasings and in the everyday words of children,
parents and professionals, and lifts the contact to level 4.

Cases: ``cases/level4_recall.jsonl`` (fields in ``tests.utils.text_checks``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.utils.text_checks import Case, check_analysis, read_cases

(LABEL,) = read_cases(Path(__file__).with_name("cases") / "level4_recall.jsonl", "label")


@pytest.mark.parametrize("case", LABEL)
def test_level4_recall_of_an_indicator(case: Case) -> None:
    check_analysis(case)
