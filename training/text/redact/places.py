"""Addresses: UK, with or without capitals, and foreign.

An address is found from an anchor: a house or flat number followed by street words and a
street or building word ("28 high street", "Flat 2b, Rowan Court", "Flat 1/2, 20 Dumbarton
Road", "15-17 Market Place", "45 st. peter's close"), "no. 14 the crescent", a street after
a preposition ("on ryecroft rd"), an address label ("Address:", "lives at"), or a foreign
street word with a number ("ul. Długa 5", "12 rue des Lilas"). Without capitals, a street
needs a common street word ("road", "close") unless an address cue comes before ("lives at
28 primrose hill"). From the anchor it extends over comma-separated street and building
parts, a flat after the street ("5 Linden Grove, Flat 2"), a town ("St Helens",
"Bexhill-on-Sea") and, abroad, a postcode with its town ("30-059 Kraków").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from training.text.normalise import norm_word
from training.text.redact.abroad import (
    CAP,
    TYPE_ABBREVIATION,
    TYPE_AFTER_NAME,
    UPPER,
    far_tail,
)
from training.text.redact.lexicon import Lexicon, alternation, get_lexicon, word_starts
from training.text.redact.numbers import Add

__all__ = [
    "AddressPatterns",
    "address_at_number",
    "find_addresses",
    "find_foreign_addresses",
    "get_patterns",
    "ordinary_word",
]

_U = UPPER
_CAP = CAP
_WORD = r"[^\W\d_][\w'’-]*"
_DIRECTION = r"(?:\s+(?:East|West|North|South|Upper|Lower|east|west|north|south))?"
_HOUSE_BEFORE = re.compile(r"\b(?:at|from)\s+(?:number|no\.?|house)\s+$", re.IGNORECASE)
_HOUSE_NO = re.compile(r"\d{1,4}[A-Za-z]?\b")
_FLAT = r"(?:flat|apartment|apt|unit|room|plot|lot|pitch|studio|maisonette)\.?"
_FLAT_BEFORE = re.compile(rf"\b{_FLAT}\s+$", re.IGNORECASE)
#: a flat's number or letter before the house number ("Flat A, 12", "Flat 1/2, 20", "2/1 14")
_FLAT_NO = r"(?:\d{1,4}[A-Za-z]?(?:/\d{1,2})?|[A-Za-z])"
#: a floor's flat before the house number ("Ground floor flat, 22", "top flat, 9")
_FLOOR_FLAT = (
    r"\b(?:ground|first|second|third|top|basement|lower|upper|1st|2nd|3rd)\s+(?:floor\s+)?flat"
)
_FLAT_BEFORE_NUMBER = re.compile(
    rf"(?:\b{_FLAT}\s+{_FLAT_NO}|\b\d{{1,2}}/\d{{1,2}}|{_FLOOR_FLAT}),?\s+$", re.IGNORECASE
)
#: what may follow a house number's digits: a letter, a range or a flat position ("2/1 14")
_AFTER_NUMBER = re.compile(r"[ ,]|[A-Za-z](?:[ ,]|$)|-\d{1,4}[A-Za-z]?[ ,]|/\d{1,2},?\s+\d")
#: an address cue before the house number: then a street needs no common street word
_ADDRESS_CUE = re.compile(
    r"(?i:\b(?:at|to|from|address(?:\s+is)?|addr|home|c/o|property|house|no\.?|number)\s*[:,-]?\s*)$"
)
#: a house name before the number: "The Old Forge, " (capitalised words, a comma)
_HOUSE_NAME_BEFORE = re.compile(r"(?:The\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}),\s+$")
#: where someone lives, right before a street: then any street word counts in lower case
_RESIDENCE_WORDS = frozenset(
    ("live", "lives", "living", "staying", "stays", "resides", "residing", "moved", "moving",
     "address")
)  # fmt: skip
_RESIDENCE_PREPOSITION = re.compile(r"\s+(?:on|in|at|to|off)\s")
_RESIDENCE_CUE = re.compile(
    r"(?i:\b(?:lives?|living|staying|stays|resides|residing|moved|moving|address(?:\s+is)?)"
    r"\s+(?:on|in|at|to|off)\s)"
)
_FLAT_AFTER = re.compile(rf",?\s+(?i:{_FLAT})\s+\d{{1,4}}[A-Za-z]?\b")
_SAINT_TOWN = re.compile(
    r",\s*St\.?\s+[A-Z][^\W\d_]+(?=\s*(?:[,.;:)\n]|$)|\s+[a-z]|\s+[A-Z]{1,2}\d)"
)
#: a foreign postcode and town after a foreign street ("30-059 Kraków", "75011 Paris")
_FOREIGN_TOWN = re.compile(r",?\s+(?:[A-Z]{1,2}-)?\d{2}-?\d{3}(?:\d)?\s+[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+")
_FLAT_START = re.compile(_FLAT, re.IGNORECASE)
_NUMBER_BEFORE = re.compile(r"\b(?:no\.?|number|house)\s*$", re.IGNORECASE)
#: street words that count in lower case ("28 high street", "on ryecroft rd")
_PLAIN_SUFFIXES = frozenset(
    [
        "road",
        "rd",
        "street",
        "st",
        "avenue",
        "ave",
        "lane",
        "ln",
        "close",
        "drive",
        "dr",
        "crescent",
        "way",
        "grove",
        "terrace",
        "gardens",
        "place",
        "row",
        "walk",
        "mews",
        "view",
        "rise",
        "court",
        "house",
        "square",
        "parade",
        "vale",
        "croft",
        "heights",
        "side",
        "terr",
        "tce",
        "gr",
        "gro",
        "wy",
        "av",
        "ave",
        "cl",
        "ct",
        "cres",
        "gdns",
        "pl",
        "sq",
        "pde",
        "grn",
    ]
)
_MAIN_STREETS = frozenset(
    ("Road", "Street", "Avenue", "Lane", "Close", "Drive", "Crescent", "Rd", "St", "Way", "Grove",
     "Terrace", "Gardens", "Place", "Row", "Walk", "Mews", "Square", "Parade")
)  # fmt: skip
_LABEL_FILLERS = frozenset(
    [
        "home",
        "family",
        "registered",
        "last",
        "known",
        "previous",
        "current",
        "new",
        "on",
        "given",
        "as",
        "at",
        "to",
        "from",
        "system",
        "file",
    ]
)
_FOREIGN_ENDING = re.compile("straße|strasse|straat|laan|platz|gasse|gatan|iela")

#: street words that make a street after a preposition in lower case ("on ryecroft rd"):
#: the plain suffixes less those that are everyday words after a preposition too ("in court",
#: "on the way")
_PLAIN_STREETS = _PLAIN_SUFFIXES - {
    "court", "croft", "heights", "house", "parade", "place", "rise",
    "row", "side", "square", "vale", "view", "walk", "way",
}  # fmt: skip
_UNIT_WORDS = frozenset(
    [
        "times",
        "time",
        "days",
        "day",
        "weeks",
        "week",
        "months",
        "month",
        "years",
        "year",
        "yrs",
        "yr",
        "hours",
        "hour",
        "hrs",
        "mins",
        "minutes",
        "children",
        "kids",
        "boys",
        "girls",
        "people",
        "men",
        "women",
        "adults",
        "teenagers",
        "pupils",
        "occasions",
        "visits",
        "calls",
        "nights",
        "mornings",
        "miles",
        "metres",
        "meters",
        "feet",
        "inches",
    ]
)


@dataclass(frozen=True, slots=True)
class AddressPatterns:
    """Compiled address and school patterns (built once from ``redaction.json``)."""

    numbered: re.Pattern[str]
    segment: re.Pattern[str]
    building_before: re.Pattern[str]
    label: re.Pattern[str]
    label_part: re.Pattern[str]
    foreign: re.Pattern[str]
    town_tail: re.Pattern[str]
    welsh: re.Pattern[str]
    welsh_segment: re.Pattern[str]
    tail_stop: frozenset[str]
    street_words: frozenset[str]
    #: lower-case words that gate the scans: foreign street words, address labels, suffixes
    foreign_words: frozenset[str]
    label_words: frozenset[str]
    lower_suffixes: frozenset[str]
    #: a school's qualifiers and school word right after a street's words: they were a
    #: school's name ("Lola Graham, 14, Kingsway Academy")
    school_after: re.Pattern[str]


#: school words that the lexicon keeps among the qualifiers, as they also qualify ("Oakfield
#: High", "Greenway Junior")
_SCHOOL_WORDS_ALSO = ("High", "Grammar", "Secondary", "Junior", "Infant")


@cache
def get_patterns() -> AddressPatterns:
    """The compiled address patterns (built on first call)."""
    lex = get_lexicon()
    raw = lex.raw
    streets = alternation(raw["street_suffixes"])
    buildings = alternation(raw["building_suffixes"])
    suffix = rf"(?:{streets}|{buildings}|[{_U}][a-z]+(?:way|gate))"
    ci_words = rf"(?i:(?:the\s+)?(?:st\.?\s+|saint\s+)?(?:{_WORD}\s+){{0,3}})"
    numbered = re.compile(
        rf"(?:(?i:{_FLAT})\s+{_FLAT_NO},?\s+|\d{{1,2}}/\d{{1,2}},?\s+|(?i:{_FLOOR_FLAT}),?\s+)?"
        rf"(?:(?i:no\.?|number)\s*)?\d{{1,4}}[A-Za-z]?"
        rf"(?:-\d{{1,4}})?,?\s+{ci_words}(?i:{suffix})\b{_DIRECTION}"
        rf"|(?i:{_FLAT})\s+\d{{1,4}}[A-Za-z]?,?\s+{ci_words}(?i:{suffix})\b{_DIRECTION}"
        rf"|(?i:{_FLAT})\s+\d{{1,4}}[A-Za-z]?,?\s+(?i:the\s+)?{_WORD}(?:\s+{_WORD}){{0,2}}"
        rf"(?=\s*(?:,|$|\n|\.\s|\s+(?:said|is|was|has)\b))"
    )
    segment = re.compile(
        rf",?\s+(?:\d{{1,4}}[A-Za-z]?,?\s+)?(?:(?:the\s+)?(?:{_WORD}\s+){{0,3}}(?:{suffix})\b"
        rf"{_DIRECTION})",
        re.IGNORECASE,
    )
    building_before = re.compile(rf"(?:The\s+)?{_CAP}(?:\s+{_CAP}){{0,3}}\s+(?:{buildings}),\s+$")
    label = re.compile(
        r"(?i:\s+(?:at|to|from|as|given\s+as|on\s+(?:the\s+)?(?:system|file)))?\s*"
        r"(?:is\s+|was\s+|given\s+as\s+|:\s*|-\s*)?"
    )
    label_part = re.compile(rf"(?:The\s+)?{_CAP}(?:\s+(?:y|yr|a|de|of|the|{_CAP})){{0,3}}")
    foreign = re.compile(
        rf"(?:\b(?:{alternation(raw['foreign_street_words'])})\s+"
        rf"(?:(?:{alternation(raw['foreign_particles'])})\s+)?{_CAP}(?:\s+{_CAP}){{0,3}}"
        r",?\s+(?:n[ro°º]\.?\s*)?\d{1,4}[A-Za-z]?(?:/\d{1,4})?"
        rf"|\b\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+(?:{alternation(raw['foreign_street_words_after_number'])})"
        rf"\s+(?:(?:{alternation(raw['foreign_particles'])})\s+)?{_CAP}(?:\s+{_CAP}){{0,2}}"
        rf"|\b[{_U}][a-zäöüß]+(?:{alternation(raw['foreign_street_endings'])})\s+\d{{1,4}}[a-z]?)",
    )
    welsh_segment = re.compile(
        rf",\s+(?:{alternation(raw['welsh_street_words'])})\s+(?:y\s+|yr\s+)?{_CAP}(?:\s+{_CAP})?"
    )
    welsh = re.compile(
        rf"\b\d{{1,4}}[A-Za-z]?,?\s+(?:Pen-y-{_CAP}|(?:{alternation(raw['welsh_street_words'])})\s+"
        rf"(?:y\s+|yr\s+)?{_CAP}(?:\s+{_CAP})?)"
    )
    town_tail = re.compile(
        rf",\s*([{_U}][^\W\d_]+(?:-(?:[a-z]{{1,5}}-)?[^\W\d_]+)*)"
        rf"([ -][{_U}][^\W\d_]+(?=\s*(?:[,.;:)\n]|$)|\s+[a-z]|\s+[A-Z]{{1,2}}\d))?"
    )
    return AddressPatterns(
        numbered=numbered,
        segment=segment,
        building_before=building_before,
        label=label,
        label_part=label_part,
        foreign=foreign,
        town_tail=town_tail,
        welsh=welsh,
        welsh_segment=welsh_segment,
        tail_stop=frozenset(raw["address_tail_stop"]) | lex.first_names,
        street_words=frozenset(raw["street_suffixes"] + raw["building_suffixes"]),
        foreign_words=frozenset(
            w.lower().strip(".").split("/")[0]
            for w in raw["foreign_street_words"] + raw["foreign_street_words_after_number"]
        ),
        label_words=frozenset(w for label in raw["address_labels"] for w in label.lower().split())
        - _LABEL_FILLERS,
        lower_suffixes=frozenset(
            w.lower() for w in raw["street_suffixes"] + raw["building_suffixes"]
        ),
        school_after=re.compile(
            rf"(?:\s+(?:{alternation(raw['school_qualifiers'])}))*\s+"
            rf"(?:{alternation(raw['school_suffixes'] + list(_SCHOOL_WORDS_ALSO))})\b",
            re.IGNORECASE,
        ),
    )


def ordinary_word(word: str, lex: Lexicon) -> bool:
    """A word of the ordinary vocabulary (stop words, never-names, the pattern files' stems)."""
    low = word.lower()
    if low[-2:] in ("'s", "’s"):
        low = low[:-2]
    return low in STOP_WORDS or low in lex.never_lower or norm_word(low) in lex.known_stems


def _plain_words_ok(words: list[str], lex: Lexicon) -> bool:
    """Street words without capitals: at least one, no stop or unit word, not all ordinary
    ("28 high street" yes; "2 older boys walk", "took 2 buses down the road" no)."""
    if not words:
        return False
    low = [w.lower() for w in words]
    if any(w in STOP_WORDS and w != "the" or w in _UNIT_WORDS for w in low):
        return False
    return not all(ordinary_word(w, lex) for w in low if w != "the") or len(low) == 1


def _extend(text: str, end: int, p: AddressPatterns, *, far: bool = False) -> int:
    """Extend an address over further street or building parts, a flat and a town (with
    ``far``, what may follow a town abroad too: see :func:`abroad.far_tail`)."""
    for _ in range(3):
        m = _FLAT_AFTER.match(text, end)  # "5 Linden Grove, Flat 2"
        if m is None and _SAINT_TOWN.match(text, end) is None:
            m = p.segment.match(text, end) or p.welsh_segment.match(text, end)
        if m is None:
            break
        end = m.end()
    saint = _SAINT_TOWN.match(text, end)
    if saint is not None:
        return saint.end()  # "St Helens", not the street word "St"
    tail = p.town_tail.match(text, end)
    if tail is not None and not _POSTCODE_LIKE.match(text, tail.start(1)):
        if tail.group(2) is not None:
            end = tail.end()  # "Milton Keynes", "Little Hadham"
        elif tail.group(1).lower() not in p.tail_stop:
            end = tail.end(1)
    return far_tail(text, end) if far else end


_POSTCODE_LIKE = re.compile(r"[A-Za-z]{1,2}\d")


def _start_with_building(text: str, start: int, p: AddressPatterns) -> int:
    """Include a building name before the anchor ("Holmefield Children's Home, 2 Mount
    Road"; after an address cue or at a line's start any house name: "lives at The Old
    Forge, 2 Mill Lane")."""
    if text[start - 2 : start] != ", ":
        return start
    m = p.building_before.search(text, max(0, start - 60), start)
    if m is not None:
        return m.start()
    m = _HOUSE_NAME_BEFORE.search(text, max(0, start - 50), start)
    if m is None:
        return start
    head = text[max(0, m.start() - 24) : m.start()]
    words = m.group(1).split()
    lex = get_lexicon()
    if (
        (_ADDRESS_CUE.search(head) is not None or not head.strip(" \t") or head.endswith("\n"))
        and not any(w in lex.never and w not in lex.places for w in words)
        and not (len(words) == 1 and words[0].lower() in lex.first_names)  # "Jayden, 14 ..."
        and (m.group().startswith("The ") or not all(ordinary_word(w, lex) for w in words))
    ):
        return m.start()
    return start


def address_at_number(text: str, s: int, e: int) -> tuple[int, int, str] | None:
    """The address whose house or flat number is the digit run ``text[s:e]`` (or a house
    number after "at number")."""
    if e - s > 4:
        return None
    if text[s - 1 : s] == " " and _HOUSE_BEFORE.search(text, max(0, s - 24), s) is not None:
        h = _HOUSE_NO.match(text, s)
        if h is not None and not p_street_follows(text, h.end()):
            return h.start(), h.end(), "address"  # "at number 14"
    if _AFTER_NUMBER.match(text, e) is None and e < len(text):
        return None  # "03/04", "(7)", "3pm": no house number
    p = get_patterns()
    lex = get_lexicon()
    start = s
    before = text[s - 1] if s > 0 else " "
    if before in " .":
        window = text[max(0, s - 24) : s]
        flat_before = "/" in window or "," in window or "lat" in window or "LAT" in window
        for prefix in (_FLAT_BEFORE, _NUMBER_BEFORE, _FLAT_BEFORE_NUMBER):
            if prefix is _FLAT_BEFORE_NUMBER and not flat_before:
                break  # "Flat A, 12", "2/1 14", "top flat 9": a comma, a slash or a flat
            m = prefix.search(text, max(0, s - (24 if prefix is _FLAT_BEFORE_NUMBER else 14)), s)
            if m is not None:
                start = m.start()
                break
    m = p.welsh.match(text, s) or p.numbered.match(text, start)
    if m is not None and (e - s == 4 and text[s : s + 2] in ("19", "20")):
        m = None  # "In 2016, ..." is a year
    if m is not None and not _flat_building(text, m, p):
        house = _HOUSE_NO.match(text, s)
        words = re.findall(r"[^\W\d_][\w'’-]*", text[house.end() if house else e : m.end()])
        # No capitals after the number: the words must look like a street ("28 high
        # street"; after an address cue any street word: "lives at 28 primrose hill").
        if (
            words
            and not (words[0][:1].isupper() or words[0].lower() == "the")
            and not _plain_street(
                words, _ADDRESS_CUE.search(text, max(0, start - 16), start), p, lex
            )
        ):
            m = None
    if m is not None and p.school_after.match(text, m.end()) is not None:
        return None  # "Lola Graham, 14, Kingsway Academy": an age, then a school
    if m is not None:
        first = _start_with_building(text, m.start(), p)
        return first, _extend(text, m.end(), p, far=True), "address"
    return None


def _plain_street(
    words: list[str], cue: re.Match[str] | None, p: AddressPatterns, lex: Lexicon
) -> bool:
    """Lower-case words after a house number that look like a street: a common street word
    last, or after an address cue any street or building word, and street-like words before."""
    last = words[-1].lower()
    if last not in _PLAIN_SUFFIXES and (cue is None or last not in p.lower_suffixes):
        return False
    before = [w for w in words[:-1] if w.lower().rstrip(".") not in ("st", "saint")]
    if cue is not None and last in _PLAIN_SUFFIXES and 0 < len(before) <= 2:
        # "at 56 west end lane": ordinary words make a street too, after a cue
        low = [w.lower() for w in before]
        return not any(w in STOP_WORDS or w in _UNIT_WORDS for w in low)
    return _plain_words_ok(before, lex)


def _flat_building(text: str, m: re.Match[str], p: AddressPatterns) -> bool:
    """A flat in a named building ("flat 1 the maltings"): no street word needed."""
    last = m.group().split()[-1].lower()
    return _FLAT_START.match(m.group()) is not None and last not in p.lower_suffixes


def p_street_follows(text: str, end: int) -> bool:
    """A street name follows the house number ("number 6, Windmill Lane")."""
    return get_patterns().segment.match(text, end) is not None


def find_foreign_addresses(text: str, add: Add, vocab: set[str]) -> None:
    """Foreign street addresses with a number ("ul. Długa 5, Gdańsk", "12 rue des Lilas")."""
    p = get_patterns()
    if TYPE_ABBREVIATION.search(text) is not None:
        for m in TYPE_AFTER_NAME.finditer(text):
            add(m.start(), _extend(text, m.end(), p, far=True), "address")
    if vocab.isdisjoint(p.foreign_words) and _FOREIGN_ENDING.search(text) is None:
        return
    for m in p.foreign.finditer(text):
        town = _FOREIGN_TOWN.match(text, m.end())
        end = town.end() if town is not None else _extend(text, m.end(), p, far=True)
        add(m.start(), end, "address")


def find_addresses(
    text: str,
    add: Add,
    vocab: set[str],
    caps: list[tuple[int, int, str]],
) -> None:
    """Addresses without a leading house number: labelled addresses ("Address: The Old
    Forge, Back Lane") and streets after a preposition ("on ryecroft rd")."""
    p = get_patterns()
    lex = get_lexicon()
    for word in vocab & p.label_words:
        for found in _word_pattern(word).finditer(text):
            _labelled(text, p.label.match(text, found.end()), p, add)
    _streets(text, caps, vocab, p, lex, add)


def _labelled(text: str, m: re.Match[str] | None, p: AddressPatterns, add: Add) -> None:
    """The address after a label: a capitalised place name and further parts."""
    if m is not None:
        part = p.label_part.match(text, m.end())
        if part is None:
            return
        end = _extend(text, part.end(), p)
        words = part.group().split()
        if end > part.end() or words[-1] in p.street_words:
            add(part.start(), end, "address")


_WORD_RE = re.compile(_WORD)


@lru_cache(maxsize=1024)
def _word_pattern(word: str) -> re.Pattern[str]:
    """The word in any case, as a whole word."""
    return re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)


