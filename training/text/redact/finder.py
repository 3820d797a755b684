"""The PII finder: every kind of personal data in one string, as sorted, non-overlapping
spans. It works on the raw (or normalised: the offsets are the same) string and needs no
spaCy, so :func:`training.text.redact.redact` can run anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

from training.text.redact.cued_names import find_cued_names
from training.text.redact.lexicon import alternation, get_lexicon
from training.text.redact.names import capitalised_words, find_names
from training.text.redact.numbers import (
    find_emails,
    find_handles,
    find_ipv6,
    ni_number_at,
    number_at,
    reference_at,
)
from training.text.redact.places import address_at_number, find_addresses, find_foreign_addresses
from training.text.redact.schools import find_schools
from training.text.types import PII_KINDS, PiiSpan

__all__ = ["PiiFinder", "apply_redaction", "get_finder"]

_DIGIT_RUN = re.compile(r"\d+")
#: punctuation to spaces: ``text.translate(_SEP).split()`` lists the words of a text
_SEP = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~’“”‘"})


@cache
def _cue_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Reference words; the words that can open a handle cue; platform names."""
    raw = get_lexicon().raw
    refs = frozenset(w.lower() for w in raw["reference_cues"])
    handle_first = frozenset(w.split()[0].split("-")[0] for w in raw["handle_cues"])
    platforms = frozenset(w.split()[0] for w in raw["platforms"])
    return refs, handle_first, platforms


@cache
def _cue_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    raw = get_lexicon().raw
    handle = re.compile(
        r"(?i:(?:\s+(?:tok|live|in\s+as|tag|name))?(?:\s+(?:is|was|called|named|as|under|of|name|"
        r"handle|account|user|username|id))*)\s*[:(=-]?\s*['‘\"“]?"
    )
    platforms = alternation(raw["platforms"])
    handle_after = re.compile(
        rf"([A-Za-z0-9][A-Za-z0-9_.#-]{{1,38}}[A-Za-z0-9])\s*(?:\(\s*(?:{platforms})\s*\)"
        rf"|\s+on\s+(?:{platforms})\b)",
        re.IGNORECASE,
    )
    return handle, handle_after


class PiiFinder:
    """Finds PII spans in a string; build it through :func:`get_finder` (cached)."""

    def __init__(self, *, kinds: Sequence[str] = PII_KINDS) -> None:
        unknown = set(kinds) - set(PII_KINDS)
        if unknown:
            raise ValueError(f"unknown PII kinds: {sorted(unknown)}")
        self.kinds = frozenset(kinds)

    def find(self, text: str) -> tuple[PiiSpan, ...]:
        """PII spans of ``text`` (already normalised or raw: offsets are the same).

        Pieces of personal data glued to another ("O'Neil-Smith07700 900123") can hide
        each other: the word boundary one needs is only there once the other is replaced
        by its placeholder. So when a span touches a letter, digit, "+" or "(" outside it,
        the text is searched again with the spans replaced, and what turns up is mapped
        back and merged, until nothing new does (at most three passes): redaction is then
        idempotent, and no later component sees the hidden piece.
        """
        spans = self._find_once(text)
        for _ in range(2):
            if not any(_glued(text, sp) for sp in spans):
                break
            more = _found_beside_placeholders(text, spans, self._find_once)
            if not more:
                break
            spans = _merge(spans, more)
        return spans

    def _find_once(self, text: str) -> tuple[PiiSpan, ...]:
        """One pass of the search (see :meth:`find`): structured kinds first, then schools
        and addresses, then names, each kind leaving alone what an earlier one took."""
        taken: list[tuple[int, int]] = []
        out: list[PiiSpan] = []
        k = self.kinds

        def add(start: int, end: int, kind: str) -> bool:
            while end > start and text[end - 1] in " ,.;:":
                end -= 1
            if end <= start or kind not in k:
                return False
            for s, e in taken:
                if s < end and start < e:
                    return False
            taken.append((start, end))
            out.append(PiiSpan(start, end, kind))
            return True

        vocab = set(text.lower().translate(_SEP).split())
        self._structured(text, add, vocab)
        caps = capitalised_words(text)
        if "school" in k:
            find_schools(text, caps, add, vocab)
        if "address" in k:
            find_addresses(text, add, vocab, caps)
        if "name" in k:
            find_cued_names(text, add)
            find_names(text, add, taken, caps)
        out.sort(key=lambda p: p.start)
        return tuple(out)

    def _structured(self, text: str, add: Callable[[int, int, str], bool], vocab: set[str]) -> None:
        k = self.kinds
        refs, handle_first, platforms = _cue_words()
        if "@" in text or "at]" in text or "at)" in text or " dot " in text:
            find_emails(text, add)
        if "ip" in k and text.count(":") >= 2:
            find_ipv6(text, add)
        if "handle" in k:
            handle_cue, handle_after = _cue_patterns()
            find_handles(
                text,
                add,
                [(w, handle_cue) for w in vocab & handle_first],
                handle_after if not vocab.isdisjoint(platforms) else None,
            )
        if "address" in k:
            find_foreign_addresses(text, add, vocab)
        covered = -1
        for run in _DIGIT_RUN.finditer(text):
            s, e = run.span()
            if s < covered:
                continue
            found = number_at(text, s, e, k)
            if found is None and "reference" in k:
                found = ni_number_at(text, s, e) or reference_at(text, s, e, refs)
                if found is not None and found[1] - found[0] <= 4 and "address" in k:
                    # "Address of incident: 155 Cedar Drive": a house number, not a log's
                    found = address_at_number(text, s, e) or found
            if found is None and "address" in k:
                found = address_at_number(text, s, e)
            if found is not None and add(*found):
                covered = found[1]


