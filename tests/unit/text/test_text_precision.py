"""Scope cues that follow what they qualify, and precision of the indicator patterns.

Each test states a behaviour of the rules (written from the threshold guidance and ordinary
English, not from any generator's templates) and fails if the rule regresses.
"""

from __future__ import annotations

import pytest

from training.text import analyse
from training.text.types import IndicatorMatch


def _found(text: str, label: str) -> list[IndicatorMatch]:
    return [m for m in analyse(text).indicators if m.label == label]


def _asserted_levels(text: str) -> set[int]:
    return {
        m.level for m in analyse(text).indicators if not (m.negated or m.hedged or m.historical)
    }


# -- negation and doubt after the clause --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "It was alleged that dad punched him in the face, but this was looked into and is not true.",
        "Dad kicked him, but this turned out to be a misunderstanding.",
        "A previous report said that dad punched him; officers found this to be malicious and unfounded.",
        "Dad punched him in the face; on checking, this was about a different family.",
        "Dad punched him. This was found to be untrue.",
    ],
)
def test_post_clause_negation_covers_the_earlier_clause(text: str) -> None:
    found = _found(text, "physical_abuse")
    assert found and all(m.negated for m in found)


def test_ruled_out_after_and_negates_the_start_of_the_sentence() -> None:
    found = _found("Self-harm was asked about and ruled out.", "self_harm")
    assert found and all(m.negated for m in found)


def test_no_disclosures_of_is_not_a_disclosure() -> None:
    found = _found("No disclosures of physical abuse were made.", "disclosure_by_child")
    assert found and all(m.negated for m in found)


def test_backward_negation_does_not_reach_an_earlier_separate_claim() -> None:
    text = (
        "Mum took an overdose on Friday and it was alleged that dad pushed him, "
        "but this was looked into and is not true."
    )
    overdose = [m for m in analyse(text).indicators if "overdose" in text[m.start : m.end]]
    assert overdose and not any(m.negated for m in overdose)


def test_an_unrelated_next_sentence_is_not_negated() -> None:
    found = _found("Dad punched him. The phone number on the form was wrong.", "physical_abuse")
    assert found and not any(m.negated for m in found)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Staff wondered about neglect but have nothing specific to report.", "neglect_basic_care"),
        (
            "There is a rumour that mum is using heroin, nothing has been confirmed.",
            "parental_drug_misuse",
        ),
        ("Physical chastisement cannot be ruled out.", "physical_chastisement"),
        ("Cannot rule out physical chastisement.", "physical_chastisement"),
    ],
)
def test_doubt_is_a_hedge(text: str, label: str) -> None:
    found = _found(text, label)
    assert found and all(m.hedged and not m.negated for m in found)


def test_own_childhood_is_historical() -> None:
    text = "Mum was sexually abused and neglected in her own childhood."
    found = [
        m for m in analyse(text).indicators if m.label in ("sexual_abuse", "neglect_basic_care")
    ]
    assert {m.label for m in found} == {"sexual_abuse", "neglect_basic_care"}
    assert all(m.historical for m in found)


def test_years_ago_before_moving_here_is_historical() -> None:
    found = _found("Years ago, before moving here, dad punched mum.", "domestic_abuse")
    assert found and all(m.historical for m in found)


def test_appeared_to_be_is_an_observation_not_a_hedge() -> None:
    found = _found("Mum appeared to be drunk when collecting the baby.", "parental_alcohol_misuse")
    assert found and not any(m.hedged for m in found)


# -- precision of patterns and levels -----------------------------------------------------


def test_telling_staff_about_feelings_is_not_a_disclosure() -> None:
    assert not _found("She told staff she feels sad.", "disclosure_by_child")
    assert _found("She told staff that dad hit her.", "disclosure_by_child")


def test_an_adult_disclosing_is_not_a_disclosure_by_the_child() -> None:
    assert not _found("Mum disclosed to the HV that she has relapsed.", "disclosure_by_child")


def test_a_new_partner_alone_is_not_a_person_posing_a_risk() -> None:
    assert not _found("Mum's new partner has moved in.", "person_posing_risk_in_household")
    found = _found(
        "Mum's new partner is a registered sex offender.", "person_posing_risk_in_household"
    )
    assert found and all(m.level == 4 for m in found)


