"""Risk-indicator matching from the versioned pattern file ``patterns/indicators.jsonl``.

The file's first line is a header ``{"version": ...}``; each further line defines one
indicator: ``label``, threshold ``level`` (1 universal .. 4 protection), DfE assessment
``factor``, ``description`` and ``patterns``. A pattern is either a spaCy Matcher token
pattern or ``{"phrase": "..."}``. NORM values in token patterns and every phrase are passed
through the same normaliser as the text, so patterns are written in plain English and
match inflections and common misspellings ("bruises", "brusing").

Each match becomes an :class:`~training.text.types.IndicatorMatch` with its character span
and the scope flags of its tokens (a cue inside the match does not flag it: "no food in the
house" is not a negated "food"). Matches of one label never overlap; the shortest wins.

One exception for negation: a negation cue inside the match, directly before its last word
(only fillers such as "any" between) and scoping it, whose word is written in none of the
indicator's patterns (so a wildcard gap took it up), flags the match negated: "Mum denies
any depression" and "found no ketamine" are negated, while "no food in the house" (the
pattern says "no") stays asserted.

Precision controls, per indicator record (all optional):

* a match never spans two sentences ("...2nd pregnancy. Routine enquiry re DA..." is not a
  pregnant victim of domestic abuse);
* ``exclude``: patterns (same syntax) that veto an overlapping match of the indicator, e.g.
  "mum disclosed" vetoes a disclosure *by the child*, "hanging around" vetoes "hanging";
* ``ignore``: scope flags that do not apply to the indicator, e.g. ``["historical"]`` for a
  person posing a risk, whose *past* convictions are what makes the risk current.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from training.text.normalise import norm_word
from training.text.rules import TokenRules, cached_arrays
from training.text.scope import NO_CUE, ScopeFlags, register_extensions
from training.text.types import IndicatorDef, IndicatorMatch

__all__ = [
    "IndicatorMatcher",
    "cs_indicators",
    "indicator_catalogue",
    "load_pattern_file",
    "patterns_version",
]

_PATTERN_FILE = "patterns/indicators.jsonl"
#: suffix of the internal key under which an indicator's ``exclude`` patterns are matched
_EXCLUDE = "::exclude"
_ROLE = "::role"
_FLAG_NAMES = ("negated", "hedged", "historical", "third_party")


def _lines() -> Iterator[dict[str, Any]]:
    text = resources.files("training.text").joinpath(_PATTERN_FILE).read_text("utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(
                    f"{_PATTERN_FILE} line {number}: invalid JSON ({err.msg})"
                ) from None


@cache
def load_pattern_file() -> tuple[str, tuple[dict[str, Any], ...]]:
    """The pattern file's version and its indicator records (validated; cached)."""
    lines = list(_lines())
    if not lines or "version" not in lines[0]:
        raise ValueError(f"{_PATTERN_FILE}: the first line must be a header with a version")
    records = tuple(lines[1:])
    seen: set[str] = set()
    for rec in records:
        label = rec.get("label")
        if not isinstance(label, str) or label in seen:
            raise ValueError(f"{_PATTERN_FILE}: missing or duplicate label {label!r}")
        seen.add(label)
        if rec.get("level") not in (1, 2, 3, 4) or not rec.get("patterns"):
            raise ValueError(f"{_PATTERN_FILE}: indicator {label!r} needs a level 1-4 and patterns")
    return str(lines[0]["version"]), records


def patterns_version() -> str:
    """The version string of the pattern file."""
    return load_pattern_file()[0]


@cache
def indicator_catalogue() -> tuple[IndicatorDef, ...]:
    """Every indicator of the pattern file, in file order."""
    return tuple(
        IndicatorDef(
            label=r["label"],
            level=int(r["level"]),
            factor=r["factor"],
            description=r["description"],
        )
        for r in load_pattern_file()[1]
    )


