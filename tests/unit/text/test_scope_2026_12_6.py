"""Scope reading 2026.12.6: resolution clauses that refer back ("..., but that was years
ago", "the family have since moved on", "it hasn't been an issue for years"), prefaces
hedging the rest of their sentence, longer clause-taking hedges, retractions whose own
subject refers back, "nobody has raised X", answers to a question asked earlier in the
sentence, "X is not a feature", more third-hand sources, and look-alikes that must stay
asserted.

Sentences are our own, not dev-set or generator text.
"""

from __future__ import annotations

import pytest
from scope_checks import _all, _asserted, _matches, _none, _plain

from training.text import analyse

# --- historical: resolution clauses reaching back over their own sentence ---------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # a date in a clause that only refers back ("but this was", "that was")
        ("Dad threw a plate at mum in front of the kids, but this was in 2014.", "plate"),
        ("Jo was punched by her stepfather - that was back in 2016 and he has left.", "punched"),
        ("Mum's partner was hitting the children with a belt, which was in 2013.", "belt"),
        # relative time expressions ending their clause
        ("Mum was hitting Jo with a slipper but that was a while ago.", "slipper"),
        ("Dad punched mum in the face, but this was a few years back.", "punched"),
        # "the family have (since) moved on"
        ("Dad strangled mum during a row; the family have since moved on.", "strangled"),
        ("There was heroin use by both parents, and they have all moved on from it.", "heroin"),
        # "not been an issue for years", "no further incidents in years"
        ("Mum drank heavily after the birth, though it hasn't been an issue for years.", "drank"),
        ("Dad was violent to mum, though this has not been a problem for many months.", "violent"),
        ("Dad hit the boys with a belt, no further incidents for several years.", "belt"),
        # closure of the case
        ("Dad hit mum in front of the kids, closed to CSC after a CIN plan.", "hit"),
        ("The children were going hungry at home, case closed in 2017.", "hungry"),
        ("Jo said dad burnt her with a lighter; this was resolved at the time.", "burnt"),
        # an earlier date, its sentence only
        ("Mum smoked cannabis before Leo (18 months) was born.", "cannabis"),
    ],
)
def test_resolution_clause_dates_what_it_refers_back_to(text: str, word: str) -> None:
    assert _all(text, word, "historical"), text


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # the resolution is about something else in an earlier sentence
        (
            "Dad punched mum on Friday. Her brother was in prison, but that was years ago.",
            "punched",
        ),
        (
            "Jo has bruises to her arm today. The family moved here, and that was in 2019.",
            "bruises",
        ),
        # a clause with content of its own before the date
        ("Dad hit him last night, but mum says the last time was in 2019.", "hit"),
        # a worry resolved by how it was handled is still the worry (read forward only)
        ("Amy was upset after a row with her friends, this was resolved by her teacher.", "upset"),
        # "new" and "ongoing" end a forward date; a current concern stays current
        ("Known to CSC in 2015; new concerns that dad hits Jo with a belt.", "belt"),
    ],
)
def test_resolution_does_not_reach_other_sentences_or_own_content(text: str, word: str) -> None:
    assert _none(text, word, "historical"), text


# --- hedging -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # a preface hedges the rest of its sentence, across "and" and commas
        ("I may be wrong but I think dad is dealing from the flat and has a knife.", "knife"),
        (
            "Not 100% sure, but I reckon Jo is 12 and has a boyfriend of 25 buying her gifts.",
            "boyfriend",
        ),
        (
            "Can't be certain, but I think mum drove the kids home while over the limit.",
            "over the limit",
        ),
        ("Don't quote me, but I think the stepdad has punched Jo and her brother.", "punched"),
        # a hyphenated word is no dash: the hedge runs on
        ("Staff are not sure, but they wonder if Jo's step-dad hit her with a belt.", "belt"),
        # a clause-taking hedge opening its sentence covers a longer reported clause
        (
            "Unclear whether the lad who hangs about the park with older boys has been "
            "running drugs for them and gets paid in cash.",
            "running drugs",
        ),
        ("We wonder if Amy (6) has been left home alone overnight.", "home alone"),
        ("It may be that the bruising on Jo's face was caused by mum's boyfriend.", "bruising"),
        # a hedge that ends the sentence
        ("Query dad slapping Jo, no evidence either way.", "slapping"),
        ("Mum may be using heroin again - just a worry at this stage.", "heroin"),
        # a "but" before a predicate with no subject of its own is still the reported clause
        ("Unclear if mum was offered a refuge place but turned it down.", "turned it down"),
    ],
)
def test_hedge_covers_its_sentence(text: str, word: str) -> None:
    assert _all(text, word, "hedged"), text


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # a preface whose uncertainty is about something else
        ("Not sure why, but Jo has bruises on both arms.", "bruises"),
        ("I'm not sure how, but Leo came in with a black eye.", "black eye"),
        # a "but" that opens a new asserted clause still breaks the scope
        (
            "I might be wrong, but I think mum is drinking, but Jo definitely has a black eye.",
            "black eye",
        ),
        ("Unclear if dad is back in the house, but Jo has a black eye today.", "black eye"),
        # the preface's sentence ends
        ("I could be wrong, but I think dad is drinking; school saw a cut on Jo's head.", "cut"),
        # a disclosure is not a hedge
        ("Child alleges dad hit him with a belt.", "belt"),
    ],
)
def test_hedge_does_not_cover_what_is_asserted(text: str, word: str) -> None:
    assert _none(text, word, "hedged"), text


