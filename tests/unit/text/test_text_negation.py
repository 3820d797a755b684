"""Negation: a cue ("no", "denies", "never had any", "it is not true that", "nothing to
suggest", a checklist's "- no") or a retraction after the claim ("this was found to be
untrue", "nothing found") marks what it covers as negated. The scope keeps to its clause
and does not run past "but" or a new clause with a subject of its own; a cue written
inside an indicator's own words ("no food in the house"), a house number ("at no 14") and
"nobody noticed X" leave the phrase asserted. A negated indicator is found but never
asserted.

Cases: ``cases/negation.jsonl`` (fields in ``tests.utils.text_checks``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.utils.text_checks import Case, check_analysis, read_cases

PHRASE, TOKEN, MATCH, LABEL, TEXT = read_cases(
    Path(__file__).with_name("cases") / "negation.jsonl",
    "phrase",
    "token",
    "match",
    "label",
    "text",
)


@pytest.mark.parametrize("case", PHRASE)
def test_negation_read_on_the_tokens_of_a_phrase(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", TOKEN)
def test_negation_read_on_one_token(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", MATCH)
def test_negation_read_on_the_indicator_matches_of_a_word(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", LABEL)
def test_negation_read_on_the_matches_of_an_indicator(case: Case) -> None:
    check_analysis(case)


@pytest.mark.parametrize("case", TEXT)
def test_negation_read_on_every_indicator_of_the_text(case: Case) -> None:
    check_analysis(case)