class IndicatorMatcher:
    """Pipeline component: finds indicator matches and stores them in ``doc._.cs_indicators``.

    Needs the ``cs_scope`` component before it for the flags (without it, no flags are set).
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        register_extensions()
        _, records = load_pattern_file()
        self.phrases = PhraseMatcher(nlp.vocab, attr="NORM")
        self._defs: dict[str, IndicatorDef] = {}
        self._ignore: dict[str, tuple[bool, bool, bool, bool]] = {}
        #: per label, the normalised words its patterns spell out (see _inner_negation)
        self._literal: dict[str, frozenset[str]] = {}
        token_patterns: dict[str, list[Any]] = {}
        for rec, info in zip(records, indicator_catalogue(), strict=True):
            self._defs[info.label] = info
            ignore = set(rec.get("ignore", ()))
            unknown = ignore - set(_FLAG_NAMES)
            if unknown:
                raise ValueError(f"{_PATTERN_FILE}: {info.label}: unknown flags {sorted(unknown)}")
            self._ignore[info.label] = tuple(f in ignore for f in _FLAG_NAMES)  # type: ignore[assignment]
            token_patterns[info.label] = [p for p in rec["patterns"] if isinstance(p, list)]
            phrases = [p["phrase"] for p in rec["patterns"] if isinstance(p, dict)]
            self._literal[info.label] = _literal_words(nlp, token_patterns[info.label], phrases)
            if phrases:
                self.phrases.add(info.label, [nlp.make_doc(p) for p in phrases])
            excludes = rec.get("exclude", ())
            if excludes:
                key = info.label + _EXCLUDE
                token_patterns[key] = [p for p in excludes if isinstance(p, list)]
                ex_phrases = [p["phrase"] for p in excludes if isinstance(p, dict)]
                if ex_phrases:
                    self.phrases.add(key, [nlp.make_doc(p) for p in ex_phrases])
        # Names of roles and services ("the school nurse"): no indicator is matched on them.
        self.phrases.add(_ROLE, [nlp.make_doc(p) for p in _role_phrases()])
        self.rules = TokenRules(nlp.vocab, token_patterns, norm=norm_word, lower_as_norm=True)
        self._strings = nlp.vocab.strings

    def __call__(self, doc: Doc) -> Doc:
        arrays = cached_arrays(doc)
        strings = self._strings
        found = self.rules(arrays) + [(strings[k], s, e) for k, s, e in self.phrases(doc)]
        if not found:
            doc._.cs_indicators = ()
            return doc
        scope: ScopeFlags | None = doc._.cs_scope
        sent = scope.sent if scope is not None and scope.sent else None
        vetoes: dict[str, list[tuple[int, int]]] = {}
        kept: list[tuple[str, int, int]] = []
        roles: list[tuple[int, int]] = []
        for key, s, e in found:
            if key == _ROLE:
                roles.append((s, e))
            elif key.endswith(_EXCLUDE):
                vetoes.setdefault(key[: -len(_EXCLUDE)], []).append((s, e))
            elif sent is None or sent[s] == sent[e - 1]:
                kept.append((key, s, e))
        if vetoes or roles:
            kept = [
                (k, s, e)
                for k, s, e in kept
                if not any(s < b and a < e for a, b in [*vetoes.get(k, ()), *roles])
            ]
        # Per label, the shortest non-overlapping matches.
        kept.sort(key=lambda m: (m[0], m[2] - m[1], m[1]))
        spans: dict[str, list[tuple[int, int]]] = {}
        for key, s, e in kept:
            taken = spans.setdefault(key, [])
            if all(e <= a or s >= b for a, b in taken):
                taken.append((s, e))
        out: list[IndicatorMatch] = []
        for key, taken in spans.items():
            info = self._defs[key]
            for s, e in taken:
                last = doc[e - 1]
                ignore = self._ignore[key]
                flags = (
                    [
                        not skip and _flagged(f, s, e)
                        for f, skip in zip(
                            (scope.neg, scope.hedge, scope.hist, scope.third), ignore, strict=True
                        )
                    ]
                    if scope is not None
                    else [False, False, False, False]
                )
                if (
                    scope is not None
                    and not flags[0]
                    and not ignore[0]
                    and _inner_negation(doc, scope.neg, s, e, self._literal[key])
                ):
                    flags[0] = True
                out.append(
                    IndicatorMatch(
                        label=info.label,
                        level=info.level,
                        factor=info.factor,
                        start=doc[s].idx,
                        end=last.idx + len(last),
                        negated=flags[0],
                        hedged=flags[1],
                        historical=flags[2],
                        third_party=flags[3],
                    )
                )
        out.sort(key=lambda m: (m.start, m.end, m.label))
        doc._.cs_indicators = tuple(out)
        return doc


@cache
def _role_phrases() -> tuple[str, ...]:
    """The role and service names of ``patterns/roles.json``."""
    raw = json.loads(
        resources.files("training.text").joinpath("patterns/roles.json").read_text("utf-8")
    )
    return tuple(str(p) for p in raw["phrases"])


def _flagged(cue_of: list[int], s: int, e: int) -> bool:
    """True when a token of ``[s, e)`` is in the scope of a cue outside ``[s, e)``."""
    for i in range(s, e):
        c = cue_of[i]
        if c != NO_CUE and not s <= c < e:
            return True
    return False


#: words that may stand between an inner negation cue and the match's last word
_NEG_FILLERS = frozenset(
    (
        "any",
        "a",
        "an",
        "the",
        "his",
        "her",
        "their",
        "pron",
        "other",
        "further",
        "sign",
        "evidence",
        "of",
    )
)


def _inner_negation(doc: Doc, neg: list[int], s: int, e: int, literal: frozenset[str]) -> bool:
    """True when a negation cue inside ``[s, e)`` that the indicator's patterns do not spell
    out (it came through a wildcard gap) stands directly before the match's last word and
    scopes it: "found no ketamine", "denies any depression". Only fillers such as "any"
    may stand between the cue and that word."""
    last = e - 1
    c = neg[last]
    if c == NO_CUE or not s < c < last or last - c > 3:
        return False
    tok = doc[c]
    if tok.norm_ in literal or tok.lower_ in literal:
        return False
    return all(doc[i].norm_ in _NEG_FILLERS for i in range(c + 1, last))


def _literal_words(nlp: Language, patterns: list[Any], phrases: list[str]) -> frozenset[str]:
    """Every word an indicator's token patterns and phrases spell out, raw and normalised."""
    words: set[str] = set()
    for pattern in patterns:
        for spec in pattern:
            for attr in ("NORM", "LOWER", "TEXT", "ORTH"):
                value = spec.get(attr)
                if isinstance(value, str):
                    words.add(value)
                elif isinstance(value, dict) and isinstance(value.get("IN"), list):
                    words.update(v for v in value["IN"] if isinstance(v, str))
    for phrase in phrases:
        words.update(t.norm_ for t in nlp.make_doc(phrase))
        words.update(phrase.split())
    words.update([norm_word(w) for w in words])
    return frozenset(w.lower() for w in words)


@Language.factory("cs_indicators", default_config={})
def cs_indicators(nlp: Language, name: str) -> IndicatorMatcher:
    """Factory of the indicator-matching component (patterns from the versioned file)."""
    return IndicatorMatcher(nlp, name)
