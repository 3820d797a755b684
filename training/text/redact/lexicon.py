"""The redactor's data, read once on first use: name lists, cue words and the compiled
patterns built from ``patterns/redaction.json``.

Every list is data, reviewed like code: ``first_names.txt`` and ``surnames.txt`` (names in
England and Wales across communities), ``first_names_public.txt`` and ``surnames_public.txt``
(further names from public lists, with their sources and licences), ``english_words.txt``
(ordinary English words in lower case, from SCOWL), ``ambiguous_names.txt`` (names that are also common
capitalised words: a name only with context), ``name_words.txt`` (names that are everyday
lower-case words: never a name in lower case without context) and ``redaction.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from training.text.normalise import norm_word

__all__ = [
    "Lexicon",
    "alternation",
    "get_lexicon",
    "read_pattern_file",
    "sentence_start",
    "word_starts",
]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Name lists and cue words (all lower case unless said otherwise)."""

    first_names: frozenset[str]
    surnames: frozenset[str]
    #: family names from public lists: a name beside a name or after a cue, never alone
    public_surnames: frozenset[str]
    #: ordinary English words in lower case (SCOWL): a word here is no name without a list
    english: frozenset[str]
    #: listed names (any list) that a cue may make names in lower case ("jade", "price")
    cued_listed: frozenset[str]
    #: every lower-case word that is known one way or another (English, stop word, listed,
    #: never-name): what is left of a text's words may be an unlisted name after a cue
    not_unknown: frozenset[str]
    #: names that are common capitalised words ("Will", "May", "Florence"): need context
    ambiguous: frozenset[str]
    #: names that are everyday lower-case words ("ruby", "jack"): not names in lower case
    name_words: frozenset[str]
    #: listed names that are no common capitalised word, in lower case (context may make
    #: them names even in lower case: "mrs khan", "nanna sheila")
    lower_any: frozenset[str]
    #: ambiguous names that open sentences as ordinary words ("Will", "Hope", "May")
    sentence_words: frozenset[str]
    #: capitalised ordinary words, exact case ("Police", "Monday")
    never: frozenset[str]
    never_lower: frozenset[str]
    #: place names among them ("Lambeth", "Cork"): part of a school's or town's name
    places: frozenset[str]
    #: never-names that may still be a surname next to a name or after a cue ("Ward")
    surname_ok: frozenset[str]
    #: stems of ordinary words (pattern files, stop words, never-names)
    known_stems: frozenset[str]
    titles: frozenset[str]
    #: titles, relationship words, greetings: a name may follow ("mrs", "mum", "dear")
    cue_words: frozenset[str]
    #: greetings and sign-offs among the cue words ("hi", "thanks", "its"): weaker cues, that
    #: never make an unlisted lower-case word a name ("thanks lol")
    greetings: frozenset[str]
    #: form labels that a name follows after a colon ("name", "patient", "surname")
    labels: frozenset[str]
    #: lower-case words that join two parts of a name ("ap", "ní", "van", "bin")
    particles: frozenset[str]
    #: capitalised words after which a capitalised run is an organisation, not a person
    org_after: frozenset[str]
    #: words before "called"/"named" that make it a pet or a thing, not a person
    not_person: frozenset[str]
    #: words of school names that are not the name itself ("primary", "school", "rc")
    school_fillers: frozenset[str]
    relation_after: re.Pattern[str]
    raw: dict[str, Any]


def read_pattern_file(name: str) -> str:
    """The text of ``training/text/patterns/<name>``."""
    return resources.files("training.text").joinpath(f"patterns/{name}").read_text("utf-8")