_DIRECTION_RE = re.compile(_DIRECTION)
_PREPOSITIONS = frozenset(
    ["on", "at", "of", "off", "from", "near", "in", "to", "along", "down", "up", "outside"]
)


def _streets(
    text: str,
    caps: list[tuple[int, int, str]],
    vocab: set[str],
    p: AddressPatterns,
    lex: Lexicon,
    add: Add,
) -> None:
    """Streets after a preposition: "on Station Road", "off ryecroft rd"."""
    for k, (_, e, word) in enumerate(caps):
        if word in p.street_words and k > 0:
            first = k
            while first > 0 and k - first < 3 and text[caps[first - 1][1] : caps[first][0]] == " ":
                first -= 1
            if first < k:
                _after_preposition(text, caps[first][0], e, p, lex, add)
    cues = vocab & _RESIDENCE_WORDS
    if cues:
        _streets_after_residence(text, cues, p, lex, add)
    for word in vocab & _PLAIN_STREETS:
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or not text[at - 1].isalnum()) and not text[end : end + 1].isalnum():
                before = text[max(0, at - 40) : at].split()[-3:]
                for n in (1, 2):
                    if len(before) > n and before[-n - 1].lower() in _PREPOSITIONS:
                        _after_preposition(
                            text, at - len(" ".join(before[-n:])) - 1, end, p, lex, add
                        )
                        break
            at = text.find(word, end)


