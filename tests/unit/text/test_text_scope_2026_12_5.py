"""Scope reading 2026.12.5: clause-final and anaphoric retractions, checklist answers,
negative-polarity "any", hedge prefaces and clause-taking hedges, clause-final hedges,
resolution statements read as historical, and lay sources reporting at a distance, each
with look-alikes that must stay asserted.

Sentences are our own, not dev-set or generator text.
"""

from __future__ import annotations

import pytest

from training.text import analyse
from training.text.types import IndicatorMatch


def _matches(text: str, word: str) -> list[IndicatorMatch]:
    analysis = analyse(text)
    return [m for m in analysis.indicators if word in text[m.start : m.end].lower()]


def _asserted(m: IndicatorMatch) -> bool:
    return not (m.negated or m.hedged or m.historical)


# --- negation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # a retraction or finding of nothing after the report, referring back to it
        ("There was a report that dad hit him; officers found no evidence of this.", "hit"),
        ("A caller said dad had punched mum, police have no record of it.", "punched"),
        ("Claims that mum was drunk at pick-up were looked into, nothing found.", "drunk"),
        ("The allegation that dad slapped her was later withdrawn.", "slapped"),
        ("It was said that dad hit her, but this is not accurate.", "hit"),
        ("The report that he was kicked turned out to be a mix-up.", "kicked"),
        ("The referrer said mum was drunk, but school say this never happened.", "drunk"),
        # a long sentence, retracted by a clause that refers back to it
        (
            "Reported that dad had hit him at the weekend in the kitchen of the family home "
            "in front of his two younger brothers, their grandmother and the family dog - "
            "this was checked and is not the case.",
            "hit",
        ),
        # post-negation with an agent, or a full stop after it
        ("Drug use denied by both parents.", "drug"),
        ("Domestic violence denied.", "domestic"),
        # "X is not a feature"
        ("Domestic abuse is not a feature in this household.", "domestic"),
        # checklist answers
        ("Domestic abuse? - no", "domestic"),
        # "nothing to suggest X" negates forward
        ("Nothing to suggest sexual abuse.", "sexual abuse"),
        ("We found nothing to indicate self-harm.", "self-harm"),
        # "any" carries a negation on; a negated list goes on past "and"
        ("Health visitor has never had any worries about heroin use by mum.", "heroin"),
        ("No evidence of shouting and belittling.", "belittling"),
        # "no substance" before its own noun
        ("No DA, no substance misuse.", "substance"),
    ],
)
def test_negated(text: str, word: str) -> None:
    found = _matches(text, word)
    assert found and all(m.negated for m in found), [(m.label, m.negated) for m in found]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # a "but" with a new subject and content of its own keeps the earlier clause
        ("Dad hit her, but the claim about drinking was unfounded.", "hit"),
        ("There was no bruising and she has a black eye.", "black eye"),
        # a retraction in the next sentence that does not refer back
        ("Dad hit him last night. No one has been able to confirm the new address.", "hit"),
        # "nothing" as an object of feeling is not a negated list
        ("Mum says she feels nothing for the baby and leaves him to cry.", "cry"),
        # "other children" is not "a different family"
        ("She has bruises on her arms from other children at nursery.", "bruises"),
        # a finding that is not clause-final
        ("Dad punched mum, police found nothing at the address.", "punched"),
        # "not eaten since yesterday" is not resolved
        ("She has bruises on her arms and says she has not eaten since yesterday.", "bruises"),
    ],
)
def test_stays_unnegated(text: str, word: str) -> None:
    found = _matches(text, word)
    assert found and not any(m.negated for m in found), [(m.label, m.negated) for m in found]


def test_checklist_dash_negative_negates_the_item() -> None:
    analysis = analyse("Screened for DV - negative.")
    dv = next(t for t in analysis.tokens if analysis.text[t.start : t.end] == "DV")
    assert dv.negated


def test_checked_dash_no_does_not_negate_a_no_concern_phrase() -> None:
    analysis = analyse("Safeguarding checklist completed - no concerns.")
    ncs = [m for m in analysis.indicators if m.label == "notification_no_concern"]
    assert ncs and not any(m.negated for m in ncs)


