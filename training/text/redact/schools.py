"""School, nursery and college names: capitalised words ending in a school word ("Oakfield
Primary", "Heath Park High", "Hillside Pupil Referral Unit", "St Bede's RC Academy"), Welsh
and Irish names after "Ysgol" or "Scoil", and the same in lower case after "at", "from" or
"attends" ("at kingsmead college").
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from training.text.normalise import norm_word
from training.text.redact.lexicon import Lexicon, get_lexicon, sentence_start
from training.text.redact.numbers import Add
from training.text.redact.places import ordinary_word

__all__ = ["find_schools"]

_SCHOOL_LOWER_RE = re.compile(
    r"(?<=[a-z] )(?:school|college|academy|nursery|primary|high|grammar)\b"
)
_SCHOOL_TRIGGERS = frozenset(
    ("School", "Academy", "College", "Nursery", "Primary", "Infants", "Juniors", "Preschool",
     "Pre-School", "Playgroup", "Kindergarten", "Montessori", "PRU", "UTC", "High", "Grammar",
     "Unit")
)  # fmt: skip
_SCHOOL_PREP = frozenset(("at", "from", "to", "attends", "attending", "attend", "in", "of"))
_SCHOOL_LOWER = frozenset(("school", "college", "academy", "nursery", "primary", "high", "grammar"))
_SCHOOL_KEEP = frozenset(("Our", "St", "Saint", "The", "St."))
_SCHOOL_GAP = re.compile(r"(?:'s|’s)?[ \t]+(?:(?:de|of|la|le|the|and|&|C[ \t]+of)[ \t]+)?|\.[ \t]+")
_SCHOOL_TAIL = re.compile(r"\s+for\s+(?:Boys|Girls)\b")
_SCHOOL_PREFIX = frozenset(("Ysgol", "Coleg", "Scoil", "Gaelscoil", "Colaiste", "Coláiste"))
_WELSH_JOIN = re.compile(r"[ \t]+(?:(?:y|yr|a|na|an)[ \t]+)?")


def find_schools(text: str, caps: list[tuple[int, int, str]], add: Add, vocab: set[str]) -> None:
    """School, nursery and college names: capitalised words ending in a school word
    ("Oakfield Primary", "Heath Park High", "Hillside Pupil Referral Unit", "St Bede's RC
    Academy"), Welsh and Irish names after "Ysgol"/"Scoil", and the same in lower case
    after words that are no ordinary vocabulary ("kingsmead college")."""
    lex = get_lexicon()
    fillers = lex.school_fillers
    n = len(caps)
    for i in range(n):
        word = caps[i][2]
        if word in _SCHOOL_PREFIX:
            j = i
            while (
                j + 1 < n and j - i < 4 and _WELSH_JOIN.fullmatch(text, caps[j][1], caps[j + 1][0])
            ):
                j += 1
            if j > i:
                add(caps[i][0], caps[j][1], "school")
            continue
        if word not in _SCHOOL_TRIGGERS:
            continue
        if word == "Unit" and not (i >= 2 and caps[i - 1][2] == "Referral"):
            continue
        if (
            i + 1 < n
            and caps[i + 1][2].lower() in fillers
            and _SCHOOL_GAP.fullmatch(text, caps[i][1], caps[i + 1][0])
        ):
            continue  # not the last word of the name ("Primary" in "Primary School")
        j = _school_start(text, caps, i, lex)
        names = [
            c[2]
            for c in caps[j : i + 1]
            if c[2].lower() not in fillers and c[2] not in lex.never and c[2] not in _SCHOOL_KEEP
        ]
        if word in ("High", "Grammar", "Unit", "PRU", "College"):
            names = [w for w in names if not ordinary_word(w, lex)]
        if names:
            end = caps[i][1]
            tail = _SCHOOL_TAIL.match(text, end)
            add(caps[j][0], tail.end() if tail is not None else end, "school")
    if vocab.isdisjoint(_SCHOOL_LOWER):
        return
    for m in _SCHOOL_LOWER_RE.finditer(text):
        before = text[max(0, m.start() - 50) : m.start()].split()[-4:]
        words: list[str] = []
        for w in reversed(before):
            if not w.isalpha() or not w.islower() or ordinary_word(w, lex) or w in fillers:
                break
            words.insert(0, w)
        if words and len(before) > len(words) and before[-len(words) - 1].lower() in _SCHOOL_PREP:
            start = m.start() - len(" ".join(words)) - 1
            if text[start : m.start() - 1] == " ".join(words):
                add(start, m.end(), "school")


def _school_start(text: str, caps: list[tuple[int, int, str]], i: int, lex: Lexicon) -> int:
    fillers = lex.school_fillers
    j = i
    while (
        j > 0
        and i - j < 6
        and _SCHOOL_GAP.fullmatch(text, caps[j - 1][1], caps[j][0])
        and (text[caps[j - 1][1]] != "." or caps[j - 1][2] == "St")  # "St. Mary's"
    ):
        j -= 1
    # Drop leading ordinary words: "Attends Oakfield Primary" -> "Oakfield Primary".
    while j < i:
        word = caps[j][2]
        if word in _SCHOOL_KEEP or word.lower() in fillers:
            break
        content = sum(1 for c in caps[j : i + 1] if c[2].lower() not in fillers)
        if (word in lex.never and word not in lex.places) or (
            content > 1
            and norm_word(word) in lex.known_stems
            and word.lower() not in lex.first_names
            and sentence_start(text, caps[j][0])
            and (word.lower() in STOP_WORDS or word.endswith(("s", "ed", "ing")))
        ):
            j += 1
        else:
            break
    return j