def _streets_after_residence(
    text: str, cues: set[str], p: AddressPatterns, lex: Lexicon, add: Add
) -> None:
    """ "lives on primrose hill": after a residence cue, any street word ends a street."""
    low = text.lower()
    for word in cues:
        for at in word_starts(low, word):
            cue = _RESIDENCE_PREPOSITION.match(low, at + len(word))
            if cue is not None:
                _street_after_cue(text, cue.end(), p, lex, add)


def _street_after_cue(text: str, start: int, p: AddressPatterns, lex: Lexicon, add: Add) -> None:
    """The street of up to four words right after a residence cue, ending in a street word."""
    words = text[start : start + 60].split()[:4]
    for k in range(1, len(words)):
        if words[k].rstrip(".,;:!?)") in p.lower_suffixes:
            street = " ".join(words[: k + 1]).rstrip(".,;:!?)")
            if text.startswith(street, start):
                _street_only(text, start, start + len(street), p, lex, add)
            break


def _after_preposition(
    text: str, start: int, end: int, p: AddressPatterns, lex: Lexicon, add: Add
) -> None:
    """The street ``text[start:end]`` if a preposition comes before it."""
    before = text[max(0, start - 12) : start].split()
    if not before or before[-1].lower() not in _PREPOSITIONS or start < 1 or text[start - 1] != " ":
        return
    tail = _DIRECTION_RE.match(text, end)
    _street_only(text, start, tail.end() if tail else end, p, lex, add)


def _street_only(
    text: str, start: int, end: int, p: AddressPatterns, lex: Lexicon, add: Add
) -> None:
    words = text[start:end].split()
    if words[-1] in ("East", "West", "North", "South", "Upper", "Lower", "east", "west"):
        words = words[:-1]
    if words[-1][:1].isupper():
        if words[0][:1].isupper() and (
            not all(ordinary_word(w, lex) for w in words[:-1]) or words[-1] in _MAIN_STREETS
        ):
            add(start, _extend(text, end, p), "address")
    elif (
        (
            words[-1] in _PLAIN_STREETS
            or (
                words[-1] in p.lower_suffixes
                and _RESIDENCE_CUE.search(text, max(0, start - 24), start + 1) is not None
            )
        )
        and all(w.islower() and w.isalpha() for w in words[:-1])
        and _plain_words_ok(words[:-1], lex)
        and not any(w == "the" for w in words)
    ):
        add(start, _extend(text, end, p), "address")
