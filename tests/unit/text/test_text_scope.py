from __future__ import annotations

import pytest

from training.text import analyse
from training.text.types import Analysis, IndicatorMatch


def _matches(text: str, word: str) -> list[IndicatorMatch]:
    analysis = analyse(text)
    return [m for m in analysis.indicators if word in text[m.start : m.end].lower()]


def _token(analysis: Analysis, surface: str) -> list[bool]:
    t = next(t for t in analysis.tokens if analysis.text[t.start : t.end].lower() == surface)
    return [t.negated, t.hedged, t.historical, t.third_party]


def test_no_marks_seen_negates_the_marks_indicator() -> None:
    found = _matches("No marks seen on his arms.", "marks")
    assert found and all(m.negated for m in found)


def test_post_negation_marks_were_not_seen() -> None:
    found = _matches("Marks on the arm were not seen by staff.", "marks")
    assert found and all(m.negated for m in found)


def test_mum_denies_any_violence_is_negated() -> None:
    found = _matches("Mum denies any violence at home.", "violence")
    assert found and all(m.negated for m in found)


def test_negation_stops_at_the_clause_so_the_assault_stays_asserted() -> None:
    analysis = analyse("Dad hit him, no bruising.")
    by_text = {analysis.text[m.start : m.end]: m for m in analysis.indicators}
    assert any("hit" in t and not m.negated for t, m in by_text.items())
    assert by_text["bruising"].negated
    assert any("hit" in analysis.text[m.start : m.end] for m in analysis.asserted)


def test_negation_does_not_run_past_but() -> None:
    analysis = analyse("There was no bruising but she has a black eye.")
    assert _token(analysis, "bruising")[0] is True
    assert _token(analysis, "eye")[0] is False


def test_a_cue_inside_the_indicator_does_not_negate_it() -> None:
    found = _matches("There was no food in the house and the children were hungry.", "no food")
    assert found and not any(m.negated for m in found)


def test_hedging_flags_possibly_and_question_marks() -> None:
    assert all(m.hedged for m in _matches("Possibly bruising to the arm.", "bruising"))
    assert all(m.hedged for m in _matches("Is mum drinking again?", "drinking"))
    assert not any(m.hedged for m in _matches("Bruising to the arm.", "bruising"))


def test_historical_statements_are_flagged_and_not_asserted() -> None:
    analysis = analyse("In 2019 there was DV between the parents.")
    dv = [m for m in analysis.indicators if "DV" in analysis.text[m.start : m.end]]
    assert dv and all(m.historical for m in dv)
    assert not any("DV" in analysis.text[m.start : m.end] for m in analysis.asserted)


def test_historical_scope_ends_at_now() -> None:
    analysis = analyse("Previously known for DV, now a new incident with the children present.")
    present = [m for m in analysis.indicators if "present" in analysis.text[m.start : m.end]]
    assert present and not any(m.historical for m in present)
    assert _token(analysis, "dv")[2] is True


def test_used_to_and_no_longer_are_historical() -> None:
    found = _matches("Mum used to drink heavily but no longer does.", "drink")
    assert found and all(m.historical for m in found)


def test_third_hand_reports_are_flagged() -> None:
    found = _matches("Neighbour thinks mum is drinking heavily every night.", "drinking")
    assert found and all(m.third_party for m in found)
    found = _matches("Nan heard from a friend that dad is using heroin.", "heroin")
    assert found and all(m.third_party for m in found)


def test_first_hand_statements_carry_no_flags() -> None:
    analysis = analyse("Dad punched mum in front of the children last night.")
    assert analysis.indicators
    assert not any(
        m.negated or m.hedged or m.historical or m.third_party for m in analysis.indicators
    )


