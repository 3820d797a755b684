"""Scope reading 2026.12.6b: clause-taking negations ("it is not true that X", "no evidence
that X, Y or Z"), a claim the sentence opens with ("Concerns that X were raised and looked
into, nothing found"), an initial belief later retracted ("staff first thought that X, but
this turned out to be a mistake"), "not yet" as an adverb, and look-alikes that must stay
asserted: house numbers ("at no 4"), "nobody noticed X" (X is there), "has since said".

Sentences are our own, not dev-set or generator text.
"""

from __future__ import annotations

import pytest
from scope_checks import _all, _asserted, _matches, _none

from training.text import analyse

# --- negations taking a clause ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # "not true / not the case / untrue / false that X" negate X, forward
        ("It is simply not true that her stepfather kicked the boy.", "kicked the boy"),
        ("It was not true to say that the toddler is left alone at night.", "left alone"),
        ("It isn't the case that mum's boyfriend slapped the girl.", "slapped the girl"),
        ("Police checked and it is not the case that the baby was shaken.", "shaken"),
        ("Officers established it was untrue that dad burnt Sam with a lighter.", "burnt"),
        ("The GP confirmed it is false that the child was starved.", "starved"),
        # a clause-taking negation covers its clause across commas and "and"/"or"
        (
            "There is no evidence that the stepmother has been hitting the twins with a "
            "slipper or locking them in the shed overnight.",
            "locking them in the shed",
        ),
        (
            "We have found no evidence that uncle Tom is supplying the boys with cannabis, "
            "ketamine and vapes.",
            "ketamine",
        ),
        (
            "Nursery have no concerns that the baby is underfed, left in dirty nappies or "
            "going without warm clothes.",
            "dirty nappies",
        ),
        (
            "The health visitor has no concerns about neglect, poor hygiene, missed "
            "appointments or head lice.",
            "head lice",
        ),
        ("Dad denies that he slapped his daughter and pulled her hair.", "pulled her hair"),
        ("There is no reason to believe that Amy was punched by her brother.", "punched"),
    ],
)
def test_clause_taking_negation_covers_its_clause(text: str, phrase: str) -> None:
    assert _all(text, phrase, "negated"), text


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # the negated clause ends at a "but"-like break or a new clause with its own subject
        ("It is not true that mum drinks, but dad punched her last night.", "punched her"),
        ("There is no evidence that dad drinks and the boy has a black eye.", "black eye"),
        ("There is no evidence of drug use but the baby has a bruise on her cheek.", "bruise"),
        ("No concerns about school attendance, dad hits the children with a belt.", "belt"),
        # a relative clause describing a negated noun phrase is not negated
        ("Health have no concerns about the baby, who has a burn on her hand.", "burn"),
        # "not true" ending its clause negates what came before, not the next sentence
        ("Mum says it is not true. Dad hit the child with a belt.", "belt"),
    ],
)
def test_clause_taking_negation_stops(text: str, phrase: str) -> None:
    assert _none(text, phrase, "negated"), text


# --- a claim the sentence opens with, retracted at its end ------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        (
            "Concerns that the boy arrived at school with a cut lip and told staff his "
            "stepdad had pushed him into a door were raised and looked into, nothing found.",
            "cut lip",
        ),
        (
            "The allegation that the flat is filthy, with dog mess in every room and the "
            "children sleeping on bare mattresses, was investigated and found to be untrue.",
            "dog mess",
        ),
        (
            "Reports of dad punching his partner and kicking the children but nobody calling "
            "the police were looked into, nothing was found.",
            "punching",
        ),
    ],
)
def test_opening_claim_is_negated_by_a_later_retraction(text: str, phrase: str) -> None:
    assert _all(text, phrase, "negated"), text


def test_not_yet_is_no_break_for_a_retraction() -> None:
    text = (
        "Concerns that the baby had a bruise on his cheek and is not yet crawling have been "
        "looked into and were unfounded."
    )
    assert _all(text, "bruise on his cheek", "negated")