def test_a_past_conviction_keeps_the_risk_current() -> None:
    text = "Dad was convicted last year of making indecent images of children."
    found = _found(text, "person_posing_risk_in_household")
    assert found and all(not m.historical for m in found)


def test_bruise_on_a_four_month_old_is_level_4() -> None:
    found = _found("There is a bruise on the 4 month old baby's cheek.", "bruising_non_mobile_baby")
    assert found and found[0].level == 4


def test_for_the_last_two_weeks_is_not_a_baby() -> None:
    text = "Tommy has worn the same uniform for two weeks, dirty hair and a bit of a smell."
    assert not _found(text, "bruising_non_mobile_baby")


def test_adult_assault_on_mum_is_domestic_abuse_not_physical_abuse_of_the_child() -> None:
    text = "Her partner dragged Mum by her hair."
    assert not _found(text, "physical_abuse")
    assert _found(text, "domestic_abuse")


def test_child_hitting_a_sibling_is_not_physical_abuse() -> None:
    assert not _found("She keeps hitting her younger brother.", "physical_abuse")


def test_asking_for_extra_food_is_low_income_not_severe_neglect() -> None:
    text = "She is often asking for extra food at breakfast club."
    assert not _found(text, "severe_neglect")
    assert _found(text, "low_income")
    assert _found("He is hungry and there is no food in the house.", "severe_neglect")


@pytest.mark.parametrize(
    "text",
    [
        "DASH standard risk completed.",
        "Mum has taken out a non-molestation order.",
        "Police were called to a domestic.",
        "First DA call to the address.",
    ],
)
def test_a_bare_mention_of_domestic_abuse_is_level_2(text: str) -> None:
    levels = _asserted_levels(text)
    assert 2 in levels and not levels & {3, 4}


def test_domestic_abuse_with_children_present_is_level_3() -> None:
    found = _found("Dad punched mum in front of the children.", "domestic_abuse_child_present")
    assert found and found[0].level == 3


def test_repeated_domestic_incidents_are_level_3() -> None:
    assert 3 in _asserted_levels(
        "Police have been called to repeated domestic incidents at the flat."
    )


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("She was a witness to a road traffic collision.", "trafficking"),
        ("Sophie has sent at least 4 images.", "additional_needs_sen"),
        ("He has started hanging around with older lads.", "child_mental_health_crisis"),
        ("Liam has been marked present in the register.", "observed_injury"),
        ("She is going to get her hair cut.", "fgm_risk"),
        ("The family is staying in a hotel.", "child_sexual_exploitation"),
        ("Midwife booking, 10+2 wks, 2nd pregnancy.", "under_13_pregnant_or_sexually_active"),
        ("He was stopped on info about youths with a knife.", "gang_association"),
    ],
)
def test_word_collisions_do_not_fire(text: str, label: str) -> None:
    assert not _found(text, label)


def test_a_single_missing_episode_is_level_2_and_repeated_ones_level_3() -> None:
    single = analyse("Tyrese was reported missing and found in the park two hours later.")
    assert {m.label for m in single.indicators} >= {"missing_episode"}
    assert not any(m.label == "repeated_missing_episodes" for m in single.indicators)
    repeated = _found("She has gone missing three times this month.", "repeated_missing_episodes")
    assert repeated and repeated[0].level == 3


def test_missing_meals_is_not_going_missing() -> None:
    text = "He is missing meals and school."
    assert not _found(text, "missing_episode") and not _found(text, "repeated_missing_episodes")


def test_an_explained_accident_is_not_an_observed_injury() -> None:
    assert not _found("He has a bruise on his shin from football.", "observed_injury")
    assert _found("He has a bruise on his cheek.", "observed_injury")


def test_matches_do_not_span_sentences() -> None:
    text = "She is 10 weeks pregnant. Routine enquiry re DA asked, denies any abuse."
    assert not _found(text, "domestic_abuse_pregnant_victim")


def test_child_statements_in_the_first_person_are_disclosures() -> None:
    assert _found("He said 'daddy hits me'.", "disclosure_by_child")
    assert _found(
        "She said she is not allowed to tell anyone about the games.", "disclosure_by_child"
    )
