"""Patterns 2026.12.3: stated ages of non-mobile babies, the two senses of "hiding" and
"belted", and level-4 recall on paraphrases of the guidance (CSE, injured/threatened
children in domestic abuse, strangulation, parental mental illness with threats to the
child, under-13 sexual activity), each with look-alikes that must stay unasserted.

Sentences are our own paraphrases, not dev-set text.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

Check = Callable[[str, str], bool]


# --- bruising on a non-mobile baby whose age is stated without a "baby" word -------------


@pytest.mark.parametrize(
    "text",
    [
        "Isla, 4 months, not yet rolling, has a small blue mark on her thigh.",
        "Poppy, 4 months, has a small blue mark on her thigh.",
        "Noah (10 weeks) was brought in with a bruise under his eye.",
        "Jake is a 5-month-old with a bruise on his cheek.",
        "Seen a 10-week-old with a swollen wrist.",
        "Four month old Ava has a bruise on her arm.",
        "Ruby 4/12 presented with bruising to the ear.",
        "Theo is not crawling yet and has bruising to both ears.",
        "Mia, aged 3 months, the HV found two marks on her upper arm.",
    ],
)
def test_non_mobile_baby_age_without_baby_word(asserted: Check, text: str) -> None:
    assert asserted(text, "bruising_non_mobile_baby")


@pytest.mark.parametrize(
    "text",
    [
        # a negation between the age (or "baby") and the injury word
        "Isla, 4 months old, no marks seen.",
        "Baby Isla, no marks seen.",
        "Leo is 10 weeks old and there are no bruises on him.",
        "Ava (4 months old) was checked by the HV and no marks or bruises were seen.",
        # durations, pregnancy and older children
        "Mum has had bruises on her arms for 3 months.",
        "Three months ago Leo had a bruise on his leg.",
        "He has had a bruise on his shin for 2 weeks.",
        "Mum has had a bruise for 2 weeks and is worried about her partner.",
        "She is 6 months pregnant and has bruises on her arms.",
        "Jack, 18 months, has a bruise on his forehead from falling off the sofa.",
        "The 4 month old has a birthmark on his back.",
    ],
)
def test_non_mobile_baby_lookalikes(asserted: Check, text: str) -> None:
    assert not asserted(text, "bruising_non_mobile_baby")


# --- "hiding" and "belted": a beating, or something else ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "He was given a good hiding by his dad.",
        "He got a right good hiding off his mum.",
        "Dad gave him a good hiding for breaking the TV.",
        "Dad belted him with a slipper.",
        "He was belted by his stepdad.",
        "Mum's boyfriend belted the boy across the head.",
    ],
)
def test_beating_senses(asserted: Check, text: str) -> None:
    assert asserted(text, "physical_abuse")


@pytest.mark.parametrize(
    "text",
    [
        "She got a good report from school this term.",
        "He got a good telling off from mum for being late.",
        "Mum got a hiding place ready for the presents.",
        "She is hiding food in her bedroom.",
        "He was hiding under the bed when police came.",
        "Mum belted the baby into the car seat and drove off.",
        "The baby was belted into his car seat.",
        "The toddler was belted in and fell asleep.",
        "She belted out a song in assembly.",
    ],
)
def test_non_beating_senses(asserted: Check, text: str) -> None:
    assert not asserted(text, "physical_abuse")
    assert not asserted(text, "disclosure_by_child")


def test_hiding_during_violence_is_still_a_child_present(asserted: Check) -> None:
    text = "The children were hiding in the bedroom while he attacked mum."
    assert asserted(text, "domestic_abuse_child_present")
    assert not asserted(text, "physical_abuse")


def test_partner_belted_her_is_still_domestic_abuse(asserted: Check) -> None:
    assert asserted("Her partner belted her last night.", "domestic_abuse")


# --- real words that the typo corrector used to turn into indicator keywords -------------


@pytest.mark.parametrize(
    ("word", "norm"),
    [("selling", "sell"), ("smelling", "smell"), ("dwelling", "dwell"), ("cruising", "cruis"),
     ("swelling", "swell"), ("bruising", "bruis"), ("boyfreind", "boyfriend")],
)
def test_real_words_keep_their_norm(word: str, norm: str) -> None:
    from training.text.normalise import norm_word

    assert norm_word(word) == norm


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The baby was smelling of smoke when the HV visited.", "bruising_non_mobile_baby"),
        ("Mum is selling her car to pay the rent and the baby is well.", "bruising_non_mobile_baby"),
        ("He came to school smelling of weed after the weekend.", "child_criminal_exploitation"),
        ("The baby is cruising round the furniture now.", "observed_injury"),
    ],
)
def test_typo_corrector_lookalikes(asserted: Check, text: str, label: str) -> None:
    assert not asserted(text, label)


def test_selling_drugs_still_cce(asserted: Check) -> None:
    assert asserted("He has been selling drugs for older boys.", "child_criminal_exploitation")


# --- disclosures: negation inside the span, questions, objects, the parent's own account ---


@pytest.mark.parametrize(
    "text",
    [
        "He says his stepdad never hits him.",
        "She said nobody at home hurts her, she is just fed up.",
        "He said he punched the wall because he was angry.",
        "I asked her whether anyone hurt her and she said no.",
        "Mum told me she smacked his hand once and felt awful.",
    ],
)
def test_not_a_disclosure(asserted: Check, text: str) -> None:
    assert not asserted(text, "disclosure_by_child")
    assert not asserted(text, "physical_abuse")


def test_question_about_harm_is_hedged(found: Check, asserted: Check) -> None:
    text = "The coach asked if his mum ever hit him and he said she just shouts."
    assert not asserted(text, "physical_abuse")


def test_disclosure_after_question_still_counts(asserted: Check) -> None:
    assert asserted("Dad then hit him with a belt.", "physical_abuse")
    assert asserted("He told his teacher that dad hit him with a belt.", "disclosure_by_child")


# --- sexual abuse: ongoing touching by an adult ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The lodger keeps touching me when mum is at work, she told her teacher.",
        "She disclosed that her uncle has been touching her.",
        "He comes into my room at night and sometimes he touches me, she wrote.",
    ],
)
def test_ongoing_touching(asserted: Check, text: str) -> None:
    assert asserted(text, "sexual_abuse")


@pytest.mark.parametrize(
    "text",
    [
        "Her brother has been touching her hair to wind her up.",
        "Mum comes into her room at night to check she is asleep.",
        "He keeps touching her things and she gets cross.",
    ],
)
def test_touching_lookalikes(asserted: Check, text: str) -> None:
    assert not asserted(text, "sexual_abuse")


# --- child sexual exploitation -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Her 21-year-old boyfriend gives her vodka and lets her stay at his flat.",
        "The men she meets at the park gave her cannabis and pills.",
        "An unknown man picks her up from the end of the road most evenings.",
        "Police found her in a flat with two adult men at 3am.",
        "She has been seen getting into a car with older males after school.",
        "Her boyfreind is 22 and she is 14.",
    ],
)
def test_cse_paraphrases(asserted: Check, text: str) -> None:
    assert asserted(text, "child_sexual_exploitation")


@pytest.mark.parametrize(
    "text",
    [
        "Officers dealt with a fight between two adult males outside the shop; the boy was with his dad.",
        "Dad picks her up from school in his car.",
        "Her older brother bought her some trainers for her birthday.",
        "Mum's boyfriend bought her a phone for Christmas.",
        "In 2021 an adult male gave her alcohol; there have been no concerns since.",
    ],
)
def test_cse_lookalikes(asserted: Check, text: str) -> None:
    assert not asserted(text, "child_sexual_exploitation")


# --- strangulation, threats to the children, under-13 sexual activity ----------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Her partner put his hands round her neck until she nearly passed out.", "domestic_abuse"),
        ("He grabbed her by the throat against the fridge.", "domestic_abuse"),
        ("He threatened to stab the kids if she left him.", "physical_abuse"),
        ("Mum, off her medication, said she would smother the baby.", "physical_abuse"),
        ("The 11 year old told a friend she had sex with a boy in Year 9.", "under_13_pregnant_or_sexually_active"),
        ("Lily is 12 and has had sex with her boyfriend.", "under_13_pregnant_or_sexually_active"),
    ],
)
def test_priority_paraphrases(asserted: Check, text: str, label: str) -> None:
    assert asserted(text, label)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("He put his hands round her waist to dance.", "domestic_abuse"),
        ("Dad never threatened to hurt the kids.", "physical_abuse"),
        ("Mum worries she might hurt the baby when she is low.", "physical_abuse"),
        ("The 12 year old has had sex education at school.", "under_13_pregnant_or_sexually_active"),
        ("The 12 year old has not had sex, she says.", "under_13_pregnant_or_sexually_active"),
    ],
)
def test_priority_lookalikes(asserted: Check, text: str, label: str) -> None:
    assert not asserted(text, label)
