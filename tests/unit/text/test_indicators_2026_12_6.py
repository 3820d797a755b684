"""Patterns 2026.12.6: recall of serious (level 3-4) concepts in independent phrasings, their
level-1/2 and negated look-alikes, and the inner-negation rule of the matcher ("found no
ketamine" is negated, "no food in the house" is not). Sentences are our own wording.
"""

from __future__ import annotations

import pytest

from training.text import PATTERNS_VERSION, analyse


def _asserted(text: str) -> list[tuple[str, int]]:
    return [
        (m.label, m.level)
        for m in analyse(text).indicators
        if not (m.negated or m.hedged or m.historical)
    ]


def _max_level(text: str) -> int:
    return max((lv for _, lv in _asserted(text)), default=0)


def _has(text: str, label: str) -> bool:
    return any(lab == label for lab, _ in _asserted(text))


def test_version() -> None:
    assert PATTERNS_VERSION == "2026.12.6"


LEVEL4 = {
    "non_accidental_injury": [
        "He has a black eye; mum says he walked into a door but he told staff he fell off his bike.",
        "The account of how the burn happened keeps changing.",
        "Dad's explanation for the fracture does not fit the injury.",
        "The consultant said the history given is not consistent with the bruising.",
        "There is bruising to her arm and she says she does not know how it happened.",
        "Nobody can say how the cut on his head happened.",
        "The doctor thinks the marks on his back were deliberately inflicted.",
        "Scald to both hands in a glove pattern.",
        "The swelling is several days old and she was not taken to the GP.",
        "She has bruises on her upper arms that look like finger marks.",
        "There is bruising behind his ear.",
        "At first mum said she tripped, then later said her brother pushed her; she has a cut lip.",
    ],
    "bruising_non_mobile_baby": [
        "The HV saw a bruise on the cheek of Lily (4 months).",
        "There is a small bluish mark on the baby's thigh, he is 3 months old.",
        "A bruise was seen on his forehead and he is not yet crawling.",
        "Swelling to the arm, the infant is non mobile.",
        "A bruise on her chest at 10 weeks old.",
    ],
    "under_13_pregnant_or_sexually_active": [
        "Jade, aged 12, has told her friend she is pregnant.",
        "Ella (11) has a positive pregnancy test.",
        "The girl is 12 and has been booked with the midwife.",
        "Amy, 12, says she is having a baby.",
        "Keira is 11 and told the nurse she has been having sex with her boyfriend.",
        "Mia, who is 12, asked for the morning after pill.",
        "She became pregnant at 12.",
    ],
    "trafficking": [
        "The woman he lives with holds his passport and he is not allowed to leave.",
        "She has no passport of her own, the family she works for keeps it.",
        "He says he must pay back money for his journey to the UK.",
        "She owes a debt to the people who brought her here for the travel.",
        "The boy was found working in a cannabis farm.",
        "A 14-year-old was found sleeping on the premises of a car wash.",
        "Officers found him hidden in the back of a lorry.",
        "She came to the UK with a man who is not a relative.",
    ],
    "child_sexual_exploitation": [
        "She is being made to send photos to an older man or he will share her pictures.",
        "He threatened to post the images he has of her online.",
        "Older men have been giving her alcohol and lifts.",
        "She gets presents and money from older males she met in town.",
        "She was found in a flat with two adult men.",
        "Her taxis home are paid for by someone she won't name.",
        "She keeps coming home with love bites and new clothes.",
    ],
    "child_criminal_exploitation": [
        "He says he has to do what the older boys tell him.",
        "The olders know where his family live.",
        "She is holding a package for some lads from the estate.",
        "He is running for older boys and is scared to stop.",
        "He has a phone that his mum did not buy him and leaves the house straight after calls.",
        "He has been seen at a flat known for drug dealing.",
        "Money has been going into her bank account and straight out again.",
        "Someone is using his bank account to move money.",
        "He came home with cash and new trainers.",
    ],
    "fgm_risk": [
        "Mum said she was cut as a girl and that it is part of their tradition.",
        "She told her friend that the cutting will hurt.",
        "The family are travelling abroad this summer and there is talk of a ceremony for the girls.",
        "Since coming back from the holiday she has pain when passing urine.",
        "She has had difficulty walking since she returned from abroad.",
    ],
    "physical_abuse": [
        "The child was injured during a fight between mum and her partner.",
        "He was hit by a glass that dad threw at mum.",
        "She was caught by a punch that was meant for her mother.",
        "The toddler got a burn when the kettle was knocked over while he was attacking mum.",
        "He was hurt trying to protect his mum from her boyfriend.",
        "Mum was holding the baby when her partner punched her.",
        "He dragged the boy out of bed and threw him across the landing.",
        "Dad assaulted his daughter in the kitchen.",
    ],
    "disclosure_by_child": [
        "When asked about the bruise he said 'mummy did it'.",
        "She told the teacher her stepdad slapped her round the face.",
        "He said that's what his uncle does to him at night.",
        "She said her mum's boyfriend makes her do things she doesn't like.",
        "She said her stepdad comes into her bed when mum is at work.",
    ],
    "sexual_abuse": [
        "He said his uncle shows him rude videos on his phone.",
        "The child drew pictures of sexual acts at nursery.",
    ],
    "failure_to_thrive": [
        "Baby has lost 8% of his birth weight and mum is not concerned.",
        "At the review she weighed less than at her previous check.",
        "His weight has dropped from the 50th centile to below the 9th.",
        "He has not gained any weight in three months.",
        "Mum has been watering down his milk to make it go further.",
        "She put on weight in hospital but lost it again at home.",
    ],
    "severe_neglect": [
        "He has been taking food from the bins at school.",
        "Dirty nappies piled up in the kitchen.",
        "The children were sitting in filth on the floor.",
        "Mum stops him having dinner as a punishment.",
    ],
    "domestic_abuse_pregnant_victim": [
        "She is 20 weeks pregnant and he punched her in the stomach.",
    ],
}

