"""The text pipeline's API: ``analyse`` and ``analyse_many`` agree, empty text gives an
empty analysis, every indicator span indexes the original text, matching does not depend
on the names in it, the catalogue covers the four levels with unique labels, and
``PATTERNS_VERSION`` is the version in the pattern file's header."""

from __future__ import annotations

import json
from importlib import resources

from training.text import PATTERNS_VERSION, analyse, analyse_many, indicator_catalogue


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
    assert a.indicators, "nothing matched, so the comparison would prove nothing"
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