# --- negation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # "nobody ... has raised X"
        ("No one at nursery has ever raised bruising.", "bruising"),
        ("None of the professionals involved with Jo have reported any self-harm.", "self-harm"),
        ("No agency working with the family has mentioned domestic abuse.", "domestic abuse"),
        ("Nobody in the core group has raised neglect or head lice.", "head lice"),
        # an answer to a question asked earlier in the sentence
        ("When asked about cannabis use, dad said no.", "cannabis"),
        ("Questioned directly about the bruising, mum flatly denied it.", "bruising"),
        ("Jo was asked whether anyone hurts her at home and shook her head.", "hurts"),
        ("Dad smiled when asked about self-harm by Jo, said definitely not.", "self-harm"),
        # "X is / has never been a feature / concern"
        ("Domestic violence in the household has never been a concern.", "domestic violence"),
        ("Alcohol misuse by either parent is not an issue in this family.", "alcohol"),
        ("Bruising on the baby's face or body is not a feature.", "bruising"),
        # a retraction whose own subject refers back
        (
            "A caller said dad had slapped Jo, but the caller later rang to say it was a "
            "misunderstanding.",
            "slapped",
        ),
        (
            "Someone said mum was drunk at pick-up; police and school both say this is untrue.",
            "drunk",
        ),
        # "&" carries a negated list on like "and"
        ("No evidence of shouting & belittling.", "belittling"),
    ],
)
def test_negation_reaches_what_it_denies(text: str, word: str) -> None:
    assert _all(text, word, "negated"), text


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # "said no" with no question before it is a refusal, not a denial of the clause
        ("Dad hit her across the face when she said no.", "hit her"),
        # an answer that is not a denial
        ("Asked about the bruise, Jo said dad did it with a belt.", "belt"),
        ("Mum was asked about her drinking and said she drinks vodka every night.", "vodka"),
        # a new clause after a negated noun phrase
        ("No food in the house and school have raised concerns about weight loss.", "weight loss"),
        # "not a concern" of another clause
        ("Dad drinks heavily every night and cannabis is not a concern.", "drinks heavily"),
        # a retraction of something else, with a subject of its own
        ("Dad hit Jo, but the claim about mum drinking was a misunderstanding.", "hit"),
        ("Mum says all is fine but the child has bruises.", "bruises"),
    ],
)
def test_negation_leaves_asserted_look_alikes(text: str, word: str) -> None:
    assert _none(text, word, "negated"), text


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # a cue inside the match does not flag it
        ("There is no food in the house.", "no food"),
        ("Mum says all is fine but the child has bruises.", "bruises"),
    ],
)
def test_match_with_its_own_cue_stays_asserted(text: str, word: str) -> None:
    assert all(_asserted(m) for m in _matches(text, word)), text


# --- third-hand ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("We were told by the housing association that dad hits the children.", "hits"),
        ("The taxi driver who takes Jo to school reported that she had a black eye.", "black eye"),
        ("Word came through from a neighbour that mum leaves the kids home alone.", "home alone"),
        ("A message has come via reception from another mum that Jo has a black eye.", "black eye"),
        ("Aunt Joan Smith said dad punched Leo in the face.", "punched"),
        ("A dad at the football club told staff that Leo was hit with a belt.", "belt"),
        ("The childminder told the referrer that mum's boyfriend hit Leo.", "hit"),
        ("It was passed on by a shopkeeper that the kids are left home alone.", "home alone"),
        # a "but" inside a quotation, or before a subjectless predicate, stays reported
        ("Grandma says Jo told her 'don't tell anyone but dad hits me with a belt'.", "belt"),
        ("A neighbour says dad drinks every day but hides the bottles in the shed.", "bottles"),
        # a query mark written onto a word ends no sentence
        ("A neighbour says mum ?drunk most days, the kids are left home alone.", "home alone"),
    ],
)
def test_third_hand_sources(text: str, word: str) -> None:
    assert _all(text, word, "third_party"), text


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # told the writer directly, or a professional's own observation
        ("Mum told me that dad hit her last night.", "hit"),
        ("The nurse who saw Jo reported bruising to her back.", "bruising"),
        # a new asserted clause after the report
        ("A neighbour says mum is fine, but Jo has bruises on her face.", "bruises"),
    ],
)
def test_first_hand_look_alikes_are_not_third_hand(text: str, word: str) -> None:
    assert _none(text, word, "third_party"), text


def test_attached_query_mark_is_not_a_hedge_or_sentence_end() -> None:
    text = "Mum ?depressed, sole carer for Leo who is self-harming."
    assert _plain(text, "mum")
    assert _plain(text, "self-harming")
    assert len({t.sent for t in analyse(text).tokens}) == 1
