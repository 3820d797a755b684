"""Checks of the text pipeline, and the sentence cases that drive them.

A case file (``tests/unit/text/cases/<capability>.jsonl``) holds one JSON object per line:
the ``text``, at most one target, the expectations, and a short ``why``. An optional
``xfail`` gives the reason a case is known to find nothing to read (see
:class:`NothingFound`); such a case must keep failing in exactly that way.

Targets of an analysis case (what its expectations read):

==========  ===============================================================================
phrase      the tokens of the phrase's first occurrence in the text (case-insensitive)
token       the first token whose text is this word (case-insensitive)
sentence    the tokens of this sentence (0-based)
match       the indicator matches whose text contains this word (case-insensitive)
label       the indicator matches with this label
(none)      every indicator match of the text
==========  ===============================================================================

(The redaction cases name their target ``pii``; their test module reads them itself.)

Expectations on the target's items (tokens or indicator matches):

- ``negated``, ``hedged``, ``historical``, ``third_party``: ``true``, every item carries
  the flag; ``false``, no item does.
- ``negated_or_hedged: true``: every item is negated, or every item is hedged.
- ``some: {flag: value, ...}``: at least one item has all these values (``asserted`` may be
  one of the flags).
- ``level``: every indicator match has this threshold level; ``count``: how many items;
  ``sent``: every token lies in this sentence.
- ``asserted`` (indicator matches): ``true``, at least one match is asserted (found,
  neither negated, hedged nor historical); ``false``, none is.
- ``found`` (label): ``true``, at least one match whatever its flags; ``false``, none.

Expectations on the whole analysis:

- ``n_sents``: the number of sentences; ``n_indicators``: the number of indicator matches.
- ``max_level``, ``max_level_at_least``, ``max_level_at_most``: the highest level among the
  asserted indicators (0 when none is asserted); ``asserted_level``: an asserted indicator
  has this level.
- ``found_level_at_least``: an indicator of at least this level is found, whatever its
  flags.

Only ``found: false``, ``asserted: false``, ``max_level_at_most``/``max_level: 0`` and
``n_indicators`` may hold when nothing is found. Every other expectation needs something
to read, and fails with :class:`NothingFound` when the phrase, token or sentence is not
there or the word or label has no match, so that no expectation holds only because the
analysis found nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from training.text import analyse
from training.text.types import Analysis, IndicatorMatch, Token

__all__ = [
    "FLAGS",
    "Case",
    "NothingFound",
    "asserted",
    "check_analysis",
    "found",
    "is_asserted",
    "read_cases",
]

FLAGS: tuple[str, ...] = ("negated", "hedged", "historical", "third_party")

#: Keys naming what a case reads, in the order they are looked for; a case with none of
#: them is of kind "text" (the whole text).
TARGETS: tuple[str, ...] = ("phrase", "token", "sentence", "match", "label", "pii")

_TOKEN_KEYS = frozenset({*FLAGS, "negated_or_hedged", "some", "count", "sent"})
_MATCH_KEYS = frozenset({*FLAGS, "negated_or_hedged", "some", "count", "level", "asserted"})
_TEXT_KEYS = frozenset(
    {
        "n_sents",
        "n_indicators",
        "max_level",
        "max_level_at_least",
        "max_level_at_most",
        "asserted_level",
        "found_level_at_least",
    }
)
_ALLOWED: dict[str, frozenset[str]] = {
    "phrase": _TOKEN_KEYS | _TEXT_KEYS,
    "token": _TOKEN_KEYS | _TEXT_KEYS,
    "sentence": _TOKEN_KEYS | _TEXT_KEYS,
    "match": _MATCH_KEYS | _TEXT_KEYS,
    "label": _MATCH_KEYS | {"found"} | _TEXT_KEYS,
    "text": _MATCH_KEYS | _TEXT_KEYS,
}


class NothingFound(AssertionError):
    """An expectation had nothing to read: the phrase, token or sentence is not in the
    analysis, or the word or label has no indicator match."""


@dataclass(frozen=True)
class Case:
    """One sentence case: ``kind`` is the target key (or "text"), ``target`` its value."""

    text: str
    kind: str
    target: Any
    expect: Mapping[str, Any]
    why: str

    def __str__(self) -> str:
        return f"{self.kind}={self.target!r} in {self.text!r} ({self.why})"


def is_asserted(m: IndicatorMatch) -> bool:
    """The match states its indicator as present now: neither negated, hedged nor
    historical (stricter than ``IndicatorMatch.asserted``, which lets a hedge pass)."""
    return not (m.negated or m.hedged or m.historical)


def asserted(text: str, label: str) -> bool:
    """The indicator is found in ``text`` and at least one of its matches is asserted."""
    return any(m.label == label and is_asserted(m) for m in analyse(text).indicators)


def found(text: str, label: str) -> bool:
    """The indicator is found in ``text``, whatever its flags."""
    return any(m.label == label for m in analyse(text).indicators)


# -- reading case files ---------------------------------------------------------------


def _case(raw: Mapping[str, Any], where: str) -> Case:
    data = dict(raw)
    text, why = data.pop("text", None), data.pop("why", None)
    data.pop("xfail", None)
    if not isinstance(text, str) or not isinstance(why, str) or not why.strip():
        raise ValueError(f"{where}: a case needs a 'text' and a 'why'")
    kinds = [k for k in TARGETS if k in data]
    if len(kinds) > 1:
        raise ValueError(f"{where}: more than one target: {kinds}")
    kind = kinds[0] if kinds else "text"
    target = data.pop(kind) if kinds else None
    if not data:
        raise ValueError(f"{where}: a case needs an expectation")
    return Case(text=text, kind=kind, target=target, expect=data, why=why)


def _case_id(case: Case) -> str:
    head = f"{case.target}: " if case.target is not None else ""
    label = head + case.text
    return label if len(label) <= 90 else label[:87] + "..."


def read_cases(path: Path, *kinds: str) -> tuple[list[Any], ...]:
    """The cases of a ``.jsonl`` file as ``pytest.param`` lists, one list per kind asked
    for, in that order. A kind with no case, a case of a kind not asked for, or a line
    repeated exactly is an error: every case is run by exactly one test."""
    by_kind: dict[str, list[Any]] = {k: [] for k in kinds}
    seen: set[str] = set()
    for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{n}"
        raw = json.loads(line)
        key = json.dumps(raw, sort_keys=True, ensure_ascii=False)
        if key in seen:
            raise ValueError(f"{where}: an exact duplicate of an earlier case")
        seen.add(key)
        case = _case(raw, where)
        if case.kind not in by_kind:
            raise ValueError(f"{where}: a {case.kind!r} case, but this file is read for {kinds}")
        marks = []
        if "xfail" in raw:
            marks.append(pytest.mark.xfail(raises=NothingFound, strict=True, reason=raw["xfail"]))
        by_kind[case.kind].append(pytest.param(case, id=_case_id(case), marks=marks))
    empty = [k for k, cases in by_kind.items() if not cases]
    if empty:
        raise ValueError(f"{path.name}: no case of kind {empty}")
    return tuple(by_kind[k] for k in kinds)


# -- checking an analysis -------------------------------------------------------------


def _phrase_tokens(analysis: Analysis, phrase: str) -> list[Token]:
    at = analysis.text.lower().find(phrase.lower())
    if at < 0:
        raise NothingFound(f"{phrase!r} is not in the text")
    return [t for t in analysis.tokens if at <= t.start < at + len(phrase)]


def _token(analysis: Analysis, word: str) -> list[Token]:
    for t in analysis.tokens:
        if analysis.text[t.start : t.end].lower() == word.lower():
            return [t]
    return []


def _items(analysis: Analysis, case: Case) -> Sequence[Token | IndicatorMatch]:
    kind, target = case.kind, case.target
    if kind == "phrase":
        return _phrase_tokens(analysis, target)
    if kind == "token":
        return _token(analysis, target)
    if kind == "sentence":
        return [t for t in analysis.tokens if t.sent == target]
    if kind == "match":
        return [
            m
            for m in analysis.indicators
            if target.lower() in analysis.text[m.start : m.end].lower()
        ]
    if kind == "label":
        return [m for m in analysis.indicators if m.label == target]
    return analysis.indicators


def _value(item: Token | IndicatorMatch, name: str) -> Any:
    if name == "asserted":
        assert isinstance(item, IndicatorMatch), "'asserted' is read on indicator matches"
        return is_asserted(item)
    return getattr(item, name)


def _describe(items: Sequence[Token | IndicatorMatch], text: str) -> list[str]:
    out = []
    for it in items:
        flags = "".join(f[0].upper() for f in FLAGS if getattr(it, f))
        name = f"{it.label}/{it.level}" if isinstance(it, IndicatorMatch) else f"s{it.sent}"
        out.append(f"{text[it.start : it.end]!r} {name} {flags or '-'}")
    return out


def _levels(analysis: Analysis) -> list[int]:
    return [m.level for m in analysis.indicators if is_asserted(m)]


#: Whole-text checks, in the order they run: those that may hold on an empty analysis
#: come before ``found_level_at_least``, which needs an indicator.
_TEXT_CHECKS: dict[str, Callable[[Analysis, int], bool]] = {
    "n_sents": lambda a, n: a.n_sents == n,
    "n_indicators": lambda a, n: len(a.indicators) == n,
    "max_level": lambda a, n: max(_levels(a), default=0) == n,
    "max_level_at_least": lambda a, n: max(_levels(a), default=0) >= n,
    "max_level_at_most": lambda a, n: max(_levels(a), default=0) <= n,
    "asserted_level": lambda a, n: n in _levels(a),
}


def _needs_items(expect: Mapping[str, Any]) -> list[str]:
    """The item expectations that cannot hold on no items."""
    return [
        k
        for k, v in expect.items()
        if k in _MATCH_KEYS | _TOKEN_KEYS
        and k not in ("count", "found")
        and not (k == "asserted" and v is False)
    ]


def _check_items(
    items: Sequence[Token | IndicatorMatch], expect: Mapping[str, Any], case: Case, text: str
) -> None:
    seen = _describe(items, text)
    if expect.get("found") is False:
        assert not items, f"found, expected none: {seen} -- {case}"
    if expect.get("asserted") is False:
        assert not any(_value(m, "asserted") for m in items), f"asserted: {seen} -- {case}"
    if expect.get("found") is True and not items:
        raise NothingFound(f"nothing found -- {case}")
    if not items and _needs_items(expect):
        raise NothingFound(f"nothing to read for {_needs_items(expect)} -- {case}")
    for flag in FLAGS:
        if flag in expect:
            values = [getattr(i, flag) for i in items]
            ok = all(values) if expect[flag] else not any(values)
            assert ok, f"{flag}={expect[flag]} expected: {seen} -- {case}"
    if expect.get("negated_or_hedged"):
        ok = all(i.negated for i in items) or all(i.hedged for i in items)
        assert ok, f"neither all negated nor all hedged: {seen} -- {case}"
    if expect.get("asserted") is True:
        assert any(_value(m, "asserted") for m in items), f"none asserted: {seen} -- {case}"
    if "some" in expect:
        want = expect["some"]
        ok = any(all(_value(i, k) == v for k, v in want.items()) for i in items)
        assert ok, f"no item with {want}: {seen} -- {case}"
    if "level" in expect:
        levels = {i.level for i in items if isinstance(i, IndicatorMatch)}
        assert levels == {expect["level"]}, f"levels {levels}: {seen} -- {case}"
    if "count" in expect:
        assert len(items) == expect["count"], f"count {len(items)}: {seen} -- {case}"
    if "sent" in expect:
        sents = {i.sent for i in items if isinstance(i, Token)}
        assert sents == {expect["sent"]}, f"sentences {sents}: {seen} -- {case}"


def check_analysis(case: Case) -> None:
    """Analyse the case's text and assert each of its expectations."""
    unknown = set(case.expect) - _ALLOWED[case.kind]
    if unknown:
        raise ValueError(f"unknown expectation {sorted(unknown)} for a {case.kind} case")
    analysis = analyse(case.text)
    for name, test in _TEXT_CHECKS.items():
        if name in case.expect:
            assert test(analysis, case.expect[name]), (
                f"{name}={case.expect[name]}: asserted levels {_levels(analysis)}, "
                f"{analysis.n_sents} sentences -- {case}"
            )
    item_keys = set(case.expect) - _TEXT_KEYS
    if case.kind != "text" or item_keys:
        _check_items(_items(analysis, case), case.expect, case, analysis.text)
    if "found_level_at_least" in case.expect:
        n = case.expect["found_level_at_least"]
        if not any(m.level >= n for m in analysis.indicators):
            raise NothingFound(f"no indicator of level {n} or more -- {case}")
