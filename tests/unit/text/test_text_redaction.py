"""Redaction: names, addresses, postcodes, phone numbers, e-mail addresses, NHS numbers,
dates of birth and schools are found with their exact spans in the original text and
replaced by typed placeholders ("[NAME]"); ordinary words, agencies, days and numbers are
left alone; redacting redacted text changes nothing; and no redacted name reaches the
analysis's tokens.

Cases: ``cases/redaction.jsonl``: ``pii`` and ``kind`` (the exact span found and its kind),
or expectations on the whole text: ``unchanged`` (nothing found, text as it was),
``redacted`` (the redacted text), ``pieces`` (every span found, by text and kind),
``idempotent`` (a second pass changes nothing and finds nothing) and ``idempotent_text``
(a second pass changes nothing).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.utils.text_checks import Case, read_cases
from training.text import analyse, redact

PII, TEXT = read_cases(Path(__file__).with_name("cases") / "redaction.jsonl", "pii", "text")


def _kinds(text: str) -> dict[str, str]:
    _, spans = redact(text)
    return {text[s.start : s.end]: s.kind for s in spans}


@pytest.mark.parametrize("case", PII)
def test_redaction_finds_each_kind_with_its_exact_span(case: Case) -> None:
    assert set(case.expect) == {"kind"}, case
    assert _kinds(case.text).get(case.target) == case.expect["kind"]


@pytest.mark.parametrize("case", TEXT)
def test_redaction_of_the_whole_text(case: Case) -> None:
    expect = case.expect
    unknown = set(expect) - {"unchanged", "redacted", "pieces", "idempotent", "idempotent_text"}
    assert not unknown, f"unknown expectation {sorted(unknown)}"
    redacted, spans = redact(case.text)
    if expect.get("unchanged"):
        assert spans == ()
        assert redacted == case.text
    if "redacted" in expect:
        assert redacted == expect["redacted"]
    if "pieces" in expect:
        assert _kinds(case.text) == expect["pieces"]
    if expect.get("idempotent"):
        twice, more = redact(redacted)
        assert twice == redacted
        assert more == ()
    if expect.get("idempotent_text"):
        assert redact(redacted)[0] == redacted


def test_spans_lie_inside_the_text_sorted_and_disjoint() -> None:
    text = (
        "Mum (Kayla) said Logan Brown, DOB 10/02/2010, lives at Flat 2, 7 Park Lane, Luton LU1 1AA."
    )
    _, spans = redact(text)
    assert spans
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end <= b.start
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end].strip() == text[s.start : s.end]


def test_analysis_tokens_never_contain_a_redacted_name() -> None:
    text = "Her partner, Tomasz Nowak, hit mum. Tomasz has left. Mrs Okafor-Smith called."
    analysis = analyse(text)
    norms = {t.norm for t in analysis.tokens}
    for word in ("tomasz", "nowak", "okafor", "smith", "okafor-smith"):
        assert not any(word in n for n in norms)
    name_tokens = [t for t in analysis.tokens if t.norm == "[name]"]
    assert [text[t.start : t.end] for t in name_tokens] == [
        "Tomasz Nowak",
        "Tomasz",
        "Okafor-Smith",
    ]
    assert "Tomasz" not in analysis.redacted
    assert analysis.redacted.count("[NAME]") == 3


def test_a_text_is_redacted_the_same_whatever_was_redacted_before() -> None:
    """The redactor memoises each word's class: a word met before (here a word in no list,
    a name only after a cue) must be judged as on first sight, in a fresh process too."""
    import subprocess
    import sys

    texts = [
        "Young carer: Aisha, 13\nPerson cared for: Mother - schizoaffective disorder",
        "Her brother lewys was there. Mum says lewys is fine and schizoaffective is her word.",
        "Mum: lochia settled, wound healing.",
    ]
    first = [redact(t)[0] for t in texts]
    assert [redact(t)[0] for t in reversed(texts)] == first[::-1]
    assert [redact(t)[0] for t in texts] == first
    code = (
        "import json, sys; from training.text import redact; "
        "print(json.dumps([redact(t)[0] for t in json.loads(sys.argv[1])]))"
    )
    import json

    fresh = subprocess.run(
        [sys.executable, "-c", code, json.dumps(texts[::-1])],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(fresh.stdout) == first[::-1]
