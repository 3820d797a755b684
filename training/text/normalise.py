"""Text and token normalisation.

Two layers, both data-driven (``patterns/norms.json``):

* :func:`normalise_text` maps look-alike Unicode characters (curly quotes, dashes,
  non-breaking and zero-width spaces, control characters) to plain ASCII **one character
  for one character**, so every offset into the normalised text is an offset into the
  original. The tokenizer runs on this text.
* :func:`norm_word` gives each word form its ``NORM``: lower case, abbreviations kept with
  a stable norm ("A&E" -> "a&e", "s.47" -> "s47"), misspellings, US spellings and family
  synonyms mapped to one word, one-edit typos of indicator keywords corrected, then a small
  suffix stemmer ("bruises", "bruised", "bruising", "brusing" -> "bruis"). The
  ``cs_normaliser`` component installs it as the vocabulary's NORM getter, so each distinct
  word form is normalised once per process, not once per token.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from spacy.attrs import NORM
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["NormData", "cs_normaliser", "load_norm_data", "norm_word", "normalise_text"]

_CHAR_MAP: dict[int, str] = {
    # Quotes and apostrophes.
    0x2018: "'",
    0x2019: "'",
    0x201A: "'",
    0x201B: "'",
    0x2032: "'",
    0x00B4: "'",
    0x0060: "'",
    0x201C: '"',
    0x201D: '"',
    0x201E: '"',
    0x201F: '"',
    0x2033: '"',
    0x00AB: '"',
    0x00BB: '"',
    # Dashes and minus signs.
    0x2010: "-",
    0x2011: "-",
    0x2012: "-",
    0x2013: "-",
    0x2014: "-",
    0x2015: "-",
    0x2212: "-",
    0xFE58: "-",
    0xFE63: "-",
    0xFF0D: "-",
    # Spaces of every width, and invisible characters that would split or glue words.
    0x00A0: " ",
    0x1680: " ",
    0x2000: " ",
    0x2001: " ",
    0x2002: " ",
    0x2003: " ",
    0x2004: " ",
    0x2005: " ",
    0x2006: " ",
    0x2007: " ",
    0x2008: " ",
    0x2009: " ",
    0x200A: " ",
    0x202F: " ",
    0x205F: " ",
    0x3000: " ",
    0x200B: " ",
    0x200C: " ",
    0x200D: " ",
    0x2060: " ",
    0xFEFF: " ",
    0x00AD: " ",
    0x0009: " ",
    0x000B: " ",
    0x000C: "\n",
    0x000D: "\n",
    0x0085: "\n",
    0x2028: "\n",
    0x2029: "\n",
    # Other punctuation look-alikes.
    0x2026: ".",
    0x2022: "*",
    0x00B7: "*",
    0xFF0C: ",",
    0xFF0E: ".",
    0xFF1A: ":",
    0xFF1B: ";",
    0xFF08: "(",
    0xFF09: ")",
    0xFF06: "&",
}
_CHAR_MAP.update({c: " " for c in range(0x00, 0x20) if c not in (0x0A,) and c not in _CHAR_MAP})
_CHAR_MAP.update({c: " " for c in range(0x7F, 0xA0) if c not in _CHAR_MAP})
_TRANSLATE = str.maketrans(_CHAR_MAP)


def normalise_text(text: str) -> str:
    """Return ``text`` with Unicode look-alikes replaced, keeping its length.

    Invariant: ``len(normalise_text(t)) == len(t)``, so character offsets carry over.
    """
    return text.translate(_TRANSLATE)


@dataclass(frozen=True, slots=True)
class NormData:
    """The normalisation lexicons of ``patterns/norms.json``."""

    abbreviations: dict[str, str]
    variants: dict[str, str]
    no_stem: frozenset[str]
    fuzzy_keywords: frozenset[str]
    fuzzy_min_len: int
    #: every single-deletion variant of a fuzzy keyword -> the keyword (ambiguous ones dropped)
    deletion_index: dict[str, str]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@cache
def load_norm_data() -> NormData:
    """Read and index ``patterns/norms.json`` (cached; read on first use, never at import)."""
    raw: dict[str, Any] = json.loads(
        resources.files("training.text").joinpath("patterns/norms.json").read_text("utf-8")
    )
    keywords = frozenset(raw["fuzzy_keywords"])
    index: dict[str, str] = {}
    ambiguous: set[str] = set()
    for kw in keywords:
        for d in _deletions(kw) | {kw}:
            if d in index and index[d] != kw:
                ambiguous.add(d)
            index[d] = kw
    for d in ambiguous:
        index.pop(d, None)
    return NormData(
        abbreviations=dict(raw["abbreviations"]),
        variants=dict(raw["variants"]),
        no_stem=frozenset(raw["no_stem"]) | STOP_WORDS,
        fuzzy_keywords=keywords,
        fuzzy_min_len=int(raw["fuzzy_min_len"]),
        deletion_index=index,
    )


def _fuzzy(word: str, data: NormData) -> str | None:
    """The fuzzy keyword one edit (insert, delete, substitute, swap) from ``word``, if unique."""
    if word in data.fuzzy_keywords:
        return None
    found: set[str] = set()
    hit = data.deletion_index.get(word)  # word lacks one letter of a keyword
    if hit is not None:
        found.add(hit)
    for d in _deletions(word):
        if d in data.fuzzy_keywords:  # word has one extra letter
            found.add(d)
        hit = data.deletion_index.get(d)  # substitution or adjacent swap
        if hit is not None and abs(len(hit) - len(word)) <= 1:
            found.add(hit)
    return found.pop() if len(found) == 1 else None


_VOWELS = frozenset("aeiouy")


def _stem(word: str, no_stem: frozenset[str]) -> str:
    """A small suffix stemmer: plural, -ed, -ing, -ies/-ied and a final silent -e.

    Deliberately conservative (stems keep >= 3 letters) and consistent rather than
    dictionary-correct: every inflection of a word maps to the same stem.
    """
    if len(word) <= 3 or word in no_stem or not word.isalpha():
        return word
    if word.endswith(("ize", "ized", "izes", "izing", "ization", "izations")):
        word = word.replace("iz", "is")
    if word.endswith(("ies", "ied")) and len(word) > 4:
        return word[:-3] + "y"
    stem = word
    if word.endswith("ing") and len(word) - 3 >= 3:
        stem = word[:-3]
    elif (
        word.endswith("ed")
        and len(word) - 2 >= 3
        or word.endswith(("sses", "shes", "ches", "xes", "zes"))
    ):
        stem = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        stem = word[:-1]
    if stem is not word:
        if stem in no_stem:
            return stem
        if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "lsz" + "aeiou":
            stem = stem[:-1]  # hitting -> hit, stabbed -> stab
        elif len(stem) >= 3 and not any(c in _VOWELS for c in stem):
            return word  # "sing" style false suffixes on vowel-less stems
    if stem.endswith("e") and len(stem) >= 5 and stem[-2] not in "e":
        stem = stem[:-1]  # bruise -> bruis, so that it meets bruising -> bruis
    return stem


# Bounded: a service meets new word forms (names, typos) every day, and an unbounded cache
# would grow with them for as long as it runs.
@lru_cache(maxsize=100_000)
def norm_word(word: str) -> str:
    """The NORM of a word form: lower-cased, abbreviation-aware, typo-corrected, stemmed.

    Stable across calls and processes (pure function of the word and the lexicon file).
    Placeholders such as ``"[name]"`` are returned unchanged.
    """
    data = load_norm_data()
    low = word.lower()
    if low in data.abbreviations:
        return data.abbreviations[low]
    if low.startswith("["):
        return low
    if low in data.variants:
        low = data.variants[low]
    elif len(low) >= data.fuzzy_min_len and low.isalpha():
        fixed = _fuzzy(low, data)
        if fixed is not None:
            low = data.variants.get(fixed, fixed)
    if " " in low or "-" in low:
        return low
    return _stem(low, data.no_stem)


class Normaliser:
    """Pipeline component: installs :func:`norm_word` as the vocabulary's NORM getter.

    Norms are lexeme attributes, so installing the getter (and re-normalising lexemes that
    already exist) is all the work; the call on each Doc is a no-op.
    """

    def __init__(self, nlp: Language, name: str, *, fuzzy: bool) -> None:
        self.name = name
        getter: Callable[[str], str] = norm_word if fuzzy else _norm_no_fuzzy
        nlp.vocab.lex_attr_getters[NORM] = getter  # type: ignore[attr-defined]
        for lex in list(nlp.vocab):
            lex.norm_ = getter(lex.orth_)

    def __call__(self, doc: Doc) -> Doc:
        return doc


@lru_cache(maxsize=100_000)
def _norm_no_fuzzy(word: str) -> str:
    data = load_norm_data()
    low = word.lower()
    if low in data.abbreviations:
        return data.abbreviations[low]
    low = data.variants.get(low, low)
    if " " in low or "-" in low or low.startswith("["):
        return low
    return _stem(low, data.no_stem)


@Language.factory("cs_normaliser", default_config={"fuzzy": True})
def cs_normaliser(nlp: Language, name: str, fuzzy: bool) -> Normaliser:
    """Factory of the normalisation component; ``fuzzy`` enables one-edit typo correction."""
    return Normaliser(nlp, name, fuzzy=fuzzy)
