from __future__ import annotations

from serving.schemas import ExplanationPublic, IndicatorPublic, ScoredContact
from serving.web.presenters import (
    Segment,
    feature_label,
    guidance_view,
    highlight,
    indicator_rows,
    percent,
    phrase_rows,
    result_view,
)

TEXT = "bruise on arm, dad hit her, happy at school"
#: What a model without a level estimate answers beside the score.
NO_GUIDANCE = {
    "level": None,
    "level_probabilities": [],
    "practice_and_guidance_differ": False,
    "floor": None,
}


def phrase(feature: str, weight: float, *spans: tuple[int, int]) -> ExplanationPublic:
    return ExplanationPublic(feature=feature, weight=weight, spans=list(spans))


def indicator(label: str, level: int, span: tuple[int, int], **flags: bool) -> IndicatorPublic:
    values = {"negated": False, "hedged": False, "historical": False, "third_party": False}
    values.update(flags)
    return IndicatorPublic(label=label, level=level, span=span, **values)


def test_feature_names_read_as_words() -> None:
    assert feature_label("word:bruise") == "bruise"
    assert feature_label("neg:mark") == "not: mark"
    assert feature_label("indicator:domestic_abuse") == "indicator: domestic abuse"
    assert feature_label("source_police") == "source police"


def test_highlight_marks_each_piece_by_the_summed_sign_and_keeps_the_whole_text() -> None:
    explanation = [
        phrase("word:bruise", 1.2, (0, 6)),
        phrase("word:hit", 0.9, (19, 22)),
        phrase("word:happy", -0.8, (28, 33)),
        phrase("neg:mark", 0.0, (7, 9)),  # no weight: not marked
    ]
    segments = highlight(TEXT, explanation)
    assert "".join(s.text for s in segments) == TEXT
    marked = [(s.text, s.kind) for s in segments if s.kind]
    assert marked == [("bruise", "raise"), ("hit", "raise"), ("happy", "lower")]
    assert segments[0].title == "raised the score: bruise (+1.20)"
    assert [s for s in segments if s.kind == "lower"][0].title == (
        "lowered the score: happy (-0.80)"
    )


def test_overlapping_phrases_add_up_and_adjacent_equal_pieces_merge() -> None:
    explanation = [phrase("word:dad", -0.5, (15, 18)), phrase("ngram:dad_hit", 2.0, (15, 22))]
    segments = highlight(TEXT, explanation)
    assert Segment("dad", "raise", "raised the score: dad hit (+2.00), dad (-0.50)") in segments
    assert Segment(" hit", "raise", "raised the score: dad hit (+2.00)") in segments
    touching = highlight(TEXT, [phrase("word:bruise", 1.0, (0, 3), (3, 6))])
    assert touching[0] == Segment("bruise", "raise", "raised the score: bruise (+1.00)")
    assert highlight("abc", []) == [Segment("abc")]


def test_spans_outside_the_text_are_clipped() -> None:
    segments = highlight("short", [phrase("word:x", 1.0, (3, 99))])
    assert segments == [Segment("sho"), Segment("rt", "raise", "raised the score: x (+1.00)")]


def test_phrase_rows_split_by_sign_largest_first_with_quotes_from_the_text() -> None:
    result = ScoredContact(
        score=0.7,
        priority=7,
        band="high",
        **NO_GUIDANCE,
        explanation=[
            phrase("word:hit", 0.9, (19, 22)),
            phrase("word:bruise", 1.2, (0, 6), (500, 506)),
            phrase("word:happy", -0.8, (28, 33)),
        ],
        indicators=[],
    )
    raised = phrase_rows(result, TEXT, sign=1)
    assert [(r["label"], r["examples"]) for r in raised] == [
        ("bruise", ["bruise"]),
        ("hit", ["hit"]),
    ]
    assert [r["label"] for r in phrase_rows(result, TEXT, sign=-1)] == ["happy"]


def test_indicator_rows_put_asserted_and_serious_first_with_flags() -> None:
    rows = indicator_rows(
        [
            indicator("physical_injury", 2, (0, 6), negated=True),
            indicator("physical_bruise", 2, (0, 6), hedged=True),
            indicator("domestic_abuse_", 4, (15, 22), third_party=True, historical=True),
            indicator("other", 1, (90, 95)),
        ],
        TEXT,
    )
    assert [r["label"] for r in rows] == [
        "Domestic abuse",
        "Physical bruise",
        "Other",
        "Physical injury",
    ]
    assert rows[0]["flags"] == ["historical", "third party"] and rows[0]["quote"] == "dad hit"
    assert rows[2]["quote"] == ""  # a span outside the text quotes nothing
    assert rows[3]["negated"] and rows[3]["flags"] == []


def test_percent_never_says_zero_or_a_hundred() -> None:
    assert [percent(s) for s in (0.0, 0.009, 0.01, 0.456, 0.99, 0.995, 1.0)] == [
        "less than 1%",
        "less than 1%",
        "1%",
        "46%",
        "99%",
        "more than 99%",
        "more than 99%",
    ]


def test_result_view_has_everything_the_result_part_of_the_page_shows() -> None:
    result = ScoredContact(
        score=0.5, priority=5, band="medium", **NO_GUIDANCE, explanation=[], indicators=[]
    )
    view = result_view(result, TEXT)
    assert set(view) == {
        "result",
        "guidance",
        "percent",
        "segments",
        "raised",
        "lowered",
        "indicators",
        "similar",
    }
    assert view["percent"] == "50%" and view["segments"] == [Segment(TEXT)]
    assert view["guidance"] is None  # a model without a level estimate


def test_the_guidance_level_reads_as_its_number_name_and_chance() -> None:
    result = ScoredContact(
        score=0.2,
        priority=2,
        band="low",
        level=3,
        level_probabilities=[0.05, 0.2, 0.62, 0.13],
        practice_and_guidance_differ=True,
        floor=None,
        explanation=[],
        indicators=[],
    )
    view = guidance_view(result)
    assert view is not None
    assert (view["level"], view["label"], view["chance"]) == (3, "child in need", "62%")
    assert [(c["level"], c["label"], c["chance"]) for c in view["chances"]] == [
        (1, "universal", "5%"),
        (2, "early help", "20%"),
        (3, "child in need", "62%"),
        (4, "protection", "13%"),
    ]
