"""The ``cs_redactor`` pipeline component and the string functions around the finder."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

from training.text.normalise import normalise_text
from training.text.redact.finder import PiiFinder, apply_redaction, get_finder
from training.text.rules import ARRAYS_KEY, TEXT_KEY, doc_arrays, set_ext
from training.text.types import PII_KINDS, PiiSpan

__all__ = ["Redactor", "cs_redactor", "find_pii", "redact"]


def find_pii(text: str) -> tuple[PiiSpan, ...]:
    """PII spans in ``text``: sorted, non-overlapping, offsets into ``text``."""
    return get_finder().find(normalise_text(text))


def redact(text: str) -> tuple[str, tuple[PiiSpan, ...]]:
    """Redact ``text``: the text with placeholders, and the PII spans found in the original.

    Idempotent: ``redact(redact(t)[0])[0] == redact(t)[0]``.
    """
    spans = find_pii(text)
    return apply_redaction(text, spans), spans


class Redactor:
    """Pipeline component: finds PII in the Doc, stores it, and gives its tokens placeholder norms.

    Sets ``doc._.cs_pii`` (the spans) and ``doc._.cs_pii_tokens`` (per span, the token
    range ``(first, end)`` it covers). Every token of a span gets the NORM ``"[kind]"``, so
    no later component or feature can see the personal data.
    """

    def __init__(self, nlp: Language, name: str, *, kinds: Sequence[str]) -> None:
        self.name = name
        self.finder = PiiFinder(kinds=kinds)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.user_data.get(TEXT_KEY)
        # doc.text joins every token in Python; the tokenizer left us the string instead.
        spans = self.finder.find(text if isinstance(text, str) else doc.text)
        arrays = doc_arrays(doc)
        starts = arrays.idx
        norms = arrays.cols[0]
        strings = doc.vocab.strings
        ranges: list[tuple[int, int]] = []
        for span in spans:
            # Tokens overlapping the span: from the one containing its start to the last
            # one starting before its end.
            a = max(0, bisect_right(starts, span.start) - 1)
            if a < len(starts) and starts[a] + arrays.length[a] <= span.start:
                a += 1
            b = bisect_left(starts, span.end)
            norm = f"[{span.kind}]"
            h = strings.add(norm)
            for i in range(a, b):
                doc[i].norm_ = norm
                norms[i] = h
            ranges.append((a, max(a, b)))
        set_ext(doc, "cs_pii", spans)
        set_ext(doc, "cs_pii_tokens", tuple(ranges))
        doc.user_data[ARRAYS_KEY] = arrays  # shared with later components, dropped at the end
        return doc


@Language.factory("cs_redactor", default_config={"kinds": list(PII_KINDS)})
def cs_redactor(nlp: Language, name: str, kinds: list[str]) -> Redactor:
    """Factory of the redaction component; ``kinds`` selects which PII kinds to find."""
    return Redactor(nlp, name, kinds=kinds)
