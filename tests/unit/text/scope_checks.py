"""Checks shared by the scope tests: flags read on indicator matches and on tokens."""

from __future__ import annotations

from training.text import analyse
from training.text.types import IndicatorMatch, Token

__all__ = ["_all", "_asserted", "_matches", "_none", "_plain", "_tokens"]


def _matches(text: str, word: str) -> list[IndicatorMatch]:
    analysis = analyse(text)
    found = [m for m in analysis.indicators if word in text[m.start : m.end].lower()]
    assert found, f"no indicator match containing {word!r} in {text!r}"
    return found


def _asserted(m: IndicatorMatch) -> bool:
    return not (m.negated or m.hedged or m.historical)


def _tokens(text: str, phrase: str) -> list[Token]:
    """The tokens of the first occurrence of ``phrase`` (scope flags are read on tokens, so
    the checks do not depend on which indicator patterns match)."""
    at = text.lower().index(phrase)
    toks = [t for t in analyse(text).tokens if at <= t.start < at + len(phrase)]
    assert toks, (text, phrase)
    return toks


def _all(text: str, phrase: str, flag: str) -> bool:
    return all(getattr(t, flag) for t in _tokens(text, phrase))


def _none(text: str, phrase: str, flag: str) -> bool:
    return not any(getattr(t, flag) for t in _tokens(text, phrase))


def _plain(text: str, phrase: str) -> bool:
    return not any(
        t.negated or t.hedged or t.historical or t.third_party for t in _tokens(text, phrase)
    )