def test_not_yet_adverb_keeps_an_asserted_bruise() -> None:
    text = "Baby is 5 months old, not yet rolling, and has a bruise on her ear."
    assert any(_asserted(m) for m in _matches(text, "bruise"))


# --- an initial belief later corrected ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        (
            "Staff initially believed that mum's partner had kicked the dog in front of "
            "the children, according to the eldest, but this turned out to be a mistake.",
            "kicked",
        ),
        (
            "The neighbour first thought that the boys were home alone all weekend and had "
            "no food, but this turned out to be a misunderstanding.",
            "home alone",
        ),
        (
            "At first it seemed as if dad had hit the girl with a cable, but this was ruled "
            "out after checks.",
            "cable",
        ),
    ],
)
def test_retracted_initial_belief_is_not_asserted(text: str, phrase: str) -> None:
    assert _all(text, phrase, "negated") or _all(text, phrase, "hedged"), text
    assert not any(_asserted(m) for m in analyse(text).indicators if m.level >= 3), text


def test_backward_retraction_reaches_a_match_running_into_it() -> None:
    text = "The referrer first thought that dad had broken bail conditions, but this turned out to be wrong."
    for m in analyse(text).indicators:
        assert not _asserted(m), (text, text[m.start : m.end])


# --- look-alikes that must stay asserted -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # house numbers are not the negation "no"
        ("The uncle who lives at no 14 Mill Lane punched the boy.", "punched the boy"),
        ("Dad moved to No. 3 Park Road and hit the child with a belt.", "hit the child"),
        ("Mum is in flat no 7 and her partner strangled her.", "strangled"),
        # "nobody noticed / realised X": X is there, only the noticing is negated
        ("Nobody noticed the bruises on the baby's legs.", "bruises"),
        ("No one realised the toddler had a burn on his hand.", "burn"),
        ("No-one at the party checked on the children, who were left alone.", "left alone"),
        # "has since said/confirmed" reports something said now, not a past event
        ("The referrer has since confirmed that dad punched mum.", "punched mum"),
        ("Mum has since told school that her partner hits the children.", "hits the children"),
    ],
)
def test_look_alikes_stay_plain(text: str, phrase: str) -> None:
    assert _none(text, phrase, "negated") and _none(text, phrase, "historical"), text


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("There was no food in the house and the children were hungry.", "no food"),
        ("Child alleges dad hit him with a belt.", "hit him"),
        ("Mum says all is fine but the child has bruises on his arms.", "bruises"),
        ("It is not true that mum drinks, but dad punched her last night.", "punched"),
        ("Nobody noticed the bruises on the baby's face.", "bruises"),
        ("Dad, who lives at no 9, punched mum in the face.", "punched"),
    ],
)
def test_asserted_matches(text: str, word: str) -> None:
    assert any(_asserted(m) for m in _matches(text, word)), text


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # the negation "nobody/no one" itself still negates what they did
        ("Nobody hit the child.", "hit the child"),
        ("No one has hurt the boy.", "hurt the boy"),
    ],
)
def test_nobody_still_negates_an_act(text: str, phrase: str) -> None:
    assert _all(text, phrase, "negated"), text


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Dad has since left the home after hitting mum.", "hitting mum"),
        ("Mum drank heavily but has since stopped.", "stopped"),
    ],
)
def test_has_since_still_historical(text: str, phrase: str) -> None:
    assert _all(text, phrase, "historical"), text


def test_opening_clause_taking_hedge_covers_a_coordinated_clause() -> None:
    text = "Unclear if mum is drinking and Leo is missing meals."
    assert _all(text, "missing meals", "hedged")
    # a comma before "and" still opens a clause of its own
    text = "Unclear if mum is drinking, and Leo has a burn on his arm."
    assert _none(text, "burn", "hedged")
