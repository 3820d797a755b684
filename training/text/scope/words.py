"""The scope reader's word lists (``patterns/scope_words.json``) as sets of token hashes.

Built once per pipeline from its vocabulary, so the reader compares integers (the LOWER
hash of each token), never strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from spacy.vocab import Vocab

__all__ = ["ScopeWords", "word_lists"]


@cache
def word_lists() -> dict[str, tuple[str, ...]]:
    """Each list of ``patterns/scope_words.json`` by name."""
    raw = json.loads(
        resources.files("training.text").joinpath("patterns/scope_words.json").read_text("utf-8")
    )
    return {k: tuple(v["words"]) for k, v in raw.items() if isinstance(v, dict)}


@dataclass(frozen=True, slots=True)
class ScopeWords:
    """Token hashes the scope reader tests tokens against: sets from the data file, and
    the few single function words its rules name (``no``, ``that``, ``;``...)."""

    strong: frozenset[int]
    anaphors: frozenset[int]
    pronouns: frozenset[int]
    openers: frozenset[int]
    objects: frozenset[int]
    aux: frozenset[int]
    preface_words: frozenset[int]
    npi: frozenset[int]
    nominal: frozenset[int]
    back_copula: frozenset[int]
    raise_verbs: frozenset[int]
    complement: frozenset[int]
    neg_complement: frozenset[int]
    claim_nouns: frozenset[int]
    claim_dets: frozenset[int]
    yet_adverb: frozenset[int]
    negators: frozenset[int]
    and_or: frozenset[int]
    preface_ends: frozenset[int]
    dashes: frozenset[int]
    soft: frozenset[int]
    content_links: frozenset[int]
    introducers: frozenset[int]
    it_clauses: frozenset[int]
    that_preps: frozenset[int]
    parens: frozenset[int]
    tick_boxes: frozenset[int]
    status: frozenset[int]
    temporal: frozenset[int]
    quotes: frozenset[int]
    reach_objects: frozenset[int]
    resolved_subjects: frozenset[int]
    wh: frozenset[int]
    clause_links: frozenset[int]
    relatives: frozenset[int]
    say_verbs: frozenset[int]
    question: int
    no: int
    semicolon: int
    by: int
    that: int
    comma: int
    colon: int
    it: int
    which: int
    the: int
    yet: int
    though: int
    to: int
    according: int

    @classmethod
    def build(cls, vocab: Vocab) -> ScopeWords:
        add = vocab.strings.add
        lists = word_lists()

        def hashes(name: str) -> frozenset[int]:
            return frozenset(add(w) for w in lists[name])

        sets: dict[str, Any] = {
            "strong": hashes("strong_breaks"),
            "nominal": hashes("nominal_negators"),
            "soft": hashes("soft_breaks"),
        }
        renamed = {"strong_breaks", "nominal_negators", "soft_breaks"}
        sets.update({name: hashes(name) for name in lists if name not in renamed})
        # an object of a backward-final cue may be a pronoun or an anaphor noun too
        sets["objects"] = sets["objects"] | sets["pronouns"] | sets["anaphors"]
        single = {
            "question": "?", "no": "no", "semicolon": ";", "by": "by", "that": "that",
            "comma": ",", "colon": ":", "it": "it", "which": "which", "the": "the",
            "yet": "yet", "though": "though", "to": "to", "according": "according",
        }  # fmt: skip
        sets.update({name: add(word) for name, word in single.items()})
        return cls(**sets)