# --- hedging --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # a short preface about the writer's certainty hedges the clause after it
        ("I might be wrong, but I think dad hit her.", "hit"),
        ("Can't say for sure but mum seemed drunk at pick-up.", "drunk"),
        # clause-taking hedges cover commas and appositions in the reported clause
        ("We wonder if Lily, who is 9, has bruises from dad's belt.", "bruises"),
        ("There's talk that mum is using heroin again.", "heroin"),
        ("Staff have a niggle about bruising on his legs.", "bruising"),
        ("Call from ex-partner alleging mum was drunk with the children.", "drunk"),
        # clause-final hedges look back
        ("Possible bruising to the arm, unclear.", "bruising"),
        ("Dad hit her with a belt, we just don't know yet.", "hit"),
        ("There could be some neglect, it's hard to tell.", "neglect"),
        ("Mum says dad hit her, but no one has been able to confirm it.", "hit"),
        # "cannot be excluded" is a hedge, not a negation
        ("Sexual abuse cannot be excluded.", "sexual abuse"),
        # "not confirmed" is unconfirmed, not false
        ("Heroin use by mum - not confirmed.", "heroin"),
        # a leading query mark
        ("?neglect, to discuss at the next meeting.", "neglect"),
    ],
)
def test_hedged_not_negated(text: str, word: str) -> None:
    found = _matches(text, word)
    assert found and all(m.hedged and not m.negated for m in found), [
        (m.label, m.hedged, m.negated) for m in found
    ]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # a preface with content of its own does not hedge what follows
        ("Not sure if this is relevant, but she has a bruise on her cheek.", "bruise"),
        ("Hearing loss suspected by nursery, bruise on her cheek.", "bruise"),
        # a clause-taking hedge stops at a new subject after a comma
        ("I am worried that mum is drinking, she smelt strongly of alcohol today.", "smelt"),
        ("It was alleged that dad hit her, but she now has a black eye.", "black eye"),
        # "unknown man" is not a hedge
        ("An unknown man collects her from school and she has a bruise.", "bruise"),
    ],
)
def test_stays_unhedged(text: str, word: str) -> None:
    found = _matches(text, word)
    assert found and not any(m.hedged for m in found), [(m.label, m.hedged) for m in found]


# --- historical -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("GP notes record domestic abuse from before the baby was born.", "domestic"),
        ("Mum had a heroin problem when Jess was a toddler.", "heroin"),
        ("Mum drank heavily, but that was a long time ago.", "drank"),
        ("Dad hit mum once, nothing like it since.", "hit"),
        ("Concerns about neglect were worked with and closed.", "neglect"),
        ("Old police records mention domestic abuse at the address.", "domestic"),
    ],
)
def test_historical(text: str, word: str) -> None:
    found = _matches(text, word)
    assert found and all(m.historical for m in found), [(m.label, m.historical) for m in found]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # a current event before a resolution statement that is not clause-final
        ("She has a bruise on her arm today, the old case was closed in 2019.", "bruise"),
        # passive "used to" is exploitation, not "used to" of the past
        ("He is being used to sell drugs by older boys.", "drugs"),
    ],
)
def test_stays_current(text: str, word: str) -> None:
    found = _matches(text, word)
    assert found and not any(m.historical for m in found), [(m.label, m.historical) for m in found]


# --- third-hand -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Grandma told the school that dad hits the children.", "hits"),
        ("A neighbour, who would not give her name, says mum is using heroin.", "heroin"),
        ("Another parent at the school gate said mum was drunk at pick-up.", "drunk"),
        ("Someone on the estate has been saying that dad hits the kids.", "hits"),
        ("Heard through the grapevine that mum is using heroin.", "heroin"),
        ("It was passed on that dad had punched mum.", "punched"),
    ],
)
def test_third_hand(text: str, word: str) -> None:
    found = _matches(text, word)
    assert found and all(m.third_party for m in found), [(m.label, m.third_party) for m in found]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # a parent's, a child's or a professional's own account is first-hand
        ("Mum says dad hit her last night.", "hit"),
        ("Lily told her teacher that dad hit her.", "hit"),
        ("The school nurse told me that she has bruises on her back.", "bruises"),
        ("Mum reports she is drinking heavily again.", "drinking"),
    ],
)
def test_first_hand_accounts_are_not_third_hand(text: str, word: str) -> None:
    found = _matches(text, word)
    assert found and not any(m.third_party for m in found), [
        (m.label, m.third_party) for m in found
    ]
    assert any(_asserted(m) for m in found)


def test_a_child_who_alleges_abuse_is_not_doubted():
    """In safeguarding a child's allegation is a disclosure, not a hedge."""
    from training.text import analyse_many

    (analysis,) = analyse_many(["Child alleges dad hit him with a belt."])
    hits = [m for m in analysis.indicators if m.label == "physical_abuse"]
    assert hits and not any(m.hedged or m.negated for m in hits)
