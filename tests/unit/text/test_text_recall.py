"""Recall of the indicator concepts on varied wording (patterns 2026.12.1).

Each case is a paraphrase of a concept from the threshold guidance, written in our own words
(not taken from any generator's templates or from the dev set): the concept must be found,
asserted (not negated, hedged or historical). A few precision guards keep the wider patterns
from firing on look-alikes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from training.text import analyse

Check = Callable[[str, str], bool]


@pytest.mark.parametrize(
    ("label", "text"),
    [
        # children present at domestic abuse (level 3)
        (
            "domestic_abuse_child_present",
            "The toddler was in the kitchen while he was choking her.",
        ),
        (
            "domestic_abuse_child_present",
            "Stepdad was arrested for assaulting mum, the twins were present.",
        ),
        ("domestic_abuse_child_present", "Her son watched his father drag her across the floor."),
        (
            "domestic_abuse_child_present",
            "The boy hid in the wardrobe during the fight between the adults.",
        ),
        (
            "domestic_abuse_child_present",
            "Mum was punched in the face, her daughter was in the room.",
        ),
        # a pattern of domestic abuse (level 3)
        ("domestic_abuse", "There is a long pattern of incidents between the couple."),
        ("domestic_abuse", "This is the 7th call-out to the address this year."),
        ("domestic_abuse", "Three domestics have been logged since Easter."),
        ("domestic_abuse", "Officers have been called out to the property most weekends."),
        ("domestic_abuse", "He breached the terms of his non-molestation order on Friday."),
        ("domestic_abuse", "He was bailed to stay away but turned up at the house again."),
        # parental mental illness (level 3)
        ("parental_mental_illness", "The M is clinically depressed and rarely leaves the sofa."),
        ("parental_mental_illness", "Dad's MH has been deteriorating since the winter."),
        ("parental_mental_illness", "Mother says she wants to end her life and has a plan."),
        (
            "parental_mental_illness",
            "Mum told the midwife she is struggling to bond with the baby.",
        ),
        ("parental_mental_illness", "Father phoned the Samaritans twice last night."),
        (
            "parental_mental_illness",
            "Mum has scars on her wrists and has not left the house in a month.",
        ),
        # parental drug misuse (level 3)
        ("parental_drug_misuse", "Mum failed her last two drug tests."),
        ("parental_drug_misuse", "Father is using again after six months clean."),
        ("parental_drug_misuse", "Her partner deals weed from the flat."),
        ("parental_drug_misuse", "There are cannabis plants in the spare room."),
        # parental alcohol misuse (level 3)
        ("parental_alcohol_misuse", "Dad drinks from first thing in the morning, every day."),
        ("parental_alcohol_misuse", "Mum has started drinking again."),
        ("parental_alcohol_misuse", "He gets through two bottles of wine a night."),
        ("parental_alcohol_misuse", "Mother was found asleep and drunk on the bathroom floor."),
        ("parental_alcohol_misuse", "Mum was intoxicated and the sole carer for three children."),
        # early help tried and failed (level 3)
        ("early_help_tried_and_failed", "Mum cancelled all the parenting sessions."),
        ("early_help_tried_and_failed", "Dad will not let the family worker into the house."),
        ("early_help_tried_and_failed", "The parents withdrew their consent in March."),
        (
            "early_help_tried_and_failed",
            "The support plan has been in place since January with no improvement.",
        ),
        ("early_help_tried_and_failed", "We have exhausted every early help option."),
        # neglect of basic care (level 3)
        ("neglect_basic_care", "She comes in without breakfast and staff are feeding her."),
        ("neglect_basic_care", "His shoes are far too small and his socks are always wet."),
        ("neglect_basic_care", "School have repeatedly raised concerns about hygiene."),
        ("neglect_basic_care", "Her teeth are rotten and she is in pain."),
        ("neglect_basic_care", "The family are not registered with a dentist."),
        ("neglect_basic_care", "Nobody took him for treatment for the burn on his hand."),
        ("neglect_basic_care", "The six year old gets himself up and ready for school."),
        # left alone (level 3)
        ("chaotic_home_or_left_alone", "The children are on their own until late most evenings."),
        (
            "chaotic_home_or_left_alone",
            "The four year old opened the door and there was no adult at home.",
        ),
        ("chaotic_home_or_left_alone", "A toddler was found outside alone in just a nappy."),
        ("chaotic_home_or_left_alone", "Mum goes out most nights to see friends."),
        # emotional abuse (level 3)
        ("emotional_abuse", "Stepmum calls him a liar in front of his friends."),
        ("emotional_abuse", "She is not allowed to play with her toys or see friends."),
        ("emotional_abuse", "He is blamed for everything that happens at home."),
        ("emotional_abuse", "The girl is terrified of making a mistake at home."),
        (
            "emotional_abuse",
            "He says nothing he does is ever good enough; he is never good enough.",
        ),
        # chronic non-attendance (level 3)
        ("chronic_non_attendance", "She has been in for 12 days out of 40 this term."),
        ("chronic_non_attendance", "The family left the area without telling the school."),
        # child mental-health crisis (level 3)
        ("child_mental_health_crisis", "He had been searching online for ways to kill himself."),
        ("child_mental_health_crisis", "She has been restricting her food for weeks."),
        ("child_mental_health_crisis", "She swallowed a whole packet of tablets."),
        ("child_mental_health_crisis", "Police talked him down from the bridge."),
        ("child_mental_health_crisis", "He left a goodbye note on his bed."),
    ],
)
def test_concept_found_in_other_wording(label: str, text: str, asserted: Check) -> None:
    assert asserted(text, label), analyse(text).indicators


@pytest.mark.parametrize(
    ("label", "text"),
    [
        # community violence a child saw is not domestic abuse
        (
            "domestic_abuse_child_present",
            "Her son witnessed a stabbing in town and gave a statement.",
        ),
        # "has not changed" is not a nappy left unchanged
        ("neglect_basic_care", "Early help has ended and the situation has not changed."),
        # a parent going without food so the children can eat is low income, not neglect
        ("neglect_basic_care", "Mum has been skipping meals so that the children can eat."),
        # a known history is not a current pattern
        ("domestic_abuse", "There is a history of domestic abuse from 2015."),
        # physical illness keeping a parent in bed is not mental illness
        ("parental_mental_illness", "Dad has chronic pain and cannot get out of bed some days."),
    ],
)
def test_wider_patterns_do_not_fire_on_look_alikes(label: str, text: str, asserted: Check) -> None:
    assert not asserted(text, label), analyse(text).indicators


@pytest.mark.parametrize(
    ("label", "text"),
    [
        (
            "neglect_basic_care",
            "I might be wrong, but I think there are concerns about her hygiene.",
        ),
        ("parental_drug_misuse", "She hinted that mum takes cocaine."),
        ("domestic_abuse", "A gut feeling about threats to kill, nothing more."),
        ("parental_alcohol_misuse", "I can't say for sure that dad drinks every night."),
    ],
)
def test_opinions_and_hints_are_hedged(label: str, text: str) -> None:
    matches = [m for m in analyse(text).indicators if m.label == label]
    assert matches and all(m.hedged for m in matches), matches