LEVEL3 = {
    "repeated_missing_episodes": [
        "Missing x3 this month.",
        "He keeps disappearing from home.",
        "She was missing for two nights.",
        "He didn't come home until the next morning.",
    ],
    "child_mental_health_crisis": [
        "She says she doesn't want to be alive anymore.",
        "He has been giving his things away to friends.",
        "She sent a goodbye message to her friends last night.",
        "He took a handful of tablets after school.",
        "She is hearing voices and hallucinating.",
    ],
    "chaotic_home_or_left_alone": [
        "The 3 year old was left in the flat while mum went out to the pub.",
        "She was found home alone at 10pm.",
        "Mum left him asleep on his own.",
        "He was left alone in the bath.",
        "She makes her own breakfast because mum is still asleep.",
        "Police found the baby alone in the flat.",
    ],
    "emotional_abuse": [
        "Dad threatens to send him into care when he is naughty.",
        "Mum ignores her for days as a punishment.",
        "Mum tells her she ruined her life.",
        "Her stepdad calls her stupid and worthless.",
    ],
    "chronic_non_attendance": [
        "He has not been in school since October half term.",
        "She has missed half of this term.",
        "He attends two days a week.",
        "Mum keeps her off school to look after the baby.",
    ],
    "neglect_basic_care": [
        "The baby was in a dirty babygro with dirty bottles on the side.",
        "He keeps coming to school without his inhaler.",
    ],
}


@pytest.mark.parametrize(
    ("label", "text"), [(lab, t) for lab, ts in LEVEL4.items() for t in ts]
)
def test_level4_concepts_match(label: str, text: str) -> None:
    assert _has(text, label), _asserted(text)
    assert _max_level(text) == 4


@pytest.mark.parametrize(
    ("label", "text"), [(lab, t) for lab, ts in LEVEL3.items() for t in ts]
)
def test_level3_concepts_match(label: str, text: str) -> None:
    assert _has(text, label), _asserted(text)
    assert _max_level(text) >= 3


LOOK_ALIKES = [
    # level 1-2 wording that shares words with the new concepts: never level 3-4
    "She is 12 weeks pregnant with her second child.",
    "Jack (11) says his mum is pregnant again.",
    "Tom, 12, has a bump on his head from football.",
    "Mum keeps the children's passports in a drawer.",
    "The family have a debt to the council for rent.",
    "He fell over in the playground and his mum took him to the GP the same day.",
    "The explanation given is consistent with the injury.",
    "Mum is going to get her hair cut on Saturday.",
    "She cut her finger as a child and still has the scar.",
    "A child in his class called him names; the school dealt with it.",
    "Family struggling for money, using food bank.",
    "The family have been moved between temporary addresses by the council.",
    "Mum has lost weight since starting her new diet.",
    "Mum sends money home to her family every month.",
    "He went to a birthday party with his friends.",
    "He was hit in the face by a ball during a football match.",
    "The case was closed last year.",
    "She said her dad is looking for a new job.",
    "Mum says he knows where he lives, the neighbour is a friend.",
    "Dad was injured during the fight and taken to hospital.",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_are_not_escalated(text: str) -> None:
    assert _max_level(text) <= 2, _asserted(text)


NEGATED = [
    "There is no concern that the explanation does not fit.",
    "No evidence that she is pregnant; she is 12.",
    "Police found no cannabis farm at the address.",
    "There are no signs of FGM.",
    "There was no sign of any bruising on the baby, who is 3 months old.",
]


@pytest.mark.parametrize("text", NEGATED)
def test_negated_new_concepts_are_not_asserted(text: str) -> None:
    assert _max_level(text) <= 2, _asserted(text)


# ---------------------------------------------------------------- inner negation rule
def _flags(text: str, label: str) -> list[bool]:
    return [m.negated for m in analyse(text).indicators if m.label == label]


def test_denial_inside_the_match_negates() -> None:
    assert _flags("Mum denies any depression.", "parental_mental_illness") == [True]


def test_no_through_a_gap_negates() -> None:
    assert _flags("Police searched the flat and found no ketamine.", "child_substance_use") == [True]


def test_no_written_in_the_pattern_stays_asserted() -> None:
    assert _flags("There was no food in the house.", "severe_neglect") == [False]


def test_negation_far_from_the_last_word_does_not_negate() -> None:
    # "no periods" lies inside the match but does not scope its last word
    text = "GP: 12 year old, vomiting and no periods for 3 months, pregnancy test positive."
    assert _flags(text, "under_13_pregnant_or_sexually_active") == [False]


def test_pattern_spelled_negation_stays_asserted() -> None:
    text = "There is a swollen ankle and mum says it happened days ago but she didn't think it needed seeing."
    assert False in _flags(text, "non_accidental_injury")
