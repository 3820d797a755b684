from __future__ import annotations

import pytest

from training.text import analyse, redact


def _kinds(text: str) -> dict[str, str]:
    _, spans = redact(text)
    return {text[s.start : s.end]: s.kind for s in spans}


@pytest.mark.parametrize(
    ("text", "pii", "kind"),
    [
        ("Mum Sarah called the office.", "Sarah", "name"),
        ("Her partner, Tomasz Nowak, was present.", "Tomasz Nowak", "name"),
        ("brother Kyle was at home.", "Kyle", "name"),
        ("Seen by Mrs Okafor today.", "Okafor", "name"),
        ("The boy called Jayden was upset.", "Jayden", "name"),
        ("Spoke to Aleksy Wiśniewski about the visit.", "Aleksy Wiśniewski", "name"),
        ("Zainab (7) told staff.", "Zainab", "name"),
        ("They live at 12 Acacia Avenue, Kettering now.", "12 Acacia Avenue, Kettering", "address"),
        ("Postcode NN1 2AB on file.", "NN1 2AB", "postcode"),
        ("Call 07700 900123 after 3pm.", "07700 900123", "phone"),
        ("Landline (01604) 123456 only.", "(01604) 123456", "phone"),
        ("Referrer Jo Bloggs (07123 456789) called.", "07123 456789", "phone"),
        ("mum (07123456789) is aware", "07123456789", "phone"),
        ("Email s.jones@example.com please.", "s.jones@example.com", "email"),
        ("NHS number 485 777 3456 recorded.", "485 777 3456", "nhs_number"),
        ("DOB 03/04/2015 confirmed.", "03/04/2015", "dob"),
        ("Born 3rd March 2019 at home.", "3rd March 2019", "dob"),
        ("Attends Oakfield Primary School daily.", "Oakfield Primary School", "school"),
    ],
)
def test_each_pii_kind_is_found_with_its_exact_span(text: str, pii: str, kind: str) -> None:
    assert _kinds(text).get(pii) == kind


@pytest.mark.parametrize(
    "text",
    [
        "Mum and Dad attended with Police on Monday.",
        "School said CAMHS and MASH were informed in March.",
        "The Health Visitor saw the baby. Attendance is 88% this term.",
        "Police attended at 01:20 after a 999 call; he is in Year 10.",
        "In 2019 there was DV. She is 12 years old.",
    ],
)
def test_ordinary_words_agencies_days_and_numbers_are_not_redacted(text: str) -> None:
    redacted, spans = redact(text)
    assert spans == ()
    assert redacted == text


def test_redaction_uses_typed_placeholders() -> None:
    redacted, _ = redact("Mum Sarah Jones lives at 4 Mill Road, NN1 2AB, tel 07700 900123.")
    assert redacted == "Mum [NAME] lives at [ADDRESS], [POSTCODE], tel [PHONE]."


@pytest.mark.parametrize(
    "text",
    [
        "Mum Sarah Jones (sarah.j@mail.com, 07700 900123) said Kyle (7) attends St Mary's Primary.",
        "Dr. Patel saw baby Amira, DOB 3.3.19, NHS 943 476 5919, at 14a Station Road, Corby NN17 1AA.",
        "[NAME] and [ADDRESS] are already redacted; Mr [NAME] called.",
    ],
)
def test_redaction_is_idempotent(text: str) -> None:
    once, _ = redact(text)
    twice, spans = redact(once)
    assert twice == once
    assert spans == ()


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


def test_spans_index_the_original_text_despite_unicode_normalisation() -> None:
    text = "Mum\u00a0Sarah\u2019s phone is 07700\u00a0900123 \u2014 call her."
    _, spans = redact(text)
    found = {text[s.start : s.end]: s.kind for s in spans}
    assert found == {"Sarah": "name", "07700\u00a0900123": "phone"}


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


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        # Found by the idempotence property: the second piece only shows once the first is
        # replaced by its placeholder, so one pass left it in the text.
        ("Mrs O'Neil-SmithSW1A 1AA", {"O'Neil-Smith": "name", "SW1A 1AA": "postcode"}),
        ("Mrs O'Neil-Smith07700 900123", {"O'Neil-Smith": "name", "07700 900123": "phone"}),
    ],
)
def test_pieces_of_personal_data_glued_together_are_all_found(
    text: str, pieces: dict[str, str]
) -> None:
    assert _kinds(text) == pieces
    redacted, _ = redact(text)
    assert redact(redacted)[0] == redacted
