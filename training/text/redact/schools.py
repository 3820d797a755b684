"""School, nursery and college names: capitalised words ending in a school word ("Oakfield
Primary", "Heath Park High", "Greenway Junior", "Hillside Pupil Referral Unit", "St Bede's
RC Academy", "Blackburn College"), with the place after an academy of a chain ("Harris
Academy Peckham"); Welsh and Irish names after "Ysgol" or "Scoil"; the name after a label
("School: Hillcrest"); and the same in lower case after "at", "from" or "attends" ("at
kingsmead college", "holy trinity c of e primary").
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from training.text.normalise import norm_word
from training.text.redact.lexicon import Lexicon, get_lexicon, sentence_start, word_starts
from training.text.redact.numbers import Add
from training.text.redact.places import ordinary_word

__all__ = ["find_schools"]

_SCHOOL_LOWER_RE = re.compile(
    r"(?<=[a-z.'’] )(?:school|college|academy|nursery|primary|high|grammar|infants?|juniors?"
    r"|secondary|pre-?school|playgroup|montessori)\b"
)
_SCHOOL_TRIGGERS = frozenset(
    ("School", "Academy", "College", "Nursery", "Primary", "Infants", "Juniors", "Preschool",
     "Pre-School", "Playgroup", "Kindergarten", "Montessori", "PRU", "UTC", "High", "Grammar",
     "Unit", "Junior", "Infant", "Secondary", "Centre")
)  # fmt: skip
#: capitalised words that open many schools' names though they are ordinary words or
#: never-names alone ("North Ridge Academy", "Church Lane Junior School")
_SCHOOL_OPENING_WORDS = frozenset(
    ("North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central",
     "Great", "Little", "Old", "New", "Royal", "Church", "Park", "Hill", "Lane", "Road", "Green",
     "Castle", "Abbey", "Priory", "Valley", "Forest", "Bridge", "Meadow", "Field", "Wood")
)  # fmt: skip
_CHILDRENS = frozenset(("Children's", "Childrens", "Children’s"))
_SCHOOL_PREP = frozenset(("at", "from", "to", "attends", "attending", "attend", "in", "of"))
_SCHOOL_LOWER = frozenset(
    ("school", "college", "academy", "nursery", "primary", "high", "grammar", "infant", "infants",
     "junior", "juniors", "secondary", "preschool", "pre-school", "playgroup", "montessori")
)  # fmt: skip
#: school words after which a name can go on no further ("Park View School and Park View Nursery")
_SCHOOL_FINAL = frozenset(
    ("School", "Academy", "College", "Nursery", "Primary", "Preschool", "Pre-School", "Playgroup",
     "Kindergarten", "Montessori", "Infants", "Juniors", "High", "Grammar")
)  # fmt: skip
#: lower-case words that may open a school's name: "st anne's", "holy trinity"
_SCHOOL_OPENERS = frozenset(("st", "st.", "saint", "holy", "sacred", "blessed"))
#: after a school label's word, what makes it a label ("School: Hillcrest", "Nursery name - ")
_SCHOOL_LABEL_END = re.compile(r"(?:\s+name)?\s*[:=-]\s*")
_LABEL_OPENERS = frozenset(("previous", "current", "new", "last", "education"))
_SCHOOL_KEEP = frozenset(("Our", "St", "Saint", "The", "St."))
_SCHOOL_GAP = re.compile(
    r"(?:'s|’s|'|’)?[ \t]+(?:(?:de|of|la|le|the|and|&|C[ \t]+of)[ \t]+)?|\.[ \t]+"
)
_SCHOOL_TAIL = re.compile(r"\s+for\s+(?:Boys|Girls)\b")
_SCHOOL_PREFIX = frozenset(("Ysgol", "Coleg", "Scoil", "Gaelscoil", "Colaiste", "Coláiste"))
_WELSH_JOIN = re.compile(r"[ \t]+(?:(?:y|yr|a|na|an)[ \t]+)?")


def find_schools(text: str, caps: list[tuple[int, int, str]], add: Add, vocab: set[str]) -> None:
    """School, nursery and college names: capitalised words ending in a school word
    ("Oakfield Primary", "Heath Park High", "Hillside Pupil Referral Unit", "St Bede's RC
    Academy"), Welsh and Irish names after "Ysgol"/"Scoil", and the same in lower case
    after words that are no ordinary vocabulary ("kingsmead college")."""
    lex = get_lexicon()
    if _UPPER_SCHOOL_WORD.search(text) is not None:  # "OAKFIELD PRIMARY SCHOOL"
        caps = [(a, b, _as_title(w) if w.isupper() else w) for a, b, w in caps]
    for i in range(len(caps)):
        word = caps[i][2]
        if word in _SCHOOL_PREFIX:
            _prefixed_school(text, caps, i, add)
        elif word in _SCHOOL_TRIGGERS:
            _school_ending_at(text, caps, i, add, lex)
    if not vocab.isdisjoint(_SCHOOL_LABEL_WORDS):
        _labelled_schools(text, caps, add, lex)
        _bracketed_schools(text, add, lex)
    _saint_schools(text, add)
    if not vocab.isdisjoint(_SCHOOL_LOWER):
        _lower_case_schools(text, add, vocab, lex)


def _prefixed_school(text: str, caps: list[tuple[int, int, str]], i: int, add: Add) -> None:
    """A Welsh or Irish name after its school word ``i``: "Ysgol y Graig", "Scoil Mhuire"."""
    j = i
    while (
        j + 1 < len(caps) and j - i < 4 and _WELSH_JOIN.fullmatch(text, caps[j][1], caps[j + 1][0])
    ):
        j += 1
    if j > i:
        add(caps[i][0], caps[j][1], "school")


def _school_ending_at(
    text: str, caps: list[tuple[int, int, str]], i: int, add: Add, lex: Lexicon
) -> None:
    """The capitalised name whose school word is ``i`` ("Oakfield Primary", "Hillside Pupil
    Referral Unit"), with its qualifiers after it, when it has a name of its own."""
    word = caps[i][2]
    fillers = lex.school_fillers
    if word == "Unit" and not (i >= 2 and caps[i - 1][2] == "Referral"):
        return
    if word == "Centre" and not (i >= 2 and caps[i - 1][2] in _CHILDRENS):
        return  # a children's centre, not any centre
    last = _qualifiers_after(text, caps, i, fillers)
    if last is None:
        return  # not the last word of the name ("Primary" in "Primary School")
    j = _school_start(text, caps, i, lex)
    names = [
        c[2]
        for c in caps[j : i + 1]
        if c[2].lower() not in fillers
        and _name_word(c[2], lex)
        and c[2] not in _SCHOOL_KEEP
        and not (c[2].isupper() and len(c[2]) < 3)  # "DA HIGH RISK"
    ]
    if word in ("High", "Grammar", "Unit", "PRU", "College", "Junior", "Infant", "Secondary"):
        names = [w for w in names if not ordinary_word(w, lex) or _proper(w, lex)]
    if not names:  # "Church Lane Junior School": a name of two such words
        opening = [c[2] for c in caps[j : i + 1] if c[2] in _SCHOOL_OPENING_WORDS]
        names = opening if len(opening) >= 2 else []
    end = caps[last][1]
    if word == "Academy" and last == i:
        places = _chain_place(text, caps, i, lex)
        names += [c[2] for c in places]
        end = places[-1][1] if places else end
    if names:
        tail = _SCHOOL_TAIL.match(text, end) or _SCHOOL_WORD_AFTER.match(text, end)
        add(caps[j][0], tail.end() if tail is not None else end, "school")


def _chain_place(
    text: str, caps: list[tuple[int, int, str]], i: int, lex: Lexicon
) -> list[tuple[int, int, str]]:
    """The place after an academy of a chain, at most two words: "Harris Academy Peckham",
    "Oasis Academy Lister Park"."""
    k = i
    while k + 1 < len(caps) and k - i < 2 and text[caps[k][1] : caps[k + 1][0]] == " ":
        nxt = caps[k + 1][2]
        if nxt in lex.never and not _proper(nxt, lex) or nxt.lower() in lex.school_fillers:
            break
        k += 1
    return caps[i + 1 : k + 1]


def _bracketed_schools(text: str, add: Add, lex: Lexicon) -> None:
    """A name in brackets after a school word: "her school (Brookfield) said"."""
    at = text.find("(")
    while at >= 0:
        m = _BRACKET_NAME.match(text, at)
        if (
            m is not None
            and _SCHOOL_BEFORE_BRACKET.search(text, max(0, at - 12), at) is not None
            and m.group(2).lower() not in lex.first_names
        ):
            add(m.start(1), m.end(1), "school")
        at = text.find("(", at + 1)


def _saint_schools(text: str, add: Add) -> None:
    """A saint's name after "attends" and its kin: "he attends St Mary's"."""
    at = text.find("St")
    while at >= 0:
        m = _SAINT_NAME.match(text, at)
        if m is not None and (
            _ATTENDS_BEFORE.search(text, max(0, at - 24), at) is not None
            or _SCHOOL_WORD_AFTER.match(text, m.end()) is not None  # "a St Mary's school jumper"
        ):
            add(m.start(), m.end(), "school")
        at = text.find("St", at + 2)


def _lower_case_schools(text: str, add: Add, vocab: set[str], lex: Lexicon) -> None:
    """Names before a lower-case school word, after "at", "from", "attends" and the like:
    "at kingsmead college", "from holy trinity c of e primary", "attends Oakfield primary"."""
    filler_words = _filler_words(lex.school_fillers)
    for m in _lower_school_words(text, vocab):
        if _SCHOOL_LOWER_RE.match(text, m.end() + 1) is not None:
            continue  # "secondary" in "kingsmead secondary school"
        before = text[max(0, m.start() - 70) : m.start()].split()[-7:]
        words, named = _name_before(before, lex, filler_words)
        while words and words[0].lower() in filler_words:
            words.pop(0)  # "of", "c": no name opens with a qualifier
        if (
            named
            and words
            and len(before) > len(words)
            and before[-len(words) - 1].lower() in _SCHOOL_PREP
        ):
            start = m.start() - len(" ".join(words)) - 1
            if text[start : m.start() - 1] == " ".join(words):
                add(start, m.end(), "school")


def _name_before(
    before: list[str], lex: Lexicon, filler_words: frozenset[str]
) -> tuple[list[str], bool]:
    """The words of ``before`` (those ahead of a lower-case school word) that can be the
    school's name and its qualifiers, read backwards; and whether a word among them names
    it (not only an opener such as "st" or "holy")."""
    words: list[str] = []
    named = False
    in_tail = True  # qualifiers next to the school word: "c of e", "rc", "secondary"
    for w in reversed(before):
        low = w.lower()
        if not w.islower():
            if in_tail and low in filler_words and w.istitle():
                words.insert(0, w)  # "Oakfield Primary school"
                continue
            if _capitalised_name(w, lex):
                in_tail = False
                named = True
                words.insert(0, w)
                continue
            break
        if in_tail and low in filler_words:
            words.insert(0, w)
            continue
        in_tail = False
        bare = low[:-2] if low.endswith(("'s", "’s")) else low
        if bare in _SCHOOL_OPENERS or (
            bare.isalpha() and not ordinary_word(bare, lex) and bare not in lex.school_fillers
        ):
            named = named or bare not in _SCHOOL_OPENERS
            words.insert(0, w)
            continue
        break
    return words, named


def _capitalised_name(word: str, lex: Lexicon) -> bool:
    """A capitalised word before a lower-case school word that names the school ("attends
    Oakfield primary"): no acronym, never-name or first name's possessive."""
    bare = word[:-2] if word.endswith(("'s", "’s")) else word
    return (
        word[:1].isupper()
        and bare.replace("-", "").isalpha()
        and not (word.isupper() and len(word) <= 4)
        and bare not in lex.never
        and not (bare != word and bare.lower() in lex.first_names)
        and (_proper(bare, lex) or not ordinary_word(bare, lex))
    )


_SCHOOL_WORD_AFTER = re.compile(r" (?:school|academy|nursery|college)\b")
_SCHOOL_BEFORE_BRACKET = re.compile(r"\b(?:school|nursery|college|academy)\s*$")
_BRACKET_NAME = re.compile(r"\(\s*(([A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){0,3})\s*\)")
_ATTENDS_BEFORE = re.compile(
    r"\b(?:attends|attending|attended|attend|pupil\s+at|student\s+at|goes\s+to|went\s+to"
    r"|transferred\s+to|moved\s+to|moving\s+to|on\s+roll\s+at)\s+$"
)
_SAINT_NAME = re.compile(
    r"St\.?\s+[A-Z][a-z]+(?:\s+(?:and\s+St\.?\s+)?[A-Z][a-z]+)?['’]s(?![\w'’])"
)
_UPPER_SCHOOL_WORD = re.compile(
    r"SCHOOL|ACADEMY|COLLEGE|NURSERY|PRIMARY|INFANT|JUNIOR|SECONDARY|HIGH|GRAMMAR|PRE-?SCHOOL"
    r"|PLAYGROUP|KINDERGARTEN|MONTESSORI|YSGOL|COLEG|SCOIL"
)
#: all-capitals words kept as they are (school qualifiers); others read as capitalised words
_KEEP_UPPER = frozenset(("RC", "CE", "PRU", "UTC", "VA", "VC"))


def _as_title(word: str) -> str:
    """ "OAKFIELD" -> "Oakfield", "JOSEPH'S" -> "Joseph's", "ST" -> "St"; others unchanged."""
    if word == "ST":
        return "St"
    if not word.isupper() or len(word) < 3 or word in _KEEP_UPPER:
        return word  # "DA", "SW": acronyms
    return "-".join(p[:1] + p[1:].lower() for p in word.split("-"))


_SCHOOL_LABEL_WORDS = frozenset(("school", "nursery", "college", "academy", "setting", "childcare"))


def _lower_school_words(text: str, vocab: set[str]) -> list[re.Match[str]]:
    """The lower-case school words of ``text`` after a lower-case word, in order (each
    found with ``str.find``: a pattern of them all scans slowly)."""
    found: dict[int, re.Match[str]] = {}
    for word in vocab & _SCHOOL_LOWER:
        at = text.find(word)
        while at >= 0:
            if at >= 2 and at not in found:
                m = _SCHOOL_LOWER_RE.match(text, at)
                if m is not None:
                    found[at] = m
            at = text.find(word, at + len(word))
    return [found[at] for at in sorted(found)]


@lru_cache(maxsize=4)
def _filler_words(fillers: frozenset[str]) -> frozenset[str]:
    """The single words of the school qualifiers ("c of e" -> "c", "of", "e")."""
    return frozenset(w for f in fillers for w in f.split())


def _labels(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the school labels in ``text`` (a label word found with
    ``str.find``, then its colon, dash or equals sign)."""
    low = text.lower()
    out: list[tuple[int, int]] = []
    for word in _SCHOOL_LABEL_WORDS:
        for at in word_starts(low, word):
            m = _SCHOOL_LABEL_END.match(text, at + len(word))
            if m is not None:
                out.append((at, m.end()))
    return out


def _proper(word: str, lex: Lexicon) -> bool:
    """A capitalised word that is no English word in lower case: a town ("Blackburn",
    "Leeds") or another proper noun, which can name a school."""
    return word.lower() not in lex.english and word.isalpha()


def _name_word(word: str, lex: Lexicon) -> bool:
    """A word that can be part of a school's own name: no never-name, unless a town."""
    return word not in lex.never or word in lex.places or _proper(word, lex)


def _labelled_schools(text: str, caps: list[tuple[int, int, str]], add: Add, lex: Lexicon) -> None:
    """The name after a school label, on its line: "School: Hillcrest", "Nursery - Busy Bees"."""
    starts: dict[int, int] | None = None
    for label_start, label_end in _labels(text):
        if starts is None:
            starts = {c[0]: k for k, c in enumerate(caps)}
        k = starts.get(label_end)
        line = text[text.rfind("\n", 0, label_start) + 1 : label_start]
        if line.lower().strip() in _LABEL_OPENERS:
            line = ""  # "Previous school: ..."
        if line.strip(" \t-*•"):
            continue  # a label opens its line: never "Disclosure at school: Olivia"
        if k is None:
            _lower_case_field(text, label_end, add)
            continue
        if len(caps[k][2]) < 3:
            continue
        if caps[k][2].lower() in lex.first_names and caps[k][2].lower() not in lex.ambiguous:
            continue  # "Nursery: Amira (4) has ...": a child named after the setting
        j = k
        while j < len(caps) and j - k < 4:
            w = caps[j][2]
            if w in _SCHOOL_KEEP or (_name_word(w, lex) and w not in lex.never) or _proper(w, lex):
                if j + 1 < len(caps) and text[caps[j][1] : caps[j + 1][0]] in (" ", "'s ", "’s "):
                    j += 1
                    continue
                break
            j -= 1
            break
        if j >= k:
            add(caps[k][0], caps[j][1], "school")


_FIELD_VALUE = re.compile(r"([a-z][a-z'’-]*(?:[ \t]+[a-z][a-z'’&-]*){0,5})[ \t]*(?=\n|$)")


def _lower_case_field(text: str, start: int, add: Add) -> None:
    """A form's school field written in lower case, the whole value up to the line's end
    when its last word is a school word ("school: roundhay park high")."""
    m = _FIELD_VALUE.match(text, start)
    if m is not None and m.group(1).split()[-1] in _SCHOOL_LOWER:
        add(m.start(1), m.end(1), "school")


def _school_start(text: str, caps: list[tuple[int, int, str]], i: int, lex: Lexicon) -> int:
    fillers = lex.school_fillers
    j = i
    while (
        j > 0
        and i - j < 6
        and _SCHOOL_GAP.fullmatch(text, caps[j - 1][1], caps[j][0])
        and (text[caps[j - 1][1]] != "." or caps[j - 1][2] == "St")  # "St. Mary's"
        and not _after_final(text, caps, j, i, fillers)
    ):
        j -= 1
    # Drop leading ordinary words: "Attends Oakfield Primary" -> "Oakfield Primary".
    while j < i:
        word = caps[j][2]
        if word in _SCHOOL_KEEP or word.lower() in fillers or word in _SCHOOL_OPENING_WORDS:
            break
        content = sum(1 for c in caps[j : i + 1] if c[2].lower() not in fillers)
        upper = text[caps[j][0] : caps[j][1]].isupper() and len(word) > 2
        if (
            (word in lex.never and word not in lex.places and not _proper(word, lex))
            or (upper and word.lower() in lex.english and word not in _SCHOOL_KEEP)
            or (
                content > 1
                and norm_word(word) in lex.known_stems
                and word.lower() not in lex.first_names
                and sentence_start(text, caps[j][0])
                and (word.lower() in STOP_WORDS or word.endswith(("s", "ed", "ing")))
            )
        ):
            j += 1
        else:
            break
    return j


def _qualifiers_after(
    text: str, caps: list[tuple[int, int, str]], i: int, fillers: frozenset[str]
) -> int | None:
    """Where the name ending in the school word ``i`` ends: None when a later school word
    ends it ("Primary" in "Oakfield Primary School"), else the last of the qualifiers after
    it ("Abbey Hill Academy & Sixth Form") or ``i`` itself."""
    k = i
    while (
        k + 1 < len(caps)
        and caps[k + 1][2].lower() in fillers
        and _SCHOOL_GAP.fullmatch(text, caps[k][1], caps[k + 1][0])
    ):
        k += 1
        if caps[k][2] in _SCHOOL_TRIGGERS:
            return None
    return k


def _after_final(
    text: str, caps: list[tuple[int, int, str]], j: int, i: int, fillers: frozenset[str]
) -> bool:
    """Word ``j`` follows a finished school name and "and" ("Park View School and Park View
    Nursery"), and has a name of its own up to ``i``: it opens a second school."""
    gap = text[caps[j - 1][1] : caps[j][0]]
    if caps[j - 1][2] not in _SCHOOL_FINAL or ("and" not in gap and "&" not in gap):
        return False
    return any(c[2].lower() not in fillers for c in caps[j : i + 1])
