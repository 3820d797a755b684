"""Property tests of the text pipeline: any unicode string is handled, offsets stay inside
the text, redaction is idempotent, and a trained model's scores stay in [0, 1]."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from training.text import analyse, analyse_many, redact

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Every category except surrogates (Cs: not encodable as UTF-8, so never in a request),
# weighted towards what real and hostile text holds: RTL scripts, combining marks, emoji,
# NUL and other controls, odd whitespace, the redactor's own placeholders and cue words.
_any_char = st.characters(exclude_categories=("Cs",))
_tricky = st.sampled_from(
    [
        "\x00",
        "\x07",
        "\x1b",
        "\r\n",
        "\t",
        "\u200b",
        "\u200d",
        "\u2028",
        "\ufeff",
        "\u202e",
        "\u05e9\u05dc\u05d5\u05dd",
        "\u0645\u0631\u062d\u0628\u0627",
        "e\u0301",
        "\u0308\u0308\u0308",
        "\U0001f469\u200d\U0001f467",
        "\U0001f525",
        "\ufffd",
        " Mr ",
        " called ",
        "[NAME]",
        "[name]",
        "SW1A 1AA",
        "07700 900123",
        " a@b.co ",
        " bruise ",
        " not ",
        " hit ",
        ". ",
        "!!!",
        "(7)",
        " Dad said ",
        "Mrs O'Neil-Smith",
    ]
)
any_text = st.lists(st.one_of(_any_char, _tricky), max_size=300).map("".join)

LONG_ONE_TOKEN = "a" * 20_000
LONG_TOKEN_EXAMPLES: tuple[str, ...] = (
    "a" * 20_000,
    "\u05e9" * 20_000,
    "x\u0301" * 10_000,
    "\x00" * 20_000,
)


def _check_analysis(text: str) -> None:
    a = analyse(text)
    assert a.text == text
    n = len(text)
    for span in a.pii:
        assert 0 <= span.start < span.end <= n
    starts = [s.start for s in a.pii]
    assert starts == sorted(starts)
    for tok in a.tokens:
        assert 0 <= tok.start <= tok.end <= n
    for ind in a.indicators:
        assert 0 <= ind.start < ind.end <= n


@PROPERTY
@given(text=any_text)
@example(text="")
@example(text=LONG_ONE_TOKEN)
@example(text="\u202eCall Mrs Smith on 07700 900123\u202c \x00 \U0001f469\u200d\U0001f467")
def test_analyse_handles_any_text_with_spans_inside_it(text: str) -> None:
    _check_analysis(text)


@pytest.mark.parametrize("text", LONG_TOKEN_EXAMPLES, ids=["ascii", "hebrew", "combining", "nul"])
def test_20000_characters_of_one_token_are_handled(text: str) -> None:
    _check_analysis(text)
    redacted, _ = redact(text)
    assert redact(redacted)[0] == redacted


@PROPERTY
@given(text=any_text)
@example(text="Jayden Smith (7) lives at 12 Rose Lane, SW1A 1AA; call 07700 900123")
def test_redaction_is_idempotent_with_spans_inside_the_text(text: str) -> None:
    redacted, spans = redact(text)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
    for left, right in zip(spans, spans[1:], strict=False):
        assert left.end <= right.start  # sorted, non-overlapping
    again, more = redact(redacted)
    assert again == redacted
    assert more == () or all(redacted[s.start : s.end].startswith("[") for s in more)


# E-mail addresses run together are one span: redacted one at a time, a first pass would
# leave an address behind for the second to find.
@pytest.mark.parametrize("text", ["a@b.coa@b.coa@b.co", "a@b.co@b.coa@b.co"])
def test_redaction_of_emails_run_together_is_idempotent(text: str) -> None:
    redacted, _ = redact(text)
    assert redact(redacted)[0] == redacted


@PROPERTY
@given(texts=st.lists(any_text, min_size=1, max_size=5))
def test_analyse_many_agrees_with_analyse(texts: list[str]) -> None:
    many = analyse_many(texts, batch_size=2)
    assert [m.tokens for m in many] == [analyse(t).tokens for t in texts]


# -- scores of a trained model --------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_model() -> Any:
    from training.config import TrainConfig
    from training.data.generate import generate_frame
    from training.lifecycle.train import train_model

    config = TrainConfig().with_overrides(
        {
            "candidates.names": ["logreg_words_chars"],
            "features.word_min_df": 1,
            "evaluation.n_boot": 5,
        }
    )
    return train_model(generate_frame(300, seed=1), config).model


# A contact with no word token ("", "!!!", an emoji) last in a batch must not break the
# tf-idf of the scoring path (the feature tests keep a case of it too).
@PROPERTY
@given(
    texts=st.lists(any_text, min_size=1, max_size=4),
    source=st.sampled_from([None, "police", "school", "nonsense-source"]),
)
@example(texts=["!!!"], source=None)
@example(texts=["he hit her", "\U0001f525"], source="police")
def test_scores_stay_in_0_1_for_any_text(
    tiny_model: Any, texts: list[str], source: str | None
) -> None:
    records = tiny_model.score_records(texts, [source] * len(texts))
    assert len(records) == len(texts)
    for text, r in zip(texts, records, strict=True):
        assert 0.0 <= r.score <= 1.0 and math.isfinite(r.score)
        assert 1 <= r.priority <= 10
        for ind in r.indicators:
            assert 0 <= ind.start < ind.end <= len(text)
        for phrase in r.explanation:
            for start, end in phrase.spans:
                assert 0 <= start <= end <= len(text)


def test_scores_stay_in_0_1_for_20000_characters_of_one_token(tiny_model: Any) -> None:
    records = tiny_model.score_records(list(LONG_TOKEN_EXAMPLES), [None] * 4)
    assert len(records) == len(LONG_TOKEN_EXAMPLES)
    assert all(0.0 <= r.score <= 1.0 for r in records)
