"""Recall of level-4 (significant harm) concepts on varied wording (patterns 2026.12.2).

Paraphrases of the guidance's level-4 indicators in our own words (not a generator's
templates, not the dev set), plus look-alike guards that must stay unmatched.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

Check = Callable[[str, str], bool]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # non-accidental injury: ages of bruising, changing accounts, no explanation, delay, pattern
        (
            "The nurse saw bruising at various stages of healing on his legs.",
            "non_accidental_injury",
        ),
        ("Dad has given two different explanations for the burn.", "non_accidental_injury"),
        ("There is a bruise on her cheek and nobody can explain it.", "non_accidental_injury"),
        (
            "He has marks on his back and there is no explanation from the carers.",
            "non_accidental_injury",
        ),
        (
            "A&E noted a delay of two days in seeking treatment for the wrist.",
            "non_accidental_injury",
        ),
        ("The burn on his hand is the shape of an iron.", "non_accidental_injury"),
        (
            "The doctor was not satisfied with the explanation given by mum.",
            "non_accidental_injury",
        ),
        # disclosure by the child in everyday words
        (
            "Jade told her teacher that her stepdad whacked her with a slipper.",
            "disclosure_by_child",
        ),
        ("He says he gets hit at home when he is naughty.", "disclosure_by_child"),
        ("Sam said he got a proper hiding from dad last night.", "physical_abuse"),
        # sexual abuse in a child's words, and harmful sexual behaviour
        ("She said the lodger does things to her when mum is out.", "sexual_abuse"),
        ("He told staff an older cousin put his hand down his pants.", "sexual_abuse"),
        ("The boy talked about a secret game with his uncle.", "sexual_abuse"),
        ("A 12 year old has been sending nude pictures to classmates.", "sexual_abuse"),
        ("Staff saw him trying to undress a younger pupil in the toilets.", "sexual_abuse"),
        ("He keeps making sexual comments to girls in his class.", "sexual_abuse"),
        # pregnant victim of domestic abuse: gestation shorthand and wider violence words
        (
            "Seen at 28/40 with bruises to her arms, says partner grabbed her.",
            "domestic_abuse_pregnant_victim",
        ),
        (
            "Partner shoved her into a door last night, she is 20 weeks.",
            "domestic_abuse_pregnant_victim",
        ),
        ("At the antenatal clinic she had marks on her neck.", "domestic_abuse_pregnant_victim"),
        # child criminal exploitation
        (
            "He was arrested 80 miles from home with a bag of cannabis.",
            "child_criminal_exploitation",
        ),
        ("Police found him in a flat with drugs in another county.", "child_criminal_exploitation"),
        ("He says he owes the older lads money and is scared.", "child_criminal_exploitation"),
        (
            "She keeps coming home with wads of cash and will not say where from.",
            "child_criminal_exploitation",
        ),
        ("He was caught carrying a bag full of crack cocaine.", "child_criminal_exploitation"),
        # trafficking
        ("She says she must work to pay off the journey to the UK.", "trafficking"),
        ("He works at the car wash every day but is never paid.", "trafficking"),
        ("An unaccompanied minor was found at the service station.", "trafficking"),
        ("The girl appears much older than her stated age.", "trafficking"),
        # failure to thrive
        ("Her weight has been static for four months.", "failure_to_thrive"),
        (
            "He has fallen from the 25th centile to well below the 0.4th centile.",
            "failure_to_thrive",
        ),
        ("The paediatrician found no organic cause for his poor growth.", "failure_to_thrive"),
        ("She is very small for her age.", "failure_to_thrive"),
    ],
)
def test_level4_paraphrase_is_asserted(text: str, label: str, asserted: Check) -> None:
    assert asserted(text, label)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # look-alikes: accidents, ordinary objects, adults' own words, ages of babies
        ("She hits my brother when they argue over the tablet.", "disclosure_by_child"),
        ("He said it hurt my feelings when he was left out.", "disclosure_by_child"),
        ("Mum said her partner hit her during the argument.", "disclosure_by_child"),
        (
            "The baby is 6 weeks old and dad pushed mum during a row.",
            "domestic_abuse_pregnant_victim",
        ),
        (
            "Mum is expecting a delivery and the partner was shouting.",
            "domestic_abuse_pregnant_victim",
        ),
        ("She was referred to the sexual health clinic for advice.", "sexual_abuse"),
        ("The family delivered a parcel to the school office.", "child_criminal_exploitation"),
        ("Mum owes money on the catalogue and is behind with rent.", "child_criminal_exploitation"),
        ("Dad works at a warehouse and gets paid weekly.", "trafficking"),
        ("He is small but growing along his centile.", "failure_to_thrive"),
        ("He fell off his bike and his explanation was consistent.", "non_accidental_injury"),
    ],
)
def test_level4_lookalike_is_not_matched(text: str, label: str, found: Check) -> None:
    assert not found(text, label)


def test_a_hedged_level4_paraphrase_stays_hedged(asserted: Check, found: Check) -> None:
    text = "Possibly he was found in a flat with drugs, nothing confirmed."
    assert found(text, "child_criminal_exploitation")
    assert not asserted(text, "child_criminal_exploitation")
