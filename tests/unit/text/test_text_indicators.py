from __future__ import annotations

import json
from importlib import resources

import pytest

from training.text import PATTERNS_VERSION, analyse, analyse_many, indicator_catalogue


def _labels(text: str) -> set[str]:
    return {m.label for m in analyse(text).indicators}


def test_catalogue_covers_all_four_levels_with_unique_labels() -> None:
    catalogue = indicator_catalogue()
    labels = [d.label for d in catalogue]
    assert len(catalogue) >= 40
    assert len(set(labels)) == len(labels)
    assert {d.level for d in catalogue} == {1, 2, 3, 4}
    assert all(d.factor and d.description for d in catalogue)


def test_patterns_version_is_the_file_header() -> None:
    header = (
        resources.files("training.text").joinpath("patterns/indicators.jsonl").read_text("utf-8")
    )
    assert json.loads(header.splitlines()[0])["version"] == PATTERNS_VERSION


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Bruise on the cheek of a 4 month old baby.", "bruising_non_mobile_baby"),
        ("Non-mobile infant with bruising to the ear.", "bruising_non_mobile_baby"),
        ("She disclosed that her stepdad touches her private parts.", "sexual_abuse"),
        ("He told his teacher that dad hit him with a belt.", "disclosure_by_child"),
        ("Concerns she is being groomed by older men.", "child_sexual_exploitation"),
        (
            "Found in another county carrying drugs, county lines suspected.",
            "child_criminal_exploitation",
        ),
        ("Mum says her daughter will be cut on the trip abroad.", "fgm_risk"),
        ("She is 12 years old and pregnant.", "under_13_pregnant_or_sexually_active"),
        ("Baby has dropped two centiles and is not gaining weight.", "failure_to_thrive"),
        ("The children were hungry and the flat was squalid.", "severe_neglect"),
        ("Dad punched mum in front of the children.", "domestic_abuse_child_present"),
        ("Mum is 30 weeks pregnant and partner assaulted her.", "domestic_abuse_pregnant_victim"),
        ("A registered sex offender has moved in with mum.", "person_posing_risk_in_household"),
        ("Mum was drunk when collecting the children from school.", "parental_alcohol_misuse"),
        ("Dad is using heroin at home.", "parental_drug_misuse"),
        ("Mum's mental health is deteriorating and she is not coping.", "parental_mental_illness"),
        ("He has been self-harming, cutting his arms.", "self_harm"),
        ("She said she wants to die and took an overdose.", "child_mental_health_crisis"),
        ("Reported missing from home three times this month.", "repeated_missing_episodes"),
        ("Early help closed due to non-engagement.", "early_help_tried_and_failed"),
        ("Attendance is 42% this term.", "chronic_non_attendance"),
        ("He arrives unkempt in dirty clothes with head lice.", "neglect_basic_care"),
        ("She is a young carer for her mum.", "young_carer"),
        ("The flat is damp with black mould and overcrowded.", "poor_housing"),
        ("Family using a food bank, in debt.", "low_income"),
        ("Neighbours hear shouting and arguments most nights.", "possible_domestic_abuse"),
        ("Parents separated and there is a contact dispute.", "parental_separation_conflict"),
        ("Immunisations are not up to date and missed appointments.", "missed_health_appointments"),
        ("Caught shoplifting with friends.", "early_offending_or_antisocial_behaviour"),
        ("Good attendance and meeting milestones.", "good_attendance"),
        ("Supportive family, engaging well with the health visitor.", "supportive_family"),
    ],
)
def test_threshold_indicators_are_found(text: str, label: str) -> None:
    assert label in _labels(text)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Brusing on the babys arm.", "bruising_non_mobile_baby"),
        ("Mum is an alchohol user, drunk daily.", "parental_alcohol_misuse"),
        ("Concerns of neglet, home conditions poor.", "neglect_basic_care"),
        ("Domestc voilence reported by police.", "possible_domestic_abuse"),
        ("He is sucidal and self harming.", "child_mental_health_crisis"),
        ("Attendence has dropped to 45%.", "chronic_non_attendance"),
    ],
)
def test_common_misspellings_still_match(text: str, label: str) -> None:
    assert label in _labels(text)


def test_indicator_spans_index_the_original_text() -> None:
    text = "  Mum\u00a0Sarah says the baby\u2019s bruise is from a fall."
    for m in analyse(text).indicators:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == text[m.start : m.end].strip()
    # a bruise on a baby is level 4 whatever the explanation; the span ends on the word
    assert any(text[m.start : m.end].endswith("bruise") for m in analyse(text).indicators)


def test_indicator_matching_does_not_depend_on_names() -> None:
    a = analyse("Dad hit Kyle with a belt. Kyle has a bruise on his face.")
    b = analyse("Dad hit Mohammed with a belt. Mohammed has a bruise on his face.")
    assert [(m.label, m.negated) for m in a.indicators] == [
        (m.label, m.negated) for m in b.indicators
    ]
    assert [t.norm for t in a.tokens] == [t.norm for t in b.tokens]


def test_analyse_many_equals_analyse_one_by_one() -> None:
    texts = ["No marks seen.", "", "Mum Sarah is drunk again!", "In 2019 there was DV."]
    assert analyse_many(texts, batch_size=2) == [analyse(t) for t in texts]


def test_empty_and_whitespace_text_give_an_empty_analysis() -> None:
    for text in ("", "   \n "):
        a = analyse(text)
        assert a.tokens == () and a.indicators == () and a.pii == ()
        assert a.redacted == text
