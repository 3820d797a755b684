"""A text is redacted the same whatever the process redacted before it: the redactor
memoises each word's class, and a memo must never change what a later text gives (a
lower-case name after a cue was redacted in the first contact that named it, and left in
every later one; batch scoring's engines, which see contacts in different orders, then
disagreed)."""

from __future__ import annotations

import pytest

from training.text import redact

#: Made-up names, in no list, seen by no other test: each starts unmemoised here.
TEXTS = [
    "Spoke to mum, she said her brother zorvyn hit him.",
    "The YP was told by her friend quillon that she is scared to go home.",
    "Dad's new partner is called Brannoch and he shouts at the children.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_same_text_is_redacted_the_same_the_second_time(text: str) -> None:
    first, spans = redact(text)
    assert any(s.kind == "name" for s in spans), first
    for _ in range(2):
        again, _ = redact(text)
        assert again == first


def test_a_text_is_redacted_the_same_after_another_that_shares_its_words() -> None:
    alone, _ = redact("Nan says her cousin marrowick was at the house.")
    redact("Her cousin marrowick, aged 16, lives nearby.")
    after, _ = redact("Nan says her cousin marrowick was at the house.")
    assert after == alone and "marrowick" not in after
