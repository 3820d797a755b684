"""Patterns 2026.12.6 (precision pass): vetoes of false level-4 escalations, each in two
phrasings of our own, and the true level-4 look-alike that must still match.
"""

from __future__ import annotations

import pytest

from training.text import analyse


def _asserted(text: str) -> set[str]:
    return {
        m.label
        for m in analyse(text).indicators
        if not (m.negated or m.hedged or m.historical)
    }


VETOED = {
    "severe_neglect": [
        # eating, not starving
        "They have been eating cold food since the gas ran out.",
        "The boys are eating cold food most evenings.",
        "The family are eating one meal a day to save money.",
        # not always enough food: a struggling family
        "She says there isn't always food at home at the end of the month.",
        "There is not always enough food in the house before payday.",
        # homeless, not squalor
        "Mum and the kids have been sleeping on the floor at a friend's flat.",
        "They are sleeping on the floor of a relative's house until Friday.",
    ],
    "physical_abuse": [
        # adult-on-adult violence is domestic abuse, not harm to the child
        "We spoke to mum. Her partner hits her when he has been drinking.",
        "Mum's bf hit her on Saturday night.",
        "Dad shouted at mum and pushed her against the door.",
        "Dad swore at mum & shoved her out of the way.",
        "Mum says Mason has hit her several times.",
        "Mother told us that Tom punched her in the face.",
        "He hits her, usually when the children are asleep upstairs.",
        "Her husband slapped her and the children saw it.",
    ],
    "disclosure_by_child": [
        # 'a bit' is not the verb 'bit'
        "The child says she feels 'a bit low' at school.",
        "He says he is a bit worried about his exams.",
        "Mother said her partner can be 'a bit jealous'.",
        "She told the HV she 'drinks a bit' in the evenings.",
        # a child telling of the parents' rows, not of harm to them
        "Grace told staff that dad shouted at mum and pushed her.",
        "He told his teacher that dad screamed at mum and hit the wall.",
        "She said that her dad punched mum in the kitchen.",
        "The neighbour reports Mr Morris was beating mum in the garden.",
        # an adult telling the health visitor
        "Rania disclosed to the HV that her partner hits her.",
        "She told the midwife that he pushed her last week.",
    ],
    "person_posing_risk_in_household": [
        "He was arrested for a minor offence years ago.",
        "Dad was cautioned for a minor traffic matter.",
    ],
    "chronic_non_attendance": [
        "Police attendance at 21 Park Road last night.",
        "Officers' attendance at flat 3 was brief.",
    ],
}

STILL_MATCH = {
    "severe_neglect": [
        "There is no food in the house.",
        "He has gone without food for two days.",
        "She was eating scraps out of the bin.",
        "He has been taking food from the bins at school.",
        "The children were sleeping on the floor among dog faeces.",
    ],
    "physical_abuse": [
        "Dad hit her with a belt.",
        "Mum and dad hit her when she is naughty.",
        "Mum was holding the baby when her partner punched her.",
        "Her stepdad hits her when she wets the bed.",
        "Dad dragged the boy across the room.",
    ],
    "disclosure_by_child": [
        "Poppy disclosed that her stepdad touches her.",
        "She told the teacher her stepdad slapped her round the face.",
        "Lily said dad hit her with a belt.",
        "He said that mum bit him on the arm.",
    ],
    "person_posing_risk_in_household": [
        "He was convicted of a sexual offence against a minor.",
        "Mum's new partner is a registered sex offender.",
    ],
    "chronic_non_attendance": [
        "Attendance at 45% this term.",
    ],
}


@pytest.mark.parametrize(
    ("label", "text"), [(lab, t) for lab, ts in VETOED.items() for t in ts]
)
def test_vetoed(label: str, text: str) -> None:
    assert label not in _asserted(text)


@pytest.mark.parametrize(
    ("label", "text"), [(lab, t) for lab, ts in STILL_MATCH.items() for t in ts]
)
def test_still_matches(label: str, text: str) -> None:
    assert label in _asserted(text)


def test_domestic_abuse_kept() -> None:
    # the veto moves adult-on-adult violence to domestic abuse, it does not drop it
    assert "domestic_abuse" in _asserted("We spoke to mum. Her partner hits her when he has been drinking.")