@cache
def get_finder() -> PiiFinder:
    """The process-wide finder for all PII kinds (lexicons read on first use)."""
    return PiiFinder()


def apply_redaction(text: str, spans: Sequence[PiiSpan]) -> str:
    """``text`` with each span replaced by its placeholder (spans sorted, non-overlapping)."""
    parts: list[str] = []
    pos = 0
    for span in spans:
        parts.append(text[pos : span.start])
        parts.append(span.placeholder)
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)


def _glued(text: str, span: PiiSpan) -> bool:
    """A letter or digit touches the span, or a "+" or "(" that no ")" after it closes."""
    before = text[span.start - 1] if span.start > 0 else " "
    after = text[span.end] if span.end < len(text) else " "
    if before.isalnum() or after.isalnum() or after in "+(":
        return True
    return before in "+(" and after != ")"


def _found_beside_placeholders(
    text: str,
    spans: Sequence[PiiSpan],
    find_once: Callable[[str], tuple[PiiSpan, ...]],
) -> list[PiiSpan]:
    """Spans found in the redacted text that are not placeholders, in ``text``'s offsets
    (a position inside a placeholder maps to the edge of the span it replaced)."""
    redacted = apply_redaction(text, spans)
    # Segments: (redacted start, redacted end, original start, original end, is placeholder)
    segments: list[tuple[int, int, int, int, bool]] = []
    r = o = 0
    for sp in spans:
        if sp.start > o:
            segments.append((r, r + sp.start - o, o, sp.start, False))
            r += sp.start - o
        ph = len(sp.placeholder)
        segments.append((r, r + ph, sp.start, sp.end, True))
        r, o = r + ph, sp.end
    segments.append((r, r + len(text) - o, o, len(text), False))

    def to_original(pos: int, *, end: bool) -> int:
        for rs, re_, os_, oe, placeholder in segments:
            if rs <= pos < re_ or (end and pos == re_):
                if placeholder:
                    return oe if end else os_
                return os_ + (pos - rs)
        return len(text)

    out: list[PiiSpan] = []
    for sp in find_once(redacted):
        if redacted[sp.start : sp.end] == f"[{sp.kind.upper()}]":
            continue
        start, stop = to_original(sp.start, end=False), to_original(sp.end, end=True)
        if stop > start:
            out.append(PiiSpan(start, stop, sp.kind))
    return out


def _merge(spans: Sequence[PiiSpan], more: Sequence[PiiSpan]) -> tuple[PiiSpan, ...]:
    """Sorted, non-overlapping union; overlapping spans become one, of the newer kind."""
    merged: list[PiiSpan] = []
    for sp in sorted([*spans, *more], key=lambda p: (p.start, -p.end)):
        if merged and sp.start < merged[-1].end:
            last = merged[-1]
            kind = sp.kind if sp.end > last.end else last.kind
            merged[-1] = PiiSpan(last.start, max(last.end, sp.end), kind)
        else:
            merged.append(sp)
    return tuple(merged)