@pytest.mark.parametrize(
    "text",
    [
        "There have been no further concerns Police stopped her on a train with drugs",
        "The case was closed in 2017 The child has a black eye and says dad hit her",
        "Flat 7 The family moved in last week",
    ],
)
def test_a_capitalised_opener_after_a_word_starts_a_sentence(text: str) -> None:
    """A writer who left out a full stop: "no further concerns" and "in 2017" must not
    reach the sentence after it."""
    analysis = analyse(text)
    assert analysis.n_sents == 2
    second = [t for t in analysis.tokens if t.sent == 1]
    assert second and not any(t.negated or t.historical for t in second)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # "that" after a verb introduces the sentence's own content
        (
            "Dad strangled mum in front of the child. Poppy claimed that the child has "
            "missed school, mum denies this and nothing was found to support it.",
            "strangled",
        ),
        (
            "Police have attended repeatedly for domestic incidents. Kayla mentioned that "
            "in the past the car was stolen, but that was a long time ago.",
            "domestic",
        ),
        # an expletive "it" ("It was reported that", "it looked as though") refers to nothing
        (
            "She was missing for 26 hours. It was first reported that her partner was "
            "bailed, and the caller withdrew this the same day saying it was wrong.",
            "missing",
        ),
        (
            "The mother tested positive for cocaine. At first it looked as though mum had "
            "a bruised face, but this was ruled out after checks.",
            "cocaine",
        ),
    ],
)
def test_a_backward_cue_keeps_to_a_sentence_with_its_own_content(text: str, kept: str) -> None:
    """A retraction or dating at the end of a sentence that states its own content
    reaches no further back than that sentence."""
    assert _token(analyse(text), kept) == [False, False, False, False]


def test_a_topic_before_a_dash_is_what_the_anaphor_after_it_means() -> None:
    """"Aggression - this was checked and is not the case" retracts the aggression, not the
    sentence before it."""
    analysis = analyse(
        "Riley came into school with a black eye and gave three different accounts. "
        "Aggression - this was checked and is not the case."
    )
    assert _token(analysis, "eye")[0] is False
    assert _token(analysis, "aggression")[0] is True


def test_a_comma_splice_ends_what_a_backward_dating_reaches() -> None:
    analysis = analyse(
        "Evie disclosed that father made her touch him and said it was their secret, Mum "
        "said that years ago, before moving here, she was found collapsed through drink."
    )
    assert _token(analysis, "touch")[2] is False  # the disclosure is current
    assert _token(analysis, "collapsed")[2] is True
    assert _token(analyse("Dad hit him, but this was in 2015."), "hit")[2] is True


@pytest.mark.parametrize(
    "text",
    ["Dad hit her. This was found to be untrue.", "Dad hit her. That turned out to be a mix-up."],
)
def test_a_sentence_that_only_refers_back_still_reaches_the_one_before(text: str) -> None:
    assert _token(analyse(text), "hit")[0] is True


def test_a_full_stop_left_out_after_a_closing_quote() -> None:
    analysis = analyse("He told friends Mr Cooper is 'hurting mum' In 2024 she missed the clinic")
    assert analysis.n_sents == 2
    assert _token(analysis, "hurting")[2] is False  # "In 2024" dates its own sentence only


@pytest.mark.parametrize(
    "text",
    [
        "She told Mum the day after",  # a relationship word, capitalised mid-sentence
        "He was hit by Karim at Castle School",  # names
        "the case was closed the police stopped her",  # no capital: nothing to go by
        "Staff asked the DSL The head was told",  # an acronym before the capital
    ],
)
def test_a_capital_elsewhere_starts_no_sentence(text: str) -> None:
    assert analyse(text).n_sents == 1


def test_run_on_openers_can_be_turned_off() -> None:
    from training.text.nlp import build_nlp

    text = "There have been no further concerns Police stopped her"
    doc = build_nlp(config={"cs_sentences": {"openers": []}})(text)
    assert len(list(doc.sents)) == 1
    assert len(list(build_nlp()(text).sents)) == 2


def test_sentences_are_split_on_stops_and_line_breaks() -> None:
    analysis = analyse("No marks seen\nMum is drinking. Dad hit him")
    assert analysis.n_sents == 3
    assert _token(analysis, "marks")[0] is True
    assert _token(analysis, "drinking")[0] is False
    assert [t.sent for t in analysis.tokens][-1] == 2
