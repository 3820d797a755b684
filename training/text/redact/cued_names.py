"""Names that only their setting gives away: a word in quotes ("a man calling himself
'Aman'", "known as 'Snow'", "stays with 'Arben'") and the initials that sign off a note
("KB (duty SW)", "TH" above a forwarded message).

A quoted capitalised word is a name when it is no ordinary English word, brand or
never-name, or when a naming cue comes before it ("called", "known as", "calling himself");
never after a pet's or a thing's word ("a dog called 'Snow'"). Initials are two or three
capitals closing a line (alone or after a sentence) that ends the text, closes a note above a forwarded message, or
carries a role in brackets; never a role or a never-name ("DSL", "CP").
"""

from __future__ import annotations

import re
from functools import cache

from training.text.redact.lexicon import Lexicon, get_lexicon
from training.text.redact.numbers import Add

__all__ = ["find_cued_names"]

_QUOTED = re.compile(r"(?<![\w'’])['‘\"“]([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)['’\"”](?![\w])")
_OPENING_QUOTES = ("'", "‘", '"', "“")
_NAMING_CUE = re.compile(
    r"(?i:\b(?:called|calls\s+(?:himself|herself|themselves)|calling\s+(?:himself|herself|"
    r"themselves)|known\s+as|goes\s+by|went\s+by|named|nicknamed|aka|a\.k\.a\.?|alias))\s*$"
)
#: a line's end: two or three capitals alone or after a sentence, a role in brackets
_INITIALS = re.compile(r"(?:^[ \t>]*|[.!?][ \t]+)([A-Z]{2,3})[ \t]*(\([^()\n]{1,30}\))?[ \t]*$")
_FORWARDED = re.compile(r"\n[ \t>]*(?:From|Sent|On .{1,80} wrote|-{2,}|Begin forwarded)", re.I)


def find_cued_names(text: str, add: Add) -> None:
    """Quoted names and sign-off initials in ``text``, added as kind ``"name"``."""
    lex = get_lexicon()
    for quote in _OPENING_QUOTES:  # each quote tried where it stands: cheaper than a scan
        at = text.find(quote)
        while at >= 0:
            if text[at + 1 : at + 2].isupper():
                m = _QUOTED.match(text, at)
                if m is not None and _quoted_name(text, m, lex):
                    add(m.start(1), m.end(1), "name")
            at = text.find(quote, at + 1)
    start = 0
    for line in text.split("\n"):  # lines first: a pattern over the whole text costs more
        tail = line.rstrip(" \t")
        if tail[-1:].isupper() or tail.endswith(")"):
            m = _INITIALS.search(line)
            if m is not None and _signs_off(text, start + m.end(), m, lex):
                add(start + m.start(1), start + m.end(1), "name")
        start += len(line) + 1


def _quoted_name(text: str, m: re.Match[str], lex: Lexicon) -> bool:
    words = m.group(1).replace("-", " ").split()
    before = text[max(0, m.start() - 30) : m.start()]
    cued = _NAMING_CUE.search(before) is not None
    if cued:
        last = before.lower().split()[-3:]
        return lex.not_person.isdisjoint(last)  # never "a dog called 'Snow'"
    return all(
        w.lower() not in lex.english and w not in lex.never and w.lower() not in lex.never_lower
        for w in words
    )


@cache
def _roles() -> frozenset[str]:
    return frozenset(w.lower() for w in get_lexicon().raw["role_words"])


def _signs_off(text: str, end: int, m: re.Match[str], lex: Lexicon) -> bool:
    """The initials of ``m`` (a match in the line ending at ``end`` of ``text``) sign off."""
    letters = m.group(1)
    if letters.lower() in _roles() or letters in lex.never or letters.lower() in lex.never_lower:
        return False
    rest = text[end:]
    return m.group(2) is not None or not rest.strip() or _FORWARDED.match(rest) is not None
