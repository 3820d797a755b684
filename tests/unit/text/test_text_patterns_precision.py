"""Precision fixes of the patterns: the hitting sense of "smack", "nobody at home" on a
visit, threats to kill oneself, grabbing an object, "beat" in a game, and a child's
disclosure reported by a female officer. Each false reading has a true paraphrase that
must still match. Sentences are our own, not dev-set text.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from training.text import PATTERNS_VERSION, analyse

Check = Callable[[str, str], bool]


def test_version() -> None:
    assert PATTERNS_VERSION == "2026.12.6"


def _asserted_levels(text: str) -> set[int]:
    return {
        m.level
        for m in analyse(text).indicators
        if not (m.negated or m.hedged or m.historical)
    }


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Mum told me she smacked him", "parental_drug_misuse"),
        ("Dad said he smacks them when they are naughty.", "parental_drug_misuse"),
        ("Mum gave him a smack on the leg.", "parental_drug_misuse"),
        ("nobody at home", "chaotic_home_or_left_alone"),
        ("There was nobody at home when we visited.", "chaotic_home_or_left_alone"),
        ("Dad threatened to kill himself last night.", "domestic_abuse"),
        ("Dad threatened to kill himself last night.", "emotional_abuse"),
        ("Tom threatened to kill himself at school.", "domestic_abuse"),
        ("Tom threatened to kill himself at school.", "emotional_abuse"),
        ("Mum has threatened to take her own life.", "domestic_abuse"),
        ("He threatened to kill her.", "child_mental_health_crisis"),
    ],
)
def test_false_readings_not_asserted(asserted: Check, text: str, label: str) -> None:
    assert not asserted(text, label)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Dad is using smack again.", "parental_drug_misuse"),
        ("Mum is on smack.", "parental_drug_misuse"),
        ("Mum told me she smacked him", "physical_chastisement"),
        ("The children were left with nobody at home.", "chaotic_home_or_left_alone"),
        ("There was no adult at home.", "chaotic_home_or_left_alone"),
        ("He threatened to kill her.", "domestic_abuse"),
        ("Tom threatened to kill himself at school.", "child_mental_health_crisis"),
        ("Dad grabbed her by the arm and pulled her out.", "physical_abuse"),
        ("Dad beat him with a belt.", "physical_abuse"),
        ("A female officer said Ella disclosed that dad hit her.", "disclosure_by_child"),
        ("The female officer said Ella disclosed that dad hit her.", "disclosure_by_child"),
        ("Ella disclosed to a female officer that dad hit her.", "disclosure_by_child"),
    ],
)
def test_true_paraphrases_still_asserted(asserted: Check, text: str, label: str) -> None:
    assert asserted(text, label)


@pytest.mark.parametrize(
    "text",
    ["Dad is using smack again.", "Mum is on smack.", "Dad has a smack habit."],
)
def test_heroin_smack_is_not_chastisement(found: Check, text: str) -> None:
    assert not found(text, "physical_chastisement")


@pytest.mark.parametrize(
    "text",
    ["He grabbed her coat.", "Mum grabbed her bag and left.", "Dad grabbed his phone."],
)
def test_grabbing_an_object_is_nothing(text: str) -> None:
    assert analyse(text).indicators == ()


@pytest.mark.parametrize(
    "text",
    [
        "They beat the other team.",
        "Dad beat the other team at five-a-side.",
        "He beat his brother at chess.",
        "Mum beat his brother at chess.",
        "Dad beat him at cards.",
        "He said dad beat him at cards.",
    ],
)
def test_beat_in_a_game_is_no_level_3_or_4(found: Check, text: str) -> None:
    assert not found(text, "physical_abuse")
    assert not {3, 4} & _asserted_levels(text)


def test_female_disclosing_herself_still_excluded(found: Check) -> None:
    assert not found("A woman disclosed that her partner is controlling.", "disclosure_by_child")


def test_asking_whether_dad_hurt_him_is_not_abuse(asserted: Check) -> None:
    assert not asserted("I asked whether his dad ever hurt him; he said he just shouts.", "physical_abuse")
    assert asserted("He said his dad hurt him last night.", "physical_abuse")