def _lines(name: str) -> frozenset[str]:
    return frozenset(
        line.strip().lower()
        for line in read_pattern_file(name).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any whitespace."""
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True)
    )


def _known_stems(never: Sequence[str], names: frozenset[str]) -> frozenset[str]:
    """Stems of every word the pattern files use: ordinary vocabulary, not names."""
    words: set[str] = {w.lower() for w in never}
    for name in ("indicators.jsonl", "cues.json", "norms.json"):
        words.update(re.findall(r"[a-z]+", read_pattern_file(name).lower()))
    words.update(STOP_WORDS)
    return frozenset(norm_word(w) for w in words if len(w) > 2 and w not in names)


def _lower_names(
    names: frozenset[str], words: frozenset[str], never: frozenset[str]
) -> frozenset[str]:
    """Listed names that may be names in lower case: no everyday or ordinary word."""
    never_lower = {w.lower() for w in never}
    return frozenset(
        n for n in names - words if len(n) > 2 and n not in never_lower and n not in STOP_WORDS
    )


@cache
def get_lexicon() -> Lexicon:
    """The redactor's lexicon (read on first call, then cached for the process)."""
    raw: dict[str, Any] = json.loads(read_pattern_file("redaction.json"))
    first = _lines("first_names.txt") | _lines("first_names_public.txt")
    surnames = _lines("surnames.txt")
    ambiguous = _lines("ambiguous_names.txt")
    name_words = _lines("name_words.txt") | ambiguous
    rel = alternation(raw["relationship_words"] + raw["role_words"])
    titles = [*raw["titles"], *raw["rank_titles"]]
    cue_words = frozenset(w.lower() for w in titles + raw["relationship_words"] + raw["greetings"])
    never = frozenset(
        [*raw["never_names"], *raw["never_places"], *raw["never_brands"]]
        + [w.capitalize() for w in raw["relationship_words"] if " " not in w]
    )
    public_surnames = _lines("surnames_public.txt") - first - surnames
    english = _lines("english_words.txt")
    listed = first | surnames | public_surnames
    particles = frozenset(raw["name_particles"])
    lower_any = _lower_names(first | surnames, ambiguous | name_words, never)
    return Lexicon(
        first_names=first,
        surnames=surnames,
        public_surnames=public_surnames,
        english=english,
        cued_listed=frozenset(
            w
            for w in listed - lower_any - particles
            if len(w) >= 3 and w not in STOP_WORDS and w.islower()
        ),
        not_unknown=english | listed | STOP_WORDS | frozenset(w.lower() for w in never) | particles,
        ambiguous=ambiguous,
        name_words=name_words,
        lower_any=lower_any,
        sentence_words=frozenset(w.lower() for w in raw["sentence_words"]),
        never=never,
        never_lower=frozenset(w.lower() for w in never),
        places=frozenset(raw["never_places"]),
        surname_ok=frozenset(raw["surname_ok"]),
        known_stems=_known_stems(sorted(never), first),
        titles=frozenset(w.lower() for w in titles),
        cue_words=cue_words,
        greetings=frozenset(w.lower() for w in raw["greetings"]),
        labels=frozenset(w.lower() for w in raw["name_labels"]),
        particles=particles,
        org_after=frozenset(raw["organisation_words"]),
        not_person=frozenset(raw["not_person_before_called"]),
        school_fillers=frozenset(
            w.lower() for w in raw["school_qualifiers"] + raw["school_suffixes"]
        ),
        relation_after=re.compile(
            rf"\s*[(,]\s*(?:her\s+|his\s+|their\s+|the\s+)?(?:{rel})\b", re.IGNORECASE
        ),
        raw=raw,
    )


def sentence_start(text: str, start: int) -> bool:
    """True when ``start`` opens the text, a sentence, a line or a labelled field."""
    i = start - 1
    while i >= 0 and text[i] in " \t\"'(“‘":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;-*•"


def word_starts(text: str, word: str) -> list[int]:
    """Where ``word`` starts in ``text`` after no letter or digit (found with ``str.find``:
    far faster than a pattern; what may follow is the caller's to check)."""
    out: list[int] = []
    at = text.find(word)
    while at >= 0:
        if at == 0 or not text[at - 1].isalnum():
            out.append(at)
        at = text.find(word, at + len(word))
    return out
